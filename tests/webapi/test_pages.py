"""The browser glossary's pages, rendered in-process by Flask's test client."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser

import pytest
from flask import abort

from api import create_app
from api.highlight import excerpt, highlighted
from glossary import store
from tests.conftest import SAMPLE, SHIPPED_GLOSSARY, client_of

HOSTILE = """\
version: 1
documents:
  - id: bad-report
    title: "<script>alert('t')</script>报告"
    locality: 测试省<b>测试市</b>
terms:
  - id: e-yi
    term: 恶意
    aliases: ["</script><script>alert(9)</script>"]
    status: reviewed
    senses:
      - definition: "<img src=x onerror=alert(1)> 与 <script>alert(2)</script>"
        scope: 测试省<b>测试市</b>
        parts: ["<i>part</i>"]
        sources:
          - {doc: bad-report, kind: glossary, quote: "恶意:<img src=x onerror=alert(1)>"}
"""


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of each script."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def named(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]

    def meta(self, key: str) -> str | None:
        found = [m for m in self.named("meta") if key in (m.get("property"), m.get("name"))]
        return found[0]["content"] if found else None


@pytest.fixture
def client(sample_file, tmp_path):
    config = {"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path / "index")}
    return create_app(config).test_client()


@pytest.fixture
def hostile(tmp_path):
    return client_of(HOSTILE, tmp_path, "hostile.yaml")


def html(response) -> str:
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


# --- every page -------------------------------------------------------------------------------

PAGES = [
    "/",
    "/index/S",
    "/index/0-9",
    "/search?q=sgqfkl",
    "/search?q=决策共谋",
    "/search",
    "/terms/san-ge-qu-fen-kai-lai",
    "/terms/1310-gong-zuo-ti-xi",
    "/documents/wuhan-jiangan-2024-gov-report",
    "/localities/湖北省武汉市江岸区",
    "/api/docs",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_is_chinese_html_with_landmarks_and_local_assets(api, path):
    response = api.get(path)
    assert response.status_code == 200
    page = html(response)
    tags = Tags(page)
    assert tags.named("html") == [{"lang": "zh-CN"}]
    assert {"header", "main", "footer"} <= {tag for tag, _ in tags.tags}
    assert tags.named("meta")[1] == {
        "name": "viewport",
        "content": "width=device-width, initial-scale=1",
    }
    sources = [a.get("src") or a.get("href") for a in tags.named("script") + tags.named("link")]
    assert all(
        s is None or s.startswith("/") or "127.0.0.1" in s or "localhost" in s for s in sources
    )
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_every_input_has_a_label(api, path):
    tags = Tags(html(api.get(path)))
    labelled = {label.get("for") for label in tags.named("label")}
    assert all(i["id"] in labelled for i in tags.named("input"))


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_the_icon_and_says_the_brand_in_chinese(api, path):
    page = html(api.get(path))
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert "Policy jargon glossary" not in page


def test_the_icon_answers_at_the_root_and_as_a_static_file(api):
    icon = api.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in icon.headers["Cache-Control"]
    svg = api.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_static_assets_are_served(api):
    assert api.get("/static/site.css").status_code == 200
    script = api.get("/static/suggest.js")
    assert script.status_code == 200 and b"textContent" in script.data
    assert b"innerHTML" not in script.data


def test_stylesheet_has_a_cjk_font_stack_and_a_print_sheet(api):
    css = api.get("/static/site.css").get_data(as_text=True)
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei"):
        assert family in css
    assert "@media print" in css and ":focus-visible" in css


# --- home and index ---------------------------------------------------------------------------


def test_home_links_letters_that_have_terms_with_counts(api):
    page = html(api.get("/"))
    assert re.search(r'href="/index/S">S<span class="count"><span class="vh">，</span>\d+', page)
    assert 'href="/index/0-9">0-9' in page
    assert 'href="/index/V"' not in page  # no term starts with V
    assert '<span class="none"' in page


def test_home_counts_by_status_and_links_places(api):
    page = html(api.get("/"))
    assert "待审核" in page and "已审核" in page
    assert 'href="/localities/%E6%B9%96%E5%8C%97%E7%9C%81' in page  # 湖北省…
    assert 'role="search"' in page and 'action="/search"' in page


def test_letter_page_lists_the_letter_in_pinyin_order(api):
    page = html(api.get("/index/S"))
    readings = re.findall(r'<span class="py" lang="zh-Latn-pinyin">([^<]+)</span>', page)
    assert readings == [t["pinyin"] for t in every_term(api, "letter=S")]
    assert "三个区分开来" in page


def test_letter_in_lower_case_redirects(api):
    response = api.get("/index/s")
    assert response.status_code == 301 and response.headers["Location"].endswith("/index/S")


def test_letter_without_terms_is_an_empty_page_and_a_non_letter_is_404(api):
    assert "没有拼音以 V 开头的术语" in html(api.get("/index/V"))
    assert api.get("/index/AB").status_code == 404


# --- search ----------------------------------------------------------------------------------


def test_search_says_why_each_hit_matched(api):
    page = html(api.get("/search?q=sgqfkl"))
    first = page.index('class="result"')
    assert "三个区分开来" in page[first:] and "匹配：拼音首字母" in page[first:]


def test_search_marks_definition_words(client):
    page = html(client.get("/search?q=决策共谋"))
    assert "<mark>决策共谋</mark>" in page and "匹配：释义" in page


def test_search_filters_are_links_and_apply(api):
    page = html(api.get("/search?q=体系"))
    assert "/search?q=%E4%BD%93%E7%B3%BB&amp;status=candidate" in page
    filtered = html(api.get("/search?q=体系&status=candidate"))
    results = filtered[filtered.index('class="results"') :]
    assert "badge-candidate" in results and "badge-reviewed" not in results
    assert 'aria-current="true">待审核' in filtered


def test_search_by_locality(api):
    page = html(
        api.get("/search", query_string={"q": "体系", "locality": "浙江省温州市乐清市虹桥镇"})
    )
    results = page[page.index('class="results"') :]
    assert "“1310”工作体系" in results and "“531”产业体系" not in results


def test_misspelt_reading_gets_did_you_mean(api):
    page = html(api.get("/search?q=sangequfenkailia"))
    assert "没有找到“sangequfenkailia”的词条" in page
    assert "您是不是要找" in page and 'href="/terms/san-ge-qu-fen-kai-lai"' in page


def test_nothing_found_suggests_other_ways_to_type(api):
    page = html(api.get("/search?q=zzzzqqqxx"))
    assert "没有找到“zzzzqqqxx”的词条" in page and "拼音首字母" in page


def test_empty_search_is_a_prompt_and_too_long_is_a_400_page(api):
    assert api.get("/search?q=").status_code == 200
    response = api.get("/search", query_string={"q": "三" * 200})
    assert response.status_code == 400 and 'role="alert"' in html(response)
    assert "搜索词太长：最多 100 个字符。" in html(response)


def test_a_query_of_quotes_alone_is_explained_in_chinese(api):
    response = api.get("/search", query_string={"q": "“”"})
    assert response.status_code == 400
    assert "搜索词里没有可以查找的文字" in html(response) and "the query" not in html(response)


def test_a_typo_gets_did_you_mean_but_no_filter_counts(api):
    page = html(api.get("/search?q=sanqequfenkailai"))
    assert "您是不是要找" in page and 'href="/terms/san-ge-qu-fen-kai-lai"' in page
    assert 'class="filters"' not in page and "count-inline" not in page


def test_filter_counts_count_the_results_listed(api):
    page = html(api.get("/search?q=体系"))
    listed = page.count('<li class="result">')
    status = page[page.index('id="f-status"') : page.index('id="f-place"')]
    assert sum(map(int, re.findall(r'count-inline">(\d+)<', status))) == listed


# --- term pages -------------------------------------------------------------------------------


def test_term_page_has_ruby_over_every_character(api):
    page = html(api.get("/terms/san-ge-qu-fen-kai-lai"))
    rubies = re.findall(r"<ruby>(.)<rp>\(</rp><rt>([^<]+)</rt><rp>\)</rp></ruby>", page)
    readings = ["sān", "gè", "qū", "fēn", "kāi", "lái"]
    assert rubies == list(zip("三个区分开来", readings, strict=True))


def test_ruby_of_a_code_reads_its_digits_and_keeps_its_quotes(api):
    page = html(api.get("/terms/531-chan-ye-ti-xi"))
    heading = page[page.index('<span class="ruby"') : page.index("</h1>")]
    assert '<span class="unread">“</span><ruby>5<rp>(</rp><rt>wǔ</rt>' in heading
    assert '<span class="unread">”</span><ruby>产' in heading


def test_a_code_reads_one_way_in_the_ruby_the_reading_line_and_the_title(api):
    page = html(api.get("/terms/531-chan-ye-ti-xi"))
    heading = page[page.index('<span class="ruby"') : page.index("</h1>")]
    marks = "wǔ sān yī chǎn yè tǐ xì"
    assert " ".join(re.findall(r"<rt>([^<]+)</rt>", heading)) == marks
    assert f'<span class="py" lang="zh-Latn-pinyin">{marks}</span>' in page
    assert f"<title>“531”产业体系（{marks}）" in page


def test_term_page_shows_scope_parts_sources_and_citation(client):
    page = html(client.get("/terms/wu-gong-li-nian"))
    assert 'href="/localities/%E6%B9%96%E5%8C%97' in page
    assert '<ol class="parts"><li>决策共谋</li>' in page
    assert "<mark>“五共”理念</mark>" in page  # the term marked in its quote
    assert 'href="/documents/jiangan-2024">《2024年武汉市江岸区政府工作报告》' in page
    assert "http://localhost/terms/wu-gong-li-nian" in page
    citation = "《政策术语表》“‘五共’理念”条，http://localhost/terms/wu-gong-li-nian"
    assert (
        citation + "；释义出自《2024年武汉市江岸区政府工作报告》（湖北省武汉市江岸区，2023-12-24）"
        in page
    )
    assert '又作 <span class="alias">五共理念</span>' in page


def test_related_terms_are_linked(client):
    page = html(client.get("/terms/san-ge-qu-fen-kai-lai"))
    related = page[page.index('id="related"') :]
    assert 'href="/terms/wu-gong-li-nian"' in related


MERGED = SAMPLE + "redirects:\n  sgqfkl: san-ge-qu-fen\n  san-ge-qu-fen: san-ge-qu-fen-kai-lai\n"


def test_a_merged_term_address_moves_for_good_to_where_it_went(tmp_path):
    client = client_of(MERGED, tmp_path)
    response = client.get("/terms/sgqfkl?from=weibo&q=%E4%B8%89")
    assert response.status_code == 301  # one hop, however long the chain
    assert response.headers["Location"] == "/terms/san-ge-qu-fen-kai-lai?from=weibo&q=%E4%B8%89"
    assert client.get("/terms/san-ge-qu-fen").headers["Location"] == (
        "/terms/san-ge-qu-fen-kai-lai"
    )
    assert "三个区分开来" in html(client.get("/terms/sgqfkl", follow_redirects=True))
    assert client.get("/terms/never-was").status_code == 404


def test_candidate_term_says_definition_pending_and_shows_usage(client):
    page = html(client.get("/terms/1310"))
    assert "definition pending" in page and "释义待补" in page
    assert "深化<mark>“1310”</mark>工作体系" in page
    assert "badge-candidate" in page


def test_term_page_has_title_description_open_graph_and_json_ld(api):
    tags = Tags(html(api.get("/terms/san-ge-qu-fen-kai-lai")))
    assert tags.meta("description").startswith("三个区分开来（sān gè qū fēn kāi lái）：把干部")
    assert tags.meta("og:title") == "三个区分开来（sān gè qū fēn kāi lái）"
    assert tags.meta("og:url") == "http://localhost/terms/san-ge-qu-fen-kai-lai"
    assert tags.meta("og:type") == "article" and tags.meta("og:locale") == "zh_CN"
    assert tags.meta("og:description") == tags.meta("description")
    (data,) = [json.loads(s) for s in tags.scripts if s.strip().startswith("{")]
    assert data["@context"] == "https://schema.org" and data["@type"] == "DefinedTerm"
    assert data["name"] == "三个区分开来" and data["url"].endswith("/terms/san-ge-qu-fen-kai-lai")
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"


def test_pending_term_description_says_where_it_was_seen(api):
    tags = Tags(html(api.get("/terms/1310-gong-zuo-ti-xi")))
    assert "释义待补，见于《虹桥镇2024年工作总结和2025年工作思路》" in tags.meta("description")


# --- documents and places ---------------------------------------------------------------------


def test_document_page_lists_terms_it_defines_and_uses(api):
    page = html(api.get("/documents/yueqing-hongqiao-2024-work-summary"))
    assert "《虹桥镇2024年工作总结和2025年工作思路》" in page
    uses = page[page.index('id="uses"') :]
    assert 'href="/terms/1310-gong-zuo-ti-xi"' in uses
    assert "浙江省温州市乐清市虹桥镇" in page


ORIGINAL = "https://www.jiangan.gov.cn/zwgk/2024/gov-report.html?from=list&id=7"
PROVENANCE = f"""\
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    publisher: 武汉市江岸区人民政府
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
    url: {ORIGINAL}
    file: 002_63741cc1e03311a7.txt
  - id: jiangan-2023
    title: 2023年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    file: jiangan_2023.txt
  - id: tancheng-2024
    title: 郯城县2024年政府工作报告名词解释
    publisher: 大众网
    locality: 山东省临沂市郯城县
    file: tancheng_2024_news.txt
terms:
  - id: deng-ling-qi-ye
    term: 瞪羚企业
    status: reviewed
    senses:
      - definition: 高成长的科技企业。
        scope: 湖北省武汉市江岸区
        sources:
          - {{doc: jiangan-2024, kind: glossary, quote: "瞪羚企业:高成长的科技企业。"}}
          - {{doc: jiangan-2023, kind: usage, quote: 培育瞪羚企业}}
      - definition: 创业后跨过死亡谷,进入高成长期的中小企业。
        scope: 山东省临沂市郯城县
        sources:
          - {{doc: tancheng-2024, kind: glossary, quote: "3.瞪羚企业:创业后跨过死亡谷……"}}
"""


@pytest.fixture
def provenance(tmp_path):
    return client_of(PROVENANCE, tmp_path, "terms.yaml")


def test_document_page_links_the_original_and_shows_title_publisher_and_date(provenance):
    page = html(provenance.get("/documents/jiangan-2024"))
    assert "<h1>《2024年武汉市江岸区政府工作报告》</h1>" in page
    assert '<dd class="publisher">武汉市江岸区人民政府</dd>' in page
    assert '<time datetime="2023-12-24">2023-12-24</time>' in page
    (link,) = [a for a in Tags(page).named("a") if a.get("class") == "original"]
    assert link["href"] == ORIGINAL  # the address as given, its & escaped in the markup only
    assert set(link["rel"].split()) >= {"noopener", "noreferrer", "external"}
    assert "www.jiangan.gov.cn" in page


def test_document_page_without_an_address_or_publisher_says_nothing_of_them(provenance):
    page = html(provenance.get("/documents/jiangan-2023"))
    assert 'class="original"' not in page and 'class="publisher"' not in page


@pytest.mark.parametrize("doc_id", ["jiangan-2024", "jiangan-2023", "tancheng-2024"])
def test_no_page_shows_the_file_a_document_was_harvested_from(provenance, doc_id):
    files = ["002_63741cc1e03311a7", "jiangan_2023", "tancheng_2024_news"]
    for path in (f"/documents/{doc_id}", "/terms/deng-ling-qi-ye", "/localities/江岸区"):
        page = html(provenance.get(path))
        assert not [f for f in files if f in page], path


def test_shipped_document_pages_never_show_their_file_names(api):
    for document in store.load(SHIPPED_GLOSSARY).documents:
        page = html(api.get(f"/documents/{document.id}"))
        assert document.file and document.file not in page and "<dt>文件</dt>" not in page


def test_term_page_says_how_many_reports_and_places_use_it(provenance):
    page = html(provenance.get("/terms/deng-ling-qi-ye"))
    assert '<p class="reach">3 份报告 · 2 个地方使用</p>' in page


def test_term_page_names_the_publisher_of_each_source(provenance):
    page = html(provenance.get("/terms/deng-ling-qi-ye"))
    assert "《郯城县2024年政府工作报告名词解释》</a> · 大众网 · 山东省临沂市郯城县" in page


def test_locality_page_lists_terms_scoped_there(api):
    page = html(api.get("/localities/浙江省温州市乐清市虹桥镇"))
    assert 'href="/terms/1310-gong-zuo-ti-xi"' in page
    assert 'href="/terms/san-ge-qu-fen-kai-lai"' not in page
    assert 'href="/documents/yueqing-hongqiao-2024-work-summary"' in page


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/terms/no-such-term", "/documents/no-such", "/localities/火星", "/nothing-here"]
)
def test_unknown_pages_are_404_in_the_site_look(api, path):
    response = api.get(path)
    assert response.status_code == 404
    page = html(response)
    assert "找不到这一页" in page and 'href="/static/site.css"' in page
    assert 'role="search"' in page and '<html lang="zh-CN">' in page


def test_api_errors_stay_json(api):
    response = api.get("/api/v1/terms/no-such-term")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    unknown = api.get("/api/v1/no-such-thing").json["error"]
    assert unknown["message"].startswith("The requested URL was not found")  # English there


@pytest.fixture
def failing(sample_file, tmp_path):
    """An app with pages that fail the ways a request can (werkzeug's English for each)."""
    app = create_app({"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path)})
    for status in (400, 403, 413, 429, 503):

        def fail(status=status):
            abort(status)

        app.add_url_rule(f"/fails/{status}", f"fails_{status}", fail)

    def crash():
        raise RuntimeError("a bug")

    app.add_url_rule("/fails/500", "fails_500", crash)
    return app.test_client()


@pytest.mark.parametrize(
    ("method", "path", "status", "heading", "explanation"),
    [
        ("get", "/nothing-here", 404, "找不到这一页", "这个地址没有对应的页面"),
        ("post", "/search", 405, "不支持这种请求", "这个地址不接受这种请求方式"),
        ("get", "/fails/400", 400, "请求有误", "请求的地址或提交的内容有误"),
        ("get", "/fails/403", 403, "无权访问", "没有查看这一页的权限"),
        ("get", "/fails/413", 413, "内容太大", "提交的内容超过了服务器接受的大小"),
        ("get", "/fails/429", 429, "尝试次数过多", "请稍等片刻再试"),
        ("get", "/fails/500", 500, "服务器出错", "服务器处理请求时出了错"),
        ("get", "/fails/503", 503, "暂时无法服务", "服务暂时不可用"),
    ],
)
def test_every_error_page_speaks_chinese(failing, method, path, status, heading, explanation):
    response = getattr(failing, method)(path)
    assert response.status_code == status
    page = html(response)
    assert f"<h1>{heading} " in page and explanation in page
    assert '<html lang="zh-CN">' in page and 'href="/static/site.css"' in page
    main = page[page.index("<main") : page.index("</main>")]
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", main)), main  # no English


def test_a_chinese_message_of_the_raiser_is_kept_on_the_error_page(api):
    page = html(api.get("/terms/no-such-term"))
    assert "没有编号为“no-such-term”的术语" in page


# --- hostile text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/terms/e-yi", "/search?q=onerror", "/search?q=恶意", "/documents/bad-report", "/"]
)
def test_hostile_text_is_escaped_everywhere(hostile, path):
    page = html(hostile.get(path))
    assert "<img" not in page and "<script>alert" not in page and "<b>" not in page
    assert "<i>" not in page


def test_hostile_text_is_shown_as_text(hostile):
    page = html(hostile.get("/terms/e-yi"))
    assert "&lt;img src=x onerror=alert(1)&gt; 与 &lt;script&gt;alert(2)&lt;/script&gt;" in page
    tags = Tags(page)
    # The alias closes no script: JSON-LD escapes < and > inside the data block.
    (data,) = [json.loads(s) for s in tags.scripts if s.strip().startswith("{")]
    assert data["alternateName"] == ["</script><script>alert(9)</script>"]


def test_highlight_builds_markup_from_escaped_pieces():
    assert str(highlighted("<b>三个</b>", [(3, 5)])) == "&lt;b&gt;<mark>三个</mark>&lt;/b&gt;"
    assert str(highlighted("abc", [(1, 99), (0, 2)])) == "<mark>ab</mark><mark>c</mark>"


def test_excerpt_shows_the_matched_part_of_a_long_definition():
    text = "甲" * 200 + "<决策共谋>" + "乙" * 200
    shown = str(excerpt(text, [(201, 205)], width=40))
    assert shown.startswith("…") and shown.endswith("…")
    assert "&lt;<mark>决策共谋</mark>&gt;" in shown


# --- speed ------------------------------------------------------------------------------------


def test_pages_render_quickly_on_the_shipped_glossary(api):
    """Print each page's server time; the figures are checked in bench/pages.py, not here."""
    for path in PAGES:
        api.get(path)  # warm: index searcher, caches
        start = time.perf_counter()
        for _ in range(20):
            assert api.get(path).status_code == 200
        ms = (time.perf_counter() - start) / 20 * 1000
        print(f"{path}: {ms:.1f} ms")
        assert ms < 500  # only catches a pathological regression


def test_term_page_shows_parts_in_the_groups_the_name_counts(api):
    page = html(api.get("/terms/531-chan-ye-ti-xi"))
    groups = re.findall(r'<span class="group-name">([^<]+)</span>（(\d+)）', page)
    assert groups == [("主导产业", "5"), ("战略性新兴产业", "3"), ("支撑", "1")]
    assert page.count('<ol class="parts">') == 3


def every_term(api, query: str = "") -> list[dict]:
    """Every term the API lists for ``query``, page after page."""
    terms, number, pages = [], 1, 1
    while number <= pages:
        body = api.get(f"/api/v1/terms?{query}&per_page=200&page={number}").json
        terms, number, pages = terms + body["terms"], number + 1, body["pages"]
    return terms
