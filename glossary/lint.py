"""Advice about a valid glossary: things a curator should look at, none of them fatal.

Warnings are :class:`~glossary.errors.Problem` values, like errors, so they can be
shown with file and line the same way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from glossary import frames, places, text
from glossary.errors import Problem
from glossary.model import Glossary, Sense

# The words a report may put before a definition: 指…, 即…, 是指…
# An ellipsis, as folded by ``text.key``: the quote (or definition) leaves text out here.
_CUT = re.compile(r"…+|\.{3,}")
# Where a clause begins or ends in folded text: an abridged quote is cut at one of these.
_CLAUSE = re.compile(r"[:,;、。]")


def warnings(glossary: Glossary) -> list[Problem]:
    return [
        *_parts_disagree_with_name(glossary),
        *_candidates_already_reviewed(glossary),
        *_places_not_full_paths(glossary),
        *_definitions_not_quoted(glossary),
        *_aliases_heading_other_terms(glossary),
        *_related_to_deprecated(glossary),
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


def _definitions_not_quoted(glossary: Glossary) -> Iterator[Problem]:
    """A reviewed definition is one a curator checked against a report: the quotes its
    sense cites must print it (a slip in copying either shows here)."""
    for i, term in enumerate(glossary.terms):
        if term.status != "reviewed":
            continue
        for j, sense in enumerate(term.senses):
            if sense.definition and not _quoted(sense):
                cites = "none of the quotes this sense cites" if sense.sources else "no quote"
                yield Problem(
                    f"terms[{i}].senses[{j}].definition",
                    f"the definition of {term.term} is in {cites}: copy it as the report "
                    "prints it, or cite the quote that gives it",
                )


def _quoted(sense: Sense) -> bool:
    """Whether one of the sense's quotes prints its definition, folded as lookups fold
    (quotes, width, whitespace, traditional characters) and without a lead 指 or 即.

    An ellipsis abridges: each stretch of the definition between ellipses must be
    printed, and where a quote is cut, a stretch may run on past the cut from the start
    of a clause (``三个区分开来:把干部在推进改革中……`` shows ``把干部在推进改革中因……``).
    """
    stretches = [s for s in _CUT.split(text.definition_key(sense.definition)) if s]
    quotes = [_CUT.split(text.key(source.quote)) for source in sense.sources]
    return any(all(_printed(s, shown) for s in stretches) for shown in quotes)


def _printed(stretch: str, shown: list[str]) -> bool:
    """Whether ``stretch`` is in the quote whose printed stretches are ``shown`` (the
    quote's cuts fall between them)."""
    if any(stretch in printed for printed in shown):
        return True
    # Only printed text can show a stretch: not the nothing before a quote's first cut.
    before_cuts, after_cuts = [p for p in shown[:-1] if p], [p for p in shown[1:] if p]
    return any(
        stretch.startswith(printed[start:]) for printed in before_cuts
        for start in _clause_starts(printed)
    ) or any(
        stretch.endswith(printed[:end]) for printed in after_cuts for end in _clause_ends(printed)
    )  # fmt: skip


def _clause_starts(printed: str) -> list[int]:
    return [0, *(m.end() for m in _CLAUSE.finditer(printed) if m.end() < len(printed))]


def _clause_ends(printed: str) -> list[int]:
    return [*(m.start() for m in _CLAUSE.finditer(printed) if m.start() > 0), len(printed)]


def _aliases_heading_other_terms(glossary: Glossary) -> Iterator[Problem]:
    """An alias that is another term's headword sends a reader looking it up to both."""
    live = [(i, t) for i, t in enumerate(glossary.terms) if t.status != "deprecated"]
    headwords: dict[str, list[int]] = {}
    for i, term in live:
        headwords.setdefault(text.key(term.term), []).append(i)
    for i, term in live:
        own = text.key(term.term)
        for k, alias in enumerate(term.aliases):
            if (form := text.key(alias)) == own:
                continue  # the headword written another way: no second term comes of it
            for other in headwords.get(form, []):
                if not _already_reviewed(term, glossary.terms[other]):
                    yield Problem(
                        f"terms[{i}].aliases[{k}]",
                        f"alias {alias} of '{term.id}' is the headword of "
                        f"'{glossary.terms[other].id}' (terms[{other}]): merge the two "
                        "terms, or remove the alias",
                    )


def _already_reviewed(term, other) -> bool:
    # A candidate named as a reviewed term's alias is _candidates_already_reviewed's.
    return term.status == "reviewed" and other.status == "candidate"


def _related_to_deprecated(glossary: Glossary) -> Iterator[Problem]:
    """A rejected term is not shown as jargon: a live entry should not send readers to it."""
    for i, term in enumerate(glossary.terms):
        if term.status == "deprecated":
            continue  # not shown either, so nobody follows its links
        for k, ref in enumerate(term.related):
            related = glossary.term(ref)
            if related is not None and related.status == "deprecated":
                yield Problem(
                    f"terms[{i}].related[{k}]",
                    f"'{ref}' is deprecated: remove it from related, or name the term "
                    "that replaces it",
                )


def merged_without_redirect(glossary: Glossary, records: list) -> Iterator[Problem]:
    """Ids the history merged away that neither exist nor redirect: links people shared
    to them would answer 404 (``records``: :meth:`glossary.history.History.records`)."""
    merged: dict[str, int] = {}
    for record in records:
        if record.op == "merge":
            merged.update({c.id: record.id for c in record.changes
                           if c.kind == "term" and c.after is None})  # fmt: skip
    for term_id, number in merged.items():
        if glossary.term(term_id) is None and glossary.moved(term_id) is None:
            yield Problem(
                "redirects",
                f"'{term_id}' was merged into another term (change #{number}) but has no "
                f"redirect: add '{term_id}: <its new id>' under redirects:",
            )


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
