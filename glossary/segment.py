"""Chinese word segmentation (jieba): the one place that sets it up.

    >>> [w for w, _, _ in words("重要干部任免")]  # doctest: +SKIP
    ['重要', '干部', '任免']

jieba's dictionary loads once per process (about 0.7 s), lazily, with its cache in a
directory the project owns (``$GLOSSARY_CACHE_DIR``, else ``~/.cache/policy-glossary``)
instead of /tmp. ``jieba.analyse`` is never imported: its TF-IDF tables cost ~135 MB.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from typing import TYPE_CHECKING

from glossary import config

if TYPE_CHECKING:
    import jieba


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    import jieba  # ~50 ms (it loads pkg_resources): only when text is first segmented

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    directory = config.cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer.tmp_dir = str(directory)
    tokenizer.initialize()
    return tokenizer


def load() -> None:
    """Load the dictionary now: in a server's master process, before workers fork, so
    that no request (and no worker restarted later) waits the 0.7 s for it."""
    _tokenizer()


def words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for every word of ``text`` in search mode, punctuation dropped.

    Search mode also yields the shorter words inside long ones (经济运行 -> 经济, 运行),
    so a query word finds a definition that prints it inside a longer word.
    """
    return [
        (word, start, end)
        for word, start, end in _tokenizer().tokenize(text, mode="search")
        if any(unicodedata.category(c)[0] in "LN" for c in word)
    ]
