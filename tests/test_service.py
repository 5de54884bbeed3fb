from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from pathlib import Path

import pytest

from glossary import index, store
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


@contextlib.contextmanager
def read_only_mount(folder: Path, mount_point: Path):
    """``folder`` bind-mounted read-only at ``mount_point``, as a replica mounts a build."""
    mount_point.mkdir()
    try:
        subprocess.run(["mount", "--bind", folder, mount_point], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"this machine cannot bind-mount folders: {error}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", mount_point], check=True)
        yield mount_point
    finally:  # lazily: the service under test may still have its files open
        subprocess.run(["umount", "-l", mount_point], check=True)


def test_a_replica_serves_a_built_version_from_a_read_only_mount(sample_file, tmp_path, caplog):
    GlossaryService(sample_file, tmp_path / "built")  # what `glossary index` leaves there
    with read_only_mount(tmp_path / "built", tmp_path / "mounted") as mounted:
        with pytest.raises(OSError, match="Read-only"):
            (mounted / "probe").write_text("")
        service = GlossaryService(sample_file, mounted, check_interval=0)
        search = service.current().search
        assert search.search("决策共谋").hits[0].id == "wu-gong-li-nian"  # through Whoosh
        assert search.search("sgqfkl").hits[0].id == "san-ge-qu-fen-kai-lai"
        # A version nobody built there: the replica keeps the one it serves, and says why.
        with store.edit(sample_file) as doc:
            doc["terms"][1]["aliases"].append("双减")
        assert service.current().search is search
        assert "not built, and" in caplog.text and "is read-only" in caplog.text


def test_a_version_not_built_in_a_read_only_folder_stops_the_start_clearly(sample_file, tmp_path):
    (tmp_path / "empty").mkdir()
    with (
        read_only_mount(tmp_path / "empty", tmp_path / "mounted") as mounted,
        pytest.raises(index.IndexNotBuilt, match="is read-only"),
    ):
        GlossaryService(sample_file, mounted)
