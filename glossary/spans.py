"""The spans an annotator finds in a text, kept as columns, and written as JSON.

A long text holds tens of thousands of spans, and one line of Python per span costs
as much as the automaton spends finding several: :class:`Found` keeps them as numpy
columns with each distinct matched text once, :class:`PrintedForms` tells which text
each span cuts out mostly by comparing code points in numpy, and :func:`json_objects`
writes them without a Python step per span::

    >>> import numpy as np
    >>> columns = {"start": np.array([0, 17]), "end": np.array([6, 1022])}
    >>> json_objects(columns, [b'"id":"a"}', b'"id":"b"}'], np.array([1, 0]))
    b'{"start":0,"end":6,"id":"b"},{"start":17,"end":1022,"id":"a"}'
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Labels = Sequence[tuple[str, str]] | Mapping[int, tuple[str, str]]
# Longer forms (rare) are not expected of spans: their spans are cut out one by one, and
# the table of what is expected of (pattern, length) stays small.
_LONGEST_EXPECTED = 32


@dataclass(slots=True)
class Span:
    """One glossary term found in a text.

    ``start``/``end`` are code-point offsets into the original text, ``start16``/``end16``
    the same span in UTF-16 code units (JavaScript string indices), and
    ``matched_text == text[start:end]``. ``term`` is the headword of term ``id``.
    A plain record, not frozen: a frozen dataclass costs twice as much to make, and a
    long text yields thousands of spans.
    """

    start: int
    end: int
    start16: int
    end16: int
    id: str
    term: str
    matched_text: str


@dataclass(frozen=True, slots=True)
class Found:
    """The spans of one text as columns (int64 arrays), in text order: what a list of
    :class:`Span` says, without an object per span.

    Span ``i`` is pattern ``patterns[i]``, whose term is ``labels[patterns[i]]`` (id,
    headword), and cuts ``texts[cuts[i]]`` out of the text. ``texts`` holds each distinct
    matched text of a pattern once, in order of first appearance, and ``owners[k]`` is
    the pattern that ``texts[k]`` matched. ``truncated``: the text held more spans than
    the ``limit`` asked for.
    """

    starts: np.ndarray
    ends: np.ndarray
    starts16: np.ndarray
    ends16: np.ndarray
    patterns: np.ndarray
    labels: Labels
    texts: list[str]
    cuts: np.ndarray
    owners: list[int]
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def matched(self) -> list[str]:
        """The matched text of every span."""
        return list(map(self.texts.__getitem__, self.cuts.tolist()))

    @property
    def ids(self) -> list[str]:
        """The term ids found, each once, in order of first appearance."""
        # A pattern first appears with its first text, and owners are in that order.
        return list(dict.fromkeys(self.labels[i][0] for i in self.owners))

    def spans(self) -> list[Span]:
        starts, ends = self.starts.tolist(), self.ends.tolist()
        # Without characters beyond the BMP the UTF-16 columns are the same arrays.
        starts16 = starts if self.starts16 is self.starts else self.starts16.tolist()
        ends16 = ends if self.ends16 is self.ends else self.ends16.tolist()
        labels = map(self.labels.__getitem__, self.patterns.tolist())
        rows = zip(starts, ends, starts16, ends16, labels, self.matched, strict=True)
        return [Span(s, e, s16, e16, i, t, m) for s, e, s16, e16, (i, t), m in rows]


def nothing_found() -> Found:
    empty = np.zeros(0, dtype=np.int64)
    return Found(empty, empty, empty, empty, empty, (), [], empty, [])


class PrintedForms:
    """How a text is expected to write each pattern: one string per (pattern, length),
    the first given for it (an annotator gives the glossary's forms as printed).

    Most spans of a text are written as the glossary writes its terms: those are told
    by comparing their code points with the expected string, every span of one length
    at once; only the others are cut out of the text one by one.
    """

    def __init__(self, forms: Iterable[tuple[int, str]], patterns: int):
        chosen: dict[tuple[int, int], str] = {}
        for pattern, form in forms:
            if len(form) <= _LONGEST_EXPECTED:
                chosen.setdefault((pattern, len(form)), form)
        self._strings = list(chosen.values())
        owners = np.array([p for p, _ in chosen], dtype=np.int64)
        lengths = np.array([n for _, n in chosen], dtype=np.int64)
        self._owners = owners.tolist()
        self._longest = int(lengths.max()) if len(lengths) else 0
        # The id of the string expected of (pattern, length), flat; any longer span: none.
        self._stride = self._longest + 2
        self._expected = np.full(patterns * self._stride, -1, dtype=np.int32)
        self._expected[owners * self._stride + lengths] = np.arange(len(chosen))
        # The expected strings of each length as one numpy array, and each one's row in it.
        self._rows = np.zeros(len(chosen), dtype=np.int64)
        self._of_length: dict[int, np.ndarray] = {}
        for length in set(lengths.tolist()):
            ids = np.flatnonzero(lengths == length)
            self._rows[ids] = np.arange(len(ids))
            strings = [self._strings[i] for i in ids]
            self._of_length[length] = np.array(strings, dtype=f"<U{length}")

    def cut(
        self,
        text: str,
        points: np.ndarray,
        patterns: np.ndarray,
        starts: np.ndarray,
        ends: np.ndarray,
    ) -> tuple[list[str], np.ndarray, list[int]]:
        """``(texts, cuts, owners)`` of :class:`Found` for spans of pattern ``patterns[i]``
        at ``text[starts[i]:ends[i]]``; ``points`` are the code points of ``text``
        (``uint32``, one per character)."""
        ids = self._recognised(points, patterns, starts, ends)
        unknown = np.flatnonzero(ids < 0)
        extra: dict[tuple[int, str], int] = {}
        base = len(self._strings)
        columns = (unknown, patterns[unknown], starts[unknown], ends[unknown])
        for i, pattern, start, end in zip(*(c.tolist() for c in columns), strict=True):
            ids[i] = base + extra.setdefault((pattern, text[start:end]), len(extra))
        # Renumber the texts used in order of first appearance (see Found.ids).
        first = np.full(base + len(extra), len(ids), dtype=np.int64)
        np.minimum.at(first, ids, np.arange(len(ids)))
        used = np.flatnonzero(first < len(ids))
        used = used[np.argsort(first[used])]
        renumbered = np.empty(len(first), dtype=np.int64)
        renumbered[used] = np.arange(len(used))
        strings, owners = (
            self._strings + [s for _, s in extra],
            self._owners + [p for p, _ in extra],
        )
        used_list = used.tolist()
        return [strings[i] for i in used_list], renumbered[ids], [owners[i] for i in used_list]

    def _recognised(self, points, patterns, starts, ends) -> np.ndarray:
        """The expected string's id for every span that is written so, else -1."""
        lengths = ends - starts
        at = patterns * self._stride + np.minimum(lengths, self._stride - 1)
        ids = self._expected[at].astype(np.int64)
        known = np.flatnonzero(ids >= 0)
        known_lengths = lengths[known]
        # A stable sort of small numbers is a radix sort: the spans of each length together.
        small = np.min_scalar_type(self._longest)
        known = known[np.argsort(known_lengths.astype(small), kind="stable")]
        counts = np.bincount(known_lengths, minlength=self._longest + 1)
        ends_of = np.cumsum(counts).tolist()
        for length in np.flatnonzero(counts).tolist():
            group = known[ends_of[length] - int(counts[length]) : ends_of[length]]
            # Every ``length`` characters of the text, one per position, without a copy.
            windows = np.ndarray((len(points) - length + 1,), f"<U{length}", points, strides=(4,))
            expected = self._of_length[length][self._rows[ids[group]]]
            ids[group[windows[starts[group]] != expected]] = -1
        return ids


def json_objects(
    columns: Mapping[str, np.ndarray], tails: Sequence[bytes], which: np.ndarray
) -> bytes:
    """The JSON objects ``{"name":n, ...`` + ``tails[which[i]]``, one per row, comma-separated:
    ``columns`` (in their order) hold integers from 0 to 99,999,999, ``tails`` are the
    rest of each object as UTF-8 JSON (``"id":"a"}``).

    The digits are written into one fixed-width row per object, with NUL in place of
    leading zeros, at numpy speed; the NULs are deleted in one pass and the rows, cut
    apart at a separator byte, are joined with their tails: no Python step per object.
    """
    count = len(which)
    if not count:
        return b""
    names = [json.dumps(name).encode() for name in columns]
    pieces = [b",{" + names[0] + b":", *(b"," + name + b":" for name in names[1:]), b",\x01"]
    widths = [_width(name, values) for name, values in columns.items()]
    # One row: the pieces with a NUL for every digit, the separator at its end.
    slots = [b"\x00" * digits for digits in widths] + [b""]
    template = b"".join(piece + slot for piece, slot in zip(pieces, slots, strict=True))
    width = len(template)
    # Eight spare bytes before the first row, for the first word (see below) to reach into.
    memory = np.empty(8 + count * width, dtype=np.uint8)
    rows = memory[8:].reshape(count, width)
    rows[:] = np.frombuffer(template, dtype=np.uint8)
    at, words = 8, {}
    for piece, digits, values in zip(pieces[:-1], widths, columns.values(), strict=True):
        at += len(piece) + digits
        # The eight bytes ending at the last digit: those before the first digit are NUL
        # in the word, so OR-ing it in leaves what they cover (a piece, or the end of the
        # row before) as it is.
        slot = np.ndarray((count,), "<u8", memory, offset=at - 8, strides=(width,))
        if id(values) not in words:  # starts16 is often starts itself
            words[id(values)] = _digit_words(values)
        slot |= words[id(values)]
    heads = rows.tobytes().replace(b"\x00", b"").split(b"\x01")
    heads[0] = heads[0][1:]  # no comma before the first object
    del heads[-1]
    joined: list[bytes] = [b""] * (2 * count)
    joined[0::2] = heads
    joined[1::2] = operator.itemgetter(*which.tolist())(tails) if count > 1 else [tails[which[0]]]
    return b"".join(joined)


_LARGEST = 10**8 - 1  # eight digits: one uint64 of ASCII


def _width(name: str, values: np.ndarray) -> int:
    """Digits of the largest value of column ``name``."""
    largest = int(values.max())
    if values.min() < 0 or largest > _LARGEST:
        raise ValueError(f"column {name!r}: the values must be from 0 to {_LARGEST:,}")
    return len(str(largest))


@functools.cache
def _quads() -> np.ndarray:
    """ "0000" to "9999" as little-endian uint32 (the first digit at the lowest address)."""
    return np.frombuffer(b"".join(b"%04d" % n for n in range(10_000)), dtype="<u4")


_TENS = 10 ** np.arange(1, 8, dtype=np.int64)
# Masks that clear the first k bytes of a little-endian uint64, k = 0..7.
_CLEAR = np.array([(2**64 - 1) << (8 * k) & (2**64 - 1) for k in range(8)], dtype=np.uint64)


def _digit_words(values: np.ndarray) -> np.ndarray:
    """Each value (below 10**8) as eight ASCII digits in a uint64, in writing order in
    memory, its leading zeros NUL: 531 -> b"\\0\\0\\0\\0\\0531"."""
    high, low = np.divmod(values, 10_000)
    quads = _quads()
    words = quads[high].astype(np.uint64) | (quads[low].astype(np.uint64) << np.uint64(32))
    leading = 7 - np.searchsorted(_TENS, values, side="right")
    return words & _CLEAR[leading]
