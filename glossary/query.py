"""What a reader typed, understood: the folded key, the pinyin reading, the words.

    >>> understand("“531”产业体系").key
    '531产业体系'
    >>> understand("San Ge Qu Fen").pinyin
    'sangequfen'
    >>> understand("fàng guǎn fú").kind
    'pinyin'

Queries never reach Whoosh's parser; ``glossary.search`` builds queries from these
parts. Anything a person could mean by a query is accepted; what cannot be a query
(nothing left after folding, or more than ``MAX_QUERY`` characters) is a
``QueryError``, which the web layer answers with 400.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from glossary import pinyin, segment, text
from glossary.errors import GlossaryError

MAX_QUERY = 100
_HANZI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class QueryError(GlossaryError):
    status = 400
    code = "invalid_query"


class QueryTooLong(QueryError):
    """More than ``MAX_QUERY`` characters."""


class EmptyQuery(QueryError):
    """Nothing left to look for once folded: only quotes, spaces or control characters."""


@dataclass(frozen=True)
class Query:
    raw: str
    key: str  # text.key: folded, no quotes or spaces, lower case
    pinyin: str | None  # toneless joined reading if it reads as pinyin
    kind: str = "hanzi"  # hanzi | pinyin | code

    @functools.cached_property
    def words(self) -> tuple[str, ...]:
        """Words for the definition search (segmented only when a search needs them)."""
        if self.kind == "pinyin":
            return ()
        return tuple(dict.fromkeys(w for w, _, _ in segment.words(self.key)))


def understand(raw: str) -> Query:
    cleaned = raw
    if not raw.isprintable():  # (what is printable has no controls or surrogates)
        cleaned = "".join(c for c in raw if unicodedata.category(c)[0] != "C")
    if len(cleaned.strip()) > MAX_QUERY:
        raise QueryTooLong(f"the query is longer than {MAX_QUERY} characters")
    key = text.key(cleaned)
    if not key:
        raise EmptyQuery("the query is empty: type a term, its pinyin or its initials")
    typed = pinyin.typed_pinyin(cleaned)
    kind = "pinyin" if typed else "hanzi" if _HANZI.search(key) else "code"
    # Codes with digits, read with pinyin (1310gongzuotixi, 125cytx, 994 jiào yù), are
    # matched against readings too; + is not part of any reading.
    reading = typed or pinyin.typed_pinyin(cleaned, codes=True)
    return Query(cleaned.strip(), key, reading, kind)
