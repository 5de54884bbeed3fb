from __future__ import annotations

from pathlib import Path

import pytest

from glossary import importing, skos, store, tbx, text
from tests.conftest import SHIPPED_GLOSSARY
from tests.test_skos import BASE, FEATURES, JSONLD_PARSER_WARNING

EMPTY = "version: 1\ndocuments: []\nterms: []\n"


@pytest.fixture(scope="module")
def shipped():
    return store.load(SHIPPED_GLOSSARY)


@pytest.fixture
def empty(tmp_path) -> Path:
    path = tmp_path / "terms.yaml"
    path.write_text(EMPTY, encoding="utf-8")
    return path


@pytest.fixture
def features_file(tmp_path) -> Path:
    path = tmp_path / "features.yaml"
    path.write_text(FEATURES, encoding="utf-8")
    return path


def export(glossary, path: Path) -> Path:
    """``glossary`` written to ``path`` in the format its suffix names."""
    if path.suffix == ".tbx":
        path.write_bytes(tbx.dumps(glossary, BASE, version="2" if "v2" in path.name else "3"))
    else:
        syntax = {".ttl": "turtle", ".rdf": "xml", ".jsonld": "json-ld"}[path.suffix]
        path.write_text(skos.serialise(skos.graph(glossary, BASE), syntax), encoding="utf-8")
    return path


def definitions(glossary) -> set[str]:
    return {s.definition for t in glossary.terms for s in t.senses if s.definition}


@pytest.mark.parametrize("name", ["shipped.ttl", "shipped.tbx"])
def test_the_shipped_glossary_comes_back_whole_through_skos_and_tbx(shipped, empty, tmp_path, name):
    report = importing.import_file(export(shipped, tmp_path / name), empty)
    back = store.load(empty)
    assert {t.term for t in back.terms} == {t.term for t in shipped.terms}
    assert len(back.terms) == 859 == len(report.terms)
    assert definitions(back) == definitions(shipped) and len(definitions(back)) == 83
    assert {(t.term, a) for t in back.terms for a in t.aliases} == {
        (t.term, a) for t in shipped.terms for a in t.aliases
    }
    assert all(t.status == "candidate" for t in back.terms)
    (document,) = back.documents
    assert (document.title, document.file) == ("中国地方政策术语表", name)
    assert all(
        s.doc == document.id for t in back.terms for sense in t.senses for s in sense.sources
    )


@pytest.mark.parametrize("name", ["features.ttl", "features.rdf", "features.jsonld",
                                  "features.tbx", "features-v2.tbx"])  # fmt: skip
@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_every_syntax_imports_terms_definitions_and_english(features_file, empty, tmp_path, name):
    path = export(store.load(features_file), tmp_path / name)
    importing.import_file(path, empty)
    back = store.load(empty)
    # Rejected terms stay rejected: the deprecated term and the merged id are left out.
    assert sorted(t.term for t in back.terms) == sorted(
        ["三个区分开来", "“五共”理念", "“531”产业体系", "新质生产力", "“1310”"]
    )
    assert definitions(back) == definitions(store.load(features_file))
    english = {t.term: t.english.text for t in back.terms if t.english}
    assert english == {
        "“531”产业体系": "531 Industrial System",
        "新质生产力": "New Quality Productive Forces",
    }
    pending = next(t for t in back.terms if t.term == "“1310”")
    assert pending.definition is None and pending.senses[0].sources[0].kind == "usage"


def test_a_reviewed_definition_is_never_replaced(features_file, tmp_path):
    other = FEATURES.replace("同明知故犯的违纪违法行为区分开来。\n", "同故意违纪区分开来。\n", 1)
    path = tmp_path / "other.yaml"
    path.write_text(other, encoding="utf-8")
    report = importing.import_file(export(store.load(path), tmp_path / "other.ttl"), features_file)
    term = store.load(features_file).term("san-ge-qu-fen-kai-lai")
    assert term.status == "reviewed"
    assert term.senses[0].definition.endswith("同明知故犯的违纪违法行为区分开来。")
    assert [s.definition for s in term.senses][1].endswith("同故意违纪区分开来。")
    # A file names no place: its reading is a sense of its own, for a curator to weigh.
    assert "san-ge-qu-fen-kai-lai: no scope" in report.senses


def test_importing_its_own_export_twice_changes_nothing_the_second_time(features_file, tmp_path):
    path = export(store.load(features_file), tmp_path / "features.tbx")
    importing.import_file(path, features_file)
    once = features_file.read_bytes()
    report = importing.import_file(path, features_file)
    assert not report.changed and features_file.read_bytes() == once


def test_a_dry_run_writes_nothing(features_file, empty, tmp_path):
    path = export(store.load(features_file), tmp_path / "features.ttl")
    report = importing.import_file(path, empty, dry_run=True)
    assert len(report.terms) == 5 and empty.read_text(encoding="utf-8") == EMPTY


def test_a_term_the_glossary_has_keeps_its_own_aliases(features_file, tmp_path):
    vocabulary = tmp_path / "vocabulary.ttl"
    vocabulary.write_text(
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:x:1> a skos:Concept ; skos:prefLabel "三个区分开来"@zh ; skos:altLabel "三区分"@zh .
        <urn:x:2> a skos:Concept ; skos:prefLabel "双创"@zh ;
            skos:altLabel "大众创业万众创新"@zh, "五共理念"@zh, "雙創"@zh-Hant ;
            skos:definition "大众创业、万众创新。"@zh .
        """,
        encoding="utf-8",
    )
    importing.import_file(vocabulary, features_file)
    glossary = store.load(features_file)
    assert glossary.term("san-ge-qu-fen-kai-lai").aliases == []
    (new,) = glossary.lookup("双创")
    # 五共理念 heads another entry, and a traditional form is found by folding anyway.
    assert new.aliases == ["大众创业万众创新"] and new.status == "candidate"
    assert new.definition == "大众创业、万众创新。"
    document = glossary.document(new.senses[0].sources[0].doc)
    assert (document.id, document.title, document.file) == (
        "vocabulary",
        "vocabulary.ttl",
        "vocabulary.ttl",
    )


def test_other_tools_skos_with_plain_definitions_and_untagged_labels(empty, tmp_path):
    vocabulary = tmp_path / "thesaurus.rdf"
    vocabulary.write_text(
        """<?xml version="1.0"?>
        <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
                 xmlns:skos="http://www.w3.org/2004/02/skos/core#"
                 xmlns:dct="http://purl.org/dc/terms/">
          <skos:ConceptScheme rdf:about="urn:s"><dct:title>地方术语</dct:title></skos:ConceptScheme>
          <skos:Concept rdf:about="urn:c1">
            <skos:prefLabel>放管服</skos:prefLabel>
            <skos:prefLabel xml:lang="en">streamline administration</skos:prefLabel>
            <skos:definition>简政放权、放管结合、优化服务。</skos:definition>
            <skos:definition xml:lang="en">Delegate, regulate, serve.</skos:definition>
          </skos:Concept>
          <skos:Concept rdf:about="urn:c2">
            <skos:prefLabel xml:lang="en">no Chinese</skos:prefLabel>
          </skos:Concept>
        </rdf:RDF>""",
        encoding="utf-8",
    )
    imported = importing.read(vocabulary)
    assert imported.skipped == 1 and imported.document.title == "地方术语"
    importing.import_into(imported, empty)
    (term,) = store.load(empty).terms
    assert (term.term, term.definition) == ("放管服", "简政放权、放管结合、优化服务。")
    assert term.english.text == "streamline administration"


def test_a_tbx_preferred_term_is_the_headword_and_deprecated_terms_are_left_out(empty, tmp_path):
    path = tmp_path / "memoq.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
        <martif type="TBX" xml:lang="zh-CN"><martifHeader><fileDesc><sourceDesc><p>x</p>
        </sourceDesc></fileDesc></martifHeader><text><body>
          <termEntry id="a"><langSet xml:lang="zh-CN">
            <descrip type="definition">对“四上”企业的培育。</descrip>
            <ntig><termGrp><term>上规企业</term></termGrp></ntig>
            <tig><term>“四上”企业</term>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
            <tig><term>四上单位</term>
              <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
          </langSet></termEntry>
          <termEntry id="b"><langSet xml:lang="zh-CN"><tig><term>旧词</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
          </langSet></termEntry>
        </body></text></martif>""",
        encoding="utf-8",
    )
    imported = importing.read(path)
    assert imported.skipped == 1 and imported.document.title == "memoq.tbx"
    (concept,) = imported.concepts
    assert (concept.headword, concept.aliases) == ("“四上”企业", ["上规企业"])
    assert concept.definitions == ["对“四上”企业的培育。"]


def test_a_tbx_file_cannot_read_other_files_or_the_network(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("密码", encoding="utf-8")
    path = tmp_path / "evil.tbx"
    path.write_text(
        f"""<?xml version="1.0"?>
        <!DOCTYPE tbx [<!ENTITY leak SYSTEM "file://{secret}">]>
        <tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="zh">
        <tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader>
        <text><body><conceptEntry id="a"><langSec xml:lang="zh">
          <termSec><term>术语&leak;</term></termSec></langSec></conceptEntry></body></text></tbx>""",
        encoding="utf-8",
    )
    (concept,) = importing.read(path).concepts
    assert "密码" not in concept.headword and concept.headword.startswith("术语")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<tbx><broken></tbx>", "not well-formed XML"),
        ("this is not rdf at all", "not readable as RDF"),
        ('{"@context": 1', "not readable as RDF"),
    ],
)
def test_an_unreadable_file_names_itself(tmp_path, content, message):
    path = tmp_path / "bad.data"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(importing.ImportFileError, match=message) as error:
        importing.read(path)
    assert str(path) in str(error.value)


def test_keys_of_imported_terms_are_the_glossarys(features_file, tmp_path):
    # “五共”理念 and 五共理念 are one term to the glossary: an import finds it, not a twin.
    vocabulary = tmp_path / "v.ttl"
    vocabulary.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<urn:a> a skos:Concept ; skos:prefLabel "五共理念"@zh-Hans .\n',
        encoding="utf-8",
    )
    report = importing.import_file(vocabulary, features_file)
    assert report.terms == []
    assert [t.id for t in store.load(features_file).lookup(text.key("五共理念"))] == [
        "wu-gong-li-nian"
    ]
