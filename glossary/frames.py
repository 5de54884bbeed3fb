"""Numeric frames: the counts a coined term announces.

Policy jargon packs a list into a number: 三个区分开来 names three distinctions,
“531”产业体系 five + three + one industries, 一标三实 one standard and three
realities. ``announced_counts`` returns the counts a list of parts could fairly
have, so the linter and the harvester can check enumerations against the name::

    >>> announced_counts("三个区分开来")
    [3]
    >>> announced_counts("一标三实")
    [1, 3, 4]
    >>> announced_counts("“531”产业体系")
    [9]
    >>> announced_counts("新质生产力")
    []
"""

from __future__ import annotations

import re

from glossary import text

CHINESE_DIGITS = {
    "一": 1, "二": 2, "两": 2, "双": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "百": 100,
}  # fmt: skip
_NUMERAL = re.compile(r"[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两双三四五六七八九百]")
# A short run of digits such as 531 or 125 lists group sizes; 1310 or 100 does not.
_DIGIT_FRAME = re.compile(r"(?<!\d)[1-9]{2,4}(?!\d)")


def chinese_number(numeral: str) -> int:
    """十 -> 10, 十二 -> 12, 二十 -> 20, 双 -> 2."""
    if "十" not in numeral:
        return CHINESE_DIGITS[numeral]
    tens, _, ones = numeral.partition("十")
    return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(ones, 0)


def announced_groups(headword: str) -> list[int]:
    """The group sizes ``headword`` names, in order: one group per number.

    >>> announced_groups("“531”产业体系"), announced_groups("两不愁三保障")
    ([5, 3, 1], [2, 3])
    """
    folded = text.key(headword)
    digit_frame = _DIGIT_FRAME.search(folded)
    if digit_frame and "+" not in folded:
        return [int(d) for d in digit_frame.group()]
    return [chinese_number(m) for m in _NUMERAL.findall(folded)]


def announced_counts(headword: str) -> list[int]:
    """Plausible part counts for ``headword``: each number it names, and their sum."""
    folded = text.key(headword)
    digit_frame = _DIGIT_FRAME.search(folded)
    if digit_frame and "+" not in folded:
        return [sum(int(d) for d in digit_frame.group())]
    numbers = [chinese_number(m) for m in _NUMERAL.findall(folded)]
    if not numbers:
        return []
    return sorted({*numbers, sum(numbers)})
