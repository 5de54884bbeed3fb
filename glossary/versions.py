"""The glossary versions a service has served, so that edits made outside curation show
up in the change feed.

    journal = Journal(Path("instance"), Path("data/terms.yaml"))
    journal.note(source_bytes, glossary)      # at every load; once per version
    journal.versions()                        # oldest first

The curation history (``glossary.history``) says who changed what and why, but an edit
made with a text editor or by ``glossary harvest --merge`` leaves no record there. The
service sees every version it loads, so it notes each one here: the file's hash, when
it was first seen, and each term's status and fingerprint. Two versions in a row then
tell which terms came, went or changed between them (``glossary.changes``).

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
SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    glossary TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    terms TEXT NOT NULL,  -- {id: [status, fingerprint, headword]}
    UNIQUE (glossary, file_hash)
)
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
    terms: dict[str, TermState]


def term_fingerprint(term: Term) -> str:
    """Changes whenever anything the term says changes (its dataclass fields, in order)."""
    return hashlib.sha1(repr(term).encode()).hexdigest()[:12]


def states(glossary: Glossary) -> dict[str, TermState]:
    return {t.id: TermState(t.status, term_fingerprint(t), t.term) for t in glossary.terms}


class Journal:
    """The versions of ``glossary_file`` in the journal of ``instance_dir``."""

    def __init__(self, instance_dir: str | Path, glossary_file: str | Path):
        self.path = Path(instance_dir) / FILE
        self.glossary = str(Path(glossary_file).resolve())

    def note(self, source: bytes, glossary: Glossary) -> bool:
        """Note the version of glossary file content ``source``; True if it is new.

        A version already noted costs one lookup: the terms are only fingerprinted
        the first time.
        """
        digest = file_hash(source)
        with self._connect() as db:
            known = "SELECT 1 FROM versions WHERE glossary = ? AND file_hash = ?"
            if db.execute(known, (self.glossary, digest)).fetchone():
                return False
            terms = {k: [s.status, s.fingerprint, s.term] for k, s in states(glossary).items()}
            cursor = db.execute(
                "INSERT OR IGNORE INTO versions (glossary, file_hash, seen_at, terms)"
                " VALUES (?, ?, ?, ?)",
                (self.glossary, digest, now(), json.dumps(terms, ensure_ascii=False)),
            )
            return cursor.rowcount == 1

    def versions(self) -> list[Version]:
        """Every version noted, oldest first; none if the journal does not exist yet."""
        if not self.path.exists():
            return []
        with self._connect() as db:
            rows = db.execute(
                "SELECT seq, file_hash, seen_at, terms FROM versions WHERE glossary = ?"
                " ORDER BY seq",
                (self.glossary,),
            )
            return [
                Version(seq, digest, seen_at, {k: TermState(*v) for k, v in json.loads(t).items()})
                for seq, digest, seen_at, t in rows
            ]

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:  # one transaction: committed, or rolled back on an error
                db.execute(SCHEMA)
                yield db
        finally:
            db.close()
