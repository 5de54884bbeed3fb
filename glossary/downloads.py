"""The glossary as one file of each export format, named by its extension.

    >>> sorted(DOWNLOADS)
    ['csv', 'jsonl', 'jsonld', 'rdf', 'tbx', 'ttl']
    >>> DOWNLOADS["ttl"].media_type
    'text/turtle; charset=utf-8'

``render`` is what ``glossary export`` writes and ``/api/v1/export.<ext>`` answers:
the same bytes for the same glossary, base URL and statuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from glossary.model import Glossary


@dataclass(frozen=True)
class Download:
    format: str  # the export format: skos, tbx, csv or jsonl
    media_type: str
    rdf_format: str | None = None  # for skos: rdflib's name of the syntax


DOWNLOADS = {
    "ttl": Download("skos", "text/turtle; charset=utf-8", "turtle"),
    "rdf": Download("skos", "application/rdf+xml; charset=utf-8", "xml"),
    "jsonld": Download("skos", "application/ld+json; charset=utf-8", "json-ld"),
    # TBX has no registered media type; ISO 30042 files are XML.
    "tbx": Download("tbx", "application/x-tbx+xml; charset=utf-8"),
    "csv": Download("csv", "text/csv; charset=utf-8; header=present"),
    "jsonl": Download("jsonl", "application/jsonl; charset=utf-8"),
}


def render(
    glossary: Glossary,
    fmt: str,
    base_url: str,
    statuses: Iterable[str] | None = None,
    *,
    rdf_format: str = "turtle",
    tbx_version: str = "3",
) -> bytes:
    """The glossary (or the terms of ``statuses``) in export format ``fmt``, as bytes.

    Each format's library is imported here, when asked for: rdflib and lxml cost a
    command that never exports its start-up time.
    """
    if fmt == "skos":
        from glossary import skos

        return skos.serialise(skos.graph(glossary, base_url, statuses), rdf_format).encode()
    if fmt == "tbx":
        from glossary import tbx

        return tbx.dumps(glossary, base_url, statuses, version=tbx_version)
    from glossary import tables

    if fmt == "csv":
        return tables.csv_text(glossary, base_url, statuses).encode("utf-8")
    if fmt == "jsonl":
        lines = tables.jsonl_lines(glossary, base_url, statuses)
        return "".join(f"{line}\n" for line in lines).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")


def download(
    glossary: Glossary, extension: str, base_url: str, statuses: Iterable[str] | None = None
) -> bytes:
    """The file ``glossary.<extension>`` (one of ``DOWNLOADS``)."""
    kind = DOWNLOADS[extension]
    return render(glossary, kind.format, base_url, statuses, rdf_format=kind.rdf_format or "")
