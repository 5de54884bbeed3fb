from __future__ import annotations

import gzip

from api.widget import SCRIPT

GZIP_BUDGET = 10 * 1024


def test_widget_js_is_served_as_javascript_with_caching_headers(api):
    response = api.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.data == SCRIPT.read_bytes()
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    again = api.get("/widget.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    weak = api.get("/widget.js", headers={"If-None-Match": "W/" + response.headers["ETag"]})
    assert weak.status_code == 304


def test_widget_js_may_be_loaded_from_any_origin(api):
    response = api.get("/widget.js", headers={"Origin": "https://news.example.com"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Origin" in response.headers["Vary"]


def test_widget_js_is_gzipped_for_clients_that_accept_it_and_fits_the_budget(api):
    response = api.get("/widget.js", headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == SCRIPT.read_bytes()
    plain = api.get("/widget.js")
    assert response.headers["ETag"] != plain.headers["ETag"]
    size = len(response.data)
    print(f"\nwidget.js: {len(plain.data)} bytes, {size} bytes gzipped (budget {GZIP_BUDGET})")
    assert size <= GZIP_BUDGET


def test_widget_js_names_no_other_origin(api):
    # It must talk only to the API it came from (or data-api): no hard-coded hosts.
    assert b"http://" not in SCRIPT.read_bytes().replace(b"https://HOST", b"")
    assert b"https://" not in SCRIPT.read_bytes().replace(b"https://HOST", b"")


def test_glossary_json_carries_what_the_widget_folds_and_chooses_with(api):
    body = api.get("/api/v1/glossary.json").json
    assert body["fold"]["區"] == "区"
    assert "senses" in body["terms"]["deng-ling-qi-ye"]


def test_demo_shows_the_seed_report_with_the_widget_and_the_tag_to_copy(api):
    response = api.get("/widget/demo")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<h1>2024年武汉市江岸区政府工作报告</h1>" in page
    assert "三个区分开来:把干部在推进改革中" in page and page.count("<p>") > 100
    assert '<script src="http://localhost/widget.js" defer data-root="article"' in page
    assert "&lt;script src=&#34;http://localhost/widget.js&#34; defer&gt;&lt;/script&gt;" in page
