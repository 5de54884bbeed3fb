from __future__ import annotations

import functools
import json
from dataclasses import asdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import create_app, schemas
from glossary import store
from glossary.annotate import Annotator
from glossary.query import MAX_QUERY
from tests.conftest import SAMPLE, SHARED, SHIPPED_GLOSSARY, client_of
from tests.webapi.test_pages import every_term


def test_terms_are_paged_in_pinyin_order_with_links(api):
    first = api.get("/api/v1/terms?per_page=5")
    body = first.json
    assert body["page"] == 1 and body["per_page"] == 5 and body["prev"] is None
    assert body["pages"] == -(-body["total"] // 5)
    assert body["next"].endswith("page=2") and 'rel="next"' in first.headers["Link"]
    assert next(t["letter"] for t in body["terms"]) == "0-9"  # digit-led terms come first
    assert len(every_term(api)) == body["total"]
    last = api.get(f"/api/v1/terms?per_page=5&page={body['pages']}").json
    assert last["next"] is None and last["prev"]
    assert api.get(f"/api/v1/terms?per_page=5&page={body['pages'] + 1}").json["terms"] == []


@pytest.mark.parametrize("query", ["per_page=0", "per_page=201", "page=0", "page=x", "sort=date",
                                   "letter=AB", "status=approved"])  # fmt: skip
def test_bad_paging_and_filters_are_400(api, query):
    response = api.get(f"/api/v1/terms?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_parameter"


def test_terms_filter_by_status_locality_category_and_letter(api):
    def ids(query):
        return [t["id"] for t in api.get(f"/api/v1/terms?per_page=200&{query}").json["terms"]]

    assert all(
        t["status"] == "candidate"
        for t in api.get("/api/v1/terms?per_page=200&status=candidate").json["terms"]
    )
    assert "yi-biao-san-shi" in ids("locality=江岸区") and "yi-biao-san-shi" not in ids(
        "locality=郯城"
    )
    assert ids("category=干部管理") and "san-ge-qu-fen-kai-lai" in ids("category=干部管理")
    assert "531-chan-ye-ti-xi" in ids("letter=0-9") and "san-ge-wu-bi" in ids("letter=s")


def test_terms_sorted_by_headword(api):
    terms = every_term(api, "sort=headword")
    assert terms != every_term(api)
    assert len(terms) == api.get("/api/v1/terms").json["total"]
    assert sorted(t["id"] for t in terms) == sorted(t["id"] for t in every_term(api))


def test_one_entry_has_everything(api):
    body = api.get("/api/v1/terms/san-ge-qu-fen-kai-lai").json
    assert body["term"] == "三个区分开来"
    assert body["pinyin"] == {
        "marks": "sān gè qū fēn kāi lái", "numbers": "san1 ge4 qu1 fen1 kai1 lai2",
        "toneless": "sangequfenkailai", "initials": "sgqfkl",
    }  # fmt: skip
    source = body["senses"][0]["sources"][0]
    assert source["doc"]["title"] == "2024年武汉市江岸区政府工作报告"
    assert source["kind"] == "glossary" and "三个区分开来" in source["quote"]
    assert body["url"].endswith("/api/v1/terms/san-ge-qu-fen-kai-lai")
    related = api.get("/api/v1/terms/ba-xiang-ben-ling").json["related"]
    assert related == [{"id": "qi-zhong-neng-li", "term": "七种能力"}]


MERGED = SAMPLE + "redirects:\n  sgqfkl: san-ge-qu-fen\n  san-ge-qu-fen: san-ge-qu-fen-kai-lai\n"


def test_a_merged_term_id_answers_301_naming_the_new_id(tmp_path):
    client = client_of(MERGED, tmp_path)
    response = client.get("/api/v1/terms/sgqfkl")
    assert response.status_code == 301
    assert response.headers["Location"] == "http://localhost/api/v1/terms/san-ge-qu-fen-kai-lai"
    assert response.json == {
        "id": "san-ge-qu-fen-kai-lai",
        "url": "http://localhost/api/v1/terms/san-ge-qu-fen-kai-lai",
        "redirected_from": "sgqfkl",
    }
    followed = client.get("/api/v1/terms/sgqfkl", follow_redirects=True)
    assert followed.status_code == 200 and followed.json["term"] == "三个区分开来"


def test_a_merged_term_redirect_keeps_the_query_string_as_sent(tmp_path):
    client = client_of(MERGED, tmp_path)
    response = client.get("/api/v1/terms/san-ge-qu-fen?via=%E5%BE%AE%E5%8D%9A&x=1")
    assert response.headers["Location"].endswith(
        "/san-ge-qu-fen-kai-lai?via=%E5%BE%AE%E5%8D%9A&x=1"
    )


def test_the_openapi_document_lists_the_301_of_a_merged_term(api):
    responses = api.get("/api/v1/openapi.json").json["paths"]["/api/v1/terms/{term_id}"]["get"]
    moved = responses["responses"]["301"]
    assert moved["headers"]["Location"]["required"] is True
    assert moved["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Moved"}


def test_unknown_term_is_404_json(api):
    response = api.get("/api/v1/terms/no-such-term")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "written", ["三个区分开来", "三個區分開來", "「三个区分开来」", "“三个区分开来”"]
)
def test_lookup_by_headword_redirects_to_the_entry(api, written):
    response = api.get("/api/v1/terms/lookup", query_string={"term": written})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/api/v1/terms/san-ge-qu-fen-kai-lai")
    # A JSON API answers JSON, its redirects too: never Flask's HTML "Redirecting..." page.
    assert response.mimetype == "application/json"
    assert response.json == {
        "id": "san-ge-qu-fen-kai-lai", "term": "三个区分开来",
        "url": response.headers["Location"],
    }  # fmt: skip
    assert api.get("/api/v1/terms/lookup?term=没有这个词").status_code == 404


def test_the_health_check_answers_under_the_api_prefix_too(api):
    for path in ("/healthz", "/api/v1/healthz"):
        response = api.get(path)
        assert response.status_code == 200
        assert response.json["status"] == "ok" and response.json["terms"] > 0


def test_documents_list_what_they_define_and_use(api):
    documents = api.get("/api/v1/documents").json["documents"]
    jiangan = next(d for d in documents if d["id"] == "wuhan-jiangan-2024-gov-report")
    assert len(jiangan["defines"]) >= 29
    hongqiao = api.get("/api/v1/documents/yueqing-hongqiao-2024-work-summary").json
    assert {"id": "ba-ba-zhan-lve", "term": "八八战略"} in hongqiao["uses"]
    assert api.get("/api/v1/documents/nowhere").status_code == 404


def test_stats_count_everything(api):
    body = api.get("/api/v1/stats").json
    assert body["status"]["reviewed"] >= 29
    assert sum(body["letters"].values()) == body["terms"] - body["status"].get("deprecated", 0)


def test_widget_glossary_is_cached_by_etag(api):
    first = api.get("/api/v1/glossary.json")
    assert first.status_code == 200 and "max-age" in first.headers["Cache-Control"]
    body = first.json
    assert body["forms"]["三个区分开来"] == "san-ge-qu-fen-kai-lai"
    assert body["forms"]["531产业体系"] == "531-chan-ye-ti-xi"
    assert body["terms"]["ba-ba-zhan-lve"]["definition"] is None
    again = api.get("/api/v1/glossary.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    # Caches and proxies may send the tag back weak: If-None-Match compares weakly.
    weak = api.get("/api/v1/glossary.json", headers={"If-None-Match": "W/" + first.headers["ETag"]})
    assert weak.status_code == 304
    other = api.get("/api/v1/glossary.json", headers={"If-None-Match": 'W/"another"'})
    assert other.status_code == 200


def test_annotate_json_and_plain_text(api):
    text = "坚持“三个区分开来”，落实双减。"
    spans = api.post("/api/v1/annotate", json={"text": text}).json["spans"]
    assert [(s["matched_text"], s["id"]) for s in spans] == [
        ("三个区分开来", "san-ge-qu-fen-kai-lai"), ("双减", "shuang-jian")
    ]  # fmt: skip
    plain = api.post("/api/v1/annotate", data=text.encode(), content_type="text/plain")
    assert plain.json["spans"] == spans
    assert set(plain.json["terms"]) == {"san-ge-qu-fen-kai-lai", "shuang-jian"}
    assert plain.json["truncated"] is False


@pytest.mark.parametrize(
    ("text", "locality"),
    [
        ("😀「三個區分開來」，“531”产业体系\n双\n减 'x' \\ \"", None),
        ("\ud800“五共”理念与双减", "江岸区"),
        ((SHARED / "seeds").glob("*.txt"), "华容区"),
        ("", None),
    ],
)
def test_annotate_answers_exactly_what_the_schema_dumps(api, text, locality):
    if not isinstance(text, str):
        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(text))
    sent = json.dumps({"text": text, "locality": locality})  # a lone surrogate as \ud800
    response = api.post("/api/v1/annotate", data=sent, content_type="application/json")
    annotator = Annotator(store.load(SHIPPED_GLOSSARY))
    spans = annotator.annotate(text, locality)
    body = {
        "spans": [asdict(s) for s in spans],
        "terms": annotator.terms_payload(spans, locality),
        "truncated": False,
    }
    dumped = schemas.AnnotateSchema().dump(body)
    assert response.data == json.dumps(dumped, ensure_ascii=False, separators=(",", ":")).encode()


@functools.cache
def shipped_annotator() -> Annotator:
    return Annotator(store.load(SHIPPED_GLOSSARY))


# Shipped forms as reports print them and otherwise, and what JSON and UTF-16 make hard.
SHIPPED_PIECES = st.lists(
    st.sampled_from([
        "三个区分开来", "三個區分開來", "“531”产业体系", "「531」", "531", "双减", "雙減",
        "“１＋３＋Ｎ”招商工作机制", "社区治理“三张清单”", "“五共”理念", "五共理念", "八八战略",
        "😀", "𠀀", "\ud800", *"“”\"‘’「」『』\\", "\n\n", *" \n\t\x0b\x1c\u3000", "\x00", "ａ",
    ]),
    max_size=30,
).map("".join)  # fmt: skip


@given(
    written=SHIPPED_PIECES,
    locality=st.sampled_from([None, "江岸区", "华容区"]),
    limit=st.sampled_from([None, 1, 3]),
)
@settings(max_examples=200, deadline=None)
def test_annotate_json_is_what_the_schema_dumps_for_any_text(written, locality, limit):
    annotator = shipped_annotator()
    found = annotator.find(written, locality, limit)
    spans = annotator.annotate(written, locality, limit)
    body = {
        "spans": [asdict(s) for s in spans],
        "terms": annotator.terms_payload(spans, locality),
        "truncated": found.truncated,
    }
    dumped = schemas.AnnotateSchema().dump(body)
    written_json = schemas.annotate_json(found, annotator.terms_payload(found, locality))
    assert written_json == json.dumps(dumped, ensure_ascii=False, separators=(",", ":")).encode()


def test_search_and_suggest_take_as_long_a_query_as_the_document_says(api):
    spec = api.get("/api/v1/openapi.json").json
    for path in ("/api/v1/search", "/api/v1/suggest"):
        [q] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "q"]
        assert q["schema"]["maxLength"] == MAX_QUERY
        assert api.get(path, query_string={"q": "双" * MAX_QUERY}).status_code == 200
        longer = api.get(path, query_string={"q": "双" * (MAX_QUERY + 1)})
        assert longer.status_code == 400 and longer.json["error"]["details"].keys() == {"q"}


def test_annotate_gives_utf16_offsets_after_an_emoji(api):
    text = "😀👍 落实双减"
    [span] = api.post("/api/v1/annotate", json={"text": text}).json["spans"]
    assert text[span["start"] : span["end"]] == "双减"
    units = text.encode("utf-16-le")
    assert units[2 * span["start16"] : 2 * span["end16"]].decode("utf-16-le") == "双减"
    assert span["start16"] == span["start"] + 2


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"data": "{bad", "content_type": "application/json"}, 400, "malformed_json"),
        ({"json": {"txt": "x"}}, 400, "invalid_parameter"),
        ({"json": {"text": "x", "extra": 1}}, 400, "invalid_parameter"),
        ({"json": ["not", "an", "object"]}, 400, "invalid_parameter"),
        ({"data": b"\xff", "content_type": "text/plain"}, 400, "invalid_utf8"),
        ({"data": "x", "content_type": "text/plain; charset=big5"}, 415, "unsupported_media_type"),
        ({"data": "<x/>", "content_type": "application/xml"}, 415, "unsupported_media_type"),
        (
            {"data": "双" * (1024 * 1024), "content_type": "text/plain"},
            413,
            "request_entity_too_large",
        ),
    ],
)
def test_bad_annotate_bodies_get_one_error_shape(api, kwargs, status, code):
    response = api.post("/api/v1/annotate", **kwargs)
    assert response.status_code == status
    assert response.json["error"]["status"] == status and response.json["error"]["code"] == code


def test_wrong_method_and_unknown_route_are_json_under_api(api):
    wrong = api.delete("/api/v1/terms")
    assert wrong.status_code == 405 and wrong.json["error"]["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]
    assert api.get("/api/v1/nowhere").json["error"]["status"] == 404


def test_cors_preflight_from_another_origin(api):
    response = api.options(
        "/api/v1/annotate",
        headers={"Origin": "https://news.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Origin" in response.headers["Vary"]


def test_cors_allow_list(tmp_path):
    app = create_app({
        "GLOSSARY_FILE": str(SHIPPED_GLOSSARY), "GLOSSARY_INDEX_DIR": str(tmp_path),
        "GLOSSARY_CORS_ORIGINS": "https://news.example.com",
    })  # fmt: skip
    client = app.test_client()
    allowed = client.get("/api/v1/stats", headers={"Origin": "https://news.example.com"})
    other = client.get("/api/v1/stats", headers={"Origin": "https://evil.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://news.example.com"
    assert "Access-Control-Allow-Origin" not in other.headers


def test_openapi_document_and_docs_page(api):
    spec = api.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0" and "/api/v1/annotate" in spec["paths"]
    page = api.get("/api/docs")
    assert page.status_code == 200 and "/api/v1/search" in page.get_data(as_text=True)
    assert "http://" not in page.get_data(as_text=True).replace("http://localhost", "")


def test_docs_page_is_in_the_site_look_with_readable_types(api):
    page = api.get("/api/docs").get_data(as_text=True)
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert "<h1>开放接口（API）" in page and "接口一览" in page and "数据结构" in page
    assert '<code class="type">string\u00a0| null</code>' in page
    assert "可选值：candidate | reviewed | deprecated" in page
    assert '<a href="#schema-Suggestion">Suggestion</a>[]' in page
    assert "[&#39;string&#39;, &#39;null&#39;]" not in page and "deprecated, None" not in page


def test_docs_types_read_as_people_write_them():
    from api.openapi import notes, type_pieces

    def typed(schema):
        return "".join(text for text, _ in type_pieces(schema)).replace("\u00a0", " ")

    assert typed({"type": ["string", "null"]}) == "string | null"
    assert typed({"type": "array", "items": {"$ref": "#/components/schemas/Sense"}}) == "Sense[]"
    assert typed({"anyOf": [{"$ref": "#/x/Rendering"}, {"type": "null"}]}) == "Rendering | null"
    assert typed({"type": "object", "additionalProperties": {"type": "integer"}}) == (
        "{string: integer}"
    )
    assert typed({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}) == (
        "integer[][]"
    )
    status = {"type": ["string", "null"], "default": None, "enum": ["a", "b", None]}
    assert notes(status) == ["可选值：a | b"]
    assert notes({"type": "integer", "default": 10, "minimum": 1, "maximum": 50}) == [
        "默认 10",
        "1–50",
    ]


def test_suggest_offers_the_search_in_definitions_when_they_hold_the_words(api):
    body = api.get("/api/v1/suggest", query_string={"q": "决策"}).json
    assert body["definition_hits"] >= 2
    assert [s["term"] for s in body["suggestions"]][:2] == [
        "“三重一大”集体决策制度",
        "“五个纳入”决策机制",
    ]
    assert api.get("/api/v1/suggest?q=sgqfkl").json["definition_hits"] == 0


def test_suggest_documents_its_order_and_definition_hits(api):
    schema = api.get("/api/v1/openapi.json").json["components"]["schemas"]["Suggest"]
    assert "definition_hits" in schema["required"]
    assert "reviewed terms before candidates" in schema["properties"]["suggestions"]["description"]


def test_documents_show_readers_their_publisher_and_never_their_file(api):
    body = api.get("/api/v1/documents/ezhou-huarong-2023-party-congress-news").json
    assert body["publisher"] == "鄂州政府网" and "url" in body and "file" not in body
    doc = api.get("/api/v1/terms/san-ge-qu-fen-kai-lai").json["senses"][0]["sources"][0]["doc"]
    assert "file" not in doc and {"publisher", "url"} <= set(doc)


def test_a_term_gives_its_parts_in_the_groups_its_name_counts(api):
    sense = api.get("/api/v1/terms/531-chan-ye-ti-xi").json["senses"][0]
    assert [(g["name"], len(g["parts"])) for g in sense["groups"]] == [
        ("主导产业", 5), ("战略性新兴产业", 3), ("支撑", 1),
    ]  # fmt: skip
    assert len(sense["parts"]) == 9


def test_a_term_with_an_english_rendering_gives_it_with_its_document(tmp_path, sample_file):
    source = sample_file.read_text(encoding="utf-8").replace(
        "    related: [wu-gong-li-nian]\n",
        "    related: [wu-gong-li-nian]\n"
        "    english: {text: Three Distinctions, doc: jiangan-2024}\n",
    )
    sample_file.write_text(source, encoding="utf-8")
    app = create_app({"GLOSSARY_FILE": str(sample_file), "GLOSSARY_INDEX_DIR": str(tmp_path / "i")})
    english = app.test_client().get("/api/v1/terms/san-ge-qu-fen-kai-lai").json["english"]
    assert (english["text"], english["lang"], english["doc"]["id"]) == (
        "Three Distinctions", "en", "jiangan-2024",
    )  # fmt: skip
