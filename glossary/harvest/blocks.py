"""A report as blocks: headings, numbered items, notes, headword lines, paragraphs.

The definition rules (``glossary.harvest.sections``) read blocks, not lines, so a new
layout is a new block pattern here rather than a new regular expression in each rule::

    >>> text = "名词解释\\n\\n1. 两重：是指国家重大战略实施。\\n2.GEP\\n生态系统生产总值。\\n"
    >>> [(b.kind, b.scheme, b.number) for b in blocks(text)]
    [('heading', None, None), ('item', 'arabic', 1), ('item', 'arabic', 2)]

Kinds of block, decided from the block's first line and the blocks before it:

- ``heading``: 名词解释, 名词注释, 注释 … (a glossary's own title line);
- ``item``: a line numbered 1. 1、 (1) 一、 (一); ``scheme`` names the numbering,
  ``number`` its value. ``12.2026年…`` is item 12 when item 11 of
  the same scheme came before (or it opens a list at 1.), never a decimal such as 5.5%;
- ``note``: a footnote or endnote, [1] 〔1〕 ［1］ ① ⑴;
- ``headword``: a short line standing alone, with no sentence punctuation;
- ``english``: a line of Latin-script prose (a translation printed beside the Chinese);
- ``paragraph``: any other line.

Each block is one line (rules join the lines that wrap an entry, see ``continues``);
blank lines are not blocks, and ``gap_before`` says one came before.
Everything is computed on ``fold_chars(text)`` (same length as the text), so offsets
point into the text as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from glossary import frames

MAX_TERM = 30  # a longer "term" is a sentence that happens to hold a colon

HEADING = re.compile(
    r"(?:附(?:件|录)?\s*\d*\s*[:.、]?\s*)?[【\[(]?\s*"
    # A title may lead in: 2024年政府工作报告名词解释; a sentence may not (no punctuation).
    r"(?:[^,。;!?:\s]{0,24}名词(?:解释|注释|注解|说明)|注释|注解|注)\s*[】\])]?\s*:?\s*"
)
CIRCLED = "".join(map(chr, range(0x2460, 0x2474)))  # ①…⑳
PARENTHESIZED = "".join(map(chr, range(0x2474, 0x2488)))  # ⑴…⒇
_CN_NUMBER = r"[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
# The marker of each numbering scheme; arabic refuses a digit after its dot (5.5%), the
# sequence check in ``_numbered`` lets 12.2026年 through where 12 is the next number.
MARKERS = {
    scheme: re.compile(pattern + r"\s*")
    for scheme, pattern in {
        "arabic": r"(\d{1,2})\s*[.、)](?!\d)",
        "paren": r"\((\d{1,2})\)",
        "circled": f"([{CIRCLED}])",
        "parenthesized": f"([{PARENTHESIZED}])",
        "note": r"[\[〔](\d{1,3})[\]〕]",
        "chinese": rf"({_CN_NUMBER})、",
        "chinese_paren": rf"\(({_CN_NUMBER})\)",
    }.items()
}
_ANY_MARKER = re.compile("|".join(f"(?P<{s}>{p.pattern})" for s, p in MARKERS.items()))
_ARABIC_BEFORE_DIGIT = re.compile(r"(\d{1,2})\s*[.、]\s*(?=\d)")
NOTE_SCHEMES = ("note", "circled", "parenthesized")
# Any note marker inside a line: 三区一廊〔2〕, “四个不摘”[1], 任务⑴.
NOTE_MARK = re.compile(rf"[\[〔]\d{{1,3}}[\]〕]|[{CIRCLED}{PARENTHESIZED}]")
FINAL = tuple("。!?;\"'")
_SENTENCE = re.compile(r"[,。;!?:]")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Lines that open with these are page furniture even right after an unfinished entry.
CHROME_LINE = re.compile(r"上一篇|下一篇|责任编辑|分享到|powered by|版权所有|©|返回顶部", re.I)
CHROME = re.compile(
    r"登录|注册|回帖|积分规则|客服|powered by|返回顶部|返回列表|上一篇|下一篇|责任编辑|"
    r"编辑:|来源|版权|copyright|©|分享到|扫一扫|打印|关闭|icp|公网安备|主办|承办|"
    r"技术支持|联系我们|电话|在线时间|快速回复|发表于|浏览|点击|网站标识",
    re.IGNORECASE,
)


class Line(NamedTuple):
    """One line of the text, surrounding whitespace stripped; blank when start == end."""

    index: int
    start: int
    end: int
    folded: str


@dataclass
class Block:
    """Consecutive lines read as one unit; see the module docstring for the kinds."""

    kind: str
    lines: list[Line]
    scheme: str | None = None
    number: int | None = None
    marker: str = ""  # the numbering token as folded, "[1]"; "" when unnumbered
    body_at: int = 0  # where the body starts in the first line, after the marker
    gap_before: bool = False

    @property
    def start(self) -> int:
        return self.lines[0].start + self.body_at

    @property
    def end(self) -> int:
        return self.lines[-1].end

    def body(self) -> str:
        if len(self.lines) == 1:  # as every block of ``blocks`` is: no joining to do
            return self.lines[0].folded[self.body_at :]
        return self.joined()[0]

    def joined(self) -> tuple[str, list[int]]:
        """The folded body, its lines joined, and each character's offset in the text."""
        chars: list[str] = []
        origin: list[int] = []
        for n, line in enumerate(self.lines):
            body = line.folded[self.body_at :] if n == 0 else line.folded
            # Wrapped Latin words keep one space between them (-1: not in the text).
            pair = "".join(chars[-1:]) + body[:1]
            if len(pair) == 2 and pair.isascii() and pair.isalnum():
                chars.append(" ")
                origin.append(-1)
            chars += body
            origin += range(line.end - len(body), line.end)
        return "".join(chars), origin

    def describe(self) -> str:
        """``item arabic 12, line 40``: for ``glossary harvest --explain``."""
        numbering = f" {self.scheme} {self.number}" if self.scheme else ""
        return f"{self.kind}{numbering}, line {self.lines[0].index + 1}"


def lines(text: str, folded: str) -> list[Line]:
    """The lines of ``text``; "名词解释:1.xxx:…" is two lines, the heading and the entry."""
    found, offset = [], 0
    for raw in text.splitlines(keepends=True):
        start = offset + len(raw) - len(raw.lstrip())
        end = max(start, offset + len(raw.rstrip()))
        offset += len(raw)
        heading = _heading(folded, start, end)
        if heading and heading.end() < end and marker(folded[heading.end() : end]):
            found.append(Line(len(found), start, heading.end(), folded[start : heading.end()]))
            start = heading.end()
        found.append(Line(len(found), start, end, folded[start:end]))
    return found


def _heading(folded: str, start: int, end: int, whole: bool = False) -> re.Match | None:
    """``HEADING.match`` (``whole``: ``fullmatch``) of ``folded[start:end]``. Every heading
    holds 名词 or 注: a line with neither, nearly every line, is no heading at a glance."""
    if folded.find("注", start, end) < 0 and folded.find("名词", start, end) < 0:
        return None
    return (HEADING.fullmatch if whole else HEADING.match)(folded, start, end)


def marker(line: str) -> str | None:
    """The numbering scheme ``line`` opens with, if any (decimals such as 5.5% are not)."""
    # One pattern for all: its first alternative that matches is the first scheme's.
    found = _ANY_MARKER.match(line)
    return found.lastgroup if found else None


def blocks(text: str, folded: str | None = None) -> list[Block]:
    """The blocks of ``text`` in order (``folded``: its ``fold_chars``, if computed)."""
    if folded is None:
        from glossary.text import fold_chars

        folded = fold_chars(text)
    found: list[Block] = []
    last_number: dict[str, int] = {}
    gap = True
    for line in lines(text, folded):
        if not line.folded:
            gap = True
            continue
        # One line, one block: whether a line wraps the one before is for the rules to
        # say (``continues``), since an outline heading and a wrapped term look alike.
        block = _opening(line, last_number, gap) or _unnumbered(line, gap)
        if block.scheme:
            last_number[block.scheme] = block.number
        found.append(block)
        gap = False
    return found


def continues(previous: Line, line: Line) -> bool:
    """Whether ``line`` wraps the block that ``previous`` ends."""
    if _heading(line.folded, 0, len(line.folded), whole=True) or CHROME_LINE.match(line.folded):
        return False
    if not previous.folded.endswith(FINAL):
        return True  # cut mid-sentence: whatever follows finishes it
    menu = len(line.folded) <= 12 and not re.search(r"[,。;、]", line.folded)
    return not (menu or (len(line.folded) <= 80 and CHROME.search(line.folded)))


def is_english(folded: str) -> bool:
    """A line of Latin-script prose: three words or more, and hardly any Chinese."""
    letters = len(_LATIN.findall(folded))
    return letters >= 12 and len(folded.split()) >= 3 and letters > 4 * len(_CJK.findall(folded))


def _opening(line: Line, last_number: dict[str, int], gap: bool) -> Block | None:
    """The numbered item or note ``line`` opens, if any."""
    if _heading(line.folded, 0, len(line.folded), whole=True):
        return Block("heading", [line], gap_before=gap)
    scheme = marker(line.folded)
    match = MARKERS[scheme].match(line.folded) if scheme else _numbered(line, last_number)
    if match is None:
        return None
    scheme = scheme or "arabic"
    kind = "note" if scheme in NOTE_SCHEMES else "item"
    number = _number(match.group(1))
    token = match.group().strip()
    return Block(kind, [line], scheme, number, token, match.end(), gap_before=gap)


def _numbered(line: Line, last_number: dict[str, int]) -> re.Match | None:
    """``12.2026年十件民生实事:…`` as item 12: only where 12 is the next number."""
    match = _ARABIC_BEFORE_DIGIT.match(line.folded)
    if match is None:
        return None
    expected = last_number.get("arabic", 0) + 1
    return match if int(match.group(1)) == expected else None


def _unnumbered(line: Line, gap: bool) -> Block:
    folded = line.folded
    if is_english(folded):
        kind = "english"
    elif len(folded) <= MAX_TERM and not _SENTENCE.search(folded) and not folded.endswith("、"):
        kind = "headword"
    else:
        kind = "paragraph"
    return Block(kind, [line], gap_before=gap)


def _number(token: str) -> int:
    if token.isdecimal():
        return int(token)
    if token in CIRCLED:
        return ord(token) - 0x245F
    if token in PARENTHESIZED:
        return ord(token) - 0x2473
    return frames.chinese_number(token)
