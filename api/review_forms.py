"""The edit form of a term on the review pages: what it shows, and what a post changes.

A field is written only if the curator changed it from what the page showed, so the
history names only what changed and a conflict re-sends only the curator's own edits.
Parts are typed one a line, a line ending in a colon naming the group below it::

    主导产业：
    金融保险
    创意设计
"""

from __future__ import annotations

from glossary.curate import CurationError
from glossary.model import Term
from glossary.schema import TermSchema


def edited_fields(term: Term, form) -> dict:
    """The fields the form changes, as ``Desk.edit`` takes them: those of the term's own
    that differ from what the edit page shows (a field left alone, or not sent, is not
    written: the history names only what changed), and the definition and parts of the
    one sense whose text changed."""
    shown = edit_values(term)
    fields: dict = {}
    for name in ("category", "pinyin"):
        if _differs(form.get(name), shown[name]):
            fields[name] = form[name]
    for name in ("aliases", "related"):
        if _differs(form.get(name), shown[name]):
            fields[name] = items(form[name])
    if any(_differs(form.get(name), shown[name]) for name in ("english", "english_doc")):
        fields["english"] = {"text": form.get("english", shown["english"]),
                             "doc": form.get("english_doc", shown["english_doc"])}  # fmt: skip
    changed = [n for n, sense in enumerate(term.senses) if _sense_changed(form, n, sense)]
    if len(changed) > 1:
        raise CurationError("change one sense at a time: save, then edit the next")
    for n in changed:
        fields.update(sense=n, definition=form.get(f"definition_{n}", ""),
                      parts=parts_field(form.get(f"parts_{n}"), term.senses[n]))  # fmt: skip
    return fields


def _sense_changed(form, n: int, sense) -> bool:
    definition = form.get(f"definition_{n}", sense.definition or "").strip()
    parts = parts_field(form.get(f"parts_{n}"), sense)
    return definition != (sense.definition or "") or parts != parts_of(sense)


def parts_of(sense) -> list:
    """A sense's parts as ``Desk.edit`` takes them: names, or groups of names."""
    if sense.groups:
        return [{"group": g.name, "parts": g.parts} if g.name else {"parts": g.parts}
                for g in sense.groups]  # fmt: skip
    return list(sense.parts)


def parts_field(value: str | None, sense) -> list:
    """The parts textarea: one part a line; a line ending in a colon names the group
    of the parts below it (主导产业：)."""
    if value is None:
        return parts_of(sense)
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    if not any(line.endswith(("：", ":")) for line in lines):
        return lines
    groups: list[dict] = []
    for line in lines:
        if line.endswith(("：", ":")):
            groups.append({"group": line[:-1].strip(), "parts": []})
        elif groups:
            groups[-1]["parts"].append(line)
        else:
            groups.append({"group": None, "parts": [line]})
    return [{k: v for k, v in g.items() if v is not None} for g in groups]


def parts_text(sense) -> str:
    """What the parts textarea starts with (the reverse of :func:`parts_field`)."""
    if not sense.groups:
        return "\n".join(sense.parts)
    return "\n".join((f"{g.name}：\n" if g.name else "") + "\n".join(g.parts) for g in sense.groups)


def items(value: str) -> list[str]:
    """One item a line (an alias may hold 、 or a comma itself)."""
    return [item.strip() for item in value.splitlines() if item.strip()]


def edit_values(term: Term) -> dict[str, str]:
    """What each field of the edit form starts with for ``term``."""
    values = {
        "category": term.category or "", "aliases": "\n".join(term.aliases),
        "pinyin": term.pinyin or "", "related": "\n".join(term.related),
        "english": term.english.text if term.english else "",
        "english_doc": term.english.doc if term.english else "",
    }  # fmt: skip
    for n, sense in enumerate(term.senses):
        values[f"definition_{n}"] = sense.definition or ""
        values[f"parts_{n}"] = parts_text(sense)
    return values


def _differs(sent: str | None, shown: str) -> bool:
    """A field was changed: sent, and other than shown (line by line: browsers send a
    textarea's lines with CRLF, and spaces around a line never count)."""
    return sent is not None and items(sent) != items(shown)


def own_edits(seen: dict | None, form) -> dict[str, str]:
    """The fields of an edit form the curator changed from the term as they ``seen`` it
    (a conflict's ``base``; everything sent where it is not known): only those are sent
    again on the new version, so re-sending keeps the change that made the conflict."""
    sent = {k: v for k, v in form.items() if k not in ("csrf_token", "version")}
    if seen is None:
        return sent
    shown = edit_values(TermSchema().load(seen))
    return {k: v for k, v in sent.items() if k not in shown or _differs(v, shown[k])}
