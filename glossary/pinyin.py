"""Every pinyin rule of the glossary: readings, polyphone fixes, search keys, slugs.

Readings come from pypinyin plus the project phrase table ``data/pinyin_phrases.txt``,
which fixes policy vocabulary pypinyin reads wrong by default::

    >>> reading("三个区分开来")
    'sān gè qū fēn kāi lái'
    >>> reading("“四级五调”模式")  # 调 as in 调解 (mediate), not 调度 (dispatch)
    'sì jí wǔ tiáo mó shì'
    >>> reading("“1+3+N”招商工作机制")
    'yī jiā sān jiā N zhāo shāng gōng zuò jī zhì'
    >>> r = read("“531”产业体系")
    >>> r.marks, r.numbers, r.initials, r.written
    ('wǔ sān yī chǎn yè tǐ xì', 'wu3 san1 yi1 chan3 ye4 ti3 xi4', 'wsycytx', '531 chan ye ti xi')
    >>> sorted(search_keys("八八战略")["toneless"])
    ['babazhanlue', 'babazhanlve']
    >>> slug("“1+3+N”招商工作机制"), first_letter("“531”产业体系"), first_letter("长江大保护")
    ('1-3-n-zhao-shang-gong-zuo-ji-zhi', '0-9', 'C')

Choices, made once here so every caller agrees:

- Dictionary tones, no sandhi (一 yī, 不 bù), as glossaries print them: sandhi hangs on
  the next syllable, so one character would read differently from term to term.
- Digits are read aloud digit by digit, as officials say the codes (“531” wǔ sān yī,
  “1310” yī sān yī líng): policy numbers are codes, not quantities. One reading for
  every face of a term: ruby, tone marks, tone numbers, toneless keys, initials.
  ``+`` reads jiā; Latin letters read as printed (``N``).
- ``written`` keeps digits as printed (``531 chan ye ti xi``): slugs, the 0-9 index
  order and extra search keys (531chanye, 531cytx: readers type codes as printed),
  ``+`` left out.
- Neutral tone is 5 in tone numbers (``de5``); ``numbers`` keys also hold the bare form.
- ü stays ü in readings; keys spell it v (as typed on IMEs) and u; slugs use v (``lv``).
- Initials: first letter of each syllable (zh/ch/sh -> z/c/s, as people type them);
  Latin runs stay whole (``1+3+N`` yjsjn), and so do digits in written keys (``531cytx``).

pypinyin loads on the first reading, without the 47,000 phrases it would read and
train its segmenter on at import (~200 ms, every command): each text is first given
the phrases it contains, from :mod:`glossary.phrasebook`, and reads exactly the same.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from glossary.errors import GlossaryError
from glossary.text import QUOTES, fold_chars

PHRASES_FILE = Path(__file__).parent / "data" / "pinyin_phrases.txt"
SYLLABLES_FILE = Path(__file__).parent / "data" / "pinyin_syllables.txt"

HANZI, NUMBER, LATIN, SYMBOL, MARK = "hanzi", "number", "latin", "symbol", "mark"
_TOKEN = re.compile(
    r"(?P<hanzi>[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<latin>[A-Za-z]+)|(?P<symbol>\+)|(?P<mark>.)",
    re.DOTALL,
)
# Digits and + as read aloud; 1 is yī, not the telephone yāo.
_DIGITS = ["líng", "yī", "èr", "sān", "sì", "wǔ", "liù", "qī", "bā", "jiǔ"]
SPOKEN = dict(zip("0123456789", _DIGITS, strict=True)) | {".": "diǎn", "+": "jiā"}
# Characters readers know as polyphones, so they may type the other reading; other
# characters' rare dictionary readings (区 ōu, 个 gě) would only add noise.
COMMON_POLYPHONES = set(
    "长重行还调乐种散传处强朝难降省数落便应相藏更血兴空中结给觉差干参率都属系将教尽看模曾"
)
MAX_ALTERNATIVES = 4


class PinyinError(GlossaryError, ValueError):
    """A pinyin reading that is not valid tone-marked pinyin or does not fit its term."""

    code = "invalid_pinyin"


@dataclass(frozen=True)
class Token:
    """One piece of a term: ``text`` as written, ``pinyin`` as read.

    hanzi: one character, its tone-marked syllable; number, latin, symbol (+): a run
    read as itself, half width; mark: quote, punctuation or space, unread ("").
    """

    text: str
    kind: str
    pinyin: str


@dataclass(frozen=True)
class Reading:
    """The reading of a term, token by token, and every way of writing it down.

    Every style but ``written`` spells the same syllables: the term as read aloud.
    """

    tokens: tuple[Token, ...]

    @property
    def marks(self) -> str:
        """sān gè qū fēn kāi lái; “531” wǔ sān yī"""
        return " ".join(word for word, _ in self._syllables())

    @property
    def numbers(self) -> str:
        """san1 ge4 qu1 fen1 kai1 lai2 (neutral tone 5, ü kept)"""
        return " ".join(_tone3(word) if read else word for word, read in self._syllables())

    @property
    def toneless(self) -> str:
        """sangequfenkailai"""
        return "".join(word for word, _ in self._toneless())

    @property
    def spaced(self) -> str:
        """san ge qu fen kai lai"""
        return " ".join(word for word, _ in self._toneless())

    @property
    def initials(self) -> str:
        """sgqfkl; “1+3+N” yjsjn"""
        return "".join(word[0] if read else word for word, read in self._toneless())

    @property
    def written(self) -> str:
        """Toneless with digits as printed, ``+`` left out: 531 chan ye ti xi."""
        return " ".join(self._words())

    @property
    def ruby(self) -> list[tuple[str, str | None]]:
        """(base, annotation) pairs for <ruby>: hanzi, digits and + annotated, the rest not.

        The annotations are the syllables of ``marks``; quotes, punctuation and Latin
        letters are kept unannotated, so the term renders as printed.
        """
        pairs: list[tuple[str, str | None]] = []
        for token in self.tokens:
            if token.kind == HANZI:
                pairs.append((token.text, token.pinyin))
            elif token.kind in (NUMBER, SYMBOL):
                pairs += [(c, SPOKEN[f]) for c, f in zip(token.text, token.pinyin, strict=True)]
            elif pairs and pairs[-1][1] is None:
                pairs[-1] = (pairs[-1][0] + token.text, None)  # one unannotated run
            else:
                pairs.append((token.text, None))
        return pairs

    def _syllables(self) -> list[tuple[str, bool]]:
        """The term as read aloud: (tone-marked syllable, True) or (Latin run, False)."""
        units = []
        for token in self.tokens:
            if token.kind in (NUMBER, SYMBOL):
                units += [(SPOKEN[c], True) for c in token.pinyin]
            elif token.kind == HANZI:
                units.append((token.pinyin, True))
            elif token.kind == LATIN:
                units.append((token.pinyin, False))
        return units

    def _toneless(self) -> list[tuple[str, bool]]:
        """The syllables toneless and lower case (ü kept), Latin runs lower case."""
        return [(_toneless(w) if read else w.lower(), read) for w, read in self._syllables()]

    def _keyed(self) -> list[tuple[Token, str]]:
        """The tokens of written keys, as printed, with their toneless lower-case word."""
        return [(t, _word(t)) for t in self.tokens if t.kind in (HANZI, NUMBER, LATIN)]

    def _words(self) -> list[str]:
        return [word for _, word in self._keyed()]


@functools.lru_cache(maxsize=1 << 16)
def read(text: str, override: str | None = None) -> Reading:
    """Read a term; ``override`` is a curated tone-marked reading, one syllable per hanzi.

    Cached: the index, the catalog and search each read every form of every term.

    >>> read("三個區分開來").marks  # traditional and full-width input fold first
    'sān gè qū fēn kāi lái'
    >>> read("还建", override="huán jiàn").toneless
    'huanjian'
    """
    _install_phrases()
    folded = fold_chars(text)  # same length as text, so spans map back to what was written
    pieces = [
        (m.lastgroup or MARK, text[m.start() : m.end()], m[0]) for m in _TOKEN.finditer(folded)
    ]
    hanzi_count = sum(kind == HANZI for kind, _, _ in pieces)
    if override is None:
        syllables = iter(_computed(pieces))
    else:
        syllables = iter(_checked(override, hanzi_count, text))
    tokens = []
    for kind, written, folded_piece in pieces:
        if kind == HANZI:
            syllable = next(syllables)
            # A character pypinyin does not know stays unread rather than break the keys.
            tokens.append(Token(written, HANZI, syllable) if syllable else Token(written, MARK, ""))
        else:
            tokens.append(Token(written, kind, "" if kind == MARK else folded_piece))
    return Reading(tuple(tokens))


def reading(text: str, override: str | None = None) -> str:
    """The tone-marked reading: ``reading("三重一大") == "sān zhòng yī dà"``."""
    return read(text, override).marks


def search_keys(text: str, override: str | None = None) -> dict[str, set[str]]:
    """Every lower-case ASCII search key of a term, by kind.

    Keys spell the term as read aloud; a term with digits or ``+`` is also keyed as
    printed (``written``, and its initials among ``initials``), as readers type codes.
    ``alternatives`` hold the other reading of common polyphones, one character at a
    time and at most ``MAX_ALTERNATIVES``: low-weight keys for readers who guess wrong.

    >>> search_keys("调度")["alternatives"]
    {'tiaodu'}
    >>> keys = search_keys("“531”产业体系")
    >>> sorted(keys["initials"]), sorted(keys["written"])[:2]
    (['531cytx', 'wsycytx'], ['531 chan ye ti xi', '531 chan3 ye4 ti3 xi4'])
    """
    r = read(text, override)
    syllables = r._syllables()
    tone5 = [_tone3(w) if read_ else w.lower() for w, read_ in syllables]
    bare = [_tone3(w, five=False) if read_ else w.lower() for w, read_ in syllables]
    # Keys as printed only where digits or + make them differ from the spoken ones.
    printed = any(t.kind in (NUMBER, SYMBOL) for t in r.tokens)
    keyed = r._keyed() if printed else []
    words = [w for _, w in keyed]
    written_tone5 = [_tone3(t.pinyin) if t.kind == HANZI else w for t, w in keyed]
    written_bare = [_tone3(t.pinyin, five=False) if t.kind == HANZI else w for t, w in keyed]
    written_initials = "".join(w[0] if t.kind == HANZI else w for t, w in keyed)
    keys = {
        "toneless": _ascii(r.toneless),
        "spaced": _ascii(r.spaced),
        "numbers": _ascii(*_joined(tone5, bare)),
        "initials": _ascii(r.initials, written_initials),
        "written": _ascii(*_joined(words, written_tone5, written_bare)),
        "alternatives": _ascii(*_alternatives(r)),
    }
    return {kind: {k for k in found if k} for kind, found in keys.items()}


def _joined(*spellings: list[str]) -> list[str]:
    """Each list of words joined, and spaced."""
    return [join(words) for words in spellings for join in ("".join, " ".join)]


def starts_a_syllable(typed: str, marks: str) -> bool:
    """Whether toneless ``typed`` (ü as v or u) starts at a syllable of the tone-marked
    reading ``marks``, anywhere in it: jue in sān zhòng yī dà jí tǐ jué cè zhì dù, not ue.

    >>> starts_a_syllable("jue", "sān zhòng yī dà jí tǐ jué cè zhì dù")
    True
    >>> starts_a_syllable("ue", "jué cè"), starts_a_syllable("lvyou", "wǔ sè lǚ yóu")
    (False, True)
    """
    words = [_toneless(word) for word in marks.split()]
    for at in range(len(words)):
        rest = "".join(words[at:])
        if any(s.startswith(typed) for s in (rest, _ascii_v(rest), _ascii_v(rest, "u"))):
            return True
    return False


def slug(text: str) -> str:
    """A stable ASCII id for URLs, ``""`` when nothing in ``text`` is readable.

    >>> slug("“531”产业体系"), slug("五色旅游")
    ('531-chan-ye-ti-xi', 'wu-se-lv-you')
    """
    words = " ".join(_ascii_v(w) for w in read(text)._words())
    return "-".join(re.findall(r"[a-z0-9]+", words))


def first_letter(text: str, override: str | None = None) -> str:
    """The A-Z index bucket; "0-9" for terms that start with a digit, "#" if unreadable."""
    for token, word in read(text, override)._keyed():
        return "0-9" if token.kind == NUMBER else _ascii_v(word)[0].upper()
    return "#"


def parse_marked(s: str) -> list[str]:
    """Split a tone-marked reading into syllables, checking each one.

    >>> parse_marked("sì jí wǔ tiáo")
    ['sì', 'jí', 'wǔ', 'tiáo']
    >>> parse_marked("si4 ji2")
    Traceback (most recent call last):
    ...
    glossary.pinyin.PinyinError: 'si4' is not written with tone marks; did you mean 'sì'?
    """
    syllables = unicodedata.normalize("NFC", s).lower().split()
    if not syllables:
        raise PinyinError("empty pinyin reading; write tone-marked syllables such as 'sān gè'")
    tones = _pypinyin().contrib.tone_convert
    for syllable in syllables:
        if _toneless(syllable) not in _valid_syllables():
            raise PinyinError(f"{syllable!r} is not a pinyin syllable")
        # Round-tripping through tone numbers puts the mark where pinyin puts it.
        canonical = tones.to_tone(tones.to_tone3(syllable, v_to_u=True))
        if canonical != syllable:
            raise PinyinError(
                f"{syllable!r} is not written with tone marks; did you mean {canonical!r}?"
            )
    return syllables


@functools.cache
def phrase_table() -> dict[str, list[str]]:
    """The project phrase table, checked: {phrase: syllables}."""
    table: dict[str, list[str]] = {}
    lines = PHRASES_FILE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        phrase, *marked = line.split("#")[0].split() or [""]
        if not phrase:
            continue
        try:
            syllables = parse_marked(" ".join(marked))
        except PinyinError as error:
            raise PinyinError(f"{PHRASES_FILE}:{number}: {error}") from None
        if len(syllables) != len(phrase):
            raise PinyinError(f"{PHRASES_FILE}:{number}: {phrase} needs one syllable a character")
        table[phrase] = syllables
    return table


@functools.cache
def _pypinyin() -> ModuleType:
    """pypinyin with the submodules used here, imported once, without its built-in phrases."""
    saved = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "1"  # read by pypinyin.constants as it is imported
    try:
        import pypinyin
        import pypinyin.contrib.tone_convert
        import pypinyin.seg.mmseg
    finally:
        if saved is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = saved
    return pypinyin


@functools.cache
def _install_phrases() -> None:
    """Teach pypinyin the phrase table, once per process."""
    pypinyin = _pypinyin()
    table = phrase_table()
    pypinyin.load_phrases_dict({p: [[s] for s in syllables] for p, syllables in table.items()})
    # pypinyin only uses a phrase its mmseg segmenter cuts out of the text. 0.55's
    # load_phrases_dict retrains it on every phrase it holds (only ours, the built-in
    # ones being left out); training our words again is nearly free and keeps this
    # true if that ever changes.
    pypinyin.seg.mmseg.seg.train(table)


# A process that reads many texts would look up most of the table piece by piece:
# past this many pieces, pypinyin is taught every phrase at once (~0.1 s), and the
# lookups stop (20,000 terms read piece by piece took about 1.3 times as long).
ENOUGH_PIECES = 20_000


@dataclass
class _Taught:
    """What pypinyin has been given of the built-in phrase table in this process."""

    pieces: set[str] = field(default_factory=set)  # looked up in the phrasebook
    everything: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_taught = _Taught()


def _teach(run: str) -> None:
    """Give pypinyin the built-in phrases inside ``run``, and the beginnings of phrases.

    Its segmenter only ever asks about pieces of the text it cuts (is this a phrase,
    does a phrase start so?), so knowing those pieces reads as the whole table does.
    Our phrase table keeps precedence over the built-in one, as load_phrases_dict gives it.
    """
    from glossary import phrasebook  # SQLite: only once a text is read, not at import

    if _taught.everything:
        return
    # Without a phrasebook on disk (no cache directory to keep it in), the whole table.
    pieces = _pieces(run, phrasebook.longest()) if phrasebook.ready() else None
    with _taught.lock:
        if pieces is not None:
            pieces -= _taught.pieces
        if _taught.everything or pieces == set():
            return
        if pieces is None or len(_taught.pieces) + len(pieces) > ENOUGH_PIECES:
            _learn(phrasebook.everything())
            _taught.everything, _taught.pieces = True, set()
        else:
            _learn(phrasebook.lookup(pieces))
            _taught.pieces |= pieces


def _pieces(run: str, longest: int) -> set[str]:
    """Every piece of ``run`` up to ``longest`` characters."""
    return {run[i:j] for i in range(len(run)) for j in range(i + 1, min(len(run), i + longest) + 1)}


def _learn(found: dict[str, list[list[str]] | None]) -> None:
    pypinyin, ours = _pypinyin(), phrase_table()
    phrases = {k: v for k, v in found.items() if v is not None and k not in ours}
    pypinyin.constants.PHRASES_DICT.update(phrases)
    pypinyin.seg.mmseg.seg.train(found)  # every piece found, and its beginnings


def _computed(pieces: list[tuple[str, str, str]]) -> list[str]:
    """pypinyin's syllable for every hanzi, one run of hanzi at a time."""
    pypinyin = _pypinyin()
    syllables: list[str] = []
    run = ""
    for kind, _, folded in [*pieces, (MARK, "", "\n")]:  # the last piece ends the last run
        if kind == HANZI:
            run += folded
        elif run and not (kind == MARK and folded in QUOTES):  # “三重一大”制度: one phrase
            _teach(run)
            found = pypinyin.pinyin(run, style=pypinyin.Style.TONE)
            # pypinyin echoes a character it has no reading for: that one stays unread.
            syllables += [s[0] if s[0] != c else "" for c, s in zip(run, found, strict=True)]
            run = ""
    return syllables


def _checked(override: str, hanzi_count: int, text: str) -> list[str]:
    syllables = parse_marked(override)
    if len(syllables) != hanzi_count:
        raise PinyinError(
            f"pinyin {override!r} has {len(syllables)} syllables but {text!r} has "
            f"{hanzi_count} Chinese characters; give one syllable per character "
            "(digits and Latin letters read as written)"
        )
    return syllables


def _alternatives(r: Reading) -> list[str]:
    """The term with one common polyphone read its other way, per such character."""
    # The spoken words, each with the character it reads (None for digits and Latin).
    spoken: list[tuple[str | None, str]] = []
    for token in r.tokens:
        if token.kind == HANZI:
            spoken.append((fold_chars(token.text), _toneless(token.pinyin)))
        elif token.kind in (NUMBER, SYMBOL):
            spoken += [(None, _toneless(SPOKEN[c])) for c in token.pinyin]
        elif token.kind == LATIN:
            spoken.append((None, token.pinyin.lower()))
    words = [w for _, w in spoken]
    variants = []
    for i, (char, word) in enumerate(spoken):
        if char in COMMON_POLYPHONES:
            known = _pypinyin().constants.PINYIN_DICT[ord(char)]
            readings = (_toneless(s) for s in known.split(","))
            other = next((r for r in readings if r != word), None)
            if other is not None:
                variants.append("".join([*words[:i], other, *words[i + 1 :]]))
    return variants[:MAX_ALTERNATIVES]


@functools.cache
def _valid_syllables() -> frozenset[str]:
    # Every syllable pypinyin's dictionary uses, toneless with ü (426 in 0.55), from a
    # list: gathering them from its 41,000 entries cost 40 ms, at every start, as the
    # phrase table is checked. tests/test_pinyin.py checks the list against pypinyin.
    lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines for word in line.split("#")[0].split())


def _word(token: Token) -> str:
    # Latin runs skip to_normal, which would read a Latin v as ü.
    return _toneless(token.pinyin) if token.kind == HANZI else token.pinyin.lower()


@functools.lru_cache(maxsize=4096)  # ~1,300 marked syllables exist; indexing asks millions of times
def _toneless(syllable: str) -> str:
    return _pypinyin().contrib.tone_convert.to_normal(syllable, v_to_u=True).lower()


@functools.lru_cache(maxsize=8192)
def _tone3(syllable: str, five: bool = True) -> str:
    tones = _pypinyin().contrib.tone_convert
    return tones.to_tone3(syllable, neutral_tone_with_five=five, v_to_u=True)


def _ascii_v(key: str, u: str = "v") -> str:
    return key.replace("ü", u).replace("ê", "e")


def _ascii(*keys: str) -> set[str]:
    """Each key lower-case, with ü spelt v and u (lvse, luse)."""
    return {_ascii_v(k.lower(), u) for k in keys for u in "vu"}


# --- what readers type -------------------------------------------------------------------

_TONE_NUMBER = re.compile(r"([a-zü]+)[1-5]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_TYPED = re.compile(r"^[a-z '-]*[a-z][a-z '-]*$")
_TYPED_CODE = re.compile(r"^[a-z0-9 '+-]*[a-z0-9][a-z0-9 '+-]*$")
# Sounds many speakers (and their keyboards) mix up; folded away in fuzzy keys.
_CONFUSIONS = [("zh", "z"), ("ch", "c"), ("sh", "s"), ("ang", "an"), ("eng", "en"),
               ("ing", "in"), ("l", "n")]  # fmt: skip


def typed_pinyin(query: str, codes: bool = False) -> str | None:
    """What a reader typed as pinyin -> the toneless joined key, or None if it is not pinyin.

    Tone marks, tone numbers, spaces and apostrophes go; ü (also u: or v) is written v.
    With ``codes``, digit runs that are not tone numbers stay, and + goes, as in the
    keys of terms with codes: "994 jiào yù" -> 994jiaoyu, "1+3+N" -> 13n.

    >>> typed_pinyin("fàng guǎn fú"), typed_pinyin("shuang1 chuang4"), typed_pinyin("lü you")
    ('fangguanfu', 'shuangchuang', 'lvyou')
    >>> typed_pinyin("三个") is None, typed_pinyin("994 jiào yù", codes=True)
    (True, '994jiaoyu')
    """
    if _IDEOGRAPH.search(query):  # no folding makes a character into a Latin letter
        return None
    query = "".join(c for c in fold_chars(query) if c not in QUOTES)  # ｓｈｕａｎｇ, “1310”
    bare = unicodedata.normalize("NFD", query.lower().replace("ü", "v").replace("u:", "v"))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    bare = _TONE_NUMBER.sub(r"\1", bare)  # digits left after this are not tones: 531, 1+3+N
    allowed = _TYPED_CODE if codes else _TYPED
    return re.sub(r"[ '+-]", "", bare) if allowed.match(bare) else None


def fuzzy_key(key: str) -> str:
    """A toneless key with commonly confused sounds folded: shuangjian -> suanjian -> ...

    Two keys that differ only by z/zh, c/ch, s/sh, an/ang, en/eng, in/ing or n/l are equal.

    >>> fuzzy_key("zhangli") == fuzzy_key("zanni")
    True
    """
    for sound, same in _CONFUSIONS:
        key = key.replace(sound, same)
    return key
