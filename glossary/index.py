"""The Whoosh index of a glossary: schema, atomic build, and query building.

One Whoosh document per term. Fields (all derived from ``data/terms.yaml``):

=============  =============================================================
headword       ``text.key`` of the headword (exact and prefix)
alias          keys of the aliases
chars          character 1-4-grams of headword and aliases (substrings, 531, 1+3+N)
definition     definitions, segmented by jieba (``glossary.segment``)
pinyin         toneless joined readings, tone numbers, digits read aloud (ü as v and u)
initials       initials of every form (sgqfkl, 531cytx)
pinyin_grams   6-grams of the toneless readings (pinyin typed from the middle)
alternative    other readings of polyphones (low weight)
fuzzy          ``pinyin.fuzzy_key`` of the readings (z/zh, n/l … folded)
status, scope, category, letter   facets
=============  =============================================================

Queries are built in code from what ``glossary.query`` understood; user text never
reaches Whoosh's query parser, so ``AND``, ``(``, ``*`` or ``:`` are just characters.

An index lives in ``<index_dir>/<fingerprint>``, named after the glossary file's
content: it is built in a temporary directory and renamed into place, so readers
see a whole index or none, and every process serving the same file finds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as q
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NGRAM, TEXT, Schema

from glossary import pinyin, segment, text
from glossary.model import Glossary, Term

CHAR_GRAM = 4
PINYIN_GRAM = 6  # pinyin typed from the middle: 6 letters is about two syllables


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over ``glossary.segment.words`` (jieba, search mode)."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs) -> Iterator[Token]:  # fmt: skip
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, (word, start, end) in enumerate(segment.words(value)):
            token.text = word
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def schema() -> Schema:
    keys = {"lowercase": True, "scorable": False}
    return Schema(
        id=ID(stored=True, unique=True),
        headword=ID(field_boost=8.0),
        alias=KEYWORD(field_boost=6.0, **keys),
        chars=NGRAM(minsize=1, maxsize=CHAR_GRAM, field_boost=2.0),
        definition=TEXT(analyzer=JiebaTokenizer() | LowercaseFilter()),
        pinyin=KEYWORD(field_boost=5.0, **keys),
        initials=KEYWORD(field_boost=4.0, **keys),
        pinyin_grams=KEYWORD(field_boost=1.5, **keys),
        alternative=KEYWORD(field_boost=0.5, **keys),
        fuzzy=KEYWORD(field_boost=0.3, **keys),
        status=ID(),
        scope=KEYWORD(commas=True),
        category=ID(),
        letter=ID(),
    )


def fingerprint(source: bytes) -> str:
    """The name of the index of this exact glossary file content."""
    return hashlib.sha1(source).hexdigest()[:16]


def build(
    glossary: Glossary, index_dir: Path, name: str, documents: list[dict] | None = None
) -> Path:
    """Build the index of ``glossary`` as ``index_dir/name``, atomically; return its path.

    ``documents`` are the terms' ``document(term)`` dicts if the caller has them.
    An index already there (another process was first) is kept as it is.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    final = index_dir / name
    if whoosh_index.exists_in(str(final)):
        return final
    temporary = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=index_dir))
    try:
        # A large memory budget: one segment, no merges, for a 10,000-term glossary.
        writer = whoosh_index.create_in(str(temporary), schema()).writer(limitmb=512)
        for fields in documents or [document(t) for t in glossary.terms]:
            writer.add_document(**fields)
        writer.commit()
        with contextlib.suppress(OSError):  # lost the race: the other build is as good
            temporary.rename(final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return final


def open_index(path: Path) -> whoosh_index.Index:
    return whoosh_index.open_dir(str(path))


def prune(index_dir: Path, keep: Iterable[str], spare: int = 2) -> None:
    """Remove old indexes, keeping ``keep`` and the ``spare`` newest others.

    The spares are for processes that may still be reading the previous index.
    """
    kept = set(keep)
    others = [
        p for p in index_dir.iterdir()
        if p.is_dir() and p.name not in kept and not p.name.startswith(".")  # builds under way
    ]  # fmt: skip
    for path in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[spare:]:
        shutil.rmtree(path, ignore_errors=True)


def document(term: Term) -> dict[str, str]:
    forms = [text.key(f) for f in term.forms]
    readings = [pinyin.search_keys(f, term.pinyin if f == term.term else None) for f in term.forms]
    toneless = {k for r in readings for kind in ("toneless", "numbers", "spoken") for k in r[kind]}
    toneless = {k.replace(" ", "") for k in toneless}
    joined = {k for r in readings for k in r["toneless"]}
    return {
        "id": term.id,
        "headword": forms[0],
        "alias": " ".join(forms[1:]),
        "chars": "\x1f".join(forms),
        "definition": text.fold_chars(" ".join(s.definition for s in term.senses if s.definition)),
        "pinyin": " ".join(sorted(toneless)),
        "initials": " ".join(sorted({k for r in readings for k in r["initials"]})),
        "pinyin_grams": " ".join(sorted({g for k in joined for g in grams(k, PINYIN_GRAM)})),
        "alternative": " ".join(sorted({k for r in readings for k in r["alternatives"]})),
        "fuzzy": " ".join(sorted({pinyin.fuzzy_key(k) for k in joined})),
        "status": term.status,
        "scope": ",".join(dict.fromkeys(term.scopes)),
        "category": term.category or "",
        "letter": pinyin.first_letter(term.term, term.pinyin),
    }


def grams(key: str, size: int) -> set[str]:
    """Every ``size``-letter piece of ``key``, or ``key`` itself if it is shorter."""
    return {key[i : i + size] for i in range(max(1, len(key) - size + 1))}


def substring_query(field: str, key: str, size: int) -> q.Query:
    """All ``size``-grams of ``key`` (or ``key`` itself if shorter): a substring match."""
    if len(key) <= size:
        return q.Term(field, key)
    return q.And([q.Term(field, key[i : i + size]) for i in range(len(key) - size + 1)])
