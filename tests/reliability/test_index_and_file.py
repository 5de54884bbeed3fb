"""A running server survives what happens to its index and its glossary file on disk."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.conftest import REPO, SAMPLE
from tests.server import gunicorn


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def search_ok(base: str) -> bool:
    with urllib.request.urlopen(base + "/api/v1/search?q=wugong", timeout=10) as response:
        return json.load(response)["results"][0]["id"] == "wu-gong-li-nian"


@pytest.fixture
def served(tmp_path):
    glossary_file = tmp_path / "a.yaml"
    glossary_file.write_text(SAMPLE, encoding="utf-8")
    with gunicorn(glossary_file, tmp_path / "index", tmp_path / "gunicorn.log") as base:
        yield base, glossary_file, tmp_path / "index"


def test_indexing_other_glossaries_never_removes_the_served_index(served, tmp_path):
    base, _, index_dir = served
    for n in range(3):  # the old pruning kept two spares: the third build removed ours
        copy = tmp_path / f"b{n}.yaml"
        copy.write_text(SAMPLE + f"# copy {n}\n", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "glossary",
            "index",
            str(copy),
            "--index-dir",
            str(index_dir),
        ]
        subprocess.run(command, cwd=REPO, check=True, capture_output=True, timeout=120)
    statuses = Counter(status_of(base + f"/api/v1/search?q=wugong&n={n}") for n in range(40))
    assert statuses == {200: 40}
    assert search_ok(base)


def test_an_index_removed_by_hand_is_rebuilt_by_the_server(served):
    base, _, index_dir = served
    for path in index_dir.iterdir():
        if path.is_dir():
            shutil.rmtree(path)
    # Queries the answer caches have not seen, on every thread of both workers.
    statuses = Counter(status_of(base + f"/api/v1/search?q=wugong&n={n}") for n in range(40))
    assert statuses == {200: 40}


def test_a_glossary_file_moved_away_for_a_while_never_gives_errors(served, tmp_path):
    base, glossary_file, _ = served
    statuses: Counter = Counter()
    stop = threading.Event()

    def load() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            statuses[status_of(base + f"/api/v1/search?q=wugong&n={n}")] += 1

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    glossary_file.rename(tmp_path / "away.yaml")
    time.sleep(3)
    (tmp_path / "away.yaml").rename(glossary_file)
    time.sleep(1)
    stop.set()
    for thread in threads:
        thread.join(10)
    assert set(statuses) == {200}, statuses
    assert statuses[200] > 100
