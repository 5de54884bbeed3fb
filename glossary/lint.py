"""Advice about a valid glossary: things a curator should look at, none of them fatal.

Warnings are :class:`~glossary.errors.Problem` values, like errors, so they can be
shown with file and line the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from glossary import frames, places, text
from glossary.errors import Problem
from glossary.model import Glossary


def warnings(glossary: Glossary) -> list[Problem]:
    return [
        *_parts_disagree_with_name(glossary),
        *_candidates_already_reviewed(glossary),
        *_places_not_full_paths(glossary),
    ]


def _parts_disagree_with_name(glossary: Glossary) -> Iterator[Problem]:
    for i, term in enumerate(glossary.terms):
        counts = frames.announced_counts(term.term)
        for j, sense in enumerate(term.senses):
            if sense.groups:
                yield from _groups_disagree_with_name(term.term, sense.groups, f"{i}].senses[{j}")
            elif counts and sense.parts and len(sense.parts) not in counts:
                expected = " or ".join(str(c) for c in counts)
                yield Problem(
                    f"terms[{i}].senses[{j}].parts",
                    f"{term.term} lists {len(sense.parts)} parts but its name announces {expected}",
                )


def _groups_disagree_with_name(headword: str, groups: list, where: str) -> Iterator[Problem]:
    """Each group counted against its number: “531” is 5, then 3, then 1."""
    sizes = [len(group.parts) for group in groups]
    announced = frames.announced_groups(headword)
    if announced and sizes != announced:
        yield Problem(
            f"terms[{where}].parts",
            f"{headword} groups its parts {'+'.join(map(str, sizes))} "
            f"but its name announces {'+'.join(map(str, announced))}",
        )


def _candidates_already_reviewed(glossary: Glossary) -> Iterator[Problem]:
    reviewed: dict[str, str] = {}
    for term in glossary.terms:
        if term.status == "reviewed":
            for form in term.forms:
                reviewed.setdefault(text.key(form), term.id)
    for i, term in enumerate(glossary.terms):
        match = reviewed.get(text.key(term.term))
        if term.status == "candidate" and match:
            yield Problem(
                f"terms[{i}].status",
                f"candidate {term.term} is already reviewed as '{match}': "
                "merge its sources there and remove it",
            )


def _places_not_full_paths(glossary: Glossary) -> Iterator[Problem]:
    """Localities and scopes that are not a whole path the table of divisions knows: a
    short one finds the wrong places (or none) when someone asks for a province or city."""
    advice = functools.cache(place_advice)  # thousands of senses share a handful of places
    for i, document in enumerate(glossary.documents):
        if document.locality and (message := advice(document.locality)):
            yield Problem(f"documents[{i}].locality", message)
    for i, term in enumerate(glossary.terms):
        for j, sense in enumerate(term.senses):
            if sense.scope and (message := advice(sense.scope)):
                yield Problem(f"terms[{i}].senses[{j}].scope", message)


def place_advice(name: str) -> str | None:
    """What is wrong with ``name`` as a full administrative path, or None if nothing.

    >>> place_advice("武汉市江岸区")
    '武汉市江岸区 is not a full path: write 湖北省武汉市江岸区'
    """
    found = places.readings(name)
    if len(found) > 1:
        paths = ", ".join(r.path for r in found[:4]) + (", …" if len(found) > 4 else "")
        return f"{name} names several places ({paths}): write the full path of one"
    if not found:
        return (
            f"{name} is not in the table of China's divisions: write the full path from "
            "the province down, e.g. 湖北省武汉市江岸区"
        )
    reading = found[0]
    if not reading.full:
        return (
            f"{name}: the table has no district or county of {reading.division.path} that "
            f"begins {reading.rest}: name the county before a town or street, or use the "
            "current name of a merged or renamed one"
        )
    if reading.path != name:
        return f"{name} is not a full path: write {reading.path}"
    return None
