from __future__ import annotations

import io
import json

import click
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from glossary import store
from glossary.cli import _Group
from glossary.cli_export import export_command, import_command
from tests.conftest import SHIPPED_GLOSSARY
from tests.test_importing import EMPTY
from tests.test_skos import BASE, FEATURES, JSONLD_PARSER_WARNING


@click.group(cls=_Group)
def main() -> None:
    """The two commands as ``glossary`` will carry them (``main.add_command``)."""


main.add_command(export_command)
main.add_command(import_command)


@pytest.fixture
def features_file(tmp_path):
    path = tmp_path / "features.yaml"
    path.write_text(FEATURES, encoding="utf-8")
    return path


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_export_skos_to_standard_output(features_file):
    result = run("export", "--format", "skos", "--base-url", BASE, str(features_file))
    assert result.exit_code == 0, result.output
    rdf = Graph().parse(data=result.stdout_bytes, format="turtle")
    assert len(set(rdf.subjects(RDF.type, SKOS.Concept))) == 7  # six terms and a merged id


@pytest.mark.parametrize("syntax", ["xml", "json-ld"])
@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_export_skos_in_another_syntax_only_reviewed_to_a_file(features_file, tmp_path, syntax):
    out = tmp_path / "out.rdf"
    result = run("export", "--format", "skos", "--rdf-format", syntax, "--status", "reviewed",
                 "--base-url", BASE, "-o", str(out), str(features_file))  # fmt: skip
    assert result.exit_code == 0 and result.output == ""
    rdf = Graph().parse(out, format=syntax)
    assert len(set(rdf.subjects(RDF.type, SKOS.Concept))) == 3


def test_export_tbx_in_both_editions(features_file):
    v3 = run("export", "--format", "tbx", "--base-url", BASE, str(features_file))
    v2 = run("export", "--format", "tbx", "--tbx-version", "2", "--base-url", BASE,
             str(features_file))  # fmt: skip
    assert b'<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic"' in v3.stdout_bytes
    assert b'<martif type="TBX-Basic"' in v2.stdout_bytes


def test_export_csv_is_utf8_with_a_bom(features_file):
    result = run("export", "--format", "csv", "--status", "candidate", "--status", "deprecated",
                 "--base-url", BASE, str(features_file))  # fmt: skip
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfid,term,status,")
    assert result.stdout_bytes.count(b"\r\n") == 4  # the header and three terms of one sense


def test_export_jsonl_one_term_a_line(features_file):
    result = run("export", "--format", "jsonl", "--base-url", BASE, str(features_file))
    lines = result.stdout_bytes.decode("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines][:2] == [
        "san-ge-qu-fen-kai-lai",
        "wu-gong-li-nian",
    ]
    assert json.loads(lines[0])["url"] == f"{BASE}api/v1/terms/san-ge-qu-fen-kai-lai"


def test_the_base_url_and_the_glossary_file_come_from_the_environment(features_file):
    env = {"GLOSSARY_BASE_URL": "https://terms.example.org", "GLOSSARY_FILE": str(features_file)}
    result = run("export", "--format", "jsonl", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout_bytes.splitlines()[0])["url"].startswith(
        "https://terms.example.org/api/v1/terms/"
    )


def test_a_missing_or_bad_base_url_is_an_error_that_says_what_to_give(features_file):
    missing = run("export", "--format", "skos", str(features_file), env={"GLOSSARY_BASE_URL": ""})
    assert missing.exit_code == 2 and "--base-url" in missing.output
    bad = run("export", "--format", "skos", "--base-url", "glossary.example", str(features_file))
    assert bad.exit_code == 1 and "must be an absolute http:// or https:// address" in bad.output
    assert "Traceback" not in bad.output


def test_a_failed_export_leaves_no_file(features_file, tmp_path):
    out = tmp_path / "out.ttl"
    result = run("export", "--format", "skos", "--base-url", "ftp://x/", "-o", str(out),
                 str(features_file))  # fmt: skip
    assert result.exit_code == 1 and not out.exists()


def test_export_of_the_shipped_glossary_by_default(monkeypatch):
    monkeypatch.delenv("GLOSSARY_FILE", raising=False)
    result = run("export", "--format", "csv", "--status", "reviewed", "--base-url", BASE)
    assert result.exit_code == 0
    reviewed = [t for t in store.load(SHIPPED_GLOSSARY).terms if t.status == "reviewed"]
    ids = {line.split(",")[0] for line in io.StringIO(result.stdout_bytes.decode("utf-8-sig"))}
    assert {t.id for t in reviewed} <= ids


def test_import_merges_and_reports(features_file, tmp_path):
    exported = tmp_path / "features.tbx"
    run("export", "--format", "tbx", "--base-url", BASE, "-o", str(exported), str(features_file))
    target = tmp_path / "terms.yaml"
    target.write_text(EMPTY, encoding="utf-8")
    dry = run("import", str(exported), "--merge", str(target), "--dry-run")
    assert dry.exit_code == 0 and dry.stdout.startswith("dry run: 1 new documents, 5 new terms")
    assert target.read_text(encoding="utf-8") == EMPTY
    assert "1 deprecated or unlabelled concepts left out" in dry.stderr
    done = run("import", str(exported), "--merge", str(target))
    assert done.exit_code == 0 and "+ term 531-chan-ye-ti-xi: “531”产业体系" in done.stdout
    assert len(store.load(target).terms) == 5


def test_import_of_an_unreadable_file_says_why(tmp_path):
    target = tmp_path / "terms.yaml"
    target.write_text(EMPTY, encoding="utf-8")
    bad = tmp_path / "bad.tbx"
    bad.write_text("<tbx><conceptEntry></tbx>", encoding="utf-8")
    result = run("import", str(bad), "--merge", str(target))
    assert result.exit_code == 1 and "not well-formed XML" in result.output
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n", encoding="utf-8")
    result = run("import", str(empty), "--merge", str(target))
    assert result.exit_code == 1 and "no concept with a Chinese label" in result.output
    missing = run("import", str(tmp_path / "nowhere.ttl"), "--merge", str(target))
    assert missing.exit_code == 2
