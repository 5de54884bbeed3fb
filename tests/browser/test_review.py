"""The review pages (api/review.py) in real Chromium against a real gunicorn on 127.0.0.1.

A curator logs in and works through the queue with the keyboard alone (static/review.js),
the public pages follow each change within ``GLOSSARY_CHECK_INTERVAL``, two curators
editing one term both keep their edits, axe-core finds nothing serious, and hostile
glossary text stays text.

The session cookie is the one production sends (``Secure``): Chromium keeps Secure
cookies for http://127.0.0.1, a potentially trustworthy origin, so these servers run
with ``GLOSSARY_COOKIE_SECURE=1`` rather than turning it off.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from glossary import store
from glossary.accounts import Curators
from glossary.curate import Desk, version
from glossary.model import Glossary
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_pages import axe_violations, focused, tab_until
from tests.server import gunicorn
from tests.webapi.test_auth import CHEAP, PASSWORD

CHECK_INTERVAL = 0.5  # seconds: the public pages must follow within a few of these
PUBLIC_DEADLINE = 5.0
CURATORS = ("李明", "王芳")

# Five candidates, ranked: the one two reports cite first, then by reading (wǔ, xiàng, yī, zuì).
GLOSSARY = """\
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
  - id: hongqiao-2024
    title: 虹桥镇2024年工作总结
    locality: 浙江省温州市乐清市虹桥镇
    date: "2024"
terms:
  - id: wu-gong-li-nian
    term: “五共”理念
    aliases: [五共理念]
    status: reviewed
    senses:
      - definition: 决策共谋、发展共建、建设共管、效果共评、成果共享。
        scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "23. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。"
  - id: san-xue-ji-zhi
    term: “三学”机制
    status: candidate
    senses:
      - scope: 浙江省温州市乐清市虹桥镇
        sources:
          - doc: hongqiao-2024
            kind: usage
            quote: 全面落实“三学”机制,推动学习走深走实。
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 实行“领导示范带学、端正学风促学、随机抽查督学”的“三学”机制,推动学习走深走实。
  - id: wu-gong
    term: “五共”
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 坚持“五共”理念,共同缔造美好环境与幸福生活。
  - id: xiang-mu-jian-she
    term: 项目建设
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 全力以赴抓项目建设,全年新开工项目68个。
  - id: yi-wang-tong-ban
    term: “一网通办”
    status: candidate
    senses:
      - scope: 浙江省温州市乐清市虹桥镇
        sources:
          - doc: hongqiao-2024
            kind: usage
            quote: 深化“一网通办”,政务服务事项全部网上可办。
  - id: zui-duo-pao-yi-ci
    term: “最多跑一次”
    status: candidate
    senses:
      - scope: 浙江省温州市乐清市虹桥镇
        sources:
          - doc: hongqiao-2024
            kind: usage
            quote: 推进“最多跑一次”改革,群众办事更便捷。
"""
TRIMMED = "领导示范带学、端正学风促学、随机抽查督学"  # of the second quote of “三学”机制
REASON = "普通词语（a common phrase），不是政策术语"
LAST_QUOTE = "推进“最多跑一次”改革,群众办事更便捷。"

HOSTILE_DEFINITION = "<img src=x onerror=alert(1)> 与 <script>alert(2)</script> 都是文字"
# Tries to leave the accept form's textarea and its hidden input's attribute.
HOSTILE_USAGE = "推进恶意测试\"><script>alert(7)</script></textarea><script>alert(8)</script>'"
HOSTILE_TRIMMED = "\"><script>alert(7)</script></textarea><script>alert(8)</script>'"
HOSTILE_ALIAS = "<img src=x onerror=alert(10)>"
HOSTILE = f"""\
version: 1
documents:
  - id: hostile-report
    title: "<script>alert('title')</script>测试报告"
    locality: 测试省<b>测试市</b>
    date: "2024"
terms:
  - id: e-yi-ce-shi
    term: 恶意测试
    aliases: ["<svg onload=alert(5)>"]
    status: candidate
    senses:
      - definition: "{HOSTILE_DEFINITION}"
        scope: 测试省<b>测试市</b>
        parts: ["<img src=x onerror=alert(3)>", "</li></ol><script>alert(6)</script>"]
        sources:
          - doc: hostile-report
            kind: glossary
            quote: "恶意测试:{HOSTILE_DEFINITION}"
          - doc: hostile-report
            kind: usage
            quote: '{HOSTILE_USAGE.replace("'", "''")}'
"""
# What markup the hostile text would make if it ever reached the page as markup.
INJECTED = "main img, main svg, main b, main script:not([src]), [onerror], [onload], [onfocus]"


@dataclass(frozen=True)
class Site:
    base: str
    file: Path

    def glossary(self) -> Glossary:
        return store.load(self.file)


@contextlib.contextmanager
def serving(text: str, work: Path) -> Iterator[Site]:
    """A real server on a glossary of its own, with two curators and a short check interval."""
    file = work / "terms.yaml"
    file.write_text(text, encoding="utf-8")
    accounts = Curators(work / "instance", hasher=CHEAP)
    for name in CURATORS:
        accounts.add(name, PASSWORD)
    env = {
        "GLOSSARY_INSTANCE_DIR": str(work / "instance"),
        "GLOSSARY_CHECK_INTERVAL": str(CHECK_INTERVAL),
        "GLOSSARY_COOKIE_SECURE": "1",  # production's cookie, whatever the caller's shell says
    }
    with gunicorn(file, work / "index", work / "gunicorn.log", env=env) as base:
        yield Site(base, file)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[Site]:
    """A server for tests that only read, or change terms no other test looks at;
    one change already in its history, for the history pages to show."""
    work = tmp_path_factory.mktemp("review")
    with serving(GLOSSARY, work) as site:
        desk = Desk(site.file)
        term = desk.glossary().term("yi-wang-tong-ban")
        desk.edit(term.id, version(term), who="王芳", category="政务服务")
        yield site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Iterator[Site]:
    with serving(HOSTILE, tmp_path_factory.mktemp("hostile")) as site:
        yield site


@pytest.fixture
def fresh(tmp_path) -> Iterator[Site]:
    """A server of the test's own: it works through the queue."""
    with serving(GLOSSARY, tmp_path) as site:
        yield site


class Browsers:
    """Browser contexts of one test (closed after it), and pages of logged-in curators."""

    def __init__(self, browser: Browser, sessions: dict[tuple[str, str], dict]):
        self.browser, self.sessions = browser, sessions
        self.opened: list[BrowserContext] = []

    def page(self, viewport: dict = DESKTOP, **options) -> Page:
        context = self.browser.new_context(viewport=viewport, locale="zh-CN", **options)
        self.opened.append(context)
        return context.new_page()

    def curator(self, site: Site, name: str = "李明", **options) -> Page:
        """The queue, with ``name`` logged in: through the form the first time on ``site``,
        then with the cookie that login got (each login costs an Argon2 hash)."""
        if (site.base, name) not in self.sessions:
            page = self.page()
            log_in(page, site, name)
            self.sessions[site.base, name] = page.context.storage_state()
        page = self.page(storage_state=self.sessions[site.base, name], **options)
        page.goto(site.base + "/review/")
        expect(page.locator(".review-bar .who")).to_contain_text(name)
        return page

    def close(self) -> None:
        for context in self.opened:
            context.close()


@pytest.fixture(scope="module")
def sessions() -> dict[tuple[str, str], dict]:
    return {}


@pytest.fixture
def browsers(browser: Browser, sessions) -> Iterator[Browsers]:
    opened = Browsers(browser, sessions)
    yield opened
    opened.close()


def log_in(page: Page, site: Site, name: str) -> None:
    page.goto(site.base + "/review/")
    expect(page).to_have_url(re.compile(r"/review/login\?next="))
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(site.base + "/review/")


def arrive(page: Page, url: str) -> None:
    """Wait for ``url`` and its load: a key pressed before review.js runs does nothing."""
    page.wait_for_url(lambda now: now == url, timeout=5000)


def done(page: Page):
    return page.locator(".notice.done")


_looks = itertools.count()


def eventually(reader: Page, url: str, shows: Callable[[Response], bool]) -> None:
    """Open ``url`` in the reader's browser until ``shows(response)``, at most
    PUBLIC_DEADLINE seconds. Each look has an address of its own: public pages may stay
    a minute in the browser's cache (Cache-Control), and the service is what is tested."""
    deadline = time.monotonic() + PUBLIC_DEADLINE
    while True:
        separator = "&" if "?" in url else "?"
        response = reader.goto(f"{url}{separator}look={next(_looks)}")
        if shows(response):
            return
        if time.monotonic() > deadline:
            text = reader.locator("main").inner_text()[:300]
            raise AssertionError(f"{url} did not change in {PUBLIC_DEADLINE} s: {text}")
        reader.wait_for_timeout(100)


def badge(reader: Page) -> str:
    return reader.locator(".entry-head .badge").inner_text()


# --- a curator's session ---------------------------------------------------------------------


def test_a_curator_logs_in_by_keyboard_and_gets_the_secure_session_cookie(browsers, shared):
    page = browsers.page()
    page.goto(shared.base + "/review/")
    expect(page).to_have_url(shared.base + "/review/login?next=/review/")
    tab_until(page, lambda f: f["id"] == "login-name")
    page.keyboard.type("李明")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "login-password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(shared.base + "/review/")
    expect(page.locator("h1")).to_have_text("待审核队列")
    expect(page.locator(".review-bar .who")).to_contain_text("李明")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "glossary_session"]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["path"] == "/review"


def test_logging_out_sends_review_pages_to_the_login_again(browsers, shared):
    page = browsers.page()
    log_in(page, shared, "李明")
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(shared.base + "/")
    assert not [c for c in page.context.cookies() if c["name"] == "glossary_session"]
    page.goto(shared.base + "/review/changes")
    expect(page).to_have_url(shared.base + "/review/login?next=/review/changes")
    expect(page.locator("h1")).to_have_text("审核员登录")


# --- five candidates by keyboard alone -------------------------------------------------------


def test_five_candidates_by_keyboard_alone_and_the_public_pages_follow(fresh, browsers):
    reader = browsers.page()  # a reader of the public pages, in a browser of their own
    page = browsers.page()
    page.goto(fresh.base + "/review/")  # the one address opened: the rest is keys
    tab_until(page, lambda f: f["id"] == "login-name")
    page.keyboard.type("李明")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/")
    page.keyboard.press("o")
    arrive(page, fresh.base + "/review/terms/san-xue-ji-zhi")

    # 1. Accept from the second quote, trimmed to the words that define it.
    page.keyboard.press("2")
    assert focused(page)["id"] == "definition-2"
    page.keyboard.press("Control+A")
    page.keyboard.type(TRIMMED)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.form.elements.definition.id") == "definition-2"
    assert focused(page)["tag"] == "BUTTON"
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/terms/wu-gong?done=1")
    expect(done(page)).to_contain_text("已完成 #1：接受 “三学”机制")
    term = fresh.glossary().term("san-xue-ji-zhi")
    assert term.status == "reviewed"
    assert [s.definition for s in term.senses] == [None, TRIMMED]
    assert term.senses[1].sources[0].kind == "inline"
    eventually(
        reader,
        fresh.base + "/terms/san-xue-ji-zhi",
        lambda r: (
            badge(reader) == "已审核" and TRIMMED in reader.locator(".definition").inner_text()
        ),
    )

    # 2. Merge into the similar term the page offers first.
    page.keyboard.press("m")
    assert focused(page)["id"] == "into-1"
    expect(page.locator("#into-1")).to_be_checked()
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/terms/xiang-mu-jian-she?done=2")
    expect(done(page)).to_contain_text("已完成 #2：把 “五共” 合并到 “五共”理念")
    glossary = fresh.glossary()
    assert glossary.term("wu-gong") is None
    assert glossary.moved("wu-gong") == "wu-gong-li-nian"
    assert "“五共”" in glossary.term("wu-gong-li-nian").aliases

    def redirected(response: Response) -> bool:
        # The redirect and the page it leads to may come from two workers, one of
        # them still on the version before the merge: both must have followed.
        before = response.request.redirected_from
        return (
            before is not None
            and before.response().status == 301
            and reader.url.split("?")[0] == fresh.base + "/terms/wu-gong-li-nian"
            and "“五共”" in reader.locator(".aliases").inner_text()
        )

    eventually(reader, fresh.base + "/terms/wu-gong", redirected)

    # 3. Reject, with a reason.
    page.keyboard.press("r")
    assert focused(page)["id"] == "reason"
    page.keyboard.type(REASON)  # its letters are keys too: in a field they are only typed
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/terms/yi-wang-tong-ban?done=3")
    expect(done(page)).to_contain_text("已完成 #3：弃用 项目建设")
    term = fresh.glossary().term("xiang-mu-jian-she")
    assert (term.status, term.reason) == ("deprecated", REASON)
    eventually(
        reader,
        fresh.base + "/index/X",
        lambda r: "项目建设" not in reader.locator("main").inner_text(),
    )
    eventually(reader, fresh.base + "/terms/xiang-mu-jian-she", lambda r: badge(reader) == "已弃用")

    # 4. Edit a field, then see it in the term's history and come back.
    page.keyboard.press("e")
    arrive(page, fresh.base + "/review/terms/yi-wang-tong-ban/edit")
    tab_until(page, lambda f: f["id"] == "category")
    page.keyboard.type("政务服务")
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/terms/yi-wang-tong-ban?done=4")
    expect(done(page)).to_contain_text("已完成 #4：编辑 “一网通办”：类别")
    term = fresh.glossary().term("yi-wang-tong-ban")
    assert (term.category, term.status, term.aliases) == ("政务服务", "candidate", [])
    eventually(
        reader,
        fresh.base + "/terms/yi-wang-tong-ban",
        lambda r: reader.locator(".entry-head .category").all_inner_texts() == ["政务服务"],
    )
    page.keyboard.press("h")
    arrive(page, fresh.base + "/review/terms/yi-wang-tong-ban/history")
    expect(page.locator(".record").first).to_contain_text("政务服务")
    tab_until(page, lambda f: f["href"] == "/review/terms/yi-wang-tong-ban")
    page.keyboard.press("Enter")
    arrive(page, fresh.base + "/review/terms/yi-wang-tong-ban")

    # 5. Skip to the last candidate, accept it with the first form's key, and undo that.
    page.keyboard.press("s")
    arrive(page, fresh.base + "/review/terms/zui-duo-pao-yi-ci")
    before = fresh.file.read_bytes()
    page.keyboard.press("1")
    assert focused(page)["id"] == "definition-1"
    page.keyboard.press("Escape")  # out of the text field: the keys act again
    assert focused(page)["tag"] == "BODY"
    page.keyboard.press("a")
    arrive(page, fresh.base + "/review/?done=5")  # the queue: no candidate after it
    expect(done(page)).to_contain_text("已完成 #5：接受 “最多跑一次”")
    term = fresh.glossary().term("zui-duo-pao-yi-ci")
    assert (term.status, term.definition) == ("reviewed", LAST_QUOTE)
    eventually(reader, fresh.base + "/terms/zui-duo-pao-yi-ci", lambda r: badge(reader) == "已审核")
    page.keyboard.press("u")
    arrive(page, fresh.base + "/review/?done=6")
    expect(done(page)).to_contain_text("已完成 #6：撤销 #5")
    assert fresh.file.read_bytes() == before
    eventually(reader, fresh.base + "/terms/zui-duo-pao-yi-ci", lambda r: badge(reader) == "待审核")
    expect(page.locator(".queue .term-link")).to_have_text(["“一网通办”", "“最多跑一次”"])


# --- two curators, one term ------------------------------------------------------------------


def test_two_curators_edit_one_term_and_neither_edit_is_lost(browsers, shared):
    address = "/review/terms/wu-gong-li-nian/edit"
    first, second = browsers.curator(shared, "李明"), browsers.curator(shared, "王芳")
    first.goto(shared.base + address)
    second.goto(shared.base + address)

    first.get_by_label("类别").fill("党建")
    first.get_by_role("button", name="保存").click()
    expect(first).to_have_url(re.compile(r"/review/terms/wu-gong-li-nian\?done=\d+$"))

    second.get_by_label("别名（每行一个）").fill("五共理念\n五共共建")
    with second.expect_response(lambda r: r.request.method == "POST") as answer:
        second.get_by_role("button", name="保存").click()
    assert answer.value.status == 409
    expect(second.locator("h1")).to_have_text("修改冲突：“五共”理念")
    others = second.locator("main li").filter(has_text="李明")
    expect(others).to_contain_text("编辑 “五共”理念：类别")
    expect(second.locator("table.diff tr").filter(has_text="类别")).to_contain_text("党建")
    expect(second.locator(".kept")).to_contain_text("五共共建")  # what they typed is still there
    term = shared.glossary().term("wu-gong-li-nian")
    assert (term.category, term.aliases) == ("党建", ["五共理念"])

    second.get_by_role("button", name="在最新版本上重新提交我的修改").click()
    expect(second).to_have_url(re.compile(r"/review/terms/wu-gong-li-nian\?done=\d+$"))
    expect(done(second)).to_contain_text("编辑 “五共”理念：别名")
    term = shared.glossary().term("wu-gong-li-nian")
    assert (term.category, term.aliases) == ("党建", ["五共理念", "五共共建"])


# --- accessibility ---------------------------------------------------------------------------

_categories = itertools.count()


def conflict(page: Page, site: Site) -> None:
    """Open an edit page, let another curator change the term meanwhile, then save."""
    page.goto(site.base + "/review/terms/xiang-mu-jian-she/edit")
    desk = Desk(site.file)
    term = desk.glossary().term("xiang-mu-jian-she")
    desk.edit(term.id, version(term), who="王芳", category=f"类别{next(_categories)}")
    page.get_by_label("别名（每行一个）").fill("项目建设工作")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("修改冲突")


REVIEW_PAGES = {
    "queue": "/review/?done=1",
    "candidate": "/review/terms/san-xue-ji-zhi",
    "edit": "/review/terms/san-xue-ji-zhi/edit",
    "history": "/review/terms/yi-wang-tong-ban/history",
    "changes": "/review/changes",
}


@pytest.mark.parametrize("name", ["login", *REVIEW_PAGES, "conflict"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_axe_finds_no_serious_problems_on_review_pages(browsers, shared, name, device):
    # bypass_csp: the pages' Content-Security-Policy forbids the injected axe script.
    options = {"viewport": DESKTOP if device == "desktop" else PHONE, "bypass_csp": True}
    if name == "login":
        page = browsers.page(**options)
        page.goto(shared.base + "/review/login")
    else:
        page = browsers.curator(shared, **options)
        if name == "conflict":
            conflict(page, shared)
        else:
            page.goto(shared.base + REVIEW_PAGES[name])
    problems = axe_violations(page)
    assert not problems, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in problems]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways on {device}"


# --- hostile text ----------------------------------------------------------------------------


def test_hostile_text_is_inert_on_every_review_page(browsers, hostile):
    # Without the Content-Security-Policy: escaping alone must keep the text from running.
    page = browsers.curator(hostile, bypass_csp=True)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def inert(address: str) -> None:
        assert page.locator(INJECTED).count() == 0, address

    page.goto(hostile.base + "/review/")
    inert("queue")
    expect(page.locator("#f-document option").last).to_have_text(
        "<script>alert('title')</script>测试报告"
    )
    page.goto(hostile.base + "/review/terms/e-yi-ce-shi")
    inert("candidate")
    expect(page.locator(".proposals .definition")).to_have_text(HOSTILE_DEFINITION)
    expect(page.locator("#quote-2 blockquote")).to_have_text(HOSTILE_USAGE)
    expect(page.locator("#definition-2")).to_have_value(HOSTILE_USAGE)
    expect(page.locator("#quote-2 input[name=quote]")).to_have_value(HOSTILE_USAGE)
    page.goto(hostile.base + "/review/terms/e-yi-ce-shi/edit")
    inert("edit")
    expect(page.locator("#definition-0")).to_have_value(HOSTILE_DEFINITION)
    expect(page.locator("#aliases")).to_have_value("<svg onload=alert(5)>")
    expect(page.locator("#parts-0")).to_have_value(
        "<img src=x onerror=alert(3)>\n</li></ol><script>alert(6)</script>"
    )

    # Accept a hostile trim of the hostile quote: the text goes through the form unchanged.
    page.goto(hostile.base + "/review/terms/e-yi-ce-shi")
    page.keyboard.press("2")
    page.keyboard.press("Control+A")
    page.keyboard.type(HOSTILE_TRIMMED)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(done(page)).to_contain_text("已完成 #1")
    assert hostile.glossary().term("e-yi-ce-shi").definition == HOSTILE_TRIMMED
    inert("queue after accepting")
    for address in ("/review/terms/e-yi-ce-shi/history", "/review/changes"):
        page.goto(hostile.base + address)
        inert(address)
        expect(
            page.locator("table.diff ins").get_by_text(HOSTILE_TRIMMED, exact=True)
        ).to_be_visible()

    # A conflict page shows what the curator typed, as typed.
    page.goto(hostile.base + "/review/terms/e-yi-ce-shi/edit")
    desk = Desk(hostile.file)
    desk.edit("e-yi-ce-shi", version(desk.glossary().term("e-yi-ce-shi")), who="王芳",
              category="<b>类别</b>")  # fmt: skip
    page.get_by_label("别名（每行一个）").fill(HOSTILE_ALIAS)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("h1")).to_contain_text("修改冲突")
    inert("conflict")
    expect(page.locator(".kept dd").first).to_have_text(HOSTILE_ALIAS)
    expect(page.locator("table.diff")).to_contain_text("<b>类别</b>")
    page.wait_for_timeout(200)
    assert dialogs == []
