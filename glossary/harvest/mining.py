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

jieba's dictionary (``glossary.harvest.lexicon``) is the lexicon of ordinary words:
idioms (四面八方), places (三峡, 长三角) and words (一体化) shaped like frames are not jargon,
and no name ends inside a word (“十五五”时期经济|社会, 四大攻坚|战).
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from glossary.harvest import lexicon
from glossary.harvest.records import Entry
from glossary.text import fold_chars, key

PROPOSE = 0.5  # a candidate at or above this score is proposed to curators
HEADS = (
    "工作法", "机制", "模式", "体系", "工程", "行动", "制度", "理念", "战略", "改革",
    "经费", "清单", "计划", "规划", "经济", "企业",
)  # fmt: skip
NUMERALS = "一二两三四五六七八九十双"
# After a numeral these make an amount, a time or an approximation, not a count of parts.
_AMOUNTS = set("年月日天周季时分秒岁次人名户位元亿万米亩吨倍余多几")
# These count things; quoted and followed by a name they still name a set (“五篇大文章”).
_COUNTERS = set("条处栋座所件篇场期届批辆台套份本级类家")
_UNITS = _AMOUNTS | _COUNTERS
_MEASURES = ("小时", "刻钟", "分钟", "公里", "公斤", "公顷", "平方", "千瓦")  # “一小时交通圈”
_CLASSIFIERS = set("个大项张种")
_FUNCTION = set("的之和与及或等各")
_ADMIN = set("省市县区乡镇村州盟旗地国")  # 三省一区, 九市一区, 中亚五国: places counted
# A name ending in one of these is a place or a project, not a coinage: “零隐患村”.
_PLACES = (
    "县", "村", "镇", "乡", "大桥", "隧道", "水库", "机场", "项目", "公司", "集团",
    "大学", "学院", "医院",
)  # fmt: skip
_CJK = "\u4e00-\u9fff"
_SENTENCE_END = "。!?;\n"
_OPENERS, _CLOSERS = "“‘「『〝", "”’」』〞〟"
_CLAUSE = re.compile(r"[、,;:。!?·…\s]")
_HONOUR = re.compile(
    "示范|先进|百强|千强|典型|案例|标杆|模范|集体|名录|之都|试点|称号|^全国|^全省|^中国"
)
_DIGIT_CODE = re.compile(r"\d{2,4}|\d+(?:[+×][\dA-Za-z]+)+", re.ASCII)
_CODE_LED = re.compile(rf"\d+(?:[+×][\dA-Za-z]+)+(?=[{_CJK}]+$)", re.ASCII)  # “4+4科创工程”
_UNQUOTED_CODE = re.compile(r"(?<![\d.])\d+(?:\+[\dA-Za-z]+)+(?![\d.])", re.ASCII)
# Minutes and seconds written with straight quotes (02'15'', 1'30"): primes, not quotes.
_TIMESTAMP = re.compile(r"\d'\d{1,2}(?:''|\")?|\d''")
# Footnote and endnote markers: 〔1〕, ［1］ and [1] (folded alike), ⑴, ①.
_NOTE = re.compile(r"〔\d{1,3}〕|\[\d{1,3}\]|[\u2460-\u2487]")
_NOTE_AT_END = re.compile(rf"(?:{_NOTE.pattern})$")
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
_CJK_ONLY = re.compile(rf"[{_CJK}]+")
_PERIOD = re.compile(r"十?[一二三四五六七八九]五")  # “十五五”: a five-year plan's years
_LEADING_NUMERAL = re.compile(rf"第?[{NUMERALS}]+")
_NOT_A_COUNT = {"ns", "nr", "nt", "nrt", "nrfg"}  # 三峡 is a place before it is three
_ORDINAL_OF = set("轮回批期届次个")  # 第六轮, 第十五个五年规划: the Nth one, not N parts
# Particles and verbs that never sit inside a four-character coinage.
_NOT_IN_COINAGE = _FUNCTION | set("是在了为对把被将从向以于到至并有也都就不而")
_COUNTING = set(NUMERALS + "百千万")  # a coinage with a numeral is a frame, found as one


@dataclass
class _Candidate:
    name: str  # key of the name without its head: groups the spellings of one term
    start: int  # span of the term as printed
    end: int
    score: float
    cut: tuple[int, int] = (0, 0)  # a footnote marker inside the span, left out of the term


def mine(text: str) -> list[Entry]:
    """Jargon used in ``text``: one usage ``Entry`` per term, highest score first."""
    folded = fold_chars(text)
    quoted, claimed = _quoted_candidates(text, folded)
    found = quoted + _frame_candidates(folded, claimed)
    # One term, many spellings: “1310” and “1310”工作体系, “三学”机制 and 三学机制.
    groups: list[list[_Candidate]] = []
    known: dict[str, list[_Candidate]] = {}
    for candidate in sorted(found, key=lambda c: c.start):
        names = {candidate.name, key(_printed(folded, candidate))}
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
    begin = max(folded.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    while begin < start and folded[begin].isspace():
        begin += 1
    stops = [i for c in _SENTENCE_END if (i := folded.find(c, end)) != -1]
    stop = min(stops, default=len(folded))
    return begin, stop + (stop < len(folded) and folded[stop] != "\n")


def quoted_spans(original: str, folded: str) -> list[tuple[int, int]]:
    """``(open, close)`` positions of each quoted span, double or single quotes.

    Curly and corner quotes say which side they are on; a straight quote toggles, unless
    it is a prime (02'15''). A span never crosses a line break, so one stray quote spoils
    one line at most.
    """
    primes = {
        m.start() + j
        for m in _TIMESTAMP.finditer(folded)
        for j, char in enumerate(m.group())
        if char in "'\""
    }
    spans = []
    for mark in "\"'":
        opened = None
        for i, char in enumerate(folded):
            if char == "\n":
                opened = None
            elif char == mark and i not in primes:
                if original[i] in _OPENERS or (opened is None and original[i] not in _CLOSERS):
                    opened = i
                elif opened is not None:
                    spans.append((opened, i))
                    opened = None
    return sorted(spans)


def head_after(folded: str, i: int) -> int:
    """Length of the institutional head that directly follows position ``i``, or 0.

    “1310”工作体系 -> 4; “1+3+N”招商工作机制 -> 6; “生态+产业”的模式 -> 0; and 0 where the
    head runs on into a word (“十五五”时期经济社会) or ends a clause that a verb opens
    (“一企一策”实施重点企业).
    """
    words = _CJK_RUN.match(folded, i).group()[:6]
    if not words or words[0] in _FUNCTION:
        return 0
    for k in range(len(words), 1, -1):
        head = ending_head(words[:k])
        if head and _attached(folded, i, words[: k - len(head)], k):
            return k
    return 0


def _attached(folded: str, i: int, modifier: str, k: int) -> bool:
    """Whether a head ``k`` characters after ``i`` belongs to the name before ``i``."""
    if _FUNCTION & set(modifier) or lexicon.runs_across(folded, i + k, only_common=True):
        return False  # “无证明省份”建设等改革, “环喜马拉雅”企业家
    after = folded[i + k : i + k + 1]
    if folded[i : i + k] == "经济" and re.match(f"[{_CJK}]", after) and after not in _FUNCTION:
        return False  # “X”经济转型, 经济社会: 经济 opens a phrase of its own
    if modifier.startswith(("时期", "期间", "以来")):
        return False  # “十五五”时期国民经济: a time, then what happens in it
    # A common verb with an object before the head starts a clause: “十大工程”纳入国家规划.
    verb = modifier[:2]
    return len(modifier) <= 2 or not (lexicon.tag(verb) == "v" and lexicon.common(verb))


def ending_head(name: str) -> str:
    """The institutional head ``name`` ends with, or ''."""
    return next((h for h in HEADS if name.endswith(h)), "")


@functools.cache
def numeral_lexicon() -> dict[str, str]:
    """Words of jieba's dictionary that begin with a numeral, with their part of speech."""
    return {w: t for w, t in lexicon.words().tags.items() if w[0] in NUMERALS}


def _quoted_candidates(original: str, folded: str) -> tuple[list[_Candidate], list]:
    """Candidates from quoted names, and the spans claimed as names (no frames inside)."""
    candidates, claimed = [], []
    taken_to = -1  # end of the last span taken whole: the quotes nested in it are its own
    for opened, closed in quoted_spans(original, folded):
        if opened < taken_to:
            continue
        inner = folded[opened + 1 : closed]
        name = "".join(c for c in inner if c not in "\"'")  # “‘两免一补三保障’救助政策”
        if _CLAUSE.search(name):
            if len(name) <= 24:  # a slogan or a list: nothing is lifted out of it
                claimed.append((opened, closed + 1))
                candidates += _quoted_list(folded, opened, closed)
            continue
        note = _NOTE_AT_END.search(inner)
        if note:  # “三区一廊〔2〕”: the marker is no part of the name
            name = "".join(c for c in inner[: note.start()] if c not in "\"'")
        if not 2 <= len(name) <= 12:
            continue
        taken_to = closed
        head = head_after(folded, closed + 1)
        if _PERIOD.fullmatch(name) and (
            head > 4 or not folded.endswith("规划", 0, closed + 1 + head)
        ):
            head = 0  # “十五五”规划, “九五”普法规划; but “十四五”经济, “十五五”碳达峰行动
        claimed.append((opened, closed + 1 + head))  # “政会银企”四方合作机制: one name
        score = _quoted_score(name, head > 0, folded[closed + 1 : closed + 2])
        if score is not None:
            cut = (opened + 1 + note.start(), opened + 1 + note.end()) if note else (0, 0)
            end = closed + 1 + head
            candidates.append(_Candidate(key(name), opened, end, score, cut))
    return candidates, claimed


def _quoted_list(folded: str, opened: int, closed: int) -> list[_Candidate]:
    """The names in a quoted list such as “一核三区、两轴一带”: the frames among its parts.

    Alternations of one shape (“一楼一业、一楼一特、一楼一品”) are sibling terms; other
    frames listed together make one term (“一核三区、两轴一带”, “五统一、一开放”,
    “一张床、一间房、一套房”). In a slogan, only the frames are names (“十比十拼 共同缔造”);
    the rest (“马上就办、真抓实干”) is not lifted out of it.
    """
    inner = folded[opened + 1 : closed]
    parts = re.split(r"[、·\s]", inner)  # “十比十拼 共同缔造”, “四在农家·和美乡村”
    if len(parts) < 2 or _CLAUSE.search(re.sub(r"[、·\s]", "", inner)):
        return []  # a sentence or a slogan, not a list of names
    if not all(2 <= len(p) <= 6 and _CJK_ONLY.fullmatch(p) for p in parts):
        return []
    frames = [is_frame(p, quoted=True) for p in parts]
    paired = all(sum(c in NUMERALS for c in p) >= 2 for p in parts)  # 一楼一业, 一市一试点
    shapes = {tuple(c if c in NUMERALS else "" for c in p) for p in parts}
    if not all(frames):  # a slogan: its frames by the stricter test of unquoted text
        frames = [is_frame(p) for p in parts]  # not 两岸同心 in “山水相依·两岸同心”
    elif not (paired and len(shapes) == 1):  # not siblings
        if len(inner) <= 16:
            return [_Candidate(key(inner), opened, closed + 1, 0.85)]
        frames = [paired] * len(parts)  # too long for one name: only alternations stand alone
    found, at = [], opened + 1
    for part, frame in zip(parts, frames, strict=True):
        if frame:
            found.append(_Candidate(key(part), at, at + len(part), 0.85))
        at += len(part) + 1
    return found


def _quoted_score(name: str, headed: bool, after: str) -> float | None:
    """Score of a quoted name (``headed``: a head follows the quotes; ``after``: the
    character after them), or None when it is plainly not jargon."""
    own_head = bool(ending_head(name))  # “双十工程”
    if name.endswith("系") and not own_head:
        return None  # “三峡系”, “长江系”: a family of companies; but “四个体系”
    if _DIGIT_CODE.fullmatch(name):
        if name.isdigit() and after and after in "条号项个件款类":
            return None  # 稳增长“21”条, “00”号公路: a number of articles, a road
        return 0.9 + 0.05 * (headed or own_head)  # “1310”, “531”, “1+3+N”, “4×4”
    if _CODE_LED.match(name) and own_head and not _FUNCTION & set(name):
        return 0.95  # “4+4科创工程”; but “7×24小时”
    if is_frame(name, quoted=True):
        if _place(name) or re.search(r"\d+[万亿]?元$", name):
            return None  # “十大产业项目”, “两个10亿元”: counted projects, sums; not “三区一村”
        return 0.85 + 0.05 * (headed or own_head)
    if re.search(r"\d", name) or _HONOUR.search(name) or "+" in name:
        return None  # “40条”, “雷火2023”, honours, “生态+产业”
    if _place(name) or _FUNCTION & set(name):
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
    head = next((p for p in _PLACES if name.endswith(p)), "")
    return bool(head) and len(name) > len(head) and name[-len(head) - 1] not in _COUNTING


def is_frame(name: str, quoted: bool = False) -> bool:
    """Whether ``name`` opens with a count that names its parts: 四大比拼, 一村一品, 八八战略.

    Not a frame: an amount or a time (百日整治, “40条”, 三年行动), an idiom (四面八方,
    “一刀切”), a place (三峡), a word in which 一 counts nothing (“一盘棋”). Unquoted, a
    dictionary word that merely starts with a numeral (一体化, 一流) is not one either,
    unless it is a numeral phrase (m) or an abbreviation (j, 两委). Quoted, a counter may
    follow the numeral: “五篇大文章”, “四件大事”.
    """
    alternating = _ALTERNATING.match(name)
    if alternating and _good_alternation(name, alternating, quoted):
        return True
    if name.endswith("的") or _ordinary_numeral_word(name):
        return False  # “一发中的”, “一盘棋”
    numeral = _LEADING_NUMERAL.match(name)
    if not numeral:
        return False
    rest = name[numeral.end() :]
    if (rest and not re.match(rf"[{_CJK}]", rest)) or rest[:1] == "连":
        return False  # “九连A”, “六连冠”: a streak, not a count of parts
    counted = quoted and rest[:1] in _COUNTERS and _CJK_ONLY.fullmatch(rest)
    if (rest and rest[0] in _UNITS and not counted) or rest.startswith(_MEASURES):
        return False
    lexicon_ = numeral_lexicon()
    word = next((w for n in (4, 3, 2) if (w := name[:n]) in lexicon_), None)
    tag = lexicon_.get(word)
    if quoted:  # a rare place name may open a count: “三北精神”, “四区一高地”; 四川 does not
        return tag not in _NOT_A_COUNT or (word != name and not lexicon.common(word))
    return tag in {None, "m", "j"}


def _ordinary_numeral_word(name: str) -> bool:
    """A dictionary word that counts nothing: an idiom (一刀切), or 一 + a word (一盘棋,
    一站式, 一揽子) unless the dictionary calls it an abbreviation."""
    tag = lexicon.tag(name)
    if tag is None:
        return False
    return tag == "i" or (name[0] == "一" and name[1] not in NUMERALS and tag != "j")


def _good_alternation(folded: str, match: re.Match, quoted: bool = True) -> bool:
    """Whether an ``_ALTERNATING`` match has a second half parallel to its first."""
    a, x, b = match["a"], match["x"], match["b"]
    tail = folded[match.end() : match.end() + len(x)]
    if len(tail) < len(x) or not _CJK_ONLY.fullmatch(x + tail):
        return False  # also hashes such as 93a14c: letters are no parts
    if a.isdigit() != b.isdigit():
        return False  # 7号线一期, 2款一类: a count and a number, not two halves
    if a.isdigit() and a != b and x[0] not in _CLASSIFIERS:
        return False  # 3县5乡, 6组10家: counts; but 4大基地5大产业
    # The dictionary knows idioms (四面八方, 五湖四海) and a few set phrases (l) and
    # abbreviations (j) that are jargon indeed (一国两制, 五位一体).
    tag = numeral_lexicon().get(a + x + b + tail)
    if tag is not None:
        return tag in {"l", "j"}
    if x[0] in _FUNCTION or x[0] in "至到比是要" or "届" in x or "第" in x or x == "期":
        return False  # 一至五期, 1等6宗, 3比1, 四是进一步, 二十届三中全会, 三级第三轮, 一期一步
    if len(x) > 1 and _ordinary(b[-1] + tail[0]):
        return False  # 一批世界一流企业: 一流 is a word, and 一 counts nothing in it
    if (x[0] in _CLASSIFIERS) != (tail[0] in _CLASSIFIERS):
        return False  # 一楼宇一个行业: a sentence, not two parallel halves
    if x[0] == tail[0] and x[0] not in _CLASSIFIERS:
        return False  # 一级抓一级
    if a != b and (x[0] in _UNITS - {"级"} or tail[0] in _AMOUNTS | {"期"}):
        return False  # 六期三峡, 第1名3次, 两江三期, 三餐四季; but 一户一策, 四级三类
    if not quoted and x[-1] in _ADMIN and tail[-1] in _ADMIN:
        return False  # 三省一区, 九市一区: places counted
    end = match.end() + len(tail)
    if not quoted and (
        lexicon.runs_across(folded, match.start()) or lexicon.runs_across(folded, end)
    ):
        return False  # 长三角一体化, 举一反三, 北三县一体化, 开一备三强度
    return a + x + b not in numeral_lexicon()  # 三合一门店: 三合一 is a word of its own


def _ordinary(word: str) -> bool:
    """Whether a numeral and what follows make an ordinary word (一流, 三维, 四方), not a
    count: common in the dictionary, and not a numeral phrase (一户, 一批) or abbreviation."""
    return lexicon.common(word) and lexicon.tag(word) not in ("m", "q", "mq", "j")


def _frame_candidates(folded: str, claimed: list[tuple[int, int]]) -> list[_Candidate]:
    """Numeric frames and coinages outside claimed quoted names; the weak ones only
    where no other is."""
    taken = bytearray(len(folded))  # one flag per character: linear, however many spans
    for start, end in claimed:
        taken[start:end] = b"\x01" * (end - start)
    found = []
    for candidate in (*_strong_frames(folded), *_weak_frames(folded), *_coinages(folded)):
        if not any(taken[candidate.start : candidate.end]):
            found.append(candidate)
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
    return found


def _strong_frames(folded: str) -> list[_Candidate]:
    """Frames a footnote marks (八项重点任务〔1〕), codes (1+3+N), alternations (一村一品)
    and headed frames (四首经济)."""
    found = _noted_frames(folded)
    found += [
        _Candidate(key(m.group()), m.start(), m.end(), 0.75)
        for m in _UNQUOTED_CODE.finditer(folded)
    ]
    for match in _ALTERNATING.finditer(folded):
        if _good_alternation(folded, match, quoted=False):
            end = match.end() + len(match["x"])
            name = key(folded[match.start() : end])
            found.append(_Candidate(name, match.start(), end, 0.75))
    for match in _NUMERAL_LED.finditer(folded):
        if headed := _headed_frame(folded, match.start(), match.end()):
            found.append(headed)
    return found


def _noted_frames(folded: str) -> list[_Candidate]:
    """A frame that a footnote marker closes: the report explains it in a note, and the
    marker says where it ends (八项重点任务〔1〕, not 八项重点)."""
    found = []
    for note in _NOTE.finditer(folded):
        for at in range(_run_start(folded, note.start(), 10), note.start() - 1):
            name = folded[at : note.start()]
            if name[0] in NUMERALS[1:] and not _enumerates(folded, at + 1) and is_frame(name):
                found.append(_Candidate(key(name), at, note.end(), 0.6, note.span()))
                break
    return found


def _weak_frames(folded: str) -> list[_Candidate]:
    """A count and a name with no head (四大比拼, for review); a numeral and one
    character (两委, 两新, 双创), proposed unless the dictionary knows it as an ordinary
    word (二线, 二七, 六中)."""
    found = []
    for match in _COUNTED.finditer(folded):
        end = _word_end(folded, match.start(), match.end())
        name = folded[match.start() : end]
        if end and is_frame(name) and name[2] not in _UNITS and not _FUNCTION & set(name):
            found.append(_Candidate(key(name), match.start(), end, 0.35))
    for match in _BOUNDED_PAIR.finditer(folded):
        if _numeral_pair(folded, match):
            score = 0.55 if numeral_lexicon().get(match.group()) else 0.5  # 两委 is j
            name = key(match.group())
            found.append(_Candidate(name, match.start(), match.end(), score))
    return found


def _word_end(folded: str, start: int, end: int) -> int:
    """Where a name cut at ``end`` really ends: past the word it cuts (四大攻坚|战 ->
    四大攻坚战, 三个大台|阶 -> 三个大台阶), or 0 when it still ends inside one."""
    limit = min(len(folded), start + 7)
    while end < limit and lexicon.runs_across(folded, end) and re.match(f"[{_CJK}]", folded[end]):
        end += 1
    return 0 if lexicon.runs_across(folded, end) else end


def _numeral_pair(folded: str, match: re.Match) -> bool:
    """Whether a numeral and one character (``_BOUNDED_PAIR``) name something: not an
    enumeration (五是), a count of places (三省, 五国) or characters (“人民”二字), a part of
    a word (东三省, 乙二醇, 前十强) or one name among others listed (三都、贞丰)."""
    x = match["x"]
    if x in _UNITS | _CLASSIFIERS | _ADMIN | set("路届是要字"):
        return False
    if numeral_lexicon().get(match.group(), "j") != "j":
        return False  # the dictionary knows 二线, 二七, 六中 as ordinary words
    if lexicon.runs_across(folded, match.start()):
        return False
    return not _listed_among_names(folded, match.start(), match.end())


def _listed_among_names(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` is one item of a 、 list whose neighbours are not
    numeral pairs too: 在册亨、罗甸、三都、贞丰 lists counties, 一产、二产、三产 counts."""
    neighbours = []
    if start > 0 and folded[start - 1] == "、":
        neighbours.append(folded[_run_start(folded, start - 1, 8) : start - 1])
    if end < len(folded) and folded[end] == "、":
        neighbours.append(_CJK_RUN.match(folded, end + 1).group()[:6])
    return not all(n[:1] in NUMERALS or n[-2:-1] in NUMERALS for n in neighbours if n)


def _run_start(folded: str, end: int, longest: int) -> int:
    """Where the run of Chinese characters that ends at ``end`` begins, ``longest`` back
    at most."""
    start = end
    while start > max(0, end - longest) and re.match(f"[{_CJK}]", folded[start - 1]):
        start -= 1
    return start


def _enumerates(folded: str, after: int) -> bool:
    """Whether the numeral before ``after`` counts a list: 三是…, 四要深化…, but 三要素."""
    char = folded[after : after + 1]
    if char == "是":
        return True
    return char == "要" and not (lexicon.tag(folded[after : after + 2]) or "").startswith("n")


def _headed_frame(folded: str, at: int, after: int) -> _Candidate | None:
    """A numeral (``folded[at:after]``), a name and a head: 四首经济, 双碳经济, 第一议题制度.

    A bare count before the head (五大行动, 六项机制) names nothing of its own, nor does
    a count of ordinary things (十大标志性改革), the Nth round of one (第六轮三年行动,
    第十五个五年规划) or a place (珠三角水资源配置工程).
    """
    words = _CJK_RUN.match(folded, at).group()[:10]
    n = after - at
    if len(words) <= n or words[n] in _UNITS or _enumerates(folded, after):
        return None
    if (words[0] == "第" and words[n] in _ORDINAL_OF) or words[n] in _ADMIN:
        return None  # 第六轮三年行动; 三地协同机制, 五市两年行动: places counted
    k = next((k for k in range(n + 2, len(words) + 1) if ending_head(words[:k])), 0)
    content = words[n : k - len(ending_head(words[:k]))]
    counted = content.lstrip("".join(_CLASSIFIERS))
    if not k or not counted or len(counted) > 4 or _NOT_IN_COINAGE & set(counted):
        return None
    if counted != content and lexicon.common(counted):
        return None  # 十大标志性改革, 四大专项行动: ordinary things counted
    if lexicon.runs_across(folded, at) or lexicon.runs_across(folded, at + k):
        return None
    if words[n] not in _CLASSIFIERS and lexicon.common(words[: n + 1]):
        return None  # 三维体系, 四方合作机制: 三维 and 四方 are words, not counts
    if is_frame(words[:k]):
        return _Candidate(key(words[:k]), at, at + k, 0.55)
    return None


def _coinages(folded: str) -> list[_Candidate]:
    """Unquoted runs of four characters that recur and that the dictionary cannot make
    up from its words (专精特新, 接诉即办, 源网荷储), kept for review: as many slogans
    (提质增效) pass the same test, so their form alone proposes nothing."""
    starts: dict[str, list[int]] = defaultdict(list)
    for run in re.finditer(rf"[{_CJK}]{{4,}}", folded):
        for i in range(run.start(), run.end() - 3):
            starts[folded[i : i + 4]].append(i)
    found = []
    for word, at in starts.items():
        if len(at) < 2 or not _coined(word):
            continue
        clean = [i for i in at if not lexicon.runs_across(folded, i)]
        clean = [i for i in clean if not lexicon.runs_across(folded, i + 4)]
        if len(clean) >= 2:
            found.append(_Candidate(key(word), clean[0], clean[0] + 4, 0.4))
    return found


def _coined(word: str) -> bool:
    """Whether four characters look like a compression: four different characters, no
    numeral or particle, and no word of the dictionary in them that is seen often."""
    if len(set(word)) < 4 or set(word) & _NOT_IN_COINAGE or set(word) & _COUNTING:
        return False
    if lexicon.tag(word) is not None:
        return False
    return not any(lexicon.common(word[i:j]) for i in range(3) for j in range(i + 2, 5))
