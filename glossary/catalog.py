"""Browsing a glossary: terms in pinyin order, filtered, paged; letters; documents.

    catalog = Catalog(glossary)
    page = catalog.terms(status="reviewed", letter="S", page=1, per_page=50)
    catalog.letters()        # {"0-9": 3, "B": 4, ...}
    catalog.citing("wuhan-jiangan-2024-gov-report")   # terms it defines, terms it uses
    catalog.in_locality("湖北省武汉市江岸区")            # terms scoped to a place
    catalog.in_locality("江岸区")                      # the same: short names still match
    catalog.reach(term)                               # Reach(reports=3, places=2)
    catalog.mentions(term, "坚持三个区分开来,为担当者担当")  # [(2, 8)]

Everything is computed once per glossary; the web layer's pages and the REST API
both read from here.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from glossary import pinyin, places, text
from glossary.model import Document, Glossary, Source, Term

SORTS = ("pinyin", "headword")


@dataclass(frozen=True)
class Entry:
    """A term with its reading, ready to list."""

    term: Term
    reading: str  # tone marks: sān gè qū fēn kāi lái
    sort_key: tuple  # pinyin order
    letter: str  # A-Z, or 0-9

    @property
    def id(self) -> str:
        return self.term.id


@dataclass(frozen=True)
class Page:
    entries: list  # of Entry, or of whatever else is paged (the API's changes)
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class Citations:
    defines: list[Term]
    uses: list[Term]


@dataclass(frozen=True)
class Reach:
    """How widely a term is used: distinct reports citing it, distinct places using it."""

    reports: int
    places: int


class Catalog:
    def __init__(self, glossary: Glossary):
        self.glossary = glossary
        self.entries = sorted((_entry(t) for t in glossary.terms), key=lambda e: e.sort_key)
        self._by_id = {e.id: e for e in self.entries}

    def entry(self, term_id: str) -> Entry | None:
        return self._by_id.get(term_id)

    def terms(
        self,
        status: str | None = None,
        locality: str | None = None,
        category: str | None = None,
        letter: str | None = None,
        sort: str = "pinyin",
        page: int = 1,
        per_page: int = 50,
    ) -> Page:
        """One page of terms; deprecated terms only when asked for by ``status``."""
        found = [
            e for e in self.entries
            if (e.term.status == status if status else e.term.status != "deprecated")
            and (not locality or any(places.within(s, locality) for s in e.term.scopes))
            and (not category or e.term.category == category)
            and (not letter or e.letter == letter.upper())
        ]  # fmt: skip
        if sort == "headword":
            found.sort(key=lambda e: (text.key(e.term.term), e.id))
        start = (page - 1) * per_page
        return Page(found[start : start + per_page], len(found), page, per_page)

    def lookup(self, written: str) -> list[Entry]:
        """Entries whose headword or alias is ``written`` (quote, width and script insensitive)."""
        return [self._by_id[t.id] for t in self.glossary.lookup(written)]

    @functools.cached_property
    def _listed(self) -> list[Entry]:
        return [e for e in self.entries if e.term.status != "deprecated"]

    def letters(self) -> dict[str, int]:
        """Listed terms per index letter, "0-9" first, then A-Z."""
        counts = Counter(e.letter for e in self._listed)
        return {letter: counts[letter] for letter in sorted(counts, key=_letter_order)}

    def counts(self) -> dict[str, dict[str, int]]:
        """Terms by status, by locality and by category."""
        terms = self.glossary.terms
        return {
            "status": dict(Counter(t.status for t in terms).most_common()),
            "locality": dict(
                Counter(s for t in terms for s in dict.fromkeys(t.scopes)).most_common()
            ),
            "category": dict(Counter(t.category for t in terms if t.category).most_common()),
        }

    def citing(self, doc_id: str) -> Citations:
        """Terms a document defines (glossary or inline source) and terms it only uses."""
        defines, uses = [], []
        for entry in self.entries:
            kinds = {
                source.kind
                for sense in entry.term.senses
                for source in sense.sources
                if source.doc == doc_id
            }
            if kinds & {"glossary", "inline"}:
                defines.append(entry.term)
            elif kinds:
                uses.append(entry.term)
        return Citations(defines, uses)

    def in_locality(self, place: str) -> list[Entry]:
        """Listed terms with a sense scoped to ``place`` or somewhere inside it, pinyin order.

        Scopes name the whole chain (湖北省武汉市江岸区), so 湖北省武汉市 finds every
        district of the city, and a short name (江岸区) the scopes that end in it.
        """
        return [e for e in self._listed if any(places.within(s, place) for s in e.term.scopes)]

    def documents_in(self, place: str) -> list[Document]:
        """Cited documents issued in ``place`` or somewhere inside it."""
        documents = self.glossary.documents
        return [d for d in documents if d.locality and places.within(d.locality, place)]

    def reach(self, term: Term) -> Reach:
        """Distinct reports the term's senses cite, and distinct places among those
        reports' localities and the senses' scopes (each as its full path)."""
        cited = {s.doc for sense in term.senses for s in sense.sources}
        documents = [self.glossary.document(doc_id) for doc_id in cited]
        where = {d.locality for d in documents if d and d.locality} | set(term.scopes)
        return Reach(len(cited), len({places.resolve(p) for p in where}))

    @staticmethod
    def usages(term: Term) -> list[Source]:
        """Sources that only use the term: the evidence shown while a definition is pending."""
        return [s for sense in term.senses for s in sense.sources if s.kind == "usage"]

    @staticmethod
    def mentions(term: Term, quote: str) -> list[tuple[int, int]]:
        """Spans of ``quote`` (as printed) where the headword or an alias appears.

        Matching folds quotes, width, case and traditional characters as lookups do,
        so a quote that prints 531产业体系 or 「531」产业体系 still marks “531”产业体系.
        Overlapping finds merge; spans are code-point offsets into ``quote``.
        """
        folded, origin = text.normalise_with_offsets(quote, drop_spaces=True)
        found = []
        for form in {text.key(f) for f in term.forms} - {""}:
            start = folded.find(form)
            while start != -1:
                found.append((start, start + len(form)))
                start = folded.find(form, start + 1)
        merged: list[list[int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(end, merged[-1][1])
            else:
                merged.append([start, end])
        if not merged:
            return []
        starts, ends = (a.tolist() for a in origin.spans(*zip(*merged, strict=True)))
        return [_with_quotes(quote, s, e) for s, e in zip(starts, ends, strict=True)]


def _entry(term: Term) -> Entry:
    marks, written, numbers, letter = _reading(term.term, term.pinyin)
    # Digit-led terms sort first, by their digits as printed (“125” before “531”), as
    # dictionaries print them; then by toneless reading.
    sort_key = (_letter_order(letter), written, numbers, term.id)
    return Entry(term, marks, sort_key, letter)


@functools.lru_cache(maxsize=200_000)
def _reading(headword: str, override: str | None) -> tuple[str, str, str, str]:
    """A headword's reading, once per process: a curator's change makes a new catalog
    of which all but a term or two read as before."""
    reading = pinyin.read(headword, override)
    return reading.marks, reading.written, reading.numbers, pinyin.first_letter(headword, override)


def _with_quotes(quote: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quote marks that belong to the term as printed.

    “531”产业体系, not 531”产业体系; and “1310” whole, as reports quote a coined term.
    """
    before = start > 0 and quote[start - 1] in text.QUOTES
    after = end < len(quote) and quote[end] in text.QUOTES
    if sum(c in text.QUOTES for c in quote[start:end]) % 2:
        return (start - 1, end) if before else (start, end + 1) if after else (start, end)
    return (start - 1, end + 1) if before and after else (start, end)


def _letter_order(letter: str) -> tuple[int, str]:
    return (0 if letter == "0-9" else 2 if letter == "#" else 1, letter)
