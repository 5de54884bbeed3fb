"""jieba's dictionary as a lexicon: which strings are words, of what kind, how common.

The miner asks it whether a quoted token is an ordinary word (“领头羊”, “一盘棋”), whether
a name would end inside a word (长三角|一体化, 四大攻坚|战), and whether a run of four
characters is made of words at all (专精特新 is not; 提振消费 is)::

    >>> tag("三峡"), tag("领头羊"), tag("八八战略")
    ('ns', 'n', None)
    >>> common("名片"), common("专精")
    (True, False)
    >>> runs_across("推进长三角一体化", 3), runs_across("四纵九横道路网", 4)
    (True, False)

Only the dictionary file is read, once, lazily, and only words of two to six characters
are kept, with their first three characters as a set (about 70 MB in all, 12 of them the
set): no tokenizer is built, so jieba writes no cache and logs nothing.
Reset with ``words.cache_clear()``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

COMMON = 50  # seen this often in jieba's corpus, a word is ordinary, not a coinage
LONGEST = 6


@dataclass(frozen=True)
class Words:
    tags: dict[str, str]  # word -> jieba's part of speech (n, v, i, ns, j ...)
    common: frozenset[str]  # the words seen at least COMMON times
    # The first three characters of the words of three or more, of all and of the common
    # ones: where none opens, no such word does (``runs_across`` asks that first).
    openings: frozenset[str] = frozenset()
    common_openings: frozenset[str] = frozenset()


@functools.cache
def words() -> Words:
    """The dictionary's words of two to six characters, read once."""
    import jieba  # only for its dictionary file: importing it builds nothing

    tags: dict[str, str] = {}
    common = set()
    kinds: dict[str, str] = {}  # one string per part of speech, shared by all words
    with jieba.get_dict_file() as lines:
        for line in lines.read().decode("utf-8").splitlines():
            word, count, kind = line.split(" ")
            if 2 <= len(word) <= LONGEST:
                tags[word] = kinds.setdefault(kind, kind)
                if int(count) >= COMMON:
                    common.add(word)
    openings = frozenset(word[:3] for word in tags if len(word) >= 3)
    common_openings = frozenset(word[:3] for word in common if len(word) >= 3)
    return Words(tags, frozenset(common), openings, common_openings)


def tag(word: str) -> str | None:
    """jieba's part of speech for ``word``, or None when the dictionary lacks it."""
    return words().tags.get(word)


def common(word: str) -> bool:
    """Whether ``word`` is a dictionary word seen often enough to be ordinary."""
    return word in words().common


def runs_across(text: str, i: int, only_common: bool = False) -> bool:
    """Whether a word runs across position ``i`` of ``text``, so that no name should
    begin or end there: a word of three or more characters spanning it (长三角|一体化,
    四大攻坚|战), or one of two whose right half opens no word of its own (开一备三强|度;
    but not 四纵九横|道路网, where 道路 is a word). ``only_common``: only words seen often
    count (经济社会, 企业家; not 企业动态, a rare word that 企业|动态清零 only looks like)."""
    lexicon = words()
    tags = lexicon.common if only_common else lexicon.tags
    openings = lexicon.common_openings if only_common else lexicon.openings
    for start in range(max(0, i - LONGEST + 1), i):
        if text[start : start + 3] not in openings:
            continue  # most places open no word of three characters: one look-up says so
        for end in range(max(i + 1, start + 3), min(len(text), start + LONGEST) + 1):
            if text[start:end] in tags:
                return True
    return text[i - 1 : i + 1] in tags and text[i : i + 2] not in tags if i > 0 else False
