"""The browser glossary in real Chromium against a real gunicorn on 127.0.0.1.

Screenshots (home, a term page, search results; desktop and a 390 px phone) go to
``GLOSSARY_SCREENSHOT_DIR``, default ``<tmp>/glossary-screenshots``.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
TERM = "san-ge-qu-fen-kai-lai"
PENDING = "1310-gong-zuo-ti-xi"
HOSTILE_DEFINITION = "<img src=x onerror=alert(1)> 与 <script>alert(2)</script> 都是文字"

# A valid glossary whose text tries every way into the page's markup.
HOSTILE = """\
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
    status: reviewed
    senses:
      - definition: "<img src=x onerror=alert(1)> 与 <script>alert(2)</script> 都是文字"
        scope: 测试省<b>测试市</b>
        parts: ["<img src=x onerror=alert(3)>", "</li></ol><script>alert(6)</script>"]
        sources:
          - doc: hostile-report
            kind: glossary
            quote: "恶意测试:<img src=x onerror=alert(1)><script>alert(4)</script>"
    related: [ce-shi-dai-bu]
  - id: ce-shi-dai-bu
    term: 测试待补
    status: candidate
    senses:
      - scope: 测试省<b>测试市</b>
        sources:
          - doc: hostile-report
            kind: usage
            quote: "推进“测试待补”</blockquote><script>alert(7)</script>"
"""


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def no_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def audited(browser: Browser) -> Iterator:
    """Pages that let axe-core in: the site's Content-Security-Policy forbids injected scripts."""
    contexts = []

    def open_page(device: str) -> Page:
        viewport = DESKTOP if device == "desktop" else PHONE
        context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def hostile(serve, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("hostile") / "terms.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return serve(path)


def api_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def suggestions(page: Page, answering: str | None = None):
    """The options of the home search box; with ``answering``, only once they answer it."""
    if answering is None:
        return page.locator("#q-suggestions [role=option]")
    return page.locator(f'#q-suggestions[data-query="{answering}"] [role=option]')


# --- search as you type ---------------------------------------------------------------------


def test_typing_initials_suggests_the_term_and_enter_opens_it(page, server):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    box.press_sequentially("sgqfkl", delay=30)
    expect(suggestions(page, "sgqfkl").first).to_contain_text("三个区分开来")
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Enter")  # the initials are the whole of the first suggestion: it opens
    page.wait_for_url(f"**/terms/{TERM}")
    expect(page.locator("h1")).to_contain_text("三个区分开来")


@pytest.mark.parametrize("typed", ["sān gè qū fēn kāi lái", "sangequfenkailai", "“三个区分开来”"])
def test_enter_opens_a_suggestion_typed_in_full_in_any_spelling(page, server, typed):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    box.fill(typed)
    expect(suggestions(page, typed).first).to_contain_text("三个区分开来")
    box.press("Enter")
    page.wait_for_url(f"**/terms/{TERM}")


def test_arrow_down_and_enter_open_the_chosen_suggestion(page, server):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    # sgqf is also “三个全覆盖”: one more letter makes 三个区分开来 the first suggestion.
    box.press_sequentially("sgqfk", delay=30)
    expect(suggestions(page, "sgqfk").first).to_contain_text("三个区分开来")
    box.press("ArrowDown")
    expect(suggestions(page).first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(f"**/terms/{TERM}")


def test_suggestions_follow_arrows_and_escape_closes_them(page, server):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    box.press_sequentially("san", delay=30)
    expect(suggestions(page, "san").nth(1)).to_be_attached()
    box.press("ArrowDown")
    box.press("ArrowDown")
    second = suggestions(page).nth(1)
    expect(second).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    box.press("ArrowUp")
    expect(suggestions(page).first).to_have_attribute("aria-selected", "true")
    box.press("Escape")
    expect(page.locator("#q-suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("san")


def test_suggestions_put_the_best_fit_and_reviewed_terms_first(page, server):
    page.goto(server + "/")
    page.get_by_role("combobox", name="搜索术语").press_sequentially("san", delay=30)
    options = suggestions(page, "san")
    expect(options.first).to_be_visible()
    offered = options.locator(".suggestion-term").all_text_contents()
    assert "三个区分开来" in offered[:3]
    body = api_json(server + "/api/v1/suggest?q=san&limit=8")
    assert offered == [s["term"] for s in body["suggestions"]]
    statuses = [api_json(f"{server}/api/v1/terms/{s['id']}")["status"] for s in body["suggestions"]]
    assert statuses == sorted(statuses, key=["reviewed", "candidate"].index), statuses
    assert statuses[0] == "reviewed"


def test_words_of_definitions_offer_the_search_in_definitions(page, server):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    box.press_sequentially("决策", delay=30)
    options = suggestions(page, "决策")
    expect(options.first).to_contain_text("决策")  # headwords holding it, after none start so
    expect(options.last).to_have_text("在释义中搜索“决策”")
    box.press("ArrowUp")  # from the box, up is the last option
    expect(options.last).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=%E5%86%B3%E7%AD%96$"))
    expect(page.locator(".results .why").filter(has_text="释义").first).to_be_visible()


def test_a_syllable_from_inside_a_reading_is_suggested(page, server):
    page.goto(server + "/")
    page.get_by_role("combobox", name="搜索术语").press_sequentially("jue", delay=30)
    expect(suggestions(page, "jue").first).to_contain_text("“三重一大”集体决策制度")


def test_enter_on_a_partial_word_searches(page, server):
    page.goto(server + "/")
    box = page.get_by_role("combobox", name="搜索术语")
    box.press_sequentially("sgqf", delay=30)
    expect(suggestions(page, "sgqf").first).to_be_visible()
    box.press("Enter")  # sgqf is only the start of a suggestion: all results
    page.wait_for_url("**/search?q=sgqf")
    expect(page.locator(".results .term-link").first).to_have_text("三个区分开来")


def test_search_works_with_javascript_disabled(no_js, server):
    no_js.goto(server + "/")
    box = no_js.get_by_label("搜索术语")
    box.fill("sgqfkl")
    box.press("Enter")
    no_js.wait_for_url("**/search?q=sgqfkl")
    first = no_js.locator(".results .result").first
    expect(first.locator(".term-link")).to_have_text("三个区分开来")
    expect(first.locator(".why")).to_contain_text("拼音首字母")
    expect(no_js.locator("#q-suggestions")).to_have_count(0)


def test_search_results_say_why_and_mark_the_definition_words(page, server):
    page.goto(server + "/search?q=决策共谋")
    first = page.locator(".results .result").first
    expect(first.locator(".why")).to_contain_text("释义")
    expect(first.locator(".gloss mark")).to_have_text("决策共谋")


def test_search_filters_are_links(page, server):
    page.goto(server + "/search?q=体系")
    page.locator(".filters").get_by_role("link", name=re.compile("待审核")).click()
    page.wait_for_url(re.compile(r"status=candidate"))
    badges = page.locator(".results .badge")
    expect(badges.first).to_have_text("待审核")
    assert set(badges.all_text_contents()) == {"待审核"}


def test_a_misspelt_reading_gets_did_you_mean(page, server):
    page.goto(server + "/search?q=sangequfenkailia")
    state = page.locator(".empty-state")
    expect(state).to_contain_text("没有找到“sangequfenkailia”的词条")
    expect(state).to_contain_text("您是不是要找")
    expect(state.get_by_role("link", name="三个区分开来")).to_be_visible()


def test_a_typo_shows_no_filter_counts_for_results_it_does_not_list(page, server):
    page.goto(server + "/search?q=sanqequfenkailai")
    state = page.locator(".empty-state")
    expect(state.get_by_role("link", name="三个区分开来")).to_be_visible()
    expect(page.locator(".filters")).to_have_count(0)
    expect(page.locator(".results")).to_have_count(0)


def test_filter_counts_add_up_to_the_results_listed(page, server):
    page.goto(server + "/search?q=体系")
    listed = page.locator(".results .result").count()
    status_counts = page.locator(".filter-group").first.locator(".count-inline")
    assert sum(int(c) for c in status_counts.all_text_contents()) == listed


# --- the A–Z index ---------------------------------------------------------------------------


def test_a_to_z_leads_from_home_to_a_letter_to_a_term(page, server):
    page.goto(server + "/")
    letters = api_json(server + "/api/v1/stats")["letters"]
    index = page.get_by_role("navigation", name="拼音索引")
    expect(index.get_by_role("link")).to_have_count(len(letters))
    index.get_by_role("link", name=re.compile(r"^S")).click()
    page.wait_for_url("**/index/S")
    expect(page.locator("h1")).to_contain_text("拼音 S")
    current = page.get_by_role("navigation", name="拼音索引").locator("[aria-current=page]")
    expect(current).to_have_text(re.compile(r"^S"))
    page.get_by_role("link", name="三个区分开来", exact=True).click()
    page.wait_for_url(f"**/terms/{TERM}")


def test_letter_page_lists_terms_in_pinyin_order(page, server):
    page.goto(server + "/index/S")
    readings = page.locator(".terms .py").all_text_contents()
    listed, number, pages = [], 1, 1
    while number <= pages:  # the API pages; the letter page lists the whole letter
        body = api_json(server + f"/api/v1/terms?letter=S&per_page=200&page={number}")
        listed, number, pages = listed + body["terms"], number + 1, body["pages"]
    assert readings == [t["pinyin"] for t in listed]


def test_digit_led_terms_have_their_own_bucket(page, server):
    page.goto(server + "/")
    page.get_by_role("link", name=re.compile(r"^0-9")).click()
    page.wait_for_url("**/index/0-9")
    expect(page.get_by_role("link", name="“531”产业体系")).to_be_visible()


# --- term pages ------------------------------------------------------------------------------


def test_ruby_pinyin_over_the_headword_equals_the_api_reading(page, server):
    page.goto(f"{server}/terms/{TERM}")
    api = api_json(f"{server}/api/v1/terms/{TERM}")
    ruby = page.locator("h1 rt").all_text_contents()
    assert " ".join(ruby) == api["pinyin"]["marks"]
    bases = page.locator("h1 ruby").evaluate_all(
        "rs => rs.map(r => r.firstChild.textContent).join('')"
    )
    assert bases == api["term"]
    expect(page.locator(".reading .py")).to_have_text(api["pinyin"]["marks"])


def test_ruby_reads_digits_aloud_and_keeps_quotes_unannotated(page, server):
    term_id = "531-chan-ye-ti-xi"
    page.goto(f"{server}/terms/{term_id}")
    api = api_json(f"{server}/api/v1/terms/{term_id}")
    ruby = page.locator("h1 rt").all_text_contents()
    assert ruby[:3] == ["wǔ", "sān", "yī"]
    expect(page.locator("h1 .ruby")).to_have_text(re.compile("^“5.*3.*1.*”产.*业.*体.*系"))
    # One reading on every face: the ruby, the reading line, the API.
    assert " ".join(ruby) == api["pinyin"]["marks"] == "wǔ sān yī chǎn yè tǐ xì"
    expect(page.locator(".reading .py")).to_have_text(api["pinyin"]["marks"])
    assert api["pinyin"]["toneless"] == "wusanyichanyetixi"
    assert api["pinyin"]["initials"] == "wsycytx"


def test_a_coined_number_reads_alike_in_lists_search_and_the_widget(page, server):
    term_id, marks = "531-chan-ye-ti-xi", "wǔ sān yī chǎn yè tǐ xì"
    widget = api_json(server + "/api/v1/glossary.json")
    assert widget["terms"][term_id]["pinyin"] == marks
    for q in ("531", "wusanyi"):
        hit = api_json(f"{server}/api/v1/search?q={q}")["results"][0]
        assert (hit["id"], hit["pinyin"]) == (term_id, marks), q
    page.goto(server + "/index/0-9")
    line = page.locator(".terms li").filter(has=page.get_by_role("link", name="“531”产业体系"))
    expect(line.locator(".py")).to_have_text(marks)
    page.goto(server + "/")
    page.get_by_role("combobox", name="搜索术语").press_sequentially("wusanyi", delay=30)
    expect(suggestions(page, "wusanyi").first).to_contain_text("“531”产业体系")
    expect(suggestions(page).first.locator(".py")).to_have_text(marks)


def test_candidate_term_says_definition_pending_and_shows_usage(page, server):
    page.goto(f"{server}/terms/{PENDING}")
    api = api_json(f"{server}/api/v1/terms/{PENDING}")
    expect(page.locator(".pending-block").first).to_contain_text("definition pending")
    expect(page.locator(".badge")).to_have_text("待审核")
    quote = api["senses"][0]["sources"][0]["quote"]
    usage = page.locator(".source-usage blockquote").first
    expect(usage).to_have_text(quote)
    expect(usage.locator("mark").first).to_have_text("“1310”")


def test_term_page_shows_sources_related_terms_and_citation(page, server):
    page.goto(f"{server}/terms/qi-zhong-neng-li")
    expect(page.locator(".source").first.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^/documents/")
    )
    expect(page.locator(".parts li").first).to_be_visible()
    expect(page.get_by_role("region", name="相关术语").locator(".term-link")).to_have_count(1)
    permalink = f"{server}/terms/qi-zhong-neng-li"
    expect(page.locator(".permalink a")).to_have_attribute("href", permalink)
    expect(page.locator(".citation")).to_contain_text(permalink)


def test_term_page_previews_well_when_shared(page, server):
    page.goto(f"{server}/terms/{TERM}")
    expect(page).to_have_title(re.compile("^三个区分开来（sān gè qū fēn kāi lái）"))
    og = {
        name: page.locator(f'meta[property="og:{name}"]').get_attribute("content")
        for name in ("title", "description", "url", "type")
    }
    assert og["url"] == f"{server}/terms/{TERM}" and og["type"] == "article"
    assert "三个区分开来" in og["title"] and "区分开来" in og["description"]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "DefinedTerm" and data["name"] == "三个区分开来"


# --- hostile text --------------------------------------------------------------------------


def test_hostile_glossary_text_renders_as_text_and_runs_nothing(page, hostile):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (
        "/terms/e-yi-ce-shi",
        "/terms/ce-shi-dai-bu",
        "/search?q=文字",
        "/search?q=恶意",
        "/documents/hostile-report",
        "/index/E",
    ):
        page.goto(hostile + path)
        page.wait_for_load_state("load")
        assert page.locator("main img, main svg, main script").count() == 0, path
    page.goto(hostile + "/terms/e-yi-ce-shi")
    expect(page.locator(".definition")).to_have_text(HOSTILE_DEFINITION)
    expect(page.locator(".parts li").nth(1)).to_have_text("</li></ol><script>alert(6)</script>")
    page.goto(hostile + "/search?q=文字")
    gloss = page.locator(".results .gloss").first
    expect(gloss.locator("mark")).to_have_text("文字")
    expect(gloss).to_contain_text("<img src=x onerror=alert(1)>")
    box = page.get_by_role("combobox")
    box.fill("")
    box.press_sequentially("恶意", delay=30)
    expect(page.locator("[role=option]").first).to_contain_text("恶意测试")
    page.wait_for_timeout(300)
    assert dialogs == []


# --- keyboard only ---------------------------------------------------------------------------


def focused(page: Page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName, id: e.id, cls: e.className, href: e.getAttribute('href') || '',
                outline: s.outlineStyle, width: s.outlineWidth}; }"""
    )


def tab_until(page: Page, wanted, limit: int = 60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError("Tab never reached the element")


def test_keyboard_alone_reaches_search_a_suggestion_and_a_term_link(page, server):
    page.goto(server + "/")
    box = tab_until(page, lambda f: f["id"] == "q")
    assert box["outline"] != "none" and box["width"] != "0px"  # focus is visible
    page.keyboard.type("sgqfkl", delay=30)
    expect(suggestions(page, "sgqfkl").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(suggestions(page).first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/terms/{TERM}")
    link = tab_until(page, lambda f: "term-link" in f["cls"] or "/documents/" in f["href"])
    assert link["outline"] != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(documents|terms)/"))


def test_skip_link_is_the_first_stop_and_moves_to_main(page, server):
    page.goto(f"{server}/terms/{TERM}")
    page.keyboard.press("Tab")
    assert focused(page)["href"] == "#content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


# --- look: phones, screenshots, accessibility ------------------------------------------------

PAGES = {
    "home": "/",
    "term": f"/terms/{TERM}",
    "search": "/search?q=sgqfkl",
    "api-docs": "/api/docs",
    "error": "/no-such-address",
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_and_no_horizontal_scroll(request, server, screenshot_dir, name, device):
    page = request.getfixturevalue("page" if device == "desktop" else "phone")
    page.goto(server + PAGES[name])
    page.evaluate("document.fonts.ready")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways on {device}"
    page.screenshot(path=str(screenshot_dir / f"{name}-{device}.png"), full_page=True)


def test_print_stylesheet_drops_the_search_and_keeps_the_entry(page, server, screenshot_dir):
    page.goto(f"{server}/terms/531-chan-ye-ti-xi")
    page.emulate_media(media="print")
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.locator("h1 rt").first).to_be_visible()
    decoration = page.locator("blockquote mark").first.evaluate(
        "m => getComputedStyle(m).textDecorationLine"
    )
    assert decoration == "underline"  # backgrounds do not print
    page.screenshot(path=str(screenshot_dir / "term-print.png"), full_page=True)


def test_cjk_text_renders_with_a_cjk_font(page, server):
    page.goto(f"{server}/terms/{TERM}")
    # Glyph width: a CJK font draws 三 as wide as its em; a tofu box or fallback would not.
    width = page.evaluate(
        """() => { const c = document.createElement('canvas').getContext('2d');
        c.font = '100px ' + getComputedStyle(document.body).fontFamily;
        return c.measureText('三个区分开来').width; }"""
    )
    assert 560 <= width <= 640


def axe_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("name", [*PAGES, "letter", "pending", "document", "empty"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_axe_finds_no_serious_problems(audited, server, name, device):
    paths = PAGES | {
        "letter": "/index/S",
        "pending": f"/terms/{PENDING}",
        "document": "/documents/wuhan-jiangan-2024-gov-report",
        "empty": "/search?q=sangequfenkailia",
    }
    page = audited(device)
    page.goto(server + paths[name])
    problems = axe_violations(page)
    assert not problems, [(v["id"], v["help"], [n["target"] for n in v["nodes"]]) for v in problems]


@pytest.mark.parametrize("typed", ["san", "决策"])  # 决策: with the search in definitions
def test_axe_is_clean_with_suggestions_open(audited, server, typed):
    page = audited("desktop")
    page.goto(server + "/")
    page.get_by_role("combobox").press_sequentially(typed, delay=30)
    expect(suggestions(page, typed).first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(suggestions(page).first).to_have_attribute("aria-selected", "true")
    problems = axe_violations(page)
    assert not problems, [(v["id"], v["help"]) for v in problems]


def test_an_unknown_address_is_explained_in_chinese(page, server):
    response = page.goto(f"{server}/no-such-address")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("找不到这一页")
    expect(page.locator("main .notice")).to_have_text(re.compile("这个地址没有对应的页面"))
    assert "requested URL" not in page.locator("main").inner_text()
    assert page.locator("main [lang=en]").count() == 0


def test_a_form_sent_the_wrong_way_is_refused_in_chinese(page, server):
    page.goto(server + "/")
    with page.expect_navigation() as navigation:
        page.evaluate(
            """() => { const form = document.createElement('form');
            form.method = 'post'; form.action = '/search';
            document.body.append(form); form.submit(); }"""
        )
    assert navigation.value.status == 405
    expect(page.locator("h1")).to_contain_text("不支持这种请求")
    expect(page.locator("main .notice")).to_have_text("这个地址不接受这种请求方式。")


def test_api_docs_are_a_page_of_the_site_in_chinese(page, server):
    page.goto(server + "/api/docs")
    expect(page.locator(".site-header .brand")).to_be_visible()
    expect(page.locator(".site-footer")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("开放接口")
    expect(page.get_by_role("heading", name="接口一览")).to_be_visible()
    status = page.locator("#get--api-v1-search tr").filter(has_text="status")
    expect(status.locator(".type")).to_have_text(re.compile(r"^string\s\|\snull$"))
    expect(status).to_contain_text("可选值：candidate | reviewed | deprecated")
    text = page.locator("main").inner_text()
    assert "['string'" not in text and "deprecated, None" not in text
    # Every English sentence on the page is the document's, and marked as English.
    for english in page.locator("main .summary, main .words").all():
        assert english.get_attribute("lang") == "en"
    assert page.locator("link[rel=stylesheet]").first.get_attribute("href") == "/static/site.css"


def test_api_docs_fit_a_phone(phone, server):
    phone.goto(server + "/api/docs")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_every_page_has_an_icon_and_asks_for_nothing_missing(page, server):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for path in [*PAGES.values(), "/index/S", f"/terms/{PENDING}"]:
        page.goto(server + path)
        page.wait_for_load_state("load")
    assert missing == [f"{server}/no-such-address"]  # the error page itself, nothing else
    icon = page.locator("link[rel=icon]").get_attribute("href")
    for path in (icon, "/favicon.ico"):
        answer = page.request.get(server + path)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/")


def test_the_citation_and_quotes_draw_latin_with_the_page_font(page, server):
    page.goto(f"{server}/terms/{TERM}")
    fonts = page.evaluate(
        """() => { const family = s => getComputedStyle(document.querySelector(s)).fontFamily;
        const c = document.createElement('canvas').getContext('2d');
        const width = s => { c.font = '40px ' + family(s); return c.measureText('Hi 2024').width; };
        return {body: family('body'), citation: family('.citation'),
                quote: width('blockquote'), page: width('body')}; }"""
    )
    assert fonts["citation"] == fonts["body"]  # one font stack
    assert fonts["quote"] == fonts["page"]  # no Latin serif beside a sans CJK fallback


def test_the_brand_line_is_chinese(page, server):
    page.goto(server + "/")
    brand = page.locator(".site-header .brand")
    expect(brand).to_contain_text("政策术语表")
    assert not re.search("[A-Za-z]", brand.inner_text())
    assert page.locator(".site-header [lang=en]").count() == 0


def test_unknown_term_is_a_404_in_the_site_look(page, server):
    response = page.goto(f"{server}/terms/no-such-term")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("找不到这一页")
    expect(page.get_by_role("search")).to_be_visible()
    assert page.locator("link[rel=stylesheet]").get_attribute("href").startswith("/static/")


def test_nothing_is_loaded_from_another_host(page, server):
    hosts = set()
    page.on("request", lambda r: hosts.add(re.sub(r"^(\w+://[^/]+).*", r"\1", r.url)))
    for path in [*PAGES.values(), "/index/S", f"/terms/{PENDING}"]:
        page.goto(server + path)
    assert hosts == {server}
