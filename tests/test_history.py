"""The history and the glossary file agree, even when a writer is killed between the
two writes: a record whose glossary write never landed does not count."""

from __future__ import annotations

import dataclasses

import pytest

from glossary.curate import Desk, version
from glossary.history import History, file_hash
from tests.test_curate import GLOSSARY


@pytest.fixture
def desk(tmp_path):
    path = tmp_path / "terms.yaml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return Desk(path)


def edit(desk: Desk, category: str):
    term = desk.glossary().term("san-xue-ji-zhi")
    return desk.edit(term.id, version(term), category=category, who="li")


def test_the_history_lies_beside_the_glossary(desk):
    edit(desk, "党建")
    assert desk.history.path == desk.path.with_name("terms.history.jsonl")
    [record] = desk.history.records()
    assert record.file_after == file_hash(desk.path.read_text(encoding="utf-8"))
    assert record.file_before == file_hash(GLOSSARY)


def test_a_record_whose_write_never_landed_does_not_count(desk):
    record = edit(desk, "党建")
    # As if killed after the record was appended, before the file was replaced:
    desk.path.write_text(GLOSSARY, encoding="utf-8")
    assert desk.history.records() == []
    # The next operation removes it for good, then records its own.
    edit(desk, "学习")
    assert [r.id for r in desk.history.records()] == [record.id]
    assert desk.history.records()[0].changes[0].after["category"] == "学习"


def test_a_torn_last_line_is_skipped_and_then_removed(desk):
    edit(desk, "党建")
    with open(desk.history.path, "a", encoding="utf-8") as handle:
        handle.write('{"id": 2, "at": "2026-')  # killed halfway through an append
    assert [r.id for r in desk.history.records()] == [1]
    edit(desk, "学习")
    lines = desk.history.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all(line.endswith("}") for line in lines)


def test_a_later_hand_edit_keeps_earlier_records(desk):
    edit(desk, "党建")
    desk.path.write_text(desk.path.read_text(encoding="utf-8") + "# note\n", encoding="utf-8")
    assert len(desk.history.records()) == 1


def test_records_read_back_as_written(desk):
    record = edit(desk, "党建")
    again = History(desk.path).record(record.id)
    assert dataclasses.asdict(again) == dataclasses.asdict(record)


def test_a_settle_killed_while_rewriting_leaves_no_temp_file_after_the_next(desk):
    edit(desk, "党建")
    with open(desk.history.path, "a", encoding="utf-8") as handle:
        handle.write('{"torn')
    leftover = desk.history.path.with_name(".terms.history.jsonl.x1y2.tmp")
    leftover.write_text("half a history", encoding="utf-8")
    edit(desk, "学习")
    assert not leftover.exists()
    assert len(desk.history.records()) == 2
