"""The Atom 1.0 feed of newly reviewed terms (``/feed.atom``), written by feedgen.

One entry per term, the newest review first: a term reviewed, deprecated and reviewed
again is one entry, updated. Its id is the term's permanent URI (``Addresses.term``),
its link the term's page, its content the definition as the glossary now gives it,
with the place each sense is from. Curators are not named: their login names stay on
the review pages, which need an account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from feedgen.feed import FeedGenerator

from glossary.changes import TermChange
from glossary.model import Glossary, Term
from glossary.publish import TITLES, Addresses

ENTRIES = 50
FEED_PATH = "feed.atom"
TITLE = "新审核的术语"


def atom(
    glossary: Glossary,
    changes: Iterable[TermChange],
    base_url: str,
    limit: int = ENTRIES,
    since: str | None = None,
) -> bytes:
    """The feed of the ``limit`` terms most recently reviewed among ``changes`` (newest
    first, as ``ChangeLog.since`` gives them) that the glossary still holds reviewed.

    ``since`` (ISO 8601) is the feed's time while it has no entry: when this version
    of the glossary was first served."""
    addresses = Addresses.of(base_url)
    reviewed = _latest_reviews(glossary, changes, limit)
    feed = FeedGenerator()
    feed.id(addresses.base + FEED_PATH)
    feed.title(f"{TITLES['zh-Hans']}：{TITLE}")
    feed.subtitle("经人审核、释义取自报告的新术语。")
    feed.author({"name": TITLES["zh-Hans"], "uri": addresses.base})
    feed.link(href=addresses.base + FEED_PATH, rel="self", type="application/atom+xml")
    feed.link(href=addresses.base, rel="alternate", type="text/html")
    feed.language("zh-Hans")
    feed.generator("policy-glossary")
    updated = reviewed[0][1].at if reviewed else since
    feed.updated(_moment(updated) if updated else dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    for term, change in reversed(reviewed):  # feedgen puts each new entry first
        entry = feed.add_entry()
        entry.id(addresses.term(term.id))
        entry.title(term.term)
        entry.link(href=addresses.term(term.id), rel="alternate", type="text/html")
        entry.updated(_moment(change.at))
        entry.content(_content(term), type="text")
        if term.category:
            entry.category(term=term.category)
    return feed.atom_str(pretty=True)


def _latest_reviews(
    glossary: Glossary, changes: Iterable[TermChange], limit: int
) -> list[tuple[Term, TermChange]]:
    found: dict[str, tuple[Term, TermChange]] = {}
    for change in changes:
        if len(found) >= limit:
            break
        term = glossary.term(change.id)
        if change.newly_reviewed and change.id not in found and term and term.status == "reviewed":
            found[change.id] = (term, change)
    return list(found.values())


def _content(term: Term) -> str:
    lines = [
        f"{sense.definition}（{sense.scope}）" if sense.scope else sense.definition
        for sense in term.senses
        if sense.definition
    ]
    return "\n".join(lines) or term.term


def _moment(at: str) -> dt.datetime:
    return dt.datetime.fromisoformat(at)
