"""`erasmus-kg import prp|eche`: real Erasmus+ data into the embedded store (see `erasmus_kg.importing`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from erasmus_kg.cli.options import CONTEXT, F, store_option, store_root


@click.group(name="import", context_settings=CONTEXT)
@store_option
def import_group() -> None:
    """Import real Erasmus+ data into the embedded store: the Project Results Platform export (prp) and the
    Erasmus Charter list of higher-education institutions (eche).

    Each list goes into its own named graph (graph/import/FILE NAME, without the date of a dated name such as
    ..._Projects_Overview_2026-04-02.csv), is validated against the shapes before it replaces anything, and
    importing the same list again (the same file, or a newer dated version) replaces what it imported before
    and says what changed. A project that several lists hold is described by the newest. Bad rows are
    reported as FILE:ROW: column 'NAME': message.
    """


def _import_options(command: F) -> F:
    command = click.argument("file", type=click.Path(path_type=Path))(command)
    command = click.option(
        "--on-error",
        type=click.Choice(["fail", "skip"]),
        default="fail",
        show_default=True,
        help="On a bad row: stop and import nothing (fail), or leave the row out and go on (skip).",
    )(command)
    command = store_option(command)
    command = click.option(
        "--force",
        is_flag=True,
        help="Import a dated version of a list even when the store holds a newer one.",
    )(command)
    command = click.option(
        "--changes",
        "changes_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write what a refresh changed (key, added/removed/changed, changed columns) to this CSV file.",
    )(command)
    return click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the RDF to this N-Quads file instead of loading it into the store.",
    )(command)


def _import(
    ctx: click.Context, kind: str, file: Path, on_error: str, output: Path | None, **options: Any
) -> None:
    from erasmus_kg.importing.run import import_file
    from erasmus_kg.progress import Steps

    with Steps():  # after the rows: validating, loading, deriving, indexing, a line each on a terminal
        result = import_file(kind, file, root=store_root(ctx), on_error=on_error, output=output, **options)
    click.echo(result.summary())


def _import_command(kind: str, help_text: str) -> click.Command:
    """`erasmus-kg import KIND FILE ...`, the same options for every kind."""

    @import_group.command(name=kind, context_settings=CONTEXT, help=help_text)
    @_import_options
    @click.pass_context
    def command(
        ctx: click.Context,
        /,
        file: Path,
        on_error: str,
        output: Path | None,
        force: bool,
        changes_file: Path | None,
    ) -> None:
        _import(ctx, kind, file, on_error, output, force=force, changes_file=changes_file)

    return command


import_prp = _import_command(
    "prp",
    "Import an Erasmus+ Project Results Platform export (CSV as downloaded, or XLSX): projects, their "
    "actions, call years, topics, grants, coordinators and partners with their countries.",
)
import_eche = _import_command(
    "eche",
    "Import the list of higher-education institutions holding an Erasmus Charter (ECHE): Erasmus code, "
    "PIC, OID, legal name, address, country, website and charter validity.",
)
