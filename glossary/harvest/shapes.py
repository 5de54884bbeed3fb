"""Shapes of coined terms: counts that name their parts, and institutional heads.

``is_frame(name)`` says whether a name opens with a count of its parts; ``frames_in(text)``
finds the frames of running text, each as a ``Frame`` (its span and a score);
``ending_head(name)`` is the head a name ends with::

    >>> is_frame("四大比拼"), is_frame("三年行动"), is_frame("一体化")
    (True, False, False)
    >>> text = "推动一村一品，打好四大攻坚战，大力发展四首经济"
    >>> [(text[f.start : f.end], f.score) for f in frames_in(text)]
    [('一村一品', 0.75), ('四首经济', 0.55), ('四大攻坚战', 0.35)]
    >>> ending_head("双十工程")
    '工程'

Not frames: amounts and times (百日整治, 三年行动), idioms (四面八方, 一刀切), places (三峡,
长三角一体化), enumerations (三是…, 四要…), ordinals (第六轮), streaks (六连冠), words in
which a numeral counts nothing (一盘棋, 三维), counts of places (三省一区) and frames cut
inside a word (四大攻坚|战). jieba's dictionary (``glossary.harvest.lexicon``) knows the
words.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from glossary.harvest import lexicon

HEADS = (
    "工作法", "机制", "模式", "体系", "工程", "行动", "制度", "理念", "战略", "改革",
    "经费", "清单", "计划", "规划", "经济", "企业",
)  # fmt: skip
_HEAD_RANK = {head: rank for rank, head in reversed(list(enumerate(HEADS)))}
_HEAD_LENGTHS = sorted({len(head) for head in HEADS})
HEAD_LAST = {head[-1] for head in HEADS}  # a head ends with one of these
NUMERALS = "一二两三四五六七八九十双"
COUNTING = set(NUMERALS + "百千万")
FUNCTION = set("的之和与及或等各")
CJK = "\u4e00-\u9fff"
CJK_ONLY = re.compile(rf"[{CJK}]+")
CJK_RUN = re.compile(rf"[{CJK}]*")
# The patterns that scan whole reports open with a character class: the regex engine
# then skips to the characters that can open a match instead of trying every position,
# which a lookbehind or an alternation in front defeats. So a lookbehind moves behind
# the first character ((?<!第)X is X(?<!第.)), and alternatives share their first
# character, told apart by a lookbehind ((?:〔1〕|[1]) is [〔[](?:(?<=〔)1〕|(?<=\[)1\])).
# Footnote and endnote markers: 〔1〕, ［1］ and [1] (folded alike), ⑴, ①.
NOTE = re.compile(r"[〔\[\u2460-\u2487](?:(?<=〔)\d{1,3}〕|(?<=\[)\d{1,3}\]|(?<=[\u2460-\u2487]))")
# After a numeral these make an amount, a time or an approximation, not a count of parts.
_AMOUNTS = set("年月日天周季时分秒岁次人名户位元亿万米亩吨倍余多几")
# These count things; quoted and followed by a name they still name a set (“五篇大文章”).
_COUNTERS = set("条处栋座所件篇场期届批辆台套份本级类家")
_UNITS = _AMOUNTS | _COUNTERS
_MEASURES = ("小时", "刻钟", "分钟", "公里", "公斤", "公顷", "平方", "千瓦")  # “一小时交通圈”
_CLASSIFIERS = set("个大项张种")
_ADMIN = set("省市县区乡镇村州盟旗地国")  # 三省一区, 九市一区, 中亚五国: places counted
# 1+3+N: (?<![\d.])\d+(?:\+[\dA-Za-z]+)+(?![\d.])
_UNQUOTED_CODE = re.compile(r"\d(?<![\d.]\d)\d*(?:\+[\dA-Za-z]+)+(?![\d.])", re.ASCII)
_NUM = rf"[{NUMERALS}]{{1,2}}|\d{{1,2}}"
# 一村一品, 4大基地5大产业: (?<!第)(?P<a>{_NUM})(?P<x>[^\W\d{NUMERALS}]{{1,3}}?)(?P<b>{_NUM})
_ALTERNATING = re.compile(
    rf"(?P<a>[{NUMERALS}\d](?<!第.)(?:(?<=[{NUMERALS}])[{NUMERALS}]?|(?<=\d)\d?))"
    rf"(?P<x>[^\W\d{NUMERALS}]{{1,3}}?)(?P<b>{_NUM})"
)
# Unquoted, 一 is an article far more often than a count (一是, 下一步), unless ordinal:
# 第[{NUMERALS}]+|(?<![第{NUMERALS}])[{NUMERALS[1:]}](?=[{CJK}])
_NUMERAL_LED = re.compile(
    rf"[第{NUMERALS[1:]}](?:(?<=第)[{NUMERALS}]+|(?<=[{NUMERALS[1:]}])(?<![第{NUMERALS}].)(?=[{CJK}]))"
)
# A numeral and one character closed by punctuation: 两委179辆, 两新各领域, 双创:.
# (A space does not close it: bylines list names such as 李四伟.)
_BOUNDED_PAIR = re.compile(
    rf"[{NUMERALS[1:]}](?<![第{NUMERALS}].)(?P<x>[{CJK}])(?=[^\s{CJK}]|[各等和与及的])"
)
# A count and a two-character name, kept for review: 开展四大比拼活动, 八项规定.
_COUNTED = re.compile(rf"[{NUMERALS[1:]}](?<![第{NUMERALS}].)[个大项张种][{CJK}]{{2}}")
_LEADING_NUMERAL = re.compile(rf"第?[{NUMERALS}]+")
_NOT_A_COUNT = {"ns", "nr", "nt", "nrt", "nrfg"}  # 三峡 is a place before it is three
_ORDINAL_OF = set("轮回批期届次个")  # 第六轮, 第十五个五年规划: the Nth one, not N parts
_NOT_IN_NAME = FUNCTION | set("是在了为对把被将从向以于到至并有也都就不而")


class Frame(NamedTuple):
    """A frame found in running text: its span, its score, and a footnote marker inside
    the span that is no part of the term (八项重点任务〔1〕)."""

    start: int
    end: int
    score: float
    cut: tuple[int, int] = (0, 0)


def ending_head(name: str) -> str:
    """The institutional head ``name`` ends with, or ''."""
    # A look-up per length of head rather than a test per head: this runs for every
    # name and every cut of one. Of heads that both end a name, HEADS' order decides.
    found = [name[-n:] for n in _HEAD_LENGTHS if name[-n:] in _HEAD_RANK]
    return min(found, key=_HEAD_RANK.__getitem__) if found else ""


def first_head_end(words: str, start: int) -> int:
    """The least ``k >= start`` where ``words[:k]`` ends with a head, else 0."""
    for k in range(start, len(words) + 1):
        # Only a head's last character can end one: most places are ruled out at a look.
        if words[k - 1] in HEAD_LAST and ending_head(words[:k]):
            return k
    return 0


def _cjk(char: str) -> bool:
    """``re.match(f"[{CJK}]", char)`` for one character, without the regex."""
    return "\u4e00" <= char <= "\u9fff"


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
    numeral = _LEADING_NUMERAL.match(name)
    if not numeral:
        return False
    if name.endswith("的") or _ordinary_numeral_word(name):
        return False  # “一发中的”, “一盘棋”
    rest = name[numeral.end() :]
    if (rest and not _cjk(rest[0])) or rest[:1] == "连":
        return False  # “九连A”, “六连冠”: a streak, not a count of parts
    counted = quoted and rest[:1] in _COUNTERS and CJK_ONLY.fullmatch(rest)
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
    if len(tail) < len(x) or not CJK_ONLY.fullmatch(x + tail):
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
    if x[0] in FUNCTION or x[0] in "至到比是要" or "届" in x or "第" in x or x == "期":
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


@functools.cache
def numeral_lexicon() -> dict[str, str]:
    """Words of jieba's dictionary that begin with a numeral, with their part of speech."""
    return {w: t for w, t in lexicon.words().tags.items() if w[0] in NUMERALS}


def frames_in(folded: str) -> list[Frame]:
    """The frames of a folded text, the stronger marks first: frames a footnote closes,
    codes, alternations and headed frames; then counts and numeral pairs. They may
    overlap: the caller keeps the first of those that do."""
    return [*_strong_frames(folded), *_weak_frames(folded)]


def _strong_frames(folded: str) -> list[Frame]:
    """Frames a footnote marks (八项重点任务〔1〕), codes (1+3+N), alternations (一村一品)
    and headed frames (四首经济)."""
    found = _noted_frames(folded)
    found += [Frame(m.start(), m.end(), 0.75) for m in _UNQUOTED_CODE.finditer(folded)]
    for match in _ALTERNATING.finditer(folded):
        if _good_alternation(folded, match, quoted=False):
            end = match.end() + len(match["x"])
            found.append(Frame(match.start(), end, 0.75))
    for match in _NUMERAL_LED.finditer(folded):
        if headed := _headed_frame(folded, match.start(), match.end()):
            found.append(headed)
    return found


def _noted_frames(folded: str) -> list[Frame]:
    """A frame that a footnote marker closes: the report explains it in a note, and the
    marker says where it ends (八项重点任务〔1〕, not 八项重点)."""
    found = []
    for note in NOTE.finditer(folded):
        for at in range(_run_start(folded, note.start(), 10), note.start() - 1):
            name = folded[at : note.start()]
            if name[0] in NUMERALS[1:] and not _enumerates(folded, at + 1) and is_frame(name):
                found.append(Frame(at, note.end(), 0.6, note.span()))
                break
    return found


def _weak_frames(folded: str) -> list[Frame]:
    """A count and a name with no head (四大比拼, for review); a numeral and one
    character (两委, 两新, 双创), proposed unless the dictionary knows it as an ordinary
    word (二线, 二七, 六中)."""
    found = []
    for match in _COUNTED.finditer(folded):
        end = _word_end(folded, match.start(), match.end())
        name = folded[match.start() : end]
        if end and is_frame(name) and name[2] not in _UNITS and not FUNCTION & set(name):
            found.append(Frame(match.start(), end, 0.35))
    for match in _BOUNDED_PAIR.finditer(folded):
        if _numeral_pair(folded, match):
            score = 0.55 if numeral_lexicon().get(match.group()) else 0.5  # 两委 is j
            found.append(Frame(match.start(), match.end(), score))
    return found


def _headed_frame(folded: str, at: int, after: int) -> Frame | None:
    """A numeral (``folded[at:after]``), a name and a head: 四首经济, 双碳经济, 第一议题制度.

    A bare count before the head (五大行动, 六项机制) names nothing of its own, nor does
    a count of ordinary things (十大标志性改革), the Nth round of one (第六轮三年行动,
    第十五个五年规划) or a place (珠三角水资源配置工程).
    """
    words = CJK_RUN.match(folded, at, at + 10).group()
    n = after - at
    if len(words) <= n or words[n] in _UNITS or _enumerates(folded, after):
        return None
    if (words[0] == "第" and words[n] in _ORDINAL_OF) or words[n] in _ADMIN:
        return None  # 第六轮三年行动; 三地协同机制, 五市两年行动: places counted
    k = first_head_end(words, n + 2)
    content = words[n : k - len(ending_head(words[:k]))]
    counted = content.lstrip("".join(_CLASSIFIERS))
    if not k or not counted or len(counted) > 4 or _NOT_IN_NAME & set(counted):
        return None
    if counted != content and lexicon.common(counted):
        return None  # 十大标志性改革, 四大专项行动: ordinary things counted
    if lexicon.runs_across(folded, at) or lexicon.runs_across(folded, at + k):
        return None
    if words[n] not in _CLASSIFIERS and lexicon.common(words[: n + 1]):
        return None  # 三维体系, 四方合作机制: 三维 and 四方 are words, not counts
    if is_frame(words[:k]):
        return Frame(at, at + k, 0.55)
    return None


def _word_end(folded: str, start: int, end: int) -> int:
    """Where a name cut at ``end`` really ends: past the word it cuts (四大攻坚|战 ->
    四大攻坚战, 三个大台|阶 -> 三个大台阶), or 0 when it still ends inside one."""
    limit = min(len(folded), start + 7)
    while end < limit and lexicon.runs_across(folded, end) and _cjk(folded[end]):
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
        neighbours.append(CJK_RUN.match(folded, end + 1).group()[:6])
    return not all(n[:1] in NUMERALS or n[-2:-1] in NUMERALS for n in neighbours if n)


def _run_start(folded: str, end: int, longest: int) -> int:
    """Where the run of Chinese characters that ends at ``end`` begins, ``longest`` back
    at most."""
    start = end
    while start > max(0, end - longest) and _cjk(folded[start - 1]):
        start -= 1
    return start


def _enumerates(folded: str, after: int) -> bool:
    """Whether the numeral before ``after`` counts a list: 三是…, 四要深化…, but 三要素."""
    char = folded[after : after + 1]
    if char == "是":
        return True
    return char == "要" and not (lexicon.tag(folded[after : after + 2]) or "").startswith("n")
