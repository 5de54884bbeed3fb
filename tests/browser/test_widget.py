"""The tooltip widget on pages of another origin, in Debian's Chromium.

Every host page is served by a small HTTP server on its own 127.0.0.1 port, so the
widget always works cross-origin, as it does on the sites that embed it.
"""

from __future__ import annotations

import html
import json
import re
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from glossary import store
from glossary.export import short
from tests.browser.conftest import PHONE
from tests.conftest import SAMPLE, SHARED, SHIPPED_GLOSSARY
from tests.server import gunicorn

JIANGAN = SHARED / "seeds" / "002_63741cc1e03311a7.txt"
TIP = "glossary-tooltip .tip"  # Playwright's CSS engine reaches into open shadow roots
HOSTILE = "<img src=x onerror=\"document.title='pwned';alert(1)\">"

MARKS_JS = """() => [...document.querySelectorAll('glossary-term')]
    .map(m => [m.dataset.glossaryId, m.textContent])"""
TOOLTIP_JS = """() => {
    const root = document.querySelector('glossary-tooltip').shadowRoot;
    const text = (s) => root.querySelector(s).textContent;
    return {term: text('.h'), pinyin: text('.py'), definition: text('.d'), scope: text('.sc'),
            more: root.querySelector('a').href, imgs: root.querySelectorAll('img').length};
}"""
# What every mark's tooltip says, opened by a click one after another.
EVERY_TOOLTIP_JS = """() => [...document.querySelectorAll('glossary-term')].map((m) => {
    m.click();
    const root = document.querySelector('glossary-tooltip').shadowRoot;
    const text = (s) => root.querySelector(s).textContent;
    return [m.textContent, text('.d'), text('.sc')];
})"""

# The focused element, inside the tooltip's shadow root too.
FOCUSED_JS = """() => {
    const active = document.activeElement;
    const inner = active.shadowRoot && active.shadowRoot.activeElement;
    return [active.localName, (inner || active).textContent];
}"""
# Terms of the places test: one sense per place, in an order no place would pick.
PLACES_GLOSSARY = """\
version: 1
documents: []
terms:
  - id: he-hu-zhang-zhi
    term: 河湖长制
    status: reviewed
    senses:
      - {definition: 郯城县的说法。, scope: 山东省临沂市郯城县}
      - {definition: 湖北省的说法。, scope: 湖北省}
      - {definition: 江岸区的说法。, scope: 湖北省武汉市江岸区}
  - id: yi-wang-tong-ban
    term: 一网通办
    status: reviewed
    senses:
      - {definition: 郯城县的一网通办。, scope: 山东省临沂市郯城县}
      - {definition: 湖北省的一网通办。, scope: 湖北省}
  - id: lin-chang-zhi-shandong
    term: 林长制
    status: reviewed
    senses:
      - {definition: 山东省的林长制。, scope: 山东省}
  - id: lin-chang-zhi-hubei
    term: 林长制
    status: reviewed
    senses:
      - {definition: 湖北省的林长制。, scope: 湖北省}
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # pytest shows failures; access lines are noise
        pass


class HostSite:
    """Static pages of a site that embeds the widget, on a port of their own."""

    def __init__(self, root: Path):
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._count = 0
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def page(self, origin: str, body: str, head: str = "", **options: str) -> str:
        """Publish a page embedding the widget from ``origin``; returns its URL.

        ``options`` become data attributes: ``first_only="off"`` -> ``data-first-only="off"``.
        """
        attrs = "".join(
            f' data-{name.replace("_", "-")}="{html.escape(value)}"'
            for name, value in options.items()
        )
        self._count += 1
        name = f"page{self._count}.html"
        (self.root / name).write_text(
            f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{head}</head>'
            f"<body>{body}"
            f'<script src="{origin}/widget.js" defer{attrs}></script></body></html>',
            encoding="utf-8",
        )
        return f"{self.base}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def host_site(tmp_path_factory):
    site = HostSite(tmp_path_factory.mktemp("host-site"))
    yield site
    site.close()


@pytest.fixture(scope="session")
def hostile_api(serve, tmp_path_factory) -> str:
    """A glossary whose definition is an XSS attempt."""
    hostile = SAMPLE.replace(
        "definition: 决策共谋、发展共建、建设共管、效果共评、成果共享。",
        "definition: '" + HOSTILE.replace("'", "''") + "'",  # YAML single-quoted
    )
    assert HOSTILE in store.parse(hostile).term("wu-gong-li-nian").definition
    path = tmp_path_factory.mktemp("hostile") / "terms.yaml"
    path.write_text(hostile, encoding="utf-8")
    return serve(path)


@pytest.fixture(scope="session")
def places_api(serve, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("places") / "terms.yaml"
    path.write_text(PLACES_GLOSSARY, encoding="utf-8")
    return serve(path)


@pytest.fixture(scope="module")
def logged_server(tmp_path_factory):
    """The shipped glossary's server, with its access log to count requests by."""
    work = tmp_path_factory.mktemp("logged-server")
    log = work / "gunicorn.log"
    with gunicorn(SHIPPED_GLOSSARY, work / "index", log) as base:
        yield base, log


def paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def seed_lines() -> list[str]:
    return JIANGAN.read_text(encoding="utf-8").split("\n")


def annotate(api: str, text: str, locality: str | None = None) -> dict:
    body = json.dumps({"text": text, "locality": locality}).encode()
    request = urllib.request.Request(
        f"{api}/api/v1/annotate", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def explained(api: str, text: str, locality: str | None = None) -> list[dict]:
    """The API's spans of terms that have a definition: what the widget marks by default."""
    answer = annotate(api, text, locality)
    return [s for s in answer["spans"] if answer["terms"][s["id"]]["definition"]]


def open_page(page: Page, url: str) -> int:
    """Load ``url`` and wait for the widget's first scan; returns how many marks it made."""
    page.goto(url)
    return page.evaluate("Glossary.ready")


def page_text(page: Page) -> str:
    """The text the widget scanned, as one string: paragraphs joined by line breaks."""
    return page.evaluate("[...document.querySelectorAll('p')].map(p => p.textContent).join('\\n')")


def marks(page: Page) -> list[tuple[str, str]]:
    return [tuple(m) for m in page.evaluate(MARKS_JS)]


def term(page: Page, written: str) -> Locator:
    """The mark of ``written`` (the tooltip's headword would match get_by_text too)."""
    return page.locator("glossary-term").filter(has_text=re.compile(f"^{re.escape(written)}$"))


def tooltip(page: Page) -> dict:
    expect(page.locator(TIP)).to_be_visible()
    return page.evaluate(TOOLTIP_JS)


def focused(page: Page) -> list[str]:
    """[tag, text] of the focused element: ``glossary-tooltip`` when focus is inside it."""
    return page.evaluate(FOCUSED_JS)


def open_by_keyboard(page: Page, mark: Locator) -> dict:
    mark.focus()
    page.keyboard.press("Enter")
    return tooltip(page)


def access_log(log: Path, path: str, count: int) -> list[str]:
    """The first ``count`` access-log lines of ``path``: "GET 200", "OPTIONS 200"…, once
    the server has written them (it logs after answering)."""
    deadline = time.monotonic() + 10
    while True:
        found = re.findall(rf'"(\w+) {re.escape(path)}\S* HTTP/[\d.]+" (\d+)', log.read_text())
        if len(found) >= count or time.monotonic() > deadline:
            return [f"{method} {status}" for method, status in found]
        time.sleep(0.05)


# Finding and counting terms on the 江岸 seed report


def test_the_host_page_is_on_another_origin(page, server, host_site):
    assert host_site.base.split(":")[-1] != server.split(":")[-1]


def test_first_only_marks_each_term_the_api_explains_once(page, server, host_site):
    count = open_page(page, host_site.page(server, paragraphs(seed_lines())))
    spans = explained(server, page_text(page))
    first = {}
    for span in spans:
        first.setdefault(span["id"], span["matched_text"])
    print(f"\n江岸: {count} marks, {len(first)} distinct terms, {len(spans)} spans")
    assert count == len(first) == len(marks(page))
    assert marks(page) == list(first.items())


def test_every_occurrence_is_marked_with_first_only_off(page, server, host_site):
    count = open_page(page, host_site.page(server, paragraphs(seed_lines()), first_only="off"))
    spans = explained(server, page_text(page))
    assert count == len(spans) == len(marks(page))
    assert marks(page) == [(s["id"], s["matched_text"]) for s in spans]


def test_data_pending_marks_every_term_the_api_finds(page, server, host_site):
    url = host_site.page(server, paragraphs(seed_lines()), first_only="off", pending="")
    count = open_page(page, url)
    spans = annotate(server, page_text(page))["spans"]
    assert count == len(spans) == len(marks(page))
    assert marks(page) == [(s["id"], s["matched_text"]) for s in spans]


# Only what it can explain


def test_no_mark_on_the_jiangan_report_opens_a_pending_definition(page, server, host_site):
    open_page(page, host_site.page(server, paragraphs(seed_lines()), locality="江岸区"))
    shown = page.evaluate(EVERY_TOOLTIP_JS)
    assert len(shown) >= 25
    assert [written for written, definition, _ in shown if definition == "释义待补"] == []
    assert all(where.startswith("据") for _, _, where in shown)
    assert "五大主导产业" in page_text(page)  # a 郯城 term with no definition: not marked
    assert "五大主导产业" not in [written for written, _, _ in shown]


def test_terms_without_a_definition_are_marked_only_with_data_pending(page, server, host_site):
    body = "<p>学习贯彻两会精神，发展五大主导产业，坚持三个区分开来。</p>"
    assert open_page(page, host_site.page(server, body)) == 1
    assert marks(page) == [("san-ge-qu-fen-kai-lai", "三个区分开来")]
    assert open_page(page, host_site.page(server, body, pending="")) == 3
    assert [written for _, written in marks(page)] == ["两会", "五大主导产业", "三个区分开来"]
    term(page, "五大主导产业").click()
    shown = tooltip(page)
    assert (shown["definition"], shown["scope"]) == ("释义待补", "见于山东省临沂市郯城县")


def test_traditional_full_width_and_quoted_spellings_are_marked_like_the_api(
    page, server, host_site
):
    lines = [
        "堅持「三個區分開來」，錨定“５３１”產業體系，落實「雙減」。",
        "“１＋３＋Ｎ”招商工作机制 与 1+3+Nx 不同；违章建筑531处不是代码。",
        "三个区分\n开来 跨行仍是一个术语。",
    ]
    open_page(page, host_site.page(server, paragraphs(lines), first_only="off"))
    spans = annotate(server, page_text(page))["spans"]
    assert marks(page) == [(s["id"], s["matched_text"]) for s in spans]
    assert ("531-chan-ye-ti-xi", "“５３１”產業體系") in marks(page)


def test_nothing_is_marked_inside_links_code_or_ignored_elements(page, server, host_site):
    term = "三个区分开来"
    barred = [
        f'<a href="#">{term}</a>', f"<code>{term}</code>", f"<pre>{term}</pre>",
        f"<p data-glossary-ignore>坚持<b>{term}</b></p>", f"<button>{term}</button>",
        f"<kbd>{term}</kbd>", f"<samp>{term}</samp>", f"<textarea>{term}</textarea>",
        f"<div contenteditable>{term}</div>", f"<h2>{term}</h2>",
        f"<noscript>{term}</noscript>", f"<select><option>{term}</option></select>",
    ]  # fmt: skip
    body = "".join(barred) + f"<p>坚持{term}。</p>"
    assert open_page(page, host_site.page(server, body, first_only="off")) == 1
    assert page.evaluate("document.querySelector('glossary-term').parentElement.tagName") == "P"


def test_headings_are_marked_when_asked(page, server, host_site):
    body = "<h2>三个区分开来</h2><p>三个区分开来</p>"
    assert open_page(page, host_site.page(server, body, first_only="off", headings="")) == 2


def test_only_the_root_area_is_scanned(page, server, host_site):
    body = "<nav>落实双减</nav><article><p>落实双减</p></article>"
    open_page(page, host_site.page(server, body, root="article", first_only="off"))
    assert page.locator("article glossary-term").count() == 1
    assert page.locator("nav glossary-term").count() == 0


def test_a_root_area_added_later_is_marked_and_watched(page, server, host_site):
    body = "<nav>落实双减</nav><div id=app></div>"
    open_page(page, host_site.page(server, body, root="article", first_only="off"))
    page.evaluate("""() => {
        const article = document.createElement('article');
        article.innerHTML = '<p>坚持三个区分开来。</p>';
        document.getElementById('app').append(article);
        document.querySelector('nav').append('，双减');
    }""")
    expect(page.locator("article glossary-term")).to_have_count(1)
    page.evaluate("document.querySelector('article').append('落实双减。')")
    expect(page.locator("article glossary-term")).to_have_count(2)
    page.wait_for_timeout(300)
    assert page.locator("nav glossary-term").count() == 0


# The tooltip


def test_hover_shows_pinyin_and_definition_as_the_api_gives_them(page, server, host_site):
    open_page(page, host_site.page(server, "<p>坚持“三个区分开来”，落实双减。</p>"))
    payload = annotate(server, page_text(page))["terms"]
    for term_id, written in (("san-ge-qu-fen-kai-lai", "三个区分开来"), ("shuang-jian", "双减")):
        page.mouse.move(0, 0)
        expect(page.locator(TIP)).to_be_hidden()
        term(page, written).hover()
        shown = tooltip(page)
        assert shown["term"] == payload[term_id]["term"]
        assert shown["pinyin"] == payload[term_id]["pinyin"]
        assert shown["definition"] == short(payload[term_id]["definition"])
        assert shown["more"] == f"{server}/terms/{term_id}"


def test_the_pointer_can_travel_into_the_tooltip_without_closing_it(page, server, host_site):
    open_page(page, host_site.page(server, "<p style='margin-top:200px'>坚持三个区分开来。</p>"))
    term(page, "三个区分开来").hover()
    expect(page.locator(TIP)).to_be_visible()
    box = page.locator(TIP).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(600)
    expect(page.locator(TIP)).to_be_visible()
    page.mouse.move(5, 890)
    expect(page.locator(TIP)).to_be_hidden()


def test_candidate_terms_say_their_definition_is_pending(page, server, host_site):
    body = "<p>坚持和发展新时代“枫桥经验”，践行“八八战略”。</p>"
    open_page(page, host_site.page(server, body, pending="on"))
    term(page, "八八战略").hover()
    assert tooltip(page)["definition"] == "释义待补"


# Keyboard: a disclosure button, and a way past the marks


def test_enter_opens_tab_reaches_the_link_and_escape_returns_to_the_term(page, server, host_site):
    body = "<p>坚持三个区分开来，落实双减。<input id='next'></p>"
    open_page(page, host_site.page(server, body))
    expected = annotate(server, "三个区分开来")["terms"]["san-ge-qu-fen-kai-lai"]
    page.keyboard.press("Tab")
    mark = page.locator("glossary-term:focus")
    expect(mark).to_have_text("三个区分开来")
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.wait_for_timeout(200)
    expect(page.locator(TIP)).to_be_hidden()  # focus alone opens nothing
    page.keyboard.press("Enter")
    shown = tooltip(page)
    assert (shown["pinyin"], shown["definition"]) == (
        expected["pinyin"], short(expected["definition"])
    )  # fmt: skip
    expect(mark).to_have_attribute("aria-expanded", "true")
    expect(mark).to_have_attribute("aria-controls", "glossary-tooltip")
    page.keyboard.press("Tab")  # into the tooltip, not on to the next term
    assert focused(page) == ["glossary-tooltip", "详细释义 →"]
    expect(page.locator(TIP)).to_be_visible()
    page.keyboard.press("Shift+Tab")  # back to its term, still open
    assert focused(page) == ["glossary-term", "三个区分开来"]
    expect(page.locator(TIP)).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")  # from the link: closed, and focus back on the term
    expect(page.locator(TIP)).to_be_hidden()
    assert focused(page) == ["glossary-term", "三个区分开来"]
    expect(mark).to_have_attribute("aria-expanded", "false")
    page.keyboard.press(" ")  # Space opens it too
    expect(page.locator(TIP)).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # out of the tooltip: the next term, and the tooltip closes
    assert focused(page) == ["glossary-term", "双减"]
    expect(page.locator(TIP)).to_be_hidden()
    page.keyboard.press("Enter")
    expect(page.locator(TIP)).to_be_visible()
    page.keyboard.press("Enter")  # a toggle: Enter again closes it
    expect(page.locator(TIP)).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.locator("#next")).to_be_focused()


def test_a_skip_link_before_the_first_mark_moves_focus_past_the_last(page, server, host_site):
    terms = "三个区分开来，落实双减，践行“五共”理念，锚定“531”产业体系，推进“1+3+N”招商工作机制"
    links = ("<a href='#' id='before'>前</a>", "<a href='#' id='after'>后</a>")
    body = f"{links[0]}<p>{terms}。</p><p>{terms}。</p>{links[1]}"
    assert open_page(page, host_site.page(server, body, first_only="off")) == 10
    page.keyboard.press("Tab")
    expect(page.locator("#before")).to_be_focused()
    page.keyboard.press("Tab")
    skip = page.locator("glossary-skip:focus")
    expect(skip).to_have_text("跳过 10 处术语标注")
    assert skip.evaluate("s => s.nextElementSibling.textContent") == "三个区分开来"
    assert skip.bounding_box()["width"] > 50  # shown while focused
    page.keyboard.press("Enter")
    assert focused(page) == ["glossary-skip", "术语标注结束"]
    page.keyboard.press("Tab")
    expect(page.locator("#after")).to_be_focused()
    assert page.locator("glossary-skip").count() == 1  # the stop past the marks is gone
    page.keyboard.press("Shift+Tab")
    assert focused(page)[1] == "“1+3+N”招商工作机制"
    assert page.locator("glossary-skip").bounding_box()["width"] <= 1  # hidden unfocused


def test_a_few_marks_need_no_skip_link(page, server, host_site):
    open_page(page, host_site.page(server, "<p>坚持三个区分开来，落实双减。</p>"))
    assert page.locator("glossary-skip").count() == 0


def test_data_api_points_the_widget_at_another_glossary(page, server, hostile_api, host_site):
    url = host_site.page(server, "<p>践行“五共”理念。</p>", api=hostile_api)
    assert page.goto(url) and page.evaluate("Glossary.ready") == 1
    assert open_by_keyboard(page, term(page, "“五共”理念"))["definition"] == HOSTILE
    assert tooltip(page)["more"] == f"{hostile_api}/terms/wu-gong-li-nian"


def test_tab_reaches_every_mark_in_reading_order(page, server, host_site):
    body = "<p>坚持三个区分开来，<a href='#'>一个链接</a>落实双减，推进“五共”理念。</p>"
    open_page(page, host_site.page(server, body))
    reached = []
    for _ in range(4):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent"))
    assert reached == ["三个区分开来", "一个链接", "双减", "“五共”理念"]
    assert page.evaluate("[...document.querySelectorAll('glossary-term')].map(m => m.role)") == [
        "button", "button", "button"
    ]  # fmt: skip


def test_tap_opens_and_a_tap_elsewhere_closes(browser, server, host_site):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, host_site.page(server, "<p>坚持三个区分开来。</p><p>别处</p>"))
        term(page, "三个区分开来").tap()
        assert tooltip(page)["term"] == "三个区分开来"
        page.get_by_text("别处").tap()
        expect(page.locator(TIP)).to_be_hidden()
    finally:
        context.close()


def test_tooltip_flips_below_at_the_top_and_shifts_in_at_the_edges(browser, server, host_site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        body = (
            "<p style='margin:0'>三个区分开来</p>"
            "<p style='margin-top:400px;text-align:right'>落实双减</p>"
        )
        open_page(page, host_site.page(server, body, first_only="off"))
        for written in ("三个区分开来", "双减"):
            target = term(page, written)
            open_by_keyboard(page, target)
            tip, mark = page.locator(TIP).bounding_box(), target.bounding_box()
            assert tip["x"] >= 0 and tip["x"] + tip["width"] <= PHONE["width"]
            assert tip["y"] >= 0 and tip["y"] + tip["height"] <= PHONE["height"]
            below = tip["y"] >= mark["y"] + mark["height"]
            above = tip["y"] + tip["height"] <= mark["y"]
            assert below if written == "三个区分开来" else above
    finally:
        context.close()


def test_scrolling_the_term_away_closes_the_tooltip(page, server, host_site):
    body = "<p style='margin-top:300px'>坚持三个区分开来。</p><div style='height:3000px'></div>"
    open_page(page, host_site.page(server, body))
    open_by_keyboard(page, term(page, "三个区分开来"))
    page.mouse.wheel(0, 1500)
    expect(page.locator(TIP)).to_be_hidden()


def test_locality_prefers_the_sense_of_that_place(page, server, host_site):
    url = host_site.page(server, "<p>培育瞪羚企业。</p>", locality="郯城县")
    open_page(page, url)
    term(page, "瞪羚企业").hover()
    shown = tooltip(page)
    expected = annotate(server, "培育瞪羚企业。", "郯城县")["terms"]["deng-ling-qi-ye"]
    assert shown["definition"] == short(expected["definition"])
    assert shown["definition"].startswith("创业后跨过死亡谷,")
    assert shown["scope"] == "据山东省临沂市郯城县"


# Whose definition, and the page's place


def test_the_tooltip_says_whose_definition_it_shows(page, places_api, host_site):
    open_page(page, host_site.page(places_api, "<p>推行河湖长制。</p>"))
    shown = open_by_keyboard(page, term(page, "河湖长制"))
    assert (shown["definition"], shown["scope"]) == ("郯城县的说法。", "据山东省临沂市郯城县")


PLACES_BODY = "<p>推行河湖长制，推进一网通办，落实林长制。</p>"


def explanations(page: Page) -> dict[str, tuple[str, str]]:
    return {written: (d, where) for written, d, where in page.evaluate(EVERY_TOOLTIP_JS)}


def test_a_meta_tag_declares_the_place_and_its_province_is_the_fallback(
    page, places_api, host_site
):
    meta = '<meta name="glossary-locality" content="湖北省武汉市江岸区">'
    open_page(page, host_site.page(places_api, PLACES_BODY, head=meta))
    assert explanations(page) == {
        "河湖长制": ("江岸区的说法。", "据湖北省武汉市江岸区"),
        "一网通办": ("湖北省的一网通办。", "据湖北省"),  # no sense of 江岸区: its province's
        "林长制": ("湖北省的林长制。", "据湖北省"),  # of two terms, the one of its province
    }
    assert marks(page)[2] == ("lin-chang-zhi-hubei", "林长制")


def test_a_short_place_name_and_a_county_with_no_senses_of_its_own(page, places_api, host_site):
    open_page(page, host_site.page(places_api, PLACES_BODY, locality="江岸区"))
    assert explanations(page)["河湖长制"] == ("江岸区的说法。", "据湖北省武汉市江岸区")
    assert explanations(page)["一网通办"] == ("湖北省的一网通办。", "据湖北省")
    open_page(page, host_site.page(places_api, PLACES_BODY, locality="湖北省武汉市黄陂区"))
    assert explanations(page)["河湖长制"] == ("湖北省的说法。", "据湖北省")
    meta = '<meta name="glossary-locality" content="湖北省武汉市江岸区">'
    open_page(page, host_site.page(places_api, PLACES_BODY, head=meta, locality="郯城县"))
    assert explanations(page)["河湖长制"] == ("郯城县的说法。", "据山东省临沂市郯城县")
    assert explanations(page)["林长制"] == ("山东省的林长制。", "据山东省")


def test_dark_theme_and_reduced_motion_are_honoured(page, server, host_site):
    page.emulate_media(color_scheme="dark", reduced_motion="reduce")
    open_page(page, host_site.page(server, "<p>坚持三个区分开来。</p>"))
    open_by_keyboard(page, term(page, "三个区分开来"))
    style = page.locator(TIP).evaluate(
        "t => [getComputedStyle(t).backgroundColor, getComputedStyle(t).animationName]"
    )
    assert style == ["rgb(31, 35, 40)", "none"]
    open_page(page, host_site.page(server, "<p>坚持三个区分开来。</p>", theme="light"))
    open_by_keyboard(page, term(page, "三个区分开来"))
    background = page.locator(TIP).evaluate("t => getComputedStyle(t).backgroundColor")
    assert background == "rgb(255, 255, 255)"


# Isolation and safety


def test_aggressive_host_css_does_not_break_the_tooltip(page, server, host_site, screenshot_dir):
    css = (
        "<style>* { all: unset } div { display: none !important }"
        " glossary-tooltip { opacity: 0 } p { display: block; margin: 40px }</style>"
    )
    open_page(page, host_site.page(server, "<p>坚持三个区分开来。</p>", head=css))
    term(page, "三个区分开来").hover()
    shown = tooltip(page)
    assert shown["pinyin"] == "sān gè qū fēn kāi lái"
    box = page.locator(TIP).bounding_box()
    assert box["width"] > 100 and box["height"] > 40
    style = page.locator(TIP).evaluate(
        "t => [getComputedStyle(t).backgroundColor, getComputedStyle(t).position]"
    )
    assert style == ["rgb(255, 255, 255)", "fixed"]
    page.screenshot(path=screenshot_dir / "widget-hostile-css.png")


def test_a_hostile_definition_stays_inert_text(page, hostile_api, host_site):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_page(page, host_site.page(hostile_api, "<p>践行“五共”理念。</p>"))
    term(page, "“五共”理念").hover()
    shown = tooltip(page)
    page.wait_for_timeout(300)
    assert shown["definition"] == HOSTILE
    assert shown["imgs"] == 0
    assert dialogs == [] and page.title() != "pwned"
    assert page.locator("img").count() == 0


# Dynamic pages and the public API


def test_text_added_later_is_marked_once(page, server, host_site):
    open_page(page, host_site.page(server, "<main><p>坚持三个区分开来。</p></main>"))
    page.evaluate("""() => {
        const p = document.createElement('p');
        p.textContent = '落实双减，坚持三个区分开来。';
        document.querySelector('main').append(p);
    }""")
    expect(page.locator("glossary-term")).to_have_count(2)
    page.wait_for_timeout(500)  # a widget reacting to its own marks would keep adding
    assert marks(page) == [
        ("san-ge-qu-fen-kai-lai", "三个区分开来"), ("shuang-jian", "双减")
    ]  # fmt: skip
    assert page.locator("glossary-term glossary-term").count() == 0


def test_infinite_scroll_batches_are_marked_every_time(page, server, host_site):
    open_page(page, host_site.page(server, "<main></main>", first_only="off"))
    for batch in range(3):
        page.evaluate("""(batch) => {
            for (let i = 0; i < 20; i++) {
                const p = document.createElement('p');
                p.textContent = `第${batch}-${i}段：落实双减。`;
                document.querySelector('main').append(p);
            }
        }""", batch)  # fmt: skip
        expect(page.locator("glossary-term")).to_have_count(20 * (batch + 1))
    page.evaluate("document.querySelector('main p').firstChild.data = '改成：推进“五共”理念'")
    expect(term(page, "“五共”理念")).to_have_count(1)


def test_scan_clear_and_the_open_event(page, server, host_site):
    body = "<p id='a'>坚持三个区分开来。</p>"
    open_page(page, host_site.page(server, body, first_only="off"))
    page.evaluate("Glossary.clear()")
    assert page.locator("glossary-term").count() == 0
    assert page.evaluate("document.getElementById('a').childNodes.length") == 1
    assert page.evaluate("Glossary.scan(document.getElementById('a'))") == 1
    page.evaluate("""() => {
        window.opened = [];
        document.addEventListener('glossary:open', (e) => {
            opened.push(e.detail);
            if (window.veto) e.preventDefault();
        });
    }""")
    open_by_keyboard(page, term(page, "三个区分开来"))
    assert page.evaluate("opened") == [{"id": "san-ge-qu-fen-kai-lai", "term": "三个区分开来"}]
    page.keyboard.press("Escape")
    page.evaluate("window.veto = true")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    expect(page.locator(TIP)).to_be_hidden()


# Loading


def test_glossary_is_revalidated_on_every_page_with_no_preflight(page, logged_server, host_site):
    api, log = logged_server
    url = host_site.page(api, "<p>坚持三个区分开来。</p>")
    open_page(page, url)
    assert open_page(page, url) == 1
    # Counted by the server: a preflight never reaches the page's own request events.
    assert access_log(log, "/api/v1/glossary.json", 2) == ["GET 200", "GET 304"]
    assert "OPTIONS" not in log.read_text()


def test_a_glossary_too_large_for_the_page_falls_back_to_annotate(page, server, host_site):
    posted = []
    page.on("request", lambda r: "/annotate" in r.url and posted.append(r.method))
    lines = seed_lines()
    count = open_page(page, host_site.page(server, paragraphs(lines), max_kb="1"))
    spans = explained(server, page_text(page))
    assert posted and set(posted) == {"POST"}
    assert count == len({s["id"] for s in spans})
    term(page, "三个区分开来").first.hover()
    payload = annotate(server, "三个区分开来")["terms"]["san-ge-qu-fen-kai-lai"]
    assert tooltip(page)["pinyin"] == payload["pinyin"]


def test_demo_page_explains_the_seed_report(page, server):
    count = open_page(page, f"{server}/widget/demo")
    assert count >= 25
    shown = page.evaluate(EVERY_TOOLTIP_JS)
    assert [written for written, definition, _ in shown if definition == "释义待补"] == []
    assert page.locator("section.how glossary-term").count() == 0
    snippet = page.locator("#snippet").text_content()
    assert re.fullmatch(
        r'<script src="http://127\.0\.0\.1:\d+/widget\.js" defer></script>', snippet
    )
