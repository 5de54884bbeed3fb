"""``glossary review ...``: the curation operations for scripts, beside the review pages.

$ glossary review list --place 湖北省 --limit 3
$ glossary review show san-xue-ji-zhi          # its quotes, numbered, and its version
$ glossary review accept san-xue-ji-zhi --quote 1 --definition "领导示范带学、…"
$ glossary review undo 12

Every command calls the same operation of ``glossary.curate`` the pages call, so a
change made here is in the history with the curator's name (``--by``, else
``$GLOSSARY_CURATOR``, else the login name) and can be undone on the pages too.
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

import click

from glossary import config

FILE_OPTION = click.option(
    "--file", "file", type=click.Path(path_type=Path), help="Default: data/terms.yaml."
)
BY_OPTION = click.option("--by", "by", help="Who makes the change (default: $GLOSSARY_CURATOR).")
VERSION_OPTION = click.option(
    "--version", "seen", help="The version the change is based on (from `show`); default: current."
)
WHY_OPTION = click.option("--why", default="", help="Why, for the history.")


@click.group("review")
def review() -> None:
    """Review candidates: list, show, accept, reject, merge, undo, history."""


def _desk(file: Path | None):
    from glossary.curate import Desk

    return Desk(file or config.glossary_file())


def _who(by: str | None) -> str:
    return by or os.environ.get("GLOSSARY_CURATOR") or getpass.getuser()


def _seen(desk, term_id: str, seen: str | None) -> str:
    from glossary.curate import version
    from glossary.errors import NotFound

    if seen:
        return seen
    term = desk.glossary().term(term_id)
    if term is None:
        moved = desk.glossary().moved(term_id)
        raise NotFound(f"no term has id '{term_id}'" + (f" (merged into {moved})" if moved else ""))
    return version(term)


def _done(record) -> None:
    click.echo(f"#{record.id} {record.summary}")


@review.command("list")
@FILE_OPTION
@click.option("--place", help="Only candidates used in this place (湖北省, 江岸区, ...).")
@click.option("--category")
@click.option("--document", help="Only candidates citing this document id.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
def list_command(file, place, category, document, limit, as_json) -> None:
    """Candidates, the best evidence first."""
    from glossary.catalog import Catalog
    from glossary.queue import Queue

    queue = Queue(Catalog(_desk(file).glossary()))
    found = queue.candidates(place=place, category=category, document=document)
    for candidate in found[:limit]:
        term, reach = candidate.term, candidate.reach
        row = {"id": term.id, "term": term.term, "reports": reach.reports,
               "places": reach.places, "proposed": candidate.proposed}  # fmt: skip
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            mark = "definition proposed" if candidate.proposed else "no definition"
            click.echo(f"{term.id}\t{term.term}\t{reach.reports} reports, "
                       f"{reach.places} places, {mark}")  # fmt: skip
    if not as_json:
        click.echo(f"{len(found)} candidates", err=True)


@review.command("show")
@click.argument("term_id")
@FILE_OPTION
def show_command(term_id, file) -> None:
    """A term's status, version and numbered quotes (for accept --quote N)."""
    from glossary.queue import Queue

    desk = _desk(file)
    version = _seen(desk, term_id, None)
    term = desk.glossary().term(term_id)
    click.echo(f"{term.id}\t{term.term}\t{term.status}\tversion {version}")
    for number, (_, sense, source) in enumerate(Queue.quotes(term), start=1):
        proposed = f"  [definition: {sense.definition}]" if sense.definition else ""
        click.echo(f"{number}. ({source.kind}, {source.doc}) {source.quote}{proposed}")


@review.command("accept")
@click.argument("term_id")
@click.option("--quote", "number", type=click.IntRange(1), required=True,
              help="The number of the quote (see `show`) the definition comes from.")  # fmt: skip
@click.option("--definition", help="The definition, as text of that quote (default: the "
              "definition the report proposes, else the whole quote).")  # fmt: skip
@FILE_OPTION
@BY_OPTION
@VERSION_OPTION
@WHY_OPTION
def accept_command(term_id, number, definition, file, by, seen, why) -> None:
    """Make a candidate reviewed, with a definition from one of its quotes."""
    from glossary.curate import CurationError
    from glossary.queue import Queue

    desk = _desk(file)
    seen = _seen(desk, term_id, seen)
    quotes = Queue.quotes(desk.glossary().term(term_id))
    if number > len(quotes):
        raise CurationError(f"{term_id} has {len(quotes)} quotes: choose one of 1-{len(quotes)}")
    quote = quotes[number - 1][2].quote
    _done(desk.accept(term_id, seen, quote=quote, definition=definition, who=_who(by), why=why))


@review.command("reject")
@click.argument("term_id")
@click.option("--reason", required=True, help="Why it is not jargon to explain.")
@FILE_OPTION
@BY_OPTION
@VERSION_OPTION
def reject_command(term_id, reason, file, by, seen) -> None:
    """Deprecate a term; harvests will leave it so."""
    desk = _desk(file)
    _done(desk.reject(term_id, _seen(desk, term_id, seen), reason=reason, who=_who(by)))


@review.command("merge")
@click.argument("term_id")
@click.option("--into", required=True, help="The id of the term it is an alias of.")
@FILE_OPTION
@BY_OPTION
@WHY_OPTION
def merge_command(term_id, into, file, by, why) -> None:
    """Merge a candidate into another term as an alias; its id redirects there."""
    desk = _desk(file)
    seen, into_seen = _seen(desk, term_id, None), _seen(desk, into, None)
    _done(desk.merge(term_id, seen, into=into, into_seen=into_seen, who=_who(by), why=why))


@review.command("undo")
@click.argument("record_id", type=int)
@FILE_OPTION
@BY_OPTION
@WHY_OPTION
def undo_command(record_id, file, by, why) -> None:
    """Revert change RECORD_ID (see `history`)."""
    _done(_desk(file).undo(record_id, who=_who(by), why=why))


@review.command("history")
@click.argument("term_id", required=False)
@FILE_OPTION
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
def history_command(term_id, file, limit) -> None:
    """Recent changes, or those of one term."""
    history = _desk(file).history
    records = history.of_term(term_id) if term_id else history.recent(limit)
    for record in records[:limit]:
        why = f" ({record.why})" if record.why and record.op != "reject" else ""
        click.echo(f"#{record.id}\t{record.at}\t{record.who}\t{record.summary}{why}")
