"""``glossary export`` and ``glossary import``: the glossary in and out of other tools' formats.

$ glossary export --format skos --base-url https://glossary.example/ -o glossary.ttl
$ glossary export --format skos --rdf-format json-ld --status reviewed
$ glossary export --format tbx -o glossary.tbx           # TBX v3; --tbx-version 2: martif
$ glossary export --format csv -o glossary.csv           # one row per sense, UTF-8 with BOM
$ glossary export --format jsonl                         # one term per line, as the API
$ glossary import vocabulary.ttl --merge data/terms.yaml --dry-run

The base URL of the addresses (``--base-url``) may come from ``$GLOSSARY_BASE_URL``.
Each command loads the library it needs inside its function, as ``glossary.cli`` does.
"""

from __future__ import annotations

from pathlib import Path

import click

from glossary import config
from glossary.model import STATUSES

FORMATS = ("skos", "tbx", "csv", "jsonl")
RDF_FORMATS = ("turtle", "xml", "json-ld")


@click.command("export")
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="skos: RDF; tbx: TBX-Basic; csv: a row per sense; jsonl: a term per line.",
)
@click.option(
    "--rdf-format",
    type=click.Choice(RDF_FORMATS),
    default="turtle",
    show_default=True,
    help="With --format skos: the RDF syntax.",
)
@click.option(
    "--tbx-version",
    type=click.Choice(["3", "2"]),
    default="3",
    show_default=True,
    help="With --format tbx: 3 is ISO 30042:2019; 2 the 2008 martif form.",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only terms of this status (repeat for several; default: all).",
)
@click.option(
    "--base-url",
    envvar="GLOSSARY_BASE_URL",
    required=True,
    help="Where the glossary is served, for stable URIs: https://glossary.example/ "
    "(default: $GLOSSARY_BASE_URL).",
)
@click.option(
    "-o",
    "--output",
    type=click.File("wb", atomic=True),
    default="-",
    help="Write to this file (default: standard output).",
)
def export_command(file, fmt, rdf_format, tbx_version, statuses, base_url, output) -> None:
    """Write the glossary FILE (default: data/terms.yaml) as SKOS, TBX, CSV or JSON lines."""
    from glossary import store
    from glossary.downloads import render

    glossary = store.load(file or config.glossary_file())
    payload = render(
        glossary, fmt, base_url, statuses or None, rdf_format=rdf_format, tbx_version=tbx_version
    )
    output.write(payload)  # to a file atomically: it appears whole or not at all


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--merge",
    "merge_into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The glossary file to merge into (default: data/terms.yaml).",
)
@click.option("--dry-run", is_flag=True, help="Print what would change, write nothing.")
def import_command(path, merge_into, dry_run) -> None:
    """Merge the terms of a SKOS (any RDF syntax) or TBX file PATH into the glossary.

    They arrive as candidates citing PATH as their document; reviewed definitions are
    never replaced, and importing the same file again changes nothing.
    """
    from glossary.importing import import_into, read

    imported = read(path)
    if not imported.concepts:
        raise click.ClickException(f"{path}: no concept with a Chinese label to import")
    if imported.skipped:
        click.echo(
            f"{path}: {imported.skipped} deprecated or unlabelled concepts left out", err=True
        )
    report = import_into(imported, merge_into or config.glossary_file(), dry_run=dry_run)
    click.echo(("dry run: " if dry_run else "") + report.summary())
