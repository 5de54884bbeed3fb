"""The shipped glossary: every quote is real, every 名词解释 entry is there as printed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from glossary import store, text
from glossary.harvest.merge import same_definition
from tests.conftest import SHARED, SHIPPED_GLOSSARY

SEEDS = SHARED / "seeds"
GOLD = [
    *sorted((SHARED / "seeds" / "gold").glob("*.yaml")),
    *sorted((SHARED / "corpus" / "gold").glob("*.yaml")),
]


def report_text(file: str) -> str:
    [path] = [p for p in (SHARED / "seeds" / file, SHARED / "corpus" / file) if p.exists()]
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
        assert term.definition is None
        assert all(s.kind == "usage" for sense in term.senses for s in sense.sources)
        assert any(sense.sources for sense in term.senses)


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
