"""Finding terms however people type them, and saying why each one matched.

    search = Search.build(glossary, Path("instance/index"))
    search.search("sgqfkl").hits[0].term        # '三个区分开来'
    search.suggest("xinzhi")[0].term             # '新质生产力'

Candidates come from maps in memory (whole forms and readings, their starts, pieces
inside them, other readings and confusable sounds) and, for words of a definition,
from the Whoosh index (``glossary.index``, ranked by ``glossary.postings``); each
candidate is then placed in a tier by exact checks against the term's own keys, so
the order is the same however it was found:

    headword 7 > alias 6 > pinyin / initials 5 > prefix 4 > substring 3
    > definition 2 > fuzzy pinyin / other reading 1

Within a tier: definition hits by Whoosh's BM25 score, then reviewed before
candidate, shorter headwords first.

Suggestions (``suggest``) are ordered by how well what was typed fits, then reviewed
before candidate, then in dictionary order (deprecated terms are never offered):

    a whole form > start of the headword or an alias > start of a reading
    > start of the initials > inside the headword or an alias > a syllable inside a reading

``definition_hits`` counts the terms whose definition holds the typed words, so a
suggestion list can offer the search in definitions.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import itertools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydivsufsort import divsufsort, sa_search
from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.index import EmptyIndexError, FileIndex
from whoosh.searching import Searcher

from glossary import config, index, pinyin, places, postings, segment, text
from glossary.errors import GlossaryError
from glossary.model import Glossary, Term
from glossary.query import Query, understand

CANDIDATES = 300
# Closeness within the lowest tier: another reading of a polyphone is nearer to what
# was typed than a confusable sound (zh/z, ang/an), which is nearer than a slip; a
# reading some slips away scores minus their number.
ALTERNATIVE, SOUND = 2.0, 1.0
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_TONED = re.compile(r"[a-z][1-5]")
# Pinyin typed from the middle of a reading (qufenkailai): about two syllables at least,
# and readings run to ~60 letters, so longer input cannot be inside one.
PINYIN_INSIDE = range(6, 61)
MAX_LIMIT = 100
STATUS_ORDER = {"reviewed": 0, "candidate": 1, "deprecated": 2}
# How well a suggestion fits what was typed, best first (the form kinds of _prefixes).
EXACT, WRITTEN, READING, INITIALS, INSIDE, SYLLABLE_INSIDE = range(6)


class IndexUnavailable(GlossaryError):
    """The index is gone and cannot be built now; the caller may try again shortly."""

    status = 503
    code = "index_unavailable"
    retry_after = 5


@dataclass
class Hit:
    id: str
    term: str
    pinyin: str
    definition: str | None
    status: str
    scope: str | None
    matched: str
    score: float
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]


@dataclass
class Suggestion:
    id: str
    term: str
    pinyin: str


@dataclass(slots=True)
class _Keys:
    """Everything a term can be found by, precomputed once per index.

    Tuples, not sets: a term has a few keys of each kind, a tuple of them takes a
    fifth of a set's memory and is searched as fast, and slots spare a dict per term.
    """

    term: Term
    headword: str
    aliases: tuple[str, ...]
    forms: tuple[str, ...]
    readings: tuple[str, ...]  # toneless joined, tone numbers, digits read aloud
    initials: tuple[str, ...]
    fuzzy: tuple[str, ...]  # readings with confusable sounds folded (pinyin.fuzzy_key)
    definition: str
    reading: str  # tone marks, for display
    # Each kind of key again as one text, a newline before each key: a prefix or a
    # piece of any of them is one substring test in C (ranking tests a few a candidate).
    forms_text: str
    readings_text: str
    initials_text: str

    @classmethod
    def of(cls, term: Term, document: dict[str, str]) -> _Keys:
        forms = (document["headword"], *document["alias"].split())
        readings, initials = _distinct(document["pinyin"]), _distinct(document["initials"])
        return cls(
            term=term,
            headword=document["headword"],
            aliases=_distinct(document["alias"]),
            forms=forms,
            readings=readings,
            initials=initials,
            fuzzy=_distinct(document["fuzzy"]),
            definition=text.fold_chars(term.definition or "").lower(),
            reading=pinyin.reading(term.term, term.pinyin),
            forms_text=_lines(forms),
            readings_text=_lines(readings),
            initials_text=_lines(initials),
        )


def _lines(keys: tuple[str, ...]) -> str:
    return "".join("\n" + key for key in keys)


def _distinct(words: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(words.split()))


@dataclass
class Maps:
    """What search keeps in memory beside the index: computed once per glossary version
    (``Maps.of``), and stored with the rest of the version's derived data
    (``glossary.derived``) so that a start with a built index loads it in one step."""

    keys: dict[str, _Keys]
    exact: dict[str, list[str]]
    tails: dict[str, tuple]
    near: _Hashed
    sounds: _Hashed
    alternatives: _Hashed
    spellings: _Spellings
    prefixes: dict[str, list[tuple[str, int, str]]]
    forms: _Inside
    readings: _Inside
    longest_ascii: int

    @classmethod
    def of(cls, glossary: Glossary, documents: dict[str, dict]) -> Maps:
        keys = {
            t.id: _Keys.of(t, documents[t.id]) for t in glossary.terms if t.status != "deprecated"
        }
        # One sorted list of forms per status: a reviewed term is found however many
        # candidates start the same way. Readings with tone numbers are left out: what
        # is typed is matched by its toneless reading (san1ge4 -> sange) too.
        prefixes = {
            status: sorted(
                (form, kind, k.term.id)
                for k in keys.values()
                if k.term.status == status
                for kind, forms in (
                    (WRITTEN, k.forms), (READING, k.readings), (INITIALS, k.initials)
                )
                for form in forms
                if kind != READING or not _TONED.search(form)
            )
            for status in STATUS_ORDER
        }  # fmt: skip
        tails = {i: Search._sort_tail(k) for i, k in keys.items()}
        # Pieces inside forms and readings are listed best term first, so the first
        # matches found are the ones ranking would keep.
        in_order = functools.partial(_ranked_keys, tails)
        return cls(
            keys=keys,
            exact=_exact_map(keys.values()),
            tails=tails,
            near=_Hashed({i: {v for r in k.fuzzy for v in _deletions(r)} for i, k in keys.items()}),
            sounds=_Hashed({i: k.fuzzy for i, k in keys.items()}),
            alternatives=_Hashed({i: documents[i]["alternative"].split() for i in keys}),
            spellings=_Spellings(f for k in keys.values() for f in k.fuzzy),
            prefixes=prefixes,
            forms=_Inside(in_order((f, i) for i, k in keys.items() for f in k.forms)),
            # Readings as typed without tones: numbered syllables (san1ge4) triple the text.
            readings=_Inside(
                in_order(
                    (r, i) for i, k in keys.items() for r in k.readings if not _TONED.search(r)
                )
            ),
            longest_ascii=max(
                (len(run) for k in keys.values() for f in k.forms for run in _ASCII_RUN.findall(f)),
                default=0,
            ),
        )


def _ranked_keys(tails: dict[str, tuple], keyed) -> list[tuple[str, str]]:
    """(key, term id) pairs, the best-ranked term's first (``Search._sort_tail``)."""
    return sorted(keyed, key=lambda pair: (tails[pair[1]], pair[0]))


class Search:
    """Search and suggest over one glossary and its Whoosh index (immutable)."""

    def __init__(
        self,
        glossary: Glossary,
        index_path: Path,
        documents: dict | None = None,
        maps: Maps | None = None,
    ):
        """Search ``glossary`` with its index at ``index_path`` (built there if missing).

        ``documents``: the terms' ``index.document`` dicts by id, if already computed;
        ``maps``: the in-memory maps, if already computed (then the index must exist).
        """
        self.glossary = glossary
        self.index_path = Path(index_path)
        if maps is None:
            documents = documents or {t.id: index.document(t) for t in glossary.terms}
            maps = Maps.of(glossary, documents)
        self.index, self._hold = index.serve(
            glossary,
            self.index_path.parent,
            self.index_path.name,
            None if documents is None else list(documents.values()),
        )
        self._reopening = threading.Lock()
        with self.index.reader() as reader:
            self._defined_words = frozenset(reader.field_terms("definition"))
        segment.load()  # queries are segmented too, even when the index was built elsewhere
        self.maps = maps
        self.keys = maps.keys
        self._exact = maps.exact
        self._tails = maps.tails
        self._near = maps.near
        self._sounds = maps.sounds
        self._alternatives = maps.alternatives
        self._spellings = maps.spellings
        self._prefixes = maps.prefixes
        self._dictionary_order: dict[str, tuple] = {}
        self._forms = maps.forms
        self._readings = maps.readings
        self._longest_ascii = maps.longest_ascii
        self._local = threading.local()
        self._ids: dict[int, str] = {}  # Whoosh document number -> term id
        # Repeated queries (most traffic) are answered from memory until the next reload.
        kept = config.answers_kept()
        self.search = functools.lru_cache(maxsize=kept)(self.find)  # type: ignore[method-assign]
        self.suggest = functools.lru_cache(maxsize=kept)(self.complete)  # type: ignore[method-assign]
        self.definition_hits = functools.lru_cache(maxsize=kept)(self.count_in_definitions)  # type: ignore[method-assign]

    @classmethod
    def build(cls, glossary: Glossary, index_dir: Path, name: str = "glossary") -> Search:
        return cls(glossary, Path(index_dir) / name)

    def find(
        self, raw: str, limit: int = 10, locality: str | None = None, status: str | None = None
    ) -> Results:
        """Rank the terms matching ``raw`` (uncached; ``search`` is the cached face)."""
        query = understand(raw)
        limit = max(1, min(limit, MAX_LIMIT))
        allowed = None
        if locality or status:
            allowed = functools.partial(_allowed, locality=locality, status=status)
        exact = [k for k in self._exact_hits(query) if not allowed or allowed(k.term)]
        if len(exact) >= limit:  # the fast lane: enough exact answers, no Whoosh
            return self._results(query, {k.term.id: 0.0 for k in exact}, limit)
        # Prefixes come from the sorted key list: a Whoosh Prefix over pinyin would expand
        # to thousands of keys for "shua" or "lian".
        scores = {k.term.id: 0.0 for k in exact} | dict.fromkeys(self._starting_with(query), 0.0)
        if _may_be_inside(query.key, self._longest_ascii):
            scores |= dict.fromkeys(self._forms.containing(query.key), 0.0)
        if query.pinyin:
            if len(query.pinyin) in PINYIN_INSIDE:
                scores |= dict.fromkeys(self._readings.containing(query.pinyin), 0.0)
            scores |= dict.fromkeys(self._sounds.get(pinyin.fuzzy_key(query.pinyin)), SOUND)
            scores |= dict.fromkeys(self._alternatives.get(query.pinyin), ALTERNATIVE)
        if query.words:
            scores |= dict(self._defined_by(query.words))
        if not scores and query.pinyin and 5 <= len(query.pinyin) <= 60:
            # Typo tolerance only when nothing matched as typed.
            scores = dict.fromkeys(self._near_misses(query.pinyin), -1.0)
            if not scores and len(query.pinyin) >= 8:  # two slips in a long reading: slower
                scores = self._two_slips_away(query.pinyin)
        return self._results(query, scores, limit, allowed)

    def complete(self, raw: str, limit: int = 10) -> list[Suggestion]:
        """Terms that fit what is being typed, best fit first (see the module's order).

        Uncached; ``suggest`` is the cached face.
        """
        query = understand(raw)
        count = max(1, min(limit, MAX_LIMIT))
        fits = self._starting_with(query)
        # Weaker fits only while the stronger ones leave room: they cost a search each.
        # Pinyin is inside no headword but in Latin runs, which its readings spell too.
        if len(fits) < count and query.kind != "pinyin":
            fits = {i: INSIDE for i in self._inside_forms(query)} | fits
        if len(fits) < count and query.pinyin:
            fits = {i: SYLLABLE_INSIDE for i in self._syllables_inside(query.pinyin)} | fits
        ordered = heapq.nsmallest(count, fits, key=lambda i: (fits[i], *self._in_order(i)))
        return [Suggestion(i, self.keys[i].term.term, self.keys[i].reading) for i in ordered]

    def count_in_definitions(self, raw: str) -> int:
        """How many terms (up to ``MAX_LIMIT``) a search finds by the words of their
        definition: 决策 -> the terms whose definition holds 决策. Uncached;
        ``definition_hits`` is the cached face."""
        query = understand(raw)
        if not query.words:
            return 0
        found = (self.keys.get(i) for i, _ in self._defined_by(query.words, MAX_LIMIT))
        return sum(1 for k in found if k and all(w in k.definition for w in query.words))

    def _starting_with(self, query: Query) -> dict[str, int]:
        """Terms with a form starting with the query: id -> the best fit (EXACT for a
        whole form, else the kind of form: WRITTEN, READING or INITIALS)."""
        best: dict[str, int] = {}
        for prefix in dict.fromkeys(filter(None, (query.key, query.pinyin))):
            for forms in self._prefixes.values():
                start = bisect.bisect_left(forms, (prefix,))
                for form, kind, term_id in forms[start : start + CANDIDATES]:
                    if not form.startswith(prefix):
                        break
                    fit = EXACT if form == prefix else kind
                    best[term_id] = min(best.get(term_id, fit), fit)
        return best

    def _inside_forms(self, query: Query) -> list[str]:
        """Terms whose headword or an alias holds what was typed: 决策 -> “三重一大”集体决策制度."""
        return self._forms.containing(query.key)

    def _syllables_inside(self, typed: str) -> list[str]:
        """Terms whose reading has a syllable starting what was typed, inside it:
        jue -> “三重一大”集体决策制度 (sān zhòng yī dà jí tǐ jué cè zhì dù)."""
        if len(typed) < 2:
            return []
        found = self._readings.containing(typed)
        return [i for i in found if pinyin.starts_a_syllable(typed, self.keys[i].reading)]

    def _in_order(self, term_id: str) -> tuple:
        """Reviewed before candidate, then dictionary order (digits as printed first)."""
        order = self._dictionary_order.get(term_id)
        if order is None:
            term = self.keys[term_id].term
            reading = pinyin.read(term.term, term.pinyin)
            order = (STATUS_ORDER[term.status], reading.written, reading.numbers, term_id)
            self._dictionary_order[term_id] = order
        return order

    def _exact_hits(self, query: Query) -> list[_Keys]:
        ids = dict.fromkeys([*self._exact.get(query.key, []), *self._exact.get(query.pinyin, [])])
        return [self.keys[i] for i in ids]

    def _near_misses(self, typed: str) -> set[str]:
        """Terms whose reading is one slip (a letter wrong, missing, extra or swapped) away.

        Confusable sounds (zh/z, ang/an, n/l …) are folded first, so they cost nothing.
        """
        key = pinyin.fuzzy_key(typed)
        found: set[str] = set()
        for variant in _deletions(key):
            found |= self._near.get(variant)
        return found

    def _two_slips_away(self, typed: str) -> dict[str, float]:
        """Terms whose reading is two slips away, nearest first: {id: -slips}."""
        found: dict[str, float] = {}
        for key, slips in self._spellings.near(pinyin.fuzzy_key(typed), 2):
            for term_id in self._sounds.get(key):
                found.setdefault(term_id, -float(slips))  # a term's nearest reading counts
        return found

    def _defined_by(
        self, words: tuple[str, ...], limit: int = CANDIDATES
    ) -> list[tuple[str, float]]:
        """(id, BM25 score) of the terms whose definition holds every word, best first.

        A word inside another of the words (生产 in 生产力) is not asked for: jieba's
        search mode gave every definition holding the longer word the shorter one too.
        A word in no definition (most of a headword's) answers at once, without Whoosh.
        """
        widest = [w for w in words if not any(w != o and w in o for o in words)]
        if not all(w in self._defined_words for w in widest):
            return []
        searcher = self._searcher()
        found = postings.best(searcher, "definition", widest, limit)
        return [(self._id_at(searcher, docnum), score) for score, docnum in found]

    def _id_at(self, searcher: Searcher, docnum: int) -> str:
        # A stored field costs a file read and an unpickling; an index's numbering of
        # its documents never changes (a rebuilt one numbers them as the first did).
        term_id = self._ids.get(docnum)
        if term_id is None:
            term_id = self._ids[docnum] = searcher.stored_fields(docnum)["id"]
        return term_id

    def _searcher(self) -> Searcher:
        # Whoosh searchers are not thread-safe: one per thread, reused across requests.
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            try:
                searcher = self.index.searcher()
            except (EmptyIndexError, OSError):
                searcher = self._rebuilt().searcher()
            self._local.searcher = searcher
        return searcher

    def _rebuilt(self) -> FileIndex:
        """The index again, built anew if its files were removed under this process
        (searchers already open keep reading the old files; new threads cannot)."""
        with self._reopening:
            try:
                self.index.searcher().close()  # another thread may have rebuilt it
                return self.index
            except (EmptyIndexError, OSError):
                pass
            try:
                self.index, self._hold = index.serve(
                    self.glossary, self.index_path.parent, self.index_path.name
                )
            except OSError as error:
                raise IndexUnavailable(f"the search index cannot be rebuilt: {error}") from None
            return self.index

    def _results(
        self,
        query: Query,
        scores: dict[str, float],
        limit: int,
        allowed: Callable[[Term], bool] | None = None,
    ) -> Results:
        """The best ``limit`` of the terms found ({id: score}) that ``allowed`` lets
        through (None: all), as hits: only those are made."""
        tier_of, tails, keyed = _Tiers(query).of, self._tails, self.keys
        placed = []
        for term_id, score in scores.items():
            keys = keyed.get(term_id)
            if keys is None or (allowed and not allowed(keys.term)):
                continue
            tier, matched = tier_of(keys)
            within = -score if tier <= 2 else 0.0  # BM25 for definitions, closeness for fuzzy
            placed.append(((-tier, within, tails[term_id]), tier, matched, keys, score))
        best = heapq.nsmallest(limit, placed, key=_first)
        hits = [self._hit(k, query, tier, matched, score) for _, tier, matched, k, score in best]
        return Results(query.raw, len(placed), hits)

    @staticmethod
    def _hit(keys: _Keys, query: Query, tier: int, matched: str, score: float) -> Hit:
        highlights = _highlights(keys.term.definition, query) if matched == "definition" else []
        term = keys.term
        return Hit(
            id=term.id, term=term.term, pinyin=keys.reading, definition=term.definition,
            status=term.status, scope=next(iter(term.scopes), None), matched=matched,
            score=round(tier + (min(score, 999) / 1000 if tier == 2 else 0), 4),
            highlights=highlights,
        )  # fmt: skip

    @staticmethod
    def _sort_tail(keys: _Keys) -> tuple:
        return STATUS_ORDER[keys.term.status], len(keys.headword), keys.reading, keys.term.id


class _Inside:
    """Which keys contain a piece of text; ids come back in the order the keys were given.

    Every key in one UTF-8 text, and the text's suffix array (libdivsufsort, through
    ``pydivsufsort``): a piece is found by binary search over the sorted suffixes, about
    10 microseconds whatever the glossary's size, where a scan of the text took 40 at
    10,000 terms and ten times that at 100,000. UTF-8 is self-synchronising, so a
    piece's bytes are only ever found at the start of a character.
    """

    def __init__(self, keyed: list[tuple[str, str]]):
        keys, self._ids = zip(*keyed, strict=True) if keyed else ((), ())
        encoded = [k.encode() for k in keys]
        self._text = b"\n".join(encoded)
        self._starts = np.fromiter(
            itertools.accumulate((len(k) + 1 for k in encoded), initial=0), dtype=np.int64
        )
        self._suffixes = divsufsort(self._text) if self._text else np.zeros(0, np.int32)

    def containing(self, piece: str, limit: int = CANDIDATES) -> list[str]:
        """Ids of the keys that contain ``piece`` (no newline), at most ``limit``."""
        count, first = sa_search(self._text, self._suffixes, piece.encode()) if piece else (0, 0)
        if not count:
            return []
        places = self._suffixes[first : first + count]
        numbers = np.unique(np.searchsorted(self._starts, places, side="right") - 1)
        found: dict[str, None] = {}
        for number in numbers.tolist():  # in key order: the best-ranked terms first
            found[self._ids[number]] = None
            if len(found) >= limit:
                break
        return list(found)


def _first(placed: tuple) -> tuple:
    return placed[0]


def _allowed(term: Term, locality: str | None, status: str | None) -> bool:
    if status and term.status != status:
        return False
    return not locality or any(places.within(scope, locality) for scope in term.scopes)


def _exact_map(all_keys) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for keys in all_keys:
        for key in {*keys.forms, *keys.readings, *keys.initials}:
            found.setdefault(key, []).append(keys.term.id)
    return found


class _Tiers:
    """The tier of each term found for one query (see the module's order), and what
    the term matched by. A query has up to ``CANDIDATES`` of them: what is tested
    against each is made once, and the tests run from the strongest tier down."""

    def __init__(self, query: Query):
        key, typed = query.key, query.pinyin
        self.query, self.key, self.typed = query, key, typed
        self.key_line = "\n" + key
        self.typed_line = "\n" + typed if typed and len(typed) >= 2 else None
        self.typed_inside = typed if typed and len(typed) >= 4 else None

    def of(self, keys: _Keys) -> tuple[int, str]:
        key, typed, line = self.key, self.typed, self.typed_line
        if key == keys.headword:
            return 7, "headword"
        if key in keys.aliases:
            return 6, "alias"
        if typed and typed in keys.readings:
            return 5, "pinyin"
        if typed and typed in keys.initials:
            return 5, "initials"
        if self.key_line in keys.forms_text:
            return 4, "prefix"
        if line and line in keys.readings_text:
            return 4, "pinyin prefix"
        if line and line in keys.initials_text:
            return 4, "initials prefix"
        if key in keys.forms_text:
            return 3, "substring"
        if self.typed_inside and self.typed_inside in keys.readings_text:
            return 3, "pinyin substring"
        words = self.query.words  # a fast-lane query is segmented only if it gets here
        if words and all(w in keys.definition for w in words):
            return 2, "definition"
        return 1, "fuzzy pinyin" if typed else "similar"


def _highlights(definition: str | None, query: Query) -> list[tuple[int, int]]:
    """Spans of ``definition`` (as printed) that hold the query's words."""
    if not definition:
        return []
    folded = text.fold_chars(definition).lower()
    spans = []
    for word in query.words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + len(word))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _may_be_inside(key: str, longest_ascii: int) -> bool:
    """Whether ``key`` could be a piece of some form: not ASCII longer than any run of
    ASCII in a form (sangequfenkailai is pinyin, not part of a written form)."""
    return bool(key) and "\n" not in key and not (key.isascii() and len(key) > longest_ascii)


def _deletions(key: str) -> set[str]:
    """``key`` and every string one letter shorter: two strings within one slip of each
    other (substitution, insertion, deletion, swap of neighbours) share one of these."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))}


class _Hashed:
    """Which terms have a given key: a one-to-many map held in two sorted arrays, a
    64-bit hash of each key and the number of its term, in place of a dict of sets.

    The deletion variants of a glossary's readings (``_deletions``) are about 60 per
    term: as dict entries and one-element sets they cost 9 KB a term; here they cost
    12 bytes each, in two buffers the preloaded master shares with its workers
    untouched. A hash shared by two keys (one pair in 10^7 at 100,000 terms) only adds
    a candidate, which ranking places like any other.
    """

    def __init__(self, keyed: dict[str, Iterable[str]]):
        hashes, numbers = [], []
        for number, keys in enumerate(keyed.values()):
            for key in set(keys):
                hashes.append(_hash64(key))
                numbers.append(number)
        order = np.argsort(np.array(hashes, dtype=np.uint64), kind="stable")
        self._hashes = np.array(hashes, dtype=np.uint64)[order]
        self._numbers = np.array(numbers, dtype=np.int32)[order]
        self._ids = list(keyed)

    def get(self, key: str) -> set[str]:
        value, hashes = np.uint64(_hash64(key)), self._hashes
        start, end = hashes.searchsorted(value, "left"), hashes.searchsorted(value, "right")
        return {self._ids[n] for n in self._numbers[start:end].tolist()}


class _Spellings:
    """Readings (their fuzzy keys) within some slips of a typed one: a letter wrong,
    missing, extra or two neighbours swapped each count one (optimal string alignment).

    Keys are grouped by first letter, which a slip is assumed to spare (as a reader
    rarely mistypes the first sound), and by length, which each slip changes by one at
    most; ``rapidfuzz`` compares the typed key with each key of the groups in reach, in C.
    """

    def __init__(self, keys: Iterable[str]):
        grouped: dict[tuple[str, int], set[str]] = {}
        for key in keys:
            grouped.setdefault((key[:1], len(key)), set()).add(key)
        self._groups = {place: sorted(group) for place, group in grouped.items()}

    def near(self, typed: str, slips: int) -> list[tuple[str, int]]:
        """(key, slips) of the keys within ``slips`` of ``typed``, nearest first."""
        found = []
        for length in range(len(typed) - slips, len(typed) + slips + 1):
            group = self._groups.get((typed[:1], length), [])
            found += process.extract(
                typed, group, scorer=OSA.distance, score_cutoff=slips, limit=None
            )
        return [(key, int(distance)) for key, distance, _ in sorted(found, key=lambda f: f[1])]


def _hash64(variant: str) -> int:
    # Stable across processes (str hashes are salted per process; the maps are stored).
    return int.from_bytes(hashlib.blake2b(variant.encode(), digest_size=8).digest(), "little")
