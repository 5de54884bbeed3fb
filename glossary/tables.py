"""The glossary as a table (CSV) and as JSON lines, for spreadsheets and scripts.

CSV: a header row, then one row per sense (a term without senses has one row), in
glossary order; lists in a cell are joined with `` | ``, and a sense's sources, kinds
and quotes line up item by item::

    id,term,status,category,aliases,pinyin,english,sense,definition,scope,parts,…,url
    wu-gong-li-nian,“五共”理念,reviewed,基层治理,五共理念,wǔ gòng lǐ niàn,,1,决策共谋、……,
        湖北省武汉市江岸区,决策共谋 | 发展共建 | …,wuhan-jiangan-2024-gov-report,glossary,
        23. “五共”理念:……,,,https://glossary.example/terms/wu-gong-li-nian

(one line in the file). The columns are ``COLUMNS``: id, term, status, category,
aliases, pinyin, english, sense (its number), definition, scope, parts, sources (document
ids), kinds, quotes, related, reason, url (the concept's URI).

It is UTF-8 with a byte-order mark, which is how Excel knows not to read Chinese as
the ANSI code page. A cell that starts with ``= + - @`` (or a tab or carriage return)
is written after a ``'``, as OWASP advises, so no spreadsheet runs it as a formula:
quotes come from reports nobody vetted. No shipped cell starts so.

JSON lines: one term per line, the body ``GET /api/v1/terms/<id>`` answers (same
fields, same order), built here from the core, since the core never imports the web
layer; ``url`` is the API's address of the term under the base URL.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from glossary import pinyin
from glossary.model import Glossary, Sense, Term
from glossary.publish import Addresses, selected

COLUMNS = ("id", "term", "status", "category", "aliases", "pinyin", "english", "sense",
           "definition", "scope", "parts", "sources", "kinds", "quotes", "related", "reason",
           "url")  # fmt: skip
JOIN = " | "
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(glossary: Glossary, base_url: str, statuses: Iterable[str] | None = None) -> str:
    """The CSV, byte-order mark first (write it as UTF-8)."""
    buffer = io.StringIO()
    # \r\n as RFC 4180 asks; a line break inside a quote stays a plain \n in its cell.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    addresses = Addresses.of(base_url)
    for term in selected(glossary, statuses):
        for row in _rows(term, addresses):
            writer.writerow([_safe(cell) for cell in row])
    return BOM + buffer.getvalue()


def _rows(term: Term, addresses: Addresses) -> Iterator[list[str]]:
    common = [term.id, term.term, term.status, term.category or "", JOIN.join(term.aliases),
              pinyin.read(term.term, term.pinyin).marks,
              term.english.text if term.english else ""]  # fmt: skip
    after = [JOIN.join(term.related), term.reason or "", addresses.term(term.id)]
    for number, sense in enumerate(term.senses or [Sense()], start=1):
        yield [*common, str(number) if term.senses else "", *_sense_cells(sense), *after]


def _sense_cells(sense: Sense) -> list[str]:
    sources = sense.sources
    return [
        sense.definition or "",
        sense.scope or "",
        JOIN.join(sense.parts),
        JOIN.join(s.doc for s in sources),
        JOIN.join(s.kind for s in sources),
        JOIN.join(s.quote for s in sources),
    ]


def _safe(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def jsonl_lines(
    glossary: Glossary, base_url: str, statuses: Iterable[str] | None = None
) -> Iterator[str]:
    """One JSON document per term, without line breaks (join them with ``\\n``)."""
    addresses = Addresses.of(base_url)
    for term in selected(glossary, statuses):
        yield json.dumps(term_json(glossary, term, addresses), ensure_ascii=False)


def term_json(glossary: Glossary, term: Term, addresses: Addresses) -> dict:
    """A term as the REST API shows it (``api/schemas.py`` TermSchema)."""
    reading = pinyin.read(term.term, term.pinyin)
    return {
        "id": term.id,
        "term": term.term,
        "aliases": list(term.aliases),
        "pinyin": {
            "marks": reading.marks,
            "numbers": reading.numbers,
            "toneless": reading.toneless,
            "initials": reading.initials,
        },
        "status": term.status,
        "category": term.category,
        "letter": pinyin.first_letter(term.term, term.pinyin),
        "senses": [_sense_json(glossary, sense) for sense in term.senses],
        "related": [_ref(glossary, r) for r in term.related],
        "english": _english_json(glossary, term),
        "url": addresses.api_term(term.id),
    }


def _sense_json(glossary: Glossary, sense: Sense) -> dict:
    return {
        "definition": sense.definition,
        "scope": sense.scope,
        "parts": list(sense.parts),
        "groups": [asdict(group) for group in sense.groups],
        "sources": [
            {"doc": _document_json(glossary, s.doc), "kind": s.kind, "quote": s.quote}
            for s in sense.sources
        ],
    }


def _document_json(glossary: Glossary, doc_id: str) -> dict:
    document = glossary.document(doc_id)
    # Validation makes every cited document exist; an id alone is all there is otherwise.
    return document.public() if document else {"id": doc_id, "title": doc_id}


def _ref(glossary: Glossary, term_id: str) -> dict:
    related = glossary.term(term_id)
    return {"id": term_id, "term": related.term if related else term_id}


def _english_json(glossary: Glossary, term: Term) -> dict | None:
    if term.english is None:
        return None
    rendering = term.english
    return {"text": rendering.text, "lang": rendering.lang,
            "doc": _document_json(glossary, rendering.doc)}  # fmt: skip
