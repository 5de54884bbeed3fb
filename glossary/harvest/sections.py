"""Find 名词解释 entries: the glossary a report prints about its own jargon.

Reports end with a 名词解释 (or 注释) appendix; news reposts print the same list with
no heading; newspapers print explainer paragraphs (“十个一”:指……); some reports use
footnotes (“四个不摘”[1] … [1]指……). ``glossary_entries`` finds all of them and
returns one ``Entry`` each, with offsets into the text it was given::

    >>> report = '''各位代表!
    ...
    ...     名词解释:
    ...
    ...     1. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。
    ...
    ...     2. 新质生产力:是指在科技创新驱动下,实现的一种
    ...     生产力跃迁。
    ...
    ...     本版积分规则
    ... '''
    >>> entries = glossary_entries(report)
    >>> for entry in entries:
    ...     print(entry.term, "|", entry.definition)
    “五共”理念 | 决策共谋、发展共建、建设共管、效果共评、成果共享。
    新质生产力 | 在科技创新驱动下,实现的一种生产力跃迁。
    >>> entries[0].parts
    ['决策共谋', '发展共建', '建设共管', '效果共评', '成果共享']
    >>> report[entries[0].start : entries[0].end] == entries[0].quote
    True

Every pattern runs on ``fold_chars(text)``, which has the text's length, so one set
of patterns covers full-width, traditional and curly-quote copies, while terms and
definitions are sliced, as printed, from the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from glossary import frames
from glossary.harvest.records import Entry
from glossary.text import fold_chars

MAX_TERM = 30  # a longer "term" is a sentence that happens to hold a colon

_HEADING = re.compile(
    r"(?:附(?:件|录)?\s*\d*\s*[:.、]?\s*)?[【\[(]?\s*"
    # A title may lead in: 2024年政府工作报告名词解释; a sentence may not (no punctuation).
    r"(?:[^,。;!?:\s]{0,24}名词(?:解释|注释|注解|说明)|注释|注解|注)\s*[】\])]?\s*:?\s*"
)
_CIRCLED = "".join(map(chr, range(0x2460, 0x2474)))  # ①…⑳
_CN_NUMBER = r"[二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MARKERS = {
    family: re.compile(pattern + r"\s*")
    for family, pattern in {
        "arabic": r"(\d{1,2})\s*[.、)](?!\d)",
        "paren": r"\((\d{1,2})\)",
        "circled": f"([{_CIRCLED}])",
        "note": r"[\[〔](\d{1,3})[\]〕]",
        "chinese": rf"({_CN_NUMBER})、",
        "chinese_paren": rf"\(({_CN_NUMBER})\)",
    }.items()
}
# Reports number their own outline 一、 (一) (1) ①: only 1. lists and [1] notes
# are taken for a glossary when no heading says so.
_HEADLESS = ("arabic", "note")
_NOTES = ("note", "circled")  # families whose lines may leave the term to the body

# 指导/指标/即时… are words, not the 指 ("means") that opens a definition.
_LEAD = r"(?:是指|指(?![导标数南挥引令定出明示向])|即(?![时将便使刻日]))"
_DEFINITION_LEAD = re.compile(_LEAD + r"\s*:?\s*")
_QUOTED_TERM = re.compile(rf"\"[^\"]{{1,{MAX_TERM - 2}}}\"(?={_LEAD})")
_SENTENCE_BREAK = ",。;!?"
_SEPARATOR = re.compile(rf":|,(?={_LEAD})|——|(?P<stop>[{_SENTENCE_BREAK}])")
_FINAL = tuple("。!?;\"'")
_TERM_TAIL = re.compile(r"(?:的|了|和|与|及|或|如下|以下|包括|主要有|分别是|就是)$")
_ADDRESS = re.compile(r"^各位|们$")  # 各位代表: / 同志们: open a speech, not a definition
_CJK = re.compile(r"[\u3400-\u9fff]")
_NESTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]*\)|\[[^\]]*\]|【[^】]*】|《[^》]*》|〔[^〕]*〕")
# (separators, split the final 和 too): finest first, 一标三实 counts 4 only so.
_ENUMERATIONS = (("[;,、]", True), ("[;,、]", False), ("[;,]", False), (";", False))
_INTRO = re.compile(r"名词|解释|词典|热词|释义")
# Lines that open with these are page furniture even right after an unfinished entry.
_CHROME_LINE = re.compile(r"上一篇|下一篇|责任编辑|分享到|powered by|版权所有|©|返回顶部", re.I)
_CHROME = re.compile(
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
class _Block:
    """The lines of one entry, before it is cut into term and definition."""

    lines: list[Line]
    number: int | None
    marker: str  # the numbering token as folded, "[1]"; "" when unnumbered
    body_at: int  # where the entry starts in its first line, after the marker
    score: float = 1.0

    def joined(self) -> tuple[str, list[int]]:
        """The folded entry, its lines joined, and each character's offset in the text."""
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

    def cut(self) -> tuple[str, str]:
        """Folded term ("" when the body names it) and definition."""
        folded, _ = self.joined()
        at = _cut(folded)
        return (folded[: at[0]].strip(), folded[at[1] :].strip()) if at else ("", folded)


def glossary_entries(text: str) -> list[Entry]:
    """Every glossary entry of ``text``, in order, as ``Entry(kind="glossary")``."""
    folded = fold_chars(text)
    entries = []
    for start, blocks in _sections(text, folded):
        for block in blocks:
            if entry := _entry(text, folded, block, start):
                entries.append(entry)
    return entries


def find_glossary_section(text: str) -> tuple[int, int] | None:
    """Offsets of the first glossary (its heading, if any, to its last entry)."""
    first = next(_sections(text, fold_chars(text)), None)
    return (first[0], first[1][-1].lines[-1].end) if first else None


def split_term(line: str) -> tuple[str, str] | None:
    """Cut ``term:definition`` at the first colon outside quotes and brackets.

    >>> split_term("“1354”总体思路:一个定位:打造先行区;三个坚持:……")
    ('“1354”总体思路', '一个定位:打造先行区;三个坚持:……')
    >>> split_term("为此,大众网梳理了一本“小词典”:") is None
    True
    """
    at = _cut(fold_chars(line))
    return (line[: at[0]].strip(), line[at[1] :].strip()) if at else None


def enumeration_parts(term: str, definition: str) -> list[str]:
    """The parts a definition lists, when their number is the one the term announces.

    >>> enumeration_parts("一标三实", "标准地址、实有人口、实有房屋和实有单位。")
    ['标准地址', '实有人口', '实有房屋', '实有单位']
    >>> enumeration_parts("新质生产力", "一种生产力跃迁。")
    []
    """
    counts = frames.announced_counts(term)
    if not counts:
        return []
    # Separators inside quotes or brackets belong to one part: “专业化、精细化”.
    masked = _mask(fold_chars(definition))
    for separators, final_and in _ENUMERATIONS:
        spans = _split(masked, separators, final_and)
        parts = [definition[s:e].strip().rstrip("。.").strip() for s, e in spans]
        parts = [part for part in parts if part]
        if len(parts) > 1 and len(parts) in counts:
            return parts
    return []


def _split(masked: str, separators: str, final_and: bool) -> list[tuple[int, int]]:
    spans, at = [], 0
    for match in re.finditer(separators, masked):
        spans.append((at, match.start()))
        at = match.end()
    spans.append((at, len(masked)))
    # 和/及 joins the last two items of a list, not the two halves of one phrase.
    if final_and and len(spans) > 1:
        start, end = spans[-1]
        ands = list(re.finditer(r"以及|及(?!其)|和", masked[start:end]))
        if ands and ands[-1].start() > 0 and ands[-1].end() < end - start:
            spans[-1:] = [(start, start + ands[-1].start()), (start + ands[-1].end(), end)]
    return spans


def _lines(text: str, folded: str) -> list[Line]:
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        start = offset + len(raw) - len(raw.lstrip())
        end = max(start, offset + len(raw.rstrip()))
        offset += len(raw)
        heading = _HEADING.match(folded, start, end)
        # "名词解释:1.xxx:…" holds a heading and the first entry: make them two lines.
        if heading and heading.end() < end and _marker(folded[heading.end() : end]):
            lines.append(Line(len(lines), start, heading.end(), folded[start : heading.end()]))
            start = heading.end()
        lines.append(Line(len(lines), start, end, folded[start:end]))
    return lines


def _marker(line: str) -> str | None:
    return next((family for family, pattern in _MARKERS.items() if pattern.match(line)), None)


def _sections(text: str, folded: str) -> Iterator[tuple[int, list[_Block]]]:
    """``(start, blocks)`` for every glossary list, heading-led or not."""
    lines = _lines(text, folded)
    i = 0
    while i < len(lines):
        found = _heading_section(lines, i) or _numbered_run(lines, i) or _explainers(lines, i)
        if not found:
            i += 1
            continue
        yield found
        i = found[1][-1].lines[-1].index + 1


def _heading_section(lines: list[Line], i: int) -> tuple[int, list[_Block]] | None:
    if not _HEADING.fullmatch(lines[i].folded):
        return None
    first = next((line for line in lines[i + 1 :] if line.folded), None)
    if first is None:
        return None
    family = next((f for f in _MARKERS if _start(first, f)), None)
    blocks = _collect(lines, first.index, family)
    return (lines[i].start, blocks) if blocks else None


def _numbered_run(lines: list[Line], i: int) -> tuple[int, list[_Block]] | None:
    family = next((f for f in _HEADLESS if _start(lines[i], f, wrapped_term=False)), None)
    if family is None:
        return None
    run = _collect(lines, i, family, keep=lambda run, b: not run or b.number == run[-1].number + 1)
    # "24个名词解释方便大家读懂…" vouches for the list; a bare 1. 2. list may be an outline.
    j = i - 1
    while j >= 0 and not lines[j].folded:
        j -= 1
    return _accepted(run, 0.9 if j >= 0 and _INTRO.search(lines[j].folded) else 0.6)


def _explainers(lines: list[Line], i: int) -> tuple[int, list[_Block]] | None:
    run = _collect(lines, i, None, wrap=False, keep=_explains)
    # 主要做法:…。主要成效:…。 has the shape too; quotes mark a coined term.
    return _accepted(run, 0.8 if run and '"' in run[0].cut()[0] else 0.6)


def _explains(run: list[_Block], block: _Block) -> bool:
    term, definition = block.cut()
    # Quoted or short, and a whole sentence after the colon: not "各位代表:".
    short = len(term) <= 12 and " " not in term and not _ADDRESS.search(term)
    # A list keeps one style: after “十个一”: paragraphs, 各位读者: is prose again.
    same_style = not run or ('"' in term) == ('"' in run[0].cut()[0])
    return ('"' in term or short) and definition.endswith(_FINAL) and same_style


def _accepted(run: list[_Block], score: float) -> tuple[int, list[_Block]] | None:
    # One entry alone is a glossary only when it says so: “十个一”指…
    term, definition = run[0].cut() if run else ("", "")
    if len(run) < 2 and not ('"' in term and re.match(_LEAD, definition)):
        return None
    for block in run:
        block.score = score
    return run[0].lines[0].start, run


def _collect(
    lines: list[Line], i: int, family: str | None, wrap: bool = True, keep: Callable | None = None
) -> list[_Block]:
    """The entries from line ``i`` on, until a line is neither an entry nor a wrap.

    ``keep(run, block)`` may refuse an entry, which ends the list there.
    """
    blocks: list[_Block] = []
    gap = False  # a blank line since the last entry line
    for k in range(i, len(lines)):  # not lines[i:]: a copy per call made long files quadratic
        line = lines[k]
        if not line.folded:
            gap = True
            continue
        if block := _start(line, family):
            if keep and not keep(blocks, block):
                break
            blocks.append(block)
            gap = False
        elif blocks and wrap and not gap and _continues(blocks[-1].lines[-1], line):
            blocks[-1].lines.append(line)
        else:
            break
    return blocks


def _start(line: Line, family: str | None, wrapped_term: bool = True) -> _Block | None:
    """The entry ``line`` opens, numbered as ``family`` (None: unnumbered), if any.

    With ``wrapped_term``, a numbered line too short to hold its colon still opens
    an entry: a PDF may wrap a long term onto the next line.
    """
    at, number, marker = 0, None, ""
    if family:
        match = _MARKERS[family].match(line.folded)
        if not match:
            return None
        at, number, marker = match.end(), _number(match.group(1)), match.group().strip()
    elif _marker(line.folded):
        return None
    body = line.folded[at:]
    cut = _cut(body)
    short = len(body) <= MAX_TERM and not re.search(f"[{_SENTENCE_BREAK}]", body)
    if not (cut or family in _NOTES or (family and wrapped_term and short)):
        return None
    # Unnumbered, only a filled line opens an entry, and 来源:/电话: are page chrome.
    if family is None and (not body[cut[1] :].strip() or _CHROME.search(body[: cut[0]])):
        return None
    return _Block([line], number, marker, at)


def _number(token: str) -> int:
    if token.isdecimal():
        return int(token)
    return ord(token) - 0x245F if token in _CIRCLED else frames.chinese_number(token)


def _cut(body: str) -> tuple[int, int] | None:
    """``(term_end, definition_start)`` when ``body`` opens with a term, else None."""
    at = _separator(body)
    term = body[: at[0]].strip() if at else ""
    if not (0 < len(term) <= MAX_TERM) or _TERM_TAIL.search(term):
        return None
    return at if _CJK.search(term) or '"' in term else None


def _separator(body: str) -> tuple[int, int] | None:
    if quoted := _QUOTED_TERM.match(body):
        return quoted.end(), quoted.end()
    # The first colon outside quotes and brackets: “1354”总体思路:一个定位:…
    found = _SEPARATOR.search(_mask(body))
    if not found or found.start() > MAX_TERM or found.lastgroup == "stop":
        return None
    return found.span()


def _mask(text: str) -> str:
    """``text`` with what is inside quotes and brackets blanked out, same length."""
    return _NESTED.sub(lambda m: "x" * len(m.group()), text)


def _continues(previous: Line, line: Line) -> bool:
    """Whether ``line`` wraps the entry that ``previous`` ends."""
    if _HEADING.fullmatch(line.folded) or _CHROME_LINE.match(line.folded):
        return False
    if not previous.folded.endswith(_FINAL):
        return True  # cut mid-sentence: whatever follows finishes it
    menu = len(line.folded) <= 12 and not re.search(r"[,。;、]", line.folded)
    return not (menu or (len(line.folded) <= 80 and _CHROME.search(line.folded)))


def _entry(text: str, folded: str, block: _Block, section: int) -> Entry | None:
    joined, origin = block.joined()
    at = _cut(joined)
    if at:
        term = _printed(text, origin[: at[0]])
    else:  # a footnote that leaves the term to the body: [3]指……
        term = _marked_term(text, folded, block.marker, section)
    definition = _printed(text, origin[at[1] :] if at else origin)
    # 指/是指/即 says "this means"; the quote keeps it, the definition need not.
    if lead := _DEFINITION_LEAD.match(fold_chars(definition)):
        definition = definition[lead.end() :].strip()
    if not term or not definition:
        return None
    start, end = block.lines[0].start, block.lines[-1].end
    parts = enumeration_parts(term, definition)
    return Entry(term, "glossary", text[start:end], start, end, definition, parts, block.score)


def _printed(text: str, origin: list[int]) -> str:
    return "".join(" " if at < 0 else text[at] for at in origin).strip()


def _marked_term(text: str, folded: str, marker: str, before: int) -> str:
    """The quoted term the body marks with ``marker``: “四个不摘”[1] -> “四个不摘”."""
    pattern = rf"(\"[^\"\n]{{1,{MAX_TERM - 2}}}\"|《[^》\n]{{1,{MAX_TERM}}}》){re.escape(marker)}"
    found = re.search(pattern, folded[:before]) if marker else None
    return text[found.start(1) : found.end(1)] if found else ""
