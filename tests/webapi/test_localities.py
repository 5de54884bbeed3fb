"""A short place name (江岸区) given to the API finds the full paths the glossary keeps
(湖北省武汉市江岸区): ``?locality=``, the annotator's locality and the widget's
``data-locality``, which it sends as ``?locality=`` or matches in ``glossary.json``."""

from __future__ import annotations

import pytest

from tests.conftest import client_of

# One headword defined in two places, and a term of one place only.
TWO_PLACES = """\
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
  - id: tancheng-2024
    title: 郯城县2024年政府工作报告名词解释
    locality: 山东省临沂市郯城县
    date: "2024-01-16"
terms:
  - id: deng-ling-qi-ye
    term: 瞪羚企业
    status: reviewed
    senses:
      - definition: 江岸区认定的高成长科技企业。
        scope: 湖北省武汉市江岸区
        sources:
          - {doc: jiangan-2024, kind: glossary, quote: "瞪羚企业:江岸区认定的高成长科技企业。"}
      - definition: 创业后跨过死亡谷,进入高成长期的中小企业。
        scope: 山东省临沂市郯城县
        sources:
          - {doc: tancheng-2024, kind: glossary, quote: "3.瞪羚企业:创业后跨过死亡谷……"}
  - id: san-ge-qu-fen-kai-lai
    term: 三个区分开来
    status: reviewed
    senses:
      - definition: 把干部在推进改革中因缺乏经验出现的失误和错误区分开来。
        scope: 湖北省武汉市江岸区
        sources:
          - {doc: jiangan-2024, kind: glossary, quote: "29. 三个区分开来:把干部……"}
"""
JIANGAN = "江岸区认定的高成长科技企业。"
TANCHENG = "创业后跨过死亡谷,进入高成长期的中小企业。"


@pytest.fixture
def client(tmp_path):
    return client_of(TWO_PLACES, tmp_path)


def term_ids(client, locality: str) -> set[str]:
    body = client.get("/api/v1/terms", query_string={"locality": locality}).json
    return {t["id"] for t in body["terms"]}


@pytest.mark.parametrize(
    "locality", ["江岸区", "武汉市江岸区", "湖北省江岸区", "湖北省武汉市江岸区"]
)
def test_terms_of_a_place_given_short_or_in_full_are_the_same(client, locality):
    assert term_ids(client, locality) == {"deng-ling-qi-ye", "san-ge-qu-fen-kai-lai"}


def test_terms_of_another_place_given_short(client):
    assert term_ids(client, "郯城县") == {"deng-ling-qi-ye"}


@pytest.mark.parametrize("locality", ["江岸区", "湖北省江岸区"])
def test_search_within_a_place_given_short(client, locality):
    def hits(q: str, place: str) -> list[str]:
        body = client.get("/api/v1/search", query_string={"q": q, "locality": place}).json
        return [hit["id"] for hit in body["results"]]

    assert hits("三个区分开来", locality) == ["san-ge-qu-fen-kai-lai"]
    assert hits("三个区分开来", "郯城县") == []


@pytest.mark.parametrize(("locality", "definition"), [("江岸区", JIANGAN), ("郯城县", TANCHENG)])
def test_annotate_gives_the_definition_of_a_place_given_short(client, locality, definition):
    body = client.post("/api/v1/annotate", json={"text": "培育瞪羚企业", "locality": locality}).json
    assert body["terms"]["deng-ling-qi-ye"]["definition"] == definition


@pytest.mark.parametrize(("locality", "definition"), [("江岸区", JIANGAN), ("郯城县", TANCHENG)])
def test_the_widgets_remote_request_with_a_short_locality_gets_that_place(
    client, locality, definition
):
    # What widget.js sends for a glossary above data-max-kb: text/plain, ?locality=.
    response = client.post(
        "/api/v1/annotate",
        query_string={"locality": locality},
        data="培育瞪羚企业。".encode(),
        content_type="text/plain;charset=UTF-8",
    )
    assert response.json["terms"]["deng-ling-qi-ye"]["definition"] == definition


def test_glossary_json_gives_the_widget_full_paths_a_short_locality_is_inside(client):
    # widget.js prefers the sense whose folded scope includes the folded data-locality.
    senses = client.get("/api/v1/glossary.json").json["terms"]["deng-ling-qi-ye"]["senses"]
    chosen = [s["definition"] for s in senses if "郯城县" in s["scope"]]
    assert chosen == [TANCHENG]
    assert [s["scope"] for s in senses] == ["湖北省武汉市江岸区", "山东省临沂市郯城县"]


def test_the_page_of_a_place_given_short_lists_its_terms_and_reports(client):
    page = client.get("/localities/江岸区").get_data(as_text=True)
    assert 'href="/terms/san-ge-qu-fen-kai-lai"' in page
    assert 'href="/documents/jiangan-2024"' in page
    assert 'href="/documents/tancheng-2024"' not in page


def test_annotate_takes_a_partial_path_that_skips_a_level(api):
    # 山东省郯城县 names 山东省临沂市郯城县 without its city: the table completes it.
    body = {"text": "培育瞪羚企业。", "locality": "山东省郯城县"}
    terms = api.post("/api/v1/annotate", json=body).json["terms"]
    assert terms["deng-ling-qi-ye"]["definition"].startswith("创业后跨过死亡谷,")
