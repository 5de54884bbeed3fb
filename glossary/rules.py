"""Rules that look across entries of a glossary: what makes a valid file beyond its shape.

``problems(glossary)`` returns what must be fixed before the file can be used
(errors); ``glossary.lint`` holds the advice that does not block loading.
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary import pinyin, text
from glossary.errors import Problem
from glossary.model import Glossary


def problems(glossary: Glossary) -> list[Problem]:
    """Every cross-entry error in ``glossary``, in file order."""
    return [
        *_duplicate_ids(glossary),
        *_duplicate_headwords(glossary),
        *_dangling_references(glossary),
        *_reviewed_without_definition(glossary),
        *_bad_pinyin(glossary),
        *_bad_redirects(glossary),
    ]


def _duplicate_ids(glossary: Glossary) -> Iterator[Problem]:
    for kind, items in (("documents", glossary.documents), ("terms", glossary.terms)):
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in first:
                yield Problem(
                    f"{kind}[{i}].id",
                    f"duplicate id '{item.id}' (first used by {kind}[{first[item.id]}])",
                )
            first.setdefault(item.id, i)


def _duplicate_headwords(glossary: Glossary) -> Iterator[Problem]:
    # One headword may mean different things in different places, but not twice in one place.
    first: dict[tuple[str, str | None], int] = {}
    for i, term in enumerate(glossary.terms):
        for scope in term.scopes or [None]:
            slot = (text.key(term.term), scope)
            if slot in first and first[slot] != i:
                where = f"in {scope}" if scope else "with no scope"
                yield Problem(
                    f"terms[{i}].term",
                    f"headword '{term.term}' {where} is already terms[{first[slot]}]",
                )
            first.setdefault(slot, i)


def _dangling_references(glossary: Glossary) -> Iterator[Problem]:
    for i, term in enumerate(glossary.terms):
        for k, ref in enumerate(term.related):
            if glossary.term(ref) is None:
                yield Problem(f"terms[{i}].related[{k}]", f"no term has id '{ref}'")
        if term.english and glossary.document(term.english.doc) is None:
            yield Problem(f"terms[{i}].english.doc", f"no document has id '{term.english.doc}'")
        for j, sense in enumerate(term.senses):
            for k, source in enumerate(sense.sources):
                if glossary.document(source.doc) is None:
                    yield Problem(
                        f"terms[{i}].senses[{j}].sources[{k}].doc",
                        f"no document has id '{source.doc}' (add it under documents:)",
                    )


def _reviewed_without_definition(glossary: Glossary) -> Iterator[Problem]:
    for i, term in enumerate(glossary.terms):
        if term.status == "reviewed" and term.definition is None:
            yield Problem(
                f"terms[{i}].status",
                "a reviewed term needs a definition; keep it a candidate until a report defines it",
            )


def _bad_pinyin(glossary: Glossary) -> Iterator[Problem]:
    for i, term in enumerate(glossary.terms):
        if term.pinyin is None:
            continue
        try:
            pinyin.read(term.term, term.pinyin)
        except ValueError as error:
            yield Problem(f"terms[{i}].pinyin", str(error))


def _bad_redirects(glossary: Glossary) -> Iterator[Problem]:
    """A redirect must lead, maybe through other redirects, to a term that is still there."""
    positions = {term.id: i for i, term in enumerate(glossary.terms)}
    in_circles: set[str] = set()
    for old, new in glossary.redirects.items():
        where = f"redirects.{old}"
        if old in positions:
            yield Problem(
                where,
                f"'{old}' is still a term (terms[{positions[old]}]): "
                "remove the redirect, or the term if it was merged away",
            )
        elif new not in positions and new not in glossary.redirects:
            yield Problem(
                where, f"no term has id '{new}' (redirect to the id of a term that exists)"
            )
        elif old not in in_circles and (circle := _circle(glossary.redirects, old)):
            in_circles.update(circle)
            yield Problem(
                where,
                f"redirects go round in a circle ({' -> '.join([*circle, old])}): "
                "point one of them at a term",
            )


def _circle(redirects: dict[str, str], start: str) -> list[str]:
    """The ids from ``start`` round to ``start`` again, or [] if following it ends."""
    path = [start]
    while (following := redirects.get(path[-1])) is not None:
        if following == start:
            return path
        if following in path:
            return []  # a circle further on, reported from one of its own ids
        path.append(following)
    return []
