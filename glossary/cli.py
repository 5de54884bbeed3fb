"""The ``glossary`` command: a thin face on the library.

$ glossary pinyin 三重一大
sān zhòng yī dà
$ glossary check data/terms.yaml
data/terms.yaml: 31 terms, 5 documents, valid
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from glossary import config, lint, pinyin, store
from glossary.errors import GlossaryError

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
def main() -> None:
    """Harvest, check and serve a glossary of Chinese policy jargon."""


@main.command()
@FILE
@click.option("--strict", is_flag=True, help="Exit 1 on lint warnings too.")
def check(file: Path | None, strict: bool) -> None:
    """Validate FILE (default: data/terms.yaml) and print lint warnings."""
    path = _file(file)
    glossary = store.load(path)
    warnings = store.locate(lint.warnings(glossary), path.read_text(encoding="utf-8-sig"))
    for warning in warnings:
        click.echo(f"warning: {warning.describe(str(path))}", err=True)
    click.echo(
        f"{path}: {len(glossary.terms)} terms, {len(glossary.documents)} documents, valid"
        + (f", {len(warnings)} warning(s)" if warnings else "")
    )
    if strict and warnings:
        sys.exit(1)


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
    click.echo(getattr(pinyin.read(" ".join(words)), style))


@main.command()
@FILE
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def stats(file: Path | None, as_json: bool) -> None:
    """Count terms by status, locality and category."""
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
