"""The glossary as TBX-Basic, for terminology tools and CAT tools.

    print(dumps(glossary, "https://glossary.example/").decode())
    <tbx type="TBX-Basic" style="dca" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2">
      <tbxHeader>...</tbxHeader>
      <text><body>
        <conceptEntry id="san-ge-qu-fen-kai-lai">
          <descrip type="subjectField">干部管理</descrip>
          <xref type="externalCrossReference" target="https://glossary.example/terms/san-ge-qu-fen-kai-lai">…</xref>
          <langSec xml:lang="zh">
            <descripGrp>
              <descrip type="definition">把干部在推进改革中……</descrip>
              <admin type="source">2024年武汉市江岸区政府工作报告，2023-12-24</admin>
              <note>湖北省武汉市江岸区</note>
            </descripGrp>
            <termSec>
              <term>三个区分开来</term>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
              <descripGrp><descrip type="context">……坚持“三个区分开来”……</descrip>…</descripGrp>
              <note xml:lang="zh-Latn-pinyin">sān gè qū fēn kāi lái</note>
            </termSec>
          </langSec>
        </conceptEntry>
        …

``version="3"`` (the default) writes TBX v3, ISO 30042:2019, dialect TBX-Basic in the
DCA style, valid against the TBX core RNG and the TBX-Basic Schematron
(``tests/fixtures/tbx/``). ``version="2"`` writes the same entries in the 2008 edition's
``martif`` form (``termEntry``/``langSet``/``tig``) for the tools that read only that,
translate-toolkit (and so Weblate) among them.

Where things go, and why:

- A definition is a ``descripGrp`` of the Chinese ``langSec``: one per sense, with an
  ``admin type="source"`` citing each document that gives it, and the sense's place as a
  ``note`` (TBX-Basic has no data category for a definition's region).
- Usage quotes are ``context``s of the headword's ``termSec``, each with its source.
- The status is the headword's ``administrativeStatus``: reviewed → preferred, candidate
  → admitted, deprecated → deprecated; aliases are further ``termSec``s, admitted (or
  deprecated with their term), of ``termType`` variant.
- The English rendering a report prints is a ``langSec xml:lang="en"``.
- The concept's URI is an ``externalCrossReference``; related terms are
  ``crossReference``s to their entries. An entry id is the term id, with ``_`` before an
  id that starts with a digit (an XML ID must not); slugs never start with ``_``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from glossary import pinyin
from glossary.model import Glossary, Sense, Term
from glossary.publish import TITLES, Addresses, citation, selected, status_notes

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("3", "2")
STATUS = {
    "reviewed": "preferredTerm-admn-sts",
    "candidate": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}


@dataclass(frozen=True)
class _Edition:
    """The element names of one edition of TBX; the structure below them is the same."""

    namespace: str | None
    root: str
    header: str
    entry: str
    language: str
    term: str


_EDITIONS = {
    "3": _Edition(NAMESPACE, "tbx", "tbxHeader", "conceptEntry", "langSec", "termSec"),
    "2": _Edition(None, "martif", "martifHeader", "termEntry", "langSet", "tig"),
}


def entry_id(term_id: str) -> str:
    """The XML ID of a term's entry.

    >>> entry_id("san-ge-qu-fen-kai-lai"), entry_id("531-chan-ye-ti-xi")
    ('san-ge-qu-fen-kai-lai', '_531-chan-ye-ti-xi')
    """
    return term_id if term_id[:1].isalpha() else f"_{term_id}"


def dumps(
    glossary: Glossary,
    base_url: str,
    statuses: Iterable[str] | None = None,
    version: str = "3",
) -> bytes:
    """The glossary (or the terms of ``statuses``) as a UTF-8 TBX file."""
    if version not in _EDITIONS:
        raise ValueError(f"version must be one of {', '.join(VERSIONS)}")
    writer = _Writer(glossary, Addresses.of(base_url), _EDITIONS[version])
    terms = selected(glossary, statuses)
    body = writer.document(version)
    exported = {t.id for t in terms}
    for term in terms:
        body.append(writer.entry(term, exported))
    return etree.tostring(
        body.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


class _Writer:
    def __init__(self, glossary: Glossary, addresses: Addresses, edition: _Edition):
        self.glossary = glossary
        self.addresses = addresses
        self.edition = edition

    def _name(self, local: str) -> str:
        namespace = self.edition.namespace
        return f"{{{namespace}}}{local}" if namespace else local

    def _add(self, parent, local: str, text: str | None = None, **attributes) -> etree._Element:
        element = etree.SubElement(parent, self._name(local), attributes)
        element.text = text
        return element

    def document(self, version: str) -> etree._Element:
        """The root and header; returns the ``body`` to add entries to."""
        edition = self.edition
        nsmap = {None: edition.namespace} if edition.namespace else None
        root = etree.Element(self._name(edition.root), nsmap=nsmap, type="TBX-Basic")
        if version == "3":
            root.set("style", "dca")
        root.set(XML_LANG, "zh")
        file_description = self._add(self._add(root, edition.header), "fileDesc")
        self._add(self._add(file_description, "titleStmt"), "title", TITLES["zh-Hans"])
        source = self._add(file_description, "sourceDesc")
        self._add(source, "p", f"Exported from the glossary at {self.addresses.base}")
        if version == "2":
            # The 2008 edition names its data categories in an XCS file; TBX-Basic's own.
            encoding = self._add(root[0], "encodingDesc")
            self._add(encoding, "p", "TBXBasicXCSV02.xcs", type="XCSURI")
        return self._add(self._add(root, "text"), "body")

    def entry(self, term: Term, exported: set[str]) -> etree._Element:
        """A term's entry; cross-references only to entries in ``exported``."""
        entry = etree.Element(self._name(self.edition.entry), id=entry_id(term.id))
        if term.category:
            self._add(entry, "descrip", term.category, type="subjectField")
        for language, note in status_notes(term).items():
            self._add(entry, "note", note).set(XML_LANG, language)
        if term.reason:
            self._add(entry, "note", term.reason)
        uri = self.addresses.term(term.id)
        self._add(entry, "xref", uri, type="externalCrossReference", target=uri)
        for related_id in term.related:
            related = self.glossary.term(related_id)
            if related_id in exported and related is not None:
                self._add(entry, "ref", related.term, type="crossReference",
                          target=entry_id(related_id))  # fmt: skip
        self._chinese(entry, term)
        if term.english:
            self._english(entry, term)
        return entry

    def _chinese(self, entry, term: Term) -> None:
        language = self._add(entry, self.edition.language)
        language.set(XML_LANG, "zh")
        for sense in term.senses:
            if sense.definition:
                self._definition(language, sense)
        headword = self._term(language, term.term, STATUS[term.status])
        for sense in term.senses:
            for source in sense.sources:
                if source.kind == "usage" or not sense.definition:
                    self._grouped(headword, "context", source.quote, source.doc, sense.scope)
        reading = pinyin.read(term.term, term.pinyin).marks
        if reading:
            self._add(headword, "note", reading).set(XML_LANG, "zh-Latn-pinyin")
        status = STATUS["deprecated" if term.status == "deprecated" else "candidate"]
        for alias in term.aliases:
            variant = self._term(language, alias, status)
            self._add(variant, "termNote", "variant", type="termType")

    def _definition(self, language, sense: Sense) -> None:
        group = self._add(language, "descripGrp")
        self._add(group, "descrip", sense.definition, type="definition")
        for doc in dict.fromkeys(s.doc for s in sense.sources if s.kind != "usage"):
            self._source(group, doc)
        if sense.scope:
            self._add(group, "note", sense.scope)

    def _grouped(self, parent, kind: str, text: str, doc: str, scope: str | None) -> None:
        group = self._add(parent, "descripGrp")
        self._add(group, "descrip", text, type=kind)
        self._source(group, doc)
        if scope:
            self._add(group, "note", scope)

    def _source(self, parent, doc_id: str) -> None:
        document = self.glossary.document(doc_id)
        self._add(parent, "admin", citation(document) if document else doc_id, type="source")

    def _term(self, language, written: str, status: str) -> etree._Element:
        section = self._add(language, self.edition.term)
        self._add(section, "term", written)
        self._add(section, "termNote", status, type="administrativeStatus")
        return section

    def _english(self, entry, term: Term) -> None:
        language = self._add(entry, self.edition.language)
        language.set(XML_LANG, term.english.lang)
        section = self._term(language, term.english.text, STATUS["candidate"])
        self._source(section, term.english.doc)
