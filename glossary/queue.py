"""What a curator reviews next: candidates ranked by their evidence, and for one
candidate, its usages, the definitions reports propose and the terms it may duplicate.

    queue = Queue(Catalog(glossary))
    queue.candidates(place="湖北省")          # best evidence first
    queue.similar(term)                       # [(entry, "same reading"), ...]

Evidence, strongest first: a report proposes a definition (the curator only checks
it against its quote), then the number of reports citing the term, then of places.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from glossary import places, text
from glossary.catalog import Catalog, Entry, Reach
from glossary.model import Sense, Source, Term
from glossary.text import occurs

SIMILAR = 8
# Why two terms may be one, as the candidate page names it.
SAME_FORM, SAME_READING, CONTAINS, CONTAINED = "同形", "同音", "包含它", "被它包含"


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    reach: Reach
    proposed: bool  # some report gives a definition for the curator to check

    @property
    def term(self) -> Term:
        return self.entry.term


@dataclass(frozen=True)
class Proposal:
    """A definition a report proposes, with the quotes it occurs in."""

    sense: int
    definition: str
    scope: str | None
    quotes: list[Source]


class Queue:
    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.glossary = catalog.glossary

    def candidates(self, place: str | None = None, category: str | None = None,
                   document: str | None = None) -> list[Candidate]:  # fmt: skip
        """Every candidate matching the filters, the best evidence first."""
        found = [
            Candidate(e, self.catalog.reach(e.term), any(s.definition for s in e.term.senses))
            for e in self.catalog.entries
            if e.term.status == "candidate" and self._matches(e.term, place, category, document)
        ]
        found.sort(key=lambda c: (not c.proposed, -c.reach.reports, -c.reach.places,
                                  c.entry.sort_key))  # fmt: skip
        return found

    def after(self, term_id: str, **filters: str | None) -> str | None:
        """The id of the candidate that follows ``term_id`` in the queue (skip)."""
        ids = [c.term.id for c in self.candidates(**filters)]
        if term_id not in ids:
            return ids[0] if ids else None
        rest = ids[ids.index(term_id) + 1 :]
        return rest[0] if rest else None

    def _matches(self, term: Term, place, category, document) -> bool:
        if category and term.category != category:
            return False
        cited = [s.doc for sense in term.senses for s in sense.sources]
        if document and document not in cited:
            return False
        if place:
            localities = [self.glossary.document(d) for d in cited]
            where = [d.locality for d in localities if d and d.locality] + term.scopes
            return any(places.within(w, place) for w in where)
        return True

    def similar(self, term: Term) -> list[tuple[Entry, str]]:
        """Terms ``term`` may be a duplicate of, to merge into: the same folded form, the
        same reading, or one name containing the other; reviewed ones first."""
        own = self.catalog.entry(term.id)
        keys = {text.key(f) for f in term.forms} - {""}
        head = text.key(term.term)
        found = []
        for entry in self.catalog.entries:
            other = entry.term
            if other.id == term.id or other.status == "deprecated":
                continue
            reason = _likeness(keys, head, own, entry)
            if reason:
                found.append((entry, reason))
        found.sort(key=lambda pair: (pair[0].term.status != "reviewed", pair[0].sort_key))
        return found[:SIMILAR]

    @staticmethod
    def proposals(term: Term) -> list[Proposal]:
        """Each sense's definition with the cited quotes it occurs in."""
        found = []
        for n, sense in enumerate(term.senses):
            if sense.definition:
                quotes = [q for q in sense.sources if occurs(sense.definition, q.quote)]
                found.append(Proposal(n, sense.definition, sense.scope, quotes))
        return found

    @staticmethod
    def quotes(term: Term) -> list[tuple[int, Sense, Source]]:
        """Every cited quote with its sense number: first those a proposed definition is
        text of, then other definitions, then usages (the likeliest to accept first)."""

        def order(item: tuple[int, Sense, Source]) -> tuple[bool, bool]:
            _, sense, source = item
            proposes = bool(sense.definition) and occurs(sense.definition, source.quote)
            return not proposes, source.kind == "usage"

        found = [(n, sense, s) for n, sense in enumerate(term.senses) for s in sense.sources]
        return sorted(found, key=order)


def _likeness(keys: set[str], head: str, own: Entry | None, entry: Entry) -> str | None:
    other_keys = {text.key(f) for f in entry.term.forms}
    if keys & other_keys:
        return SAME_FORM
    if own is not None and _toneless(own.reading) == _toneless(entry.reading):
        return SAME_READING
    other_head = text.key(entry.term.term)
    if len(head) >= 2 and len(other_head) >= 2:
        if head in other_head:
            return CONTAINS  # the other term's name contains this one
        if other_head in head:
            return CONTAINED
    return None


def _toneless(reading: str) -> str:
    decomposed = unicodedata.normalize("NFD", reading)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(" ", "")
