from __future__ import annotations

import itertools
import random

import pytest
import yaml
from whoosh import query as q

from glossary import index, postings, store
from tests.conftest import SHIPPED_GLOSSARY
from tests.test_index import _split_in_parts

BLOCK = 128  # Whoosh's postings per block: longer lists span several


@pytest.fixture(scope="module")
def glossary(tmp_path_factory):
    """1,500 terms, each defined by three of the shipped definitions: the commonest
    words are in hundreds of definitions, as in a grown glossary."""
    shipped = store.load(SHIPPED_GLOSSARY)
    definitions = sorted({t.definition for t in shipped.terms if t.definition})
    rng = random.Random(17)
    sources = [{"doc": "doc", "kind": "glossary", "quote": "名词解释"}]
    senses = ({"definition": "".join(rng.sample(definitions, 3)), "scope": "浙江省",
               "sources": sources} for _ in itertools.count())  # fmt: skip
    terms = [
        {"id": f"term-{n}", "term": f"测试术语{n}", "status": "reviewed", "senses": [sense]}
        for n, sense in zip(range(1500), senses, strict=False)
    ]
    document = {"id": "doc", "title": "报告", "locality": "浙江省", "date": "2026-01-01"}
    path = tmp_path_factory.mktemp("grown") / "terms.yaml"
    data = {"version": 1, "documents": [document], "terms": terms}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return store.load(path)


@pytest.fixture(scope="module")
def one_segment(glossary, tmp_path_factory):
    return index.open_index(index.build(glossary, tmp_path_factory.mktemp("one"), "whole"))


@pytest.fixture(scope="module")
def two_segments(glossary, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        _split_in_parts(patch, 2)
        path = index.build(glossary, tmp_path_factory.mktemp("two"), "parted")
    return index.open_index(path)


def _word_sets(searcher) -> list[list[str]]:
    """Words of the definitions, from the most common down: pairs and triples of the
    commonest (long posting lists, many shared documents), and rare ones among them."""
    reader = searcher.reader()
    counted = sorted(
        ((reader.doc_frequency("definition", w), w) for w in reader.field_terms("definition")),
        reverse=True,
    )
    common = [w for _, w in counted[:12]]
    rare = [w for n, w in counted if n == 2][:3]
    assert counted[0][0] > 2 * BLOCK, "the test needs posting lists of several blocks"
    sets = [[w] for w in common + rare]
    sets += [list(pair) for pair in itertools.combinations(common[:8], 2)]
    sets += [list(triple) for triple in itertools.combinations(common[:6], 3)]
    sets += [[common[0], w] for w in rare] + [[common[0], "不在任何定义里的词"]]
    return sets


def _whoosh(searcher, words: list[str], limit: int) -> list[tuple[float, int]]:
    found = searcher.search(q.And([q.Term("definition", w) for w in words]), limit=limit)
    return list(found.top_n)


def _ranked(hits: list[tuple[float, int]]) -> list[int]:
    return [n for _, n in sorted(hits, key=lambda hit: (-round(hit[0], 9), hit[1]))]


@pytest.mark.parametrize("built", ["one_segment", "two_segments"])
def test_all_words_rank_as_whoosh_ranks_them(built, request):
    with request.getfixturevalue(built).searcher() as searcher:
        compared = 0
        for words, limit in itertools.product(_word_sets(searcher), (300, 7)):
            expected = _whoosh(searcher, words, limit)
            found = postings.best(searcher, "definition", words, limit)
            assert [s for s, _ in found] == pytest.approx([s for s, _ in expected], rel=1e-12)
            # Equal scores, as Whoosh may sum them apart by the last bit: by document number.
            assert [n for _, n in found] == _ranked(found) == _ranked(expected), (words, limit)
            scores = sorted({s for s, _ in found})
            assert all(b - a > 1e-9 for a, b in itertools.pairwise(scores)), "split ties"
            compared += len(expected)
        assert compared > 1000


def test_documents_equal_in_score_come_in_document_order(one_segment):
    with one_segment.searcher() as searcher:
        common = max(searcher.reader().field_terms("definition"),
                     key=lambda w: searcher.reader().doc_frequency("definition", w))  # fmt: skip
        found = postings.best(searcher, "definition", [common], 300)
        ties = [(s, n) for (s, n), (t, _) in itertools.pairwise(found) if s == t]
        assert ties, "the most common word should give some documents the same score"
        assert found == sorted(found, key=lambda hit: (-hit[0], hit[1]))


def test_a_word_in_no_definition_finds_nothing(one_segment):
    with one_segment.searcher() as searcher:
        assert postings.best(searcher, "definition", ["不在任何定义里的词"], 10) == []
        assert postings.best(searcher, "definition", ["发展", "不在任何定义里的词"], 10) == []


def test_a_segment_reads_each_posting_list_whole_as_whoosh_walks_it(two_segments):
    with two_segments.searcher() as searcher:
        several_blocks = 0
        for leaf, _ in searcher.leaf_searchers():
            reader = leaf.reader()
            for word in reader.field_terms("definition"):
                matcher = reader.postings("definition", word)
                walked = []
                while matcher.is_active():
                    walked.append((matcher.id(), matcher.weight()))
                    matcher.next()
                ids, weights = reader._terms.postings("definition", word.encode("utf-8"))
                assert list(zip(ids, weights, strict=True)) == walked, word
                several_blocks += len(walked) > BLOCK
    assert several_blocks >= 10
