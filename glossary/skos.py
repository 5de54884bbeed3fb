"""The glossary as SKOS: one concept scheme of jargon, built as an rdflib graph.

    rdf = graph(glossary, "https://glossary.example/")
    print(serialise(rdf, "turtle"))          # or "xml", "json-ld"

    @prefix term: <https://glossary.example/terms/> .
    @prefix doc: <https://glossary.example/documents/> .
    term:san-ge-qu-fen-kai-lai a skos:Concept ;
        skos:altLabel "三個區分開來"@zh-Hant, "sān gè qū fēn kāi lái"@zh-Latn-pinyin ;
        skos:definition [ dct:coverage "湖北省武汉市江岸区"@zh-Hans ;
                dct:source doc:wuhan-jiangan-2024-gov-report ;
                rdf:value "把干部在推进改革中……"@zh-Hans ;
                prov:wasDerivedFrom [ prov:value "29. 三个区分开来:……"@zh-Hans ;
                        prov:wasQuotedFrom doc:wuhan-jiangan-2024-gov-report ] ] ;
        skos:example [ dct:coverage "上海市"@zh-Hans ; dct:source doc:2026-shanghai-gov-report ;
                rdf:value "……落实“三个区分开来”……"@zh-Hans ] ;
        skos:inScheme <https://glossary.example/> ;
        skos:prefLabel "三个区分开来"@zh-Hans ;
        skos:topConceptOf <https://glossary.example/> .

``concept_graph`` describes one term (or a merged id) for content negotiation;
``MEDIA_TYPES`` names the media type of each ``rdf_format``.

The shape, and why:

- The reading is an ``skos:altLabel`` tagged ``zh-Latn-pinyin``: it is the headword in
  another script, which readers see and type. ``hiddenLabel`` is for forms never shown
  (misspellings); a ``prefLabel`` would claim more than a computed reading is.
- The traditional form of the headword and of each alias is an ``altLabel@zh-Hant``
  where OpenCC's s2t changes it; the English rendering a report prints is the
  ``prefLabel@en`` (one prefLabel per language tag).
- A definition is a resource, as in the SKOS Primer (§4.2): ``rdf:value`` its text,
  ``dct:coverage`` the full path of its place, ``dct:source`` each document that gives
  it, and ``prov:wasDerivedFrom`` the quotations it rests on (``prov:value``, quoted
  from the document). Usage quotes are ``skos:example``s of the same shape. They are
  blank nodes, labelled from the term id so exports diff cleanly: a sense has no id of
  its own, and a URI by position would change meaning when a curator reorders senses.
- Places are ``dct:coverage`` literals: ``dct:spatial`` wants a ``dct:Location``
  resource, and 湖北省武汉市江岸区 is a name.
- A candidate says so in an ``skos:editorialNote`` (definition pending, or not yet
  reviewed); a deprecated term is ``owl:deprecated true`` with its reason; a merged id
  is a deprecated concept ``dct:isReplacedBy`` the term it went to.
- Categories are ``skos:Collection``s; documents are ``foaf:Document`` and
  ``dct:BibliographicResource`` with title, publisher (a ``foaf:Agent``), typed date,
  locality and the original's address (``foaf:page``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from glossary import pinyin, text
from glossary.errors import NotFound
from glossary.model import Document, Glossary, Sense, Term
from glossary.publish import TITLES, Addresses, includes_merged, selected, status_notes

# rdflib's names for the serialisations, and the media type each answers to.
MEDIA_TYPES = {
    "turtle": "text/turtle",
    "xml": "application/rdf+xml",
    "json-ld": "application/ld+json",
}
ZH, TRADITIONAL, PINYIN = "zh-Hans", "zh-Hant", "zh-Latn-pinyin"
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def graph(glossary: Glossary, base_url: str, statuses: Iterable[str] | None = None) -> Graph:
    """The whole glossary (or the terms of ``statuses``) as one SKOS concept scheme."""
    builder = _Builder(glossary, Addresses.of(base_url))
    builder.scheme()
    terms = selected(glossary, statuses)
    exported = {t.id for t in terms}
    for term in terms:
        builder.concept(term, exported)
    if includes_merged(statuses):
        for old in glossary.redirects:
            builder.merged(old)
    return builder.graph


def concept_graph(glossary: Glossary, term_id: str, base_url: str) -> Graph:
    """One term as SKOS, with what a client needs to show it: the labels of the terms it
    relates to, its collection and the documents it cites. A merged id gives the
    deprecated concept that points to its replacement."""
    builder = _Builder(glossary, Addresses.of(base_url))
    term = glossary.term(term_id)
    if term is None and glossary.moved(term_id) is None:
        raise NotFound(f"no term has id '{term_id}'")
    if term is None:
        builder.merged(term_id)
        return builder.graph
    builder.concept(term, {term_id, *term.related})
    for related_id in term.related:
        related = glossary.term(related_id)
        if related is not None:
            builder.graph.add((builder.uri(related_id), SKOS.prefLabel, Literal(related.term, ZH)))
    return builder.graph


def serialise(rdf: Graph, rdf_format: str = "turtle") -> str:
    """``rdf`` as ``turtle``, ``xml`` (RDF/XML) or ``json-ld`` text."""
    if rdf_format not in MEDIA_TYPES:
        raise ValueError(f"rdf_format must be one of {', '.join(MEDIA_TYPES)}")
    if rdf_format == "json-ld":
        # Compact IRIs (skos:prefLabel) from the graph's prefixes: readable, same triples.
        return rdf.serialize(format="json-ld", auto_compact=True, indent=1)
    return rdf.serialize(format="pretty-xml" if rdf_format == "xml" else rdf_format)


def new_graph(addresses: Addresses) -> Graph:
    """An empty graph with the prefixes every export uses (``term:``, ``doc:`` for the
    glossary's own: shorter files, and rdflib writes Turtle a quarter faster)."""
    # A store without named graphs: an export has one, and adds go three times as fast.
    rdf = Graph(store="SimpleMemory", bind_namespaces="core")
    for prefix, namespace in (("skos", SKOS), ("dct", DCTERMS), ("foaf", FOAF),
                              ("owl", OWL), ("prov", PROV),
                              ("term", addresses.term("")),
                              ("doc", addresses.document(""))):  # fmt: skip
        rdf.bind(prefix, namespace)
    return rdf


class _Builder:
    """Adds the triples of a glossary's parts to one graph."""

    def __init__(self, glossary: Glossary, addresses: Addresses):
        self.glossary = glossary
        self.addresses = addresses
        self.graph = new_graph(addresses)
        self.scheme_uri = URIRef(addresses.scheme)
        self._described: set[str] = set()

    def uri(self, term_id: str) -> URIRef:
        return URIRef(self.addresses.term(term_id))

    def scheme(self) -> None:
        add = self.graph.add
        add((self.scheme_uri, RDF.type, SKOS.ConceptScheme))
        for lang, title in TITLES.items():
            add((self.scheme_uri, SKOS.prefLabel, Literal(title, lang)))
            add((self.scheme_uri, DCTERMS.title, Literal(title, lang)))

    def concept(self, term: Term, exported: set[str]) -> None:
        """Every triple of ``term``; ``skos:related`` only to terms in ``exported``."""
        add, concept = self.graph.add, self.uri(term.id)
        add((concept, RDF.type, SKOS.Concept))
        self._in_scheme(concept)
        self._labels(concept, term)
        for number, sense in enumerate(term.senses, start=1):
            self._sense(concept, term, sense, number)
        for related_id in term.related:
            if related_id in exported:
                add((concept, SKOS.related, self.uri(related_id)))
                add((self.uri(related_id), SKOS.related, concept))
        if term.category:
            collection = URIRef(self.addresses.category(term.category))
            add((collection, RDF.type, SKOS.Collection))
            add((collection, SKOS.prefLabel, Literal(term.category, ZH)))
            add((collection, SKOS.member, concept))
        self._status(concept, term)

    def merged(self, old_id: str) -> None:
        """A merged id: a deprecated concept replaced by the term it now answers at."""
        concept, new_id = self.uri(old_id), self.glossary.moved(old_id)
        self.graph.add((concept, RDF.type, SKOS.Concept))
        self._in_scheme(concept)
        self.graph.add((concept, OWL.deprecated, Literal(True)))
        if new_id is not None:
            self.graph.add((concept, DCTERMS.isReplacedBy, self.uri(new_id)))

    def _in_scheme(self, concept: URIRef) -> None:
        # A flat glossary: every concept is a top concept of the one scheme.
        self.graph.add((concept, SKOS.inScheme, self.scheme_uri))
        self.graph.add((concept, SKOS.topConceptOf, self.scheme_uri))
        self.graph.add((self.scheme_uri, SKOS.hasTopConcept, concept))

    def _labels(self, concept: URIRef, term: Term) -> None:
        add = self.graph.add
        add((concept, SKOS.prefLabel, Literal(term.term, ZH)))
        for alias in term.aliases:
            add((concept, SKOS.altLabel, Literal(alias, ZH)))
        for form in term.forms:
            written = text.to_traditional(form)
            if written != form:
                add((concept, SKOS.altLabel, Literal(written, TRADITIONAL)))
        reading = pinyin.read(term.term, term.pinyin).marks
        if reading:
            add((concept, SKOS.altLabel, Literal(reading, PINYIN)))
        if term.english:
            add((concept, SKOS.prefLabel, Literal(term.english.text, term.english.lang)))
            self._document(term.english.doc)

    def _sense(self, concept: URIRef, term: Term, sense: Sense, number: int) -> None:
        add = self.graph.add
        defining = [s for s in sense.sources if s.kind != "usage"]
        if sense.definition:
            node = self._node("definition", term, str(number), sense.definition, sense.scope)
            add((concept, SKOS.definition, node))
            for at, source in enumerate(defining, start=1):
                document = self._document(source.doc)
                add((node, DCTERMS.source, document))
                quotation = BNode(f"quote-{term.id}-{number}-{at}")
                add((node, PROV.wasDerivedFrom, quotation))
                add((quotation, PROV.value, Literal(source.quote, ZH)))
                add((quotation, PROV.wasQuotedFrom, document))
        else:
            # Quotes that define nothing the curators kept: still evidence of use.
            defining = []
        for at, source in enumerate(sense.sources, start=1):
            if source in defining:
                continue
            example = self._node("example", term, f"{number}-{at}", source.quote, sense.scope)
            add((concept, SKOS.example, example))
            add((example, DCTERMS.source, self._document(source.doc)))

    def _node(self, kind: str, term: Term, at: str, value: str, scope: str | None) -> BNode:
        # Labels from the term id: the same glossary gives the same file, run after run;
        # led by a letter, as RDF/XML's rdf:nodeID must be (ids may start with a digit).
        node = BNode(f"{kind}-{term.id}-{at}")
        self.graph.add((node, RDF.value, Literal(value, ZH)))
        if scope:
            self.graph.add((node, DCTERMS.coverage, Literal(scope, ZH)))
        return node

    def _status(self, concept: URIRef, term: Term) -> None:
        add = self.graph.add
        for lang, note in status_notes(term).items():
            add((concept, SKOS.editorialNote, Literal(note, lang)))
        if term.status == "deprecated":
            add((concept, OWL.deprecated, Literal(True)))
            if term.reason:
                add((concept, SKOS.editorialNote, Literal(term.reason)))

    def _document(self, doc_id: str) -> URIRef:
        """The document's URI, described in the graph the first time it is cited."""
        uri = URIRef(self.addresses.document(doc_id))
        document = self.glossary.document(doc_id)
        if doc_id in self._described or document is None:
            return uri
        self._described.add(doc_id)
        self._describe(uri, document)
        return uri

    def _describe(self, uri: URIRef, document: Document) -> None:
        add = self.graph.add
        add((uri, RDF.type, FOAF.Document))
        add((uri, RDF.type, DCTERMS.BibliographicResource))
        add((uri, DCTERMS.title, Literal(document.title, ZH)))
        if document.publisher:
            publisher = BNode(f"publisher-{document.id}")
            add((uri, DCTERMS.publisher, publisher))
            add((publisher, RDF.type, FOAF.Agent))
            add((publisher, FOAF.name, Literal(document.publisher, ZH)))
        if document.date:
            datatype = _DATE_TYPES.get(len(document.date))
            add((uri, DCTERMS.date, Literal(document.date, datatype=datatype)))
        if document.locality:
            add((uri, DCTERMS.coverage, Literal(document.locality, ZH)))
        if document.url:
            add((uri, FOAF.page, URIRef(document.url)))
