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

import functools
import re

import opencc

DOUBLE_QUOTES = '“”„‟「」『』﹁﹂﹃﹄〝〞〟＂"'
SINGLE_QUOTES = "‘’‚‛＇'"
QUOTES = DOUBLE_QUOTES + SINGLE_QUOTES

_QUOTE_FOLD = {ord(c): '"' for c in DOUBLE_QUOTES} | {ord(c): "'" for c in SINGLE_QUOTES}
# Full-width ASCII block FF01-FF5E sits exactly 0xFEE0 above printable ASCII.
_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CHAR_FOLD = {**_WIDTH_FOLD, **_QUOTE_FOLD}
_SPACE = re.compile(r"\s+")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified characters; other text passes through.

    >>> to_simplified("雙創")
    '双创'
    """
    return _t2s().convert(text)


def fold_width(text: str) -> str:
    """Full-width letters, digits and punctuation -> half-width (＋５３１：-> +531:)."""
    return text.translate(_WIDTH_FOLD)


def fold_chars(text: str) -> str:
    """Width, quote style and traditional characters, one character for one.

    The result always has the same length as the input, so positions carry over.
    """
    folded = text.translate(_CHAR_FOLD)
    simplified = to_simplified(folded)
    if len(simplified) == len(folded):
        return simplified
    # A phrase rule changed the length: fall back to character-by-character.
    return "".join(c if len(s := to_simplified(c)) != 1 else s for c in folded)


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
    folded = fold_chars(text)
    return "".join(c for c in folded if c not in QUOTES and not c.isspace()).lower()


def normalise_with_offsets(text: str, drop_spaces: bool = False) -> tuple[str, list[int]]:
    """Fold like :func:`key` (quotes dropped, lower case) and map positions back.

    Returns ``(folded, origin)`` where ``origin[i]`` is the index in ``text`` of
    ``folded[i]``; ``origin`` has one extra entry, ``len(text)``, so that a span
    ``folded[s:e]`` maps to ``text[origin[s]:origin[e - 1] + 1]``.

    >>> folded, origin = normalise_with_offsets("看「三個區分開來」吧")
    >>> folded
    '看三个区分开来吧'
    >>> origin[1], origin[7]
    (2, 8)
    """
    folded = fold_chars(text).lower()
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(folded):
        if char in QUOTES or (drop_spaces and char.isspace()):
            continue
        out.append(char)
        origin.append(index)
    origin.append(len(text))
    return "".join(out), origin


def original_span(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a span of folded text back to ``(start, end)`` in the original text."""
    return origin[start], origin[end - 1] + 1
