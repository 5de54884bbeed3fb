"""Normalisation: every fold of what users and reports vary on lives here.

Reports and readers write the same jargon many ways: “531”, "531", 「531」, ５３１;
三个区分开来 or 三個區分開來; 1+3+N or １＋３＋Ｎ. Everything that compares text
(lookup keys, search, the annotator) folds through these functions::

    >>> normalise("「三個區分開來」")
    '"三个区分开来"'
    >>> key("“531”产业体系")
    '531产业体系'
    >>> key("“１＋３＋Ｎ”招商工作机制")
    '1+3+n招商工作机制'

``normalise_with_offsets`` keeps, for every output character, the index of the
original character it came from, so matches found in folded text can be reported
against the text the user sent.

Traditional -> simplified uses OpenCC (the ``opencc`` wheel): it is maintained,
phrase-aware (頭髮 -> 头发, 乾燥 -> 干燥, while 乾隆 stays), and ships its own
dictionaries, where zhconv has been unmaintained since 2021.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

# numpy (~70 ms to import) and OpenCC load in the functions that use them: most
# commands fold a few headwords, or none, and must not wait for them.
if TYPE_CHECKING:
    import numpy as np
    import opencc

DOUBLE_QUOTES = '“”„‟「」『』﹁﹂﹃﹄〝〞〟＂"'
SINGLE_QUOTES = "‘’‚‛＇'"
QUOTES = DOUBLE_QUOTES + SINGLE_QUOTES

_QUOTE_FOLD = {ord(c): '"' for c in DOUBLE_QUOTES} | {ord(c): "'" for c in SINGLE_QUOTES}
# Full-width ASCII block FF01-FF5E sits exactly 0xFEE0 above printable ASCII.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CHAR_FOLD = {**_WIDTH_FOLD, **_QUOTE_FOLD}
_SPACE = re.compile(r"\s+")
# Quote marks and whitespace (\s is exactly str.isspace), which no key keeps.
_NOT_IN_KEY = re.compile(f"[{re.escape(QUOTES)}\\s]")
_SURROGATE = re.compile("[\ud800-\udfff]")
DROPPED = 0  # in the 16-bit fold tables: this character is left out
TRADITIONAL = 1 << 16  # in the 16-bit fold tables: a traditional character


@functools.cache
def _t2s() -> opencc.OpenCC:
    import opencc  # lazily: see the imports

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters; other text passes through.

    >>> to_simplified("雙創")
    '双创'
    """
    return _t2s().convert(text)


@functools.cache
def _s2t() -> opencc.OpenCC:
    import opencc  # lazily: see the imports

    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified -> traditional characters (phrase-aware), for readers who write them.

    >>> to_traditional("三个区分开来")
    '三個區分開來'
    """
    return _s2t().convert(text)


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation -> half-width (＋５３１：-> +531:)."""
    return text.translate(_WIDTH_FOLD)


def fold_chars(text: str) -> str:
    """Width, quote style and traditional characters, one character for one.

    The result always has the same length as the input, so positions carry over.
    """
    return _simplified_same_length(_fold_width_and_quotes(text))


# Below this length str.translate is quicker than numpy's set-up; above it, a whole
# report folds some twenty times faster as one table lookup per code unit.
_LONG_TEXT = 1000


def _fold_width_and_quotes(text: str) -> str:
    if len(text) < _LONG_TEXT:
        return text.translate(_CHAR_FOLD)
    import numpy as np  # lazily: see the imports

    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    # Characters beyond U+FFFF and lone surrogates take two units or pair up on decoding.
    if len(units) != len(text) or ((units & 0xF800) == 0xD800).any():
        return text.translate(_CHAR_FOLD)
    return _char_fold16()[units].tobytes().decode("utf-16-le")


@functools.cache
def _char_fold16() -> np.ndarray:
    """``_CHAR_FOLD`` as a table over the BMP."""
    import numpy as np  # lazily: see the imports

    table = np.arange(0x10000, dtype=np.uint16)
    for code, folded in _CHAR_FOLD.items():
        table[code] = folded if isinstance(folded, int) else ord(folded)
    return table


def _simplified_same_length(text: str) -> str:
    simplified = to_simplified(text)
    if len(simplified) == len(text):
        return simplified
    # A phrase rule changed the length: fall back to character-by-character.
    return "".join(c if len(s := to_simplified(c)) != 1 else s for c in text)


def normalise(text: str) -> str:
    """Fold width, quotes and traditional characters; collapse whitespace."""
    return _SPACE.sub(" ", fold_chars(text)).strip()


def strip_quotes(text: str) -> str:
    """Remove every kind of quote mark: “531”产业体系 -> 531产业体系."""
    return "".join(c for c in text if c not in QUOTES)


def key(text: str) -> str:
    """The lookup key of a headword or query: folded, no quotes, no spaces, lower case.

    Two spellings of one term have the same key.
    """
    return _NOT_IN_KEY.sub("", fold_chars(text)).lower()


def occurs(part: str, whole: str) -> bool:
    """Whether ``part`` is text of ``whole``, whatever their width, quotes, script and
    spacing, and a final 。: a definition trimmed from a quote still occurs in it.

    >>> occurs("决策共谋,发展共建", "“五共”理念:决策共谋，发展共建。")
    True
    """
    folded = key(part).rstrip("。.")
    return bool(folded) and folded in key(whole)


_DEFINITION_LEAD = re.compile(r"^(?:是指|指的是|指|即)[:：]?")


def definition_key(definition: str) -> str:
    """What every printing of one definition shares: its :func:`key` without the lead
    word (是指, 指, 即) or the full stop a report may put around it. Harvest merges and
    ``glossary check`` compare definitions by it.

    >>> definition_key("指决策共谋、成果共享。")
    '决策共谋、成果共享'
    """
    return _DEFINITION_LEAD.sub("", key(definition)).rstrip("。.")


def keys(texts: Iterable[str]) -> list[str]:
    """``[key(t) for t in texts]``, with one OpenCC call for all of them.

    A harvest keys thousands of short names per report, and a call into OpenCC costs
    more than converting a name. A line break is in no OpenCC phrase, so converting the
    names joined by line breaks converts each one as on its own.
    """
    texts = list(texts)
    distinct = list(dict.fromkeys(texts))
    if not distinct or any("\n" in t for t in distinct):
        return [key(t) for t in texts]
    joined = _fold_width_and_quotes("\n".join(distinct))
    simplified = to_simplified(joined).split("\n")
    keyed = {}
    for original, width_folded, folded in zip(
        distinct, joined.split("\n"), simplified, strict=True
    ):
        if len(folded) != len(width_folded):  # as in fold_chars: one character for one
            folded = _simplified_same_length(width_folded)
        keyed[original] = _NOT_IN_KEY.sub("", folded).lower()
    return [keyed[t] for t in texts]


def normalise_with_offsets(text: str, drop_spaces: bool = False) -> tuple[str, Offsets]:
    """Fold like :func:`key` (quotes dropped, lower case) and map positions back.

    Returns ``(folded, origin)`` where ``origin[i]`` is the index in ``text`` of
    ``folded[i]``; ``origin[len(folded)] == len(text)``, so that a span
    ``folded[s:e]`` maps to ``text[origin[s]:origin[e - 1] + 1]``.

    >>> folded, origin = normalise_with_offsets("看「三個區分開來」吧")
    >>> folded
    '看三个区分开来吧'
    >>> origin[1], origin[7]
    (2, 8)

    Built for long texts (the annotator): the text is folded as an array of code
    points with numpy, OpenCC runs only when a traditional character is present, and
    offsets are kept as the dropped positions rather than one entry per character.
    Lower case is ASCII only here, so a fold never changes a string's length.
    """
    import numpy as np  # lazily: see the imports

    tables = _fold_tables()
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) == 2 * len(text):
        # No character beyond U+FFFF (nearly every text): one 16-bit array, one table
        # lookup each; lone surrogates (valid in JSON, poison to OpenCC) fold to U+FFFD.
        # The table's high bits say "traditional": one lookup folds, drops and flags.
        points = np.frombuffer(units, dtype=np.uint16)
        mapped = (tables.fold16_spaces if drop_spaces else tables.fold16_quotes)[points]
        drop = mapped == DROPPED
        flagged = mapped[~drop]
        traditional = len(flagged) > 0 and flagged.max() >= TRADITIONAL
        folded = flagged.astype(np.uint16).tobytes().decode("utf-16-le")
        astral = np.empty(0, dtype=np.int64)
    else:
        if _SURROGATE.search(text):
            text = _SURROGATE.sub("\ufffd", text)
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        small = np.minimum(points, 0xFFFF)  # every character the tables know is in the BMP
        drop = (tables.space_or_quote if drop_spaces else tables.quote)[small]
        drop &= points <= 0xFFFF
        kept = points[~drop]
        kept = np.where(kept <= 0xFFFF, tables.fold[np.minimum(kept, 0xFFFF)], kept)
        folded = kept.astype(np.uint32).tobytes().decode("utf-32-le")
        astral = np.flatnonzero(points > 0xFFFF)
        traditional = tables.traditional[np.minimum(kept, 0xFFFF)].any()
    if traditional:
        folded = _simplified_same_length(folded)
    return folded, Offsets(np.flatnonzero(drop), len(text), astral)


class Offsets:
    """Original index of each folded character, from the positions that were dropped.

    The j-th dropped position ``d`` would have been folded index ``d - j``; a folded
    index ``i`` is then ``i`` plus the number of drops at or before it.
    """

    def __init__(self, dropped: np.ndarray, length: int, astral: np.ndarray | None = None):
        import numpy as np  # lazily: see the imports

        self._marks = np.asarray(dropped, dtype=np.int64) - np.arange(len(dropped))
        self._astral = np.empty(0, dtype=np.int64) if astral is None else astral
        self._length = length
        self._folded_length = length - len(dropped)

    @functools.cached_property
    def _mark_list(self) -> list[int]:
        return self._marks.tolist()

    def __getitem__(self, i: int) -> int:
        if i >= self._folded_length:
            return self._length
        return i + bisect.bisect_right(self._mark_list, i)

    def spans(self, starts, ends) -> tuple[np.ndarray, np.ndarray]:
        """:func:`original_span` for many spans at once, as two arrays (vectorised: long
        texts have thousands)."""
        import numpy as np  # lazily: see the imports

        first = np.array(starts, dtype=np.int64)
        last = np.array(ends, dtype=np.int64) - 1
        first += np.searchsorted(self._marks, first, side="right")
        last += np.searchsorted(self._marks, last, side="right") + 1
        return first, last

    def utf16(self, positions: list[int]) -> list[int]:
        """Original code-point positions -> UTF-16 code units (JavaScript string indices):
        every character beyond U+FFFF before a position counts twice."""
        if not len(self._astral):
            return list(positions)
        import numpy as np  # lazily: see the imports

        points = np.asarray(positions, dtype=np.int64)
        return (points + np.searchsorted(self._astral, points, side="left")).tolist()

    def __len__(self) -> int:
        return self._folded_length + 1


@dataclass(frozen=True)
class _FoldTables:
    """Per-code-point tables over the BMP for ``normalise_with_offsets``."""

    fold: np.ndarray  # code point -> folded code point (width, ASCII case)
    # The same as 16-bit units, lone surrogates and NUL -> U+FFFD, what is dropped
    # (quote marks; or quote marks and whitespace) -> NUL, and TRADITIONAL added to the
    # units OpenCC would change: one lookup does all three.
    fold16_quotes: np.ndarray
    fold16_spaces: np.ndarray
    quote: np.ndarray  # is a quote mark
    space_or_quote: np.ndarray  # is a quote mark or whitespace
    traditional: np.ndarray  # OpenCC would change it


# Where OpenCC has traditional characters: CJK extension A, unified, compatibility.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@functools.cache
def traditional_chars() -> dict[str, str]:
    """Every CJK character OpenCC changes on its own, and what it becomes."""
    chars = [chr(c) for start, end in _CJK_RANGES for c in range(start, end)]
    simplified = to_simplified("\n".join(chars)).split("\n")
    return {c: s for c, s in zip(chars, simplified, strict=True) if c != s}


@functools.cache
def _fold_tables() -> _FoldTables:
    import numpy as np  # lazily: see the imports

    fold = np.arange(0x10000, dtype=np.uint32)
    fold[0xFF01:0xFF5F] -= 0xFEE0
    fold[0x3000] = 0x20
    upper = (fold >= ord("A")) & (fold <= ord("Z"))
    fold[upper] += 32
    quote = np.zeros(0x10000, dtype=bool)
    quote[[ord(c) for c in QUOTES]] = True
    space = np.array([chr(c).isspace() for c in range(0x10000)], dtype=bool)
    traditional = np.zeros(0x10000, dtype=bool)
    traditional[[ord(c) for c in traditional_chars()]] = True
    fold[DROPPED] = 0xFFFD  # a NUL in the text must not read as "dropped"
    units = fold.astype(np.uint32)
    units[0xD800:0xE000] = 0xFFFD
    units[traditional] += TRADITIONAL
    fold16_quotes, fold16_spaces = units.copy(), units.copy()
    fold16_quotes[quote] = DROPPED
    fold16_spaces[quote | space] = DROPPED
    return _FoldTables(fold, fold16_quotes, fold16_spaces, quote, quote | space, traditional)


def original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a span of folded text back to ``(start, end)`` in the original text."""
    return origin[start], origin[end - 1] + 1
