"""Terms from other tools' files into the glossary: SKOS (any RDF syntax) and TBX.

    report = import_file("vocabulary.ttl", "data/terms.yaml")
    print(report.summary())      # 1 new documents, 12 new terms, 3 new senses, ...

A file goes in as one more report would: the file becomes a document of the glossary
(titled by its concept scheme or TBX title, else by its name), each concept becomes
findings of that document, and the harvest merge (``glossary.harvest.merge``) adds them,
so all its rules hold: new terms arrive as candidates, a reviewed definition is never
replaced (a file names no place, so a different definition becomes a sense of its own,
without a scope, for a curator to weigh), deprecated terms are left alone, and
importing the same file twice changes nothing.

What a concept gives: its Chinese preferred label is the headword (``zh-Hans``, then
other simplified tags, untagged, any other ``zh``), each definition is a ``glossary``
finding whose quote is the definition as the file prints it, the first usage example
(or the headword itself, for a concept with neither) a ``usage`` finding, and an English
label the rendering. Simplified-Chinese alternative labels become the aliases of the
terms the import creates (a term already in the glossary keeps its own). Deprecated
concepts are not imported: a rejection elsewhere is no candidate here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from ruamel.yaml.comments import CommentedMap

from glossary import pinyin, store, text
from glossary.errors import GlossaryError
from glossary.harvest import merge
from glossary.harvest.records import DocumentInfo, Finding

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Language tags of simplified Chinese, best first; "" is an untagged label.
SIMPLIFIED = ("zh-hans", "zh-cn", "zh-hans-cn", "zh-sg", "zh", "")
_DEPRECATED_STATUS = ("deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated")


class ImportFileError(GlossaryError):
    code = "invalid_import"


@dataclass
class Concept:
    """What one concept of an imported file says of a term."""

    headword: str
    aliases: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    english: str | None = None


@dataclass
class Imported:
    """An imported file, read: its document and its concepts (``skipped``: deprecated
    ones, or ones with no Chinese label)."""

    document: DocumentInfo
    concepts: list[Concept]
    skipped: int = 0

    def findings(self) -> list[Finding]:
        return [f for concept in self.concepts for f in _findings(concept, self.document)]


def import_file(
    path: str | Path, glossary_path: str | Path, dry_run: bool = False
) -> merge.MergeReport:
    """Merge the SKOS or TBX file at ``path`` into the glossary file; ``dry_run`` writes
    nothing."""
    return import_into(read(path), glossary_path, dry_run)


def import_into(
    imported: Imported, glossary_path: str | Path, dry_run: bool = False
) -> merge.MergeReport:
    """Merge a file already read into the glossary file, under its lock."""
    if dry_run:
        return _merge(store.load_round_trip(glossary_path), imported)
    with store.edit(glossary_path) as document:
        return _merge(document, imported)


def read(path: str | Path, rdf_format: str | None = None) -> Imported:
    """A SKOS or TBX file, told apart by its content (a TBX file is XML rooted at
    ``tbx`` or ``martif``)."""
    path = Path(path)
    head = _head(path)
    if b"<tbx" in head or b"<martif" in head:
        return read_tbx(path)
    return read_skos(path, rdf_format)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(4096)
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error.strerror}") from None


def _merge(document: CommentedMap, imported: Imported) -> merge.MergeReport:
    known = {t["id"] for t in document.get("terms", [])}
    # Every finding counts: an imported concept is no guess of a miner, whatever its score.
    report = merge.apply(document, imported.findings(), min_score=0.0)
    _add_aliases(document, imported, known)
    return report


def _add_aliases(document: CommentedMap, imported: Imported, known: set[str]) -> None:
    """Aliases for the terms this import created; a form another term has is left out,
    so that no alias heads another entry."""
    owners = {}
    for term in document["terms"]:
        for form in [term["term"], *term.get("aliases", [])]:
            owners.setdefault(text.key(form), term["id"])
    by_key = {text.key(c.headword): c for c in imported.concepts}
    for term in document["terms"]:
        concept = by_key.get(text.key(term["term"])) if term["id"] not in known else None
        for alias in concept.aliases if concept else []:
            mine = owners.setdefault(text.key(alias), term["id"]) == term["id"]
            if mine and alias not in (term["term"], *term["aliases"]):
                term["aliases"].append(alias)


def _findings(concept: Concept, doc: DocumentInfo) -> list[Finding]:
    def finding(kind: str, quote: str, definition: str | None) -> Finding:
        return Finding(term=concept.headword, key=text.key(concept.headword),
                       definition=definition, kind=kind, parts=[], doc=doc, start=0,
                       end=len(quote), quote=quote, score=1.0,
                       english=concept.english)  # fmt: skip

    found = [finding("glossary", d, d) for d in concept.definitions]
    if not found:
        found.append(finding("usage", (concept.examples or [concept.headword])[0], None))
    return found


def _document(path: Path, title: str | None) -> DocumentInfo:
    return DocumentInfo(
        id=pinyin.slug(path.stem) or "imported-glossary",
        title=title or path.name,
        locality=None,
        year=None,
        path=str(path),
    )


def _best(labels: list[tuple[str, str]], languages: tuple[str, ...] = SIMPLIFIED) -> str | None:
    """The label of the best language in ``labels`` (``(text, language)`` pairs): a
    simplified tag, else any Chinese one but a romanisation."""
    for language in languages:
        for label, tag in labels:
            if tag == language:
                return label
    chinese = [label for label, tag in labels if _chinese(tag)]
    return chinese[0] if chinese else None


def _chinese(tag: str) -> bool:
    """Whether a (lower-case) language tag is Chinese in characters: not pinyin."""
    return tag in SIMPLIFIED or (tag.startswith("zh-") and "-latn" not in tag)


# SKOS ---------------------------------------------------------------------------------


def read_skos(path: str | Path, rdf_format: str | None = None) -> Imported:
    """The concepts of an RDF file (Turtle, RDF/XML, JSON-LD, N-Triples ...)."""
    from rdflib import Graph, Literal  # lazily: only imports read RDF
    from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
    from rdflib.util import guess_format

    path = Path(path)
    rdf_format = rdf_format or guess_format(str(path)) or _sniff(_head(path))
    graph = Graph()
    try:
        graph.parse(path, format=rdf_format)
    except Exception as error:  # rdflib's parsers raise many types; all mean "not this"
        raise ImportFileError(f"{path}: not readable as RDF ({rdf_format}): {error}") from None

    def labels(subject, *predicates) -> list[tuple[str, str]]:
        found = []
        for predicate in predicates:
            for value in graph.objects(subject, predicate):
                # A definition may be a resource whose rdf:value is its text (SKOS Primer §4.2).
                values = [value] if isinstance(value, Literal) else graph.objects(value, RDF.value)
                for literal in values:
                    if isinstance(literal, Literal):
                        found.append((str(literal).strip(), (literal.language or "").lower()))
        return [(label, tag) for label, tag in found if label]

    def texts(subject, predicate) -> list[str]:
        return list(dict.fromkeys(t for t, tag in labels(subject, predicate) if _chinese(tag)))

    concepts, skipped = [], 0
    for subject in sorted(set(graph.subjects(RDF.type, SKOS.Concept))):
        preferred = labels(subject, SKOS.prefLabel)
        headword = _best(preferred)
        if headword is None or graph.value(subject, OWL.deprecated) == Literal(True):
            skipped += 1
            continue
        alternatives = labels(subject, SKOS.altLabel)
        english = [label for label, tag in preferred if tag == "en" or tag.startswith("en-")]
        concepts.append(Concept(
            headword=headword,
            aliases=[a for a, tag in alternatives if tag in SIMPLIFIED and a != headword],
            definitions=texts(subject, SKOS.definition),
            examples=texts(subject, SKOS.example),
            english=english[0] if english else None,
        ))  # fmt: skip
    schemes = list(graph.subjects(RDF.type, SKOS.ConceptScheme))
    titles = [t for s in schemes for t in labels(s, DCTERMS.title, SKOS.prefLabel, RDFS.label)]
    title = _best(titles) or (titles[0][0] if titles else None)
    return Imported(_document(path, title), concepts, skipped)


def _sniff(head: bytes) -> str:
    """The RDF syntax of a file whose name does not say."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start[:1] in (b"{", b"["):
        return "json-ld"
    if start.startswith((b"<?xml", b"<rdf:RDF", b"<!--")):
        return "xml"
    return "turtle"


# TBX ----------------------------------------------------------------------------------

# The element names of the two editions: v3 (ISO 30042:2019) and the 2008 martif form.
_ENTRIES = ("conceptEntry", "termEntry")
_LANGUAGES = ("langSec", "langSet")
_TERMS = ("termSec", "tig", "ntig")


def read_tbx(path: str | Path) -> Imported:
    """The concept entries of a TBX file, v3 or v2 (martif), any dialect."""
    path = Path(path)
    # No DTDs, entities or network: an imported file is data, never instructions.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)  # fmt: skip
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise ImportFileError(f"{path}:{error.lineno}: not well-formed XML: {error.msg}") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error}") from None
    if _local(root) not in ("tbx", "martif"):
        raise ImportFileError(f"{path}: not TBX (the root element is <{_local(root)}>)")
    default = (root.get(XML_LANG) or "").lower()
    concepts, skipped = [], 0
    for entry in root.iter():
        if _local(entry) in _ENTRIES:
            concept = _tbx_concept(entry, default)
            if concept is None:
                skipped += 1
            else:
                concepts.append(concept)
    title = next((t.text for t in root.iter() if _local(t) == "title" and t.text), None)
    return Imported(_document(path, title and title.strip()), concepts, skipped)


def _tbx_concept(entry, default: str) -> Concept | None:
    chinese, english, definitions, examples = [], [], [], []
    for element in entry.iter():
        name = _local(element)
        if name not in ("term", "descrip"):
            continue
        language = _language(element, default)
        value = "".join(element.itertext()).strip()
        if not value:
            continue
        if name == "term" and not _deprecated(element):
            preferred = _status(element) == "preferredterm-admn-sts"
            if language.startswith("en"):
                english.append(value)
            elif _chinese(language):
                chinese.append((not preferred, len(chinese), value))
        elif name == "descrip" and _chinese(language):
            if element.get("type") == "definition":
                definitions.append(value)
            elif element.get("type") == "context":
                examples.append(value)
    if not chinese:
        return None
    forms = [value for _, _, value in sorted(chinese)]  # a preferred term first
    return Concept(
        headword=forms[0],
        aliases=[f for f in dict.fromkeys(forms[1:]) if f != forms[0]],
        definitions=list(dict.fromkeys(definitions)),
        examples=list(dict.fromkeys(examples)),
        english=english[0] if english else None,
    )


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _language(element, default: str) -> str:
    """The ``xml:lang`` in force at ``element``, lower case."""
    for ancestor in (element, *element.iterancestors()):
        if ancestor.get(XML_LANG):
            return ancestor.get(XML_LANG).lower()
    return default


def _term_section(term):
    return next((a for a in term.iterancestors() if _local(a) in _TERMS), term.getparent())


def _status(term) -> str:
    for note in _term_section(term).iter():
        if _local(note) == "termNote" and note.get("type") == "administrativeStatus":
            return (note.text or "").strip().lower()
    return ""


def _deprecated(term) -> bool:
    return _status(term) in _DEPRECATED_STATUS
