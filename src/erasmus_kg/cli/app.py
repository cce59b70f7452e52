"""The root group of `erasmus-kg`: --store (also accepted after the subcommand: `options.store_option`),
--version, the list of commands, and the one place where every error a command raises becomes one line on
stderr and an exit code (see `erasmus_kg.errors`)."""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

import click

from erasmus_kg import __version__
from erasmus_kg.cli import export, imports, queries, serve, store, validate
from erasmus_kg.cli.options import CONTEXT, store_option
from erasmus_kg.errors import ErasmusKGError


class ErasmusKG(click.Group):
    """The root group: maps every error a command raises to one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except ErasmusKGError as exc:
            click.echo(f"erasmus-kg: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("erasmus-kg: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _quiet_broken_pipe()
            ctx.exit(0)
        except Exception as exc:  # a bug: one line; the traceback only on demand
            if os.environ.get("ERASMUS_KG_DEBUG"):
                raise
            click.echo(
                f"erasmus-kg: internal error: {type(exc).__name__}: {exc} "
                "(set ERASMUS_KG_DEBUG=1 for the traceback)",
                err=True,
            )
            ctx.exit(3)


@click.group(cls=ErasmusKG, context_settings=CONTEXT)
@click.version_option(__version__, "--version", "-V", prog_name="erasmus-kg")
@functools.partial(store_option, root=True)
def cli() -> None:
    """A knowledge graph of Erasmus+ projects: stored SPARQL queries on an embedded Oxigraph store,
    SHACL validation, and the brochure "Erasmus+ steunt projecten rond keuzebegeleiding" as data.

    \b
    Examples:
      erasmus-kg query projects-by-country -p country=Litouwen
      erasmus-kg query where-to-submit -p action=KA3
      erasmus-kg queries
      erasmus-kg validate
    """


for _command in (
    queries.query,
    queries.queries,
    queries.sparql,
    validate.validate,
    store.info,
    store.load,
    store.sources,
    store.remove,
    imports.import_group,
    export.export_command,
    export.docs,
    serve.serve,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """The console script."""
    cli.main(args=argv, prog_name="erasmus-kg")


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
