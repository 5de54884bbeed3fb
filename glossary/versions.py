"""The glossary versions a service has served, so that edits made outside curation show
up in the change feed.

    journal = Journal(Path("instance"), Path("data/terms.yaml"))
    journal.note(source_bytes, glossary)      # at every load; once per version
    journal.versions()                        # oldest first

The curation history (``glossary.history``) says who changed what and why, but an edit
made with a text editor or by ``glossary harvest --merge`` leaves no record there. The
service sees every version it loads, so it notes each one here: the file's hash, when
it was first seen, and the terms that came, went or changed since the version noted
before it (their status, fingerprint and headword), so ``glossary.changes`` can list
them. Only those terms are stored, and the whole state of the latest version once: a
curation operation on a glossary of 100,000 terms adds a row of one term.

The journal is an SQLite file in the instance folder (``versions.sqlite3``), beside the
curators' accounts: every worker of a deployment writes to the same one, and SQLite
makes a version noted by two workers at once one row. Versions are kept per glossary
file (its absolute path), so one instance folder may serve several in turn.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from glossary.history import file_hash, now
from glossary.model import Glossary, Term

FILE = "versions.sqlite3"
SCHEMA_VERSION = 2  # PRAGMA user_version; a journal of another layout is started afresh
SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    glossary TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    changed TEXT NOT NULL,  -- {id: [status, fingerprint, headword] or null if gone}, and
                            -- every term, in the first version of a glossary
    UNIQUE (glossary, seq)
);
CREATE TABLE IF NOT EXISTS latest (
    glossary TEXT PRIMARY KEY,
    file_hash TEXT NOT NULL,
    terms TEXT NOT NULL  -- {id: [status, fingerprint, headword]} of its latest version
);
"""


@dataclass(frozen=True)
class TermState:
    status: str
    fingerprint: str
    term: str


@dataclass(frozen=True)
class Version:
    seq: int
    file_hash: str
    seen_at: str  # ISO 8601, UTC
    # Each term that differs from the version noted before: (before, after), None for
    # absent. The first version noted has none: nothing is known from before it.
    changed: dict[str, tuple[TermState | None, TermState | None]]


def term_fingerprint(term: Term) -> str:
    """Changes whenever anything the term says changes (its dataclass fields, in order)."""
    return hashlib.sha1(repr(term).encode()).hexdigest()[:12]


def states(glossary: Glossary) -> dict[str, list[str]]:
    return {t.id: [t.status, term_fingerprint(t), t.term] for t in glossary.terms}


class Journal:
    """The versions of ``glossary_file`` in the journal of ``instance_dir``."""

    def __init__(self, instance_dir: str | Path, glossary_file: str | Path):
        self.path = Path(instance_dir) / FILE
        self.glossary = str(Path(glossary_file).resolve())

    def note(self, source: bytes, glossary: Glossary) -> bool:
        """Note the version of glossary file content ``source``; True if it is noted
        now: it differs from the latest one noted (an earlier version come back is
        noted again, as a change back).

        The version noted last costs one lookup: terms are fingerprinted only for a
        version new to the journal. A worker that read the file just before another
        worker's newer version notes nothing: the file has moved on.
        """
        digest = file_hash(source)
        with self._transaction() as db:
            row = db.execute(
                "SELECT file_hash, terms FROM latest WHERE glossary = ?", (self.glossary,)
            )
            found = row.fetchone()
            if (found and found[0] == digest) or not self._still(digest):
                return False
            now_terms = states(glossary)
            # The first version is stored whole: what the next ones are compared with.
            changed = _changed(json.loads(found[1]), now_terms) if found else now_terms
            db.execute(
                "INSERT INTO versions (glossary, file_hash, seen_at, changed) VALUES (?, ?, ?, ?)",
                (self.glossary, digest, now(), _dumps(changed)),
            )
            db.execute(
                "INSERT OR REPLACE INTO latest (glossary, file_hash, terms) VALUES (?, ?, ?)",
                (self.glossary, digest, _dumps(now_terms)),
            )
            return True

    def versions(self) -> list[Version]:
        """Every version noted, oldest first; none if the journal does not exist yet."""
        if not self.path.exists():
            return []
        with self._transaction() as db:
            rows = db.execute(
                "SELECT seq, file_hash, seen_at, changed FROM versions WHERE glossary = ?"
                " ORDER BY seq",
                (self.glossary,),
            ).fetchall()
        found, state = [], {}
        for seq, digest, seen_at, changed in rows:
            pairs = {}
            for term_id, after in json.loads(changed).items():
                before = state.get(term_id)
                pairs[term_id] = (before, TermState(*after) if after else None)
                if after:
                    state[term_id] = pairs[term_id][1]
                else:
                    state.pop(term_id, None)
            found.append(Version(seq, digest, seen_at, pairs if found else {}))
        return found

    @staticmethod
    def _start_afresh(db: sqlite3.Connection) -> None:
        """Tables of this layout, in place of any other: what a journal of another layout
        recorded is only the file edits of the past, and the history keeps the rest."""
        for table in ("versions", "latest"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in filter(str.strip, SCHEMA.split(";")):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _still(self, digest: str) -> bool:
        try:
            return file_hash(Path(self.glossary).read_bytes()) == digest
        except OSError:
            return True  # moved away for a moment: what was read is what was served

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction that holds the write lock from its start: two workers noting
        two versions at once see each other's, never the same latest state."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self._start_afresh(db)
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()


def _changed(before: dict[str, list], after: dict[str, list]) -> dict[str, list | None]:
    """The terms of ``after`` that differ from ``before``, and those gone (None)."""
    changed: dict[str, list | None] = {k: v for k, v in after.items() if before.get(k) != v}
    changed.update({k: None for k in before if k not in after})
    return changed


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
