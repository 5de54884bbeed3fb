"""Reading and writing the glossary file (``data/terms.yaml``).

Two readers for two jobs:

* :func:`load` serves: PyYAML's C loader, then validation. Any problem raises one
  :class:`~glossary.errors.GlossaryFileError` naming file, line and field.
* :func:`edit` rewrites for curators: ruamel.yaml round-trip, so comments, key order
  and untouched lines survive byte for byte. The edited text is validated before it
  is written; the write is atomic (temp file, fsync, rename) and the whole
  read-modify-write holds a file lock, so two writers never lose each other's work::

      with store.edit("data/terms.yaml") as doc:
          doc["terms"][0]["aliases"].append("531")
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from filelock import FileLock
from marshmallow import ValidationError
from ruamel.yaml import YAML

from glossary import rules
from glossary.errors import GlossaryFileError, Problem
from glossary.model import Glossary
from glossary.schema import GlossarySchema

_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_MESSAGES = {
    "Missing data for required field.": "is required",
    "Unknown field.": "unknown field (check its spelling)",
    "Not a valid list.": "must be a list",
    "Invalid input type.": "must be a mapping of fields",
    "Field may not be null.": "must not be empty",
}


def load(path: str | os.PathLike) -> Glossary:
    """Read and validate a glossary file for serving."""
    path = Path(path)
    source = read_text(path)
    return parse(source, str(path))


def parse(source: str, filename: str = "<glossary>") -> Glossary:
    """Validate glossary YAML text; errors name ``filename``, line and field."""
    try:
        data = yaml.load(source, Loader=_FastLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise GlossaryFileError(filename, [Problem("", _yaml_message(error), line)]) from None
    if not isinstance(data, dict):
        raise GlossaryFileError(
            filename, [Problem("", "must be a mapping with documents: and terms:", 1)]
        )
    try:
        glossary = GlossarySchema().load(data)
    except ValidationError as error:
        found = [Problem(path, _polish(msg)) for path, msg in _flatten(error.messages)]
    else:
        found = rules.problems(glossary)
    if found:
        raise GlossaryFileError(filename, locate(found, source))
    return glossary


@contextlib.contextmanager
def edit(path: str | os.PathLike) -> Iterator[Any]:
    """Round-trip edit a glossary file under a lock; write only if valid and changed."""
    path = Path(path)
    with lock(path):
        source = read_text(path)
        document = round_trip().load(source)
        yield document
        edited = dump_round_trip(document)
        if edited != source:
            parse(edited, str(path))
            remove_leftovers(path)
            atomic_write(path, edited)


def load_round_trip(path: str | os.PathLike) -> Any:
    """The file as a round-trip YAML document, to inspect or edit in memory without saving."""
    return round_trip().load(read_text(Path(path)))


@contextlib.contextmanager
def lock(path: Path) -> Iterator[None]:
    """The lock every writer of ``path`` holds: a hidden ``.NAME.lock`` file beside it,
    removed when the writer is done, so the user's folder keeps only their files.

    It is removed while still held: a writer already waiting on it then finds its
    file unlinked and starts over on a new one (filelock checks), so two writers never
    hold the lock at once. A killed writer's lock file goes with the next write.
    """
    lock_file = path.with_name(f".{path.name}.lock")
    with FileLock(str(lock_file)):
        try:
            yield
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(lock_file)


def remove_leftovers(path: Path) -> None:
    """Temporary files of writers killed before their rename (only writers holding
    the lock make them, and this one holds it now)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def dump_round_trip(document: Any) -> str:
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    return buffer.getvalue()


def atomic_write(path: Path, content: str | bytes) -> None:
    """Replace ``path`` with ``content`` so that readers see the old or the new file, never half."""
    if isinstance(content, str):
        content = content.encode("utf-8")  # as written in text mode: newlines untouched
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename itself must reach the disk, or a power cut can bring back the old name.
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def round_trip() -> YAML:
    # Settings that reproduce the shipped file's layout exactly, so untouched lines stay put.
    round_trip = YAML(typ="rt")
    round_trip.preserve_quotes = True
    round_trip.indent(mapping=2, sequence=4, offset=2)
    round_trip.width = 4096
    return round_trip


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise GlossaryFileError(
            str(path), [Problem("", f"cannot read: {error.strerror}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = Problem("", "is not UTF-8 text (save the file as UTF-8)", line)
        raise GlossaryFileError(str(path), [problem]) from None


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    return "invalid YAML: " + ", ".join(p for p in parts if p)


def _flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """marshmallow's nested error dict -> (``terms[3].status``, message) pairs."""
    if isinstance(messages, dict):
        for name, inner in messages.items():
            if name == "_schema":
                yield from _flatten(inner, prefix)
            elif isinstance(name, int):
                yield from _flatten(inner, f"{prefix}[{name}]")
            else:
                yield from _flatten(inner, f"{prefix}.{name}" if prefix else name)
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message, prefix)
    else:
        yield prefix, str(messages)


def _polish(message: str) -> str:
    return _MESSAGES.get(message, message[:1].lower() + message[1:].rstrip("."))


def locate(found: list[Problem], source: str) -> list[Problem]:
    """Give each problem the line of its field in ``source``."""
    root = yaml.compose(source, Loader=_FastLoader)
    return [Problem(p.path, p.message, _line_of(root, p.path)) for p in found]


def _line_of(node: yaml.Node | None, path: str) -> int | None:
    """The 1-based line of the field at ``path``, or of its nearest existing parent."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for name, index in _PATH_PART.findall(path):
        if index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        elif name and isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == name), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        else:
            break
    return line
