from __future__ import annotations

import functools
import io
import re
from pathlib import Path

import elementpath
import pytest
from elementpath import XPath2Parser, XPathContext
from lxml import etree
from translate.storage import tbx as translate_tbx

from glossary import store, tbx
from tests.conftest import SHIPPED_GLOSSARY
from tests.test_skos import BASE, FEATURES

FIXTURES = Path(__file__).parent / "fixtures" / "tbx"
TBX = f"{{{tbx.NAMESPACE}}}"
NS = {"tbx": tbx.NAMESPACE, "xml": "http://www.w3.org/XML/1998/namespace"}
SCH = "{http://purl.oclc.org/dsdl/schematron}"


@pytest.fixture(scope="module")
def shipped():
    return store.load(SHIPPED_GLOSSARY)


@pytest.fixture(scope="module")
def shipped_tbx(shipped) -> bytes:
    return tbx.dumps(shipped, BASE)


@pytest.fixture
def features(tmp_path):
    path = tmp_path / "features.yaml"
    path.write_text(FEATURES, encoding="utf-8")
    return store.load(path)


@functools.cache
def core_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(FIXTURES / "TBXcoreStructV03.rng")))


@functools.cache
def dialect_rules() -> tuple[dict, list[tuple[str, str]]]:
    """The TBX-Basic Schematron's namespaces, and each assertion as (XPath, message)."""
    schema = etree.parse(str(FIXTURES / "TBX-Basic_DCA.sch")).getroot()
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in schema.iter(f"{SCH}ns")}
    rules = [
        (f"//{rule.get('context')}[not({check.get('test')})]", " ".join(check.text.split()))
        for rule in schema.iter(f"{SCH}rule")
        for check in rule.iter(f"{SCH}assert")
    ]
    return namespaces, rules


def _matches(context, value, pattern) -> bool:
    """XPath 2.0's fn:matches, for libxml2 (the patterns here mean the same in Python)."""
    found = value[0] if isinstance(value, list) and value else value
    return re.search(pattern, str(found or "")) is not None


def schematron_failures(document: etree._ElementTree) -> list[str]:
    """The message of every TBX-Basic Schematron assertion ``document`` fails.

    lxml's ISO Schematron runs XSLT 1 schemas only, and this one is ``xslt2`` (it uses
    matches() and ./local-name()). So each assertion is evaluated as
    ``//context[not(test)]``: by libxml2's XPath 1.0 where it can read it (matches() as an
    extension function), else by elementpath's XPath 2.0. Every rule checks every node it
    matches: stricter than Schematron, where only a pattern's first matching rule fires.
    """
    namespaces, rules = dialect_rules()
    tree = None
    failed = []
    for query, message in rules:
        try:
            find = etree.XPath(
                query, namespaces=namespaces, extensions={(None, "matches"): _matches}
            )
            found = find(document)
        except etree.XPathError:
            tree = tree or elementpath.get_node_tree(document)
            found = XPath2Parser(namespaces=namespaces).parse(query).get_results(XPathContext(tree))
        failed += [message] * len(found)
    return failed


def parse(data: bytes) -> etree._ElementTree:
    return etree.parse(io.BytesIO(data))


def test_the_shipped_glossary_is_valid_tbx_basic(shipped_tbx):
    document = parse(shipped_tbx)
    assert core_schema().validate(document), core_schema().error_log
    assert schematron_failures(document) == []


def test_every_feature_is_valid_tbx_basic(features):
    document = parse(tbx.dumps(features, BASE))
    assert core_schema().validate(document), core_schema().error_log
    assert schematron_failures(document) == []


def test_the_validation_catches_what_tbx_basic_forbids(features):
    # The checks themselves: a wrong status, a data category TBX-Basic lacks, a
    # definition on a term, a target that is neither an address nor an id.
    data = tbx.dumps(features, BASE)
    for good, bad, broken in [
        (b"preferredTerm-admn-sts", b"preferred", "/administrativeStatus/ type may be"),
        (b'type="subjectField"', b'type="domain"', "Permitted type value(s): subjectField"),
        (b'type="crossReference" target="wu', b'type="crossReference" target="xwu',
         "ID must be IDREF"),
    ]:  # fmt: skip
        assert any(broken in m for m in schematron_failures(parse(data.replace(good, bad, 1))))
    misplaced = parse(data.replace(b"</term>", b'</term><descrip type="definition">x</descrip>', 1))
    assert not core_schema().validate(misplaced)  # the core wants termNotes right after term
    # A context made a definition: in a termSec, where TBX-Basic has no definitions.
    misplaced = parse(data.replace(b'type="context"', b'type="definition"', 1))
    assert any("/definition/ may only appear" in m for m in schematron_failures(misplaced))


def test_the_root_and_header_name_the_dialect(shipped_tbx):
    root = parse(shipped_tbx).getroot()
    assert root.tag == f"{TBX}tbx"
    assert (root.get("type"), root.get("style"), root.get(tbx.XML_LANG)) == (
        "TBX-Basic",
        "dca",
        "zh",
    )
    assert root.find("tbx:tbxHeader/tbx:fileDesc/tbx:titleStmt/tbx:title", NS).text
    assert shipped_tbx.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")


def test_one_entry_per_term_with_headword_aliases_and_definitions(shipped, shipped_tbx):
    root = parse(shipped_tbx).getroot()
    entries = root.findall(".//tbx:conceptEntry", NS)
    assert len(entries) == len(shipped.terms) == 859
    for entry, term in zip(entries, shipped.terms, strict=True):
        assert entry.get("id") == tbx.entry_id(term.id)
        terms = [
            t.text for t in entry.findall("tbx:langSec[@xml:lang='zh']/tbx:termSec/tbx:term", NS)
        ]
        assert terms == term.forms
        definitions = [d.text for d in entry.iterfind(".//tbx:descrip[@type='definition']", NS)]
        assert definitions == [s.definition for s in term.senses if s.definition]


def _entry(data: bytes, term_id: str) -> etree._Element:
    return parse(data).getroot().find(f".//tbx:conceptEntry[@id='{tbx.entry_id(term_id)}']", NS)


def test_status_becomes_the_administrative_status_of_every_term(features):
    data = tbx.dumps(features, BASE)

    def statuses(term_id):
        entry = _entry(data, term_id)
        return [n.text for n in entry.iterfind(".//tbx:termNote[@type='administrativeStatus']", NS)]

    assert statuses("wu-gong-li-nian") == ["preferredTerm-admn-sts", "admittedTerm-admn-sts"]
    assert statuses("xin-zhi-sheng-chan-li") == ["admittedTerm-admn-sts", "admittedTerm-admn-sts"]
    assert statuses("zheng-fu-gong-zuo") == ["deprecatedTerm-admn-sts"]
    alias = _entry(data, "wu-gong-li-nian").findall(".//tbx:termSec", NS)[1]
    assert alias.findtext("tbx:termNote[@type='termType']", namespaces=NS) == "variant"


def test_a_definition_keeps_its_source_and_place(features):
    entry = _entry(tbx.dumps(features, BASE), "wu-gong-li-nian")
    groups = entry.findall("tbx:langSec/tbx:descripGrp", NS)
    assert [g.findtext("tbx:note", namespaces=NS) for g in groups] == [
        "湖北省武汉市江岸区",
        "山东省临沂市郯城县",
    ]
    assert groups[1].findtext("tbx:admin[@type='source']", namespaces=NS) == (
        "郯城县2024年政府工作报告名词解释(大众网)，大众网，2024-01"
    )


def test_usage_quotes_are_contexts_of_the_headword(features):
    entry = _entry(tbx.dumps(features, BASE), "san-ge-qu-fen-kai-lai")
    headword = entry.find("tbx:langSec/tbx:termSec", NS)
    assert headword.findtext("tbx:descripGrp/tbx:descrip[@type='context']", namespaces=NS) == (
        "坚持“三个区分开来”,为担当者担当。"
    )
    reading = headword.find("tbx:note", NS)
    assert (reading.text, reading.get(tbx.XML_LANG)) == ("sān gè qū fēn kāi lái", "zh-Latn-pinyin")


def test_english_category_uri_and_related_terms(features):
    data = tbx.dumps(features, BASE)
    entry = _entry(data, "531-chan-ye-ti-xi")
    assert entry.get("id") == "_531-chan-ye-ti-xi"  # an XML ID starts with a letter or _
    assert entry.findtext("tbx:langSec[@xml:lang='en']/tbx:termSec/tbx:term", namespaces=NS) == (
        "531 Industrial System"
    )
    assert entry.findtext("tbx:descrip[@type='subjectField']", namespaces=NS) == "产业"
    xref = entry.find("tbx:xref[@type='externalCrossReference']", NS)
    assert xref.get("target") == f"{BASE}terms/531-chan-ye-ti-xi"
    ref = _entry(data, "san-ge-qu-fen-kai-lai").find("tbx:ref[@type='crossReference']", NS)
    assert (ref.get("target"), ref.text) == ("wu-gong-li-nian", "“五共”理念")


def test_a_status_filter_leaves_out_other_terms_and_references_to_them(features):
    data = tbx.dumps(features, BASE, statuses=["candidate"])
    ids = [e.get("id") for e in parse(data).getroot().iterfind(".//tbx:conceptEntry", NS)]
    assert ids == ["xin-zhi-sheng-chan-li", "_1310"]
    alone = tbx.dumps(features, BASE, statuses=["reviewed"])
    assert core_schema().validate(parse(alone)) and schematron_failures(parse(alone)) == []


def test_translate_toolkit_loads_every_term_of_the_2008_form(shipped):
    store_ = translate_tbx.tbxfile(
        io.BytesIO(tbx.dumps(shipped, BASE, version="2")), sourcelanguage="zh"
    )
    assert len(store_.units) == 859
    assert [u.source for u in store_.units] == [t.term for t in shipped.terms]
    terms = [[t.text for t in u.get_source_terms()] for u in store_.units]
    assert terms == [t.forms for t in shipped.terms]
    assert sum(len(forms) for forms in terms) == 859 + 39


def test_translate_toolkit_reads_english_and_deprecation(features):
    store_ = translate_tbx.tbxfile(io.BytesIO(tbx.dumps(features, BASE, version="2")),
                                   sourcelanguage="zh", targetlanguage="en")  # fmt: skip
    units = {u.source: u for u in store_.units}
    assert units["“531”产业体系"].target == "531 Industrial System"
    assert units["政府工作"].isobsolete()
    assert not units["三个区分开来"].isobsolete()


def test_the_2008_form_is_martif_without_a_namespace(features):
    root = parse(tbx.dumps(features, BASE, version="2")).getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert root.findtext("martifHeader/encodingDesc/p[@type='XCSURI']") == "TBXBasicXCSV02.xcs"
    assert [e.tag for e in root.find("text/body")][:1] == ["termEntry"]
    assert root.find("text/body/termEntry/langSet/tig/term") is not None
