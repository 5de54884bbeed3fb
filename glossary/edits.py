"""What each curation operation does to the items it changes, as round-trip YAML.

:mod:`glossary.curate` runs these inside its transaction: each step reads and edits
the ruamel mappings of a :class:`~glossary.draft.Draft` and raises
:class:`CurationError` when the change cannot be made as asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glossary import pinyin, places, text
from glossary.draft import Draft, plain, set_field, styled, update
from glossary.errors import GlossaryError
from glossary.history import Change, Record
from glossary.schema import DocumentSchema
from glossary.text import occurs


class CurationError(GlossaryError):
    """An operation that cannot be done as asked; the file is unchanged."""

    code = "curation_refused"


class NothingChanged(CurationError):
    code = "nothing_changed"


@dataclass(frozen=True)
class Difference:
    field: str
    was: Any  # in the version the curator saw (None where that version is not known)
    now: Any


def short(words: str, length: int = 40) -> str:
    return words if len(words) <= length else words[: length - 1] + "…"


def quoted(term, quote: str):
    """The sense and source of ``term`` whose quote is ``quote``."""
    for sense in term.get("senses") or []:
        for source in sense.get("sources") or []:
            if source["quote"] == quote or source["quote"].strip() == quote.strip():
                return sense, source
    raise CurationError(f"{term['id']} cites no such quote: choose one of its cited quotes")


def check_occurs(definition: str, quotes: list[str]) -> None:
    if not any(occurs(definition, q) for q in quotes):
        raise CurationError(
            "the definition must be text of one of the sense's cited quotes "
            "(trim the quote, do not rewrite it): never invent a meaning"
        )


def sense_at(term, index: int):
    senses = term.get("senses") or []
    if not 0 <= index < len(senses):
        raise CurationError(f"{term['id']} has no sense {index + 1}")
    return senses[index]


def parts(value: list | None) -> list | None:
    """Names, or groups of names: empty names and empty groups are dropped."""
    found = []
    for item in value or []:
        if isinstance(item, dict):
            names = [p.strip() for p in item.get("parts") or [] if p.strip()]
            group = (item.get("group") or "").strip() or None
            if names:
                found.append({"group": group, "parts": names} if group else {"parts": names})
        elif item.strip():
            found.append(item.strip())
    if any(isinstance(i, dict) for i in found) and not all(isinstance(i, dict) for i in found):
        raise CurationError("parts are either all names or all groups of names")
    return found or None


def set_definition(term, index: int, value: str | None) -> None:
    sense = sense_at(term, index)
    value = (value or "").strip() or None
    if value is not None:
        check_occurs(value, [s["quote"] for s in sense.get("sources") or []])
    set_field(sense, "definition", value, "senses")


def cleaned(name: str, value: Any) -> Any:
    if name in ("aliases", "related"):
        items = [v.strip() for v in (value or []) if v and v.strip()]
        return list(dict.fromkeys(items))
    return (value or "").strip() or None


def rendering(draft: Draft, value: dict | None) -> dict | None:
    if not value or not (value.get("text") or "").strip():
        return None
    doc = value.get("doc") or ""
    if not draft.has("documents", doc):
        raise CurationError(f"the English rendering names no known document ('{doc}')")
    return {
        "text": value["text"].strip(),
        "doc": doc,
        **({"lang": value["lang"]} if value.get("lang", "en") != "en" else {}),
    }


def new_document(draft: Draft, document: dict) -> str:
    fields = {k: (v or "").strip() for k, v in document.items() if (v or "").strip()}
    if "title" not in fields:
        raise CurationError("a new document needs its title")
    if "locality" in fields:
        fields["locality"] = places.resolve(fields["locality"])
    base = fields.pop("id", None) or pinyin.slug(fields["title"])[:60].strip("-") or "document"
    doc_id, n = base, 2
    while draft.has("documents", doc_id):
        doc_id, n = f"{base}-{n}", n + 1
    entry = {"id": doc_id, **fields}
    errors = DocumentSchema().validate(entry)
    if errors:
        name, messages = next(iter(errors.items()))
        raise CurationError(f"the new document's {name}: {'; '.join(map(str, messages))}")
    draft.add("documents", styled(entry))
    return doc_id


def fold_into(old, target) -> None:
    forms = {text.key(f) for f in [target["term"], *(target.get("aliases") or [])]}
    aliases = list(target.get("aliases") or [])
    for form in [old["term"], *(old.get("aliases") or [])]:
        if text.key(form) not in forms:
            forms.add(text.key(form))
            aliases.append(str(form))
    set_field(target, "aliases", aliases)
    for sense in old.get("senses") or []:
        _move_sense(plain(sense), target)
    if old.get("english") and not target.get("english"):
        set_field(target, "english", plain(old["english"]))
    related = [r for r in [*(target.get("related") or []), *(old.get("related") or [])]
               if r not in (target["id"], old["id"])]  # fmt: skip
    set_field(target, "related", list(dict.fromkeys(related)))


def _move_sense(sense: dict, target) -> None:
    senses = target.setdefault("senses", styled([]))
    same = next((s for s in senses if s.get("scope") == sense.get("scope")), None)
    if same is None:
        senses.append(styled(sense))
        return
    sources = same.setdefault("sources", styled([]))
    known = {(s["doc"], s["quote"]) for s in sources}
    for source in sense.get("sources") or []:
        if (source["doc"], source["quote"]) not in known:
            sources.append(styled(source))
    if not same.get("definition") and sense.get("definition") and target["status"] == "candidate":
        set_field(same, "definition", sense["definition"], "senses")


def redirect(draft: Draft, old: str, new: str) -> None:
    """``old`` answers at ``new``: so do ids that answered at ``old``, and references."""
    redirects = draft.redirects
    for moved, to in list(redirects.items()):
        if to == old:
            redirects[moved] = new
    redirects[old] = new
    for term_id in draft.ids("terms"):
        if term_id == new:
            continue
        term = draft.term(term_id) if _mentions(draft, term_id, old) else None
        if term is not None:
            related = [new if r == old else r for r in term.get("related") or []]
            set_field(term, "related", list(dict.fromkeys(r for r in related if r != term_id)))


def _mentions(draft: Draft, term_id: str, old: str) -> bool:
    # Loading every term would cost seconds: look at its lines first.
    return old in draft.text_of("terms", term_id)


def split_sense(draft: Draft, senses, index: int) -> list[str]:
    sense = senses[index]
    groups: dict[str | None, list] = {}
    for source in sense.get("sources") or []:
        doc = (
            draft.item("documents", source["doc"]) if draft.has("documents", source["doc"]) else {}
        )
        groups.setdefault(doc.get("locality") or sense.get("scope"), []).append(plain(source))
    if len(groups) < 2:
        raise CurationError("all the sources of that sense come from one place: nothing to split")
    definition = sense.get("definition")
    keep = sense.get("scope") if sense.get("scope") in groups else next(iter(groups))
    quoting = [p for p, found in groups.items() if _quotes_it(definition, found)]
    holder = quoting[0] if quoting else keep
    added = []
    for place, sources in groups.items():
        if place == keep:
            continue
        new = {"scope": place} if place else {}
        if place == holder:
            new = {"definition": str(definition), **new}
        new["sources"] = sources
        existing = next((s for s in senses if s is not sense and s.get("scope") == place), None)
        if existing is not None:
            existing.setdefault("sources", styled([])).extend(styled(s) for s in sources)
        else:
            senses.append(styled(new))
        added.append(place or "no place")
    kept = {**plain(sense), "sources": groups[keep]}
    if holder != keep:
        kept.pop("definition", None)
    if keep:
        kept["scope"] = keep
    update(sense, kept, "senses")
    return added


def _quotes_it(definition: str | None, sources: list[dict]) -> bool:
    return bool(definition) and any(occurs(definition, s["quote"]) for s in sources)


def revert(draft: Draft, change: Change, record: Record) -> None:
    section = f"{change.kind}s"
    if change.kind == "redirect":
        if draft.redirects.get(change.id) != change.after:
            raise CurationError(
                f"#{record.id} cannot be undone: the redirect of {change.id} changed since"
            )
        if change.before is None:
            del draft.redirects[change.id]
        else:
            draft.redirects[change.id] = change.before
        return
    present = draft.has(section, change.id)
    if change.after is None:
        if present:
            raise CurationError(f"#{record.id} cannot be undone: {change.id} exists again")
        draft.add(section, change.text or styled(change.before), change.position)
        return
    if not present or plain(draft.item(section, change.id)) != change.after:
        current = plain(draft.item(section, change.id)) if present else None
        fields = ", ".join(d.field for d in differences(change.after, current)) or "removed"
        raise CurationError(
            f"#{record.id} cannot be undone: {change.id} changed since ({fields}); "
            "undo the later changes first, or edit it by hand"
        )
    if change.before is None:
        draft.remove(section, change.id)
    else:
        update(draft.item(section, change.id), change.before, section)


def differences(was: Any, now_: Any) -> list[Difference]:
    """Field by field, what differs between two states of an item (a term's senses one
    by one); a redirect, which is one value, as one difference."""
    if not isinstance(was or {}, dict) or not isinstance(now_ or {}, dict):
        return [] if was == now_ else [Difference("redirect", was, now_)]
    found = []
    for name, a, b in _fields_differing(was, now_):
        if name == "senses" and isinstance(a, list) and isinstance(b, list):
            for n in range(max(len(a), len(b))):
                sense_a = a[n] if n < len(a) else None
                sense_b = b[n] if n < len(b) else None
                found += [
                    Difference(f"senses[{n}].{inner}", x, y)
                    for inner, x, y in _fields_differing(sense_a, sense_b)
                ]
        else:
            found.append(Difference(name, a, b))
    return found


def _fields_differing(was: dict | None, now_: dict | None) -> list[tuple[str, Any, Any]]:
    was, now_ = was or {}, now_ or {}
    names = dict.fromkeys([*was, *now_])
    return [(n, was.get(n), now_.get(n)) for n in names if was.get(n) != now_.get(n)]
