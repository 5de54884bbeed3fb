"""The documents holding every one of some words, best first by Whoosh's BM25F.

Whoosh answers ``And([Term(field, w) ...])`` by walking the intersection one posting at
a time, several method calls each: about a millisecond a query at 10,000 terms, where a
query's words share a few hundred definitions. Here each word's whole posting list is
read from Whoosh's files in one go (``index``'s terms reader), scored by Whoosh's own
formula with Whoosh's statistics, and intersected with numpy: the same documents with
the same scores in the same order, ties by document number as Whoosh breaks them.
Whoosh adds a query's words up in an order it picks for each segment, so two equal
scores in two segments can differ in the last bit; here they are added in one order
everywhere and stay equal.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

# A document's field length is stored as one byte; this table undoes the encoding.
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


def best(searcher: Searcher, field: str, words: list[str], limit: int) -> list[tuple[float, int]]:
    """(score, document number) of the ``limit`` best documents whose ``field`` holds
    every one of ``words``: ``searcher.search(And([Term(field, w) ...]), limit).top_n``."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F or searcher.reader().has_deletions() or not words:
        # Not the index this service writes: Whoosh's own way.
        found = searcher.search(wq.And([wq.Term(field, w) for w in words]), limit=limit)
        return list(found.top_n)
    scored = _Bm25(searcher, field)
    # The rarest word first (every other is only looked up at its documents), and in
    # one order for every segment, so equal scores are summed alike and stay equal.
    words = sorted(words, key=lambda w: (searcher.doc_frequency(field, w), w))
    numbers, scores = [], []
    for leaf, offset in searcher.leaf_searchers():
        matched = scored.all_of(leaf.reader(), words)
        if matched is not None:
            numbers.append(matched[0] + offset)
            scores.append(matched[1])
    if not numbers:
        return []
    number, score = np.concatenate(numbers), np.concatenate(scores)
    order = np.lexsort((number, -score))[:limit]  # ties: the lower document number first
    return list(zip(score[order].tolist(), number[order].tolist(), strict=True))


class _Bm25:
    """Whoosh's BM25F for one field, over whole posting lists of one segment at a time.
    Statistics (idf, average length) are the whole index's, as Whoosh's scorer reads."""

    def __init__(self, searcher: Searcher, field: str):
        weighting = searcher.weighting
        self.searcher, self.field = searcher, field
        self.b = weighting._field_B.get(field, weighting.B)
        self.k1 = weighting.K1
        self.average = searcher.avg_field_length(field) or 1

    def all_of(self, reader, words: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """(document numbers, summed scores) of the segment's documents holding every
        word, in document order; None if there are none. Scores are added up in the
        order of ``words``."""
        if not all(reader.doc_frequency(self.field, w) for w in words):
            return None
        # The stored column as it is (a byte a document): only the postings' are decoded.
        encoded = np.frombuffer(reader._perdoc.length_bytes(self.field), dtype=np.uint8)
        to_bytes = reader.schema[self.field].to_bytes
        number = score = None
        for word in words:
            listed, weights = reader._terms.postings(self.field, to_bytes(word))
            ids = np.array(listed, dtype=np.int64)
            part = self._scores(word, weights, _LENGTHS[encoded[ids]])
            if number is None:
                number, score = ids, part
                continue
            at = np.minimum(np.searchsorted(ids, number), len(ids) - 1)
            kept = ids[at] == number
            number, score = number[kept], score[kept] + part[at[kept]]
            if not len(number):
                return None
        return number, score

    def _scores(self, word: str, weights: list[float], lengths: np.ndarray) -> np.ndarray:
        # whoosh.scoring.bm25, operation for operation, so the floats come out the same.
        tf = np.array(weights, dtype=np.float64)
        idf, b, k1 = self.searcher.idf(self.field, word), self.b, self.k1
        return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * lengths / self.average)))
