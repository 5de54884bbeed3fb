"""Advice about a valid glossary: things a curator should look at, none of them fatal.

Warnings are :class:`~glossary.errors.Problem` values, like errors, so they can be
shown with file and line the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

from glossary import frames, text
from glossary.errors import Problem
from glossary.model import Glossary


def warnings(glossary: Glossary) -> list[Problem]:
    return [*_parts_disagree_with_name(glossary), *_candidates_already_reviewed(glossary)]


def _parts_disagree_with_name(glossary: Glossary) -> Iterator[Problem]:
    for i, term in enumerate(glossary.terms):
        counts = frames.announced_counts(term.term)
        for j, sense in enumerate(term.senses):
            if counts and sense.parts and len(sense.parts) not in counts:
                expected = " or ".join(str(c) for c in counts)
                yield Problem(
                    f"terms[{i}].senses[{j}].parts",
                    f"{term.term} lists {len(sense.parts)} parts but its name announces {expected}",
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
