"""`erasmus-kg validate`: the data against the SHACL shapes; exit 0 conforms, 1 does not, 2 cannot read."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from erasmus_kg.cli.options import CONTEXT, store_option, store_root


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", help="Report format."
)
@store_option
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate the packaged data with FILES against the SHACL shapes; without FILES, the packaged data with
    every file loaded into the store, and every dataset imported into it (in batches, with the same shapes
    and report).

    Exit 0 when the data conforms, 1 when it does not, 2 when a file cannot be read or parsed. The text
    report has one line per violation: the node, the property, the value and what is wrong.
    """
    if files:
        from erasmus_kg.validation.shacl import validate_files

        result = validate_files(list(files))
    else:
        from erasmus_kg.validation.batches import validate_packaged_and_imports

        result = validate_packaged_and_imports(store_root(ctx))
    if fmt == "turtle":
        click.echo(result.turtle(), nl=False)
    elif fmt == "json":
        click.echo(result.json())
    else:
        click.echo(result.text())
    sys.exit(0 if result.conforms else 1)
