"""The change feed: curation records and file edits, term by term, newest first."""

from __future__ import annotations

import pytest

from glossary import store
from glossary.changes import BadSince, ChangeLog, UnknownVersion, instant
from glossary.curate import Desk, version
from glossary.history import History, file_hash
from glossary.versions import Journal
from tests.test_curate import GLOSSARY, QUOTE

NEW_TERM = """\
  - id: yi-biao-san-shi
    term: 一标三实
    status: candidate
    senses:
      - scope: 湖北省武汉市江岸区
        sources:
          - doc: jiangan-2024
            kind: usage
            quote: 深化“一标三实”基础信息采集。
"""


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "terms.yaml"
    file.write_text(GLOSSARY, encoding="utf-8")
    return file


@pytest.fixture
def journal(tmp_path, path):
    return Journal(tmp_path / "instance", path)


def served(journal: Journal, path) -> None:
    """What the service does at each load."""
    journal.note(path.read_bytes(), store.load(path))


def log(path, journal=None) -> ChangeLog:
    return ChangeLog(History(path), journal)


def seen(desk: Desk, term_id: str) -> str:
    return version(desk.glossary().term(term_id))


def accept(desk: Desk):
    return desk.accept("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), quote=QUOTE,
                       definition="领导示范带学、端正学风促学、随机抽查督学", who="li")  # fmt: skip


def test_curation_operations_are_changes_newest_first(path):
    desk = Desk(path)
    accepted = accept(desk)
    desk.reject("1310", seen(desk, "1310"), reason="只是编号", who="wang")
    desk.merge("wu-gong", seen(desk, "wu-gong"), into="wu-gong-li-nian",
               into_seen=seen(desk, "wu-gong-li-nian"), who="li")  # fmt: skip
    changes = log(path).since()
    assert [(c.id, c.kind, c.op) for c in changes] == [
        ("wu-gong-li-nian", "modified", "merge"),
        ("wu-gong", "removed", "merge"),
        ("1310", "deprecated", "reject"),
        ("san-xue-ji-zhi", "modified", "accept"),
    ]
    first = changes[-1]
    assert first.newly_reviewed
    assert (first.previous_status, first.status) == ("candidate", "reviewed")
    assert first.by == "li" and first.record == accepted.id
    assert first.version == accepted.file_after[:16] and first.term == "“三学”机制"
    assert changes[1].status is None and changes[1].previous_status == "candidate"
    assert not any(c.newly_reviewed for c in changes[:-1])


def test_an_undone_acceptance_is_a_change_back(path):
    desk = Desk(path)
    record = accept(desk)
    desk.undo(record.id, who="li")
    latest = log(path).since()[0]
    assert (latest.op, latest.previous_status, latest.status) == ("undo", "reviewed", "candidate")


def test_file_edits_show_between_two_served_versions(path, journal):
    served(journal, path)
    text = path.read_text("utf-8")
    text = text.replace("对标“1310”工作体系,抓好落实。", "对标“1310”工作体系,抓好落实落地。")
    path.write_text(text + NEW_TERM, "utf-8")
    served(journal, path)
    changes = log(path, journal).since()
    assert {(c.id, c.kind, c.op, c.by) for c in changes} == {
        ("yi-biao-san-shi", "new", "file", None),
        ("1310", "modified", "file", None),
    }
    assert all(c.version == file_hash(path.read_bytes())[:16] for c in changes)
    new = next(c for c in changes if c.kind == "new")
    assert (new.term, new.status, new.previous_status) == ("一标三实", "candidate", None)


def test_a_curation_operation_between_two_served_versions_is_told_once(path, journal):
    served(journal, path)
    accept(Desk(path))
    served(journal, path)
    changes = log(path, journal).since()
    assert [(c.id, c.op) for c in changes] == [("san-xue-ji-zhi", "accept")]


def test_a_hand_edit_beside_a_curation_operation_is_told_as_a_file_edit(path, journal):
    served(journal, path)
    path.write_text(path.read_text("utf-8") + NEW_TERM, "utf-8")
    accept(Desk(path))  # re-reads the file: the hand edit stays
    served(journal, path)
    assert sorted((c.id, c.op) for c in log(path, journal).since()) == [
        ("san-xue-ji-zhi", "accept"), ("yi-biao-san-shi", "file"),
    ]  # fmt: skip


def test_since_a_version_gives_what_came_after_it(path, journal):
    served(journal, path)
    start = file_hash(path.read_bytes())
    desk = Desk(path)
    middle = accept(desk)
    desk.reject("1310", seen(desk, "1310"), reason="只是编号", who="li")
    changes = log(path, journal).read()
    assert [c.id for c in changes.since(start[:8])] == ["1310", "san-xue-ji-zhi"]
    assert [c.id for c in changes.since(middle.file_after[:16])] == ["1310"]
    assert changes.since(file_hash(path.read_bytes()).upper()) == []
    with pytest.raises(UnknownVersion):
        changes.since("0123456789abcdef")


def test_since_a_time(path):
    accept(Desk(path))
    changes = log(path).read()
    at = changes.since()[0].at
    assert changes.since("2000-01-01") and changes.since(at) == []
    assert len(changes.since("2000-01-01T08:00:00+08:00")) == 1


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-12-01T25:00"])
def test_a_since_that_is_no_time_nor_version_is_refused(since):
    with pytest.raises(BadSince, match="ISO 8601"):
        instant(since)


def test_no_history_and_no_journal_is_no_changes(path):
    assert log(path).since() == []
