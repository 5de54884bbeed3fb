"""The Whoosh index of a glossary: schema, atomic build, hold and prune.

One Whoosh document per term, with what a search engine ranks: the term's ``id``
(stored) and its ``definition`` (every sense's, segmented by jieba through
``glossary.segment``; no positions), scored by BM25F.

Headwords, aliases, readings, initials, other readings of polyphones, confusable
sounds, pieces of each (prefixes, substrings, pinyin from the middle) and slips of
typing are lookups ``glossary.search`` makes in maps held in memory, built from the
same ``document`` dicts.

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
import errno
import fcntl
import functools
import hashlib
import io
import itertools
import os
import pickle
import shutil
import struct
import tempfile
import traceback
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from filelock import FileLock
from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3PerDocReader,
    W3TermsReader,
    _lenfield,
)
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import _DEF_INDEX_NAME as _INDEX_NAME
from whoosh.index import TOC
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from glossary import pinyin, segment, text
from glossary.errors import GlossaryError
from glossary.model import Glossary, Term

HOLD_FILE = "SERVING"  # shared-locked by every process serving the index
# Change it with the schema, the documents or the codec: an index built by other code
# from the same glossary must not be reused.
FORMAT = 4  # 4: only what is searched in Whoosh, the definitions


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
    return Schema(
        id=ID(stored=True, unique=True),
        definition=TEXT(analyzer=JiebaTokenizer() | LowercaseFilter(), phrase=False),
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
    indexed = schema().names()
    for fields in documents:
        writer.add_document(**{name: fields[name] for name in indexed})
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
    """Whoosh's codec without zlib: most words are in a few definitions, and posting
    lists that short do not pay for compression's time."""
    return _Codec(compression=0)


class _Codec(W3Codec):
    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        return _PerDocReader(storage, segment)

    def terms_reader(self, storage, segment) -> W3TermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        postings = segment.open_file(storage, self.POSTS_EXT)
        return _TermsReader(self, storage.open_file(name), storage.file_length(name), postings)


_BLOCK_LENGTH = struct.Struct("!i")  # as Whoosh's StructFile.write_int


class _TermsReader(W3TermsReader):
    """Whoosh's terms reader, remembering what it looked up: one query asks for a word's
    statistics several times (to order an intersection, to weigh it, to read it), each
    a hashed lookup of a few file reads, and the same words come back query after query.
    A reader belongs to one searcher, and a searcher to one thread."""

    def __init__(self, *args):
        super().__init__(*args)
        self.term_info = functools.lru_cache(maxsize=4096)(self.term_info)

    def frequency(self, fieldname, tbytes):
        return self._known(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname, tbytes):
        return self._known(fieldname, tbytes).doc_frequency()

    def postings(self, fieldname, tbytes) -> tuple[list[int], list[float]]:
        """Every posting's document number and weight, read in one go.

        Whoosh's matcher reads a block's header with ``pickle.load`` on the file, a
        read call per byte, and then walks the block a posting at a time; a search
        over whole posting lists (``glossary.postings``) needs neither.
        """
        info = self.term_info(fieldname, tbytes)
        if info.is_inlined():
            ids, weights, _ = info.inlined_postings()
            return list(ids), list(weights)
        offset, length = info.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
            (length,) = length
        raw = self._postfile.get(offset, length)
        stream = io.BytesIO(raw)
        stream.seek(len(WHOOSH3_HEADER_MAGIC))
        ids: list[int] = []
        weights: list[float] = []
        last = False
        while not last:
            # A block: its signed length (negative for the last), a pickled header,
            # then its pickled (id deltas, weights, values).
            (size,) = _BLOCK_LENGTH.unpack(stream.read(_BLOCK_LENGTH.size))
            last, end = size < 0, stream.tell() + abs(size)
            compression = pickle.load(stream)[3]
            data = raw[stream.tell() : end]
            deltas, block_weights, _ = pickle.loads(zlib.decompress(data) if compression else data)
            ids += itertools.accumulate(deltas)
            if block_weights is None or isinstance(block_weights, float):
                # Every weight the same: stored once (None for 1.0).
                weights += [1.0 if block_weights is None else block_weights] * len(deltas)
            else:
                weights += block_weights
            stream.seek(end)
        return ids, weights

    def _known(self, fieldname, tbytes):
        try:
            return self.term_info(fieldname, tbytes)
        except TermNotFound:  # the segment reader counts a missing term as 0 on KeyError
            raise KeyError((fieldname, tbytes)) from None


class _PerDocReader(W3PerDocReader):
    """Whoosh's per-document reader, with each field's lengths read once, not per doc.

    While writing, the lengths of every posting's field are asked for, and an unscored
    field's absence was looked up anew each time. While searching, BM25 asks for the
    length of each matching document's definition: one file read each, where the whole
    column is a byte per document (100 KB a searcher at 100,000 terms).
    """

    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths: dict[str, bytes] = {}

    def _cached_reader(self, fieldname, column):
        if fieldname not in self._readers:
            self._readers[fieldname] = super()._cached_reader(fieldname, column)
        return self._readers[fieldname]

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.length_bytes(fieldname)
        if lengths is None:
            return default
        # As Whoosh answers: nothing for a document without the field.
        byte = lengths[docnum] if docnum < len(lengths) else 0
        return byte_to_length(byte) if byte else None

    def length_bytes(self, fieldname) -> bytes | None:
        """The field's length in every document, a byte each (``byte_to_length``)."""
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                return None
            # One read of the column ("B": a byte a document), not one per document.
            lengths = reader._dbfile.get(reader._basepos, reader._count)
            self._lengths[fieldname] = lengths
        return lengths


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
        self._fd: int | None = None
        try:
            self._fd = os.open(path / HOLD_FILE, os.O_RDONLY | os.O_CREAT, 0o644)
        except OSError as error:
            if error.errno != errno.EROFS:
                raise
            return  # a read-only folder: nothing can remove the index it would be held against
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

    A built index is held without the build lock, so that a replica serves one from a
    read-only folder; held first and checked second, so that a :func:`prune` that
    removed it just before is seen. Else it is built under the build lock, so that no
    prune runs between the build and the hold.
    """
    path = index_dir / name
    hold = _held_if_built(path)
    if hold is not None:
        return open_index(path), hold
    must_be_buildable(path)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(index_dir):
        path = build(glossary, index_dir, name, documents)
        hold = Hold(path)
        return open_index(path), hold


class IndexNotBuilt(GlossaryError):
    """A glossary version's index is missing from a folder this process cannot write."""

    status = 503
    code = "index_not_built"


def must_be_buildable(path: Path) -> None:
    """Raise :class:`IndexNotBuilt` if the index at ``path`` is missing and its folder
    cannot be written (a replica's read-only mount): before any work is spent on it."""
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK) and not built(path):
        raise IndexNotBuilt(
            f"{path}: not built, and {folder} is read-only "
            "(build it where it is written: glossary index --index-dir)"
        )


def _held_if_built(path: Path) -> Hold | None:
    if not built(path):
        return None
    try:
        hold = Hold(path)
    except FileNotFoundError:  # pruned meanwhile
        return None
    if built(path):
        return hold
    hold.release()
    return None


def prune(index_dir: Path, keep: Iterable[str]) -> list[str]:
    """Remove the indexes in ``index_dir`` that no process holds, except ``keep``.

    Returns the names removed. Builds under way (dot names) and directories that are
    not indexes are never touched.
    """
    kept = set(keep)
    removed: list[str] = []
    if not os.access(index_dir, os.W_OK):  # a replica's read-only folder: nothing to remove
        return removed
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
    """What a term is found by: the index's fields (``schema``) and the keys of the
    maps ``glossary.search`` holds in memory, all space-separated."""
    forms = [text.key(f) for f in term.forms]
    readings = [pinyin.search_keys(f, term.pinyin if f == term.term else None) for f in term.forms]
    toneless = {k for r in readings for kind in ("toneless", "numbers", "written") for k in r[kind]}
    toneless = {k.replace(" ", "") for k in toneless}
    joined = {k for r in readings for k in r["toneless"]}
    return {
        "id": term.id,
        "headword": forms[0],
        "alias": " ".join(forms[1:]),
        "definition": text.fold_chars(" ".join(s.definition for s in term.senses if s.definition)),
        "pinyin": " ".join(sorted(toneless)),
        "initials": " ".join(sorted({k for r in readings for k in r["initials"]})),
        "alternative": " ".join(sorted({k for r in readings for k in r["alternatives"]})),
        "fuzzy": " ".join(sorted({pinyin.fuzzy_key(k) for k in joined})),
    }
