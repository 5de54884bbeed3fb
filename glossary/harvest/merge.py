"""Merge harvested findings into the curated glossary without destroying curation.

Rules, in the order a curator relies on them:

- a term the glossary lacks arrives as a ``candidate`` (with the definition a report
  gave, if any), keyed by ``text.key`` so “531”产业体系 and 531产业体系 are one term;
- an existing term gains new sources, and a new sense for a place it had none for;
- a ``reviewed`` definition is never replaced: a differing harvested definition
  becomes a new sense, listed for review;
- a ``deprecated`` term (a curator rejected it) is never touched, and a finding of its
  headword or an alias is dropped, not made a new candidate: rejected stays rejected;
- a document keeps its curated fields; a harvest only fills in the address (``url``)
  or ``publisher`` it lacks;
- the same findings merged twice change nothing (the file stays byte-identical);
- writes go through ``store.edit``: round-trip, atomic, locked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from glossary import pinyin, store, text
from glossary.harvest.records import DocumentInfo, Finding


@dataclass
class MergeReport:
    """What a merge changed (or, in a dry run, would change)."""

    documents: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    senses: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)  # documents given a url or publisher
    skipped: list[str] = field(default_factory=list)  # deprecated terms findings matched

    @property
    def changed(self) -> bool:
        return any((self.documents, self.terms, self.senses, self.sources, self.completed))

    def summary(self) -> str:
        lines = [
            f"{len(self.documents)} new documents, {len(self.terms)} new terms, "
            f"{len(self.senses)} new senses, {len(self.sources)} new sources"
        ]
        for mark, items in (("+ document", self.documents), ("~ document", self.completed),
                            ("+ term", self.terms), ("+ sense", self.senses),
                            ("+ source", self.sources), ("! review", self.review),
                            ("- deprecated", self.skipped)):  # fmt: skip
            lines += [f"{mark} {item}" for item in items]
        return "\n".join(lines)


def merge(
    findings: Iterable[Finding], path: str | Path, dry_run: bool = False, min_score: float = 0.5
) -> MergeReport:
    """Merge ``findings`` into the glossary file at ``path``; ``dry_run`` writes nothing."""
    path = Path(path)
    if dry_run:
        return apply(store.load_round_trip(path), findings, min_score)
    with store.edit(path) as document:
        return apply(document, findings, min_score)


def apply(document: CommentedMap, findings: Iterable[Finding], min_score: float) -> MergeReport:
    """Merge into a round-trip YAML document in place."""
    report = MergeReport()
    merger = _Merger(document, report)
    for finding in findings:
        if finding.definition is not None or finding.score >= min_score:
            merger.add(finding)
    return report


def same_definition(a: str | None, b: str | None) -> bool:
    """Equal after folding quotes, width and whitespace and dropping a leading 指/即/是指."""
    if a is None or b is None:
        return a == b
    return text.definition_key(a) == text.definition_key(b)


class _Merger:
    def __init__(self, document: CommentedMap, report: MergeReport):
        self.document = document
        self.report = report
        document.setdefault("documents", CommentedSeq())
        document.setdefault("terms", CommentedSeq())
        self.documents = {d["id"]: d for d in document["documents"]}
        self.doc_by_file = {d["file"]: d["id"] for d in document["documents"] if d.get("file")}
        self.term_ids = {t["id"] for t in document["terms"]}
        self.by_key: dict[str, list[CommentedMap]] = {}
        for term in document["terms"]:
            self._index(term)

    def _index(self, term: CommentedMap) -> None:
        for form in [term["term"], *term.get("aliases", [])]:
            self.by_key.setdefault(text.key(form), []).append(term)

    def add(self, finding: Finding) -> None:
        finding = self._with_known_document(finding)
        scope = finding.doc.locality
        # A live term of the same key comes first: a rejected twin must not take its findings.
        matches = sorted(self.by_key.get(finding.key, []), key=_deprecated)
        term = next((t for t in matches if scope in _scopes(t)), matches[0] if matches else None)
        if term is not None and _deprecated(term):
            if term["id"] not in self.report.skipped:
                self.report.skipped.append(term["id"])
            return
        self._add_document(finding.doc)  # only now: a skipped finding cites no document
        if term is None:
            self._add_english(self._new_term(finding), finding)
            return
        self._add_english(term, finding)
        sense = next((s for s in term.get("senses", []) if s.get("scope") == scope), None)
        if sense is None:
            term.setdefault("senses", CommentedSeq()).append(_sense(finding))
            self.report.senses.append(f"{term['id']}: {scope or 'no scope'}")
        elif finding.definition is None or same_definition(
            sense.get("definition"), finding.definition
        ):
            self._add_source(term, sense, finding)
        elif sense.get("definition") is None and term["status"] == "candidate":
            sense["definition"] = finding.definition
            if finding.parts:
                sense["parts"] = _flow(finding.parts)
            self._add_source(term, sense, finding)
        else:
            self._conflicting_definition(term, finding)

    def _conflicting_definition(self, term: CommentedMap, finding: Finding) -> None:
        # Never overwrite: the harvested reading becomes its own sense, flagged for review.
        for sense in term["senses"]:
            if same_definition(sense.get("definition"), finding.definition):
                self._add_source(term, sense, finding)
                return
        term["senses"].append(_sense(finding))
        self.report.senses.append(f"{term['id']}: {finding.doc.locality or 'no scope'}")
        self.report.review.append(
            f"{term['id']}: {finding.doc.id} defines it differently: {finding.definition}"
        )

    def _add_source(self, term: CommentedMap, sense: CommentedMap, finding: Finding) -> None:
        sources = sense.setdefault("sources", CommentedSeq())
        if any(s["doc"] == finding.doc.id and s["quote"] == finding.quote for s in sources):
            return
        # One usage quote per report is evidence enough; more would bury the file.
        if finding.kind == "usage" and any(
            s["doc"] == finding.doc.id and s["kind"] == "usage" for s in sources
        ):
            return
        sources.append(_source(finding))
        self.report.sources.append(f"{term['id']} <- {finding.kind} in {finding.doc.id}")

    def _add_english(self, term: CommentedMap, finding: Finding) -> None:
        # The first report to print a translation gives it; a curator may change it.
        if finding.english and not term.get("english"):
            rendering = CommentedMap(text=finding.english, doc=finding.doc.id)
            rendering.fa.set_flow_style()
            term["english"] = rendering
            self.report.sources.append(f"{term['id']} <- English in {finding.doc.id}")

    def _new_term(self, finding: Finding) -> CommentedMap:
        term_id = self._free_id(pinyin.slug(finding.term) or "term")
        term = CommentedMap(id=term_id, term=finding.term, aliases=_flow([]), status="candidate")
        term["senses"] = CommentedSeq([_sense(finding)])
        self.document["terms"].append(term)
        self.term_ids.add(term_id)
        self._index(term)
        self.report.terms.append(f"{term_id}: {finding.term}")
        return term

    def _free_id(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.term_ids:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _with_known_document(self, finding: Finding) -> Finding:
        """Tie the finding to the glossary's own record of its report, if it has one.

        A curator may rename a document's id or correct its locality; the file name
        still says which report it is, and the curated record wins over detection.
        """
        doc = finding.doc
        known_id = doc.id if doc.id in self.documents else self.doc_by_file.get(Path(doc.path).name)
        if known_id is None:
            return finding
        curated = self.documents[known_id]
        self._complete(curated, doc)
        doc = dataclasses.replace(doc, id=known_id, locality=curated.get("locality"))
        return dataclasses.replace(finding, doc=doc)

    def _complete(self, entry: CommentedMap, doc: DocumentInfo) -> None:
        """Fill in the address and publisher a curated record lacks, never replacing them:
        a sidecar written after the first harvest still reaches the glossary."""
        added = [
            name
            for name, value in (("publisher", doc.publisher), ("url", doc.url))
            if value and not entry.get(name)
        ]
        for name in added:
            # before the file name, which stays last as the harvester's bookkeeping
            at = list(entry).index("file") if "file" in entry else len(entry)
            entry.insert(at, name, getattr(doc, name))
        if added:
            self.report.completed.append(f"{entry['id']}: {', '.join(added)}")

    def _add_document(self, doc: DocumentInfo) -> None:
        if doc.id in self.documents:
            return
        entry = CommentedMap(id=doc.id, title=doc.title)
        for name, value in (("publisher", doc.publisher), ("locality", doc.locality),
                            ("date", doc.date or (str(doc.year) if doc.year else None)),
                            ("url", doc.url), ("file", Path(doc.path).name)):  # fmt: skip
            if value:
                entry[name] = value
        self.document["documents"].append(entry)
        self.documents[doc.id] = entry
        self.doc_by_file[entry.get("file")] = doc.id
        self.report.documents.append(f"{doc.id}: {doc.title}")


def _deprecated(term: CommentedMap) -> bool:
    return term.get("status") == "deprecated"


def _scopes(term: CommentedMap) -> list[str | None]:
    return [s.get("scope") for s in term.get("senses", [])]


def _sense(finding: Finding) -> CommentedMap:
    sense = CommentedMap()
    if finding.definition is not None:
        sense["definition"] = finding.definition
    if finding.doc.locality:
        sense["scope"] = finding.doc.locality
    if finding.parts:
        sense["parts"] = _flow(finding.parts)
    sense["sources"] = CommentedSeq([_source(finding)])
    return sense


def _source(finding: Finding) -> CommentedMap:
    return CommentedMap(doc=finding.doc.id, kind=finding.kind, quote=finding.quote)


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
