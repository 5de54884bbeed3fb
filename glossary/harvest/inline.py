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
* a term, then 即 or 是指: “双下降”即…, 两免一补,是指…;“双高普九”,是指….

A list counts as a definition only when its length is a count the term announces
(``frames.announced_counts``): 三学 needs three parts, 四首 four. Brackets with no such
term (dates, units, 以下简称, (境)) are ordinary parentheticals. Scores run higher when
the count matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from glossary import frames
from glossary.harvest.mining import (
    NUMERALS,
    ending_head,
    head_after,
    quoted_spans,
    sentence_span,
)
from glossary.harvest.records import Entry
from glossary.text import fold_chars, fold_width

MAX_TERM = 12  # an unquoted "term" longer than this is a clause, not a name
_CJK = "\u4e00-\u9fff"
_CLASSIFIERS = "个大项张种类条"
# Words that open a clause, not a list item: 实施A、B、C等“三大工程”.
_LEADING_VERB = re.compile(
    r"(?:深入|大力|全面|积极|着力|重点)?(?:实施|开展|推进|落实|坚持|实行|推行|建立|构建|打造|包括)"
)
_NUMBERED_TERM = re.compile(
    rf"[{NUMERALS}](?:[{_CLASSIFIERS}][{_CJK}]{{2}}|[{_CJK}][{_CJK}]{{2}}(?=[^{_CJK}]|$))"
)
_COPULA = re.compile(r",?(?P<verb>是指|即(?![将可时使便日刻兴位]))")
# 这是指, 主要是指: the clause before 是指 is then no term.
_NOT_A_SUBJECT = re.compile("^[这那此其]|(?:也|就|还|都|即|主要|具体|一般|通常|特别|尤其)$")
_CLAUSE_START = re.compile(r"[,;:。!?\n、()\"']")
_LIST_START = re.compile(r"[,;:。!?\n()\"']")  # a list runs across its 、


def inline_definitions(text: str) -> list[Entry]:
    """Terms ``text`` defines in passing, in text order."""
    folded = fold_chars(text)
    names = _Names(folded, quoted_spans(text, folded))
    found = [
        *_quoted_lists(text, folded, names),
        *_lists_before_term(text, folded, names),
        *_bracketed_lists(text, folded, names),
        *_copulas(text, folded, names),
    ]
    best = {(e.term, e.start): e for e in sorted(found, key=lambda e: e.score)}
    return sorted(best.values(), key=lambda e: (e.start, -e.score))


class _Names:
    """Quoted names of one text, with their heads, found by where they start or end."""

    def __init__(self, folded: str, spans: list[tuple[int, int]]):
        self.folded = folded
        self.spans = spans
        self.by_start, self.by_end = {}, {}
        for opened, closed in spans:
            end = closed + 1 + head_after(folded, closed + 1)
            self.by_start[opened] = end
            self.by_end[end] = opened

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

    def before(self, at: int, needs_count: bool) -> tuple[int, int] | None:
        """The term ending at ``at``: a quoted name and its head, or a short clause.

        An unquoted term must be short; with ``needs_count`` it must also announce a
        count, and is cut to the numbered name at its end (落实三农 -> 三农).
        """
        if at in self.by_end:
            return self.by_end[at], at
        start = _clause_start(self.folded, at)
        start += self.folded.startswith("所谓", start) * 2
        clause = self.folded[start:at]
        if not re.fullmatch(rf"[{_CJK}\w+]{{2,{MAX_TERM}}}", clause):
            return None
        if not needs_count:
            return None if _NOT_A_SUBJECT.search(clause) else (start, at)
        first = next((i for i, c in enumerate(clause) if c in NUMERALS or c.isdigit()), None)
        if first is None or not frames.announced_counts(clause[first:]):
            return None
        return start + first, at


def _entry(text, folded, term, definition, parts, score) -> Entry:
    start, end = sentence_span(folded, *term)
    return Entry(
        term=text[term[0] : term[1]],
        kind="inline",
        quote=text[start:end],
        start=start,
        end=end,
        definition=definition,
        parts=parts,
        score=round(max(0.0, min(1.0, score)), 2),
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
        listing = text[opened + 1 : closed]
        if term and (parts := split_parts(listing, _counts(folded, term))):
            yield _entry(text, folded, term, listing, parts, 0.9 if at in names.by_start else 0.8)


def _lists_before_term(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """实施A、B、C、D、E等“五大工程”: the clause before 等 lists the parts."""
    for opened, end in names.by_start.items():
        if folded[opened - 1 : opened] != "等":
            continue
        begin = _clause_start(folded, opened - 1, _LIST_START)
        verb = _LEADING_VERB.match(folded, begin)
        listing = text[verb.end() if verb else begin : opened - 1].strip()
        if parts := split_parts(listing, _counts(folded, (opened, end))):
            yield _entry(text, folded, (opened, end), listing, parts, 0.8)


def _bracketed_lists(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """三农(农业、农村、农民), “两个维护”(…、…): the brackets list the parts."""
    for match in re.finditer(r"\((?P<list>(?:[^()\n]|\([^()\n]{0,10}\)){3,200})\)", folded):
        term = names.before(match.start(), needs_count=True)
        listing = text[match.start("list") : match.end("list")]
        if term and (parts := split_parts(listing, _counts(folded, term))):
            yield _entry(text, folded, term, listing, parts, 0.85)


def _copulas(text: str, folded: str, names: _Names) -> Iterator[Entry]:
    """“双下降”即…, 两免一补,即…, 新质生产力,是指…: the rest of the clause defines."""
    for match in _COPULA.finditer(folded):
        # 是指 always introduces a meaning; 即 only after a quoted or numbered term.
        term = names.before(match.start(), needs_count=match["verb"] != "是指")
        if term is None:
            continue
        counts = _counts(folded, term)
        definition, parts = _definition(text, folded, match.end(), counts)
        if not definition or len(definition) > 300:
            continue
        quoted = term[0] in names.by_start
        score = 0.7 + 0.1 * quoted + (0.15 if parts else -0.2 if counts else 0.0)
        yield _entry(text, folded, term, definition, parts, score)


def _definition(text: str, folded: str, at: int, counts: list[int]) -> tuple[str, list[str]]:
    """The definition starting at ``at`` and its parts.

    It runs to the end of the sentence when its ;-separated clauses are the parts the
    term announces (三个区分开来,即A;B;C。), else to the first ; (两免一补,是指…;“双高普九”…).
    Parts are clauses (,) when they match the count, else 、 items.
    """
    stops = [i for c in "。!?\n" if (i := folded.find(c, at)) != -1]
    sentence = text[at : min(stops, default=len(text))].strip()
    clauses = split_parts(sentence, counts, separators=";")
    if clauses and not any(_COPULA.search(fold_chars(c)) for c in clauses[1:]):
        return sentence, clauses  # ... unless a clause defines a term of its own
    definition = re.split("[;；]", sentence)[0].strip()
    return definition, split_parts(definition, counts, separators=",、") or []


def _clause_start(folded: str, at: int, boundary: re.Pattern = _CLAUSE_START) -> int:
    """Index after the last clause boundary before ``at``."""
    floor = max(0, at - 200)
    ends = [m.end() for m in boundary.finditer(folded, floor, at)]
    return ends[-1] if ends else floor
