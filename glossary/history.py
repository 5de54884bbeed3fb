"""The record of every curation operation: who, when, what (before and after) and why.

The history of ``data/terms.yaml`` is ``data/terms.history.jsonl`` beside it: one JSON
object per line, appended, so it reads well in ``git log -p`` next to the file it
explains. A record holds the glossary file's hash before and after the operation, and
every changed item (a term, a document, a redirect) before and after::

    {"id": 7, "at": "2026-12-02T03:04:05Z", "who": "li", "op": "accept", "why": "",
     "terms": ["san-ge-qufen"], "file_before": "ab12…", "file_after": "cd34…",
     "changes": [{"kind": "term", "id": "san-ge-qufen", "position": 12,
                  "before": {…}, "after": {…}}]}

The glossary file and its history must always agree, though they are two files and no
write covers both. So a record is appended (and flushed to disk) before the glossary
is replaced, and a record whose glossary write never landed is recognised by its
hashes: it is the last record, the file still has its ``file_before`` hash and not
its ``file_after``. Readers skip such a record (and a torn last line); the next
operation, holding the lock, removes it for good (:meth:`History.settle`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from glossary.store import atomic_write, remove_leftovers

KINDS = ("term", "document", "redirect")


@dataclass(frozen=True)
class Change:
    """One item of the glossary before and after an operation (None: absent)."""

    kind: str  # one of KINDS
    id: str
    before: Any = None
    after: Any = None
    position: int | None = None  # where the item stood in its list, to put it back there
    text: str | None = None  # a removed item's lines as written, to put them back unchanged


@dataclass(frozen=True)
class Record:
    id: int
    at: str  # ISO 8601, UTC
    who: str
    op: str  # accept, edit, add-source, reject, merge, split, undo
    why: str
    terms: list[str]  # the term ids the operation touched, for each term's history
    changes: list[Change]
    file_before: str
    file_after: str
    undoes: int | None = None  # the record an undo reverted
    summary: str = ""  # one line a person reads in a list of changes
    extra: dict = field(default_factory=dict)

    def change(self, kind: str, item_id: str) -> Change | None:
        return next((c for c in self.changes if c.kind == kind and c.id == item_id), None)


def file_hash(content: str | bytes) -> str:
    """The hash that ties a record to one exact content of the glossary file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class History:
    """The history file of one glossary file."""

    def __init__(self, glossary_path: str | os.PathLike):
        glossary_path = Path(glossary_path)
        self.glossary_path = glossary_path
        self.path = glossary_path.with_name(f"{glossary_path.stem}.history.jsonl")

    def records(self, current: str | None = None) -> list[Record]:
        """Every record that took effect, oldest first. ``current`` is the glossary
        file's hash (read from the file if not given)."""
        records = list(self._parsed())
        if records and self._never_landed(records[-1], current):
            records.pop()
        return records

    def record(self, record_id: int) -> Record | None:
        return next((r for r in self.records() if r.id == record_id), None)

    def of_term(self, term_id: str) -> list[Record]:
        """The records that touched ``term_id``, newest first."""
        return [r for r in reversed(self.records()) if term_id in r.terms]

    def recent(self, count: int = 50) -> list[Record]:
        return list(reversed(self.records()))[:count]

    def next_id(self, records: list[Record]) -> int:
        return records[-1].id + 1 if records else 1

    def settle(self, current: str) -> list[Record]:
        """Remove a torn last line or a record whose write never landed; the records.

        Only a writer holding the glossary's lock calls this.
        """
        remove_leftovers(self.path)  # the temp file of a settle that was killed
        raw = self._raw_lines()
        records = self.records(current)
        if len(records) != len(raw):
            lines = [_dumps(r) for r in records]
            atomic_write(self.path, "".join(line + "\n" for line in lines))
        return records

    def append(self, record: Record) -> None:
        """Add ``record`` durably: it is on disk before the glossary file changes."""
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(_dumps(record) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _never_landed(self, record: Record, current: str | None) -> bool:
        if current is None:
            try:
                current = file_hash(self.glossary_path.read_bytes())
            except OSError:
                return False
        return current == record.file_before != record.file_after

    def _raw_lines(self) -> list[str]:
        try:
            content = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in content.split("\n") if line.strip()]

    def _parsed(self) -> Iterator[Record]:
        for line in self._raw_lines():
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line torn by a kill during its append
            changes = [Change(**c) for c in data.pop("changes")]
            yield Record(**data, changes=changes)


def _dumps(record: Record) -> str:
    return json.dumps(asdict(record), ensure_ascii=False, separators=(",", ":"))
