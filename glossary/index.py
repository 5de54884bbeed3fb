"""The Whoosh index of a glossary: schema, atomic build, and query building.

One Whoosh document per term. Fields (all derived from ``data/terms.yaml``):

=============  =============================================================
headword       ``text.key`` of the headword (exact and prefix)
alias          keys of the aliases
chars          character 1-4-grams of each form (substrings, 531, 1+3+N)
definition     definitions, segmented by jieba (``glossary.segment``); no positions
pinyin         readings as spoken (toneless, tone numbers), codes as printed
initials       initials of every form (sgqfkl; wsycytx and 531cytx)
alternative    other readings of polyphones (low weight)
fuzzy          ``pinyin.fuzzy_key`` of the readings (z/zh, n/l … folded)
status, scope, category, letter   facets
=============  =============================================================

Pinyin typed from the middle of a reading is found by ``glossary.search`` in memory.

Queries are built in code from what ``glossary.query`` understood; user text never
reaches Whoosh's query parser, so ``AND``, ``(``, ``*`` or ``:`` are just characters.

An index lives in ``<index_dir>/<fingerprint>``, named after the glossary file's
content: it is built in a temporary directory and renamed into place, so readers
see a whole index or none, and every process serving the same file finds it.
Every process that serves an index holds a shared lock on it (:func:`serve`), and
:func:`prune` removes only indexes nobody holds: a build for one glossary file never
deletes the index another server is using.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pickle
import shutil
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock
from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import _DEF_INDEX_NAME as _INDEX_NAME
from whoosh.index import TOC

from glossary import pinyin, segment, text
from glossary.model import Glossary, Term

CHAR_GRAM = 4
HOLD_FILE = "SERVING"  # shared-locked by every process serving the index
# Change it with the schema, the documents or the codec: an index built by other code
# from the same glossary must not be reused.
FORMAT = 3  # 3: digits read aloud in the readings, as printed in `written` keys


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over ``glossary.segment.words`` (jieba, search mode)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs) -> Iterator[Token]:  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, (word, start, end) in enumerate(segment.words(value)):
            token.text = word
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def schema() -> Schema:
    keys = {"lowercase": True, "scorable": False}
    return Schema(
        id=ID(stored=True, unique=True),
        headword=ID(field_boost=8.0),
        alias=KEYWORD(field_boost=6.0, **keys),
        chars=KEYWORD(**keys),
        definition=TEXT(analyzer=JiebaTokenizer() | LowercaseFilter(), phrase=False),
        pinyin=KEYWORD(field_boost=5.0, **keys),
        initials=KEYWORD(field_boost=4.0, **keys),
        alternative=KEYWORD(field_boost=0.5, **keys),
        fuzzy=KEYWORD(field_boost=0.3, **keys),
        status=ID(),
        scope=KEYWORD(commas=True),
        category=ID(),
        letter=ID(),
    )


def fingerprint(source: bytes) -> str:
    """The name of the index of this exact glossary file content, in this index format."""
    return hashlib.sha1(f"index format {FORMAT}\n".encode() + source).hexdigest()[:16]


def build(
    glossary: Glossary, index_dir: Path, name: str, documents: list[dict] | None = None
) -> Path:
    """Build the index of ``glossary`` as ``index_dir/name``, atomically; return its path.

    ``documents`` are the terms' ``document(term)`` dicts if the caller has them.
    An index already there (another process was first) is kept as it is.
    """
    final = index_dir / name
    if built(final):
        return final
    return Building(index_dir, name, documents or [document(t) for t in glossary.terms]).finish()


def built(path: Path) -> bool:
    return whoosh_index.exists_in(str(path))


class Building:
    """An index being written while the caller goes on with other work.

    A large glossary is written as one segment per core, each by a forked process (the
    writer is pure Python: one core writes 100,000 terms in about 90 s); the segments
    are joined in one table of contents, not merged, so the build lasts as long as its
    slowest part. Whoosh's own multiprocess writer is not used: it merges the parts
    again in the parent, one posting at a time. :meth:`finish` waits for the parts and
    renames the index into place.
    """

    def __init__(self, index_dir: Path, name: str, documents: list[dict]):
        index_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir, self.name = index_dir, name
        self._scratch = tempfile.mkdtemp(prefix=".scratch.", dir=index_dir)
        self.parts = _parts(len(documents))
        self._documents: list[dict] | None = documents
        self._children: list[_Child] = []
        if self.parts > 1:
            size = -(-len(documents) // self.parts)
            chunks = [documents[i : i + size] for i in range(0, len(documents), size)]
            self._children = [self._fork(chunk, n) for n, chunk in enumerate(chunks)]
            self._documents = None

    def finish(self) -> Path:
        try:
            if self._documents is not None:
                files = _segment_files(self._documents, self._scratch)
            else:
                failed = [code for code in [child.wait() for child in self._children] if code]
                if failed:
                    raise RuntimeError(f"an index segment's writer failed (exit code {failed[0]})")
                files = _joined([child.result() for child in self._children])
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)
        return _install(files, self.index_dir, self.name)

    def _fork(self, documents: list[dict], number: int) -> _Child:
        out = Path(self._scratch) / f"part-{number}.pickle"
        pid = os.fork()
        if pid == 0:  # the child: write, hand over, and leave without any cleanup
            code = 1
            try:
                out.write_bytes(pickle.dumps(_segment_files(documents, self._scratch)))
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        return _Child(pid, out)


def _install(files: dict[str, bytes], index_dir: Path, name: str) -> Path:
    final = index_dir / name
    if final.exists() and not built(final):  # an index whose files were removed
        shutil.rmtree(final, ignore_errors=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=index_dir))
    try:
        for file_name, content in files.items():
            (temporary / file_name).write_bytes(content)
        with contextlib.suppress(OSError):  # lost the race: the other build is as good
            temporary.rename(final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return final


PARALLEL_FROM = 20_000  # documents: below this a second process costs more than it saves


def _parts(count: int) -> int:
    return max(1, min(_cores(), count // max(1, PARALLEL_FROM // 2)))


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _segment_files(documents: list[dict], scratch: str) -> dict[str, bytes]:
    """The files of a one-segment index of ``documents``, by name; scratch in ``scratch``.

    Whoosh's writer asks its storage whether a length file exists once per posting of
    an unscored field; on disk that is a system call each (about half of a 10,000-term
    build), in memory a dict lookup. A large memory budget gives one segment, no merges.
    """
    storage = _MemoryStorage(scratch)
    writer = storage.create_index(schema()).writer(limitmb=512, codec=_codec())
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    return dict(storage.files)


class _Child:
    """A forked process writing one segment; its files come back through a pickle file."""

    def __init__(self, pid: int, out: Path):
        self.pid, self.out = pid, out

    def wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)

    def result(self) -> dict[str, bytes]:
        return pickle.loads(self.out.read_bytes())


def _joined(parts: list[dict[str, bytes]]) -> dict[str, bytes]:
    """One index of the segments of ``parts`` (each a whole one-segment index), in order."""
    storage = RamStorage()
    segments = []
    for files in parts:
        storage.files.update((n, b) for n, b in files.items() if not n.endswith(".toc"))
        part = RamStorage()
        part.files = files
        segments += TOC.read(part, _INDEX_NAME).segments
    TOC(schema(), segments, 1).write(storage, _INDEX_NAME)
    return dict(storage.files)


class _MemoryStorage(RamStorage):
    """Whoosh's RamStorage keeps its scratch files in ``<tmp>/MAIN.tmp``, one directory
    for every process on the machine: two builds at once delete each other's files."""

    def __init__(self, scratch: str):
        super().__init__()
        self._scratch = scratch

    def temp_storage(self, name: str | None = None) -> FileStorage:
        return FileStorage(tempfile.mkdtemp(dir=self._scratch)).create()


def _codec() -> W3Codec:
    """Whoosh's codec without zlib: nearly every posting list (an n-gram, a pinyin key)
    names a few terms, too short for compression to pay for its time."""
    return _Codec(compression=0)


class _Codec(W3Codec):
    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)


class _PerDocReader(W3PerDocReader):
    """Remembers that a field has no lengths, too: while writing, the lengths of every
    posting's field are asked for, and an unscored field's absence was looked up anew
    each time (most of the postings here are of unscored fields)."""

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]


def open_index(path: Path) -> whoosh_index.Index:
    # Not mmap'd: Whoosh copies each mmap'd part of a compound segment into a BytesIO
    # for every searcher it opens (30 MB each at 10,000 terms, and a worker opens one
    # per thread). Read through the file, the pages stay in the one page cache that
    # every process shares.
    return FileStorage(str(path), supports_mmap=False, readonly=True).open_index()


class Hold:
    """A shared lock on one index, kept while a process may read it.

    The lock belongs to the open file, so it lasts as long as this process, or a worker
    forked from it, keeps the file open; :meth:`release` (or garbage collection, or the
    process's end) lets it go. Released, never unlocked: forked workers share the lock.
    """

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = os.open(path / HOLD_FILE, os.O_RDONLY | os.O_CREAT, 0o644)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.release()


def serve(
    glossary: Glossary, index_dir: Path, name: str, documents: list[dict] | None = None
) -> tuple[whoosh_index.Index, Hold]:
    """The index ``name`` of ``glossary``, built if missing, opened and held.

    Under the build lock, so that no :func:`prune` runs between the build and the hold.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        path = build(glossary, index_dir, name, documents)
        hold = Hold(path)
        return open_index(path), hold


def prune(index_dir: Path, keep: Iterable[str]) -> list[str]:
    """Remove the indexes in ``index_dir`` that no process holds, except ``keep``.

    Returns the names removed. Builds under way (dot names) and directories that are
    not indexes are never touched.
    """
    kept = set(keep)
    removed = []
    with _build_lock(index_dir):
        for path in index_dir.iterdir():
            if path.name not in kept and not path.name.startswith(".") and _is_index(path):
                with _unless_held(path) as free:
                    if free:
                        shutil.rmtree(path, ignore_errors=True)
                        removed.append(path.name)
    return removed


def _is_index(path: Path) -> bool:
    return path.is_dir() and ((path / HOLD_FILE).exists() or whoosh_index.exists_in(str(path)))


@contextlib.contextmanager
def _unless_held(path: Path) -> Iterator[bool]:
    """True (with an exclusive lock taken) if no process holds the index at ``path``."""
    try:
        fd = os.open(path / HOLD_FILE, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        yield False  # not an index of ours, or already gone
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)


def _build_lock(index_dir: Path) -> FileLock:
    return FileLock(str(index_dir / ".build.lock"))


def document(term: Term) -> dict[str, str]:
    forms = [text.key(f) for f in term.forms]
    readings = [pinyin.search_keys(f, term.pinyin if f == term.term else None) for f in term.forms]
    toneless = {k for r in readings for kind in ("toneless", "numbers", "written") for k in r[kind]}
    toneless = {k.replace(" ", "") for k in toneless}
    joined = {k for r in readings for k in r["toneless"]}
    return {
        "id": term.id,
        "headword": forms[0],
        "alias": " ".join(forms[1:]),
        "chars": " ".join(sorted(char_grams(forms))),
        "definition": text.fold_chars(" ".join(s.definition for s in term.senses if s.definition)),
        "pinyin": " ".join(sorted(toneless)),
        "initials": " ".join(sorted({k for r in readings for k in r["initials"]})),
        "alternative": " ".join(sorted({k for r in readings for k in r["alternatives"]})),
        "fuzzy": " ".join(sorted({pinyin.fuzzy_key(k) for k in joined})),
        "status": term.status,
        "scope": ",".join(dict.fromkeys(term.scopes)),
        "category": term.category or "",
        "letter": pinyin.first_letter(term.term, term.pinyin),
    }


def char_grams(forms: list[str]) -> set[str]:
    """Every 1- to ``CHAR_GRAM``-character piece of each form (keys hold no spaces).

    Pieces are taken form by form, never across two forms, and each once per term.
    """
    return {
        f[i : i + n] for f in forms for n in range(1, CHAR_GRAM + 1) for i in range(len(f) - n + 1)
    }


def substring_query(field: str, key: str, size: int) -> q.Query:
    """All ``size``-grams of ``key`` (or ``key`` itself if shorter): a substring match."""
    if len(key) <= size:
        return q.Term(field, key)
    return q.And([q.Term(field, key[i : i + size]) for i in range(len(key) - size + 1)])
