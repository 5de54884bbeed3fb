"""The glossary as plain data: Document, Source, Sense, Term, Glossary.

These classes know nothing of YAML, JSON or Flask; ``glossary.schema`` converts
them, ``glossary.store`` reads and writes them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from glossary import text

STATUSES = ("candidate", "reviewed", "deprecated")
SOURCE_KINDS = ("glossary", "inline", "usage")


@dataclass
class Document:
    """A report the glossary cites."""

    id: str
    title: str
    locality: str | None = None
    date: str | None = None  # "2024", "2024-06" or "2023-12-24"
    file: str | None = None  # the harvester's bookkeeping: which file it read, never shown
    url: str | None = None  # where a reader finds the original
    publisher: str | None = None  # who published it, as printed: 四川日报, 郯城县人民政府

    def public(self) -> dict:
        """What a reader is shown of the document: everything but the file name."""
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "locality": self.locality,
            "date": self.date,
            "url": self.url,
        }


@dataclass
class Source:
    """Evidence from one document: a 名词解释 entry, an inline definition or a usage."""

    doc: str
    kind: str
    quote: str


@dataclass
class PartGroup:
    """Parts that the name counts together: the 5 of “531”产业体系 are its 主导产业."""

    name: str | None
    parts: list[str]


@dataclass
class Sense:
    """One meaning of a term, as defined for one place (``scope``).

    ``parts`` lists every part the definition enumerates; where the name counts them in
    groups (5 + 3 + 1), ``groups`` says which parts make each group, in order.
    """

    definition: str | None = None
    scope: str | None = None
    parts: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    groups: list[PartGroup] = field(default_factory=list)


@dataclass
class Rendering:
    """The term in another language as a report prints it, e.g. New Quality Productive
    Forces beside 新质生产力; never a definition."""

    text: str
    doc: str  # the document that prints it
    lang: str = "en"


@dataclass
class Term:
    """A piece of jargon and everything known about it."""

    id: str
    term: str
    status: str = "candidate"
    aliases: list[str] = field(default_factory=list)
    pinyin: str | None = None  # curated reading; overrides the computed one
    category: str | None = None
    senses: list[Sense] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    english: Rendering | None = None
    reason: str | None = None  # why a curator deprecated it

    @property
    def forms(self) -> list[str]:
        """The headword and every alias."""
        return [self.term, *self.aliases]

    @property
    def definition(self) -> str | None:
        """The first definition any sense gives, or None while it is pending."""
        return next((s.definition for s in self.senses if s.definition), None)

    @property
    def scopes(self) -> list[str]:
        return [s.scope for s in self.senses if s.scope]


@dataclass
class Glossary:
    """Every document and term of one glossary file.

    ``redirects`` maps the id of a term merged into another to the id it went to, so
    that addresses people shared keep working::

        >>> Glossary(redirects={"a": "b", "b": "c"}).moved("a")
        'c'
    """

    documents: list[Document] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    version: int = 1
    redirects: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def _terms_by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    @functools.cached_property
    def _documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @functools.cached_property
    def _terms_by_key(self) -> dict[str, list[Term]]:
        found: dict[str, list[Term]] = {}
        for term in self.terms:
            for form in dict.fromkeys(text.key(f) for f in term.forms):
                found.setdefault(form, []).append(term)
        return found

    def term(self, term_id: str) -> Term | None:
        return self._terms_by_id.get(term_id)

    def document(self, doc_id: str) -> Document | None:
        return self._documents_by_id.get(doc_id)

    def moved(self, term_id: str) -> str | None:
        """The id ``term_id`` now answers at, following merges of merges; None if it was
        never redirected (or its redirects go round in a circle, which ``rules`` refuses)."""
        seen = {term_id}
        while term_id in self.redirects:
            term_id = self.redirects[term_id]
            if term_id in seen:
                return None
            seen.add(term_id)
        return term_id if len(seen) > 1 else None

    def lookup(self, written: str) -> list[Term]:
        """Terms whose headword or alias is ``written``, whatever its quotes, width or script."""
        return list(self._terms_by_key.get(text.key(written), []))
