"""A glossary version's derived data, stored beside its index and loaded in one step."""

from __future__ import annotations

import gc

import pytest

from glossary import derived, index, store
from glossary.derived import FILE, Derived
from glossary.service import GlossaryService
from tests.conftest import REPO, SAMPLE, SHIPPED_GLOSSARY

QUERIES = ["sgqfkl", "三个", "san ge", "五共", "1310", "决策", "sangequfen", "區分"]


def answers(service: GlossaryService) -> list:
    search = service.current().search
    return [(q, search.find(q, 10), search.complete(q)) for q in QUERIES]


def stored_file(index_dir):
    [path] = index_dir.glob(f"*/{FILE}")
    return path


def test_a_start_with_a_built_index_parses_nothing(tmp_path, sample_file, monkeypatch):
    first = GlossaryService(sample_file, tmp_path / "index")
    assert stored_file(tmp_path / "index").stat().st_size > 0

    def no_parse(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(store, "parse", no_parse)
    monkeypatch.setattr(index, "document", no_parse)
    second = GlossaryService(sample_file, tmp_path / "index")
    assert answers(second) == answers(first)
    assert second.current().catalog.letters() == first.current().catalog.letters()


def test_stored_and_computed_maps_answer_alike_on_the_shipped_glossary(tmp_path):
    computed = GlossaryService(SHIPPED_GLOSSARY, tmp_path / "index")
    loaded = GlossaryService(SHIPPED_GLOSSARY, tmp_path / "index")
    assert Derived.load(stored_file(tmp_path / "index").parent) is not None
    assert answers(loaded) == answers(computed)


@pytest.mark.parametrize("damage", ["truncated", "foreign", "other code"])
def test_a_stale_or_damaged_stored_form_is_computed_again(tmp_path, sample_file, damage,
                                                           monkeypatch):  # fmt: skip
    GlossaryService(sample_file, tmp_path / "index")
    path = stored_file(tmp_path / "index")
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "foreign":
        path.write_bytes(b"not a pickle at all")
    else:
        monkeypatch.setattr(derived, "code_fingerprint", lambda: "another version")
    assert Derived.load(path.parent) is None
    service = GlossaryService(sample_file, tmp_path / "index")
    assert service.current().search.find("sgqfkl", 10).hits[0].id == "san-ge-qu-fen-kai-lai"
    assert Derived.load(path.parent) is not None  # stored again, whole


def test_a_stored_form_goes_with_its_index(tmp_path, sample_file):
    GlossaryService(sample_file, tmp_path / "index")  # and stopped: its index is free
    gc.collect()
    old = stored_file(tmp_path / "index")
    sample_file.write_text(SAMPLE.replace("深化“1310”工作体系", "深化“1310”体系"), "utf-8")
    GlossaryService(sample_file, tmp_path / "index")
    assert not old.exists() and stored_file(tmp_path / "index") != old


def test_the_code_fingerprint_follows_the_source_and_data(monkeypatch, tmp_path):
    before = derived.code_fingerprint()
    package = tmp_path / "glossary"
    for name in (*derived._SOURCES, "data/pinyin_phrases.txt", "data/pinyin_syllables.txt"):
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_bytes((derived._PACKAGE / name).read_bytes())
    monkeypatch.setattr(derived, "_PACKAGE", package)

    def fingerprint():
        derived.code_fingerprint.cache_clear()
        return derived.code_fingerprint()

    try:
        assert fingerprint() == before  # the same code and data
        phrases = package / "data" / "pinyin_phrases.txt"
        phrases.write_text(phrases.read_text("utf-8") + "\n三个 sān gè\n", "utf-8")
        assert fingerprint() != before
        phrases.write_bytes((REPO / "glossary" / "data" / "pinyin_phrases.txt").read_bytes())
        assert fingerprint() == before
        (package / "search.py").write_text("# changed\n", "utf-8")
        assert fingerprint() != before
    finally:
        derived.code_fingerprint.cache_clear()


def test_the_stored_annotator_finds_what_a_fresh_one_finds(tmp_path):
    from glossary.annotate import Annotator

    GlossaryService(SHIPPED_GLOSSARY, tmp_path / "index")
    loaded = Derived.load(stored_file(tmp_path / "index").parent)
    article = (REPO / "api" / "static" / "demo-jiangan-2024.txt").read_text("utf-8")
    fresh = Annotator(store.load(SHIPPED_GLOSSARY))
    assert loaded.annotator.annotate(article, "江岸区") == fresh.annotate(article, "江岸区")
    assert len(fresh.annotate(article)) > 50
