"""Inline definitions: a report saying, mid-sentence, what one of its terms means.

``inline_definitions(text)`` finds the shapes reports use, each with the sentence it
came from::

    >>> entry, = inline_definitions(
    ...     "实行“领导示范带学、端正学风促学、随机抽查督学”的“三学”机制;")
    >>> entry.term, entry.parts
    ('“三学”机制', ['领导示范带学', '端正学风促学', '随机抽查督学'])

* a quoted list, then the term: “A、B、C”的“三学”机制, “A、B、C、D”四首经济;
* a list, 等, then the quoted term: A、B、C、D、E等“五大工程”;
* a term with its parts in brackets: 三农(农业、农村、农民);
* a term glossed in brackets: “两重”(国家重大战略实施和重点领域安全能力建设),
  新型工业化(以…为特征的工业化);
* a term, then a verb that says "means": “双下降”即…, 两免一补,是指…, 所谓“X”,就是…,
  “首贷户”,指的是…;
* a back-reference: 推行“林长制”改革。该项改革是指… defines “林长制”改革.

A list counts as a definition only when its length is a count the term announces
(``frames.announced_counts``): 三学 needs three parts, 四首 four. Brackets that are no
gloss (dates, units, places, notes such as 牵头单位:…, 以下简称, (境), a Latin
abbreviation) are ordinary parentheticals. ``X——“…”`` quotes a saying and defines
nothing. English printed beside a definition (in its brackets, after it on the line, or
on the next line) is never part of it: it becomes the entry's ``english``. Definitions
and terms are always slices of the text. Scores run higher when the count matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from glossary import frames
from glossary.harvest.mining import (
    HEADS,
    NUMERALS,
    PROPOSE,
    Quotes,
    ending_head,
    first_of,
    head_after,
    last_of,
    mine,
    quotes,
    sentence_span,
)
from glossary.harvest.records import Entry
from glossary.text import fold_chars, fold_width

MAX_TERM = 12  # an unquoted "term" longer than this is a clause, not a name
MAX_QUOTED = 16  # a longer quotation is a saying, not a name
_CJK = "\u4e00-\u9fff"
_CLASSIFIERS = "个大项张种类条"
# Words that open a clause, not a list item or a term: 启动A、B、C等“五健”行动,
# 加快推进新型工业化(…), 我们将聚力实施…; a subject or an adverb, then a verb.
_OPENER = re.compile(
    r"(?:我们|我省|我市|我区|我县|全省|全市|今年|明年|同时|并|还|将|要|继续|进一步|着力|聚力|全面"
    r"|大力|深入|积极|重点|加快|持续|扎实|切实|全力|奋力|努力|不断)*"
    r"(?:实施|开展|推进|推动|实现|落实|坚持|实行|推行|建立|构建|打造|包括|启动|形成|抓好|做好"
    r"|完成|围绕|聚焦|突出|强化|加强|践行|贯彻|促进|支持|鼓励|引导|用好|办好|统筹|深化|提升"
    r"|完善|健全|培育|加快)+"
)
_NUMBERED_TERM = re.compile(
    rf"[{NUMERALS}](?:[{_CLASSIFIERS}][{_CJK}]{{2}}|[{_CJK}][{_CJK}]{{2}}(?=[^{_CJK}]|$))"
)
# 指导/指标/立即/即将…: words, not the verb that says what a term means.
_JI_WORDS = "将可时使便日刻兴位办改查到享兑退付"  # 即将, 即可, 接诉即办…
_ZHI_WORDS = "导标数南挥引令定出明示向望责控纹尖针派点名正教路日甲使"  # 指导, 指标…
# (?<![立随旋当亦])即 written 即(?<![立随旋当亦]即): every verb then opens with a literal,
# and scanning a report for them skips to those characters (see ``_copula_matches``).
_VERB = (
    r"就是指|指的是|是指|就是|意思是|意为|意即"
    rf"|即(?<![立随旋当亦]即)(?![{_JI_WORDS}])|指(?![{_ZHI_WORDS}])"
)
_VERBS = re.compile(_VERB)
_COPULA = re.compile(rf",?\s*(?P<verb>{_VERB})")
_SPACE = re.compile(r"\s")
_MEANS = ("是指", "指的是", "就是指")  # say "means" after any term; the others need a mark
# 这是指, 主要是指: the clause before 是指 is then no term.
_NOT_A_SUBJECT = re.compile(
    "^(?:[这那此其该本]|上述)|(?:也|就|还|都|即|均|又|则|便|分别|主要|具体|一般|通常|特别|尤其)$"
)
# “两重”主要是指…: the adverb sits between the term and the verb.
_ADVERB = re.compile("(?:主要|具体|一般|通常|原本|本来)$")
# A clause with these is a sentence about a term, not the term: 我们要坚持稳中求进.
_NOT_IN_TERM = re.compile(
    r"[的了着]|^(?:[我你他她它]|要|将|会|应|需|必须|可以)|\d+[年月日号]|今年|明年|去年|目前|当前|其中"
)
# 该项改革, 这一机制, 此举: the term is named before, in the previous sentence.
_REFERENT = "|".join(
    sorted(
        {*HEADS, "做法", "举措", "措施", "工作", "办法", "方式", "概念", "提法", "说法"}
        | {"表述", "目标", "要求", "原则", "路径", "经验", "品牌", "项目", "平台", "试点", "任务"}
        | {"政策"},
        key=len,
        reverse=True,
    )
)
_ANAPHOR = re.compile(rf"(?:该|这|此|本|上述)(?:一|项|个|种|条|类|一项)?(?P<noun>{_REFERENT})|此举")
_CLAUSE_START = re.compile(r"[,;:。!?\n、()\"']")
_LIST_START = re.compile(r"[,;:。!?\n()\"']")  # a list runs across its 、
# A note or an item numbered at the start of its line: [3]…, (1)…, 1.…, ①…, 一、….
_NUMBERED = re.compile(
    r"\s*(?:[\[〔]\d{1,3}[\]〕]|\(\d{1,2}\)|\d{1,2}[.、]|[\u2460-\u2473]|[一二三四五六七八九十]+、)"
)
_NOTE_MARK = re.compile(r"(?:\[\d{1,3}\]|〔\d{1,3}〕|[\u2460-\u2473])$")
_BRACKETS = re.compile(r"\((?P<inner>(?:[^()\n]|\([^()\n]{0,10}\)){2,200})\)")
# What a bracket says when it is no gloss: 以下简称…, (含…), (试行), (如…), (牵头单位:…).
_NOT_A_GLOSS = re.compile(
    r"^(?:以下|下称|下同|简称|全称|又称|原称|原名|现名|含|不含|包括|包含|如|例如|比如|详见|见|注|"
    r"按|据|来源|其中|共|第|试行|暂行|草案)|简称|负责|牵头|按职责|配合|:|[。!?]"
)
_PLACE = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|村|赛区|片区|园区|地区)$")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’.\-]*(?:[ ,]+[(\"“]?[A-Za-z][A-Za-z'’.\-)\"”]*)+")
# What a bracket's Chinese gloss holds besides words: 2030年前, 11个, 5.2万.
_NUMERIC = re.compile(rf"[\d.%]+[{NUMERALS}年月日号个万亿千百余多]*|[{NUMERALS}十百千万亿]+")


def inline_definitions(
    text: str, folded: str | None = None, quoted: Quotes | None = None
) -> list[Entry]:
    """Terms ``text`` defines in passing, in text order (``folded``, ``quoted``: its
    ``fold_chars`` and ``quotes``, if computed)."""
    folded = fold_chars(text) if folded is None else folded
    names = _Names(folded, quotes(text, folded) if quoted is None else quoted)
    found = [
        *_quoted_lists(text, folded, names),
        *_lists_before_term(text, folded, names),
        *_bracketed_lists(text, folded, names),
        *_bracketed_glosses(text, folded, names),
        *_copulas(text, folded, names),
    ]
    best = {(e.term, e.start): e for e in sorted(found, key=lambda e: e.score)}
    return sorted(best.values(), key=lambda e: (e.start, -e.score))


class _Names:
    """Quoted names of one text, with their heads, found by where they start or end."""

    def __init__(self, folded: str, quoted: Quotes):
        self.folded = folded
        self.spans = quoted.spans
        self.by_start, self.by_end, self.closed_at = {}, {}, {}
        self.closing = dict(quoted.spans)
        for opened, closed in quoted.spans:  # outer spans come first: they keep their places
            head = quoted.heads[closed]
            if _COPULA.search(folded, closed + 1, closed + 1 + head):
                head = 0  # “两重”是指重大战略…: the verb opens the definition, no head
            end = closed + 1 + head
            self.by_start.setdefault(opened, end)
            self.by_end.setdefault(end, opened)
            self.closed_at.setdefault(closed + 1, opened)

    def after(self, at: int) -> tuple[int, int] | None:
        """The term starting at ``at``: a quoted name and its head, or a numbered name
        (四首经济, 五个精准调度机制)."""
        if at in self.by_start:
            return at, self.by_start[at]
        numbered = _NUMBERED_TERM.match(self.folded, at)
        if not numbered:
            return None
        headed = head_after(self.folded, at + 2)  # 四首经济, 五个精准调度机制
        end = at + (2 + headed if headed else len(numbered.group()))
        name, head = self.folded[at:end], ending_head(self.folded[at:end])
        if name[1] in _CLASSIFIERS and not (head and name[2 : len(name) - len(head)]):
            return None  # a bare count (四种关系, 六项机制) names nothing of its own
        return at, end

    def quoted_before(self, at: int) -> tuple[int, int] | None:
        """A quoted name ending at ``at``, with its head or a short tail: “两重”, “双碳”目标,
        ‘两免一补三保障’救助政策; never a saying or a quotation after ——."""
        opened = self.by_end.get(at)
        if opened is None:
            start = _clause_start(self.folded, at)
            tail = self.folded[start:at]
            opened = self.closed_at.get(start) if re.fullmatch(f"[{_CJK}]{{1,4}}", tail) else None
        if opened is None or not self.is_name(opened):
            return None
        return opened, at

    def is_name(self, opened: int) -> bool:
        """Whether the span opened at ``opened`` quotes a name: short, no clause inside."""
        closed = self.closing.get(opened, opened)
        inner = self.folded[opened + 1 : closed]
        quoting = self.folded[max(0, opened - 2) : opened] in ("——", "--")
        return 1 <= len(inner) <= MAX_QUOTED and not re.search("[,;:。!?、]", inner) and not quoting

    def before(self, at: int, needs_count: bool) -> tuple[int, int] | None:
        """The term ending at ``at``: a quoted name and its head, or a short clause.

        An unquoted term must be short and read as a name; with ``needs_count`` it must
        also announce a count, and is cut to the numbered name at its end (落实三农 -> 三农).
        """
        if quoted := self.quoted_before(at):
            return quoted
        start = _clause_start(self.folded, at)
        start += self.folded.startswith("所谓", start) * 2
        clause = self.folded[start:at]
        if not re.fullmatch(rf"[{_CJK}\w+]{{2,{MAX_TERM}}}", clause):
            return None
        if not needs_count:
            return None if _NOT_A_SUBJECT.search(clause) or not _plain_name(clause) else (start, at)
        first = next((i for i, c in enumerate(clause) if c in NUMERALS or c.isdigit()), None)
        if first is None or not frames.announced_counts(clause[first:]):
            return None
        return start + first, at


def _plain_name(clause: str) -> bool:
    """Whether an unquoted clause can be a name: no verb before it, no 的, no subject."""
    return not _OPENER.match(clause) and not _NOT_IN_TERM.search(clause)


def _entry(text, folded, term, span, parts, score, rule, english=None) -> Entry:
    """An entry for ``term``, defined by ``text[span[0]:span[1]]``; its quote is the
    sentence (or the sentences) holding both."""
    start, end = sentence_span(folded, term[0], max(term[1], span[1]))
    return Entry(
        term=text[term[0] : term[1]],
        kind="inline",
        quote=text[start:end],
        start=start,
        end=end,
        definition=text[span[0] : span[1]],
        parts=parts,
        score=round(max(0.0, min(1.0, score)), 2),
        english=english,
        rule=rule,
    )


def split_parts(listing: str, counts: list[int], separators: str = "、") -> list[str] | None:
    """Items of ``listing`` if their number is one of ``counts``.

    Each separator is tried in turn; after a list of 、 items, 和/及 may join the last two::

        >>> split_parts("农业、农村和农民", [3])
        ['农业', '农村', '农民']
    """
    folded = fold_width(listing)  # same length: split on the fold, slice the original
    for separator in separators:
        parts = _pieces(listing, folded, separator)
        if len(parts) > 1 and len(parts) in counts:
            return parts
        last = [p.strip() for p in re.split("以及|和|及", parts[-1])] if len(parts) > 1 else []
        if len(last) == 2 and all(last) and len(parts) + 1 in counts:
            return [*parts[:-1], *last]
    return None


def _pieces(listing: str, folded: str, separator: str) -> list[str]:
    cuts = [i for i, char in enumerate(folded) if char == separator]
    bounds = zip([-1, *cuts], [*cuts, len(listing)], strict=True)
    return [piece for a, b in bounds if (piece := listing[a + 1 : b].strip())]


def _counts(folded: str, term: tuple[int, int]) -> list[int]:
    return frames.announced_counts(folded[term[0] : term[1]])


def _quoted_lists(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """“A、B、C”的“三学”机制 and “A、B、C、D”四首经济."""
    for opened, closed in names.spans:
        if "、" not in folded[opened:closed]:
            continue
        at = closed + 1 + (folded[closed + 1 : closed + 2] == "的")
        term = names.after(at)
        listing = (opened + 1, closed)
        if term and (parts := split_parts(text[slice(*listing)], _counts(folded, term))):
            score = 0.9 if at in names.by_start else 0.8
            yield _entry(text, folded, term, listing, parts, score, "inline-quoted-list")


def _lists_before_term(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """实施A、B、C、D、E等“五大工程”: the clause before 等 lists the parts."""
    for opened, end in names.by_start.items():
        if folded[opened - 1 : opened] != "等":
            continue
        begin = _clause_start(folded, opened - 1, _LIST_START)
        opener = _OPENER.match(folded, begin)
        if opener and opened - 1 - opener.end() >= 2:
            begin = opener.end()
        while begin < opened - 1 and folded[begin].isspace():
            begin += 1
        listing = (begin, opened - 1)
        if parts := split_parts(text[slice(*listing)], _counts(folded, (opened, end))):
            yield _entry(
                text, folded, (opened, end), listing, parts, 0.8, "inline-list-before-term"
            )


def _bracketed_lists(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """三农(农业、农村、农民), “两个毫不动摇”(…,…): the brackets list the parts."""
    for match in _BRACKETS.finditer(folded):
        term = names.before(_before_marks(folded, match.start()), needs_count=True)
        listing = match.span("inner")
        if not term or _gloss_english(folded, *listing):
            continue
        counts = _counts(folded, term) or _spelled_out(folded, term, listing)
        parts = split_parts(text[slice(*listing)], counts, separators="、,;")
        # 11个县(市、区): one-character items are alternatives of a word, not parts.
        if parts and all(len(p) > 1 for p in parts):
            yield _entry(text, folded, term, listing, parts, 0.85, "inline-bracketed-list")


def _spelled_out(folded: str, term: tuple[int, int], listing: tuple[int, int]) -> list[int]:
    """[n] when the n items of ``listing`` spell out the n characters of a compressed name,
    one each, in order: “放管服”(简政放权、放管结合、优化服务); else []."""
    name = _bare(folded, term)
    items = _unquoted(folded[slice(*listing)]).split("、")
    if 2 <= len(name) == len(items) and all(c in i for c, i in zip(name, items, strict=True)):
        return [len(items)]
    return []


def _bare(folded: str, term: tuple[int, int]) -> str:
    """The name of a term without its quotes and head: “放管服”改革 -> 放管服."""
    name = re.sub("[\"']", "", folded[term[0] : term[1]])
    return name[: len(name) - len(ending_head(name))]


def _bracketed_glosses(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """“两重”(国家重大战略实施和重点领域安全能力建设), 新型工业化(以…为特征的工业化)."""
    for match in _BRACKETS.finditer(folded):
        at = _before_marks(folded, match.start())
        term = names.quoted_before(at) or _unquoted_glossed(folded, at, match.end("inner"))
        if term is None or not _glosses_tail(folded, names, term, match.end("inner")):
            continue
        start, end = match.span("inner")
        english = _gloss_english(folded, start, end)
        if english:
            start, end = _without(folded, start, end, english)
        counts = _counts(folded, term)
        if not _reads_as_gloss(folded, start, end, term, counts):
            continue
        beside = text[slice(*english)].strip() if english else None
        beside = beside or _english_after(text, folded, match.end())
        score = 0.75 if term[0] in names.by_start else 0.65
        yield _entry(text, folded, term, (start, end), [], score, "inline-gloss", beside)


def _glosses_tail(folded: str, names: _Names, term: tuple[int, int], gloss_end: int) -> bool:
    """Whether a bracket after “浙里办”品牌 glosses the whole: only when it ends with the
    word after the quote (“链主”企业(…的龙头企业)); a head such as 改革 always belongs."""
    named = names.by_start.get(term[0], term[1])
    return named == term[1] or folded.endswith(folded[named : term[1]], 0, gloss_end)


def _unquoted_glossed(folded: str, at: int, gloss_end: int) -> tuple[int, int] | None:
    """An unquoted term before a gloss: a clause with no verb before it (推进新型工业化 ->
    新型工业化) that announces a count or whose head the gloss ends with (…的工业化)."""
    start = _clause_start(folded, at)
    start += folded.startswith("所谓", start) * 2
    if opener := _OPENER.match(folded, start, at):
        start = opener.end() if at - opener.end() >= 2 else start
    clause = folded[start:at]
    if not re.fullmatch(f"[{_CJK}]{{2,{MAX_TERM}}}", clause) or not _plain_name(clause):
        return None
    # …的工业化 describes 新型工业化; 业主委员会(物业管理委员会) only renames it.
    gloss = folded[:gloss_end]
    described = any(gloss.endswith("的" + clause[-k:]) for k in range(2, len(clause)))
    numbered = frames.announced_counts(clause) and _NUMBERED_TERM.match(clause)
    return (start, at) if described or numbered else None


def _reads_as_gloss(folded: str, start: int, end: int, term: tuple[int, int], counts) -> bool:
    """Whether the bracket ``folded[start:end]`` says what the term is.

    A gloss is Chinese prose of six characters or more (a Latin word or two inside is
    fine: 以5G、AI为代表). A 、 list is left to ``_bracketed_lists`` when the term
    announces a count, and a list of short items (places, examples) is no gloss of an
    uncounted term unless it ends with the term's head.
    """
    gloss = folded[start:end].strip()
    if not gloss or _NOT_A_GLOSS.search(gloss):
        return False
    chinese = re.findall(f"[{_CJK}]", gloss)
    if 2 * len(_LATIN.findall(gloss)) > len(chinese):
        return False  # (CPTPP), (Two Priorities): an abbreviation or a translation
    words = _NUMERIC.sub("", re.sub(rf"[^{_CJK}\d.%]", "", gloss))
    if len(words) < 6:
        return False  # (南部赛区), (2021—2025年), (含11个省市): a qualifier, not a gloss
    items = [i for i in re.split("[、,;]", _unquoted(gloss)) if i]
    if len(items) == 1:
        return True
    clauses = [c for c in re.split("[,;]", gloss) if c]
    if counts:  # a 、 list whose count failed is a broken list; long clauses are prose
        return len(clauses) > 1 and max(map(len, clauses)) > 8
    name = re.sub("[\"']", "", folded[term[0] : term[1]])
    if gloss.endswith(ending_head(name) or name[-2:]):
        return True  # 以科技创新为动力、以数字化转型为特征的工业化
    return not any(_PLACE.search(i) for i in items) and max(map(len, items)) > 8


def _unquoted(folded: str) -> str:
    """``folded`` with its quoted spans emptied: their 、 separate nothing outside."""
    return re.sub(r"\"[^\"]*\"|'[^']*'", '""', folded)


def _gloss_english(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """The English half of a bracket: all of it, or a Latin run after (or before) the
    Chinese, set off by a comma: (数字经济和实体经济深度融合,integration of …)."""
    inner = folded[start:end]
    if not _LATIN.search(inner):
        return None
    if not re.search(f"[{_CJK}]", inner):
        return start, end
    for found in _LATIN_RUN.finditer(inner):
        before, after = inner[: found.start()].rstrip(), inner[found.end() :].strip()
        if (not after and before.endswith((",", ";"))) or (not before and after.startswith(",")):
            return start + found.start(), start + found.end()
    return None


def _without(folded: str, start: int, end: int, cut: tuple[int, int]) -> tuple[int, int]:
    """The span ``start:end`` without the English run ``cut`` at one of its ends and the
    comma that set it off."""
    if cut[1] >= end:
        end = cut[0]
        while end > start and folded[end - 1] in " ,;":
            end -= 1
        return start, end
    start = cut[1]
    while start < end and folded[start] in " ,;":
        start += 1
    return start, end


def _copulas(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """“双下降”即…, 两免一补,即…, 新质生产力,是指…, 所谓“X”,就是…, 该项改革是指…."""
    for match in _copula_matches(folded):
        at = match.start()
        if adverb := _ADVERB.search(folded, max(0, at - 2), at):
            at = adverb.start()
        at, term_english = _before_rendering(folded, _before_marks(folded, at))
        rule = f"inline-copula {match['verb']}"
        if anaphor := _anaphor(folded, at):  # never a term itself
            term = _referred(text, folded, names, *anaphor) if match["verb"] != "就是" else None
            rule = f"inline-back-reference {folded[anaphor[0] : at]}{match['verb']}"
        else:
            term = _copula_term(folded, names, at, match)
        if term is None:
            continue
        counts = _counts(folded, term)
        span, parts, english = _definition(text, folded, match.end(), counts)
        if span is None or span[1] - span[0] > 300:
            continue
        quoted = term[0] in names.by_start
        score = 0.7 + 0.1 * quoted + (0.15 if parts else -0.2 if counts else 0.0)
        english = text[slice(*term_english)] if term_english else english
        yield _entry(text, folded, term, span, parts, score, rule, english)


def _copula_matches(folded: str) -> Iterator[re.Match]:
    """``_COPULA.finditer(folded)``, found from its verbs: the optional comma and spaces in
    front would make the regex engine try every position of the report.

    Each match ends with its verb, so the verbs found after one match are those the
    next match can hold; it starts as far back over spaces (and a comma before them)
    as the previous match's end allows.
    """
    end = 0
    for verb in _VERBS.finditer(folded):
        start = verb.start()
        while start > end and _SPACE.match(folded, start - 1):
            start -= 1
        if start > end and folded[start - 1] == ",":
            start -= 1
        match = _COPULA.match(folded, start)
        end = match.end()
        yield match


def _copula_term(folded: str, names: _Names, at: int, match: re.Match) -> tuple[int, int] | None:
    """The term a copula defines, ending at ``at``.

    是指 and 指的是 say "means" after any term; 就是 only after 所谓 (发展就是硬道理);
    即 and 指 after a quoted or numbered term, after 所谓, or after a plain name that
    opens its sentence and is set off by a comma (新质生产力,即…).
    """
    verb = match["verb"]
    term = names.before(at, needs_count=False)
    suowei = term is not None and folded[max(0, term[0] - 3) : term[0]].endswith(("所谓", "所谓的"))
    if verb in _MEANS or verb == "就是":
        return term if verb in _MEANS or suowei else None
    if term is None:
        return names.before(at, needs_count=True)  # a numbered name: 落实三农,即…
    quoted = term[0] in names.by_start
    comma = folded[at : at + 1] == ","
    if suowei or (quoted and (comma or names.by_start[term[0]] == term[1])):
        return term  # with no comma, a word after the quote is the verb's own: 接诉即办
    if not quoted and comma and _opens_sentence(folded, term[0]):
        return term
    return None


def _opens_sentence(folded: str, at: int) -> bool:
    return at == 0 or folded[at - 1] in "。!?;\n" or folded[at - 1].isspace()


def _anaphor(folded: str, at: int) -> tuple[int, str] | None:
    """Where a back-reference (该项改革, 这一机制, 此举) ending at ``at`` starts, and its
    noun ('' for 此举), if the clause before ``at`` is one."""
    start = _skip(folded, _clause_start(folded, at), " \t\u3000")
    found = _ANAPHOR.fullmatch(folded, start, at)
    return None if found is None else (start, found["noun"] or "")


def _referred(text: str, folded: str, names: _Names, at: int, noun: str) -> tuple[int, int] | None:
    """The term a back-reference (该项改革是指…) points to, when that is unambiguous.

    Candidates are the names (quoted or mined) of the sentence before the reference and
    of the clauses before it in its own sentence. The one whose head is the noun (改革)
    wins if it is alone; otherwise a single candidate is taken; otherwise nothing.
    A numbered note or item (“[3]该项改革是指”) refers to its marker, not to the note
    before it: nothing.
    """
    own = _sentence_start(folded, at)
    if _NUMBERED.match(folded, own):
        return None
    previous = _sentence_start(folded, own - 1) if own else own
    found = _names_between(text, folded, names, previous, at)
    headed = [name for name in found if noun and folded[name[0] : name[1]].endswith(noun)]
    if len(headed) == 1:
        return headed[0]
    if not found and noun:
        headed = _clauses_ending_with(folded, previous, at, noun)
    return (headed or found)[0] if len(headed or found) == 1 else None


def _clauses_ending_with(folded: str, start: int, end: int, noun: str) -> list[tuple[int, int]]:
    """Plain names that end a clause with ``noun``, their opening verb left out: 深化农村
    集体产权制度改革。该项改革是指… -> 农村集体产权制度改革."""
    found = []
    for stop in (m.start() for m in _CLAUSE_START.finditer(folded, start, end)):
        begin = _clause_start(folded, stop)
        if opener := _OPENER.match(folded, begin, stop):
            begin = opener.end()
        clause = folded[begin:stop]
        if clause.endswith(noun) and len(clause) > len(noun) and _is_plain_term(clause):
            found.append((begin, stop))
    return found


def _is_plain_term(clause: str) -> bool:
    return bool(re.fullmatch(f"[{_CJK}]{{2,{MAX_TERM}}}", clause)) and _plain_name(clause)


def _names_between(text, folded, names: _Names, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the names in ``text[start:end]``: quoted names and mined jargon, the outer
    name where one holds another (“‘两免一补三保障’救助政策”)."""
    spans = [
        (opened, stop)
        for opened, stop in names.by_start.items()
        if start <= opened and stop <= end and names.is_name(opened)
    ]
    for usage in mine(text[start:end]):
        at = text.rfind(usage.term, start, end)
        if usage.score >= PROPOSE and at >= 0:
            spans.append((at, at + len(usage.term)))
    outer = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in spans)]
    return sorted(set(outer))


def _definition(text: str, folded: str, at: int, counts: list[int]):
    """The span of the definition starting at ``at``, its parts, and English beside it.

    It runs to the end of the sentence when its ;-separated clauses are the parts the
    term announces (三个区分开来,即A;B;C。), else to the first ; (两免一补,是指…;“双高普九”…).
    Parts are clauses (,) when they match the count, else 、 items. A colon or comma
    after the verb (是指:…) is not part of it; nor is English that follows on the line.
    """
    start = _skip(folded, at, " \t\u3000,:")
    if folded.startswith("\n", start) and ":" in folded[at:start]:
        start = _skip(folded, start + 1, " \t\u3000")  # 是指:⏎ the definition on the next line
    stop = _find_any(folded, "。!?\n", start)
    latin = _english_start(folded, start, stop)
    latin = _english_phrase(folded, start, stop) if latin is None else latin
    end = latin if latin is not None else stop
    clauses = split_parts(text[start:end], counts, separators=";")
    if not clauses or any(_COPULA.search(fold_chars(c)) for c in clauses[1:]):
        end = _find_any(folded, ";", start, end)
        clauses = None  # ... a clause defining a term of its own ends the definition
    end = _trim(folded, start, end)
    if end - start < 2 or not re.search(f"[{_CJK}]", folded[start:end]):
        return None, [], None
    definition = text[start:end]
    parts = clauses or _listed(split_parts(definition, counts, separators=",、") or [])
    return (start, end), parts, _english_after(text, folded, end)


def _listed(parts: list[str]) -> list[str]:
    """Parts without the clause that introduces the list: 六个横向输水大动脉,包括A、B… -> A."""
    lead = re.match(r".*[,，](?:包括|主要有|分别是|即|有)?", parts[0]) if parts else None
    return [parts[0][lead.end() :], *parts[1:]] if lead and lead.end() < len(parts[0]) else parts


def _english_after(text: str, folded: str, at: int) -> str | None:
    """English printed right after ``at``: in brackets or to the end of the line, or on
    the next line when nothing else follows on this one."""
    line_end = _find_any(folded, "\n", at)
    latin = _english_start(folded, at, line_end)
    if latin is not None and not folded[at:latin].strip(" 。.;,("):
        closed = folded.find(")", latin, line_end) if folded[latin - 1] == "(" else -1
        stop = line_end if closed < 0 else closed
        chinese = re.search(f"[{_CJK}]", folded[latin:stop])
        return text[latin : latin + chinese.start() if chinese else stop].strip().rstrip("。")
    if not folded[at:line_end].strip(" 。.;,)"):
        return _next_english_line(text, folded, line_end)
    return None


def _english_start(folded: str, start: int, stop: int) -> int | None:
    """Where English prose begins between ``start`` and ``stop``: a run of Latin words
    with hardly any Chinese after it."""
    for found in _LATIN_RUN.finditer(folded, start, stop):
        if _is_english(folded[found.start() : stop]):
            return found.start()
    return None


def _english_phrase(folded: str, start: int, stop: int) -> int | None:
    """Where three Latin words in a row begin: inside Chinese prose, a translation too."""
    found = (m.start() for m in _LATIN_RUN.finditer(folded, start, stop) if m[0].count(" ") > 1)
    return next(found, None)


def _next_english_line(text: str, folded: str, line_end: int) -> str | None:
    if line_end >= len(folded):
        return None
    following = _find_any(folded, "\n", line_end + 1)
    line = folded[line_end + 1 : following]
    return text[line_end + 1 : following].strip() if _is_english(line) else None


def _is_english(folded: str) -> bool:
    """Latin-script words: two or more, and hardly any Chinese."""
    letters = len(_LATIN.findall(folded))
    chinese = len(re.findall(f"[{_CJK}]", folded))
    return letters >= 6 and len(folded.split()) >= 2 and letters > 4 * chinese


def _before_marks(folded: str, at: int) -> int:
    """``at`` moved back over note markers: “四个不摘”[1], 即… -> after “四个不摘”."""
    while found := _NOTE_MARK.search(folded, max(0, at - 8), at):
        at = found.start()
    return at


def _before_rendering(folded: str, at: int) -> tuple[int, tuple[int, int] | None]:
    """``at`` moved back over an English rendering in brackets: 新质生产力(New Quality
    Productive Forces)是指… -> after 新质生产力, and where the rendering is."""
    if folded[at - 1 : at] != ")":
        return at, None
    opened = folded.rfind("(", max(0, at - 120), at)
    inner = folded[opened + 1 : at - 1]
    if opened < 0 or not _LATIN.search(inner) or re.search(f"[{_CJK}]", inner):
        return at, None
    return opened, (opened + 1, at - 1)


def _sentence_start(folded: str, at: int) -> int:
    return last_of(folded, "。!?\n", at) + 1


def _find_any(folded: str, chars: str, start: int, stop: int | None = None) -> int:
    return first_of(folded, chars, start, stop)


def _skip(folded: str, at: int, chars: str) -> int:
    while at < len(folded) and folded[at] in chars:
        at += 1
    return at


def _trim(folded: str, start: int, end: int) -> int:
    while end > start and folded[end - 1] in " \t\u3000,;:、(":
        end -= 1
    return end


def _clause_start(folded: str, at: int, boundary: re.Pattern = _CLAUSE_START) -> int:
    """Index after the last clause boundary before ``at``."""
    floor = max(0, at - 200)
    # The last boundary, found by backing up from ``at``: one step per character of the
    # clause, not a match object for each boundary of the 200 characters before it.
    last = _LAST_BOUNDARY[boundary].match(folded, floor, at)
    return last.end() if last else floor


_LAST_BOUNDARY = {b: re.compile("(?s:.*)" + b.pattern) for b in (_CLAUSE_START, _LIST_START)}
