"""Report files -> text: plain text, web pages, Word .docx and PDF.

    >>> report = read_report(Path("reports/002_63741cc1e03311a7.txt"))  # doctest: +SKIP
    >>> report.format, report.text.splitlines()[0]                      # doctest: +SKIP
    ('txt', '设为首页收藏本站')

Anything that stops a file from becoming text (missing, empty, binary, too big, a
scanned PDF, a page with no body text) raises :class:`UnreadableReport`, which names
the file and the reason, so a batch can report it and go on with the next file.
"""

from __future__ import annotations

import glob
import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from glossary.harvest.decode import UnreadableReport, declared_charset, decode

__all__ = ["Report", "UnreadableReport", "iter_report_paths", "read_report"]

FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_BYTES_VARIABLE = "GLOSSARY_MAX_REPORT_BYTES"


@dataclass
class Report:
    """The text of one report file; ``format`` is "txt", "html", "docx" or "pdf"."""

    path: Path
    text: str
    format: str


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
        text = _READERS[fmt](raw, path)
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
    return Report(path=path, text=text, format=fmt)


def iter_report_paths(paths: Iterable[str]) -> Iterator[Path]:
    """Expand directories (recursively, sorted) and glob patterns into report files.

    A directory yields only files with a report extension, skipping hidden files,
    ``*.meta.yaml`` sidecars and Word lock files (``~$x.docx``). A path given by name
    is yielded even if it does not exist, so that :func:`read_report` reports it as
    "no such file" and the batch goes on. Each file is yielded once.
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
        if not hidden and path.is_file() and _is_report_file(path):
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
        size = path.stat().st_size
        if path.is_dir():
            raise UnreadableReport(path, "is a directory, not a report file")
        if size > max_bytes:
            raise UnreadableReport(
                path,
                f"file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit"
                f" (set {MAX_BYTES_VARIABLE} to raise it)",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableReport(path, "no such file") from None
    except OSError as error:
        raise UnreadableReport(path, f"cannot read the file ({error.strerror})") from None


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


# --- HTML -------------------------------------------------------------------------------

_NOT_TEXT = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object"}
_NOT_TEXT |= {"button", "select", "textarea", "title", "dialog", "canvas", "video", "audio"}
_CHROME_TAGS = {"nav", "aside", "form", "menu"}
_PAGE_PARTS = {"header", "footer"}  # chrome around a page, but an article's own header
_BLOCKS = {"address", "article", "blockquote", "dd", "div", "dl", "dt", "fieldset", "p"}
_BLOCKS |= {"figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main"}
_BLOCKS |= {"ol", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "center"}
_BLOCKS |= {"header", "footer", "caption", "body", "html", "nav", "aside", "form"}
_CELLS = {"td", "th"}  # cells of a row stay on its line
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
_VOID |= {"track", "wbr", "param", "keygen"}
_CHROME_WORDS = {
    "nav", "navbar", "navigation", "menu", "menubar", "footer", "foot", "header", "topbar",
    "sidebar", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "sharing", "social",
    "comment", "comments", "reply", "login", "signin", "register", "copyright", "ad", "ads",
    "advert", "advertisement", "adsbygoogle", "banner", "toolbar", "pagination", "pager",
    "related", "recommend", "qrcode", "cookie", "popup", "modal", "skip", "print",
}  # fmt: skip
_CONTENT_WORDS = {"article", "content", "main", "zoom", "trs_editor", "detail", "body"}
_CAMEL = re.compile(r"[a-z]+|[A-Z][a-z]*|\d+")
_SOFT, _HARD = "\x1e", "\n"  # a block edge (newline unless at a line start) and <br>
_SPACES = re.compile(r"[ \t\f\v\xa0\u3000]+")
_WHITESPACE = re.compile(r"\s+")
MIN_ARTICLE_CHARS = 50  # a shorter <article> is a teaser, not the page's content
MAX_DEPTH = 200  # deeper (unclosed) tags are flattened, so walking the tree cannot overflow


def _read_html(raw: bytes, path: Path) -> str:
    builder = _TreeBuilder()
    builder.feed(decode(raw, declared_charset(raw), path=path))
    builder.close()
    text = _Page(builder.root).text()
    if not text:
        raise UnreadableReport(path, "no text in the page")
    return text


class _Node:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: _Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node | str] = []

    def words(self) -> set[str]:
        """Words of the class and id: "main-nav_bar" and "mainNavBar" give main, nav, bar."""
        value = f"{self.attrs.get('class') or ''} {self.attrs.get('id') or ''}"
        if value == " ":
            return set()
        words = {word.lower() for word in re.split(r"[\s\-_]+", value) if word}
        return words | {word.lower() for word in _CAMEL.findall(value)}

    def walk(self) -> Iterator[_Node]:
        """Descendant elements in document order (a stack, not nested generators)."""
        stack = [child for child in reversed(self.children) if isinstance(child, _Node)]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(child for child in reversed(node.children) if isinstance(child, _Node))


class _TreeBuilder(HTMLParser):
    """Just enough of a DOM: end tags close what they match, stray end tags are ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = _Node("#document", {}, None)
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS and self.current.tag == "p":  # a block ends an open paragraph
            self.handle_endtag("p")
        node = _Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in _VOID and self.depth < MAX_DEPTH:
            self.current = node
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(_Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        node: _Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            while self.current is not node.parent:
                self.current = self.current.parent or self.root
                self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


class _Page:
    """The visible text of a page: chrome dropped, one line per block element.

    Chrome is dropped by tag (nav, aside, form, page header/footer) or by a class or id
    word (nav, footer, login, share, ad ...), unless the element holds half the page's
    text (some sites wrap the whole page in a ``<form>``). When the page has an
    ``<article>``/``<main>``, or else a content-like element (``#zoom``,
    ``.TRS_Editor``, ``.content``), with real text, that is the page's text, headed by
    the page's ``<h1>`` if the title sits outside it.

    Element sizes (characters of text) are measured once, bottom-up, so that choosing
    among many nested candidates costs no more than reading the page.
    """

    def __init__(self, root: _Node):
        self.root = root
        self.nodes = list(root.walk())
        self.sizes = _measure(root, self.nodes)
        self.page_chars = self.size(root)

    def size(self, node: _Node) -> int:
        return self.sizes[id(node)]

    def text(self) -> str:
        region = self._content_region()
        if region is None:
            return self._render(self.root)
        text = self._render(region, in_article=True)
        heading = self._first_heading()
        if heading is not None and not _inside(heading, region):
            title = self._render(heading)
            if title and not text.startswith(title):
                text = f"{title}\n{text}"
        return text

    def _content_region(self) -> _Node | None:
        semantic = [
            n for n in self.nodes if n.tag in ("article", "main") or n.attrs.get("role") == "main"
        ]
        hinted = [
            n
            for n in self.nodes
            if n.tag in ("div", "section", "td") and n.words() & _CONTENT_WORDS
        ]
        for candidates in (semantic, hinted):
            sized = [n for n in candidates if self.size(n) >= MIN_ARTICLE_CHARS]
            if sized:
                return self._narrowest(max(sized, key=self.size), candidates)
        return None

    def _narrowest(self, region: _Node, candidates: list[_Node]) -> _Node:
        """A content wrapper's inner content element, when that holds nearly all its text."""
        for inner in candidates:  # document order: outer before inner
            big = inner is not region and self.size(inner) >= 0.8 * self.size(region)
            if big and _inside(inner, region):
                region = inner
        return region

    def _first_heading(self) -> _Node | None:
        for node in self.nodes:
            if node.tag == "h1" and not any(self._dropped(n) for n in _lineage(node)):
                return node
        return None

    def _dropped(self, node: _Node, in_article: bool = False) -> bool:
        if _invisible(node):
            return True
        words = node.words()
        if in_article:
            words -= {"header", "footer", "foot"}
        is_chrome = node.tag in _CHROME_TAGS or bool(words & _CHROME_WORDS)
        is_chrome |= node.tag in _PAGE_PARTS and not in_article
        # A "chrome" element holding half the page is the page (a site-wide <form>).
        return is_chrome and self.size(node) * 2 < self.page_chars

    def _render(self, node: _Node, in_article: bool = False) -> str:
        parts: list[str] = []
        self._collect(node, parts, in_article, pre=False)
        return _tidy("".join(parts))

    def _collect(self, node: _Node, parts: list[str], in_article: bool, pre: bool) -> None:
        for child in node.children:
            if isinstance(child, str):
                parts.append(child.replace("\n", _HARD) if pre else _WHITESPACE.sub(" ", child))
            elif child.tag == "br":
                parts.append(_HARD)
            elif not self._dropped(child, in_article):
                edge = _SOFT if child.tag in _BLOCKS else " " if child.tag in _CELLS else ""
                parts.append(edge)
                inside = in_article or child.tag in ("article", "main")
                self._collect(child, parts, inside, pre or child.tag == "pre")
                parts.append(edge)


def _invisible(node: _Node) -> bool:
    return (
        node.tag in _NOT_TEXT or "hidden" in node.attrs or node.attrs.get("aria-hidden") == "true"
    )


def _measure(root: _Node, nodes: list[_Node]) -> dict[int, int]:
    """Non-blank characters of visible text in every element, children before parents."""
    sizes: dict[int, int] = {}
    for node in [*reversed(nodes), root]:  # reversed document order puts children first
        size = 0
        for child in node.children:
            if isinstance(child, str):
                size += len("".join(child.split()))
            elif not _invisible(child):
                size += sizes[id(child)]
        sizes[id(node)] = size
    return sizes


def _inside(node: _Node, ancestor: _Node) -> bool:
    return any(parent is ancestor for parent in _lineage(node))


def _lineage(node: _Node) -> Iterator[_Node]:
    current: _Node | None = node
    while current is not None:
        yield current
        current = current.parent


def _tidy(text: str) -> str:
    """Lines from soft breaks (only if the line has text) and hard ones; one blank at most."""
    lines: list[str] = []
    line = ""
    for piece in re.split(f"([{_SOFT}{_HARD}])", text):
        if piece == _HARD or (piece == _SOFT and line.strip()):
            lines.append(line)
            line = ""
        elif piece != _SOFT:
            line += piece
    lines.append(line)
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


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


# --- PDF --------------------------------------------------------------------------------


def _read_pdf(raw: bytes, path: Path) -> str:
    import pypdf  # here, not at the top: only PDFs need it, and it is slow to import

    if b"%PDF-" not in raw[:1024]:
        raise UnreadableReport(path, "not a PDF (no %PDF- header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableReport(path, "PDF is encrypted (password needed)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableReport:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files
        raise UnreadableReport(
            path, f"not a readable PDF ({type(error).__name__}: {error})"
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableReport(path, "PDF has no text layer (scanned?)")
    return text


_READERS = {"txt": _read_txt, "html": _read_html, "docx": _read_docx, "pdf": _read_pdf}
