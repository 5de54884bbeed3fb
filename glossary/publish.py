"""What every export shares: the addresses it gives things, and which terms go out.

    >>> site = Addresses.of("https://glossary.example")
    >>> site.term("531-chan-ye-ti-xi")
    'https://glossary.example/terms/531-chan-ye-ti-xi'
    >>> site.document("wuhan-jiangan-2024-gov-report")
    'https://glossary.example/documents/wuhan-jiangan-2024-gov-report'
    >>> site.category("产业")
    'https://glossary.example/categories/%E4%BA%A7%E4%B8%9A'

The addresses are those of the web pages (``/terms/<id>``, ``/documents/<id>``), so a
concept's URI opens its entry in a browser and can answer RDF there by content
negotiation; the concept scheme is the site itself. They stay stable as long as the
ids do, and a merged id keeps answering (``Glossary.redirects``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from glossary.errors import GlossaryError
from glossary.model import STATUSES, Document, Glossary, Term

# What the exports call the glossary, and how they mark a term no curator has checked.
TITLES = {"zh-Hans": "中国地方政策术语表", "en": "Glossary of Chinese local policy jargon"}
PENDING = {
    "zh-Hans": "释义待定：报告使用了这个术语，但没有解释它。",
    "en": "Definition pending: reports use this term without explaining it.",
}
UNREVIEWED = {
    "zh-Hans": "候选术语：释义取自报告，尚未经人审核。",
    "en": "Candidate: the definition comes from a report and has not been reviewed.",
}


class ExportError(GlossaryError):
    code = "invalid_export"


@dataclass(frozen=True)
class Addresses:
    """Stable URIs under one base address (always ending in ``/``)."""

    base: str

    @classmethod
    def of(cls, base_url: str) -> Addresses:
        """Check ``base_url`` and give it its final slash."""
        parts = urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ExportError(
                f"base URL {base_url!r} must be an absolute http:// or https:// address, "
                "such as https://glossary.example/"
            )
        if parts.query or parts.fragment:
            raise ExportError(f"base URL {base_url!r} must have no ?query or #fragment")
        return cls(base_url if base_url.endswith("/") else base_url + "/")

    @property
    def scheme(self) -> str:
        return self.base

    def term(self, term_id: str) -> str:
        return f"{self.base}terms/{term_id}"

    def document(self, doc_id: str) -> str:
        return f"{self.base}documents/{doc_id}"

    def category(self, name: str) -> str:
        # Category names are Chinese; escaped, the URI stays ASCII for every RDF tool.
        return f"{self.base}categories/{quote(name, safe='')}"

    def api_term(self, term_id: str) -> str:
        """The REST API's address of a term (the ``url`` of its JSON)."""
        return f"{self.base}api/v1/terms/{term_id}"


def selected(glossary: Glossary, statuses: Iterable[str] | None = None) -> list[Term]:
    """The terms of ``glossary`` whose status is one of ``statuses`` (all if none given),
    in glossary order."""
    wanted = set(statuses or ())
    unknown = wanted - set(STATUSES)
    if unknown:
        raise ExportError(
            f"unknown status {', '.join(sorted(unknown))}: choose from {', '.join(STATUSES)}"
        )
    return [t for t in glossary.terms if not wanted or t.status in wanted]


def includes_merged(statuses: Iterable[str] | None) -> bool:
    """Whether an export of ``statuses`` lists merged ids: they are deprecated addresses."""
    wanted = set(statuses or ())
    return not wanted or "deprecated" in wanted


def status_notes(term: Term) -> dict[str, str]:
    """``{language: note}`` saying that a candidate's definition is pending or unchecked;
    empty for a reviewed or deprecated term."""
    if term.status != "candidate":
        return {}
    return UNREVIEWED if term.definition else PENDING


def citation(document: Document) -> str:
    """A document as a reader cites it: title, publisher, date.

    >>> citation(Document("d", "郯城县政府工作报告名词解释", publisher="大众网", date="2024-01"))
    '郯城县政府工作报告名词解释，大众网，2024-01'
    """
    return "，".join(p for p in (document.title, document.publisher, document.date) if p)
