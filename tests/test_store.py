from __future__ import annotations

import difflib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossary import store
from glossary.errors import GlossaryFileError
from glossary.model import Glossary
from glossary.schema import GlossarySchema
from tests.conftest import SAMPLE, SHIPPED_GLOSSARY

REPO = Path(__file__).resolve().parents[1]


def broken(sample_file: Path, old: str, new: str) -> Path:
    assert old in SAMPLE
    sample_file.write_text(SAMPLE.replace(old, new, 1), encoding="utf-8")
    return sample_file


def line_of(fragment: str, source: str = SAMPLE) -> int:
    return source[: source.index(fragment)].count("\n") + 1


def load_error(path: Path) -> GlossaryFileError:
    with pytest.raises(GlossaryFileError) as caught:
        store.load(path)
    return caught.value


def test_sample_loads_into_the_model(sample_file):
    glossary = store.load(sample_file)
    assert [t.id for t in glossary.terms] == ["san-ge-qu-fen-kai-lai", "wu-gong-li-nian", "1310"]
    assert glossary.document("jiangan-2024").date == "2023-12-24"
    assert glossary.lookup("五共理念")[0].definition.startswith("决策共谋")
    assert glossary.term("1310").definition is None


def test_unknown_status_names_file_line_field_and_choices(sample_file):
    broken(sample_file, "status: candidate", "status: pending")
    error = load_error(sample_file)
    line = line_of("status: candidate")
    assert str(error) == (
        f"{sample_file}:{line}: terms[2].status: must be one of candidate, reviewed, deprecated"
    )


def test_bad_indentation_is_a_yaml_error_with_its_line(sample_file):
    broken(sample_file, "    aliases: [五共理念]", "   aliases: [五共理念]")
    error = load_error(sample_file)
    assert error.problems[0].line in (
        line_of("aliases: [五共理念]"),
        line_of("aliases: [五共理念]") + 1,
    )
    assert "invalid YAML" in str(error)


def test_wrong_type_names_the_line_of_the_field(sample_file):
    broken(sample_file, "aliases: [五共理念]", "aliases: 五共理念")
    error = load_error(sample_file)
    assert (
        str(error)
        == f"{sample_file}:{line_of('aliases: [五共理念]')}: terms[1].aliases: must be a list"
    )


def test_unquoted_number_is_explained(sample_file):
    broken(sample_file, "aliases: [五共理念]", "aliases: [531]")
    error = load_error(sample_file)
    assert "terms[1].aliases[0]: must be text" in str(error)
    assert error.problems[0].line == line_of("aliases: [五共理念]")


def test_missing_required_field_points_at_its_entry(sample_file):
    broken(sample_file, "    term: “1310”\n", "")
    error = load_error(sample_file)
    assert error.problems[0].path == "terms[2].term"
    assert error.problems[0].line == line_of('- id: "1310"')
    assert "is required" in str(error)


def test_dangling_related_reference(sample_file):
    broken(sample_file, "related: [wu-gong-li-nian]", "related: [wu-gong]")
    error = load_error(sample_file)
    assert str(error) == (
        f"{sample_file}:{line_of('related: [wu-gong-li-nian]')}: "
        "terms[0].related[0]: no term has id 'wu-gong'"
    )


def test_source_citing_an_unknown_document(sample_file):
    source = SAMPLE.replace(
        "doc: jiangan-2024\n            kind: usage", "doc: nowhere\n            kind: usage"
    )
    sample_file.write_text(source, encoding="utf-8")
    error = load_error(sample_file)
    assert error.problems[0].path == "terms[2].senses[0].sources[0].doc"
    assert error.problems[0].line == line_of("doc: nowhere", source)


def test_duplicate_ids_and_headwords(sample_file):
    source = SAMPLE.replace('id: "1310"', "id: wu-gong-li-nian").replace(
        "term: “1310”", "term: 五共理念"
    )
    source = source.replace("浙江省温州市乐清市虹桥镇", "湖北省武汉市江岸区")
    sample_file.write_text(source, encoding="utf-8")
    messages = str(load_error(sample_file))
    assert "terms[2].id: duplicate id 'wu-gong-li-nian' (first used by terms[1])" in messages
    assert (
        "terms[2].term: headword '五共理念' in 湖北省武汉市江岸区 is already terms[1]" in messages
    )


def test_same_headword_in_another_place_is_a_second_sense_not_an_error(sample_file):
    source = SAMPLE.replace('id: "1310"', "id: wu-gong-hongqiao").replace(
        "term: “1310”", "term: 五共理念"
    )
    sample_file.write_text(source, encoding="utf-8")
    assert len(store.load(sample_file).lookup("“五共”理念")) == 2


def test_reviewed_term_needs_a_definition(sample_file):
    broken(sample_file, "status: candidate", "status: reviewed")
    error = load_error(sample_file)
    assert error.problems[0].path == "terms[2].status"
    assert "needs a definition" in str(error)


FILE_LINE = "    file: 002_63741cc1e03311a7.txt\n"


def test_a_document_records_its_address_and_publisher(sample_file):
    url = "https://www.wuhan.gov.cn/zwgk/jiangan-2024.html"
    added = f"    url: {url}\n    publisher: 武汉市江岸区人民政府\n"
    broken(sample_file, FILE_LINE, FILE_LINE + added)
    document = store.load(sample_file).document("jiangan-2024")
    assert (document.url, document.publisher) == (url, "武汉市江岸区人民政府")
    assert "file" not in document.public() and document.public()["url"] == url


@pytest.mark.parametrize("url", ["javascript:alert(1)", "www.wuhan.gov.cn/a.html", "ftp://a.cn/b"])
def test_a_document_address_that_is_not_on_the_web_names_file_line_and_field(sample_file, url):
    broken(sample_file, FILE_LINE, f"{FILE_LINE}    url: {url}\n")
    error = load_error(sample_file)
    line = line_of(FILE_LINE) + 1
    assert str(error) == (
        f"{sample_file}:{line}: documents[0].url: must be a web address starting http:// or https://"
    )


def test_an_empty_publisher_is_refused(sample_file):
    broken(sample_file, FILE_LINE, f"{FILE_LINE}    publisher: ''\n")
    assert load_error(sample_file).problems[0].path == "documents[0].publisher"


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_bytes(SAMPLE.encode("gb18030"))
    error = load_error(path)
    assert "is not UTF-8" in str(error)
    assert error.problems[0].line == line_of("2024年武汉市")


def test_unedited_round_trip_is_byte_identical(sample_file):
    shipped = sample_file.parent / "shipped.yaml"
    shipped.write_bytes(SHIPPED_GLOSSARY.read_bytes())
    for path in (sample_file, shipped):
        before = path.read_bytes()
        with store.edit(path) as doc:
            doc["version"] = 1  # forces a dump: the rewrite must reproduce the file
        assert path.read_bytes() == before


def test_one_field_edit_changes_only_that_line(sample_file):
    with store.edit(sample_file) as doc:
        doc["terms"][0]["status"] = "deprecated"
    before, after = SAMPLE.splitlines(), sample_file.read_text(encoding="utf-8").splitlines()
    assert len(after) == len(before)
    changed = [a for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1
    assert changed[0].startswith("    status: deprecated")
    assert changed[0].endswith("# checked against the report")


def test_adding_a_field_inserts_one_line(sample_file):
    with store.edit(sample_file) as doc:
        doc["terms"][1].insert(4, "category", "基层治理")
    diff = [
        line
        for line in difflib.ndiff(SAMPLE.splitlines(), sample_file.read_text("utf-8").splitlines())
        if line[:1] in "+-"
    ]
    assert diff == ["+     category: 基层治理"]


def test_invalid_edit_is_refused_and_the_file_is_untouched(sample_file):
    with pytest.raises(GlossaryFileError, match="must be one of"), store.edit(sample_file) as doc:
        doc["terms"][0]["status"] = "approved"
    assert sample_file.read_text(encoding="utf-8") == SAMPLE


WRITER = """
import os, sys, time
sys.path.insert(0, {repo!r})
from glossary import store
path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    with store.edit(path) as doc:
        doc["terms"][1]["aliases"].append(f"{{tag}}{{n}}")
"""


def test_concurrent_writers_never_lose_an_update(sample_file, tmp_path):
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(repo=str(REPO)))
    writers = [
        subprocess.Popen([sys.executable, str(script), str(sample_file), tag, "15"])
        for tag in ("甲", "乙", "丙")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    aliases = store.load(sample_file).term("wu-gong-li-nian").aliases
    assert sorted(aliases) == sorted(
        ["五共理念"] + [f"{t}{n}" for t in "甲乙丙" for n in range(15)]
    )
    assert not list(sample_file.parent.glob("*.lock")) + list(sample_file.parent.glob(".*.lock"))


KILLED_WRITER = """
import os, sys, time
sys.path.insert(0, {repo!r})
from glossary import store
real_fsync = os.fsync
def slow_fsync(fd):
    # The temp file holds the new text but is not yet renamed: the worst moment to die.
    print("writing", flush=True)
    time.sleep(60)
os.fsync = slow_fsync
with store.edit(sys.argv[1]) as doc:
    doc["terms"][0]["status"] = "deprecated"
"""


def test_sigkill_mid_save_leaves_the_previous_file(sample_file, tmp_path):
    script = tmp_path / "killed.py"
    script.write_text(KILLED_WRITER.format(repo=str(REPO)))
    writer = subprocess.Popen(
        [sys.executable, str(script), str(sample_file)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout.readline().strip() == "writing"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    assert sample_file.read_text(encoding="utf-8") == SAMPLE
    assert store.load(sample_file).term("san-ge-qu-fen-kai-lai").status == "reviewed"
    assert len(list(sample_file.parent.glob(".*.tmp"))) == 1  # the dead writer's text
    # The next writer is not blocked by the dead one, and clears what it left.
    with store.edit(sample_file) as doc:
        doc["terms"][0]["category"] = "干部"
    assert store.load(sample_file).term("san-ge-qu-fen-kai-lai").category == "干部"
    assert sorted(p.name for p in sample_file.parent.iterdir()) == ["killed.py", "terms.yaml"]


TERM_TEMPLATE = """\
  - id: term-{n}
    term: 第{n}号术语
    aliases: [术语{n}]
    status: candidate
    senses:
      - scope: 某地
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 这是第{n}号术语的用法。
"""


def test_sigkill_at_any_moment_leaves_old_or_new_file(tmp_path):
    path = tmp_path / "terms.yaml"
    head = SAMPLE.partition("terms:\n")[0]
    original = head + "terms:\n" + "".join(TERM_TEMPLATE.format(n=n) for n in range(1500))
    script = tmp_path / "writer.py"
    script.write_text(
        f"import sys; sys.path.insert(0, {str(REPO)!r})\nfrom glossary import store\n"
        "with store.edit(sys.argv[1]) as doc:\n    doc['terms'][0]['category'] = 'x'\n"
    )
    outcomes = set()
    for delay in (0.3, 0.8, 1.3, 1.8, 2.5, 3.5):
        path.write_text(original, encoding="utf-8")
        writer = subprocess.Popen([sys.executable, str(script), str(path)])
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=10)
        glossary = store.load(path)  # never half a file
        assert len(glossary.terms) == 1500
        if glossary.terms[0].category == "x":
            outcomes.add("new")
        else:
            assert path.read_text(encoding="utf-8") == original
            outcomes.add("old")
    assert "old" in outcomes


def test_an_english_rendering_names_the_document_that_prints_it(sample_file):
    source = sample_file.read_text(encoding="utf-8").replace(
        "    related: [wu-gong-li-nian]\n",
        "    related: [wu-gong-li-nian]\n"
        "    english: {text: Three Distinctions, doc: jiangan-2024}\n",
    )
    glossary = store.parse(source, "terms.yaml")
    assert glossary.term("san-ge-qu-fen-kai-lai").english.text == "Three Distinctions"
    with pytest.raises(GlossaryFileError, match=r"terms\[0\]\.english\.doc: no document"):
        store.parse(source.replace("doc: jiangan-2024}", "doc: elsewhere}"), "terms.yaml")


# --- redirects of merged ids --------------------------------------------------------------

REDIRECTS = """\
redirects:              # ids merged into other terms: their old addresses answer 301
  san-ge-qu-fen: san-ge-qu-fen-kai-lai
  sgqfkl: san-ge-qu-fen
"""


def with_redirects(redirects: str = REDIRECTS) -> str:
    return SAMPLE + redirects


def test_a_redirect_chain_leads_to_the_term_it_ends_at():
    glossary = store.parse(with_redirects())
    assert glossary.redirects == {
        "san-ge-qu-fen": "san-ge-qu-fen-kai-lai",
        "sgqfkl": "san-ge-qu-fen",
    }
    assert glossary.moved("sgqfkl") == "san-ge-qu-fen-kai-lai"
    assert glossary.moved("san-ge-qu-fen") == "san-ge-qu-fen-kai-lai"
    assert glossary.moved("san-ge-qu-fen-kai-lai") is None  # live, never redirected
    assert glossary.moved("nowhere") is None


def test_a_glossary_without_redirects_has_none():
    assert store.parse(SAMPLE).redirects == {}


def test_moved_never_loops_on_a_circle_built_in_code():
    assert Glossary(redirects={"a": "b", "b": "a"}).moved("a") is None


def test_redirects_dump_as_they_were_written():
    dumped = GlossarySchema().dump(store.parse(with_redirects()))
    assert dumped["redirects"] == {
        "san-ge-qu-fen": "san-ge-qu-fen-kai-lai",
        "sgqfkl": "san-ge-qu-fen",
    }
    assert "redirects" not in GlossarySchema().dump(store.parse(SAMPLE))


def test_redirects_survive_an_unedited_round_trip(sample_file):
    sample_file.write_text(with_redirects(), encoding="utf-8")
    with store.edit(sample_file):
        pass
    assert sample_file.read_text(encoding="utf-8") == with_redirects()


def redirect_problems(redirects: str) -> list[str]:
    source = with_redirects(redirects)
    with pytest.raises(GlossaryFileError) as caught:
        store.parse(source, "terms.yaml")
    return [f"{p.line}: {p.path}: {p.message}" for p in caught.value.problems]


def test_a_redirect_ids_must_be_slugs_named_at_their_line():
    found = redirect_problems("redirects:\n  San_Ge: san-ge-qu-fen-kai-lai\n  old: New Id\n")
    end = line_of("redirects:", with_redirects("redirects:"))
    assert found == [
        f"{end + 1}: redirects.San_Ge: old id 'San_Ge' must be an ASCII slug like a-b-1",
        f"{end + 2}: redirects.old: new id 'New Id' must be an ASCII slug like a-b-1",
    ]


def test_redirects_must_be_a_mapping():
    assert redirect_problems("redirects: [a, b]\n")[0].endswith(
        "redirects: must be a mapping of old id: new id"
    )


def test_a_redirect_from_a_live_term_is_an_error():
    [found] = redirect_problems("redirects:\n  wu-gong-li-nian: san-ge-qu-fen-kai-lai\n")
    assert "redirects.wu-gong-li-nian: 'wu-gong-li-nian' is still a term (terms[1])" in found


def test_a_redirect_to_no_term_is_an_error():
    [found] = redirect_problems("redirects:\n  old: also-old\n  also-old: nowhere\n")
    assert found.endswith(
        "redirects.also-old: no term has id 'nowhere' (redirect to the id of a term that exists)"
    )


def test_a_circle_of_redirects_is_one_error():
    [found] = redirect_problems("redirects:\n  a: b\n  b: c\n  c: a\n  d: a\n")
    assert "redirects.a: redirects go round in a circle (a -> b -> c -> a)" in found


def test_a_redirect_to_itself_is_a_circle():
    [found] = redirect_problems("redirects:\n  a: a\n")
    assert "redirects.a: redirects go round in a circle (a -> a)" in found
