"""The journal of served glossary versions: one row per version and file, in order."""

from __future__ import annotations

import json
import sqlite3
import threading

from glossary import store
from glossary.history import file_hash
from glossary.versions import Journal, term_fingerprint
from tests.conftest import SAMPLE


def test_a_version_is_noted_once_with_each_terms_state(tmp_path, sample_file):
    journal = Journal(tmp_path / "instance", sample_file)
    source = sample_file.read_bytes()
    glossary = store.load(sample_file)
    assert journal.note(source, glossary) is True
    assert journal.note(source, glossary) is False  # a restart, another worker
    [version] = journal.versions()
    assert version.file_hash == file_hash(source)
    assert version.changed == {}  # nothing is known from before the first version
    text = sample_file.read_text("utf-8").replace("深化“1310”工作体系", "深化“1310”工作体系建设")
    sample_file.write_text(text, "utf-8")
    edited = store.load(sample_file)
    journal.note(sample_file.read_bytes(), edited)
    before, after = journal.versions()[1].changed["1310"]
    assert (after.status, after.term) == ("candidate", "“1310”")
    assert before.fingerprint == term_fingerprint(glossary.term("1310"))
    assert after.fingerprint == term_fingerprint(edited.term("1310")) != before.fingerprint


def test_a_version_stores_only_the_terms_that_differ_from_the_one_before(tmp_path, sample_file):
    journal = Journal(tmp_path, sample_file)
    journal.note(sample_file.read_bytes(), store.load(sample_file))
    without = SAMPLE[: SAMPLE.index('  - id: "1310"')]
    sample_file.write_text(without, "utf-8")  # 1310 removed
    journal.note(sample_file.read_bytes(), store.load(sample_file))
    assert not journal.note(sample_file.read_bytes(), store.load(sample_file))  # a restart
    sample_file.write_text(SAMPLE, "utf-8")  # and back: the first version again
    assert journal.note(sample_file.read_bytes(), store.load(sample_file))
    first, second, third = journal.versions()
    assert first.seq < second.seq < third.seq and first.seen_at <= second.seen_at
    assert list(second.changed) == ["1310"] and second.changed["1310"][1] is None
    assert list(third.changed) == ["1310"] and third.changed["1310"][0] is None
    assert third.file_hash == first.file_hash
    rows = sqlite3.connect(tmp_path / "versions.sqlite3").execute("SELECT changed FROM versions")
    assert [len(json.loads(changed)) for (changed,) in rows] == [3, 1, 1]


def test_a_worker_that_read_an_older_file_notes_nothing(tmp_path, sample_file):
    journal = Journal(tmp_path, sample_file)
    old = sample_file.read_bytes()
    sample_file.write_text(SAMPLE.replace("深化“1310”工作体系", "深化“1310”体系"), "utf-8")
    assert not journal.note(old, store.parse(old.decode(), "terms.yaml"))
    assert journal.note(sample_file.read_bytes(), store.load(sample_file))


def test_each_glossary_file_has_its_own_versions(tmp_path, sample_file):
    other = tmp_path / "other.yaml"
    other.write_text(SAMPLE.replace("status: candidate", "status: deprecated"), "utf-8")
    Journal(tmp_path / "i", sample_file).note(sample_file.read_bytes(), store.load(sample_file))
    Journal(tmp_path / "i", other).note(other.read_bytes(), store.load(other))
    assert len(Journal(tmp_path / "i", sample_file).versions()) == 1
    other.write_text(SAMPLE, "utf-8")
    Journal(tmp_path / "i", other).note(other.read_bytes(), store.load(other))
    [(before, after)] = Journal(tmp_path / "i", other).versions()[1].changed.values()
    assert (before.status, after.status) == ("deprecated", "candidate")


def test_workers_noting_the_same_version_at_once_make_one_row(tmp_path, sample_file):
    source, glossary = sample_file.read_bytes(), store.load(sample_file)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(
            Journal(tmp_path, sample_file).note(source, glossary)))
        for _ in range(8)
    ]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 1
    rows = sqlite3.connect(tmp_path / "versions.sqlite3").execute("SELECT count(*) FROM versions")
    assert rows.fetchone()[0] == 1


def test_no_journal_yet_is_no_versions(tmp_path, sample_file):
    assert Journal(tmp_path / "never", sample_file).versions() == []
    assert not (tmp_path / "never").exists()


def test_a_journal_of_another_layout_is_started_afresh(tmp_path, sample_file):
    old = sqlite3.connect(tmp_path / "versions.sqlite3")
    old.execute("CREATE TABLE versions (seq INTEGER PRIMARY KEY, terms TEXT)")
    old.commit()
    old.close()
    journal = Journal(tmp_path, sample_file)
    assert journal.versions() == []
    assert journal.note(sample_file.read_bytes(), store.load(sample_file))
    assert len(journal.versions()) == 1
