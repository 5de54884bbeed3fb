"""What changed in the glossary, term by term, newest first: the change feed.

    changes = ChangeLog(History("data/terms.yaml"), Journal("instance")).read()
    changes.since("2026-12-01T00:00:00Z")   # or a version: changes.since("3f2a9c0d41b7e655")

Two sources, merged in time order:

- the curation history (``glossary.history``): each record says who made which change
  to which term, and why;
- the versions journal (``glossary.versions``): two versions the service served in a
  row give the terms that came, went or changed between them. What the history
  already explains (the terms of records made between the two) is left out, so an
  edit made in a text editor or by a harvest shows up once, as a file edit, and a
  curation operation shows up once, as itself.

A change's ``kind`` is ``new``, ``modified``, ``deprecated`` (its status became
deprecated) or ``removed`` (merged into another term, or deleted); ``status`` and
``previous_status`` tell a term newly reviewed from one edited after review.

A version is the glossary file's SHA-256 (``history.file_hash``); any prefix of eight
hex digits or more names it, and the API shows the first 16.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from glossary.errors import GlossaryError
from glossary.history import History, Record
from glossary.versions import Journal, Version

KINDS = ("new", "modified", "deprecated", "removed")
VERSION_SHOWN = 16
_VERSION = re.compile(r"^[0-9a-f]{8,64}$")


# What a since may be, as the API documents it: a date, a time, or a version.
SINCE_PATTERN = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?)?|[0-9a-fA-F]{8,64})$"
)


class BadSince(GlossaryError):
    status = 400
    code = "invalid_parameter"


class UnknownVersion(GlossaryError):
    status = 404
    code = "unknown_version"


@dataclass(frozen=True)
class TermChange:
    at: str  # ISO 8601, UTC, to the second
    id: str
    term: str  # the headword, as it was after the change (before, if removed)
    kind: str  # one of KINDS
    status: str | None  # after the change; None once removed
    previous_status: str | None  # before it; None for a new term
    version: str  # the glossary version the change made (VERSION_SHOWN hex digits)
    by: str | None  # the curator; None for an edit made outside curation
    op: str  # the curation operation (accept, edit, merge…) or "file"
    summary: str
    record: int | None = None  # the history record, for curation operations

    @property
    def newly_reviewed(self) -> bool:
        return self.status == "reviewed" and self.previous_status != "reviewed"


@dataclass(frozen=True)
class _Event:
    """One step of the glossary: a curation record, or a file edit seen by the service."""

    at: str
    version: str  # the file hash after
    changes: list[TermChange]
    before: str = ""  # the file hash before


class ChangeLog:
    """The history and journal of one glossary file; ``read`` them into ``Changes``."""

    def __init__(self, history: History, journal: Journal | None = None):
        self.history = history
        self.journal = journal

    def read(self) -> Changes:
        records = self.history.records()
        versions = self.journal.versions() if self.journal else []
        events = [_from_record(r) for r in records]
        for before, after in itertools.pairwise(versions):
            event = _from_versions(before, after, records)
            if event.changes:
                events.append(event)
        # Records first within a second: the service saw a version after it was written.
        events.sort(key=lambda e: (e.at, bool(e.changes) and e.changes[0].op == "file"))
        return Changes(events, versions)

    def since(self, since: str | None = None) -> list[TermChange]:
        return self.read().since(since)


@dataclass(frozen=True)
class Changes:
    """The changes as read at one moment (a service keeps one per glossary version)."""

    events: list[_Event]
    versions: list[Version]

    def since(self, since: str | None = None) -> list[TermChange]:
        """Every change after ``since`` (an ISO 8601 time, or a version), newest first."""
        events = self.events
        if since and since.strip():
            events = events[_after(since.strip(), events, self.versions) :]
        return [change for event in reversed(events) for change in reversed(event.changes)]


def _after(since: str, events: list[_Event], versions: list[Version]) -> int:
    """The index of the first event after ``since``."""
    if is_version(since):
        token = since.lower()
        made = [k for k, e in enumerate(events) if e.version.startswith(token)]
        if made:
            return made[-1] + 1
        # The version before the first change: every change came after it.
        changed = [k for k, e in enumerate(events) if e.before.startswith(token)]
        if changed:
            return changed[0]
        seen = [v.seen_at for v in versions if v.file_hash.startswith(token)]
        if seen:
            return _first_after(seen[-1], events)
        raise UnknownVersion(f"since: no glossary version starts with {since!r}")
    return _first_after(instant(since), events)


def is_version(since: str) -> bool:
    return bool(_VERSION.match(since.lower()))


def _first_after(instant: str, events: list[_Event]) -> int:
    return next((k for k, e in enumerate(events) if e.at > instant), len(events))


def instant(since: str) -> str:
    """``since`` as the history writes times; BadSince if it is no time.

    >>> instant("2026-12-01"), instant("2026-12-01T16:00:00+08:00")
    ('2026-12-01T00:00:00Z', '2026-12-01T08:00:00Z')
    """
    try:
        moment = dt.datetime.fromisoformat(since)
    except ValueError:
        raise BadSince(
            f"since: {since!r} is neither an ISO 8601 time (2026-12-01, "
            "2026-12-01T08:00:00Z) nor a glossary version (8 to 64 hex digits)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _kind(before_status: str | None, after_status: str | None) -> str:
    if before_status is None:
        return "new"
    if after_status is None:
        return "removed"
    if after_status == "deprecated" and before_status != "deprecated":
        return "deprecated"
    return "modified"


def _from_record(record: Record) -> _Event:
    changes = []
    for change in record.changes:
        if change.kind != "term":
            continue
        before = _status(change.before)
        after = _status(change.after)
        written = (change.after or change.before or {}).get("term", change.id)
        changes.append(
            TermChange(
                record.at, change.id, written, _kind(before, after), after, before,
                record.file_after[:VERSION_SHOWN], record.who, record.op,
                record.summary or record.op, record.id,
            )
        )  # fmt: skip
    return _Event(record.at, record.file_after, changes, record.file_before)


def _status(item: dict | None) -> str | None:
    return None if item is None else item.get("status", "candidate")


def _from_versions(before: Version, after: Version, records: list[Record]) -> _Event:
    """The changes from one served version to the next that no record made."""
    curated = {
        term_id for r in records if before.seen_at <= r.at <= after.seen_at for term_id in r.terms
    }
    changes = []
    for term_id, (old, new) in after.changed.items():
        if term_id in curated:
            continue
        kind = _kind(old and old.status, new and new.status)
        written = (new or old).term
        summary = {"new": "文件中新增", "removed": "文件中删除"}.get(kind, "文件中修改")
        changes.append(
            TermChange(
                after.seen_at, term_id, written, kind, new and new.status, old and old.status,
                after.file_hash[:VERSION_SHOWN], None, "file", summary,
            )
        )  # fmt: skip
    return _Event(after.seen_at, after.file_hash, changes, before.file_hash)
