"""Shapes of coined terms: counts that name their parts, and heads."""

from __future__ import annotations

import random
import re

import pytest

from glossary.harvest import shapes
from glossary.text import fold_chars
from tests.conftest import SHARED

REPORTS = sorted(SHARED.glob("provinces-2026/*.txt")) + sorted(SHARED.glob("seeds/*.txt"))


@pytest.mark.parametrize(
    ("name", "quoted", "frame"),
    [
        ("四大比拼", False, True),
        ("一村一品", False, True),
        ("三年行动", False, False),  # a time
        ("一体化", False, False),  # a word
        ("四面八方", True, False),  # an idiom
        ("一刀切", True, False),  # an idiom, quoted or not
        ("一盘棋", True, False),  # 一 + a word: one chessboard, not one part
        ("六连冠", True, False),  # a streak
        ("五篇大文章", True, True),  # quoted, a counter may open the name
        ("五篇大文章", False, False),
        ("三北精神", True, True),  # 三北 is a rare place name, and counts here
        ("四川云教", True, False),  # 四川 is a common one
    ],
)
def test_is_frame(name, quoted, frame):
    assert shapes.is_frame(name, quoted=quoted) is frame


def test_frames_in_running_text_come_with_their_spans_and_scores():
    text = "推动一村一品，打好四大攻坚战，落实八项重点任务〔1〕。"
    found, taken = [], set()
    for frame in shapes.frames_in(text):  # the stronger first: keep the first of overlaps
        if not taken & set(range(frame.start, frame.end)):
            found.append((text[frame.start : frame.end], frame.score, frame.cut))
            taken |= set(range(frame.start, frame.end))
    assert found == [
        ("八项重点任务〔1〕", 0.6, (text.index("〔"), text.index("〕") + 1)),
        ("一村一品", 0.75, (0, 0)),
        ("四大攻坚战", 0.35, (0, 0)),
    ]


@pytest.mark.parametrize(
    "text",
    ["三是全面深化改革", "推进第六轮三年行动", "东北三省一区", "长三角一体化", "乙二醇项目"],
)
def test_running_text_without_frames(text):
    assert [f for f in shapes.frames_in(text) if f.score >= 0.5] == []


# The scanning patterns as they read plainly; shapes.py writes them to open with a
# character class (see its comment), which must change no match.
N, CJK = shapes.NUMERALS, shapes.CJK
_NUM = rf"[{N}]{{1,2}}|\d{{1,2}}"
PLAIN = {
    "NOTE": re.compile(r"〔\d{1,3}〕|\[\d{1,3}\]|[\u2460-\u2487]"),
    "_UNQUOTED_CODE": re.compile(r"(?<![\d.])\d+(?:\+[\dA-Za-z]+)+(?![\d.])", re.ASCII),
    "_ALTERNATING": re.compile(rf"(?<!第)(?P<a>{_NUM})(?P<x>[^\W\d{N}]{{1,3}}?)(?P<b>{_NUM})"),
    "_NUMERAL_LED": re.compile(rf"第[{N}]+|(?<![第{N}])[{N[1:]}](?=[{CJK}])"),
    "_BOUNDED_PAIR": re.compile(
        rf"(?<![第{N}])[{N[1:]}](?P<x>[{CJK}])(?=[^\s{CJK}]|[各等和与及的])"
    ),
    "_COUNTED": re.compile(rf"(?<![第{N}])[{N[1:]}][个大项张种][{CJK}]{{2}}"),
}
ALPHABET = [*N, *"第0123456789.+AbZ中国经济大个项种〔〕[]①⑴\n ,。、各等和的", "\u4e00", "\u9fff"]


def matches(pattern: re.Pattern, text: str) -> list:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("name", PLAIN)
def test_a_scanning_pattern_matches_as_its_plain_form(name):
    rng = random.Random(name)
    texts = [fold_chars(p.read_text(encoding="utf-8")) for p in REPORTS]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(5000)]
    for text in texts:
        assert matches(getattr(shapes, name), text) == matches(PLAIN[name], text), text
