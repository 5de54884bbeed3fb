"""Report files -> text: plain text, web pages, Word .docx and PDF.

    >>> report = read_report(Path("reports/002_63741cc1e03311a7.txt"))  # doctest: +SKIP
    >>> report.format, report.text.splitlines()[0]                      # doctest: +SKIP
    ('txt', '设为首页收藏本站')

Anything that stops a file from becoming text (missing, a broken link, not a regular
file, empty, binary, too big, a scanned PDF, a page with no body text) raises
:class:`UnreadableReport`, which names the file and the reason, so a batch can report
it and go on with the next file. Only regular files are opened: a FIFO given as a
report would block the harvest forever, and a device would never end.
"""

from __future__ import annotations

import glob
import io
import os
import re
import stat
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from glossary.harvest import page, pdf
from glossary.harvest.decode import UnreadableReport, decode

__all__ = ["Report", "UnreadableReport", "iter_report_paths", "read_report"]

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_VARIABLE = "GLOSSARY_MAX_REPORT_BYTES"


@dataclass
class Report:
    """The text of one report file; ``format`` is "txt", "html", "docx" or "pdf"."""

    path: Path
    text: str
    format: str
    warnings: list[str] = field(default_factory=list)  # damage the reader worked around


def max_report_bytes() -> int:
    """``$GLOSSARY_MAX_REPORT_BYTES``, else 64 MiB: bigger files are refused unread."""
    value = os.environ.get(MAX_BYTES_VARIABLE, "")
    return int(value) if value.strip().isdigit() else DEFAULT_MAX_BYTES


def read_report(path: str | Path, *, max_bytes: int | None = None) -> Report:
    """Read one report file as text, whatever its format and encoding."""
    path = Path(path)
    raw = _read_bytes(path, max_report_bytes() if max_bytes is None else max_bytes)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix) or _sniff(path, raw)
    try:
        text, notes = pdf.read_pdf(raw, path) if fmt == "pdf" else (_READERS[fmt](raw, path), [])
    except UnreadableReport as error:
        if suffix in FORMATS or fmt != "txt":
            raise
        kind = f"a {suffix} file" if suffix else "a file without extension"
        reason = f"unsupported format: {kind} that is not text ({error.reason}); {_supported()}"
        raise UnreadableReport(path, reason) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        where = "the page" if fmt == "html" else "the file"
        raise UnreadableReport(path, f"no text in {where}")
    return Report(path=path, text=text, format=fmt, warnings=notes)


def iter_report_paths(paths: Iterable[str]) -> Iterator[Path]:
    """Expand directories (recursively, sorted) and glob patterns into report files.

    A directory yields only entries with a report extension, skipping hidden files,
    ``*.meta.yaml`` sidecars and Word lock files (``~$x.docx``); a broken link or a FIFO
    so named is yielded too, for :func:`read_report` to refuse with its reason. A path
    given by name is yielded even if it does not exist, so that :func:`read_report`
    reports it as "no such file" and the batch goes on. Each file is yielded once.
    """
    seen: set[Path] = set()
    for given in paths:
        for path in _expand(given):
            if path not in seen:
                seen.add(path)
                yield path


def _expand(given: str) -> Iterator[Path]:
    if glob.has_magic(given):
        matches = sorted(glob.glob(given, recursive=True))
        if not matches:
            yield Path(given)
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from _walk(path)
            elif _is_report_file(path):
                yield path
    elif Path(given).is_dir():
        yield from _walk(Path(given))
    else:
        yield Path(given)


def _walk(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        # Not is_file(): a FIFO or a broken link named as a report is reported, not hidden.
        if not hidden and _is_report_file(path) and not path.is_dir():
            yield path


def _is_report_file(path: Path) -> bool:
    name = path.name
    return (
        path.suffix.lower() in FORMATS
        and not name.startswith((".", "~$"))
        and not name.endswith(".meta.yaml")
    )


def _supported() -> str:
    return "reports must be " + ", ".join(sorted(set(FORMATS)))


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        _refuse_unless_regular(path, os.stat(path))  # by name first: opening a FIFO blocks
        # O_NONBLOCK: should the name become a FIFO after the stat, opening still returns.
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
            info = os.fstat(file.fileno())
            _refuse_unless_regular(path, info)
            _refuse_size(path, info.st_size, max_bytes)
            raw = file.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableReport(path, _missing(path)) from None
    except OSError as error:
        raise UnreadableReport(path, f"cannot read the file ({error.strerror})") from None
    _refuse_size(path, len(raw), max_bytes)  # it grew while being read
    return raw


def _refuse_unless_regular(path: Path, info: os.stat_result) -> None:
    """Only a regular file has an end: a FIFO, socket or device would be read forever."""
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise UnreadableReport(path, f"is {kind}, not a report file")


def _refuse_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UnreadableReport(
            path,
            f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit"
            f" (set {MAX_BYTES_VARIABLE} to raise it)",
        )


def _missing(path: Path) -> str:
    if path.is_symlink():  # the link exists, what it names does not
        return f"broken symbolic link (to {os.readlink(path)}, which does not exist)"
    return "no such file"


def _sniff(path: Path, raw: bytes) -> str:
    """The format of a file whose extension says nothing, from its first bytes."""
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _zip_has(raw, "word/document.xml"):
            return "docx"
        raise UnreadableReport(
            path, f"unsupported format: a zip archive, not a .docx; {_supported()}"
        )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableReport(
            path, "unsupported format: an old binary Office file (.doc/.xls); save it as .docx"
        )
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "html"
    return "txt"


def _zip_has(raw: bytes, name: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return name in archive.namelist()
    except zipfile.BadZipFile:
        return False


# --- plain text -------------------------------------------------------------------------


def _read_txt(raw: bytes, path: Path) -> str:
    return decode(raw, path=path)


# --- Word .docx -------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Word stores a text box twice (drawing and VML fallback); read the first only.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_DOCX_MARKS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n"}
_DOCX_MARKS |= {f"{_W}noBreakHyphen": "-", f"{_W}softHyphen": ""}


def _read_docx(raw: bytes, path: Path) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            body = _docx_part(archive, "word/document.xml", path)
            if body is None:
                raise UnreadableReport(path, "not a Word document (no word/document.xml)")
            notes = _docx_part(archive, "word/footnotes.xml", path)
    except zipfile.BadZipFile:
        raise UnreadableReport(path, "not a valid .docx (damaged zip archive)") from None
    lines = list(_paragraphs(body))
    if notes is not None:
        note_lines = [
            line
            for note in notes.iter(f"{_W}footnote")
            if note.get(f"{_W}type") not in ("separator", "continuationSeparator")
            for line in _paragraphs(note)
        ]
        if any(line.strip() for line in note_lines):
            lines += ["注释", *note_lines]
    # Keep tabs and indents: Word text is laid out on purpose; only blank runs go.
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _docx_part(archive: zipfile.ZipFile, name: str, path: Path) -> ET.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > max_report_bytes():
        raise UnreadableReport(path, f"{name} unpacks to {info.file_size / 2**20:.0f} MB")
    try:
        return ET.fromstring(archive.read(info))
    except (ET.ParseError, zipfile.BadZipFile, ValueError) as error:
        raise UnreadableReport(path, f"not a valid .docx ({name}: {error})") from None


def _paragraphs(element: ET.Element) -> Iterator[str]:
    """One line per ``w:p``, in document order (table cells and text boxes included)."""
    for child in element:
        if child.tag == f"{_W}p":
            yield from _paragraph(child)
        elif child.tag != _FALLBACK:
            yield from _paragraphs(child)


def _paragraph(paragraph: ET.Element) -> Iterator[str]:
    """The paragraph's own line, then those of paragraphs nested in it (text boxes)."""
    line: list[str] = []
    nested: list[str] = []

    def walk(node: ET.Element) -> None:
        for child in node:
            if child.tag == f"{_W}p":
                nested.extend(_paragraph(child))
            elif child.tag == f"{_W}t":
                line.append(child.text or "")
            elif child.tag in _DOCX_MARKS:
                line.append(_DOCX_MARKS[child.tag])
            elif child.tag != _FALLBACK:
                walk(child)

    walk(paragraph)
    yield "".join(line)
    yield from nested


_READERS = {"txt": _read_txt, "html": page.read_html, "docx": _read_docx}
