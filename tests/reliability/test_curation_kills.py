"""kill -9 during accepts, 50 times at random moments: the glossary file and its history
always agree, the file always passes ``glossary check --strict``, no edit is half
applied, and the next operation leaves no temp or lock file behind."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary import store
from glossary.cli import main
from glossary.curate import Desk, version
from glossary.history import History, file_hash

pytestmark = pytest.mark.slow

KILLS = 50
TERMS = 400  # more candidates than the killed writers can accept


def glossary_text(count: int) -> str:
    lines = [
        "version: 1",
        "documents:",
        "  - id: report-2024",
        "    title: 2024年某区政府工作报告",
        "    locality: 湖北省武汉市江岸区",
        '    date: "2024"',
        "terms:",
    ]
    for n in range(count):
        lines += [
            f"  - id: term-{n}",
            f"    term: “{n}号”机制",
            "    status: candidate",
            "    senses:",
            f"      - definition: 第{n}项举措。",
            "        scope: 湖北省武汉市江岸区",
            "        sources:",
            "          - doc: report-2024",
            "            kind: inline",
            f"            quote: “{n}号”机制即第{n}项举措。",
        ]
    return "\n".join(lines) + "\n"


def accept_all(path: Path, start: int) -> None:
    """What each killed process runs: accept candidate after candidate."""
    desk = Desk(path)
    for n in range(start, TERMS):
        term = desk.glossary().term(f"term-{n}")
        if term.status == "candidate":
            desk.accept(term.id, version(term), quote=term.senses[0].sources[0].quote, who="li")


def killed_after(path: Path, start: int, delay: float, in_write: bool = False) -> None:
    """Kill a writer ``delay`` seconds after it starts or, ``in_write``, after it starts
    writing: appending its record, then replacing the file (a window of milliseconds
    that kills at random moments of a whole accept rarely hit)."""
    readable, writable = os.pipe()
    pid = os.fork()  # the child has everything imported: it is writing at once
    if pid == 0:
        os.close(readable)
        if in_write:
            append = History.append

            def announced(self, record):
                os.write(writable, b"w")
                append(self, record)

            History.append = announced
        try:
            accept_all(path, start)
        finally:
            os._exit(0)
    os.close(writable)
    if in_write:
        os.read(readable, 1)
    os.close(readable)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def write_time(tmp_path: Path) -> float:
    """How long a writer takes from appending its record to replacing the file."""
    path = tmp_path / "timing" / "terms.yaml"
    path.parent.mkdir()
    path.write_text(glossary_text(3), encoding="utf-8")
    desk = Desk(path)
    term = desk.glossary().term("term-0")
    started = []
    append = desk.history.append
    desk.history.append = lambda record: (started.append(time.perf_counter()), append(record))
    desk.accept(term.id, version(term), quote=term.senses[0].sources[0].quote, who="li")
    return time.perf_counter() - started[0]


def check_agreement(path: Path) -> int:
    """The file and the history say the same; the number of accepted terms."""
    glossary = store.load(path)
    records = Desk(path).history.records()
    if records:
        assert records[-1].file_after == file_hash(path.read_text(encoding="utf-8"))
    accepted = {c.id: c.after for r in records for c in r.changes}
    for term in glossary.terms:
        if term.id in accepted:
            assert term.status == "reviewed"
            assert accepted[term.id]["status"] == "reviewed"
        else:
            assert term.status == "candidate", f"{term.id} changed without a record"
    return len(accepted)


def test_kill_9_during_accepts_never_leaves_file_and_history_apart(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(glossary_text(TERMS), encoding="utf-8")
    started = time.perf_counter()
    accept_all_once = Desk(path)
    term = accept_all_once.glossary().term("term-0")
    accept_all_once.accept(term.id, version(term), quote=term.senses[0].sources[0].quote, who="li")
    one = time.perf_counter() - started
    write = write_time(tmp_path)
    rng = random.Random(20261202)
    accepted, caught_writing = 1, 0
    for kill in range(KILLS):
        if kill % 2:
            killed_after(path, accepted, rng.uniform(0, 3 * one))
        else:
            killed_after(path, accepted, rng.uniform(0, 1.5 * write), in_write=True)
        caught_writing += caught_in_write(tmp_path)
        accepted = check_agreement(path)
        assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 0
    # The next operation settles the history and clears what the killed writers left.
    accept_all_once = Desk(path)
    term = accept_all_once.glossary().term(f"term-{accepted}")
    accept_all_once.accept(term.id, version(term), quote=term.senses[0].sources[0].quote, who="li")
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "timing")
    assert left == ["terms.history.jsonl", "terms.yaml"]
    assert check_agreement(path) == accepted + 1
    history_lines = (tmp_path / "terms.history.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(history_lines) == accepted + 1  # no torn line, no record of a lost write
    assert accepted > 1  # the killed writers did write, between their kills
    assert caught_writing > 0  # and some were killed between their two writes


def caught_in_write(folder: Path) -> bool:
    """A temp file, or a record whose file never landed: killed while writing."""
    if any(p.name.endswith(".tmp") for p in folder.iterdir()):
        return True
    history = folder / "terms.history.jsonl"
    lines = history.read_text(encoding="utf-8").splitlines() if history.exists() else []
    return len(lines) != len(History(folder / "terms.yaml").records())
