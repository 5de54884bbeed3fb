"""The review pages (api/review.py): a curator works through the queue with forms alone;
no page answers without a session; every form needs its CSRF token."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from api import create_app
from glossary import store
from glossary.accounts import Curators
from tests.test_curate import GLOSSARY, QUOTE
from tests.webapi.test_auth import CHEAP, PASSWORD, SITE, Browser, page

GET_PAGES = [
    "/review/", "/review/terms/san-xue-ji-zhi", "/review/terms/san-xue-ji-zhi/edit",
    "/review/terms/san-xue-ji-zhi/history", "/review/changes",
]  # fmt: skip
POSTS = [
    "/review/terms/san-xue-ji-zhi/accept", "/review/terms/san-xue-ji-zhi/reject",
    "/review/terms/wu-gong/merge", "/review/terms/1310/split",
    "/review/terms/san-xue-ji-zhi/edit", "/review/terms/san-xue-ji-zhi/sources",
    "/review/changes/1/undo",
]  # fmt: skip


@pytest.fixture
def path(tmp_path: Path) -> Path:
    file = tmp_path / "terms.yaml"
    file.write_text(GLOSSARY, encoding="utf-8")
    return file


@pytest.fixture
def app(tmp_path, path, monkeypatch):
    for name in ("GLOSSARY_SECRET_KEY", "GLOSSARY_COOKIE_SECURE", "GLOSSARY_INSTANCE_DIR"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({
        "GLOSSARY_FILE": str(path), "GLOSSARY_INDEX_DIR": str(tmp_path / "index"),
        "GLOSSARY_INSTANCE_DIR": str(tmp_path / "instance"), "GLOSSARY_CHECK_INTERVAL": 0,
    })  # fmt: skip
    curators = Curators(tmp_path / "instance", hasher=CHEAP)
    curators.add("李明", PASSWORD)
    curators.add("王芳", PASSWORD)
    return app


class Curator(Browser):
    """A logged-in curator who fills in the forms a page shows."""

    def __init__(self, app, name: str = "李明"):
        super().__init__(app)
        response = self.login(name)
        assert response.status_code == 302

    def open(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, page(response)
        self.page, self.at = page(response), path
        return self.page

    def form(self, action: str) -> dict[str, str]:
        """The fields of the (first) form posting to ``action`` on the page last opened,
        with the values the page gave them."""
        return self.accept_forms(action)[0]

    def accept_forms(self, action: str) -> list[dict[str, str]]:
        """The fields of every form posting to ``action`` on the page last opened."""
        forms = re.findall(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', self.page, re.S)
        return [_fields(body) for url, body in forms if html.unescape(url) == action]

    def submit(self, action: str, **changes: str):
        fields = {**self.form(action), **changes}
        return self.post(action, fields, referrer=f"{SITE}{self.at}")


def _fields(body: str) -> dict[str, str]:
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body):
        fields.setdefault(name, html.unescape(value))
    textareas = re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S)
    for name, value in textareas:
        fields.setdefault(name, html.unescape(value))
    selects = re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S)
    for name, options in selects:
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        first = re.search(r'<option value="([^"]*)"', options)
        fields.setdefault(name, html.unescape((chosen or first).group(1)))
    return fields


def public(app, path: str):
    return app.test_client().get(path)


# --- the guard ---------------------------------------------------------------------------


@pytest.mark.parametrize("address", GET_PAGES)
def test_no_review_page_answers_without_a_session(app, address):
    response = Browser(app).get(address)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/review/login?next=")
    scripted = Browser(app).get(address, headers={"Accept": "application/json"})
    assert scripted.status_code == 401
    assert scripted.get_json()["error"]["code"] == "login_required"


@pytest.mark.parametrize("action", POSTS)
def test_no_operation_runs_without_a_session(app, path, action):
    visitor = Browser(app)
    token = visitor.token()  # a token of the login form, but no login
    response = visitor.post(action, {"csrf_token": token, "reason": "x", "into": "wu-gong-li-nian"})
    assert response.status_code in (302, 401)
    assert path.read_text(encoding="utf-8") == GLOSSARY


@pytest.mark.parametrize("action", POSTS)
def test_every_operation_needs_the_csrf_token(app, path, action):
    curator = Curator(app)
    for token in (None, "forged"):
        data = {"reason": "x", "into": "wu-gong-li-nian", "quote": QUOTE}
        if token:
            data["csrf_token"] = token
        response = curator.post(action, data, referrer=f"{SITE}/review/")
        assert response.status_code == 400
        assert "表单已失效" in page(response)
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_review_pages_are_never_stored(app):
    response = Curator(app).get("/review/")
    assert response.headers["Cache-Control"] == "no-store"


# --- the queue and a candidate ----------------------------------------------------------------


def test_the_queue_ranks_candidates_and_filters_them(app):
    curator = Curator(app)
    queue = curator.open("/review/")
    order = re.findall(r'href="/review/terms/([^"?]+)', queue)
    assert order[:3] == ["1310", "san-xue-ji-zhi", "wu-gong"]
    assert "有报告给出释义" in queue
    only = curator.open("/review/?place=浙江省温州市乐清市虹桥镇")
    assert re.findall(r'href="/review/terms/([^"?]+)', only)[:1] == ["1310"]
    assert "san-xue-ji-zhi" not in only


def test_a_candidate_page_shows_usages_proposals_and_similar_terms(app):
    curator = Curator(app)
    text = curator.open("/review/terms/wu-gong")
    assert "<mark>“五共”</mark>理念" in text  # the usage in context, marked
    assert "“五共”理念" in re.search(r"合并为别名.*?</form>", text, re.S).group(0)
    for key in ("a", "r", "m", "s", "e", "h"):
        assert f"<kbd>{key}</kbd>" in text  # the single keys are documented
    proposal = curator.open("/review/terms/1310")
    assert "报告给出的释义" in proposal and "一个目标、三大行动、十项举措。" in proposal


def test_accept_from_a_quote_goes_on_to_the_next_candidate(app, path):
    curator = Curator(app)
    curator.open("/review/terms/san-xue-ji-zhi")
    response = curator.submit(
        "/review/terms/san-xue-ji-zhi/accept", definition="领导示范带学、端正学风促学、随机抽查督学"
    )
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/review/terms/wu-gong?done=1")
    term = store.load(path).term("san-xue-ji-zhi")
    assert (term.status, term.definition) == (
        "reviewed",
        "领导示范带学、端正学风促学、随机抽查督学",
    )
    after = curator.open(response.headers["Location"])
    assert "已完成 #1：接受 “三学”机制" in after
    # The public page shows it at once (check interval 0 here).
    assert "已审核" in page(public(app, "/terms/san-xue-ji-zhi"))


def test_an_invented_definition_is_refused_and_what_was_typed_is_kept(app, path):
    curator = Curator(app)
    curator.open("/review/terms/san-xue-ji-zhi")
    response = curator.submit("/review/terms/san-xue-ji-zhi/accept", definition="我编的释义")
    assert response.status_code == 400
    assert "never invent" in page(response) and "我编的释义" in page(response)
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_reject_merge_and_the_redirect_of_a_merged_id(app, path):
    curator = Curator(app)
    curator.open("/review/terms/san-xue-ji-zhi")
    assert (
        curator.submit("/review/terms/san-xue-ji-zhi/reject", reason="不是术语").status_code == 303
    )
    curator.open("/review/terms/wu-gong")
    merged = curator.submit("/review/terms/wu-gong/merge", into="wu-gong-li-nian")
    assert merged.status_code == 303
    glossary = store.load(path)
    assert glossary.term("san-xue-ji-zhi").reason == "不是术语"
    assert glossary.moved("wu-gong") == "wu-gong-li-nian"
    for old, new in (("/terms/wu-gong", "/terms/wu-gong-li-nian"),
                     ("/review/terms/wu-gong", "/review/terms/wu-gong-li-nian")):  # fmt: skip
        client = curator if old.startswith("/review") else None
        response = client.get(old) if client else public(app, old)
        assert response.status_code == 301
        assert response.headers["Location"].endswith(new)


def test_edit_every_field_and_the_parts_in_groups(app, path):
    curator = Curator(app)
    curator.open("/review/terms/wu-gong-li-nian/edit")
    response = curator.submit(
        "/review/terms/wu-gong-li-nian/edit", category="治理", aliases="五共理念\n五共",
        related="san-xue-ji-zhi", parts_0="共谋共建：\n决策共谋\n发展共建\n共管共评共享：\n"
        "建设共管\n效果共评\n成果共享", why="分组",
    )  # fmt: skip
    assert response.status_code == 303, page(response)
    term = store.load(path).term("wu-gong-li-nian")
    assert (term.category, term.aliases, term.related) == (
        "治理",
        ["五共理念", "五共"],
        ["san-xue-ji-zhi"],
    )
    assert [(g.name, g.parts) for g in term.senses[0].groups] == [
        ("共谋共建", ["决策共谋", "发展共建"]),
        ("共管共评共享", ["建设共管", "效果共评", "成果共享"]),
    ]


def test_add_a_source_from_a_new_document(app, path):
    curator = Curator(app)
    curator.open("/review/terms/san-xue-ji-zhi/edit")
    response = curator.submit(
        "/review/terms/san-xue-ji-zhi/sources", doc="new", new_title="2024年江汉区政府工作报告",
        new_locality="湖北省武汉市江汉区", new_url="https://example.gov.cn/r",
        quote="落实“三学”机制。",
    )  # fmt: skip
    assert response.status_code == 303, page(response)
    glossary = store.load(path)
    assert glossary.documents[-1].url == "https://example.gov.cn/r"
    assert glossary.term("san-xue-ji-zhi").senses[-1].scope == "湖北省武汉市江汉区"


def test_history_shows_the_differences_and_undo_restores_the_file(app, path):
    curator = Curator(app)
    curator.open("/review/terms/san-xue-ji-zhi")
    curator.submit("/review/terms/san-xue-ji-zhi/reject", reason="不是术语")
    history = curator.open("/review/terms/san-xue-ji-zhi/history")
    assert "<del>candidate</del>" in history and "<ins>deprecated</ins>" in history
    response = curator.submit("/review/changes/1/undo")
    assert response.status_code == 303
    assert path.read_text(encoding="utf-8") == GLOSSARY
    changes = curator.open("/review/changes")
    assert "撤销 #1" in changes and "李明" in changes


def test_two_curators_on_one_term_the_second_gets_a_conflict_and_loses_nothing(app, path):
    first, second = Curator(app, "李明"), Curator(app, "王芳")
    first.open("/review/terms/san-xue-ji-zhi/edit")
    second.open("/review/terms/san-xue-ji-zhi/edit")
    assert first.submit("/review/terms/san-xue-ji-zhi/edit", category="党建").status_code == 303
    conflict = second.submit("/review/terms/san-xue-ji-zhi/edit", category="学习教育")
    assert conflict.status_code == 409
    text = page(conflict)
    assert "李明" in text and "类别" in text and "党建" in text
    assert "学习教育" in text  # what the second curator typed is still there
    assert store.load(path).term("san-xue-ji-zhi").category == "党建"
    # Re-sent on the new version from the conflict page, it lands.
    second.page, second.at = text, "/review/terms/san-xue-ji-zhi/edit"
    again = second.submit("/review/terms/san-xue-ji-zhi/edit")
    assert again.status_code == 303
    assert store.load(path).term("san-xue-ji-zhi").category == "学习教育"


HOSTILE = GLOSSARY.replace(
    "推动学习走深走实。", "<script>alert(1)</script><img src=x onerror=alert(2)>"
).replace("一个目标、三大行动、十项举措。", "一个目标<svg onload=alert(3)>。")


def test_hostile_text_in_quotes_and_definitions_is_inert(app, path):
    path.write_text(HOSTILE, encoding="utf-8")
    curator = Curator(app)
    for address in ("/review/", "/review/terms/san-xue-ji-zhi", "/review/terms/1310",
                    "/review/terms/1310/edit"):  # fmt: skip
        text = curator.open(address)
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "<svg onload" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in curator.open("/review/terms/san-xue-ji-zhi")
