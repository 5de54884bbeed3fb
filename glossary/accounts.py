"""Curators: the people who may log in at ``/review``, and how often they may try.

    curators = Curators("instance")
    curators.add("李明", "一句够长的口令 2024")
    curators.verify("李明", "一句够长的口令 2024", client="203.0.113.7")   →   True
    curators.verify("李明", "猜的", client="203.0.113.7")                  →   False

Accounts live in ``curators.sqlite3`` in the instance folder (mode 0600, never in the
repository). Passwords are kept as argon2 hashes, upgraded at the next login when the
hasher's parameters change.

Failed logins are counted in the same database, per name and per client address.
After five in a row, attempts are refused without looking at the password
(:class:`Throttled`) for 30 s, doubling with every further failure up to 15 min; a
success starts the counts again. The counts live in SQLite rather than in
Flask-Limiter because gunicorn runs several worker processes: Flask-Limiter's default
storage is per process (an attacker would get five tries per worker), and a shared one
needs Redis or memcached, which this service has no other use for.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import re
import secrets
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import cached_property
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from glossary import config
from glossary.errors import GlossaryError

log = logging.getLogger(__name__)

DATABASE = "curators.sqlite3"
SECRET_KEY_FILE = "secret_key"
NAME = re.compile(r"[\w.-]{1,40}")  # \w: letters and digits of every script, and "_"
MIN_PASSWORD = 10
FAILURES_ALLOWED = 5  # in a row, per name and per client, before attempts are refused
FIRST_DELAY = 30  # seconds refused after the fifth failure, doubling after each further one
MAX_DELAY = 15 * 60
FORGET_AFTER = 24 * 60 * 60  # a count left alone this long starts again from zero
SESSION_LIFETIME = timedelta(hours=12)  # a login lasts a working day, then asks again
_LIFETIME = SESSION_LIFETIME.total_seconds()

SCHEMA = """
CREATE TABLE IF NOT EXISTS curators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a name added again is a new account
    name TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,         -- the random token a session cookie carries
    account INTEGER NOT NULL,    -- curators.id: a removed account's sessions go with it
    started REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    key TEXT PRIMARY KEY,        -- 'name:李明' or 'client:203.0.113.7'
    count INTEGER NOT NULL,      -- attempts in a row that did not succeed
    locked_until REAL NOT NULL,  -- seconds since the epoch: refused until then
    last REAL NOT NULL
);
"""


class CuratorError(GlossaryError):
    """A curator name or password that cannot be used."""

    code = "invalid_curator"


class CuratorExists(CuratorError):
    status = 409
    code = "curator_exists"


class NoSuchCurator(CuratorError):
    status = 404
    code = "no_such_curator"


class Throttled(GlossaryError):
    """Too many failed logins for the name or from the address: wait ``retry_after`` s."""

    status = 429
    code = "throttled"

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"too many failed logins; try again in {retry_after} s")


class Curators:
    """The curators of one instance folder, shared by every process that opens it.

    ``hasher`` and ``clock`` are there for tests (cheaper parameters, a clock to move).
    """

    def __init__(
        self,
        instance_dir: str | os.PathLike,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.path = Path(instance_dir) / DATABASE
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        self._ready = False

    def add(self, name: str, password: str) -> None:
        """A new curator; refuses an invalid or taken name and a short password."""
        check_name(name)
        if len(password) < MIN_PASSWORD:
            raise CuratorError(
                f"the password has {len(password)} characters: it needs at least {MIN_PASSWORD}"
            )
        hashed = self._hasher.hash(password)
        try:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO curators (name, hash, added) VALUES (?, ?, ?)",
                    (name, hashed, self._clock()),
                )
        except sqlite3.IntegrityError:
            raise CuratorExists(f"a curator named {name!r} exists already") from None

    def remove(self, name: str) -> None:
        with self._transaction() as db:
            db.execute(
                "DELETE FROM sessions WHERE account IN (SELECT id FROM curators WHERE name = ?)",
                (name,),
            )
            removed = db.execute("DELETE FROM curators WHERE name = ?", (name,)).rowcount
        if not removed:
            raise NoSuchCurator(f"no curator named {name!r} ('glossary curator list' names them)")

    def names(self) -> list[str]:
        return [name for (name,) in self._query("SELECT name FROM curators ORDER BY name")]

    def account(self, name: str) -> int | None:
        """The account number of ``name`` (None if there is none): sessions hold it, so a
        curator removed and added again does not get the old sessions back."""
        rows = self._query("SELECT id FROM curators WHERE name = ?", (name,))
        return rows[0][0] if rows else None

    # --- sessions -----------------------------------------------------------------------

    def open_session(self, name: str) -> str:
        """A new session of ``name``: the token its cookie carries. Kept here, not only in
        the signed cookie, so that logging out ends it even for a copy of the cookie."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._transaction() as db:
            db.execute("DELETE FROM sessions WHERE started < ?", (now - _LIFETIME,))
            account = db.execute("SELECT id FROM curators WHERE name = ?", (name,)).fetchone()
            if account is None:
                raise NoSuchCurator(f"no curator named {name!r}")
            db.execute("INSERT INTO sessions VALUES (?, ?, ?)", (token, account[0], now))
        return token

    def session_curator(self, token: str | None) -> str | None:
        """The curator of session ``token`` while it lasts (12 h from the login), else None."""
        if not token:
            return None
        rows = self._query(
            "SELECT name FROM sessions JOIN curators ON curators.id = sessions.account "
            "WHERE sessions.id = ? AND started >= ?",
            (token, self._clock() - _LIFETIME),
        )
        return rows[0][0] if rows else None

    def close_session(self, token: str | None) -> None:
        if token and self.path.exists():
            with self._transaction() as db:
                db.execute("DELETE FROM sessions WHERE id = ?", (token,))

    def verify(self, name: str, password: str, client: str) -> bool:
        """Whether ``password`` is ``name``'s; raises :class:`Throttled` without checking it
        after too many failures for the name or from ``client`` (an address)."""
        keys = attempt_keys(name, client)
        wait = self._admit(keys)
        if wait:
            log.warning("login of %r from %r refused: throttled for %d s", name, client, wait)
            raise Throttled(wait)
        stored = self._stored(name)
        if not self._matches(stored, password):
            log.warning("login of %r from %r failed: wrong name or password", name, client)
            return False
        self._succeeded(keys)
        if self._hasher.check_needs_rehash(stored[1]):
            self._rehash(stored[0], password)
        log.info("login of %r from %r", name, client)
        return True

    # --- throttling -----------------------------------------------------------------------

    def _admit(self, keys: list[str]) -> int:
        """Seconds to wait if a key is locked; else 0, and the attempt counts as failed
        until it succeeds. Counting first, in one transaction, means that a burst of
        parallel guesses cannot all pass before the first failure is written."""
        now = self._clock()
        with self._transaction() as db:
            db.execute("DELETE FROM failures WHERE last < ?", (now - FORGET_AFTER,))
            marks = ", ".join("?" * len(keys))
            sql = f"SELECT max(locked_until) FROM failures WHERE key IN ({marks})"
            (locked_until,) = db.execute(sql, keys).fetchone()
            if locked_until and locked_until > now:
                return math.ceil(locked_until - now)
            for key in keys:
                self._count(db, key, now)
        return 0

    @staticmethod
    def _count(db: sqlite3.Connection, key: str, now: float) -> None:
        (count,) = db.execute(
            "INSERT INTO failures VALUES (?, 1, 0, ?) ON CONFLICT (key) DO UPDATE "
            "SET count = count + 1, last = excluded.last RETURNING count",
            (key, now),
        ).fetchone()
        if count >= FAILURES_ALLOWED:
            until = now + delay(count)
            db.execute("UPDATE failures SET locked_until = ? WHERE key = ?", (until, key))

    def _succeeded(self, keys: list[str]) -> None:
        # Both counts start again: the failures were a curator's typos, not an attack.
        # (Someone with an account of their own could thus keep their address's count
        # low, but every name they try for still has a count of its own.)
        with self._transaction() as db:
            db.execute("DELETE FROM failures WHERE key IN (?, ?)", keys)

    # --- passwords ------------------------------------------------------------------------

    def _stored(self, name: str) -> tuple[int, str] | None:
        rows = self._query("SELECT id, hash FROM curators WHERE name = ?", (name,))
        return rows[0] if rows else None

    def _matches(self, stored: tuple[int, str] | None, password: str) -> bool:
        # An unknown name is checked against a hash too, so that it takes as long as a
        # known one and the time taken does not tell which names exist. The stand-in is
        # made on the first check, whichever name it is for, for the same reason.
        dummy = self._dummy_hash
        hashed = stored[1] if stored else dummy
        try:
            self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False
        return stored is not None

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash(secrets.token_urlsafe(16))

    def _rehash(self, account: int, password: str) -> None:
        hashed = self._hasher.hash(password)
        with self._transaction() as db:
            db.execute("UPDATE curators SET hash = ? WHERE id = ?", (hashed, account))

    # --- the database -----------------------------------------------------------------------

    def _query(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        if not self._ready and not self.path.exists():
            return []  # reading makes no files: not even for a mistyped --instance-dir
        with contextlib.closing(self._connect()) as db:
            return db.execute(sql, parameters).fetchall()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed at the end; an error rolls it back.

        IMMEDIATE: writers queue for the lock at the start, so two workers never read
        the same count and both write count + 1.
        """
        with contextlib.closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")  # not reached on an error: closing then rolls back

    def _connect(self) -> sqlite3.Connection:
        # A connection per use: connections must not cross gunicorn's fork, and a local
        # SQLite file opens in microseconds.
        if not self._ready:
            create_private_file(self.path)
            with contextlib.closing(sqlite3.connect(self.path, timeout=10)) as db:
                db.executescript(SCHEMA)
            self._ready = True
        return sqlite3.connect(self.path, timeout=10, isolation_level=None)


def check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise CuratorError(
            f"curator name {name!r}: must be 1 to 40 letters, digits, '.', '_' or '-'"
        )


def attempt_keys(name: str, client: str) -> list[str]:
    """What a login attempt counts against: the name and the client address."""
    # A name no curator can have is cut short: it cannot succeed, but must not fill the table.
    return [f"name:{name[:41]}", f"client:{client[:64]}"]


def delay(failures: int) -> int:
    """Seconds refused after ``failures`` in a row: 30 after five, doubling, at most 15 min."""
    doublings = min(failures - FAILURES_ALLOWED, 10)  # 30 s · 2¹⁰ is far past the cap
    return min(FIRST_DELAY * 2**doublings, MAX_DELAY)


def create_private_file(path: Path) -> None:
    """``path`` exists, readable by its owner only (SQLite alone would follow the umask)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)  # an older or copied file: hashes are nobody else's business


# --- the session key -------------------------------------------------------------------------


def secret_key(instance_dir: str | os.PathLike) -> str:
    """The key that signs sessions: ``$GLOSSARY_SECRET_KEY``, else ``secret_key`` in
    ``instance_dir``, made at random the first time (mode 0600).

    Every worker and every restart reads the same file, so sessions survive restarts.
    It is written whole under a temporary name, then linked into place, which fails if
    the name is taken: two workers starting at once both end up with the key that won.
    """
    key = config.secret_key()
    if key:
        return key
    path = Path(instance_dir) / SECRET_KEY_FILE
    if not path.exists():
        _create_secret_key(path)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise config.SettingError(
            f"{path}: no usable key in it (fewer than 32 characters); delete it to get a new one"
        )
    return key


def _create_secret_key(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp makes it 0600
            handle.write(secrets.token_hex(32) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
