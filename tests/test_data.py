"""The shipped glossary: every quote is real, every 名词解释 entry is there as printed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from glossary import store, text
from glossary.harvest.merge import same_definition
from tests.conftest import SHARED, SHIPPED_GLOSSARY

SEEDS = SHARED / "seeds"
FOLDERS = [SHARED / "seeds", SHARED / "corpus", SHARED / "provinces-2026"]
GOLD = [path for folder in FOLDERS for path in sorted((folder / "gold").glob("*.yaml"))]


def report_text(file: str) -> str:
    [path] = [folder / file for folder in FOLDERS if (folder / file).exists()]
    return path.read_text(encoding="utf-8")


def shipped():
    return store.load(SHIPPED_GLOSSARY)


def test_every_quote_is_verbatim_from_its_cited_report():
    glossary = shipped()
    for term in glossary.terms:
        for sense in term.senses:
            for source in sense.sources:
                document = glossary.document(source.doc)
                assert source.quote in report_text(document.file), (term.id, source.quote)


@pytest.mark.parametrize("gold_file", GOLD, ids=lambda p: p.stem)
def test_every_gold_glossary_entry_is_reviewed_with_its_printed_definition(gold_file):
    glossary = shipped()
    [document] = [d for d in glossary.documents if Path(d.file).stem == gold_file.stem]
    for entry in yaml.safe_load(gold_file.read_text("utf-8"))["entries"]:
        [term] = [t for t in glossary.lookup(entry["term"]) if t.status == "reviewed"]
        [sense] = [
            s
            for s in term.senses
            if any(src.doc == document.id and src.kind == "glossary" for src in s.sources)
        ]
        assert same_definition(sense.definition, entry["definition"]), entry["term"]


def test_candidates_have_usage_quotes_and_no_invented_definition():
    candidates = [t for t in shipped().terms if t.status == "candidate"]
    assert candidates
    for term in candidates:
        assert any(sense.sources for sense in term.senses)
        for sense in term.senses:
            # A candidate's definition, if any, is one a report states (inline or 名词解释).
            stating = [s for s in sense.sources if s.kind != "usage"]
            assert sense.definition is None or stating, term.id


def test_parts_are_taken_from_the_definition():
    for term in shipped().terms:
        for sense in term.senses:
            for part in sense.parts:
                assert text.key(part) in text.key(sense.definition), (term.id, part)


@pytest.mark.parametrize(
    "written",
    ["“1310”工作体系", "八八战略", "四大比拼", "十大工程", "“125”产业体系", "两区一枢纽",
     "一村一业", "一村一品", "“五个一”包联机制", "“三学”机制", "“1354”总体思路"],
)  # fmt: skip
def test_jargon_of_the_shared_reports_is_in_the_glossary(written):
    assert shipped().lookup(written)


def test_one_term_can_mean_different_things_in_different_places():
    [term] = shipped().lookup("三张清单")
    assert {"湖北省武汉市江岸区", "湖北省鄂州市华容区"} <= set(term.scopes)


@pytest.mark.parametrize("written", ["“两重”", "“两个确立”", "“千万工程”"])
def test_a_term_used_by_several_reports_cites_each_of_them(written):
    glossary = shipped()
    [term] = [t for t in glossary.lookup(written) if t.status != "deprecated"]
    cited = {source.doc for sense in term.senses for source in sense.sources}
    # Quotes kept: “百千万”工程 holds 千万工程 but is another term.
    quoted = text.fold_chars(written)
    using = {
        d.id
        for d in glossary.documents
        if d.file and quoted in text.fold_chars(report_text(d.file))
    }
    assert len(using) >= 3 and using <= cited


def test_the_provincial_reports_are_cited_with_their_full_places():
    provinces = [d for d in shipped().documents if d.file and d.file.startswith("2026_")]
    assert len(provinces) == 26
    assert all(d.locality and d.locality.endswith(("省", "市", "自治区")) for d in provinces)
