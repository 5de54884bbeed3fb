from __future__ import annotations

import pytest

from glossary import store
from glossary.catalog import Catalog
from tests.conftest import SHIPPED_GLOSSARY


@pytest.fixture
def catalog(sample_file) -> Catalog:
    return Catalog(store.load(sample_file))


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return Catalog(store.load(SHIPPED_GLOSSARY))


def marked(catalog: Catalog, term_id: str, quote: str) -> list[str]:
    term = catalog.glossary.term(term_id)
    return [quote[start:end] for start, end in catalog.mentions(term, quote)]


def test_mentions_find_the_headword_in_a_quote(catalog):
    quote = "坚持三个区分开来,为担当者担当"
    assert catalog.mentions(catalog.glossary.term("san-ge-qu-fen-kai-lai"), quote) == [(2, 8)]


def test_mentions_take_in_the_quotes_around_a_coined_term(catalog):
    quote = "坚持“三个区分开来”,深化“1310”工作体系"
    assert marked(catalog, "san-ge-qu-fen-kai-lai", quote) == ["“三个区分开来”"]
    assert marked(catalog, "1310", quote) == ["“1310”"]


def test_mentions_fold_quotes_width_and_traditional_characters(catalog):
    quote = "践行「五共」理念,推行五共理念与“五共”理念"
    assert marked(catalog, "wu-gong-li-nian", quote) == ["「五共」理念", "五共理念", "“五共”理念"]
    assert marked(catalog, "san-ge-qu-fen-kai-lai", "三個區分開來") == ["三個區分開來"]


def test_mentions_of_a_quoted_code_keep_the_pair_of_quotes(shipped):
    quote = "锚定“531”产业体系,加快创建"
    assert marked(shipped, "531-chan-ye-ti-xi", quote) == ["“531”产业体系"]


def test_mentions_merge_overlapping_forms(shipped):
    # 五个精准调度 (an alias) lies inside the headword: one mark, not two.
    quote = "强化经济运行“五个精准调度”机制,全力以赴稳增长"
    term_id = "jing-ji-yun-xing-wu-ge-jing-zhun-diao-du-ji-zhi"
    assert marked(shipped, term_id, quote) == ["经济运行“五个精准调度”机制"]


def test_mentions_of_a_term_the_quote_does_not_name_are_empty(catalog):
    assert catalog.mentions(catalog.glossary.term("wu-gong-li-nian"), "深化“1310”工作体系") == []


def test_usages_are_the_quotes_that_only_use_a_pending_term(catalog):
    usages = catalog.usages(catalog.glossary.term("1310"))
    assert [s.quote for s in usages] == ["深化“1310”工作体系"]
    assert catalog.usages(catalog.glossary.term("wu-gong-li-nian")) == []


def test_in_locality_takes_a_place_and_everything_inside_it(shipped):
    city = {e.id for e in shipped.in_locality("湖北省武汉市")}
    district = {e.id for e in shipped.in_locality("湖北省武汉市江岸区")}
    assert "san-ge-qu-fen-kai-lai" in district < city
    assert shipped.in_locality("火星") == []


def test_in_locality_lists_in_pinyin_order(shipped):
    entries = shipped.in_locality("湖北省武汉市江岸区")
    assert [e.sort_key for e in entries] == sorted(e.sort_key for e in entries)


def test_documents_in_a_place(shipped):
    ids = [d.id for d in shipped.documents_in("湖北省武汉市")]
    assert ids == ["wuhan-caidian-tonghu-2024-work-summary", "wuhan-jiangan-2024-gov-report"]


@pytest.mark.parametrize("short", ["江岸区", "武汉市江岸区", "湖北省江岸区"])
def test_a_place_given_short_finds_what_its_full_path_finds(shipped, short):
    full = shipped.in_locality("湖北省武汉市江岸区")
    assert full and shipped.in_locality(short) == full
    assert (
        shipped.terms(locality=short, per_page=500).entries
        == shipped.terms(locality="湖北省武汉市江岸区", per_page=500).entries
    )
    assert [d.id for d in shipped.documents_in(short)] == ["wuhan-jiangan-2024-gov-report"]


REACH = """\
version: 1
documents:
  - {id: jiangan-2024, title: 江岸区2024年政府工作报告, locality: 湖北省武汉市江岸区}
  - {id: jiangan-2023, title: 江岸区2023年政府工作报告, locality: 湖北省武汉市江岸区}
  - {id: tancheng-2024, title: 郯城县2024年政府工作报告, locality: 山东省临沂市郯城县}
  - {id: somewhere, title: 无地点的报告}
terms:
  - id: deng-ling-qi-ye
    term: 瞪羚企业
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - {doc: jiangan-2024, kind: usage, quote: 培育瞪羚企业}
          - {doc: jiangan-2024, kind: usage, quote: 瞪羚企业倍增}
          - {doc: jiangan-2023, kind: usage, quote: 瞪羚企业}
      - scope: 山东省临沂市郯城县
        sources:
          - {doc: tancheng-2024, kind: usage, quote: 瞪羚企业}
  - id: pending
    term: 某某工程
    status: candidate
    senses:
      - sources:
          - {doc: somewhere, kind: usage, quote: 某某工程}
"""


@pytest.fixture
def reach(tmp_path) -> Catalog:
    path = tmp_path / "terms.yaml"
    path.write_text(REACH, encoding="utf-8")
    return Catalog(store.load(path))


def test_reach_counts_distinct_reports_and_places_across_senses(reach):
    found = reach.reach(reach.glossary.term("deng-ling-qi-ye"))
    assert (found.reports, found.places) == (3, 2)


def test_reach_of_a_report_without_a_place_counts_no_place(reach):
    found = reach.reach(reach.glossary.term("pending"))
    assert (found.reports, found.places) == (1, 0)
