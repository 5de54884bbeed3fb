"""Glossary text with marked spans, as HTML that is safe whatever the text holds.

    >>> str(highlighted("坚持“三个区分开来”<b>", [(3, 9)]))
    '坚持“<mark>三个区分开来</mark>”&lt;b&gt;'

Markup is only ever built from escaped pieces: the text between spans and inside
them goes through ``markupsafe.escape``, the only literal tags are ``<mark>``.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ELLIPSIS = "…"


def highlighted(text: str, spans: Sequence[Sequence[int]]) -> Markup:
    """``text`` escaped, with each (start, end) code-point span in ``<mark>``."""
    pieces: list[str] = []
    at = 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        pieces += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end])]
        pieces.append(Markup("</mark>"))
        at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


def excerpt(text: str, spans: Sequence[Sequence[int]], width: int = 90) -> Markup:
    """About ``width`` characters of ``text`` around its first span, marked and escaped.

    A definition can run to hundreds of characters; a result list shows the part
    that matched, with an ellipsis where text was left out.
    """
    if len(text) <= width:
        return highlighted(text, spans)
    first = min((s for s, _ in spans), default=0)
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if e > start]
    body = highlighted(text[start:end], inside)
    return Markup("").join([ELLIPSIS if start else "", body, ELLIPSIS if end < len(text) else ""])
