from __future__ import annotations

import pytest

from glossary import frames


@pytest.mark.parametrize(
    ("headword", "counts"),
    [
        ("三个区分开来", [3]),
        ("八项本领", [8]),
        ("“三学”机制", [3]),
        ("双减", [2]),
        ("一标三实", [1, 3, 4]),
        ("“四级五调”模式", [4, 5, 9]),
        ("长江大保护“双十工程”", [2, 10, 12]),
        ("“531”产业体系", [9]),
        ("“125”产业体系", [8]),
        ("“1+3+N”招商工作机制", []),
        ("新质生产力", []),
        ("“1310”", []),
    ],
)
def test_counts_a_headword_announces(headword, counts):
    assert frames.announced_counts(headword) == counts


@pytest.mark.parametrize(("numeral", "value"), [("十", 10), ("十二", 12), ("二十", 20), ("双", 2)])
def test_chinese_numbers(numeral, value):
    assert frames.chinese_number(numeral) == value
