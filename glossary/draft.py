"""Edit a few items of the glossary file's text, leaving every other byte as it was.

A round trip of the whole 650 KB file through ruamel.yaml takes seconds; a curator's
operation touches one or two terms. So :class:`Draft` finds each item's lines with
PyYAML's C composer (a fifth of a second), round-trips only the items an operation
touches (each one alone reproduces its lines byte for byte, comments included), and
splices their new text back in::

    draft = Draft(source)
    draft.term("san-ge-qu-fen-kai-lai")["status"] = "reviewed"
    draft.render()      # the file with that one line changed

Items are the entries of ``documents:`` and ``terms:``, and the ``redirects:`` mapping.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from glossary.errors import NotFound
from glossary.history import Change
from glossary.store import round_trip

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTIONS = ("documents", "terms")
# Where a field goes when an operation adds it: the order of the shipped file.
ORDER = {
    "terms": ("id", "term", "aliases", "pinyin", "status", "reason", "category", "senses",
              "related", "english"),
    "documents": ("id", "title", "publisher", "locality", "date", "url", "file"),
    "senses": ("definition", "scope", "parts", "sources"),
}  # fmt: skip
REDIRECTS_COMMENT = (
    "# Ids merged into other terms: their old addresses answer 301 to the new ones.\n"
)


@dataclass
class _Item:
    id: str
    start: int  # offsets in the source: the item's lines, from its "- " to the next item
    end: int


class Draft:
    """The glossary file's text with some of its items being edited."""

    def __init__(self, source: str):
        self.source = source
        root = yaml.compose(source, Loader=_Loader)
        self._nodes = {k.value: (k, v) for k, v in root.value} if root else {}
        self._items = {name: self._locate(name) for name in SECTIONS}
        self._loaded: dict[tuple[str, str], CommentedMap] = {}
        self._before: dict[tuple[str, str], tuple[Any, int | None]] = {}
        self._removed: set[tuple[str, str]] = set()
        self._added: dict[str, list[tuple[int | None, str, CommentedMap]]] = {}
        self._redirects: CommentedMap | None = None
        self._redirects_before: dict[str, str] | None = None

    # --- reading and touching items ------------------------------------------------------

    def ids(self, section: str) -> list[str]:
        """The ids of ``section`` in file order, as the draft now has them."""
        present = [i.id for i in self._items[section] if (section, i.id) not in self._removed]
        for position, item_id, _ in self._added.get(section, []):
            present.insert(len(present) if position is None else position, item_id)
        return present

    def has(self, section: str, item_id: str) -> bool:
        return item_id in self.ids(section)

    def item(self, section: str, item_id: str) -> CommentedMap:
        """The item, loaded for editing: whatever is changed in it is written back."""
        slot = (section, item_id)
        if slot in self._removed:
            raise NotFound(f"no {section[:-1]} has id '{item_id}'")
        added = next((m for _, i, m in self._added.get(section, []) if i == item_id), None)
        if isinstance(added, str):
            added = round_trip().load(added)[0]
        if added is not None:
            return added
        if slot not in self._loaded:
            found = self._find(section, item_id)
            if found is None:
                raise NotFound(f"no {section[:-1]} has id '{item_id}'")
            # The item's own list keeps the comments ruamel hangs on it, for the dump.
            listed = round_trip().load(self.source[found.start : found.end])
            self._loaded[slot] = listed
            self._before[slot] = (plain(listed[0]), self._items[section].index(found))
        return self._loaded[slot][0]

    def term(self, term_id: str) -> CommentedMap:
        return self.item("terms", term_id)

    def add(self, section: str, item: CommentedMap | str, position: int | None = None) -> None:
        """Add ``item`` at ``position`` of ``section`` (its end if None); an item given as
        text (the lines a removal took out) goes back as it was written."""
        item_id = round_trip().load(item)[0]["id"] if isinstance(item, str) else item["id"]
        self._added.setdefault(section, []).append((position, item_id, item))

    def text_of(self, section: str, item_id: str) -> str:
        """The item's lines as the source has them."""
        found = self._find(section, item_id)
        if found is None:
            raise NotFound(f"no {section[:-1]} has id '{item_id}'")
        return self.source[found.start : found.end]

    def remove(self, section: str, item_id: str) -> int:
        """Remove the item; its position, to put it back there."""
        self.item(section, item_id)
        self._removed.add((section, item_id))
        return self._before[(section, item_id)][1]

    @property
    def redirects(self) -> CommentedMap:
        if self._redirects is None:
            span = self._redirects_span()
            loaded = round_trip().load(self.source[span[0] : span[1]]) if span else None
            self._redirects = (loaded or CommentedMap()).get("redirects") or CommentedMap()
            self._redirects_before = dict(self._redirects)
        return self._redirects

    # --- the result ----------------------------------------------------------------------

    def changes(self) -> list[Change]:
        """What the draft changed, item by item (unchanged items are left out)."""
        found = []
        for (section, item_id), (before, position) in self._before.items():
            kind = section[:-1]
            if (section, item_id) in self._removed:
                text = self.text_of(section, item_id)
                found.append(Change(kind, item_id, before, None, position, text))
            elif (after := plain(self._loaded[(section, item_id)][0])) != before:
                found.append(Change(kind, item_id, before, after, position))
        for section, added in self._added.items():
            for position, item_id, item in added:
                item = round_trip().load(item)[0] if isinstance(item, str) else item
                found.append(Change(section[:-1], item_id, None, plain(item), position))
        if self._redirects is not None:
            for old in sorted(set(self._redirects) | set(self._redirects_before or {})):
                was, now = (self._redirects_before or {}).get(old), self._redirects.get(old)
                if was != now:
                    found.append(Change("redirect", old, was, now))
        return found

    def render(self) -> str:
        """The file's text with every change of the draft spliced in."""
        edits: list[tuple[int, int, str]] = []
        for section in SECTIONS:
            edits += self._section_edits(section)
        if self._redirects is not None and dict(self._redirects) != self._redirects_before:
            edits.append(self._redirects_edit())
        text = self.source
        for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + new + text[end:]
        return text

    def _section_edits(self, section: str) -> list[tuple[int, int, str]]:
        items = self._items[section]
        edits = []
        for (kind, item_id), listed in self._loaded.items():
            if kind == section:
                found = self._find(section, item_id)
                new = "" if (kind, item_id) in self._removed else _dump(listed)
                edits.append((found.start, found.end, new))
        for position, _, item in self._added.get(section, []):
            at = items[position].start if position is not None and position < len(items) else None
            edits.append(
                self._insertion(section, at, item if isinstance(item, str) else dump_item(item))
            )
        return edits

    def _insertion(self, section: str, at: int | None, text: str) -> tuple[int, int, str]:
        if at is not None:
            return at, at, text
        items = self._items[section]
        if items:
            return items[-1].end, items[-1].end, text
        _, value = self._nodes[section]  # an empty list: "terms: []" becomes a block
        return value.start_mark.index - 1, value.end_mark.index, "\n" + text.rstrip("\n")

    def _redirects_edit(self) -> tuple[int, int, str]:
        span = self._redirects_span()
        if not self._redirects and span:  # the last one undone: the section goes, as it came
            start = span[0]
            if self.source[:start].endswith(REDIRECTS_COMMENT):
                start -= len(REDIRECTS_COMMENT)
            return start, span[1], ""
        text = _dump(CommentedMap(redirects=self._redirects))
        if span is None:
            end = len(self.source)
            lead = "" if self.source.endswith("\n") else "\n"
            return end, end, lead + REDIRECTS_COMMENT + text
        start, end = span
        return start, end, text if self.source[end - 1 : end] == "\n" else text.rstrip("\n")

    def _redirects_span(self) -> tuple[int, int] | None:
        node = self._nodes.get("redirects")
        if node is None:
            return None
        return _line_start(self.source, node[0].start_mark.index), node[1].end_mark.index

    # --- finding items -------------------------------------------------------------------

    def _locate(self, section: str) -> list[_Item]:
        node = self._nodes.get(section)
        if node is None or not isinstance(node[1], yaml.SequenceNode):
            return []
        values = node[1].value
        starts = [_line_start(self.source, v.start_mark.index) for v in values]
        ends = [*starts[1:], _end_of(self.source, values[-1])] if values else []
        return [
            _Item(_id_of(v), start, end) for v, start, end in zip(values, starts, ends, strict=True)
        ]

    def _find(self, section: str, item_id: str) -> _Item | None:
        return next((i for i in self._items[section] if i.id == item_id), None)


def plain(value: Any) -> Any:
    """ruamel's commented containers and scalars as plain JSON-ready Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def styled(value: Any, section: str | None = None) -> Any:
    """A plain value in the shipped file's style: lists of strings and small mappings of
    strings (an English rendering) on one line, everything else in blocks."""
    if isinstance(value, dict):
        mapping = CommentedMap((k, styled(v, k)) for k, v in value.items())
        if section in ("english", "parts"):  # a rendering, a group of parts
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq(styled(v, section) for v in value)
        if all(isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def update(target: CommentedMap, new: dict, kind: str = "terms") -> None:
    """Make ``target`` equal ``new`` in place, keeping the comments and order of what
    stays; added fields go where the shipped file puts them."""
    for name in [k for k in target if k not in new]:
        del target[name]
    order = ORDER.get(kind, ())
    for name, value in new.items():
        old = target.get(name)
        if name in target and plain(old) == value:
            continue
        if isinstance(old, dict) and isinstance(value, dict):
            update(old, value, name)
        elif isinstance(old, list) and isinstance(value, list):
            _update_list(old, value, name)
        elif name in target:
            target[name] = styled(value, name)
        else:
            target.insert(_slot(target, name, order), name, styled(value, name))


def _update_list(target: CommentedSeq, new: list, name: str) -> None:
    """Items that stay keep their place and style; only the rest is changed."""
    del target[len(new) :]
    for n, value in enumerate(new):
        if n >= len(target):
            target.append(styled(value, name))
        elif isinstance(target[n], dict) and isinstance(value, dict):
            update(target[n], value, name)
        elif plain(target[n]) != value:
            target[n] = styled(value, name)


def set_field(target: CommentedMap, name: str, value: Any, kind: str = "terms") -> None:
    """Set one field, placed as :func:`update` places new fields. None removes it; an
    empty list is written only where the field was already there (``related: []``)."""
    value = plain(value)
    if value is None or (value == [] and name not in target):
        target.pop(name, None)
    elif name not in target:
        target.insert(_slot(target, name, ORDER.get(kind, ())), name, styled(value, name))
    elif plain(target[name]) != value:
        target[name] = styled(value, name)


def _slot(target: CommentedMap, name: str, order: tuple[str, ...]) -> int:
    if name not in order:
        return len(target)
    rank = order.index(name)
    return sum(1 for k in target if k in order and order.index(k) < rank)


def dump_item(item: CommentedMap) -> str:
    """One list item as the file writes it: ``  - id: …`` and its indented lines."""
    seq = CommentedSeq([item])
    return _dump(seq)


def _dump(value: Any) -> str:
    buffer = io.StringIO()
    round_trip().dump(value, buffer)
    return buffer.getvalue()


def _id_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                return value.value
    return ""


def _line_start(source: str, index: int) -> int:
    return source.rfind("\n", 0, index) + 1


def _end_of(source: str, node: yaml.Node) -> int:
    """Where the last item's lines end: after its last line's newline."""
    end = node.end_mark.index
    if end > 0 and source[end - 1] == "\n":
        return end
    newline = source.find("\n", end)
    return len(source) if newline < 0 else newline + 1
