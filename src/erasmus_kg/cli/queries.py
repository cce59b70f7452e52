"""`erasmus-kg queries`, `erasmus-kg query NAME` (one subcommand per stored query) and `erasmus-kg sparql`:
queries on the embedded store or, with --endpoint, on a SPARQL 1.1 endpoint."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from erasmus_kg.cli.options import CONTEXT, default_language, output_options, store_root
from erasmus_kg.errors import ErasmusKGError, InputFileError

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.query.catalogue import StoredQuery
    from erasmus_kg.query.targets import Target


class StoredQueries(click.Group):
    """`erasmus-kg query NAME`: one subcommand per stored query, read from queries/*.rq on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from erasmus_kg.query.catalogue import query_names

        return query_names()

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from erasmus_kg.query.catalogue import get_query

        try:
            query = get_query(name)
        except ErasmusKGError as exc:
            raise click.UsageError(str(exc), ctx) from None
        return _stored_query_command(query)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from erasmus_kg.query.catalogue import load_catalogue

        rows = [(q.name, q.summary) for q in load_catalogue()]
        with formatter.section("Stored queries"):
            formatter.write_dl(rows)


@click.group(cls=StoredQueries, context_settings=CONTEXT)
def query() -> None:
    """Run a stored query: erasmus-kg query NAME -p NAME=VALUE ... (see: erasmus-kg queries).

    Each stored query takes -p NAME=VALUE parameters, --format, --lang, --show-query and --endpoint;
    erasmus-kg query NAME --help describes one.
    """


def _stored_query_command(query: StoredQuery) -> click.Command:
    params_help = "\n".join(
        f"  {p.name} ({p.type}{', required' if p.required else ', optional'}): {p.description}"
        + (f" Example: {p.example}." if p.example else "")
        for p in query.params
    )
    help_text = (
        f"{query.summary}.\n\n{' '.join(query.description.split())}\n\n"
        + ("\b\nParameters (-p NAME=VALUE):\n" + params_help + "\n\n" if query.params else "")
        + f"\b\nExample:\n  {query.example_command()}"
    )

    @click.command(name=query.name, help=help_text, context_settings=CONTEXT, short_help=query.summary)
    @click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value.")
    @output_options
    @click.option(
        "--show-query", is_flag=True, help="Print the SPARQL with the parameters bound; do not run it."
    )
    @click.option(
        "--endpoint", metavar="URL", help="Run on a SPARQL 1.1 endpoint instead of the embedded store."
    )
    @click.pass_context
    def command(
        ctx: click.Context,
        params: tuple[str, ...],
        fmt: str | None,
        lang: str | None,
        show_query: bool,
        endpoint: str | None,
    ) -> None:
        raw = _parse_params(params)
        _run(ctx, query.name, raw, fmt, lang, show_query, endpoint)

    return command


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    raw: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-p")
        if name.strip() in raw:
            raise click.BadParameter(f"parameter {name.strip()!r} given twice", param_hint="-p")
        raw[name.strip()] = value
    return raw


def _run(
    ctx: click.Context,
    name: str,
    raw: dict[str, str],
    fmt: str | None,
    lang: str | None,
    show_query: bool,
    endpoint: str | None,
) -> None:
    from erasmus_kg.query.running import prepare

    language = lang or default_language()
    with _target(ctx, endpoint) as target:
        text = prepare(name, raw, language, target)
        if show_query:
            click.echo(text, nl=not text.endswith("\n"))
            return
        results = target.query(text)
        _write(results, fmt)


def _target(ctx: click.Context, endpoint: str | None) -> AbstractContextManager[Target]:
    if endpoint:
        from erasmus_kg.remote.sparql import open_endpoint

        return open_endpoint(endpoint)
    from erasmus_kg.query.targets import open_target

    return open_target(store_root(ctx))


def _write(results: object, fmt: str | None) -> None:
    from erasmus_kg.query.output import write_results

    chosen = fmt or ("table" if sys.stdout.isatty() else "csv")
    out = sys.stdout.buffer
    write_results(results, chosen, out)
    out.flush()


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Output format.")
def queries(fmt: str) -> None:
    """List the stored queries with their parameters."""
    import json

    from erasmus_kg.query.catalogue import load_catalogue

    catalogue = load_catalogue()
    if fmt == "json":
        data = [
            {
                "name": q.name,
                "summary": q.summary,
                "tags": list(q.tags),
                "params": [
                    {"name": p.name, "type": p.type, "required": p.required, "example": p.example}
                    for p in q.params
                ],
            }
            for q in catalogue
        ]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    width = max(len(q.name) for q in catalogue)
    for q in catalogue:
        params = " ".join(f"{p.name}={'<' + p.type + '>'}" + ("" if p.required else "?") for p in q.params)
        click.echo(f"{q.name.ljust(width)}  {q.summary}" + (f"  [{params}]" if params else ""))


@click.command(context_settings=CONTEXT)
@click.argument("query_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@output_options
@click.option("--endpoint", metavar="URL", help="Run on a SPARQL 1.1 endpoint instead of the embedded store.")
@click.pass_context
def sparql(
    ctx: click.Context, query_file: str, fmt: str | None, lang: str | None, endpoint: str | None
) -> None:
    """Run an ad hoc SPARQL query from QUERY_FILE (- for standard input) on the union of all graphs."""
    text = sys.stdin.read() if query_file == "-" else _read_query_file(Path(query_file))
    with _target(ctx, endpoint) as target:
        _write(target.query(text), fmt)


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
