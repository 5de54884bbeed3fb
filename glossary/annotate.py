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

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from glossary.model import Glossary, Term
from glossary.pinyin import reading
from glossary.text import QUOTES, fold_width, key, normalise_with_offsets

MIN_LENGTH = 2  # one character (a lone 双 or 531's 5) is never a term on its own

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


@dataclass(slots=True)
class Span:
    """One glossary term found in a text.

    ``start``/``end`` are code-point offsets into the original text, ``start16``/``end16``
    the same span in UTF-16 code units (JavaScript string indices), and
    ``matched_text == text[start:end]``. ``term`` is the headword of term ``id``.
    A plain record, not frozen: a frozen dataclass costs twice as much to make, and a
    long text yields thousands of spans.
    """

    start: int
    end: int
    start16: int
    end16: int
    id: str
    term: str
    matched_text: str


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
        keyed: dict[str, list[Term]] = {}
        for term in glossary.terms:
            if term.status == "deprecated":
                continue
            for form_key in dict.fromkeys(key(form) for form in term.forms):
                if len(form_key) >= MIN_LENGTH:
                    keyed.setdefault(form_key, []).append(term)
        self._patterns = tuple(_Pattern.of(k, terms) for k, terms in keyed.items())
        self._bounded = np.array([p.bounded for p in self._patterns], dtype=bool)
        self._labels = [(p.default.id, p.default.term) for p in self._patterns]
        self._keys = tuple(keyed)
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
            if self._keys
            else None
        )
        self._terms = {t.id: t for t in glossary.terms if t.status != "deprecated"}
        scope_key = functools.cache(key)  # thousands of terms share a handful of scopes
        self._scopes = {t.id: tuple(map(scope_key, t.scopes)) for t in self._terms.values()}
        self._readings: dict[str, str] = {}

    @property
    def patterns(self) -> tuple[str, ...]:
        """The folded forms the automaton looks for, in pattern-index order."""
        return self._keys

    def annotate(self, text: str, locality: str | None = None) -> list[Span]:
        """Every glossary term in ``text``, left to right, none overlapping.

        ``locality`` (e.g. 江岸区) picks between terms that share a headword.
        """
        if self._automaton is None or len(text) < MIN_LENGTH:
            return []
        place = _locality_key(locality)
        folded, origin = normalise_with_offsets(text, drop_spaces=True)
        matches = self._automaton.find_matches_as_indexes(folded)
        if not matches:
            return []
        found = np.array(matches, dtype=np.int64)
        indexes = found[:, 0]
        starts, ends = origin.spans(found[:, 1], found[:, 2])
        # Quotes or whitespace inside a match were skipped in the folded text.
        skipped = (ends - starts) != (found[:, 2] - found[:, 1])
        checked = np.flatnonzero(skipped | self._bounded[indexes]).tolist()
        starts, ends, indexes = starts.tolist(), ends.tolist(), indexes.tolist()
        refused = self._check(text, indexes, starts, ends, skipped.tolist(), checked)
        if refused:
            kept = [i for i in range(len(indexes)) if i not in refused]
            starts, ends, indexes = ([a[i] for i in kept] for a in (starts, ends, indexes))
        if not starts:
            return []
        labels = self._labels if place is None else self._chosen(set(indexes), place)
        return [
            Span(start, end, start16, end16, *labels[i], text[start:end])
            for start, end, start16, end16, i in zip(
                starts, ends, origin.utf16(starts), origin.utf16(ends), indexes, strict=True
            )
        ]

    def _check(self, text, indexes, starts, ends, skipped, checked) -> set[int]:
        """The matches refused by the rules of the module docstring; widens in place the
        spans whose quotes need their partners.

        Only ``checked`` matches (near ASCII, number codes, or skipping something) are
        looked at one by one; the others, most of a text, stand as found.
        """
        refused: set[int] = set()
        for i in checked:
            pattern = self._patterns[indexes[i]]
            if not _fits(pattern, text, starts[i], ends[i], skipped[i]):
                refused.add(i)
            elif skipped[i]:
                # Quotes are not shared between spans: not before the previous one's end.
                before = i - 1
                while before in refused:
                    before -= 1
                floor = ends[before] if before >= 0 else 0
                starts[i], ends[i] = _balance_quotes(text, starts[i], ends[i], floor)
        return refused

    def _chosen(self, found: set[int], place: str) -> dict[int, tuple[str, str]]:
        """(id, headword) of the term of each ``found`` pattern, for ``place``."""
        chosen = {}
        for i in found:
            term = self._choose(self._patterns[i], place)
            chosen[i] = (term.id, term.term)
        return chosen

    def terms_payload(
        self, spans: Iterable[Span], locality: str | None = None
    ) -> dict[str, dict[str, str | None]]:
        """``{id: {"term", "pinyin", "definition"}}`` for every term in ``spans``.

        The definition is the one given for ``locality`` when a sense's scope contains
        it, else the term's first definition; None while the definition is pending.
        """
        place = _locality_key(locality)
        payload: dict[str, dict[str, str | None]] = {}
        for span in spans:
            if span.id in payload:
                continue
            term = self._terms.get(span.id)
            if term is None:
                raise ValueError(f"span id {span.id!r} is not a term of this annotator")
            payload[span.id] = {
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
        return any(place in scope for scope in self._scopes[term.id])

    def _definition(self, term: Term, place: str | None) -> str | None:
        if place is not None:
            for sense in term.senses:
                if sense.definition and sense.scope and place in key(sense.scope):
                    return sense.definition
        return term.definition

    def _reading(self, term: Term) -> str:
        found = self._readings.get(term.id)
        if found is None:
            found = self._readings[term.id] = reading(term.term, term.pinyin)
        return found


def _locality_key(locality: str | None) -> str | None:
    """湖北省武汉市江岸區 and 江岸区 compare like headwords do; blank means none."""
    folded = key(locality) if locality else ""
    return folded or None


def _fits(pattern: _Pattern, text: str, start: int, end: int, skipped: bool) -> bool:
    """The boundary rules of the module docstring, checked against the original text."""
    if pattern.ascii_start and start > 0 and _is_ascii_alnum(text[start - 1]):
        return False
    if pattern.ascii_end and end < len(text) and _is_ascii_alnum(text[end]):
        return False
    if pattern.number_code and not (
        start > 0 and text[start - 1] in QUOTES and end < len(text) and text[end] in QUOTES
    ):
        return False
    # Only a span that skipped something (quotes, whitespace) can hold a broken gap.
    return not (skipped and _broken(text[start:end]))


# A term recurs through a text, mostly written the same way each time: the verdicts on
# its matched text are remembered (bounded, so any text is fine).
@functools.lru_cache(maxsize=4096)
def _broken(matched: str) -> bool:
    return _BROKEN_GAP.search(matched) is not None


@functools.lru_cache(maxsize=4096)
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
