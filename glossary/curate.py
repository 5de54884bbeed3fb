"""Curation: the named operations by which curators change the glossary file.

    desk = Desk("data/terms.yaml")
    term = desk.glossary().term("san-ge-qu-fen-kai-lai")
    desk.accept(term.id, version(term), quote=..., definition=..., who="li")

Each operation, in one transaction under the file's lock:

1. re-reads the file (hand edits made in between are respected) and checks that each
   term it changes is still at the version the curator saw, else :class:`Conflict`,
   which says what changed and by whom, and changes nothing;
2. changes only the items it names (:class:`~glossary.draft.Draft`: the rest of the
   file, comments and layout, stays byte for byte);
3. validates the whole new file as a load would;
4. appends who, when, what (each item before and after) and why to the history,
   then replaces the file atomically (see :mod:`glossary.history` for why both agree
   even when the process is killed between the two).

Every recorded operation can be undone (:meth:`Desk.undo`), itself an operation.
A definition always comes from a report: accept, edit and split keep each definition
to text that occurs in one of the sense's cited quotes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glossary import edits, store
from glossary.catalog import Catalog
from glossary.draft import Draft, plain, set_field, styled
from glossary.edits import CurationError, Difference, NothingChanged, differences
from glossary.errors import GlossaryError, NotFound
from glossary.history import Change, History, Record, file_hash, now
from glossary.model import SOURCE_KINDS, Glossary, Term
from glossary.queue import Queue
from glossary.schema import TermSchema

__all__ = ["Conflict", "CurationError", "Desk", "Difference", "NothingChanged", "differences",
           "version"]  # fmt: skip

EDITABLE = ("definition", "parts", "category", "aliases", "pinyin", "related", "english")
FIELD_LABELS = dict(
    zip(EDITABLE, ("释义", "组成", "类别", "别名", "拼音", "相关术语", "英文"), strict=True)
)


class Conflict(GlossaryError):
    """The term changed since the curator's version: what changed, and by which records."""

    status = 409
    code = "conflict"

    def __init__(self, term_id: str, seen: str, current: str,
                 differences: list[Difference], records: list[Record],
                 base: dict | None = None):  # fmt: skip
        self.term_id, self.seen, self.current = term_id, seen, current
        self.differences, self.records = differences, records
        self.base = base  # the term as the curator saw it, where the history has it
        fields = ", ".join(d.field for d in differences) or "the file was edited by hand"
        by = ", ".join(f"{r.op} by {r.who} at {r.at}" for r in records) or "a hand edit"
        super().__init__(
            f"{term_id} changed since version {seen} (now {current}): {fields}; by {by}. "
            "Nothing was written: look at the new version and apply your change again."
        )


def version(term: Term) -> str:
    """A short fingerprint of everything a term says: an edit names the version it was
    based on, and an edit based on an older one is a conflict."""
    data = TermSchema().dump(term)
    for number, sense in enumerate(term.senses):
        if sense.groups:
            data["senses"][number]["groups"] = [[g.name, g.parts] for g in sense.groups]
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


class Desk:
    """The curation operations on one glossary file, and its history."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.history = History(self.path)
        self._cached: tuple[tuple[int, int], Glossary] | None = None
        self._queue: Queue | None = None

    def glossary(self) -> Glossary:
        """The file as it is now (parsed again only when it changed): what a curator
        sees must be what the next operation checks against."""
        stamp = self._stamp()
        if self._cached is None or self._cached[0] != stamp:
            self._cached = (stamp, store.load(self.path))
        return self._cached[1]

    def queue(self) -> Queue:
        """The review queue of :meth:`glossary`."""
        glossary = self.glossary()
        if self._queue is None or self._queue.glossary is not glossary:
            self._queue = Queue(Catalog(glossary))
        return self._queue

    def _stamp(self) -> tuple[int, int]:
        stat = os.stat(self.path)
        return stat.st_mtime_ns, stat.st_size

    # --- the operations ------------------------------------------------------------------

    def accept(self, term_id: str, seen: str, *, quote: str, definition: str | None = None,
               who: str, why: str = "") -> Record:  # fmt: skip
        """Make a candidate reviewed with a definition from one of its cited quotes
        (``definition``, trimmed from ``quote``; the whole quote if not given)."""

        def work(draft: Draft) -> str:
            term = draft.term(term_id)
            if term["status"] != "candidate":
                raise CurationError(f"{term_id} is {term['status']}, not a candidate")
            sense, source = edits.quoted(term, quote)
            chosen = (definition or "").strip() or sense.get("definition") or quote
            edits.check_occurs(chosen, [source["quote"]])
            set_field(sense, "definition", chosen, "senses")
            if source["kind"] == "usage":  # the quote that defines it is an inline definition
                source["kind"] = "inline"
            term["status"] = "reviewed"
            return f"接受 {term['term']}：{edits.short(chosen)}"

        return self._operate("accept", who, why, {term_id: seen}, work)

    def edit(self, term_id: str, seen: str, *, who: str, why: str = "",
             sense: int = 0, **fields: Any) -> Record:  # fmt: skip
        """Change any of :data:`EDITABLE`: ``definition`` and ``parts`` are those of sense
        ``sense`` (the definition must occur in one of its quotes; parts are names, or
        groups ``{"group": name, "parts": [...]}``); ``english`` is ``{"text", "doc"}``."""
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise CurationError(
                f"cannot edit {', '.join(sorted(unknown))}: only {', '.join(EDITABLE)}"
            )

        def work(draft: Draft) -> str:
            term = draft.term(term_id)
            for name, value in fields.items():
                if name == "definition":
                    edits.set_definition(term, sense, value)
                elif name == "parts":
                    set_field(edits.sense_at(term, sense), "parts", edits.parts(value), "senses")
                elif name == "english":
                    set_field(term, name, edits.rendering(draft, value))
                else:
                    set_field(term, name, edits.cleaned(name, value))
            return f"编辑 {term['term']}：{'、'.join(FIELD_LABELS[f] for f in fields)}"

        return self._operate("edit", who, why, {term_id: seen}, work)

    def add_source(self, term_id: str, seen: str, *, kind: str, quote: str, who: str,
                   doc: str | None = None, document: dict | None = None,
                   why: str = "") -> Record:  # fmt: skip
        """Cite ``quote`` from document ``doc``, or from a new ``document`` (title, and
        any of locality, date, url, publisher): in the sense of the document's place."""
        if kind not in SOURCE_KINDS:
            raise CurationError(f"kind must be one of {', '.join(SOURCE_KINDS)}")
        if not quote.strip():
            raise CurationError("the quote is empty: copy it from the report")

        def work(draft: Draft) -> str:
            doc_id = doc if document is None else edits.new_document(draft, document)
            if not draft.has("documents", doc_id):
                raise CurationError(f"no document has id '{doc_id}'")
            term = draft.term(term_id)
            locality = draft.item("documents", doc_id).get("locality")
            senses = term.setdefault("senses", styled([]))
            sense = next((s for s in senses if s.get("scope") == locality), None)
            if sense is None:
                sense = styled({"scope": locality} if locality else {})
                senses.append(sense)
            sources = sense.setdefault("sources", styled([]))
            if any(s["doc"] == doc_id and s["quote"] == quote for s in sources):
                raise NothingChanged(f"{term_id} already cites that quote of {doc_id}")
            sources.append(styled({"doc": doc_id, "kind": kind, "quote": quote.strip()}))
            return f"为 {term['term']} 添加出处 {doc_id}"

        return self._operate("add-source", who, why, {term_id: seen}, work)

    def reject(self, term_id: str, seen: str, *, reason: str, who: str) -> Record:
        """Deprecate a term with a reason: it is no longer shown, and harvests that find
        it again leave it so."""
        if not reason.strip():
            raise CurationError("say why the term is rejected")

        def work(draft: Draft) -> str:
            term = draft.term(term_id)
            if term["status"] == "deprecated":
                raise NothingChanged(f"{term_id} is already deprecated")
            term["status"] = "deprecated"
            set_field(term, "reason", reason.strip())
            return f"弃用 {term['term']}：{edits.short(reason.strip())}"

        return self._operate("reject", who, reason, {term_id: seen}, work)

    def merge(self, term_id: str, seen: str, *, into: str, into_seen: str, who: str,
              why: str = "") -> Record:  # fmt: skip
        """Fold candidate ``term_id`` into term ``into`` as an alias: its forms, sources
        and rendering move there, references to it follow, and its id redirects."""
        if term_id == into:
            raise CurationError("a term cannot be merged into itself")

        def work(draft: Draft) -> str:
            old, target = draft.term(term_id), draft.term(into)
            if old["status"] != "candidate":
                raise CurationError(f"only candidates are merged; {term_id} is {old['status']}")
            if target["status"] == "deprecated":
                raise CurationError(f"{into} is deprecated: undo its rejection first")
            edits.fold_into(old, target)
            draft.remove("terms", term_id)
            edits.redirect(draft, term_id, into)
            return f"把 {old['term']} 合并到 {target['term']}"

        return self._operate("merge", who, why, {term_id: seen, into: into_seen}, work)

    def split(self, term_id: str, seen: str, *, sense: int = 0, who: str,
              why: str = "") -> Record:  # fmt: skip
        """Split a sense whose sources come from several places into one sense per place;
        its definition stays with the sources that quote it."""

        def work(draft: Draft) -> str:
            term = draft.term(term_id)
            senses = term.get("senses") or []
            if not 0 <= sense < len(senses):
                raise CurationError(f"{term_id} has no sense {sense + 1}")
            added = edits.split_sense(draft, senses, sense)
            return f"按地方拆分 {term['term']}：{'、'.join(added)}"

        return self._operate("split", who, why, {term_id: seen}, work)

    def undo(self, record_id: int, *, who: str, why: str = "") -> Record:
        """Revert a recorded operation, if what it changed is still as it left it."""
        record = self.history.record(record_id)
        if record is None:
            raise NotFound(f"no change numbered {record_id} in the history")

        def work(draft: Draft) -> str:
            for change in reversed(record.changes):
                edits.revert(draft, change, record)
            return f"撤销 #{record.id}（{record.summary}）"

        return self._operate("undo", who, why, {}, work, undoes=record)

    # --- the transaction -----------------------------------------------------------------

    def _operate(self, op: str, who: str, why: str, seen: dict[str, str],
                 work: Callable[[Draft], str], undoes: Record | None = None) -> Record:  # fmt: skip
        if not who:
            raise CurationError("every change needs the name of the curator who makes it")
        with store.lock(self.path):
            source = store.read_text(self.path)
            before = file_hash(source)
            records = self.history.settle(before)
            draft = Draft(source)
            for term_id, version_seen in seen.items():
                self._check_version(draft, term_id, version_seen, records)
            summary = work(draft)
            edited = draft.render()
            if edited == source:
                raise NothingChanged("nothing to change: the file already says that")
            glossary = store.parse(edited, str(self.path))  # raises, naming field and line
            changes = draft.changes()
            record = Record(
                id=self.history.next_id(records), at=now(), who=who, op=op, why=why,
                terms=_touched_terms(changes, undoes), changes=changes,
                file_before=before, file_after=file_hash(edited),
                undoes=undoes.id if undoes else None, summary=summary,
            )  # fmt: skip
            self.history.append(record)
            store.remove_leftovers(self.path)
            store.atomic_write(self.path, edited)
            self._cached = (self._stamp(), glossary)  # what was just checked is what is there
        return record

    def _check_version(self, draft: Draft, term_id: str, seen: str, records: list[Record]):
        if not draft.has("terms", term_id) and term_id in draft.redirects:
            moved = draft.redirects[term_id]
            raise CurationError(f"{term_id} was merged into {moved}: open {moved} instead")
        current_plain = plain(draft.term(term_id))
        current = _version_of(current_plain)
        if current == seen:
            return
        base, since = None, []
        for record in reversed(records):
            change = record.change("term", term_id)
            if change is None:
                continue
            since.insert(0, record)
            if change.after is not None and _version_of(change.after) == seen:
                base = change.after
                since.pop(0)
                break
            if change.before is not None and _version_of(change.before) == seen:
                base = change.before
                break
        found = differences(base, current_plain) if base is not None else []
        raise Conflict(term_id, seen, current, found, since if base is not None else [], base)


def _version_of(data: dict) -> str:
    return version(TermSchema().load(data))


def _touched_terms(changes: list[Change], undoes: Record | None) -> list[str]:
    touched = [c.id for c in changes if c.kind == "term"]
    if undoes is not None:
        touched += undoes.terms
    return list(dict.fromkeys(touched))
