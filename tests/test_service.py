from __future__ import annotations

import threading
import time

import pytest

from glossary import store
from glossary.errors import GlossaryFileError
from glossary.service import GlossaryService


def test_service_switches_to_an_edited_file(sample_file, tmp_path):
    service = GlossaryService(sample_file, tmp_path / "index", check_interval=0)
    assert not service.current().search.search("双减").hits
    with store.edit(sample_file) as doc:
        doc["terms"][1]["aliases"].append("双减")
    assert service.current().search.search("双减").hits[0].id == "wu-gong-li-nian"


def test_a_broken_edit_keeps_the_previous_glossary_in_service(sample_file, tmp_path, caplog):
    service = GlossaryService(sample_file, tmp_path / "index", check_interval=0)
    before = service.current()
    sample_file.write_text("terms: [", encoding="utf-8")
    assert service.current() is before
    assert "keeping the previous glossary" in caplog.text


def test_searching_while_the_index_is_rebuilt_and_swapped(sample_file, tmp_path):
    service = GlossaryService(sample_file, tmp_path / "index", check_interval=0)
    errors, empties, searches = [], [], [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                if not service.current().search.find("sgqfkl", limit=5).hits:
                    empties.append(1)
                searches[0] += 1
            except Exception as error:  # any failure at all is what this test looks for
                errors.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(6):
            with store.edit(sample_file) as doc:
                doc["terms"][1]["aliases"].append(f"别名{n}")
            service.refresh()
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert errors == [] and empties == []
    assert searches[0] > 6
    assert service.current().glossary.term("wu-gong-li-nian").aliases[-1] == "别名5"


def test_a_file_moved_away_and_back_keeps_the_last_good_glossary(sample_file, tmp_path, caplog):
    service = GlossaryService(sample_file, tmp_path / "index", check_interval=0)
    aside = tmp_path / "aside.yaml"
    sample_file.rename(aside)
    with caplog.at_level("WARNING"):
        for _ in range(5):
            assert len(service.current().glossary.terms) == 3
    assert sum("keeping the previous glossary" in r.getMessage() for r in caplog.records) == 1
    aside.rename(sample_file)
    assert len(service.current().glossary.terms) == 3


def test_a_missing_file_at_start_names_the_file(tmp_path):
    with pytest.raises(GlossaryFileError, match=r"missing\.yaml: cannot read"):
        GlossaryService(tmp_path / "missing.yaml", tmp_path / "index")
