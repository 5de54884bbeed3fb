"""The ``glossary`` command: a thin face on the library.

$ glossary pinyin 三重一大
sān zhòng yī dà
$ glossary check data/terms.yaml
data/terms.yaml: 31 terms, 5 documents, valid

Each command imports the library it needs inside its function: ``glossary --help`` and
``glossary pinyin`` must not wait for jieba, Whoosh, numpy or the harvesters to load.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary import config
from glossary.errors import GlossaryError

if TYPE_CHECKING:
    from glossary import harvest

FILE = click.argument("file", required=False, type=click.Path(path_type=Path))


def _file(file: Path | None) -> Path:
    return file or config.glossary_file()


class _Group(click.Group):
    """Turns the library's errors into one line on stderr and exit code 1, no traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GlossaryError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=_Group)
@click.version_option(package_name="policy-glossary", prog_name="glossary")
def main() -> None:
    """Harvest, check and serve a glossary of Chinese policy jargon."""


@main.command()
@FILE
@click.option("--strict", is_flag=True, help="Exit 1 on lint warnings too.")
def check(file: Path | None, strict: bool) -> None:
    """Validate FILE (default: data/terms.yaml) and print lint warnings."""
    from glossary import lint, store  # YAML and marshmallow: only commands that read the file
    from glossary.history import History

    path = _file(file)
    glossary = store.load(path)
    found = lint.warnings(glossary)
    found += lint.merged_without_redirect(glossary, History(path).records())
    # Lines only when there is something to show: locating parses the YAML a second time.
    warnings = store.locate(found, path.read_text(encoding="utf-8-sig")) if found else []
    for warning in warnings:
        click.echo(f"warning: {warning.describe(str(path))}", err=True)
    click.echo(
        f"{path}: {len(glossary.terms)} terms, {len(glossary.documents)} documents, valid"
        + (f", {len(warnings)} warning(s)" if warnings else "")
    )
    if strict and warnings:
        sys.exit(1)


@main.command("index")
@FILE
@click.option("--index-dir", type=click.Path(path_type=Path), help="Default: instance/index.")
def index_command(file: Path | None, index_dir: Path | None) -> None:
    """Build the search index of FILE (the running app switches to it by itself)."""
    from glossary.service import GlossaryService  # Whoosh and jieba: only index and search

    started = time.perf_counter()
    with _steps_shown():
        service = GlossaryService(_file(file), index_dir or config.index_dir())
    snapshot = service.current()
    click.echo(
        f"indexed {len(snapshot.glossary.terms)} terms in {time.perf_counter() - started:.1f} s: "
        f"{service.index_dir / snapshot.fingerprint}"
    )


@main.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--index-dir", type=click.Path(path_type=Path), help="Default: instance/index.")
@click.option("--file", "file", type=click.Path(path_type=Path), help="Default: data/terms.yaml.")
def search_command(words, limit: int, index_dir: Path | None, file: Path | None) -> None:
    """Search the glossary as the web page does: 三个区分开来, sgqfkl, 531, 决策共谋 …"""
    from glossary.service import GlossaryService  # Whoosh and jieba: only index and search

    service = GlossaryService(_file(file), index_dir or config.index_dir())
    results = service.current().search.search(" ".join(words), limit)
    for hit in results.hits:
        click.echo(f"{hit.score:6.3f}  {hit.term}  [{hit.pinyin}]  ({hit.matched})")
    if not results.hits:
        click.echo("no term found", err=True)


@main.command("pinyin")
@click.argument("words", nargs=-1, required=True)
@click.option(
    "--style",
    type=click.Choice(["marks", "numbers", "toneless", "initials"]),
    default="marks",
    show_default=True,
    help="How to write the reading.",
)
def pinyin_command(words: tuple[str, ...], style: str) -> None:
    """Print the reading of WORDS, e.g. 三重一大 -> sān zhòng yī dà."""
    from glossary import pinyin  # pypinyin: only commands that read pinyin

    click.echo(getattr(pinyin.read(" ".join(words)), style))


@main.command()
@FILE
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats(file: Path | None, as_json: bool) -> None:
    """Count terms by status, locality and category."""
    from glossary import store  # YAML and marshmallow: only commands that read the file

    glossary = store.load(_file(file))
    counts = {
        "terms": len(glossary.terms),
        "documents": len(glossary.documents),
        "status": Counter(t.status for t in glossary.terms),
        "locality": Counter(s for t in glossary.terms for s in dict.fromkeys(t.scopes)),
        "category": Counter(t.category or "(none)" for t in glossary.terms),
    }
    if as_json:
        click.echo(json.dumps(counts, ensure_ascii=False, indent=2))
        return
    click.echo(f"terms: {counts['terms']}   documents: {counts['documents']}")
    for facet in ("status", "locality", "category"):
        click.echo(f"\nby {facet}:")
        for name, count in counts[facet].most_common():
            click.echo(f"  {count:5d}  {name}")


@main.command("harvest")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "output",
    type=click.Choice(["jsonl", "summary"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one finding per line; summary: one line per file.",
)
@click.option(
    "--merge",
    "merge_into",
    type=click.Path(path_type=Path),
    help="Merge the findings into this glossary file instead of printing them.",
)
@click.option(
    "--dry-run", is_flag=True, help="With --merge: print what would change, write nothing."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Files harvested in parallel processes.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="With --merge: lowest score of an undefined usage that becomes a candidate.",
)
@click.option(
    "--title", help="Document title for every file (else detected or from FILE.meta.yaml)."
)
@click.option("--locality", help="Locality for every file, e.g. 湖北省武汉市江岸区.")
@click.option("--year", type=int, help="Report year for every file.")
@click.option(
    "--explain", is_flag=True, help="Print each finding with the rule and block that gave it."
)
@click.option("--term", help="With --explain: only this term, and why it did or did not come out.")
def harvest_command(
    paths, output, merge_into, dry_run, jobs, min_score, title, locality, year, explain, term
):
    """Harvest jargon from report files, directories or globs (txt, html, docx, pdf).

    A file that cannot be read is reported on stderr; the others are harvested and
    the exit code is 1.
    """
    # Readers, decoders and miners (jieba, pypdf ...): only this command harvests.
    from glossary import harvest
    from glossary.harvest.merge import merge

    files = list(harvest.iter_report_paths(paths))
    if explain or term:
        _explain(files, term)
        return
    given = {"title": title, "locality": locality, "year": year}
    overrides = {k: v for k, v in given.items() if v is not None}
    findings, failures = [], []
    with _progress(len(files)) as advance:
        for result in harvest.harvest_paths(files, jobs=jobs, overrides=overrides):
            advance()
            for warning in result.warnings:  # read, but the file said it was damaged
                click.echo(f"warning: {result.path}: {warning}", err=True)
            if result.error:
                failures.append(f"{result.path}: {result.error}")
            elif merge_into:
                findings.extend(result.findings)
            elif output == "summary":
                click.echo(_file_summary(result))
            else:
                for finding in result.findings:
                    click.echo(json.dumps(finding.to_json(), ensure_ascii=False))
    if merge_into:
        report = merge(findings, merge_into, dry_run=dry_run, min_score=min_score)
        click.echo(("dry run: " if dry_run else "") + report.summary())
    for failure in failures:
        click.echo(f"error: {failure}", err=True)
    if failures:
        click.echo(f"{len(failures)} of {len(files)} files could not be read", err=True)
        sys.exit(1)


def _explain(files: list[Path], term: str | None) -> None:
    from glossary import harvest
    from glossary.harvest.read import UnreadableReport

    failed = 0
    for path in files:
        try:
            for line in harvest.explain_file(path, term):
                click.echo(line)
        except UnreadableReport as error:
            failed += 1
            click.echo(f"error: {path}: {error.reason}", err=True)
    if failed:
        sys.exit(1)


def _file_summary(result: harvest.HarvestResult) -> str:
    kinds = Counter(f.kind for f in result.findings)
    counts = ", ".join(f"{kinds[k]} {k}" for k in ("glossary", "inline", "usage"))
    return f"{result.path}: {result.doc.title} ({result.doc.locality or '?'}): {counts}"


@contextlib.contextmanager
def _steps_shown():
    """The steps of a long build on stderr, as the library logs them (``glossary.derived``)."""
    logger = logging.getLogger("glossary")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@contextlib.contextmanager
def _progress(total: int):
    """A progress bar on stderr for multi-file runs; nothing when stderr is not a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    with click.progressbar(length=total, label="harvesting", file=sys.stderr, show_pos=True) as bar:
        yield lambda: bar.update(1)


# --- curators ------------------------------------------------------------------------------

INSTANCE_DIR = click.option(
    "--instance-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where curators.sqlite3 lives. Default: $GLOSSARY_INSTANCE_DIR, else instance/.",
)


def _curators(instance_dir: Path | None):
    from glossary.accounts import Curators  # argon2: only the curator commands hash

    return Curators(instance_dir or config.instance_dir())


@main.group("curator")
def curator() -> None:
    """Add, remove and list the curators who may log in at /review."""


@curator.command("add")
@click.argument("name")
@INSTANCE_DIR
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
def curator_add(name: str, instance_dir: Path | None, password_stdin: bool) -> None:
    """Add the curator NAME; the password is asked twice (at least 10 characters)."""
    if password_stdin:
        password = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    curators = _curators(instance_dir)
    curators.add(name, password)
    click.echo(f"added curator {name} ({curators.path})")


@curator.command("remove")
@click.argument("name")
@INSTANCE_DIR
def curator_remove(name: str, instance_dir: Path | None) -> None:
    """Remove the curator NAME: their sessions end at their next request."""
    _curators(instance_dir).remove(name)
    click.echo(f"removed curator {name}")


@curator.command("list")
@INSTANCE_DIR
def curator_list(instance_dir: Path | None) -> None:
    """Print the curators' names, one a line."""
    names = _curators(instance_dir).names()
    for name in names:
        click.echo(name)
    if not names:
        click.echo("no curators yet: glossary curator add NAME", err=True)


# The curation commands live in their own module; they load the core only when run.
from glossary.cli_review import review  # noqa: E402

main.add_command(review)

from glossary.cli_export import export_command, import_command  # noqa: E402

main.add_command(export_command)
main.add_command(import_command)
