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

The report is first read as blocks (``glossary.harvest.blocks``); each rule below is a
pattern of blocks, and every entry says which rule and block gave it (``rule``,
``block``: ``glossary harvest --explain``):

=====================  ==========================================================
heading-list           名词解释 heading, then numbered items or notes (1. 2. / [1] [2])
heading-explainers     名词解释 heading, then unnumbered ``TERM:definition`` lines
heading-headwords      名词解释 heading, then headword lines, each defined below
numbered-run           a numbered list or notes with no heading, entries in sequence
explainers             quoted ``“TERM”:definition`` paragraphs with no heading
=====================  ==========================================================

Inside a list, an item whose body is only a headword takes the paragraphs below it
as its definition; English lines printed beside an entry become its ``english``.

Every pattern runs on ``fold_chars(text)``, which has the text's length, so one set
of patterns covers full-width, traditional and curly-quote copies, while terms and
definitions are sliced, as printed, from the original text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from glossary import frames
from glossary.harvest.blocks import (
    CHROME,
    FINAL,
    MAX_TERM,
    NOTE_MARK,
    NOTE_SCHEMES,
    Block,
    blocks,
    continues,
    is_english,
)
from glossary.harvest.records import Entry
from glossary.text import fold_chars, key

# Reports number their own outline 一、 (一) (1) ①: only 1. lists and [1] notes
# are taken for a glossary when no heading says so.
_HEADLESS = ("arabic", "note")

# 指导/指标/即时… are words, not the 指 ("means") that opens a definition.
_LEAD = r"(?:是指|指(?![导标数南挥引令定出明示向])|即(?![时将便使刻日]))"
_DEFINITION_LEAD = re.compile(_LEAD + r"\s*[:,]?\s*")
_QUOTED_TERM = re.compile(rf"\"[^\"]{{1,{MAX_TERM - 2}}}\"(?={_LEAD})")
_SENTENCE_BREAK = ",。;!?"
# —— opens a quotation (践行“四下基层”——“…”), not a definition.
_SEPARATOR = re.compile(rf":|,(?={_LEAD})|(?P<stop>[{_SENTENCE_BREAK}]|——)")
# 总体要求是: / 主要目标是: open a statement, not a definition (实事求是 is a term).
_TERM_TAIL = re.compile(r"(?:的|了|和|与|及|或|如下|以下|包括|主要有|(?<!求)是)$")
_ADDRESS = re.compile(r"^各位|们$")  # 各位代表: / 同志们: open a speech, not a definition
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_GLOSS = re.compile(r"\s*\([A-Za-z][^)]*\)")
_LEAD_ONLY = re.compile(rf"{_LEAD}$")  # 〔2〕是指:… names no term
# GEP, 2+4+N, ESG: a headword in Latin letters or digits, inside a list that vouches for it.
_CODE_TERM = re.compile(r"[A-Z0-9][A-Za-z0-9+\-./&]{0,15}")
_CODE_SHAPE = re.compile(r"[A-Z]{2}|\+")
_NESTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]*\)|\[[^\]]*\]|【[^】]*】|《[^》]*》|〔[^〕]*〕")
# (separators, split the final 和 too): finest first, 一标三实 counts 4 only so.
_ENUMERATIONS = (("[;,、]", True), ("[;,、]", False), ("[;,]", False), (";", False))
_INTRO = re.compile(r"名词|解释|词典|热词|释义")
# 新质生产力(New Quality Productive Forces) / 新质生产力 New quality productive forces
_TERM_ENGLISH = re.compile(
    r"\s*\(([A-Za-z][A-Za-z ,.'&-]{2,})\)\s*$|\s+([A-Za-z][A-Za-z ,.'&-]{5,})$"
)
# English prose after the Chinese definition on the same line: a sentence end, then Latin.
_DEFINITION_ENGLISH = re.compile(r"(?<=[。.;!?])\s*(?=[A-Z][A-Za-z,'-]*(?: [A-Za-z,'()-]+){2,})")


@dataclass
class _Run:
    """One glossary list found by a rule: its entries, each a list of blocks."""

    rule: str
    start: int
    entries: list[list[Block]]
    score: float = 1.0


def glossary_entries(text: str, folded: str | None = None) -> list[Entry]:
    """Every glossary entry of ``text``, in order, as ``Entry(kind="glossary")``
    (``folded``: its ``fold_chars``, if computed)."""
    folded = fold_chars(text) if folded is None else folded
    entries = []
    for run in _runs(blocks(text, folded)):
        for group in run.entries:
            if entry := _entry(text, folded, group, run):
                entries.append(entry)
    return entries


def find_glossary_section(text: str) -> tuple[int, int] | None:
    """Offsets of the first glossary (its heading, if any, to its last entry)."""
    first = next(_runs(blocks(text)), None)
    return (first.start, first.entries[-1][-1].end) if first else None


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


def why(text: str, term: str) -> list[str]:
    """Each block that holds ``term``, and what the rules made of it (``--explain --term``)::

    >>> why("名词解释\\n1. 两重：重大战略。\\n推进“两重”建设。\\n", "两重")[0]
    "item arabic 1, line 2: in a heading-list list, entry '两重'"
    """
    folded = fold_chars(text)
    found = blocks(text, folded)
    listed = {id(b): (run, group) for run in _runs(found) for group in run.entries for b in group}
    wanted = key(term)
    reasons = []
    for block in found:
        if wanted not in key(block.body()):
            continue
        if id(block) in listed:
            run, group = listed[id(block)]
            entry = _entry(text, folded, group, run)
            verdict = (
                f"entry {entry.term!r}" if entry else "no entry: no term, or no Chinese definition"
            )
            reasons.append(f"{block.describe()}: in a {run.rule} list, {verdict}")
        else:
            reasons.append(f"{block.describe()}: in no glossary list, {_unlisted(text, block)}")
    return reasons


def _unlisted(text: str, block: Block) -> str:
    if block.kind == "heading":
        return "a heading"
    body, origin = block.joined()
    cut = _cut(body, vouched=True)
    if not cut:
        return "the line does not open with TERM: or TERM是指 (a term of 1 to 30 characters)"
    opening = _printed(text, origin[: cut[0]])
    return (
        f"it opens with {opening}, but no 名词解释 heading is above it, it is not "
        "numbered in sequence with other entries, nor one of several explainer paragraphs"
    )


# --- rules: patterns of blocks ---------------------------------------------------------


def _runs(found: list[Block]) -> Iterator[_Run]:
    """Every glossary list in ``found``, heading-led or not, in order."""
    i = 0
    while i < len(found):
        run = _heading_section(found, i) or _numbered_run(found, i) or _explainers(found, i)
        if run is None:
            i += 1
            continue
        yield run
        last = run.entries[-1][-1]
        i = found.index(last, i) + 1


def _heading_section(found: list[Block], i: int) -> _Run | None:
    if found[i].kind != "heading" or i + 1 == len(found):
        return None
    first = found[i + 1]
    if first.kind in ("item", "note"):
        entries = _collect(found, i + 1, first.scheme, vouched=True)
        rule = "heading-list"
    elif first.kind == "headword" and not _opens(first, None, vouched=True):
        entries = _headword_entries(found, i + 1)
        rule = "heading-headwords"
    else:
        entries = _collect(found, i + 1, None, vouched=True)
        rule = "heading-explainers"
    return _Run(rule, found[i].start, entries) if entries else None


def _numbered_run(found: list[Block], i: int) -> _Run | None:
    block = found[i]
    if block.scheme not in _HEADLESS or not _opens(block, block.scheme, wrapped_term=False):
        return None

    def in_sequence(run: list[list[Block]], opener: Block) -> bool:
        return not run or opener.number == run[-1][0].number + 1

    run = _collect(found, i, block.scheme, keep=in_sequence, vouched=True)
    # "24个名词解释方便大家读懂…" vouches for the list; a bare 1. 2. list may be an outline.
    before = found[i - 1] if i > 0 else None
    intro = before is not None and _INTRO.search(before.body())
    return _accepted("numbered-run", run, 0.9 if intro else 0.6)


def _explainers(found: list[Block], i: int) -> _Run | None:
    run = _collect(found, i, None, wrap=False, keep=_explains)
    # 主要做法:…。主要成效:…。 has the shape too; quotes mark a coined term.
    quoted = bool(run) and '"' in _cut_text(run[0])[0]
    return _accepted("explainers", run, 0.8 if quoted else 0.6)


def _explains(run: list[list[Block]], opener: Block) -> bool:
    term, definition = _cut_text([opener])
    # Quoted or short, and a whole sentence after the colon: not "各位代表:".
    short = len(term) <= 12 and " " not in term and not _ADDRESS.search(term)
    # A list keeps one style: after “十个一”: paragraphs, 各位读者: is prose again.
    same_style = not run or ('"' in term) == ('"' in _cut_text(run[0])[0])
    return ('"' in term or short) and definition.endswith(FINAL) and same_style


def _accepted(rule: str, run: list[list[Block]], score: float) -> _Run | None:
    # One entry alone is a glossary only when it says so: “十个一”指…
    term, definition = _cut_text(run[0]) if run else ("", "")
    if len(run) < 2 and not ('"' in term and re.match(_LEAD, definition)):
        return None
    return _Run(rule, run[0][0].start, run, score)


def _collect(
    found: list[Block],
    i: int,
    scheme: str | None,
    wrap: bool = True,
    keep: Callable | None = None,
    vouched: bool = False,
) -> list[list[Block]]:
    """The entries from block ``i`` on, until a block neither opens one nor wraps one.

    ``keep(run, block)`` may refuse an entry, which ends the list there. ``vouched``:
    a heading or a numbering says this is a glossary, so Latin headwords are taken.
    """
    run: list[list[Block]] = []
    for block in found[i:]:
        if _opens(block, scheme, vouched=vouched):
            if keep and not keep(run, block):
                break
            run.append([block])
        elif (run and _defines_headword(run[-1], block, scheme)) or (
            run and wrap and not block.gap_before and _wraps(run[-1][-1], block)
        ):
            run[-1].append(block)
        else:
            break
    return run


def _wraps(last: Block, block: Block) -> bool:
    return block.kind != "heading" and continues(last.lines[-1], block.lines[0])


def _defines_headword(entry: list[Block], block: Block, scheme: str | None) -> bool:
    """A paragraph below an item that is only a headword (1. 新质生产力) defines it."""
    if scheme is None or block.kind not in ("paragraph", "english") or _chrome(block):
        return False
    return len(entry) > 1 or (_headword_item(entry[0]) and not _cut(entry[0].body()))


def _headword_item(block: Block) -> bool:
    body = block.body()
    return 0 < len(body) <= MAX_TERM and not re.search(f"[{_SENTENCE_BREAK}]", body)


def _headword_entries(found: list[Block], i: int) -> list[list[Block]]:
    """Headword lines, each followed by the paragraphs (or translation) that define it."""
    run: list[list[Block]] = []
    for block in found[i:]:
        if block.kind == "headword" and not _chrome(block):
            if run and len(run[-1]) == 1:
                break  # two headwords in a row: a menu, not a glossary
            run.append([block])
        elif run and block.kind in ("paragraph", "english") and not _chrome(block):
            run[-1].append(block)
        else:
            break
    while run and len(run[-1]) == 1:
        run.pop()
    return run


def _chrome(block: Block) -> bool:
    body = block.body()
    return len(body) <= 80 and bool(CHROME.search(body))


def _opens(
    block: Block, scheme: str | None, wrapped_term: bool = True, vouched: bool = False
) -> bool:
    """Whether ``block`` opens an entry of a list numbered ``scheme`` (None: unnumbered).

    With ``wrapped_term``, a numbered line too short to hold its colon still opens
    an entry: a PDF may wrap a long term onto the next line, or print the definition
    as the paragraph below.
    """
    if scheme is not None:
        if block.scheme != scheme:
            return False
        cut = _cut(block.body(), vouched)
        return bool(cut or scheme in NOTE_SCHEMES or (wrapped_term and _headword_item(block)))
    if block.kind not in ("paragraph", "headword"):
        return False
    body = block.body()
    cut = _cut(body, vouched)
    # Unnumbered, only a filled line opens an entry, and 来源:/电话: are page chrome.
    return bool(cut and body[cut[1] :].strip() and not CHROME.search(body[: cut[0]]))


def _cut(body: str, vouched: bool = False) -> tuple[int, int] | None:
    """``(term_end, definition_start)`` when ``body`` opens with a term, else None."""
    at = _separator(body)
    term = body[: at[0]].strip() if at else ""
    # A translation in brackets does not count against the length: 新质生产力(New …).
    shown = _LATIN_GLOSS.sub("", term)
    if not (0 < len(shown) <= MAX_TERM) or _TERM_TAIL.search(term) or _LEAD_ONLY.match(term):
        return None
    if _CJK.search(term) or '"' in term:
        return at
    code = vouched and _CODE_TERM.fullmatch(term) and _CODE_SHAPE.search(term)
    return at if code else None


def _separator(body: str) -> tuple[int, int] | None:
    if quoted := _QUOTED_TERM.match(body):
        return quoted.end(), quoted.end()
    # The first colon outside quotes and brackets: “1354”总体思路:一个定位:…
    found = _SEPARATOR.search(_masked_head(body))
    if not found or found.start() > 2 * MAX_TERM or found.lastgroup == "stop":
        return None
    return found.span()


# A separator further in than 2 * MAX_TERM is refused, and the lookahead after a comma
# reads three characters at most: the masked text is needed only this far.
_SEPARATOR_REACH = 2 * MAX_TERM + 8


def _masked_head(text: str) -> str:
    """``_mask(text)[:_SEPARATOR_REACH]``, without masking the rest of a long paragraph."""
    pieces, at = [], 0
    for nested in _NESTED.finditer(text):
        if nested.start() >= _SEPARATOR_REACH:
            break
        pieces += [text[at : nested.start()], "x" * (nested.end() - nested.start())]
        at = nested.end()
        if at >= _SEPARATOR_REACH:
            break
    pieces.append(text[at:_SEPARATOR_REACH])
    return "".join(pieces)[:_SEPARATOR_REACH]


def _mask(text: str) -> str:
    """``text`` with what is inside quotes and brackets blanked out, same length."""
    return _NESTED.sub(lambda m: "x" * len(m.group()), text)


def _cut_text(entry: list[Block]) -> tuple[str, str]:
    """Folded term ("" when the body names it) and definition of an entry's opener."""
    folded, _ = _joined(entry)
    at = _cut(folded, vouched=True)
    return (folded[: at[0]].strip(), folded[at[1] :].strip()) if at else ("", folded)


# --- entries ---------------------------------------------------------------------------


def _joined(entry: list[Block]) -> tuple[str, list[int]]:
    opener = entry[0]
    whole = Block(opener.kind, [line for b in entry for line in b.lines], body_at=opener.body_at)
    return whole.joined()


def _entry(text: str, folded: str, entry: list[Block], run: _Run) -> Entry | None:
    opener = entry[0]
    # A translation printed under the entry is its English rendering, not its definition.
    english = [line for b in entry[1:] if b.kind == "english" for line in b.lines]
    entry = [b for b in entry if b.kind != "english" or b is opener]
    joined, origin = _joined(entry)
    at = _cut(joined, vouched=True)
    if _headword_defined_below(entry, at is not None):
        term_origin = _joined([opener])[1]
        definition_origin = [at for at in _joined(entry[1:])[1] if at >= 0]
    else:
        term_origin = origin[: at[0]] if at else []
        definition_origin = origin[at[1] :] if at else origin
    term = _printed(text, term_origin) or _marked_term(text, folded, opener.marker, run.start)
    term, term_english = _term_and_english(term)
    definition, definition_english = _definition_and_english(_printed(text, definition_origin))
    if not term or not definition or not _CJK.search(definition):
        return None
    start, end = opener.lines[0].start, entry[-1].end
    renderings = [term_english, definition_english, *(text[x.start : x.end] for x in english)]
    return Entry(
        term, "glossary", text[start:end], start, end, definition,
        enumeration_parts(term, definition), run.score,
        english=" ".join(r for r in renderings if r) or None,
        rule=run.rule if term_origin else f"{run.rule}, term from the note's marker",
        block=opener.describe(),
    )  # fmt: skip


def _headword_defined_below(entry: list[Block], joined_cut: bool) -> bool:
    """A headword with its definition in the lines below, not a term wrapped onto the
    next line (经济运行“五个精准调度” / 机制:…, which joined has its colon)."""
    if len(entry) < 2 or _cut(entry[0].body(), True):
        return False
    return entry[1].gap_before or not joined_cut


def _term_and_english(term: str) -> tuple[str, str | None]:
    """三区一廊〔2〕 -> 三区一廊; 新质生产力(New Quality Productive Forces) -> both halves."""
    term = NOTE_MARK.sub("", term).strip()
    found = _TERM_ENGLISH.search(fold_chars(term))
    if found and _CJK.search(term[: found.start()]):
        return term[: found.start()].strip(), (found.group(1) or found.group(2)).strip()
    return term, None


def _definition_and_english(definition: str) -> tuple[str, str | None]:
    # A colon left by a term wrapped onto its own line belongs to neither half.
    definition = definition.lstrip(":：,，、 ")
    # 指/是指/即 says "this means"; the quote keeps it, the definition need not.
    if lead := _DEFINITION_LEAD.match(fold_chars(definition)):
        definition = definition[lead.end() :].strip()
    found = _DEFINITION_ENGLISH.search(fold_chars(definition))
    if found and found.start() > 0 and is_english(fold_chars(definition[found.start() :])):
        return definition[: found.start()].strip(), definition[found.start() :].strip()
    return definition, None


def _printed(text: str, origin: list[int]) -> str:
    return "".join(" " if at < 0 else text[at] for at in origin).strip()


def _marked_term(text: str, folded: str, marker: str, before: int) -> str:
    """The quoted term the body marks with ``marker``: “四个不摘”[1] -> “四个不摘”."""
    pattern = rf"(\"[^\"\n]{{1,{MAX_TERM - 2}}}\"|《[^》\n]{{1,{MAX_TERM}}}》){re.escape(marker)}"
    found = re.search(pattern, folded[:before]) if marker else None
    return text[found.start(1) : found.end(1)] if found else ""
