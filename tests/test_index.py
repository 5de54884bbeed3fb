from __future__ import annotations

import multiprocessing
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from whoosh import query as q

from glossary import index, store
from glossary.search import Search
from tests.conftest import SAMPLE


def test_an_index_is_named_by_the_content_it_was_built_from(sample_file, tmp_path):
    source = sample_file.read_bytes()
    assert index.fingerprint(source) == index.fingerprint(SAMPLE.encode())
    assert index.fingerprint(source) != index.fingerprint(source + b"\n# edited\n")


def test_build_leaves_only_the_finished_index(sample_file, tmp_path):
    path = index.build(store.load(sample_file), tmp_path / "indexes", "abc")
    assert path == tmp_path / "indexes" / "abc"
    assert [p.name for p in path.parent.iterdir()] == ["abc"]  # no temporary left behind


def test_a_second_build_of_the_same_name_reuses_the_first(sample_file, tmp_path):
    first = index.build(store.load(sample_file), tmp_path, "abc")
    stamp = sorted(p.stat().st_mtime_ns for p in first.iterdir())
    index.build(store.load(sample_file), tmp_path, "abc")
    assert sorted(p.stat().st_mtime_ns for p in first.iterdir()) == stamp


def test_prune_removes_every_index_nobody_holds_but_the_kept_one(sample_file, tmp_path):
    glossary = store.load(sample_file)
    for name in ("a", "b", "c"):
        index.build(glossary, tmp_path / "indexes", name)
    assert sorted(index.prune(tmp_path / "indexes", keep=["a"])) == ["b", "c"]
    assert [p.name for p in (tmp_path / "indexes").iterdir() if p.is_dir()] == ["a"]


def test_prune_leaves_directories_that_are_not_indexes(sample_file, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("keep me", encoding="utf-8")
    index.build(store.load(sample_file), tmp_path, "old")
    assert index.prune(tmp_path, keep=[]) == ["old"]
    assert (tmp_path / "notes" / "todo.txt").read_text(encoding="utf-8") == "keep me"


def _hold_until_told(index_dir: str, name: str, ready, done) -> None:
    glossary = store.load(Path(index_dir) / "glossary.yaml")
    _, hold = index.serve(glossary, Path(index_dir), name)
    ready.set()
    done.wait(30)
    hold.release()


def test_prune_leaves_an_index_another_process_serves(sample_file, tmp_path):
    (tmp_path / "glossary.yaml").write_bytes(sample_file.read_bytes())
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    server = context.Process(target=_hold_until_told, args=(str(tmp_path), "live", ready, done))
    server.start()
    try:
        assert ready.wait(60)
        index.build(store.load(sample_file), tmp_path, "other")
        assert index.prune(tmp_path, keep=["other"]) == []
        assert (tmp_path / "live").is_dir()
    finally:
        done.set()
        server.join(30)
    assert index.prune(tmp_path, keep=["other"]) == ["live"]  # let go: now it may go


def test_an_index_held_in_this_process_is_kept_until_released(sample_file, tmp_path):
    _, hold = index.serve(store.load(sample_file), tmp_path, "mine")
    assert index.prune(tmp_path, keep=[]) == []
    hold.release()
    assert index.prune(tmp_path, keep=[]) == ["mine"]


def test_search_rebuilds_an_index_whose_files_were_removed(sample_file, tmp_path):
    search = Search(store.load(sample_file), tmp_path / "x")
    shutil.rmtree(tmp_path / "x")
    # A thread that has no searcher yet opens one for the words of a definition: the
    # index is built again first.
    found = ThreadPoolExecutor(1).submit(search.find, "决策共谋").result()
    assert found.hits[0].id == "wu-gong-li-nian"
    assert index.whoosh_index.exists_in(str(tmp_path / "x"))


def test_the_index_reads_back_from_disk(sample_file, tmp_path):
    glossary = store.load(sample_file)
    path = index.build(glossary, tmp_path, "x")
    reopened = Search(glossary, path)  # a fresh process would do the same
    assert reopened.search("wugong").hits[0].id == "wu-gong-li-nian"


def _build_many(args: tuple[str, str]) -> list[str]:
    glossary_file, index_dir = args
    glossary = store.load(glossary_file)
    return [index.build(glossary, Path(index_dir), f"n{n}").name for n in range(4)]


def test_builds_in_separate_processes_do_not_share_scratch_files(sample_file, tmp_path):
    # Whoosh's in-memory storage would put every process's scratch files in one
    # directory under /tmp; a build finishing there deleted the other's files.
    jobs = [(str(sample_file), str(tmp_path / f"indexes{n}")) for n in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        built = pool.map(_build_many, jobs)
    assert built == [["n0", "n1", "n2", "n3"]] * 4
    for n in range(4):
        assert (
            Search(store.load(sample_file), tmp_path / f"indexes{n}" / "n3").search("wugong").hits
        )


def test_a_searcher_reads_the_index_files_without_copying_them(tmp_path):
    # Each worker thread opens a searcher; copying the segment into each would cost
    # the index's size per thread (30 MB at 10,000 terms).
    import tracemalloc

    from tests.conftest import SHIPPED_GLOSSARY

    path = index.build(store.load(SHIPPED_GLOSSARY), tmp_path, "shipped")
    size = sum(p.stat().st_size for p in path.iterdir())
    opened = index.open_index(path)
    tracemalloc.start()
    searchers = [opened.searcher() for _ in range(4)]
    for searcher in searchers:
        assert searcher.doc_count() > 800 and list(searcher.lexicon("definition"))
    allocated = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert size > 200_000 and allocated < size / 4


PARALLEL_QUERIES = ["三个区分开来", "sgqfkl", "531", "发展", "改革 创新", "机制", "产业体系",
                    "zhejiang", "区分", "xiangcun zhenxing", "八八", "營商"]  # fmt: skip


def _split_in_parts(monkeypatch, parts: int) -> None:
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(index, "_cores", lambda: parts)


def test_a_large_glossary_is_written_in_parts_that_answer_as_one(tmp_path, monkeypatch):
    glossary = store.load(Path("data/terms.yaml"))
    whole = Search(glossary, tmp_path / "one" / "whole")
    _split_in_parts(monkeypatch, 2)
    parted = Search(glossary, tmp_path / "two" / "parted")
    assert [len(whole.index._segments()), len(parted.index._segments())] == [1, 2]
    assert parted.index.doc_count() == len(glossary.terms)
    for query in PARALLEL_QUERIES:
        assert parted.find(query, 20) == whole.find(query, 20), query
    with whole.index.searcher() as one, parted.index.searcher() as two:
        for word in ("发展", "机制", "产业"):
            scored = [[(h["id"], h.score) for h in s.search(q.Term("definition", word), limit=50)]
                      for s in (one, two)]  # fmt: skip
            assert scored[0] and scored[0] == scored[1], word
    assert [p.name for p in (tmp_path / "two").iterdir() if p.name != ".build.lock"] == ["parted"]


def test_a_failed_part_fails_the_build_and_leaves_nothing(sample_file, tmp_path, monkeypatch):
    _split_in_parts(monkeypatch, 2)

    def broken(documents, scratch):
        raise MemoryError("out of memory in the writer")

    monkeypatch.setattr(index, "_segment_files", broken)
    with pytest.raises(RuntimeError, match="index segment"):
        index.build(store.load(sample_file), tmp_path / "indexes", "abc")
    assert [p.name for p in (tmp_path / "indexes").iterdir()] == []
