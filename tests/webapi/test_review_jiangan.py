"""From harvest to the shipped entries through the review pages alone: the 29 名词解释
entries of the 江岸 report arrive as candidates, a curator accepts each from its quote
and fills in what the report does not say in its entry (category, aliases, related
terms, grouped parts), and the file ends as the shipped glossary has them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api import create_app
from glossary import store, text
from glossary.accounts import Curators
from glossary.cli import main
from glossary.harvest import harvest_paths
from glossary.harvest.merge import merge
from tests.conftest import SHARED, SHIPPED_GLOSSARY
from tests.webapi.test_auth import CHEAP, PASSWORD
from tests.webapi.test_review import Curator

DOC = "wuhan-jiangan-2024-gov-report"
REPORT = SHARED / "seeds" / "002_63741cc1e03311a7.txt"

pytestmark = pytest.mark.slow


def shipped_entries():
    glossary = store.load(SHIPPED_GLOSSARY)
    defined = [
        t for t in glossary.terms
        if any(s.doc == DOC and s.kind == "glossary" for sense in t.senses for s in sense.sources)
    ]  # fmt: skip
    return glossary, defined


def harvested_file(tmp_path: Path, shipped) -> Path:
    """An empty glossary citing the report, with the report harvested into it."""
    doc = shipped.document(DOC)
    path = tmp_path / "terms.yaml"
    path.write_text(
        f'version: 1\ndocuments:\n  - id: {doc.id}\n    title: {doc.title}\n'
        f'    locality: {doc.locality}\n    date: "{doc.date}"\n    file: {doc.file}\nterms: []\n',
        encoding="utf-8",
    )  # fmt: skip
    [result] = harvest_paths([REPORT])
    merge(result.findings, path)
    return path


def jiangan(term):
    return next(s for s in term.senses if s.scope == "湖北省武汉市江岸区")


def content(term) -> dict:
    """What a reader is told of a term from this report."""
    sense = jiangan(term)
    return {
        "term": term.term, "status": term.status, "category": term.category,
        "aliases": term.aliases, "related": term.related, "definition": sense.definition,
        "parts": sense.parts, "groups": [(g.name, g.parts) for g in sense.groups],
        "entry": [s.quote for s in sense.sources if s.doc == DOC and s.kind == "glossary"],
    }  # fmt: skip


def parts_text(sense) -> str:
    if not sense.groups:
        return "\n".join(sense.parts)
    return "\n".join(f"{g.name}：\n" + "\n".join(g.parts) for g in sense.groups)


def test_reviewing_the_29_entries_on_the_pages_gives_the_shipped_entries(tmp_path):
    shipped, entries = shipped_entries()
    assert len(entries) == 29
    path = harvested_file(tmp_path, shipped)
    start = store.load(path)
    assert all(start.term(t.id).status == "candidate" for t in entries)

    app = create_app({
        "GLOSSARY_FILE": str(path), "GLOSSARY_INDEX_DIR": str(tmp_path / "index"),
        "GLOSSARY_INSTANCE_DIR": str(tmp_path / "instance"),
    })  # fmt: skip
    Curators(tmp_path / "instance", hasher=CHEAP).add("李明", PASSWORD)
    curator = Curator(app)
    for term in entries:
        sense = jiangan(term)
        entry = next(s.quote for s in sense.sources if s.doc == DOC and s.kind == "glossary")
        accept = f"/review/terms/{term.id}/accept"
        curator.open(f"/review/terms/{term.id}")
        forms = curator.accept_forms(accept)
        fields = next(f for f in forms if f["quote"] == entry)
        response = curator.post(accept, {**fields, "definition": sense.definition},
                                referrer=f"https://localhost{curator.at}")  # fmt: skip
        assert response.status_code == 303, term.id

    for term in entries:  # related terms need their targets reviewed first: a second pass
        edit = f"/review/terms/{term.id}/edit"
        curator.open(edit)
        number = [s.scope for s in store.load(path).term(term.id).senses].index(
            "湖北省武汉市江岸区"
        )
        response = curator.submit(
            edit, category=term.category or "", aliases="\n".join(term.aliases),
            related="\n".join(term.related), **{f"parts_{number}": parts_text(jiangan(term))},
        )  # fmt: skip
        assert response.status_code in (303, 400), term.id
        if response.status_code == 400:  # nothing to change: the harvest had it all
            assert "nothing to change" in response.get_data(as_text=True)

    # With the aliases in, some mined candidates are one of the reviewed terms: merged
    # from the pages, where the candidate page offers the term to merge into.
    merged = 0
    for candidate in duplicates(store.load(path)):
        target = store.load(path).lookup(candidate.term)
        target = next(t for t in target if t.status == "reviewed")
        curator.open(f"/review/terms/{candidate.id}")
        assert f'name="into" value="{target.id}"' in curator.page
        response = curator.submit(f"/review/terms/{candidate.id}/merge", into=target.id)
        assert response.status_code == 303, candidate.id
        merged += 1
    assert merged == 7

    assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 0
    reviewed = store.load(path)
    for term in entries:
        assert content(reviewed.term(term.id)) == content(term), term.id
    assert len(reviewed.terms) == len(start.terms) - merged  # the rest wait their turn


def duplicates(glossary):
    reviewed = {form for t in glossary.terms if t.status == "reviewed"
                for form in map(text.key, t.forms)}  # fmt: skip
    return [t for t in glossary.terms
            if t.status == "candidate" and text.key(t.term) in reviewed]  # fmt: skip
