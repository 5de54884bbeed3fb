"""The shipped glossary: every quote is real, every 名词解释 entry is there as printed."""

from __future__ import annotations

import yaml

from glossary import store, text
from tests.conftest import SHARED, SHIPPED_GLOSSARY

SEEDS = SHARED / "seeds"


def shipped():
    return store.load(SHIPPED_GLOSSARY)


def test_every_quote_is_verbatim_from_its_cited_report():
    glossary = shipped()
    for term in glossary.terms:
        for sense in term.senses:
            for source in sense.sources:
                document = glossary.document(source.doc)
                report = (SEEDS / document.file).read_text(encoding="utf-8")
                assert source.quote in report, (term.id, source.quote)


def test_every_gold_glossary_entry_is_reviewed_with_its_printed_definition():
    gold = yaml.safe_load((SEEDS / "gold" / "002_63741cc1e03311a7.yaml").read_text("utf-8"))
    glossary = shipped()
    for entry in gold["entries"]:
        [term] = [t for t in glossary.lookup(entry["term"]) if t.status == "reviewed"]
        assert term.term == entry["term"]
        assert term.definition == entry["definition"]
        assert any(s.kind == "glossary" for sense in term.senses for s in sense.sources)


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
