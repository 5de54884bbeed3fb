"""Exports of the glossary for other programs.

``widget_json`` is the compact form the tooltip widget downloads once per page:

    {"version": "df1f8730d666eefc",
     "forms": {"三个区分开来": "san-ge-qu-fen-kai-lai", "531产业体系": "531-chan-ye-ti-xi", ...},
     "shared": {"某个共用词": ["term-a", "term-b"]},
     "terms": {"san-ge-qu-fen-kai-lai": {"term": "三个区分开来", "pinyin": "sān gè …",
               "definition": "把干部在推进改革中……", "scope": "湖北省武汉市江岸区",
               "status": "reviewed", "scopes": [...]},
               "deng-ling-qi-ye": {..., "senses": [{"scope": "湖北省武汉市江岸区",
                                                   "definition": "……"}, ...]}},
     "places": {"江岸区": "湖北省武汉市江岸区", "武汉市": "湖北省武汉市", ...},
     "fold": {"區": "区", "個": "个", ...}}

``forms`` keys are folded with ``text.key`` (no quotes, half width, simplified, lower
case); the widget folds page text the same way before matching. It cannot run OpenCC,
so ``fold`` lists, for every character of a form or scope, the traditional characters
OpenCC turns into it. ``forms`` holds the term the annotator picks when no locality
decides; ``shared`` lists every term of a form several terms have, in glossary order,
for the widget to choose by locality. ``scope`` is the place whose definition
``definition`` is (the tooltip says 据湖北省武汉市江岸区); ``senses`` is there only for a
term with more than one defined sense (the only case where a locality changes the
definition shown). ``places`` completes a page's short place name the way
``places.resolve`` does, for every division the scopes pass through, so that a page of
江岸区 prefers senses of 湖北省武汉市江岸区, then of 湖北省武汉市, then of 湖北省.
"""

from __future__ import annotations

from glossary import places, text
from glossary.annotate import MIN_LENGTH
from glossary.catalog import Catalog
from glossary.model import Term

SHORT_DEFINITION = 160


def short(definition: str | None, limit: int = SHORT_DEFINITION) -> str | None:
    """A definition cut to ``limit`` characters at most, with an ellipsis if cut."""
    if definition is None or len(definition) <= limit:
        return definition
    return definition[: limit - 1] + "…"


def widget_json(catalog: Catalog, version: str) -> dict:
    forms: dict[str, str] = {}
    sharers: dict[str, list[str]] = {}
    terms: dict[str, dict] = {}
    # Glossary order, not pinyin order: the annotator breaks ties by it.
    for term in catalog.glossary.terms:
        if term.status == "deprecated":
            continue
        for key in dict.fromkeys(text.key(form) for form in term.forms):
            if len(key) < MIN_LENGTH:
                continue  # the annotator never matches these either
            sharers.setdefault(key, []).append(term.id)
            holder = forms.get(key)
            # A form two terms share goes to a reviewed one; otherwise the first listed.
            if holder is None or (term.status == "reviewed" != terms[holder]["status"]):
                forms[key] = term.id
        terms[term.id] = _widget_term(term, catalog.entry(term.id).reading)
    body = {"version": version, "forms": forms, "terms": terms}
    shared = {key: ids for key, ids in sharers.items() if len(ids) > 1}
    if shared:
        body["shared"] = shared
    scopes = list(dict.fromkeys(scope for t in terms.values() for scope in t["scopes"]))
    body["places"] = place_names(scopes)
    body["fold"] = traditional_folds("".join(forms) + text.key("".join(scopes)))
    return body


def place_names(scopes: list[str]) -> dict[str, str]:
    """``{name: full path}``, keyed like ``text.key``, of the divisions ``scopes`` pass
    through whose name alone resolves to them; a province needs no completing.

    >>> place_names(["湖北省武汉市江岸区", "湖北省鄂州市鄂城区西山街道"])["江岸区"]
    '湖北省武汉市江岸区'
    >>> sorted(place_names(["湖北省鄂州市鄂城区西山街道"]))   # 西山街道: below the table
    ['鄂城区', '鄂州市']
    """
    found: dict[str, str] = {}
    for scope in scopes:
        start = 0
        for end in range(2, len(scope) + 1):
            path = scope[:end]
            if [r.path for r in places.readings(path) if not r.rest] != [path]:
                continue  # not the end of a unit the table knows
            name, start = scope[start:end], end
            if name != path and places.resolve(name) == path:
                found[text.key(name)] = text.key(path)
    return found


def _widget_term(term: Term, reading: str) -> dict:
    defined = [sense for sense in term.senses if sense.definition]
    compact = {"term": term.term, "pinyin": reading, "definition": short(term.definition)}
    if defined and defined[0].scope:
        compact["scope"] = defined[0].scope
    compact["status"] = term.status
    compact["scopes"] = list(dict.fromkeys(term.scopes))
    if len(defined) > 1:  # places that only use the term cannot change what it means
        compact["senses"] = [
            {"scope": sense.scope, "definition": short(sense.definition)} for sense in defined
        ]
    return compact


def traditional_folds(simplified: str) -> dict[str, str]:
    """``{traditional: simplified}`` for every character OpenCC folds into one of ``simplified``.

    >>> traditional_folds("三个区")["區"], traditional_folds("三个区")["個"]
    ('区', '个')
    """
    wanted = set(simplified)  # single characters: OpenCC's rare one-to-two folds drop out
    # A character a form keeps as written (乾 of 乾隆) must not fold away on the page.
    return {
        trad: simp
        for trad, simp in text.traditional_chars().items()
        if simp in wanted and trad not in wanted
    }
