"""Coinages: four characters that recur unquoted and that no dictionary word makes up.

``find(folded)`` gives each such run with the place it is first met clear of words
running across it (专精特新, 接诉即办, 源网荷储; but as many slogans, such as 提质增效)::

    >>> find("坚持接诉即办,推行接诉即办改革。")
    [('接诉即办', 2)]
    >>> find("提振消费,提振消费。")
    []

Only runs free of particles and numerals can hold one. A report has some 8,000 windows
of four such characters and nearly all occur once: counting them as strings would cost
more than the rest of the miner, so in a text of the Basic Multilingual Plane (nearly
every report) they are counted as numbers with numpy, and only those that recur, with
four different characters and no common pair of characters, are read as strings.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import TYPE_CHECKING

from glossary.harvest import lexicon
from glossary.harvest.shapes import COUNTING, FUNCTION

if TYPE_CHECKING:
    import numpy as np

# Particles and verbs that never sit inside a four-character coinage.
NOT_IN_COINAGE = FUNCTION | set("是在了为对把被将从向以于到至并有也都就不而")
_EXCLUDED = NOT_IN_COINAGE | COUNTING
_CHAR = rf"[^\W\d_A-Za-z{''.join(sorted(_EXCLUDED))}]"
_RUN = re.compile(_CHAR + "{4,}")
# Where the words of a four-character window start and end: 专精, 专精特, …, 特新.
_SUBWORDS = ((0, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 4))


def find(folded: str) -> list[tuple[str, int]]:
    """Each coinage of a folded text and where it is first clear, in order of first use."""
    found = []
    for word in recurring(folded):
        if not coined(word):
            continue
        clean = _clean_places(folded, word)
        if len(clean) >= 2:
            found.append((word, clean[0]))
    return found


def coined(word: str) -> bool:
    """Whether four characters look like a compression: four different characters, no
    numeral or particle, and no word of the dictionary in them that is seen often."""
    chars = set(word)
    if len(chars) < 4 or not chars.isdisjoint(_EXCLUDED):
        return False
    words = lexicon.words()
    if word in words.tags:
        return False
    return not any(word[i:j] in words.common for i, j in _SUBWORDS)


def recurring(folded: str) -> list[str]:
    """The windows of four characters that occur twice or more in runs free of particles
    and numerals, in order of first occurrence; those that ``coined`` refuses for their
    characters alone (a character twice, a common pair) may be left out."""
    units = folded.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * len(folded) or len(folded) < 4:
        return _counted(folded)  # characters beyond U+FFFF: no 16-bit code for each
    return _counted_as_numbers(folded, units)


def _counted(folded: str) -> list[str]:
    windows = []
    for run in _RUN.findall(folded):
        windows += [run[i : i + 4] for i in range(len(run) - 3)]
    return [word for word, count in Counter(windows).items() if count >= 2]


def _counted_as_numbers(folded: str, units: bytes) -> list[str]:
    """``_counted`` with each window packed into 64 bits: four 16-bit code units."""
    import numpy as np  # lazily: only a harvest needs it

    char_table, common_pairs = _tables()
    points = np.frombuffer(units, dtype=np.uint16)
    inside = char_table[points]
    window = inside[:-3] & inside[1:-2] & inside[2:-1] & inside[3:]
    wide = points.astype(np.uint64)
    c0, c1, c2, c3 = wide[:-3], wide[1:-2], wide[2:-1], wide[3:]
    window &= (c0 != c1) & (c0 != c2) & (c0 != c3) & (c1 != c2) & (c1 != c3) & (c2 != c3)
    at = np.flatnonzero(window)
    codes = (c0[at] << 48) | (c1[at] << 32) | (c2[at] << 16) | c3[at]
    _, first, counts = np.unique(codes, return_index=True, return_counts=True)
    starts = at[np.sort(first[counts >= 2])]
    pairs = (wide[starts] << 16) | wide[starts + 1]
    common = _among(pairs, common_pairs)
    for k in (1, 2):
        common |= _among((wide[starts + k] << 16) | wide[starts + k + 1], common_pairs)
    return [folded[s : s + 4] for s in starts[~common].tolist()]


def _among(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Which of ``codes`` are in the sorted ``table``."""
    import numpy as np  # lazily: only a harvest needs it

    if not len(table):
        return np.zeros(len(codes), dtype=bool)
    at = np.minimum(np.searchsorted(table, codes), len(table) - 1)
    return table[at] == codes


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray]:
    """Which code units may stand in a coinage; the common two-character words as pairs
    of code units, sorted. Read once, with the dictionary; reset with ``cache_clear``."""
    import numpy as np  # lazily: only a harvest needs it

    every = "".join(map(chr, range(0x10000)))
    char_table = np.zeros(0x10000, dtype=bool)
    char_table[[m.start() for m in re.finditer(_CHAR, every)]] = True
    pairs = sorted(
        ord(word[0]) << 16 | ord(word[1])
        for word in lexicon.words().common
        if len(word) == 2 and max(word) <= "\uffff"
    )
    return char_table, np.array(pairs, dtype=np.uint64)


def _clean_places(folded: str, word: str) -> list[int]:
    """The first two places of ``word`` in ``folded`` where no dictionary word runs across
    its start or its end (all that ``find`` asks of them)."""
    clean: list[int] = []
    at = folded.find(word)
    while at >= 0 and len(clean) < 2:
        if not lexicon.runs_across(folded, at) and not lexicon.runs_across(folded, at + 4):
            clean.append(at)
        at = folded.find(word, at + len(word))
    return clean
