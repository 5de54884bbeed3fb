"""Exports of the glossary for other programs.

``widget_json`` is the compact form the tooltip widget downloads once per page:

    {"version": "df1f8730d666eefc",
     "forms": {"三个区分开来": "san-ge-qu-fen-kai-lai", "531产业体系": "531-chan-ye-ti-xi", ...},
     "terms": {"san-ge-qu-fen-kai-lai": {"term": "三个区分开来", "pinyin": "sān gè …",
               "definition": "把干部在推进改革中……", "status": "reviewed", "scopes": [...]}}}

``forms`` keys are folded with ``text.key`` (no quotes, half width, simplified, lower
case); the widget folds page text the same way before matching.
"""

from __future__ import annotations

from glossary import text
from glossary.catalog import Catalog

SHORT_DEFINITION = 160


def short(definition: str | None, limit: int = SHORT_DEFINITION) -> str | None:
    """A definition cut to ``limit`` characters at most, with an ellipsis if cut."""
    if definition is None or len(definition) <= limit:
        return definition
    return definition[: limit - 1] + "…"


def widget_json(catalog: Catalog, version: str) -> dict:
    forms: dict[str, str] = {}
    terms: dict[str, dict] = {}
    for entry in catalog.entries:
        term = entry.term
        if term.status == "deprecated":
            continue
        for key in {text.key(form) for form in term.forms} - {""}:
            holder = forms.get(key)
            # A form two terms share goes to a reviewed one; otherwise the first listed.
            if holder is None or (term.status == "reviewed" != terms[holder]["status"]):
                forms[key] = term.id
        terms[term.id] = {
            "term": term.term,
            "pinyin": entry.reading,
            "definition": short(term.definition),
            "status": term.status,
            "scopes": list(dict.fromkeys(term.scopes)),
        }
    return {"version": version, "forms": forms, "terms": terms}
