"""Mining: the jargon a report uses, whether or not it says what it means.

``mine(text)`` proposes coined shorthand from its surface marks alone, one entry per
term, best first, each with the sentence that uses it::

    >>> for entry in mine("深入践行“八八战略”,持续奋战“1310”。牢记“三个务必”。"):
    ...     print(entry.term, entry.score, entry.quote)
    “八八战略” 0.9 深入践行“八八战略”,持续奋战“1310”。
    “1310” 0.9 深入践行“八八战略”,持续奋战“1310”。
    “三个务必” 0.85 牢记“三个务必”。

The marks: a short quoted name, taken with the institutional head that follows it
(“1310”工作体系, “三学”机制); a numeric frame, quoted or not (一村一品, 4大基地5大产业,
四首经济, 1+3+N); a head (机制, 体系, 工程 ...), which lifts a quoted name to a proposal; a
footnote marker (八项重点任务〔1〕), which says the report explains the phrase before it.
Quoted spans that are not names stay out: slogans (“马上就办、真抓实干”), honours
(“先进集体”), amounts (“40条”, 稳增长“21”条), spelled-out combinations (“生态+产业”),
company families (“三峡系”), places and projects (“零隐患村”, “十大产业项目”) and ordinary
words (“人民”, “领头羊”, “一盘棋”), which jieba's dictionary knows. A quoted list of
frames is one term when its parts differ in shape (“一核三区、两轴一带”), several when
they repeat one (“一楼一业、一楼一特、一楼一品”).

Kept for review under 0.5: a quoted name with no other mark (“沉湖臻品”, but also
“红色物业”), and an unquoted run of four characters that recurs and that no dictionary
word makes up (专精特新, but also 提质增效): their form cannot tell a brand or a slogan
from a coinage. Evidence from several reports adds up: ``combined_score``.

Frames and heads are ``glossary.harvest.shapes``. jieba's dictionary
(``glossary.harvest.lexicon``) is the lexicon of ordinary words: idioms (四面八方), places
(三峡, 长三角) and words (一体化) shaped like frames are not jargon, and no name ends
inside a word (“十五五”时期经济|社会, 四大攻坚|战).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from glossary.harvest import coinages, lexicon
from glossary.harvest.records import Entry
from glossary.harvest.shapes import (
    CJK,
    CJK_ONLY,
    CJK_RUN,
    COUNTING,
    FUNCTION,
    HEAD_LAST,
    HEADS,
    NOTE,
    NUMERALS,
    ending_head,
    frames_in,
    is_frame,
    numeral_lexicon,
)
from glossary.text import fold_chars, keys

# The miner's interface; the shapes of terms are glossary.harvest.shapes', named here too.
__all__ = [
    "HEADS",
    "NUMERALS",
    "PROPOSE",
    "Quotes",
    "combined_score",
    "ending_head",
    "first_of",
    "head_after",
    "is_frame",
    "last_of",
    "mine",
    "numeral_lexicon",
    "quoted_spans",
    "quotes",
    "sentence_span",
]

PROPOSE = 0.5  # a candidate at or above this score is proposed to curators
_PLACES = (
    "县", "村", "镇", "乡", "大桥", "隧道", "水库", "机场", "项目", "公司", "集团",
    "大学", "学院", "医院",
)  # fmt: skip
_SENTENCE_END = "。!?;\n"
_SENTENCE_END_MARK = re.compile(f"[{_SENTENCE_END}]")
_LAST_SENTENCE_END = re.compile(f"(?s:.*)[{_SENTENCE_END}]")
_OPENERS, _CLOSERS = "“‘「『〝", "”’」』〞〟"
_CJK_CHAR = re.compile(f"[{CJK}]")
_QUOTE = re.compile("[\"']")
_CLAUSE = re.compile(r"[、,;:。!?·…\s]")
_HONOUR = re.compile(
    "示范|先进|百强|千强|典型|案例|标杆|模范|集体|名录|之都|试点|称号|^全国|^全省|^中国"
)
_DIGIT_CODE = re.compile(r"\d{2,4}|\d+(?:[+×][\dA-Za-z]+)+", re.ASCII)
_CODE_LED = re.compile(rf"\d+(?:[+×][\dA-Za-z]+)+(?=[{CJK}]+$)", re.ASCII)  # “4+4科创工程”
# Minutes and seconds written with straight quotes (02'15'', 1'30"): primes, not quotes.
# (\d'\d{1,2}(?:''|")?|\d'', written to open with the \d, see glossary.harvest.shapes)
_TIMESTAMP = re.compile(r"\d(?:'\d{1,2}(?:''|\")?|'')")
_NOTE_AT_END = re.compile(rf"(?:{NOTE.pattern})$")
_FRAME_TAIL = re.compile(rf"[{NUMERALS[1:]}][^\W\d{NUMERALS}]{{1,2}}$")
_PERIOD = re.compile(r"十?[一二三四五六七八九]五")  # “十五五”: a five-year plan's years


@dataclass
class _Candidate:
    spelling: str  # the name without its head, as folded; its key groups the spellings
    start: int  # span of the term as printed
    end: int
    score: float
    cut: tuple[int, int] = (0, 0)  # a footnote marker inside the span, left out of the term


def mine(text: str, folded: str | None = None, quoted: Quotes | None = None) -> list[Entry]:
    """Jargon used in ``text``: one usage ``Entry`` per term, highest score first.

    ``folded`` and ``quoted``: ``fold_chars(text)`` and its ``quotes``, where the caller
    has them already (a harvest computes them once for all its finders).
    """
    folded = fold_chars(text) if folded is None else folded
    quoted = quotes(text, folded) if quoted is None else quoted
    candidates, claimed = _quoted_candidates(folded, quoted)
    found = candidates + _frame_candidates(folded, claimed)
    # Every key of the report at once (see ``keys``): its names, and its terms as printed.
    keyed = keys([c.spelling for c in found] + [_printed(folded, c) for c in found])
    named = zip(found, keyed[: len(found)], keyed[len(found) :], strict=True)
    # One term, many spellings: “1310” and “1310”工作体系, “三学”机制 and 三学机制.
    groups: list[list[_Candidate]] = []
    known: dict[str, list[_Candidate]] = {}
    for candidate, name, printed in sorted(named, key=lambda c: c[0].start):
        names = {name, printed}
        group = next((known[n] for n in names if n in known), None)
        if group is None:
            groups.append(group := [])
        group.append(candidate)
        known.update(dict.fromkeys(names, group))
    entries = [_entry(text, folded, group) for group in groups]
    return sorted(entries, key=lambda e: (-e.score, e.start))


def combined_score(scores: Iterable[float]) -> float:
    """The evidence of one term's scores in several reports, as if each were an
    independent witness: 1 - Π(1 - s). One report at 0.4 stays under ``PROPOSE``, two
    reach 0.64; a term any report proposes stays proposed.

    >>> combined_score([0.4]), combined_score([0.4, 0.4]), combined_score([0.2, 0.9])
    (0.4, 0.64, 0.92)
    """
    doubt = math.prod(1.0 - min(1.0, max(0.0, s)) for s in scores)
    return round(1.0 - doubt, 2)


def _printed(text: str, candidate: _Candidate) -> str:
    """The term as printed, without the footnote marker inside it: “三区一廊〔2〕” -> “三区一廊”."""
    cut_start, cut_end = candidate.cut
    if cut_start == cut_end:
        return text[candidate.start : candidate.end]
    return text[candidate.start : cut_start] + text[cut_end : candidate.end]


def _entry(text: str, folded: str, group: list[_Candidate]) -> Entry:
    best = max(group, key=lambda c: c.score)  # max keeps the first of equals
    repeated = 0.05 if len(group) > 1 else 0.0
    start, end = sentence_span(folded, best.start, best.end)
    return Entry(
        term=_printed(text, best),
        kind="usage",
        quote=text[start:end],
        start=start,
        end=end,
        score=round(min(1.0, best.score + repeated), 2),
    )


def sentence_span(folded: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``folded[start:end]``: after the last 。!?; or line break
    before it, through the next one (kept, unless it is the line break)."""
    # The last mark before ``start`` is the line break before it or after it: backing up
    # from ``start`` to it takes one regex call, however long the text.
    after = _LAST_SENTENCE_END.match(folded, max(0, folded.rfind("\n", 0, start)), start)
    begin = after.end() if after else 0
    while begin < start and folded[begin].isspace():
        begin += 1
    found = _SENTENCE_END_MARK.search(folded, end)
    stop = found.start() if found else len(folded)
    return begin, stop + (stop < len(folded) and folded[stop] != "\n")


# A mark a report never prints (!, ?) would cost a search to the end of the text each
# time: with a line break among the marks, the other marks are sought within the line.


def first_of(folded: str, chars: str, start: int, stop: int | None = None) -> int:
    """Where the first of ``chars`` in ``folded[start:stop]`` is, else ``stop``."""
    stop = len(folded) if stop is None else stop
    if "\n" in chars and (line := folded.find("\n", start, stop)) != -1:
        stop = line
    found = [i for c in chars if (i := folded.find(c, start, stop)) != -1]
    return min(found, default=stop)


def last_of(folded: str, chars: str, before: int) -> int:
    """Where the last of ``chars`` before ``before`` is, else -1."""
    after = folded.rfind("\n", 0, before) + 1 if "\n" in chars else 0
    return max(after - 1, *(folded.rfind(c, after, before) for c in chars))


@dataclass(frozen=True)
class Quotes:
    """The quoted spans of a text, and the length of the head after each (``head_after``
    of the closing quote): what the miner and the inline finder both read."""

    spans: list[tuple[int, int]]
    heads: dict[int, int]  # closing quote -> head length


def quotes(original: str, folded: str) -> Quotes:
    """The ``Quotes`` of a text (``folded``: its ``fold_chars``)."""
    spans = quoted_spans(original, folded)
    return Quotes(spans, {closed: head_after(folded, closed + 1) for _, closed in spans})


def quoted_spans(original: str, folded: str) -> list[tuple[int, int]]:
    """``(open, close)`` positions of each quoted span, double or single quotes.

    Curly and corner quotes say which side they are on; a straight quote toggles, unless
    it is a prime (02'15''). A span never crosses a line break, so one stray quote spoils
    one line at most.
    """
    primes = {
        m.start() + j
        for m in (_TIMESTAMP.finditer(folded) if "'" in folded else ())  # every prime has '
        for j, char in enumerate(m.group())
        if char in "'\""
    }
    spans = []
    opened: dict[str, int | None] = {'"': None, "'": None}
    # Only quote marks and line breaks change the state: visit the marks, and ask
    # whether a line break came since the last one.
    last = 0
    for match in _QUOTE.finditer(folded):
        i, char = match.start(), match.group()
        if folded.find("\n", last, i) != -1:
            opened['"'] = opened["'"] = None
        last = i
        if i not in primes:
            if original[i] in _OPENERS or (opened[char] is None and original[i] not in _CLOSERS):
                opened[char] = i
            elif opened[char] is not None:
                spans.append((opened[char], i))
                opened[char] = None
    return sorted(spans)


def head_after(folded: str, i: int) -> int:
    """Length of the institutional head that directly follows position ``i``, or 0.

    “1310”工作体系 -> 4; “1+3+N”招商工作机制 -> 6; “生态+产业”的模式 -> 0; and 0 where the
    head runs on into a word (“十五五”时期经济社会) or ends a clause that a verb opens
    (“一企一策”实施重点企业).
    """
    words = CJK_RUN.match(folded, i, i + 6).group()
    if not words or words[0] in FUNCTION:
        return 0
    for k in range(len(words), 1, -1):
        head = words[k - 1] in HEAD_LAST and ending_head(words[:k])
        if not head or words.startswith(HEADS, k):
            continue  # “五健”促进行动|计划: a head inside the name is not its end
        if _attached(folded, i, words[: k - len(head)], k):
            return k
    return 0


def _attached(folded: str, i: int, modifier: str, k: int) -> bool:
    """Whether a head ``k`` characters after ``i`` belongs to the name before ``i``."""
    if FUNCTION & set(modifier) or lexicon.runs_across(folded, i + k, only_common=True):
        return False  # “无证明省份”建设等改革, “环喜马拉雅”企业家
    after = folded[i + k : i + k + 1]
    if folded[i : i + k] == "经济" and _CJK_CHAR.match(after) and after not in FUNCTION:
        return False  # “X”经济转型, 经济社会: 经济 opens a phrase of its own
    if modifier and folded[i + k - 2 : i + k] in ("企业", "经济"):
        return False  # “六链五群”重点企业: a plain description of some of them
    if modifier.startswith(("时期", "期间", "以来")):
        return False  # “十五五”时期国民经济: a time, then what happens in it
    # A common verb with an object before the head starts a clause: “十大工程”纳入国家规划.
    verb = modifier[:2]
    return len(modifier) <= 2 or not (lexicon.tag(verb) == "v" and lexicon.common(verb))


def _quoted_candidates(folded: str, quoted: Quotes) -> tuple[list[_Candidate], list]:
    """Candidates from quoted names, and the spans claimed as names (no frames inside)."""
    candidates, claimed = [], []
    scores: dict[tuple[str, bool, str], float | None] = {}  # a report quotes a name often
    taken_to = -1  # end of the last span taken whole: the quotes nested in it are its own
    for opened, closed in quoted.spans:
        if opened < taken_to:
            continue
        inner = folded[opened + 1 : closed]
        name = inner.replace('"', "").replace("'", "")  # “‘两免一补三保障’救助政策”
        if _CLAUSE.search(name):
            if len(name) <= 24:  # a slogan or a list: nothing is lifted out of it
                claimed.append((opened, closed + 1))
                candidates += _quoted_list(folded, opened, closed)
            continue
        note = _NOTE_AT_END.search(inner)
        if note:  # “三区一廊〔2〕”: the marker is no part of the name
            name = inner[: note.start()].replace('"', "").replace("'", "")
        if not 2 <= len(name) <= 12:
            continue
        taken_to = closed
        head = quoted.heads[closed]
        if _PERIOD.fullmatch(name) and (
            head > 4 or not folded.endswith("规划", 0, closed + 1 + head)
        ):
            head = 0  # “十五五”规划, “九五”普法规划; but “十四五”经济, “十五五”碳达峰行动
        claimed.append((opened, closed + 1 + head))  # “政会银企”四方合作机制: one name
        shape = (name, head > 0, folded[closed + 1 : closed + 2])
        if shape not in scores:
            scores[shape] = _quoted_score(*shape)
        score = scores[shape]
        if score is not None:
            cut = (opened + 1 + note.start(), opened + 1 + note.end()) if note else (0, 0)
            end = closed + 1 + head
            candidates.append(_Candidate(name, opened, end, score, cut))
    return candidates, claimed


def _quoted_list(folded: str, opened: int, closed: int) -> list[_Candidate]:
    """The names in a quoted list such as “一核三区、两轴一带”.

    Alternations of one shape (“一楼一业、一楼一特、一楼一品”) are sibling terms, as are
    names with their heads (“清单工作法、一线工作法”); other lists with frames in them make
    one term together (“一核三区、两轴一带”, “双极带动、多点支撑”, “一张床、一间房”).
    Slogans (“马上就办、真抓实干”) name nothing, and no part is lifted out of them, except
    the frames of phrases set side by side with a space or a dot (“十比十拼 共同缔造”).
    """
    inner = folded[opened + 1 : closed]
    parts = re.split(r"[、·\s]", inner)
    if len(parts) < 2 or _CLAUSE.search(re.sub(r"[、·\s]", "", inner)):
        return []  # a sentence or a slogan, not a list of names
    if not all(2 <= len(p) <= 6 and CJK_ONLY.fullmatch(p) for p in parts):
        return []
    loose = [is_frame(p, quoted=True) for p in parts]
    paired = all(sum(c in NUMERALS for c in p) >= 2 for p in parts)  # 一楼一业, 一市一试点
    shapes = {tuple(c if c in NUMERALS else "" for c in p) for p in parts}
    if all(loose) and paired and len(shapes) == 1:
        return _list_parts(parts, opened, [0.85] * len(parts))
    if all(ending_head(p) for p in parts):
        return _list_parts(parts, opened, [_quoted_score(p, True, "") or 0 for p in parts])
    if "、" not in inner:  # phrases side by side: their frames, by the test of unquoted text
        return _list_parts(parts, opened, [0.85 * is_frame(p) for p in parts])
    if not (all(loose) or any(is_frame(p) for p in parts)):
        return []
    if len(inner) <= 16:
        return [_Candidate(inner, opened, closed + 1, 0.85)]
    # Too long for one name: only alternations stand alone (“一区域一策、一地块一策…”).
    return _list_parts(parts, opened, [0.85 * (all(loose) and paired)] * len(parts))


def _list_parts(parts: list[str], opened: int, scores: list[float]) -> list[_Candidate]:
    """Candidates for the parts of a quoted list that score, at their places in it."""
    found, at = [], opened + 1
    for part, score in zip(parts, scores, strict=True):
        if score:
            found.append(_Candidate(part, at, at + len(part), score))
        at += len(part) + 1
    return found


def _quoted_score(name: str, headed: bool, after: str) -> float | None:
    """Score of a quoted name (``headed``: a head follows the quotes; ``after``: the
    character after them), or None when it is plainly not jargon."""
    own_head = bool(ending_head(name))  # “双十工程”
    if name.endswith("系") and not own_head:
        return None  # “三峡系”, “长江系”: a family of companies; but “四个体系”
    if _DIGIT_CODE.fullmatch(name):
        if after and after in "条号项个件款类":
            return None  # 稳增长“21”条, “00”号公路, “28+10”项: articles, a road, items
        return 0.9 + 0.05 * (headed or own_head)  # “1310”, “531”, “1+3+N”, “4×4”
    if _CODE_LED.match(name) and own_head and not FUNCTION & set(name):
        return 0.95  # “4+4科创工程”; but “7×24小时”
    if is_frame(name, quoted=True):
        if _place(name) or re.search(r"\d+[万亿]?元$", name):
            return None  # “十大产业项目”, “两个10亿元”: counted projects, sums; not “三区一村”
        return 0.85 + 0.05 * (headed or own_head)
    if re.search(r"\d", name) or _HONOUR.search(name) or "+" in name:
        return None  # “40条”, “雷火2023”, honours, “生态+产业”
    if _place(name) or FUNCTION & set(name):
        return None  # “零隐患村”, “道路与桥梁工程”: a place, a project, a description
    if len(name) - len(ending_head(name)) > 6:
        return None  # “要素跟着项目走”: a saying, not a name
    tail = _FRAME_TAIL.search(name)
    counted = bool(tail and is_frame(tail.group(), True))  # “碳排放双控”, “新三样”
    word = lexicon.tag(name) not in (None, "j")  # “领头羊”, “形象工程”: words of the language
    if word and not headed and not counted:
        return None
    if headed or (own_head and not word) or counted:
        return 0.6  # “精网实格”治理模式, “雁阵工程”, “碳排放双控”
    return 0.2


def _place(name: str) -> bool:
    """Whether ``name`` names a place or a project (“零隐患村”, “十大产业项目”), not a
    count of them (“三区一村”, “万企兴万村”)."""
    if not name.endswith(_PLACES):
        return False
    head = next(p for p in _PLACES if name.endswith(p))
    return bool(head) and len(name) > len(head) and name[-len(head) - 1] not in COUNTING


def _frame_candidates(folded: str, claimed: list[tuple[int, int]]) -> list[_Candidate]:
    """Numeric frames and coinages outside claimed quoted names; the weak ones only
    where no other is."""
    taken = bytearray(len(folded))  # one flag per character: linear, however many spans
    for start, end in claimed:
        taken[start:end] = b"\x01" * (end - start)
    frames = [_Candidate("", *frame) for frame in frames_in(folded)]
    found = []
    coined = [_Candidate(word, at, at + 4, 0.4) for word, at in coinages.find(folded)]
    for candidate in (*frames, *coined):
        if not any(taken[candidate.start : candidate.end]):
            candidate.spelling = candidate.spelling or _printed(folded, candidate)
            found.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return found
