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
