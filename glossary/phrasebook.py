"""pypinyin's built-in phrase table on disk, asked only for the pieces of one text.

pypinyin reads its 47,000 phrases at import and trains its segmenter on them: about
200 ms that every ``glossary pinyin`` would wait for. A reading only ever uses phrases
that occur in its own text, so :mod:`glossary.pinyin` imports pypinyin without them
and asks here for the pieces of each text it reads::

    >>> sorted(lookup(["三个", "区分", "个区"]).items())  # doctest: +SKIP
    [('三个', None), ('区分', [['qū'], ['fēn']])]

``None`` marks the start of a longer phrase that is not a phrase itself (三个代表):
pypinyin's segmenter asks about those too, and gives up on a phrase so begun that
never completes (一块石头 reads shí tóu, not the phrase 石头's shí tou).

The table is built once per pypinyin version, from pypinyin's own data, into
``$GLOSSARY_CACHE_DIR`` (SQLite, 2 MB, about half a second). Where that directory
cannot be written, :func:`ready` says so, and the caller takes :func:`everything`
at once instead, as pypinyin itself would.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from glossary import config

SCHEMA = 1  # raise when the layout of the file changes: the name changes with it
_BATCH = 500  # pieces per query, well under SQLite's limit of bound parameters
_lock = threading.Lock()  # one connection per process, shared by its threads


def ready() -> bool:
    """Whether the table is on disk for this process, built now if need be."""
    return _connection(os.getpid()) is not None


def lookup(pieces: Iterable[str]) -> dict[str, list[list[str]] | None]:
    """Every piece that is a phrase (its readings, per character) or starts one (None).

    Only once :func:`ready` said yes, as :func:`longest`.
    """
    pieces = list(pieces)
    found: dict[str, list[list[str]] | None] = {}
    with _lock:
        connection = _connection(os.getpid())
        for start in range(0, len(pieces), _BATCH):
            batch = pieces[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, readings FROM entries WHERE key IN ({marks})"
            for key, readings in connection.execute(query, batch):
                found[key] = _decode(readings) if readings is not None else None
    return found


def everything() -> dict[str, list[list[str]]]:
    """The whole table: every phrase and its readings, as pypinyin ships it."""
    # pypinyin's own JSON: read whole, it loads faster than all the rows of the file.
    from pypinyin.phrases_dict import phrases_dict

    return phrases_dict


@functools.cache
def longest() -> int:
    """Characters in the longest phrase: longer pieces of a text need no lookup."""
    with _lock:
        row = _connection(os.getpid()).execute("SELECT longest FROM meta").fetchone()
    return row[0]


def path() -> Path:
    """Where the table of the installed pypinyin lives."""
    import pypinyin  # already imported by glossary.pinyin, without its phrases

    return config.cache_dir() / f"pypinyin-{pypinyin.__version__}-phrases-{SCHEMA}.sqlite3"


@functools.cache
def _connection(pid: int) -> sqlite3.Connection | None:
    """This process's connection (keyed by pid: a connection must not cross a fork)."""
    file = path()
    with contextlib.suppress(sqlite3.Error):
        return _open(file)  # built by an earlier process
    try:
        _build(file)
        return _open(file)
    except (OSError, sqlite3.Error):  # a cache directory that cannot be written
        return None


def _open(file: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(file.as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    connection.execute("SELECT longest FROM meta").fetchone()  # a complete table, or raise
    return connection


def _build(file: Path) -> None:
    """Write the table beside its final name and rename it there: readers, and other
    processes building it at the same time, see a whole file or none."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(temp)) as connection:
            _fill(connection)
        os.replace(temp, file)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _fill(connection: sqlite3.Connection) -> None:
    phrases_dict = everything()
    rows: dict[str, str | None] = {}
    for phrase in phrases_dict:
        for end in range(1, len(phrase)):
            rows.setdefault(phrase[:end], None)
    rows.update((phrase, _encode(readings)) for phrase, readings in phrases_dict.items())
    with connection:
        connection.execute(
            "CREATE TABLE entries (key TEXT PRIMARY KEY, readings TEXT) WITHOUT ROWID"
        )
        connection.execute("CREATE TABLE meta (longest INTEGER)")
        connection.executemany("INSERT INTO entries VALUES (?, ?)", rows.items())
        connection.execute("INSERT INTO meta VALUES (?)", (max(map(len, phrases_dict)),))


def _encode(readings: list[list[str]]) -> str:
    # [['zhòng', 'chóng'], ['diǎn']] -> "zhòng,chóng diǎn": pinyin has no spaces or commas.
    return " ".join(",".join(alternatives) for alternatives in readings)


def _decode(readings: str) -> list[list[str]]:
    return [alternatives.split(",") for alternatives in readings.split(" ")]
