"""``glossary review ...`` runs the same operations as the review pages."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from glossary import store
from glossary.cli import main
from tests.test_curate import GLOSSARY


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "terms.yaml"
    file.write_text(GLOSSARY, encoding="utf-8")
    return file


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, ["review", *args], env={"GLOSSARY_CURATOR": "li"})
    assert result.exit_code == code, result.output
    return result


def test_list_ranks_proposed_definitions_first(path):
    lines = run("list", "--file", str(path), "--json").output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["id"] for r in rows] == ["1310", "san-xue-ji-zhi", "wu-gong"]
    assert rows[0] == {"id": "1310", "term": "“1310”", "reports": 2, "places": 2,
                       "proposed": True}  # fmt: skip


def test_list_filters_by_place(path):
    output = run("list", "--file", str(path), "--place", "浙江省", "--json").output
    assert [json.loads(line)["id"] for line in output.splitlines()] == ["1310"]


def test_show_accept_history_undo(path):
    shown = run("show", "san-xue-ji-zhi", "--file", str(path)).output
    assert "1. (usage, jiangan-2024) 实行“领导示范带学" in shown
    accepted = run(
        "accept", "san-xue-ji-zhi", "--quote", "1", "--file", str(path),
        "--definition", "领导示范带学、端正学风促学、随机抽查督学",
    )  # fmt: skip
    assert accepted.output.startswith("#1 接受 “三学”机制")
    assert store.load(path).term("san-xue-ji-zhi").status == "reviewed"
    history = run("history", "san-xue-ji-zhi", "--file", str(path)).output
    assert "\tli\t接受 “三学”机制" in history
    run("undo", "1", "--file", str(path), "--by", "wang")
    assert path.read_text(encoding="utf-8") == GLOSSARY
    assert "\twang\t撤销 #1" in run("history", "--file", str(path)).output


def test_reject_and_merge(path):
    run("reject", "san-xue-ji-zhi", "--reason", "不是术语", "--file", str(path))
    run("merge", "wu-gong", "--into", "wu-gong-li-nian", "--file", str(path))
    glossary = store.load(path)
    assert glossary.term("san-xue-ji-zhi").status == "deprecated"
    assert glossary.moved("wu-gong") == "wu-gong-li-nian"


def test_errors_are_one_line(path):
    result = run("accept", "san-xue-ji-zhi", "--quote", "1", "--definition", "编的",
                 "--file", str(path), code=1)  # fmt: skip
    assert "never invent" in result.output and "Traceback" not in result.output
    result = run("accept", "nobody", "--quote", "1", "--file", str(path), code=1)
    assert "no term has id 'nobody'" in result.output
    stale = run("reject", "wu-gong", "--reason", "x", "--version", "000000000000",
                "--file", str(path), code=1)  # fmt: skip
    assert "changed since version 000000000000" in stale.output
    assert path.read_text(encoding="utf-8") == GLOSSARY


def test_check_names_a_merged_id_whose_redirect_was_lost(path):
    run("merge", "wu-gong", "--into", "wu-gong-li-nian", "--file", str(path))
    assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("# Ids merged")], encoding="utf-8")  # a hand edit
    result = CliRunner().invoke(main, ["check", "--strict", str(path)])
    assert result.exit_code == 1
    assert "'wu-gong' was merged into another term (change #1) but has no redirect" in result.output
