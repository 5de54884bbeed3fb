"""Search quality over the shipped glossary: the query sets a user would type.

Two query files, one shape (``queries: - {q, want, kind}``, ``want`` = headwords without
quote marks that are acceptable as the first result):

- ``../shared/queries-public.yaml``: every query must put a wanted term first (success@1),
  one test per query;
- ``tests/search_queries.yaml``: our own, broader set. Across it MRR@10 must be at least
  0.95, and every query should succeed at 1; the misses are listed together in one test so
  that one weak query does not hide the others.

Run with ``-s`` to see MRR@10, success@1 and the figures per kind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from glossary import store, text
from glossary.search import Search

REPO = Path(__file__).resolve().parents[1]
SHIPPED_GLOSSARY = REPO / "data" / "terms.yaml"
PUBLIC_QUERIES = REPO.parent / "shared" / "queries-public.yaml"
OUR_QUERIES = Path(__file__).resolve().parent / "search_queries.yaml"

DEPTH = 10
MRR_FLOOR = 0.95


@dataclass(frozen=True)
class Case:
    q: str
    want: tuple[str, ...]
    kind: str


def load_cases(path: Path) -> list[Case]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]
    return [Case(str(i["q"]), tuple(str(w) for w in i["want"]), str(i["kind"])) for i in items]


PUBLIC = load_cases(PUBLIC_QUERIES)
OURS = load_cases(OUR_QUERIES)


@pytest.fixture(scope="module")
def search(tmp_path_factory: pytest.TempPathFactory) -> Search:
    return Search.build(store.load(SHIPPED_GLOSSARY), tmp_path_factory.mktemp("search-index"))


def rank(search: Search, case: Case) -> tuple[int | None, list[str]]:
    """1-based rank of the first wanted headword in the top DEPTH, and the headwords seen."""
    wanted = {text.key(w) for w in case.want}
    terms = [hit.term for hit in search.search(case.q, limit=DEPTH).hits[:DEPTH]]
    for position, term in enumerate(terms, start=1):
        if text.key(term) in wanted:
            return position, terms
    return None, terms


def describe(case: Case, position: int | None, terms: list[str]) -> str:
    where = f"not in the top {DEPTH}" if position is None else f"at rank {position}"
    return f"[{case.kind}] {case.q!r}: want {list(case.want)}, {where}; got {terms[:5]}"


def test_query_files_are_well_formed() -> None:
    headwords = {text.key(t.term) for t in store.load(SHIPPED_GLOSSARY).terms}
    kinds: defaultdict[str, int] = defaultdict(int)
    for case in PUBLIC + OURS:
        assert case.q.strip() and case.want, case
        unknown = [w for w in case.want if text.key(w) not in headwords]
        assert not unknown, f"{case.q!r} wants headwords the glossary lacks: {unknown}"
    for case in OURS:
        kinds[case.kind] += 1
    assert len(OURS) >= 45
    thin = {kind: n for kind, n in kinds.items() if n < 3}
    assert not thin, f"kinds with fewer than 3 queries: {thin}"


@pytest.mark.parametrize("case", PUBLIC, ids=[c.q for c in PUBLIC])
def test_public_query_first(search: Search, case: Case) -> None:
    position, terms = rank(search, case)
    assert position == 1, describe(case, position, terms)


def test_our_queries_mrr(search: Search) -> None:
    by_kind: defaultdict[str, list[float]] = defaultdict(list)
    first: defaultdict[str, list[bool]] = defaultdict(list)
    for case in OURS:
        position, _ = rank(search, case)
        by_kind[case.kind].append(0.0 if position is None else 1.0 / position)
        first[case.kind].append(position == 1)
    scores = [s for values in by_kind.values() for s in values]
    mrr = sum(scores) / len(scores)
    hits = sum(sum(values) for values in first.values())
    print(f"\nMRR@{DEPTH} = {mrr:.3f}, success@1 = {hits}/{len(scores)} over {len(scores)} queries")
    for kind in sorted(by_kind):
        values = by_kind[kind]
        print(
            f"  {kind:20} n={len(values):2}  MRR@{DEPTH}={sum(values) / len(values):.3f}"
            f"  success@1={sum(first[kind])}/{len(values)}"
        )
    assert mrr >= MRR_FLOOR, f"MRR@{DEPTH} {mrr:.3f} < {MRR_FLOOR}"


def test_our_queries_first(search: Search) -> None:
    misses = []
    for case in OURS:
        position, terms = rank(search, case)
        if position != 1:
            misses.append(describe(case, position, terms))
    assert not misses, f"{len(misses)} of {len(OURS)} queries miss at 1:\n" + "\n".join(misses)
