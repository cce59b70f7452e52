"""The root group of `erasmus-kg`: --store (also accepted after the subcommand: `options.store_option`),
--version, the list of commands, and the one place where every error a command raises becomes one line on
stderr and an exit code (see `erasmus_kg.errors`).

The commands are imported lazily (click's LazyGroup pattern): `COMMANDS` names each command's module and
its short help, and the group's command mapping (`LazyCommands`) imports a module only when its command is
looked up. A stored query imports neither the export, serve, import nor store commands' modules (they were
14 million of the 370 million instructions of `erasmus-kg query action-types`, and 23 million of the 224
million of `erasmus-kg --version`: docs/benchmarks.md, "The CLI's own cost"); `erasmus-kg --help` lists
every command from the table without importing any.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any, NamedTuple

import click

from erasmus_kg import __version__
from erasmus_kg.cli.options import CONTEXT, store_option
from erasmus_kg.errors import ErasmusKGError


class Lazy(NamedTuple):
    """Where a command is and what `erasmus-kg --help` says of it before it is imported."""

    module: str
    """The module in erasmus_kg.cli that defines it."""
    attribute: str
    """Its name in that module."""
    summary: str
    """Its short help: its help text up to the end of the first sentence, as click makes it (`--help`
    shortens it to the terminal's width as click does; tests/test_cli.py checks that it is the command's)."""


COMMANDS: Mapping[str, Lazy] = {
    "docs": Lazy(
        "export",
        "docs",
        "Write HTML documentation of the ontology: every class and property with its English and Dutch "
        "labels, its definition, domain and range.",
    ),
    "export": Lazy(
        "export",
        "export_command",
        "Export the whole graph: JSON-LD, Turtle, N-Triples (all graphs merged into one), N-Quads, TriG "
        "(each named graph kept).",
    ),
    "import": Lazy(
        "imports",
        "import_group",
        "Import real Erasmus+ data into the embedded store: the Project Results Platform export (prp) and "
        "the Erasmus Charter list of higher-education institutions (eche).",
    ),
    "info": Lazy(
        "store",
        "info",
        "Counts of triples, projects, organisations and countries, and the sources in the store.",
    ),
    "load": Lazy(
        "store",
        "load",
        "(Re)build the embedded store from the packaged data, loading FILES into named graphs; with "
        "--endpoint, send every graph of the store to a triple store.",
    ),
    "queries": Lazy("queries", "queries", "List the stored queries with their parameters."),
    "query": Lazy("queries", "query", "Run a stored query: erasmus-kg query NAME -p NAME=VALUE ..."),
    "remove": Lazy(
        "store",
        "remove",
        "Remove a loaded or imported graph (its IRI, or the file name it was loaded from) from the store.",
    ),
    "serve": Lazy(
        "serve",
        "serve",
        "Serve the graph on the web: pages in Dutch and English, every IRI dereferenceable, the stored "
        "queries as an API, a read-only SPARQL endpoint.",
    ),
    "sources": Lazy(
        "store",
        "sources",
        "List the named graphs in the embedded store and where each comes from.",
    ),
    "sparql": Lazy(
        "queries",
        "sparql",
        "Run an ad hoc SPARQL query from QUERY_FILE (- for standard input) on the union of all graphs.",
    ),
    "validate": Lazy(
        "validate",
        "validate",
        "Validate the packaged data with FILES against the SHACL shapes; without FILES, the packaged data "
        "with every file loaded into the store, and every dataset imported into it (in batches, with the "
        "same shapes and report).",
    ),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each imported from its module (`COMMANDS`) on first access.

    click reads a group's commands through this mapping (`Group.get_command` is `commands.get(name)`,
    `list_commands` sorts its keys, an unknown command's "Did you mean" looks among the keys), so a lookup
    imports one module and listing the names imports none. Commands added with `add_command` are kept as
    they are.
    """

    def __init__(self, table: Mapping[str, Lazy]) -> None:
        self._table = dict(table)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        command = self._loaded.get(name)
        if command is None:
            entry = self._table[name]  # a KeyError for an unknown name: `get` gives None
            module = f"erasmus_kg.cli.{entry.module}"
            __import__(module)  # not importlib.import_module: `python -X importtime` would not show it
            command = self._loaded[name] = getattr(sys.modules[module], entry.attribute)
        return command

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._table.pop(name, None)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(self._table), **dict.fromkeys(self._loaded)})

    def __len__(self) -> int:
        return len(self._table.keys() | self._loaded.keys())

    def __contains__(self, name: object) -> bool:
        return name in self._table or name in self._loaded

    @property
    def loaded(self) -> tuple[str, ...]:
        """The names of the commands imported (or added) so far."""
        return tuple(self._loaded)

    def listed(self, name: str) -> click.Command:
        """The command as `--help` lists it: itself once imported, else a stand-in with its summary."""
        command = self._loaded.get(name)
        return command if command is not None else click.Command(name, help=self._table[name].summary)


class ErasmusKG(click.Group):
    """The root group: its commands imported on demand (`LazyCommands`), and every error a command raises
    mapped to one line on stderr and an exit code."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's `Group.format_commands`, with the commands not yet imported listed by their summary
        (tests/test_cli.py compares the two)."""
        commands = self.commands
        listed = commands.listed if isinstance(commands, LazyCommands) else commands.__getitem__
        names = [name for name in self.list_commands(ctx) if not listed(name).hidden]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, listed(name).get_short_help_str(limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


@click.group(cls=ErasmusKG, context_settings=CONTEXT, commands=LazyCommands(COMMANDS))
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


def main(argv: list[str] | None = None) -> None:
    """The console script."""
    cli.main(args=argv, prog_name="erasmus-kg")


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
