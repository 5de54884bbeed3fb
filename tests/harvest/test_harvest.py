"""The harvest as users run it: whole files and batches, through the CLI."""

from __future__ import annotations

import codecs
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE

import opencc
import pytest
import yaml
from click.testing import CliRunner

from glossary import harvest, store, text
from glossary.cli import main
from glossary.harvest import HarvestResult, harvest_file, harvest_paths, iter_report_paths
from glossary.harvest.merge import same_definition
from tests.conftest import SAMPLE, SHARED, SHIPPED_GLOSSARY

SEEDS = SHARED / "seeds"
JIANGAN = SEEDS / "002_63741cc1e03311a7.txt"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_report_gives_glossary_entries_with_its_document():
    result = harvest_file(JIANGAN)
    glossary = [f for f in result.findings if f.kind == "glossary"]
    assert len(glossary) == 29
    assert result.doc.year == 2024
    assert "江岸区" in result.doc.locality
    three = next(f for f in glossary if f.key == "三个区分开来")
    assert three.definition.startswith("把干部在推进改革中")
    assert len(three.parts) == 3


def test_usages_inside_the_glossary_section_are_not_reported_as_usages():
    findings = harvest_file(JIANGAN).findings
    section_start = min(f.start for f in findings if f.kind == "glossary")
    assert all(f.start < section_start for f in findings if f.kind == "usage")


def test_jsonl_records_carry_the_stable_fields():
    result = run("harvest", "--format", "jsonl", str(JIANGAN))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert set(records[0]) == {
        "term", "key", "definition", "kind", "parts", "doc", "start", "end", "quote", "score",
        "english",
    }  # fmt: skip
    assert set(records[0]["doc"]) == {"id", "title", "locality", "year", "path"}
    text = JIANGAN.read_text(encoding="utf-8")
    for record in records:
        assert text[record["start"] : record["end"]] == record["quote"]


def test_overrides_apply_to_every_file():
    result = run("harvest", "--format", "summary", "--locality", "某省某市", str(JIANGAN))
    assert "(某省某市)" in result.stdout


@pytest.fixture
def bad_batch(tmp_path):
    batch = tmp_path / "reports"
    batch.mkdir()
    shutil.copy(JIANGAN, batch / "good.txt")
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    )
    cut = JIANGAN.read_text("utf-8").encode("gb18030")[:5001]
    (batch / "truncated.txt").write_bytes(cut)
    (batch / "nobody.html").write_text("<html><head><title>x</title></head><body></body></html>")
    with (batch / "huge.txt").open("w", encoding="utf-8") as huge:
        chunk = "各位代表：现在，我代表区人民政府向大会报告工作。\n" * 2000
        while huge.tell() < 50 * 2**20:
            huge.write(chunk)
    return batch


def test_one_unreadable_report_never_aborts_the_batch(bad_batch):
    files = list(iter_report_paths([str(bad_batch)]))
    results = {p.name: r for p, r in zip(files, harvest_paths(files), strict=True)}
    assert results["good.txt"].error is None and results["good.txt"].findings
    assert results["truncated.txt"].error is None
    for name in ("empty.txt", "binary.txt", "nobody.html", "huge.txt"):
        assert results[name].error, name
    assert "more than one report holds" in results["huge.txt"].error


def test_cli_reports_each_bad_file_and_exits_1(bad_batch):
    result = run("harvest", "--format", "summary", str(bad_batch))
    assert result.exit_code == 1
    assert "good.txt" in result.stdout and "truncated.txt" in result.stdout
    for name in ("empty.txt", "binary.txt", "nobody.html", "huge.txt"):
        assert f"{name}: " in result.stderr
    assert "4 of 6 files could not be read" in result.stderr
    assert "Traceback" not in result.output


def test_parallel_jobs_give_the_same_findings_in_the_same_order(bad_batch):
    files = list(iter_report_paths([str(bad_batch)]))
    one = [(r.path, r.error, r.findings) for r in harvest_paths(files, jobs=1)]
    two = [(r.path, r.error, r.findings) for r in harvest_paths(files, jobs=2)]
    assert one == two


def test_with_more_jobs_than_files_every_file_comes_back_once_in_order():
    files = sorted(SEEDS.glob("*.txt"))[:3]
    assert [r.path for r in harvest_paths(files, jobs=8)] == [str(f) for f in files]


def test_files_are_taken_largest_first_within_each_window(tmp_path):
    files = []
    for n, size in enumerate([1, 5, 3, 9, 2, 7]):
        files.append(tmp_path / f"{n}.txt")
        files[-1].write_text("x" * size)
    files.append(tmp_path / "missing.txt")
    assert harvest._largest_first(files, window=3) == [1, 2, 0, 3, 5, 4, 6]


def _dies_in_a_worker(path: Path) -> HarvestResult:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # as a crash in a PDF library would end it
    time.sleep(0.05)  # this process is slow enough that the worker takes a file
    return HarvestResult(str(path))


def test_a_worker_that_dies_costs_only_the_file_it_had_taken():
    files = [Path(f"report-{n}.txt") for n in range(6)]
    results = list(harvest._Shared(files, _dies_in_a_worker, workers=1))
    assert [r.path for r in results] == [str(f) for f in files]
    lost = [r for r in results if r.error]
    assert len(lost) == 1
    assert lost[0].error == "the worker process harvesting it died (exit [3])"


def test_a_batch_left_unfinished_stops_its_workers():
    files = sorted(SHARED.glob("provinces-2026/*.txt"))[:8]
    batch = harvest_paths(files, jobs=2)
    assert next(batch).error is None
    batch.close()
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not multiprocessing.active_children()


def glossary_command(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """The installed command in its own process group, killed whole if it hangs."""
    command = Path(sys.executable).parent / "glossary"
    with subprocess.Popen(
        [str(command), *args], stdout=PIPE, stderr=PIPE, text=True, start_new_session=True
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # workers blocked on a read go too
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fifos_named_or_walked_are_refused_unopened_and_the_batch_goes_on(tmp_path, jobs):
    batch = tmp_path / "reports"
    batch.mkdir()
    shutil.copy(JIANGAN, batch / "good.txt")
    os.mkfifo(batch / "walked.txt")
    os.mkfifo(tmp_path / "named.txt")  # opening either for reading would block forever
    named = str(tmp_path / "named.txt")
    result = glossary_command("harvest", "--format", "summary", "-j", jobs, named, str(batch))
    assert result.returncode == 1
    assert result.stdout.startswith(f"{batch / 'good.txt'}: 2024年武汉市江岸区政府工作报告")
    assert result.stderr.splitlines() == [
        f"error: {named}: is a FIFO (named pipe), not a report file",
        f"error: {batch / 'walked.txt'}: is a FIFO (named pipe), not a report file",
        "2 of 3 files could not be read",
    ]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pypdf_messages_land_in_the_report_of_their_file_only(tmp_path, jobs):
    shutil.copy(JIANGAN, tmp_path / "good.txt")
    cut = tmp_path / "cut.pdf"
    cut.write_bytes((Path(__file__).parent / "fixtures/read/sample.pdf").read_bytes()[:-200])
    result = glossary_command("harvest", "--format", "summary", "-j", jobs, str(tmp_path))
    assert result.returncode == 1
    error, count = result.stderr.splitlines()  # no bare "EOF marker not found" line
    assert error.startswith(f"error: {cut}: not a readable PDF (")
    assert error.endswith("pypdf: EOF marker not found")
    assert count == "1 of 2 files could not be read"


def test_what_pypdf_said_about_a_pdf_it_could_read_comes_with_the_result(tmp_path):
    raw = (Path(__file__).parent / "fixtures/read/sample.pdf").read_bytes()
    at = raw.rindex(b"startxref\n") + len(b"startxref\n")
    (tmp_path / "moved.pdf").write_bytes(raw[:at] + b"15000\n%%EOF\n")  # a wrong xref offset
    files = [tmp_path / "moved.pdf"] * 2  # one per process with jobs=2
    for result in [*harvest_paths(files), *harvest_paths(files, jobs=2)]:
        assert result.error is None and result.findings
        assert "pypdf: incorrect startxref pointer(1)" in result.warnings


def test_the_command_line_prints_what_pypdf_said_about_a_pdf_it_read(tmp_path):
    raw = (Path(__file__).parent / "fixtures/read/sample.pdf").read_bytes()
    at = raw.rindex(b"startxref\n") + len(b"startxref\n")
    (tmp_path / "moved.pdf").write_bytes(raw[:at] + b"15000\n%%EOF\n")
    result = run("harvest", "--format", "summary", str(tmp_path / "moved.pdf"))
    assert result.exit_code == 0
    warning = f"warning: {tmp_path / 'moved.pdf'}: pypdf: incorrect startxref pointer(1)"
    assert warning in result.stderr.splitlines()


def test_a_broken_symbolic_link_in_a_directory_is_reported_and_the_rest_harvested(tmp_path):
    shutil.copy(JIANGAN, tmp_path / "good.txt")
    (tmp_path / "moved.txt").symlink_to(tmp_path / "archive" / "moved.txt")
    result = run("harvest", "--format", "summary", str(tmp_path))
    assert result.exit_code == 1
    assert "good.txt: 2024年武汉市江岸区政府工作报告" in result.stdout
    link, target = tmp_path / "moved.txt", tmp_path / "archive" / "moved.txt"
    assert result.stderr.splitlines() == [
        f"error: {link}: broken symbolic link (to {target}, which does not exist)",
        "1 of 2 files could not be read",
    ]


def test_a_utf8_bom_before_gb18030_gives_the_findings_of_the_utf8_report(tmp_path):
    (tmp_path / "utf8").mkdir()
    (tmp_path / "bom").mkdir()
    shutil.copy(JIANGAN, tmp_path / "utf8" / JIANGAN.name)
    gb = codecs.BOM_UTF8 + JIANGAN.read_text("utf-8").encode("gb18030")
    (tmp_path / "bom" / JIANGAN.name).write_bytes(gb)
    plain, bom = (harvest_file(tmp_path / d / JIANGAN.name) for d in ("utf8", "bom"))
    assert bom.findings and "\ufffd" not in (bom.doc.title or "")

    def records(result):
        return [{**f.to_json(), "doc": {**f.to_json()["doc"], "path": ""}} for f in result.findings]

    assert records(bom) == records(plain)


def test_merge_of_the_seeds_is_valid_and_idempotent(tmp_path):
    glossary = tmp_path / "terms.yaml"
    glossary.write_text(SAMPLE.replace("jiangan-2024", "wuhan-jiangan-2024-gov-report"), "utf-8")
    first = run("harvest", "--merge", str(glossary), str(SEEDS))
    assert first.exit_code == 0, first.output
    merged = glossary.read_bytes()
    loaded = store.load(glossary)
    assert len(loaded.terms) > 29
    second = run("harvest", "--merge", str(glossary), str(SEEDS))
    assert second.stdout.startswith("0 new documents, 0 new terms, 0 new senses, 0 new sources")
    assert glossary.read_bytes() == merged


def test_dry_run_changes_nothing(tmp_path):
    glossary = tmp_path / "terms.yaml"
    glossary.write_text(SAMPLE, "utf-8")
    result = run("harvest", "--merge", str(glossary), "--dry-run", str(JIANGAN))
    assert result.stdout.startswith("dry run: 0 new documents")  # known by its file name
    assert "+ term" in result.stdout
    assert glossary.read_text("utf-8") == SAMPLE


def test_the_shipped_glossary_already_holds_everything_the_shared_reports_give(tmp_path):
    copy = tmp_path / "terms.yaml"
    shutil.copy(SHIPPED_GLOSSARY, copy)
    reports = [str(SEEDS), str(SHARED / "corpus"), str(SHARED / "provinces-2026")]
    result = run("harvest", "--merge", str(copy), *reports)
    assert result.stdout.startswith("0 new documents, 0 new terms, 0 new senses, 0 new sources")
    assert copy.read_bytes() == SHIPPED_GLOSSARY.read_bytes()


def _html_copy(text: str) -> bytes:
    body = "".join(f"<p>{line}</p>\n" for line in text.splitlines())
    page = (
        '<html><head><meta charset="gbk"><title>江岸区</title><script>var x = "名词解释:";</script>'
        '</head><body><div class="nav"><a href="/">首页</a> | <a href="/bbs">论坛</a></div>'
        f'<div class="content">{body}</div><div class="footer">版权所有 © 2024 返回顶部</div>'
        "</body></html>"
    )
    return page.encode("gb18030")


def _big5_copy(text: str) -> bytes:
    # Taiwan-standard characters, and spaces Big5 has, as a Big5 site would publish it.
    traditional = opencc.OpenCC("s2tw").convert(text)
    return traditional.translate({0x2002: " ", 0xA0: " ", 0xA9: "(c)"}).encode("big5")


COPIES = {
    "gb18030.txt": lambda text: text.encode("gb18030"),
    "big5-traditional.txt": _big5_copy,
    "utf8-bom.txt": lambda text: text.encode("utf-8-sig"),
    "fullwidth.txt": lambda text: text.replace(",", "，").replace(":", "：").encode("utf-8"),
    "page.html": _html_copy,
}


@pytest.mark.parametrize("name", COPIES)
def test_every_copy_of_a_report_gives_the_gold_glossary(tmp_path, name):
    gold = yaml.safe_load((SEEDS / "gold" / "002_63741cc1e03311a7.yaml").read_text("utf-8"))
    path = tmp_path / name
    path.write_bytes(COPIES[name](JIANGAN.read_text("utf-8")))
    found = [f for f in harvest_file(path).findings if f.kind == "glossary"]
    assert [f.key for f in found] == [text.key(e["term"]) for e in gold["entries"]]
    for finding, entry in zip(found, gold["entries"], strict=True):
        assert same_definition(finding.definition, entry["definition"]), entry["term"]


def test_explain_says_which_rule_and_block_gave_each_finding(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("推进“两重”建设。\n\n名词解释\n1. “两重”：重大战略实施。\n", "utf-8")
    result = run("harvest", "--explain", str(report))
    assert f"{report}:4: glossary “两重” <- heading-list (item arabic 1, line 4)" in result.stdout


def test_explain_term_says_why_a_term_did_not_come_out(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("推进“两重”建设。\n“两重”：重大战略实施。\n", "utf-8")
    lines = run("harvest", "--explain", "--term", "两重", str(report)).stdout.splitlines()
    assert f"{report}: 两重 is not found by any finder" not in lines  # mined as a usage
    assert any(line.endswith("<- mined usage") for line in lines)
    assert lines[-1].startswith(
        f"{report}: paragraph, line 2: in no glossary list, it opens with “两重”, but no 名词解释"
    )
