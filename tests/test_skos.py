from __future__ import annotations

import doctest
import logging
from pathlib import Path

import pytest
import skosify
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, SKOS

from glossary import pinyin, publish, skos, store, tbx
from glossary.errors import NotFound
from glossary.publish import ExportError
from tests.conftest import SHIPPED_GLOSSARY

BASE = "https://glossary.example/"
# rdflib's own JSON-LD parser still builds a ConjunctiveGraph; nothing here to change.
JSONLD_PARSER_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
TERM = f"{BASE}terms/"

# Every feature an export must carry, in one small valid glossary: reviewed, candidate
# with and without a definition, deprecated with a reason, a merged id, an English
# rendering, part groups, two senses, related terms, a category, a digit-led id.
FEATURES = """\
version: 1
documents:
  - id: jiangan-2024
    title: 2024年武汉市江岸区政府工作报告
    locality: 湖北省武汉市江岸区
    date: "2023-12-24"
  - id: tancheng-2024
    title: 郯城县2024年政府工作报告名词解释(大众网)
    publisher: 大众网
    locality: 山东省临沂市郯城县
    date: "2024-01"
    url: https://example.org/tancheng-2024.html
  - id: anhui-2026
    title: 2026年安徽省政府工作报告
    locality: 安徽省
    date: "2026"
terms:
  - id: san-ge-qu-fen-kai-lai
    term: 三个区分开来
    status: reviewed
    category: 干部管理
    senses:
      - definition: 把干部先行先试出现的失误,同明知故犯的违纪违法行为区分开来。
        scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "29. 三个区分开来:把干部先行先试出现的失误,同明知故犯的违纪违法行为区分开来。"
          - {doc: jiangan-2024, kind: usage, quote: "坚持“三个区分开来”,为担当者担当。"}
    related: [wu-gong-li-nian]
  - id: wu-gong-li-nian
    term: “五共”理念
    aliases: [五共理念]
    status: reviewed
    category: 基层治理
    senses:
      - definition: 决策共谋、发展共建、建设共管、效果共评、成果共享。
        scope: 湖北省武汉市江岸区
        parts: [决策共谋, 发展共建, 建设共管, 效果共评, 成果共享]
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "23. “五共”理念:决策共谋、发展共建、建设共管、效果共评、成果共享。"
      - definition: 共谋、共建、共管、共评、共享的社区治理理念。
        scope: 山东省临沂市郯城县
        sources:
          - doc: tancheng-2024
            kind: inline
            quote: 践行共谋、共建、共管、共评、共享的社区治理理念(“五共”理念)
    related: [san-ge-qu-fen-kai-lai]
  - id: 531-chan-ye-ti-xi
    term: “531”产业体系
    aliases: [531产业体系]
    status: reviewed
    category: 产业
    english: {text: 531 Industrial System, doc: jiangan-2024}
    senses:
      - definition: 以金融保险、创意设计为主导,以生命健康为新兴,楼宇经济为支撑。
        scope: 湖北省武汉市江岸区
        parts:
          - {group: 主导产业, parts: [金融保险, 创意设计]}
          - {group: 战略性新兴产业, parts: [生命健康]}
          - {group: 支撑, parts: [楼宇经济]}
        sources:
          - doc: jiangan-2024
            kind: glossary
            quote: "3. “531”产业体系:以金融保险、创意设计为主导,以生命健康为新兴,楼宇经济为支撑。"
  - id: xin-zhi-sheng-chan-li
    term: 新质生产力
    status: candidate
    english: {text: New Quality Productive Forces, doc: anhui-2026}
    senses:
      - definition: 创新起主导作用的先进生产力质态。
        scope: 安徽省
        sources:
          - doc: anhui-2026
            kind: inline
            quote: "加快发展新质生产力,即创新起主导作用的先进生产力质态。"
  - id: "1310"
    term: “1310”
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - {doc: jiangan-2024, kind: usage, quote: "=深化“1310”工作体系"}
  - id: zheng-fu-gong-zuo
    term: 政府工作
    status: deprecated
    reason: 普通词语，不是术语
    senses:
      - scope: 安徽省
        sources:
          - {doc: anhui-2026, kind: usage, quote: 做好今年政府工作。}
redirects:
  wu-gong: wu-gong-li-nian
"""


@pytest.fixture
def features(tmp_path: Path):
    path = tmp_path / "features.yaml"
    path.write_text(FEATURES, encoding="utf-8")
    return store.load(path)


@pytest.fixture(scope="module")
def shipped():
    return store.load(SHIPPED_GLOSSARY)


@pytest.fixture(scope="module")
def shipped_graph(shipped):
    return skos.graph(shipped, BASE)


def test_the_docstring_examples_hold():
    for module in (skos, tbx, publish):
        assert doctest.testmod(module).failed == 0


def concept(term_id: str) -> URIRef:
    return URIRef(TERM + term_id)


def values(rdf: Graph, subject, predicate) -> set:
    return set(rdf.objects(subject, predicate))


def skosify_problems(rdf: Graph, caplog) -> list[str]:
    """What skosify warns of (or fails on) while it reads, enriches and checks ``rdf``."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        skosify.skosify(rdf)
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_every_term_label_definition_and_source_of_the_shipped_glossary_is_in_the_graph(
    shipped, shipped_graph
):
    rdf = shipped_graph
    concepts = set(rdf.subjects(RDF.type, SKOS.Concept))
    assert concepts == {concept(t.id) for t in shipped.terms}
    assert len(concepts) == 859
    labels = quotes = definitions = 0
    for term in shipped.terms:
        c = concept(term.id)
        assert Literal(term.term, "zh-Hans") in values(rdf, c, SKOS.prefLabel)
        alt = values(rdf, c, SKOS.altLabel)
        assert {Literal(a, "zh-Hans") for a in term.aliases} <= alt
        assert Literal(pinyin.read(term.term).marks, "zh-Latn-pinyin") in alt
        labels += 1 + len(term.aliases)
        nodes = values(rdf, c, SKOS.definition)
        assert {rdf.value(n, RDF.value) for n in nodes} == {
            Literal(s.definition, "zh-Hans") for s in term.senses if s.definition
        }
        definitions += len(nodes)
        for sense in term.senses:
            for source in sense.sources:
                assert (source.doc, source.quote) in _cited(rdf, c)
                quotes += 1
    assert (labels, definitions, quotes) == (898, 83, 1484)
    assert sum(len(_cited(rdf, concept(t.id))) for t in shipped.terms) == 1484


def _cited(rdf: Graph, c: URIRef) -> set[tuple[str, str]]:
    """(document id, quote) of every quotation and example of concept ``c``."""
    found = set()
    for node in values(rdf, c, SKOS.definition):
        for quotation in values(rdf, node, PROV.wasDerivedFrom):
            doc = rdf.value(quotation, PROV.wasQuotedFrom)
            found.add(
                (doc.removeprefix(f"{BASE}documents/"), str(rdf.value(quotation, PROV.value)))
            )
    for example in values(rdf, c, SKOS.example):
        doc = rdf.value(example, DCTERMS.source)
        found.add((doc.removeprefix(f"{BASE}documents/"), str(rdf.value(example, RDF.value))))
    return found


def test_the_shipped_glossary_passes_skosify_unchanged(shipped_graph, caplog):
    assert skosify_problems(shipped_graph, caplog) == []
    # skosify adds what a SKOS file lacks (inverse relations, top concepts): nothing here.
    assert len(skosify.skosify(shipped_graph)) == len(shipped_graph)


@pytest.mark.parametrize("rdf_format", ["turtle", "xml", "json-ld"])
@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_each_syntax_parses_back_to_the_same_graph(features, rdf_format):
    rdf = skos.graph(features, BASE)
    text = skos.serialise(rdf, rdf_format)
    parsed = Graph().parse(data=text, format=rdf_format)
    assert isomorphic(parsed, rdf)


def test_the_shipped_glossary_in_rdf_xml_parses_back(shipped_graph):
    # RDF/XML names blank nodes with rdf:nodeID, which must not start with a digit.
    parsed = Graph().parse(data=skos.serialise(shipped_graph, "xml"), format="xml")
    assert len(parsed) == len(shipped_graph)


def test_the_same_glossary_gives_the_same_file(shipped):
    first = skos.serialise(skos.graph(shipped, BASE))
    assert skos.serialise(skos.graph(shipped, BASE)) == first


def test_labels_carry_simplified_traditional_pinyin_and_english(features):
    rdf = skos.graph(features, BASE)
    c = concept("531-chan-ye-ti-xi")
    assert values(rdf, c, SKOS.prefLabel) == {
        Literal("“531”产业体系", "zh-Hans"),
        Literal("531 Industrial System", "en"),
    }
    assert values(rdf, c, SKOS.altLabel) == {
        Literal("531产业体系", "zh-Hans"),
        Literal("“531”產業體系", "zh-Hant"),
        Literal("531產業體系", "zh-Hant"),
        Literal("wǔ sān yī chǎn yè tǐ xì", "zh-Latn-pinyin"),
    }


def test_a_traditional_label_only_where_it_differs(features):
    rdf = skos.graph(features, BASE)
    assert not [
        label
        for label in values(rdf, concept("1310"), SKOS.altLabel)
        if label.language == "zh-hant"
    ]


def test_a_definition_is_a_resource_with_its_place_source_and_quote(features):
    rdf = skos.graph(features, BASE)
    nodes = values(rdf, concept("wu-gong-li-nian"), SKOS.definition)
    assert len(nodes) == 2 and all(isinstance(n, BNode) for n in nodes)
    by_place = {str(rdf.value(n, DCTERMS.coverage)): n for n in nodes}
    tancheng = by_place["山东省临沂市郯城县"]
    assert rdf.value(tancheng, RDF.value) == Literal(
        "共谋、共建、共管、共评、共享的社区治理理念。", "zh-Hans"
    )
    document = URIRef(f"{BASE}documents/tancheng-2024")
    assert values(rdf, tancheng, DCTERMS.source) == {document}
    quotation = rdf.value(tancheng, PROV.wasDerivedFrom)
    assert rdf.value(quotation, PROV.wasQuotedFrom) == document
    assert str(rdf.value(quotation, PROV.value)).startswith("践行共谋")


def test_usage_quotes_are_examples_with_their_source(features):
    rdf = skos.graph(features, BASE)
    (example,) = values(rdf, concept("san-ge-qu-fen-kai-lai"), SKOS.example)
    assert rdf.value(example, RDF.value) == Literal("坚持“三个区分开来”,为担当者担当。", "zh-Hans")
    assert rdf.value(example, DCTERMS.source) == URIRef(f"{BASE}documents/jiangan-2024")
    assert rdf.value(example, DCTERMS.coverage) == Literal("湖北省武汉市江岸区", "zh-Hans")


def test_candidates_say_their_definition_is_pending_or_unreviewed(features):
    rdf = skos.graph(features, BASE)
    pending = {str(n) for n in values(rdf, concept("1310"), SKOS.editorialNote)}
    assert any(n.startswith("Definition pending") for n in pending)
    unreviewed = {str(n) for n in values(rdf, concept("xin-zhi-sheng-chan-li"), SKOS.editorialNote)}
    assert any("not been reviewed" in n for n in unreviewed)
    assert values(rdf, concept("san-ge-qu-fen-kai-lai"), SKOS.editorialNote) == set()


def test_deprecated_and_merged_terms_are_deprecated_concepts(features):
    rdf = skos.graph(features, BASE)
    rejected = concept("zheng-fu-gong-zuo")
    assert rdf.value(rejected, OWL.deprecated) == Literal(True)
    assert Literal("普通词语，不是术语") in values(rdf, rejected, SKOS.editorialNote)
    merged = concept("wu-gong")
    assert (merged, RDF.type, SKOS.Concept) in rdf
    assert rdf.value(merged, OWL.deprecated) == Literal(True)
    assert rdf.value(merged, DCTERMS.isReplacedBy) == concept("wu-gong-li-nian")


def test_related_categories_and_documents(features):
    from rdflib.namespace import XSD  # here: pytest's collection pokes module names, XSD warns

    rdf = skos.graph(features, BASE)
    assert (concept("san-ge-qu-fen-kai-lai"), SKOS.related, concept("wu-gong-li-nian")) in rdf
    collection = URIRef(f"{BASE}categories/%E5%B9%B2%E9%83%A8%E7%AE%A1%E7%90%86")
    assert (collection, RDF.type, SKOS.Collection) in rdf
    assert rdf.value(collection, SKOS.prefLabel) == Literal("干部管理", "zh-Hans")
    assert values(rdf, collection, SKOS.member) == {concept("san-ge-qu-fen-kai-lai")}
    doc = URIRef(f"{BASE}documents/tancheng-2024")
    assert {FOAF.Document, DCTERMS.BibliographicResource} <= values(rdf, doc, RDF.type)
    assert rdf.value(doc, DCTERMS.title) == Literal(
        "郯城县2024年政府工作报告名词解释(大众网)", "zh-Hans"
    )
    assert rdf.value(rdf.value(doc, DCTERMS.publisher), FOAF.name) == Literal("大众网", "zh-Hans")
    assert rdf.value(doc, DCTERMS.date) == Literal("2024-01", datatype=XSD.gYearMonth)
    assert rdf.value(doc, DCTERMS.coverage) == Literal("山东省临沂市郯城县", "zh-Hans")
    assert rdf.value(doc, FOAF.page) == URIRef("https://example.org/tancheng-2024.html")
    anhui = URIRef(f"{BASE}documents/anhui-2026")
    assert rdf.value(anhui, DCTERMS.date) == Literal("2026", datatype=XSD.gYear)


def test_every_feature_passes_skosify(features, caplog):
    assert skosify_problems(skos.graph(features, BASE), caplog) == []


def test_a_status_filter_keeps_only_those_terms_and_their_relations(features):
    rdf = skos.graph(features, BASE, statuses=["reviewed"])
    assert set(rdf.subjects(RDF.type, SKOS.Concept)) == {
        concept("san-ge-qu-fen-kai-lai"), concept("wu-gong-li-nian"), concept("531-chan-ye-ti-xi")
    }  # fmt: skip
    candidates = skos.graph(features, BASE, statuses=["candidate"])
    assert concept("wu-gong") not in set(candidates.subjects(RDF.type, SKOS.Concept))
    # skos:related only between exported concepts: no dangling half of a pair.
    alone = skos.graph(features, BASE, statuses=["candidate"])
    assert not list(alone.triples((None, SKOS.related, None)))


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_one_concept_for_content_negotiation(features):
    rdf = skos.concept_graph(features, "san-ge-qu-fen-kai-lai", BASE)
    assert set(rdf.subjects(RDF.type, SKOS.Concept)) == {concept("san-ge-qu-fen-kai-lai")}
    related = concept("wu-gong-li-nian")
    assert values(rdf, related, SKOS.prefLabel) == {Literal("“五共”理念", "zh-Hans")}
    assert (URIRef(f"{BASE}documents/jiangan-2024"), DCTERMS.title, None) in rdf
    for rdf_format, media_type in skos.MEDIA_TYPES.items():
        assert media_type in ("text/turtle", "application/rdf+xml", "application/ld+json")
        assert isomorphic(
            Graph().parse(data=skos.serialise(rdf, rdf_format), format=rdf_format), rdf
        )


def test_one_merged_concept_points_to_its_replacement(features):
    rdf = skos.concept_graph(features, "wu-gong", BASE)
    assert rdf.value(concept("wu-gong"), DCTERMS.isReplacedBy) == concept("wu-gong-li-nian")
    with pytest.raises(NotFound, match="no-such-term"):
        skos.concept_graph(features, "no-such-term", BASE)


@pytest.mark.parametrize(
    "base_url", ["glossary.example", "ftp://glossary.example/", "", "https://g.example/?a=1"]
)
def test_a_base_url_must_be_a_web_address(features, base_url):
    with pytest.raises(ExportError, match="base URL"):
        skos.graph(features, base_url)


def test_a_base_url_without_its_slash_gets_one(features):
    rdf = skos.graph(features, "https://glossary.example")
    assert (concept("1310"), RDF.type, SKOS.Concept) in rdf


def test_an_unknown_status_is_refused(features):
    with pytest.raises(ExportError, match="approved"):
        skos.graph(features, BASE, statuses=["approved"])
