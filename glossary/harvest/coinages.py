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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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
_RUNS_OF_ANY_LENGTH = re.compile(_CHAR + "+")
# Where the words of a four-character window start and end: 专精, 专精特, …, 特新.
_SUBWORDS = ((0, 2), (0, 3), (0, 4), (1, 3), (1, 4), (2, 4))


def find(folded: str) -> list[tuple[str, int]]:
    """Each coinage of a folded text and where it is first clear, in order of first use."""
    found = []
    for word, places in _recurring(folded):
        if not coined(word):
            continue
        clean = _clean(folded, places)
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
    return [word for word, _ in _recurring(folded)]


def _recurring(folded: str) -> Iterator[tuple[str, Iterable[int]]]:
    """``recurring`` with the places of each window, in order."""
    units = folded.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * len(folded) or len(folded) < 4:
        # Characters beyond U+FFFF: no 16-bit code for each.
        yield from ((word, _places(folded, word)) for word in _counted(folded))
    else:
        yield from _counted_as_numbers(folded, units)


def _counted(folded: str) -> list[str]:
    windows = []
    for run in _RUN.findall(folded):
        windows += [run[i : i + 4] for i in range(len(run) - 3)]
    return [word for word, count in Counter(windows).items() if count >= 2]


def _places(folded: str, word: str) -> Iterator[int]:
    at = folded.find(word)
    while at >= 0:
        yield at
        at = folded.find(word, at + len(word))


def _counted_as_numbers(folded: str, units: bytes) -> list[tuple[str, list[int]]]:
    """``_counted`` with each window packed into 64 bits, four 16-bit code units, and the
    windows with a repeated character or a common pair left out before counting."""
    import numpy as np  # lazily: only a harvest needs it

    tables = _tables()
    points = np.frombuffer(units, dtype=np.uint16)
    inside = tables.inside[points]
    window = inside[:-3] & inside[1:-2] & inside[2:-1] & inside[3:]
    c0, c1, c2, c3 = points[:-3], points[1:-2], points[2:-1], points[3:]
    window &= (c0 != c1) & (c0 != c2) & (c0 != c3) & (c1 != c2) & (c1 != c3) & (c2 != c3)
    pair = tables.first[points[:-1]] * tables.width + tables.second[points[1:]]
    common = ((tables.pairs[pair >> 3] >> (pair & 7)) & 1).astype(bool)
    window &= ~(common[:-2] | common[1:-1] | common[2:])
    at = np.flatnonzero(window)
    wide = points.astype(np.uint64)
    codes = (wide[at] << 48) | (wide[at + 1] << 32) | (wide[at + 2] << 16) | wide[at + 3]
    order = np.argsort(codes, kind="stable")  # each window's places stay in text order
    ranked = codes[order]
    opens = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    sizes = np.diff(np.r_[opens, len(ranked)])
    groups = [at[order[o : o + n]].tolist() for o, n in zip(opens, sizes, strict=True) if n > 1]
    groups.sort()
    return [(folded[places[0] : places[0] + 4], places) for places in groups]


@dataclass(frozen=True)
class _Tables:
    """Per code unit: may it stand in a coinage; which pairs are common words, as a bit
    per (first character, second character), the characters numbered densely."""

    inside: np.ndarray  # bool per code unit
    first: np.ndarray  # number of each code unit as a first character (0: opens no pair)
    second: np.ndarray  # ... and as a second
    width: int  # how many second characters, plus one
    pairs: np.ndarray  # the bits, packed, little-endian


@functools.cache
def _tables() -> _Tables:
    """Read once, with the dictionary; reset with ``_tables.cache_clear()``."""
    import numpy as np  # lazily: only a harvest needs it

    inside = np.zeros(0x10000, dtype=bool)
    for run in _RUNS_OF_ANY_LENGTH.finditer("".join(map(chr, range(0x10000)))):
        inside[run.start() : run.end()] = True
    pairs = [w for w in lexicon.words().common if len(w) == 2 and max(w) <= "\uffff"]
    joined = "".join(pairs).encode("utf-16-le", "surrogatepass")
    units = np.frombuffer(joined, dtype=np.uint16).astype(np.int64).reshape(-1, 2)
    first, second = np.zeros(0x10000, dtype=np.int64), np.zeros(0x10000, dtype=np.int64)
    for table, column in ((first, units[:, 0]), (second, units[:, 1])):
        used = np.flatnonzero(np.bincount(column, minlength=0x10000))  # np.unique loads numpy.ma
        table[used] = np.arange(1, len(used) + 1)
    width = int(second.max()) + 1
    bits = np.zeros((int(first.max()) + 1) * width, dtype=bool)
    bits[first[units[:, 0]] * width + second[units[:, 1]]] = True
    return _Tables(inside, first, second, width, np.packbits(bits, bitorder="little"))


def _clean(folded: str, places: Iterable[int]) -> list[int]:
    """The first two of ``places`` where no dictionary word runs across the start or the
    end of the window (all that ``find`` asks of them)."""
    clean: list[int] = []
    for at in places:
        if not lexicon.runs_across(folded, at) and not lexicon.runs_across(folded, at + 4):
            clean.append(at)
            if len(clean) == 2:
                break
    return clean
