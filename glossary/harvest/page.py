"""Web pages -> text: the article a report page carries, without the site around it.

Government and forum pages wrap a report in navigation, login boxes, share bars,
comments and footers. The page is parsed into a small tree (stdlib ``html.parser``);
scripts and chrome (by tag, class or id) are dropped; the main content element is
preferred when there is one; block elements become line breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from glossary.harvest.decode import UnreadableReport, declared_charset, decode

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


def read_html(raw: bytes, path: Path) -> str:
    """The readable text of a web page: the article, without scripts and site chrome."""
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
