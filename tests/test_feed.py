"""The Atom feed of newly reviewed terms, read back by feedparser as Atom 1.0."""

from __future__ import annotations

import feedparser
import pytest
from lxml import etree

from glossary import store
from glossary.changes import ChangeLog
from glossary.curate import Desk
from glossary.feed import atom
from glossary.history import History
from tests.test_changes import accept, seen
from tests.test_curate import GLOSSARY

BASE = "https://glossary.example/"
ATOM = "{http://www.w3.org/2005/Atom}"
DEFINED = "领导示范带学、端正学风促学、随机抽查督学"


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "terms.yaml"
    file.write_text(GLOSSARY, encoding="utf-8")
    return file


def feed_of(path) -> bytes:
    return atom(store.load(path), ChangeLog(History(path)).since(), BASE)


def test_a_newly_reviewed_term_is_an_entry_of_a_valid_atom_feed(path):
    accept(Desk(path))
    parsed = feedparser.parse(feed_of(path))
    assert parsed.version == "atom10" and not parsed.bozo
    assert parsed.feed.id == BASE + "feed.atom" and parsed.feed.language == "zh-Hans"
    [entry] = parsed.entries
    assert entry.id == BASE + "terms/san-xue-ji-zhi" and entry.link == entry.id
    assert entry.title == "“三学”机制"
    assert entry.content[0].value == f"{DEFINED}（湖北省武汉市江岸区）"
    assert parsed.feed.updated == entry.updated


def test_every_entry_has_what_atom_requires(path):
    accept(Desk(path))
    root = etree.fromstring(feed_of(path))
    assert root.tag == f"{ATOM}feed"
    for element in (root, *root.iter(f"{ATOM}entry")):
        for required in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{required}")) == 1, (element.tag, required)
    assert root.find(f"{ATOM}author/{ATOM}name").text  # entries inherit the feed's author
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "feed.atom"


def test_only_terms_still_reviewed_are_listed_once_each(path):
    desk = Desk(path)
    record = accept(desk)
    desk.undo(record.id, who="li")  # back to a candidate: no longer news
    assert feedparser.parse(feed_of(path)).entries == []
    accept(desk)
    desk.edit("san-xue-ji-zhi", seen(desk, "san-xue-ji-zhi"), who="li", category="学习教育")
    [entry] = feedparser.parse(feed_of(path)).entries
    assert entry.tags[0].term == "学习教育"


def test_a_feed_without_entries_is_still_valid(path):
    parsed = feedparser.parse(atom(store.load(path), [], BASE, since="2026-12-01T08:00:00Z"))
    assert parsed.version == "atom10" and not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated.startswith("2026-12-01T08:00:00")
