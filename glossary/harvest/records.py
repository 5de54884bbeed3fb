"""What a harvest produces: plain records, one per piece of evidence.

``Entry`` is what the text finders return (a term and what the text says of it,
with offsets into the decoded text); ``Finding`` is an entry tied to its document,
the stable JSON-lines interface of ``glossary harvest --format jsonl``.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter

from glossary import text

KINDS = ("glossary", "inline", "usage")


@dataclass
class Entry:
    """A term found in one text, by one finder.

    ``start``/``end`` are character offsets of ``quote`` in the decoded text;
    ``definition`` is None for a usage (the text names the term without saying
    what it means).
    """

    term: str
    kind: str
    quote: str
    start: int
    end: int
    definition: str | None = None
    parts: list[str] = field(default_factory=list)
    score: float = 1.0
    english: str | None = None  # an English rendering the text prints beside the term
    # Why it came out, for ``glossary harvest --explain``: the rule that produced it and
    # the block (kind, numbering, first line) it was found in.
    rule: str = ""
    block: str = ""


@dataclass
class DocumentInfo:
    """The report a finding comes from."""

    id: str
    title: str
    locality: str | None
    year: int | None
    path: str
    date: str | None = None
    url: str | None = None  # where the original is, from a sidecar or an override
    publisher: str | None = None  # as printed: 四川日报

    def __reduce__(self):
        return DocumentInfo, _DOCUMENT_FIELDS(self)  # see ``Finding.__reduce__``


@dataclass
class Finding:
    """One record of the harvest's JSON-lines output."""

    term: str
    key: str
    definition: str | None
    kind: str
    parts: list[str]
    doc: DocumentInfo
    start: int
    end: int
    quote: str
    score: float
    english: str | None = None
    rule: str = ""  # which rule gave it, and from which block (``--explain``)
    block: str = ""

    def __reduce__(self):
        # A harvest with -j sends findings between processes: as their fields in order
        # they pickle and unpickle in half the time of an attribute dictionary each.
        return Finding, _FINDING_FIELDS(self)

    @classmethod
    def of(cls, entry: Entry, doc: DocumentInfo, key: str | None = None) -> Finding:
        """The finding of ``entry`` in ``doc``; ``key``: its term's, if computed."""
        return cls(
            term=entry.term,
            key=text.key(entry.term) if key is None else key,
            definition=entry.definition,
            kind=entry.kind,
            parts=list(entry.parts),
            doc=doc,
            start=entry.start,
            end=entry.end,
            quote=entry.quote,
            score=_rounded(entry.score),
            english=entry.english,
            rule=entry.rule or _FINDERS[entry.kind],
            block=entry.block,
        )

    def to_json(self, explain: bool = False) -> dict:
        """The JSON-lines record; ``explain`` adds the rule and the block."""
        record = asdict(self)
        record["doc"] = {k: record["doc"][k] for k in ("id", "title", "locality", "year", "path")}
        if not explain:
            del record["rule"], record["block"]
        return record


_FINDERS = {"glossary": "名词解释", "inline": "inline definition", "usage": "mined usage"}
_DOCUMENT_FIELDS = attrgetter(*(f.name for f in fields(DocumentInfo)))
_FINDING_FIELDS = attrgetter(*(f.name for f in fields(Finding)))


def _rounded(score: float) -> float:
    # round(x, 3) goes through a decimal conversion, and a harvest has a few dozen
    # scores; 0.0 and -0.0 are one key to a cache but round to two values.
    return _rounded_nonzero(score) if score else round(score, 3)


@functools.lru_cache(maxsize=1024)
def _rounded_nonzero(score: float) -> float:
    return round(score, 3)
