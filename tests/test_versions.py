"""The journal of served glossary versions: one row per version and file, in order."""

from __future__ import annotations

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
    state = version.terms["1310"]
    assert (state.status, state.term) == ("candidate", "“1310”")
    assert state.fingerprint == term_fingerprint(glossary.term("1310"))


def test_versions_come_oldest_first_and_a_term_edit_changes_its_fingerprint(tmp_path, sample_file):
    journal = Journal(tmp_path, sample_file)
    journal.note(sample_file.read_bytes(), store.load(sample_file))
    sample_file.write_text(SAMPLE.replace("深化“1310”工作体系", "深化“1310”工作体系建设"), "utf-8")
    journal.note(sample_file.read_bytes(), store.load(sample_file))
    first, second = journal.versions()
    assert first.seq < second.seq and first.seen_at <= second.seen_at
    assert first.terms["1310"].fingerprint != second.terms["1310"].fingerprint
    assert first.terms["wu-gong-li-nian"] == second.terms["wu-gong-li-nian"]


def test_each_glossary_file_has_its_own_versions(tmp_path, sample_file):
    other = tmp_path / "other.yaml"
    other.write_text(SAMPLE.replace("status: candidate", "status: deprecated"), "utf-8")
    Journal(tmp_path / "i", sample_file).note(sample_file.read_bytes(), store.load(sample_file))
    Journal(tmp_path / "i", other).note(other.read_bytes(), store.load(other))
    assert len(Journal(tmp_path / "i", sample_file).versions()) == 1
    assert Journal(tmp_path / "i", other).versions()[0].terms["1310"].status == "deprecated"


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
