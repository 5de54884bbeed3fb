"""Find glossary terms in a text: leftmost-longest matches, no overlaps.

Build an :class:`Annotator` once per glossary and share it: it holds no per-call state.
Spans point into the text exactly as it was sent, in code points (Python) and in
UTF-16 code units (JavaScript), whatever quotes, width or script the text used::

    >>> from glossary.model import Glossary, Sense, Term
    >>> annotator = Annotator(Glossary(terms=[
    ...     Term("san-ge-qu-fen-kai-lai", "三个区分开来", "reviewed"),
    ...     Term("531-chan-ye-ti-xi", "“531”产业体系", "reviewed", aliases=["531"]),
    ... ]))
    >>> for s in annotator.annotate("坚持「三個區分開來」，锚定“531”产业体系"):
    ...     print(s.start, s.end, s.id, s.matched_text)
    3 9 san-ge-qu-fen-kai-lai 三個區分開來
    13 22 531-chan-ye-ti-xi “531”产业体系

``annotate(text, limit=n)`` keeps the first ``n`` spans; :meth:`Annotator.find` gives the
same as columns (:class:`~glossary.spans.Found`, which says whether spans were left out),
without an object per span, for answers of up to ``MAX_SPANS``::

    >>> found = annotator.find("三个区分开来" * 3, limit=2)
    >>> found.starts.tolist(), found.texts, found.truncated
    ([0, 6], ['三个区分开来'], True)

Matching runs an Aho-Corasick automaton (ahocorasick-rs) over
:func:`glossary.text.normalise_with_offsets`, so every fold lives in ``text.py``.
The rules this module adds, and why:

- **Whitespace inside a term is skipped** (``drop_spaces=True``): reports converted from
  PDF or Word break lines, and sometimes words, in the middle of a term. A match still
  never starts or ends on whitespace, never crosses a blank line (two paragraphs), and
  never joins two ASCII letters or digits across a space ("5 31" is two numbers).
- **Quotes**: a span reaches from the first to the last character of the term; a quote
  inside it pulls in its partner, so “531”产业体系 and 社区治理“三张清单” are marked whole,
  while quotes that merely surround a match (“双减”) stay outside.
- **Short patterns**: a form whose key has fewer than 2 characters never matches.
- **ASCII edges**: a form that starts (ends) with an ASCII letter or digit matches only
  where the text has no ASCII letter or digit just before (after) it, full width
  included: 531 is not found in 5312 or a531b, 1+3+N not in 1+3+Nx.
- **Number codes**: a form made only of digits and ``+-./`` (the alias 531 of
  “531”产业体系) matches only where the text quotes it (“531”, "1310"). Reports print
  codes in quotes; a bare number is a quantity: 违章建筑125处 is not the “125”产业体系.
- A match refused by these rules is dropped; the automaton does not look for another
  term inside it (no shipped term could hide there).
- **Shared keys** (one headword used in several places): the term with a sense whose
  scope contains ``locality`` (江岸区 matches 湖北省武汉市江岸区), else the reviewed one,
  else the first in the glossary. Deprecated terms are never matched.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from glossary import places
from glossary.model import Glossary, Term
from glossary.pinyin import reading
from glossary.spans import Found, PrintedForms, Span, nothing_found
from glossary.text import QUOTES, Offsets, fold_width, key, normalise_with_offsets

__all__ = ["MAX_SPANS", "Annotator", "Found", "Span"]

MIN_LENGTH = 2  # one character (a lone 双 or 531's 5) is never a term on its own
# The most spans one answer of the web API holds (``Annotator.find``'s ``limit``). Real
# reports have about 1,500 per MB (the seeds), 3,000 in a 2 MB body: this is 30 times
# that, and an answer of 12 to 16 MB. Past it a text is one term repeated, not a report,
# and every further span would be work spent on nobody.
MAX_SPANS = 100_000

_OPENING = frozenset("“‘「『﹁﹃〝„‚")
_CLOSING = frozenset("”’」』﹂﹄〞〟")
# Straight and high-reversed quotes open and close alike; kept in step with text.QUOTES.
_EITHER = frozenset(QUOTES) - _OPENING - _CLOSING
_QUOTE_CLASS = re.escape(QUOTES)
_ALNUM_CLASS = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"
# What a match may not skip: a blank line, or a space between two ASCII letters or digits.
_BROKEN_GAP = re.compile(
    rf"[{_ALNUM_CLASS}][{_QUOTE_CLASS}]*\s[\s{_QUOTE_CLASS}]*[{_ALNUM_CLASS}]|\n[^\S\n]*\n"
)
_NUMBER_CODE = re.compile(r"[0-9][0-9+./-]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Character classes of the rules, as bits of one table over the BMP (astral code points
# and the ends of the text are in none): one lookup per position for many matches at once.
_ALNUM, _QUOTE, _OPENS, _CLOSES, _EITHER_WAY, _SPACE = 1, 2, 4, 8, 16, 32
_STEPS = 4  # quotes widened at once per side; a span needing more is widened one by one
# What each set of class bits adds to a span's running counts (_gap_verdicts): opening
# less closing quotes; either-way quotes, and whitespace in the high 32 bits.
_BITS = np.arange(64)
_DEPTH_STEP = ((_BITS & _OPENS) > 0).astype(np.int64) - ((_BITS & _CLOSES) > 0)
_TALLY = ((_BITS & _EITHER_WAY) > 0).astype(np.int64) | (
    ((_BITS & _SPACE) > 0).astype(np.int64) << 32
)


_NOTHING = nothing_found()


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One folded form in the automaton and every term that has it."""

    key: str
    terms: tuple[Term, ...]
    default: Term  # the choice when no locality decides
    ascii_start: bool
    ascii_end: bool
    number_code: bool
    bounded: bool  # any of the three above: the text around a match must be checked

    @classmethod
    def of(cls, form_key: str, terms: list[Term]) -> _Pattern:
        reviewed_first = min(terms, key=lambda t: t.status != "reviewed")
        ascii_start = _is_ascii_alnum(form_key[0])
        ascii_end = _is_ascii_alnum(form_key[-1])
        number_code = _NUMBER_CODE.fullmatch(form_key) is not None
        return cls(
            key=form_key,
            terms=tuple(terms),
            default=reviewed_first,
            ascii_start=ascii_start,
            ascii_end=ascii_end,
            number_code=number_code,
            bounded=ascii_start or ascii_end or number_code,
        )


class Annotator:
    """Every non-deprecated form of a glossary, compiled for finding in texts.

    Immutable once built (the reading memo only ever gains equal values), so one
    instance serves every thread.
    """

    def __init__(self, glossary: Glossary):
        keyed = _keyed_forms(glossary)
        self._patterns = tuple(_Pattern.of(k, terms) for k, (terms, _) in keyed.items())
        self._bounded = np.array([p.bounded for p in self._patterns], dtype=bool)
        self._ascii_start = np.array([p.ascii_start for p in self._patterns], dtype=bool)
        self._ascii_end = np.array([p.ascii_end for p in self._patterns], dtype=bool)
        self._number_code = np.array([p.number_code for p in self._patterns], dtype=bool)
        self._labels = [(p.default.id, p.default.term) for p in self._patterns]
        self._keys = tuple(keyed)
        # Spans are mostly written as the glossary prints the form, else as the key.
        printed = (
            (i, form) for i, (k, (_, forms)) in enumerate(keyed.items()) for form in [*forms, k]
        )
        self._forms = PrintedForms(printed, len(self._keys))
        self._automaton = self._compiled()
        self._terms = {t.id: t for t in glossary.terms if t.status != "deprecated"}
        scope_key = functools.cache(key)  # thousands of terms share a handful of scopes
        self._scopes = {t.id: tuple(map(scope_key, t.scopes)) for t in self._terms.values()}
        self._readings: dict[str, str] = {}

    def _compiled(self) -> ahocorasick_rs.AhoCorasick | None:
        if not self._keys:
            return None
        return ahocorasick_rs.AhoCorasick(
            self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    # Stored with a glossary version's derived data (glossary.derived): everything but
    # the automaton, which compiles from the keys in a fraction of the time the rest
    # takes to compute (and does not pickle).
    def __getstate__(self) -> dict:
        return {**self.__dict__, "_automaton": None, "_readings": {}}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._automaton = self._compiled()

    @property
    def patterns(self) -> tuple[str, ...]:
        """The folded forms the automaton looks for, in pattern-index order."""
        return self._keys

    def annotate(
        self, text: str, locality: str | None = None, limit: int | None = None
    ) -> list[Span]:
        """Every glossary term in ``text``, left to right, none overlapping.

        ``locality`` (e.g. 江岸区) picks between terms that share a headword; ``limit``
        keeps the first spans only.
        """
        return self.find(text, locality, limit).spans()

    def find(self, text: str, locality: str | None = None, limit: int | None = None) -> Found:
        """:meth:`annotate` as columns; past ``limit`` spans nothing more is made."""
        if self._automaton is None or len(text) < MIN_LENGTH:
            return _NOTHING
        folded, origin = normalise_with_offsets(text, drop_spaces=True)
        found = _scan(self._automaton, folded)
        if not len(found):
            return _NOTHING
        indexes = np.ascontiguousarray(found[:, 0])
        starts, ends = origin.spans(found[:, 1], found[:, 2])
        # Quotes or whitespace inside a match were skipped in the folded text.
        skipped = (ends - starts) != (found[:, 2] - found[:, 1])
        checked = np.flatnonzero(skipped | self._bounded[indexes])
        classes = _Classes(text)
        kept, gaps, quotes = self._kept(
            text, classes, indexes, starts, ends, skipped, checked, limit
        )
        truncated = limit is not None and len(kept) > limit
        kept = kept[:limit]
        wide = skipped[kept]
        quotes = quotes[np.searchsorted(gaps, kept[wide])]
        starts, ends = _widened(text, classes, starts[kept], ends[kept], wide, quotes)
        indexes = indexes[kept]
        texts, cuts, owners = self._forms.cut(text, classes.points, indexes, starts, ends)
        place = _locality_key(locality)
        labels = self._labels if place is None else self._chosen(set(owners), place)
        starts16, ends16 = _utf16(origin, len(text), starts), _utf16(origin, len(text), ends)
        columns = (starts, ends, starts16, ends16, indexes)
        return Found(*columns, labels, texts, cuts, owners, truncated)

    def _kept(
        self, text, classes, indexes, starts, ends, skipped, checked, limit
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of the matches the rules of the module docstring keep, in order (past
        ``limit`` of them, only whether there is one more); the positions of the kept
        matches that skipped something, and their :func:`_gap` quotes.

        Only ``checked`` matches (near ASCII, number codes, or skipping something) can be
        refused; their edges are looked up all at once, and the characters of those that
        skipped something too (:func:`_gap_verdicts`).
        """
        if not len(checked):
            count = len(indexes) if limit is None else min(len(indexes), limit + 1)
            return np.arange(count), checked, np.zeros((0, 3), dtype=np.int64)
        before, after = classes[starts[checked]], classes[ends[checked] + 1]
        pattern = indexes[checked]
        refused = (
            (self._ascii_start[pattern] & ((before & _ALNUM) > 0))
            | (self._ascii_end[pattern] & ((after & _ALNUM) > 0))
            | (self._number_code[pattern] & ((before & after & _QUOTE) == 0))
        )
        keep = np.ones(len(indexes), dtype=bool)
        keep[checked[refused]] = False
        gaps = checked[~refused & skipped[checked]]
        if limit is not None:
            # Matches past the limit-th one that surely stands cannot be needed.
            sure = np.flatnonzero(keep & ~skipped)
            if len(sure) > limit:
                gaps = gaps[gaps < sure[limit]]
        verdicts = _gap_verdicts(text, classes, starts[gaps], ends[gaps])
        broken = verdicts[:, 0] > 0
        keep[gaps[broken]] = False
        return np.flatnonzero(keep), gaps[~broken], verdicts[~broken, 1:]

    def _chosen(self, found: set[int], place: str) -> dict[int, tuple[str, str]]:
        """(id, headword) of the term of each ``found`` pattern, for ``place``."""
        chosen = {}
        for i in found:
            term = self._choose(self._patterns[i], place)
            chosen[i] = (term.id, term.term)
        return chosen

    def terms_payload(
        self, spans: Iterable[Span] | Found, locality: str | None = None
    ) -> dict[str, dict[str, str | None]]:
        """``{id: {"term", "pinyin", "definition"}}`` for every term in ``spans`` (a list
        of :class:`Span` or a :class:`Found`).

        The definition is the one given for ``locality`` when a sense's scope contains
        it, else the term's first definition; None while the definition is pending.
        """
        place = _locality_key(locality)
        ids = spans.ids if isinstance(spans, Found) else (span.id for span in spans)
        payload: dict[str, dict[str, str | None]] = {}
        for term_id in ids:
            if term_id in payload:
                continue
            term = self._terms.get(term_id)
            if term is None:
                raise ValueError(f"span id {term_id!r} is not a term of this annotator")
            payload[term_id] = {
                "term": term.term,
                "pinyin": self._reading(term),
                "definition": self._definition(term, place),
            }
        return payload

    def _choose(self, pattern: _Pattern, place: str | None) -> Term:
        if place is None or len(pattern.terms) == 1:
            return pattern.default
        # min() keeps the first of equals, so glossary order breaks the tie.
        return min(
            pattern.terms, key=lambda t: (not self._in_scope(t, place), t.status != "reviewed")
        )

    def _in_scope(self, term: Term, place: str) -> bool:
        return any(places.within(scope, place) for scope in self._scopes[term.id])

    def _definition(self, term: Term, place: str | None) -> str | None:
        if place is not None:
            for sense in term.senses:
                if sense.definition and sense.scope and places.within(key(sense.scope), place):
                    return sense.definition
        return term.definition

    def _reading(self, term: Term) -> str:
        found = self._readings.get(term.id)
        if found is None:
            found = self._readings[term.id] = reading(term.term, term.pinyin)
        return found


def _keyed_forms(glossary: Glossary) -> dict[str, tuple[list[Term], list[str]]]:
    """Every key of a live form (long enough to match), with the terms that have it and
    its forms as printed."""
    keyed: dict[str, tuple[list[Term], list[str]]] = {}
    for term in glossary.terms:
        if term.status == "deprecated":
            continue
        printed = {form: key(form) for form in term.forms}
        for form, form_key in printed.items():
            if len(form_key) >= MIN_LENGTH:
                terms, forms = keyed.setdefault(form_key, ([], []))
                if not terms or terms[-1] is not term:
                    terms.append(term)
                forms.append(form)
    return keyed


# The automaton answers a tuple per match: tens of thousands of young objects, freed as
# soon as they are read, that would set off collections (under a large heap, a full one).
# Loading or building a glossary version (glossary.derived) makes millions that stay,
# and each collection would walk them all again.
@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    if not gc.isenabled():  # another thread's pause, or the program's choice: leave it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _scan(automaton: ahocorasick_rs.AhoCorasick, folded: str) -> np.ndarray:
    """(pattern, start, end) of every match in ``folded``, one row each."""
    with collection_paused():
        matches = automaton.find_matches_as_indexes(folded)
        flat = itertools.chain.from_iterable(matches)
        found = np.fromiter(flat, dtype=np.int64, count=3 * len(matches)).reshape(-1, 3)
        del matches, flat
    return found


def _utf16(origin: Offsets, length: int, positions: np.ndarray) -> np.ndarray:
    """:meth:`Offsets.utf16` of ``positions`` as an array: ``positions`` themselves when
    the text (of ``length`` characters) has nothing beyond the BMP, as its end tells."""
    if origin.utf16([length]) == [length]:
        return positions
    return np.asarray(origin.utf16(positions), dtype=np.int64)


def _locality_key(locality: str | None) -> str | None:
    """湖北省武汉市江岸區 and 江岸区 compare like headwords do; blank means none."""
    folded = key(locality) if locality else ""
    return folded or None


@functools.cache
def _class_table() -> np.ndarray:
    """The rules' character classes (``_ALNUM`` ...) of every BMP code point."""
    table = np.zeros(0x10000, dtype=np.uint8)
    ranges = ("09", "AZ", "az", "０９", "ＡＺ", "ａｚ")  # _is_ascii_alnum, as ranges
    table[[c for lo, hi in ranges for c in range(ord(lo), ord(hi) + 1)]] |= _ALNUM
    table[[c for c in range(0x10000) if chr(c).isspace()]] |= _SPACE  # what \s matches
    flags = ((QUOTES, _QUOTE), (_OPENING, _OPENS), (_CLOSING, _CLOSES), (_EITHER, _EITHER_WAY))
    for chars, flag in flags:
        table[[ord(c) for c in chars]] |= flag
    return table


class _Classes:
    """The rules' class bits of the characters of a text, one place on: ``[i + 1]`` is
    ``text[i]``'s, so ``[start]`` is the character before a span and ``[end + 1]`` the one
    after it; both ends of the text are in no class. Looked up only where asked (many
    positions at once): a text has far more characters than matches."""

    def __init__(self, text: str):
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        self._points = np.zeros(len(text) + 2, dtype=np.uint32)
        self._points[1:-1] = points

    def __getitem__(self, positions: np.ndarray) -> np.ndarray:
        return _class_table()[np.minimum(self._points[positions], 0xFFFF)]  # U+FFFF: none

    @property
    def points(self) -> np.ndarray:
        """The text's code points (``uint32``), ``[i]`` being ``text[i]``'s."""
        return self._points[1:-1]


def _widened(text, classes, starts, ends, wide, quotes) -> tuple[np.ndarray, np.ndarray]:
    """The kept spans, the ``wide`` ones (that skipped something) widened to take in the
    partners of their ``quotes`` (:func:`_balance_quotes`), never further left than the
    previous span's end.

    All are widened at once, each bounded by the previous span's end before widening;
    where that could differ from widening one after another (a quote wanted by two
    neighbours, long runs of quotes), they are widened one after another.
    """
    at = np.flatnonzero(wide)
    if not len(at):
        return starts, ends
    unclosed, unopened, either = quotes.T
    floor = np.where(at > 0, ends[at - 1], 0)
    first = _outwards(classes, starts[at], unopened, _OPENS, floor)
    last = _outwards(classes, ends[at], unclosed, _CLOSES, None)
    if first is not None and last is not None:
        odd = either % 2 == 1
        take_before = odd & (first > floor) & ((classes[first] & _EITHER_WAY) > 0)
        take_after = odd & ~take_before & ((classes[last + 1] & _EITHER_WAY) > 0)
        widened_starts, widened_ends = starts.copy(), ends.copy()
        widened_starts[at], widened_ends[at] = first - take_before, last + take_after
        if not np.any(widened_starts[1:] < widened_ends[:-1]):
            return widened_starts, widened_ends
    return _widened_in_order(text, starts.tolist(), ends.tolist(), wide.tolist())


def _outwards(classes, edges, wanted, kind, floor) -> np.ndarray | None:
    """Starts (given their ``floor``) or ends moved outwards over up to ``wanted`` quotes
    of ``kind`` each; None when one needs more than ``_STEPS``."""
    edges, wanted = edges.copy(), wanted.copy()
    for _ in range(_STEPS + 1):
        if floor is None:  # ends: the character after an end is at [end + 1]
            moving = (wanted > 0) & ((classes[edges + 1] & kind) > 0)
        else:  # starts: the character before a start is at [start]
            moving = (wanted > 0) & (edges > floor) & ((classes[edges] & kind) > 0)
        if not moving.any():
            return edges
        edges += moving if floor is None else -moving.astype(np.int64)
        wanted -= moving
    return None


def _widened_in_order(text, starts, ends, skipped) -> tuple[np.ndarray, np.ndarray]:
    floor = 0
    for i, widen in enumerate(skipped):
        if widen:
            starts[i], ends[i] = _balance_quotes(text, starts[i], ends[i], floor)
        floor = ends[i]
    return np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)


def _gap_verdicts(text: str, classes: _Classes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`_gap` of every ``text[starts[i]:ends[i]]``, one row each.

    The quotes of all spans are counted at once, over their characters' classes: the
    running count of opening less closing quotes, whose lowest point in a span is the
    closing quotes it never opened. Only whitespace can make a gap a match may not
    cross: spans with some (few) are read by :func:`_gap`.
    """
    verdicts = np.zeros((len(starts), 4), dtype=np.int64)
    if not len(starts):
        return verdicts
    lengths = ends - starts
    firsts = np.cumsum(lengths) - lengths  # where each span's characters begin in ``bits``
    positions = np.arange(int(lengths.sum())) + np.repeat(starts - firsts, lengths)
    bits = classes[positions + 1]
    steps = _DEPTH_STEP[bits]
    depths = np.cumsum(steps)
    before = depths[firsts] - steps[firsts]
    unopened = np.maximum(before - np.minimum.reduceat(depths, firsts), 0)
    lasts = firsts + lengths - 1
    verdicts[:, 1] = depths[lasts] - before + unopened
    verdicts[:, 2] = unopened
    tallies = np.cumsum(_TALLY[bits])
    within = tallies[lasts] - tallies[firsts] + _TALLY[bits[firsts]]
    verdicts[:, 3] = within & 0xFFFFFFFF
    spaced = np.flatnonzero(within >> 32)
    for i, start, end in zip(
        spaced.tolist(), starts[spaced].tolist(), ends[spaced].tolist(), strict=True
    ):
        verdicts[i] = _gap(text[start:end])
    return verdicts


# A term recurs through a text, mostly written the same way each time: the verdicts on
# its matched text are remembered (bounded, so any text is fine).
@functools.lru_cache(maxsize=4096)
def _gap(matched: str) -> tuple[int, int, int, int]:
    """What a match that skipped something holds: (1 if it crosses a gap it may not, then
    :func:`_open_quotes`)."""
    return (_BROKEN_GAP.search(matched) is not None, *_open_quotes(matched))


def _open_quotes(matched: str) -> tuple[int, int, int]:
    """(opening quotes left unclosed, closing quotes never opened, either-way quotes)."""
    unclosed = unopened = either = 0
    for char in matched:
        if char in _OPENING:
            unclosed += 1
        elif char in _CLOSING:
            if unclosed:
                unclosed -= 1
            else:
                unopened += 1
        elif char in _EITHER:
            either += 1
    return unclosed, unopened, either


def _balance_quotes(text: str, start: int, end: int, floor: int) -> tuple[int, int]:
    """Widen ``[start, end)`` by the partners of quotes left open inside it."""
    unclosed, unopened, either = _open_quotes(text[start:end])
    while unopened and start > floor and text[start - 1] in _OPENING:
        start, unopened = start - 1, unopened - 1
    while unclosed and end < len(text) and text[end] in _CLOSING:
        end, unclosed = end + 1, unclosed - 1
    if either % 2:
        if start > floor and text[start - 1] in _EITHER:
            start -= 1
        elif end < len(text) and text[end] in _EITHER:
            end += 1
    return start, end


def _is_ascii_alnum(char: str) -> bool:
    folded = fold_width(char)
    return folded.isascii() and folded.isalnum()
