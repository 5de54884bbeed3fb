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
四首经济, 1+3+N); a head (机制, 体系, 工程 ...), which lifts a quoted name to a proposal.
Quoted spans that are not names stay out: lists and slogans, honours (“先进集体”),
amounts (“40条”), spelled-out combinations (“生态+产业”), company families (“三峡系”).
A quoted name with no other mark (“沉湖臻品”, but also “红色物业”) is kept for review
under 0.3: its form cannot tell a brand from a coinage.

jieba's dictionary is the lexicon of numeral-led words: idioms (四面八方), places (三峡)
and ordinary words (一体化) shaped like frames are not jargon. Only its dictionary file
is read, once, lazily: no tokenizer is built, so jieba writes no cache and logs nothing.
Reset with ``numeral_lexicon.cache_clear()``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from glossary.harvest.records import Entry
from glossary.text import fold_chars, key

PROPOSE = 0.5  # a candidate at or above this score is proposed to curators
HEADS = (
    "工作法", "机制", "模式", "体系", "工程", "行动", "制度", "理念", "战略", "改革",
    "经费", "清单", "计划", "规划", "经济", "企业",
)  # fmt: skip
NUMERALS = "一二两三四五六七八九十双"
# After a numeral these make an amount, a time or an approximation, not a count of parts.
_UNITS = set(
    "年月日天周季时分秒岁次人名户位元亿万米亩吨倍条处栋座所件篇场期届批辆台套份本级类家余多几"
)
_CLASSIFIERS = set("个大项张种")
_FUNCTION = set("的之和与及或等各")
_CJK = "\u4e00-\u9fff"
_SENTENCE_END = "。!?;\n"
_OPENERS, _CLOSERS = "“‘「『〝", "”’」』〞〟"
_CLAUSE = re.compile(r"[、,;:。!?·…\s]")
_HONOUR = re.compile(
    "示范|先进|百强|千强|典型|案例|标杆|模范|集体|名录|之都|试点|称号|^全国|^全省|^中国"
)
_DIGIT_CODE = re.compile(r"\d{2,4}|\d+(?:\+[\dA-Za-z]+)+", re.ASCII)
_UNQUOTED_CODE = re.compile(r"(?<![\d.])\d+(?:\+[\dA-Za-z]+)+(?![\d.])", re.ASCII)
_NUM = rf"[{NUMERALS}]{{1,2}}|\d{{1,2}}"
_ALTERNATING = re.compile(rf"(?<!第)(?P<a>{_NUM})(?P<x>[^\W\d{NUMERALS}]{{1,3}}?)(?P<b>{_NUM})")
# Unquoted, 一 is an article far more often than a count (一是, 下一步), unless ordinal.
_NUMERAL_LED = re.compile(rf"第[{NUMERALS}]+|(?<![第{NUMERALS}])[{NUMERALS[1:]}](?=[{_CJK}])")
# A numeral and one character closed by punctuation: 两委179辆, 两新各领域, 双创:.
# (A space does not close it: bylines list names such as 李四伟.)
_BOUNDED_PAIR = re.compile(
    rf"(?<![第{NUMERALS}])[{NUMERALS[1:]}](?P<x>[{_CJK}])(?=[^\s{_CJK}]|[各等和与及的])"
)
# A count and a two-character name, kept for review: 开展四大比拼活动, 八项规定.
_COUNTED = re.compile(rf"(?<![第{NUMERALS}])[{NUMERALS[1:]}][个大项张种][{_CJK}]{{2}}")
_FRAME_TAIL = re.compile(rf"[{NUMERALS[1:]}][^\W\d{NUMERALS}]{{1,2}}$")
_CJK_RUN = re.compile(rf"[{_CJK}]*")
_LEADING_NUMERAL = re.compile(rf"第?[{NUMERALS}]+")
_NOT_A_COUNT = {"ns", "nr", "nt", "nrt", "nrfg"}  # 三峡 is a place before it is three


@dataclass
class _Candidate:
    name: str  # key of the name without its head: groups the spellings of one term
    start: int  # span of the term as printed
    end: int
    score: float


def mine(text: str) -> list[Entry]:
    """Jargon used in ``text``: one usage ``Entry`` per term, highest score first."""
    folded = fold_chars(text)
    quoted, claimed = _quoted_candidates(text, folded)
    found = quoted + _frame_candidates(folded, claimed)
    # One term, many spellings: “1310” and “1310”工作体系, “三学”机制 and 三学机制.
    groups: list[list[_Candidate]] = []
    known: dict[str, list[_Candidate]] = {}
    for candidate in sorted(found, key=lambda c: c.start):
        names = {candidate.name, key(folded[candidate.start : candidate.end])}
        group = next((known[n] for n in names if n in known), None)
        if group is None:
            groups.append(group := [])
        group.append(candidate)
        known.update(dict.fromkeys(names, group))
    entries = [_entry(text, folded, group) for group in groups]
    return sorted(entries, key=lambda e: (-e.score, e.start))


def _entry(text: str, folded: str, group: list[_Candidate]) -> Entry:
    best = max(group, key=lambda c: c.score)  # max keeps the first of equals
    repeated = 0.05 if len(group) > 1 else 0.0
    start, end = sentence_span(folded, best.start, best.end)
    return Entry(
        term=text[best.start : best.end],
        kind="usage",
        quote=text[start:end],
        start=start,
        end=end,
        score=round(min(1.0, best.score + repeated), 2),
    )


def sentence_span(folded: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``folded[start:end]``: after the last 。!?; or line break
    before it, through the next one (kept, unless it is the line break)."""
    begin = max(folded.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    while begin < start and folded[begin].isspace():
        begin += 1
    stops = [i for c in _SENTENCE_END if (i := folded.find(c, end)) != -1]
    stop = min(stops, default=len(folded))
    return begin, stop + (stop < len(folded) and folded[stop] != "\n")


def quoted_spans(original: str, folded: str) -> list[tuple[int, int]]:
    """``(open, close)`` positions of each quoted span, double or single quotes.

    Curly and corner quotes say which side they are on; a straight quote toggles.
    A span never crosses a line break, so one stray quote spoils one line at most.
    """
    spans = []
    for mark in "\"'":
        opened = None
        for i, char in enumerate(folded):
            if char == "\n":
                opened = None
            elif char == mark:
                if original[i] in _OPENERS or (opened is None and original[i] not in _CLOSERS):
                    opened = i
                elif opened is not None:
                    spans.append((opened, i))
                    opened = None
    return sorted(spans)


def head_after(folded: str, i: int) -> int:
    """Length of the institutional head that directly follows position ``i``, or 0.

    “1310”工作体系 -> 4; “1+3+N”招商工作机制 -> 6; “生态+产业”的模式 -> 0.
    """
    words = _CJK_RUN.match(folded, i).group()[:6]
    if not words or words[0] in _FUNCTION:
        return 0
    return next((k for k in range(len(words), 1, -1) if words[:k].endswith(HEADS)), 0)


def ending_head(name: str) -> str:
    """The institutional head ``name`` ends with, or ''."""
    return next((h for h in HEADS if name.endswith(h)), "")


@functools.cache
def numeral_lexicon() -> dict[str, str]:
    """Words of jieba's dictionary that begin with a numeral, with their part of speech."""
    import jieba  # only for its dictionary file: importing it builds nothing

    words = {}
    with jieba.get_dict_file() as lines:
        for line in lines:
            word, _, rest = line.decode("utf-8").strip().partition(" ")
            if word[:1] in NUMERALS:
                words[word] = rest.rpartition(" ")[2]
    return words


def _quoted_candidates(original: str, folded: str) -> tuple[list[_Candidate], list]:
    """Candidates from quoted names, and the spans claimed as names (no frames inside)."""
    candidates, claimed = [], []
    for opened, closed in quoted_spans(original, folded):
        inner = folded[opened + 1 : closed]
        if not 2 <= len(inner) <= 12 or _CLAUSE.search(inner):
            continue  # a list or a slogan: the frames inside it may still be names
        claimed.append((opened, closed + 1))
        head = head_after(folded, closed + 1)
        score = _quoted_score(inner, headed=bool(head or ending_head(inner)))
        if score is not None:
            candidates.append(_Candidate(key(inner), opened, closed + 1 + head, score))
    return candidates, claimed


def _quoted_score(inner: str, headed: bool) -> float | None:
    """Score of a quoted name, or None when it is plainly not jargon."""
    if _DIGIT_CODE.fullmatch(inner):
        return 0.9 + 0.05 * headed  # “1310”, “531”, “1+3+N”
    if is_frame(inner, quoted=True):
        return 0.85 + 0.05 * headed
    if re.search(r"\d", inner) or _HONOUR.search(inner) or "+" in inner or inner.endswith("系"):
        return None  # “40条”, “雷火2023”, honours, “生态+产业”, “三峡系”
    if len(inner) - len(ending_head(inner)) > 6:
        return None  # “要素跟着项目走”: a saying, not a name
    tail = _FRAME_TAIL.search(inner)
    if headed or (tail and is_frame(tail.group(), quoted=True)):
        return 0.6  # “精网实格”治理模式, “雁阵工程”, “碳排放双控”
    return 0.2


def is_frame(name: str, quoted: bool = False) -> bool:
    """Whether ``name`` opens with a count that names its parts: 四大比拼, 一村一品, 八八战略.

    Not a frame: an amount or a time (百日整治, “40条”, 三年行动), an idiom (四面八方),
    a place (三峡). Unquoted, a dictionary word that merely starts with a numeral (一体化,
    一流) is not one either, unless it is a numeral phrase (m) or an abbreviation (j, 两委).
    """
    alternating = _ALTERNATING.match(name)
    if alternating and _good_alternation(name, alternating):
        return True
    numeral = _LEADING_NUMERAL.match(name)
    if not numeral:
        return False
    rest = name[numeral.end() :]
    if rest and (rest[0] in _UNITS or not re.match(rf"[{_CJK}]", rest)):
        return False
    lexicon = numeral_lexicon()
    tag = next((lexicon[w] for n in (4, 3, 2) if (w := name[:n]) in lexicon), None)
    return tag not in _NOT_A_COUNT if quoted else tag in {None, "m", "j"}


def _good_alternation(folded: str, match: re.Match) -> bool:
    """Whether an ``_ALTERNATING`` match has a second half parallel to its first."""
    a, x, b = match["a"], match["x"], match["b"]
    tail = folded[match.end() : match.end() + len(x)]
    if len(tail) < len(x) or not re.fullmatch(rf"[^\W\d{NUMERALS}]+", tail):
        return False
    # The dictionary knows idioms (四面八方, 五湖四海) and a few set phrases (l) and
    # abbreviations (j) that are jargon indeed (一国两制, 五位一体).
    tag = numeral_lexicon().get(a + x + b + tail)
    if tag is not None:
        return tag in {"l", "j"}
    if x[0] in _FUNCTION or x[0] in "至到" or "届" in x:
        return False  # 一至五期, 1等6宗, 二十届三中全会
    if (x[0] in _CLASSIFIERS) != (tail[0] in _CLASSIFIERS):
        return False  # 一楼宇一个行业: a sentence, not two parallel halves
    if x[0] == tail[0] and x[0] not in _CLASSIFIERS:
        return False  # 一级抓一级
    if x[0] in _UNITS and x[0] != "级" and a != b:
        return False  # 六期三峡, 第1名3次; but 一户一策, 一月一评, 四级五调
    return a + x + b not in numeral_lexicon()  # 三合一门店: 三合一 is a word of its own


def _frame_candidates(folded: str, claimed: list[tuple[int, int]]) -> list[_Candidate]:
    """Numeric frames outside claimed quoted names; the weak ones only where no other is."""
    taken = bytearray(len(folded))  # one flag per character: linear, however many spans
    for start, end in claimed:
        taken[start:end] = b"\x01" * (end - start)
    found = []
    for candidate in (*_strong_frames(folded), *_weak_frames(folded)):
        if not any(taken[candidate.start : candidate.end]):
            found.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return found


def _strong_frames(folded: str) -> list[_Candidate]:
    """Codes (1+3+N), alternations (一村一品) and headed frames (四首经济)."""
    found = [
        _Candidate(key(m.group()), m.start(), m.end(), 0.75)
        for m in _UNQUOTED_CODE.finditer(folded)
    ]
    for match in _ALTERNATING.finditer(folded):
        if _good_alternation(folded, match):
            end = match.end() + len(match["x"])
            found.append(_Candidate(key(folded[match.start() : end]), match.start(), end, 0.75))
    for match in _NUMERAL_LED.finditer(folded):
        if headed := _headed_frame(folded, match.start(), match.end()):
            found.append(headed)
    return found


def _weak_frames(folded: str) -> list[_Candidate]:
    """A count and a name with no head (四大比拼, for review); a numeral and one
    character (两委, 两新, 双创), proposed unless the dictionary knows it as an ordinary
    word (二线, 二七, 六中)."""
    found = []
    for match in _COUNTED.finditer(folded):
        name = match.group()
        if is_frame(name) and name[2] not in _UNITS and not _FUNCTION & set(name):
            found.append(_Candidate(key(name), match.start(), match.end(), 0.35))
    for match in _BOUNDED_PAIR.finditer(folded):
        tag = numeral_lexicon().get(match.group(), "")
        if match["x"] not in _UNITS | _CLASSIFIERS | set("路届") and tag in {"", "j"}:
            score = 0.55 if tag else 0.5  # the dictionary knows 两委 as an abbreviation
            found.append(_Candidate(key(match.group()), match.start(), match.end(), score))
    return found


def _headed_frame(folded: str, at: int, after: int) -> _Candidate | None:
    """A numeral (``folded[at:after]``), a name and a head: 四首经济, 双碳经济, 第一议题制度.

    A bare count before the head (五大行动, 六项机制) names nothing of its own.
    """
    words = _CJK_RUN.match(folded, at).group()[:10]
    n = after - at
    if len(words) <= n or words[n] in _UNITS:
        return None
    k = next((k for k in range(n + 2, len(words) + 1) if ending_head(words[:k])), 0)
    content = words[n : k - len(ending_head(words[:k]))].lstrip("".join(_CLASSIFIERS))
    if k and content and is_frame(words[:k]):
        return _Candidate(key(words[:k]), at, at + k, 0.55)
    return None
