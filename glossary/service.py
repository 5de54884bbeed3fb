"""The glossary being served, kept fresh while the service runs.

    service = GlossaryService(Path("data/terms.yaml"), Path("instance/index"))
    service.current().search.search("sgqfkl")

At most once per ``check_interval`` seconds a request looks at the glossary file; if
its content changed, the new file is validated and indexed, and the next requests
use it. Requests already running keep the snapshot they started with, so none is
dropped; a broken edit is logged and the previous glossary stays in service.
Indexes are named by content, so every worker process serving the same file
shares one index, and a file lock makes only one of them build it.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from glossary import downloads, export, index
from glossary.annotate import Annotator, collection_paused
from glossary.catalog import Catalog
from glossary.changes import ChangeLog, Changes
from glossary.derived import Derived
from glossary.errors import GlossaryError, GlossaryFileError, Problem
from glossary.history import History, file_hash
from glossary.model import Glossary
from glossary.search import Search
from glossary.versions import Journal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """One version of the glossary and everything derived from it."""

    glossary: Glossary
    search: Search
    catalog: Catalog
    fingerprint: str  # the index's name: this content, in this index format
    annotator: Annotator
    version: str = ""  # the file's SHA-256 (glossary.changes names versions so)
    log: ChangeLog | None = None

    @functools.cached_property
    def widget_json(self) -> str:
        """The widget's glossary download, serialised once per version."""
        return json.dumps(export.widget_json(self.catalog, self.fingerprint), ensure_ascii=False)

    @functools.cached_property
    def changes(self) -> Changes:
        """The change feed as of this version (read once: it only grows with the file)."""
        if self.log is None:
            return Changes([], [])
        try:
            return self.log.read()
        except sqlite3.Error as error:  # the journal unreadable: the history still tells
            log.warning("versions journal: %s", error)
            return ChangeLog(self.log.history).read()

    def download(self, extension: str, base_url: str, statuses: tuple[str, ...] = ()) -> bytes:
        """``glossary.<extension>`` of this version, rendered once per address and
        statuses (a few, most recently asked kept)."""
        key = (extension, base_url, statuses)
        cache = self._downloads
        if key not in cache:
            payload = downloads.download(self.glossary, extension, base_url, statuses or None)
            while len(cache) >= DOWNLOADS_KEPT:
                cache.pop(next(iter(cache)))
            cache[key] = payload
        return cache[key]

    @functools.cached_property
    def _downloads(self) -> dict[tuple, bytes]:
        return {}


DOWNLOADS_KEPT = 12  # every format of the whole glossary and of its reviewed terms


class GlossaryService:
    def __init__(
        self,
        glossary_file: Path,
        index_dir: Path,
        check_interval: float = 1.0,
        instance_dir: Path | None = None,
    ):
        self.glossary_file = Path(glossary_file)
        self.index_dir = Path(index_dir)
        self.check_interval = check_interval
        # Where the versions served are noted, for the change feed (None: not noted).
        self.journal = None if instance_dir is None else Journal(instance_dir, glossary_file)
        self._refreshing = threading.Lock()
        self._checked_at = time.monotonic()
        self._missing = False
        self._stamp = self._file_stamp()
        self._snapshot = self._load()  # a broken file at start-up is an error, not a log line

    def current(self) -> Snapshot:
        if time.monotonic() - self._checked_at >= self.check_interval:
            self.refresh()
        return self._snapshot

    def refresh(self) -> bool:
        """Switch to the file's current content if it changed; True if it did."""
        if not self._refreshing.acquire(blocking=False):
            return False  # another thread is on it; serve the snapshot we have
        try:
            self._checked_at = time.monotonic()
            stamp = self._file_stamp()
            if stamp is None or stamp == self._stamp:
                return False
            self._stamp = stamp
            try:
                snapshot = self._load()
            except GlossaryError as error:
                log.error("keeping the previous glossary: %s", error)
                return False
            changed = snapshot.fingerprint != self._snapshot.fingerprint
            self._snapshot = snapshot
            return changed
        finally:
            self._refreshing.release()

    def _note(self, source: bytes, glossary: Glossary) -> None:
        if self.journal is None:
            return
        try:
            self.journal.note(source, glossary)
        except (OSError, sqlite3.Error) as error:
            # A replica on a read-only instance folder still serves; its feed of file
            # edits is what the journal already holds.
            log.warning("cannot note this glossary version in %s: %s", self.journal.path, error)

    def _file_stamp(self) -> tuple[int, int] | None:
        """The file's modification time and size; None while it cannot be seen.

        Editors and deploy scripts move the file away and back: until it is back, the
        last good glossary stays in service, and that is said once, not per request.
        """
        try:
            stat = os.stat(self.glossary_file)
        except OSError as error:
            if not self._missing:
                log.warning("keeping the previous glossary: %s: %s", self.glossary_file, error)
            self._missing = True
            return None
        if self._missing:
            log.warning("%s is back", self.glossary_file)
            self._missing = False
        return stat.st_mtime_ns, stat.st_size

    def _load(self) -> Snapshot:
        try:
            source = self.glossary_file.read_bytes()
        except OSError as error:
            problem = Problem("", f"cannot read: {error.strerror}")
            raise GlossaryFileError(str(self.glossary_file), [problem]) from None
        name = index.fingerprint(source)
        path = self.index_dir / name
        # Stored with a built index: one load. Else parsed, validated, keyed and mapped,
        # the index built, and the rest stored beside it for the next start.
        derived = Derived.load(path)
        stored = derived is not None
        if derived is None:
            index.must_be_buildable(path)
            derived = Derived.compute(source.decode("utf-8-sig"), str(self.glossary_file), path)
        with collection_paused():  # else each collection walks all the glossary's objects again
            search = Search(derived.glossary, path, derived.documents, derived.maps)
        if not stored:
            derived.save(path)
        index.prune(self.index_dir, keep=[name])
        self._note(source, derived.glossary)
        history = ChangeLog(History(self.glossary_file), self.journal)
        return Snapshot(
            derived.glossary, search, derived.catalog, name, derived.annotator,
            file_hash(source), history,
        )  # fmt: skip
