from __future__ import annotations

import contextlib
import time

import pytest
import yaml

from glossary import store, text
from glossary.query import QueryError
from glossary.search import Search
from tests.conftest import SHARED, SHIPPED_GLOSSARY

QUERY_FILES = [
    SHARED / "queries-public.yaml",
    SHIPPED_GLOSSARY.parents[1] / "tests" / "search_queries.yaml",
]


@pytest.fixture(scope="module")
def search(tmp_path_factory) -> Search:
    return Search.build(store.load(SHIPPED_GLOSSARY), tmp_path_factory.mktemp("index"))


def all_queries() -> list[str]:
    found = []
    for path in QUERY_FILES:
        if path.exists():
            found += [item["q"] for item in yaml.safe_load(path.read_text("utf-8"))["queries"]]
    return found


def top(search: Search, q: str, **filters) -> tuple[str, str]:
    hit = search.search(q, **filters).hits[0]
    return hit.term, hit.matched


@pytest.mark.parametrize(
    ("q", "term", "matched"),
    [
        ("三个区分开来", "三个区分开来", "headword"),
        ("放管服", "“放管服”改革", "alias"),
        ("sangequfenkailai", "三个区分开来", "pinyin"),
        ("sgqfkl", "三个区分开来", "initials"),
        ("sangequ", "三个区分开来", "pinyin prefix"),
        ("区分开来", "三个区分开来", "substring"),
        ("qufenkailai", "三个区分开来", "pinyin substring"),
        ("决策共谋", "“五共”理念", "definition"),
        ("sanggequfenkailai", "三个区分开来", "fuzzy pinyin"),
        ("xinzhshengchnli", "新质生产力", "fuzzy pinyin"),  # two letters left out
        ("tuitonghailu", "退桶还路", "fuzzy pinyin"),  # 还 read huán, typed hái
    ],
)
def test_each_way_of_typing_finds_the_term_and_says_how(search, q, term, matched):
    assert top(search, q) == (term, matched)


def test_tiers_rank_headword_above_substring_and_definition(search):
    hits = search.search("双减").hits
    assert (hits[0].term, hits[0].matched) == ("双减", "headword")
    assert [h.matched for h in hits] == sorted(
        [h.matched for h in hits],
        key=["headword", "alias", "pinyin", "initials", "prefix", "pinyin prefix",
             "initials prefix", "substring", "pinyin substring", "definition",
             "fuzzy pinyin", "similar"].index,
    )  # fmt: skip


def test_definition_hits_carry_highlight_spans_into_the_printed_definition(search):
    hit = search.search("决策共谋").hits[0]
    assert [hit.definition[s:e] for s, e in hit.highlights] == ["决策共谋"]


def test_filters_by_status_and_locality(search):
    candidates = search.search("工程", limit=50, status="candidate").hits
    assert candidates and all(h.status == "candidate" for h in candidates)
    huarong = search.search("清单", limit=50, locality="华容区").hits
    assert "社区治理“三张清单”" in [h.term for h in huarong]
    assert all("华容区" in h.scope for h in huarong if h.id != "she-qu-zhi-li-san-zhang-qing-dan")


@pytest.mark.parametrize("q", all_queries())
def test_fast_lane_answers_as_the_full_search_would(search, q):
    fast, full = search.find(q, limit=1), search.find(q, limit=100)
    assert [(h.id, h.matched, h.score) for h in fast.hits] == [
        (h.id, h.matched, h.score) for h in full.hits[:1]
    ]


def test_suggest_completes_pinyin_initials_and_characters(search):
    assert search.suggest("sgqfkl")[0].term == "三个区分开来"
    assert search.suggest("xinzhi")[0].term == "新质生产力"
    completions = {s.term for s in search.suggest("三个", limit=50)}
    assert {"三个务必", "三个区分开来"} <= completions
    assert all(text.key(term).startswith("三个") for term in completions)
    assert len(search.suggest("s", limit=10)) == 10


def test_suggestions_put_reviewed_terms_before_candidates_within_one_fit(search):
    offered = search.suggest("san", limit=8)
    statuses = [search.keys[s.id].term.status for s in offered]
    assert statuses == sorted(statuses, key=["reviewed", "candidate"].index)
    assert statuses[0] == "reviewed"
    assert "三个区分开来" in [s.term for s in offered[:3]]


def test_suggestions_of_one_fit_and_status_come_in_pinyin_order(search):
    reviewed = [s for s in search.suggest("san", limit=20) if s.id in REVIEWED_SAN]
    assert [s.term for s in reviewed][:3] == ["“三代”工作法", "三个区分开来", "三个务必"]
    assert search.suggest("san", limit=20) == search.complete("san", limit=20)  # stable


REVIEWED_SAN = {"san-dai-gong-zuo-fa", "san-ge-qu-fen-kai-lai", "san-ge-wu-bi"}


# A candidate that is the whole of what is typed, a reviewed term it only starts.
ORDERED = """\
version: 1
documents:
  - {id: report, title: 测试报告}
terms:
  - id: shuang-jian-gong-zuo-ji-zhi
    term: 双减工作机制
    status: reviewed
    senses:
      - definition: 落实双减的工作机制。
        sources: [{doc: report, kind: glossary, quote: "双减工作机制:落实双减的工作机制。"}]
  - id: shuang-jian
    term: 双减
    status: candidate
    senses:
      - sources: [{doc: report, kind: usage, quote: 落实双减}]
"""


def test_a_whole_form_comes_before_longer_terms_it_starts(tmp_path):
    (tmp_path / "terms.yaml").write_text(ORDERED, encoding="utf-8")
    search = Search.build(store.load(tmp_path / "terms.yaml"), tmp_path / "index")
    # 双减 is a candidate and 双减工作机制 reviewed: the whole form still comes first.
    assert [s.term for s in search.suggest("shuangjian")] == ["双减", "双减工作机制"]
    assert [s.term for s in search.suggest("双减")] == ["双减", "双减工作机制"]


def _many_holding(piece: str, count: int) -> str:
    """A glossary of ``count`` candidates holding ``piece`` after their start, and one
    reviewed term holding it too, last in code-point order."""
    terms = [
        {"id": f"c{n}", "term": f"{n:04d}{piece}", "status": "candidate",
         "senses": [{"sources": [{"doc": "report", "kind": "usage", "quote": f"{n:04d}{piece}"}]}]}
        for n in range(count)
    ]  # fmt: skip
    quoted = {"doc": "report", "kind": "glossary", "quote": "测试用的定义。"}
    terms.append(
        {"id": "reviewed", "term": f"龘{piece}工作法", "status": "reviewed",
         "senses": [{"definition": "测试用的定义。", "sources": [quoted]}]}
    )  # fmt: skip
    data = {"version": 1, "documents": [{"id": "report", "title": "测试报告"}], "terms": terms}
    return yaml.safe_dump(data, allow_unicode=True)


def test_a_piece_inside_more_terms_than_are_ranked_still_finds_the_best_first(tmp_path):
    # 400 candidates hold 机制, more than a search ranks: the reviewed term must not be
    # left out because its headword sorts last.
    (tmp_path / "terms.yaml").write_text(_many_holding("机制", 400), encoding="utf-8")
    search = Search.build(store.load(tmp_path / "terms.yaml"), tmp_path / "index")
    hits = search.find("机制").hits
    assert (hits[0].term, hits[0].matched) == ("龘机制工作法", "substring")
    # Then candidates of one length in the order of their reading, as ranked in full.
    readings = [h.pinyin for h in hits[1:]]
    assert len(readings) == 9 and readings == sorted(readings)
    assert search.suggest("机制")[0].term == "龘机制工作法"


def test_suggestions_find_what_is_typed_inside_a_headword_after_its_start(search):
    offered = [s.term for s in search.suggest("决策")]
    assert offered[:2] == ["“三重一大”集体决策制度", "“五个纳入”决策机制"]
    assert all("决策" in text.key(term) for term in offered)


def test_suggestions_find_a_syllable_typed_from_inside_a_reading(search):
    offered = [s.term for s in search.suggest("jue")]
    assert "“三重一大”集体决策制度" in offered
    assert all("jué" in s.pinyin.split() for s in search.suggest("jue"))


def test_a_term_read_aloud_is_found_by_its_digits_and_by_its_reading(search):
    for typed in ("531", "wusanyi", "wu san yi chan ye", "wsycytx", "531chanye", "531cytx"):
        assert search.search(typed).hits[0].term == "“531”产业体系", typed
        assert search.suggest(typed)[0].term == "“531”产业体系", typed
    assert search.search("531").hits[0].pinyin == "wǔ sān yī chǎn yè tǐ xì"


def test_definition_hits_count_terms_whose_definition_holds_the_words(search):
    assert search.definition_hits("决策共谋") == 1
    assert search.definition_hits("决策") >= 2
    assert search.definition_hits("sangequfenkailai") == 0  # pinyin is not definition text
    assert search.definition_hits("三个区分开来并无此词") == 0


HOSTILE = [
    "AND OR NOT", "title:三个 AND (", "*", "三个*", "?", '"unbalanced', "“三个", "[]{}^~",
    "\x00\x07\x1b[31m", "\ud800\udfff", "😀🏛️", "三" * 10_000, "a" * 10_000, "%00",
    "<script>alert(1)</script>", "../../etc/passwd", "sangequfenkailai" * 6, "   ",
]  # fmt: skip


@pytest.mark.parametrize("q", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_or_refuse_quickly(search, q):
    search.find("warm up", limit=1)
    started = time.perf_counter()
    with contextlib.suppress(QueryError):
        search.find(q, limit=10)
    assert time.perf_counter() - started < 0.05
