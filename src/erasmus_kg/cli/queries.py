"""`erasmus-kg queries`, `erasmus-kg query NAME` (one subcommand per stored query) and `erasmus-kg sparql`:
queries on the embedded store or, with --endpoint, on a SPARQL 1.1 endpoint.

Both take --limit/--offset (a LIMIT/OFFSET after the query's ORDER BY, see `binding.with_slice`), page the
table on a terminal (`output.page_line`), and stop after --timeout seconds (`_Deadline`).
"""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

import click

from erasmus_kg.cli.options import (
    CONTEXT,
    default_language,
    endpoint_credentials,
    endpoint_options,
    output_options,
    paging_options,
    rows_per_page,
    store_option,
    store_root,
    union_default_graph_option,
)
from erasmus_kg.errors import ErasmusKGError, InputFileError

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.query.catalogue import StoredQuery
    from erasmus_kg.query.indexed_lists import IndexedSolutions
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
@store_option
def query() -> None:
    """Run a stored query: erasmus-kg query NAME -p NAME=VALUE ... (see: erasmus-kg queries).

    Each stored query takes -p NAME=VALUE parameters, --format, --lang, --limit, --offset, --page-size,
    --timeout, --show-query and --endpoint (with --user, --auth and --allow-insecure-auth); erasmus-kg query
    NAME --help describes one.
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
    @paging_options
    @click.option(
        "--show-query",
        is_flag=True,
        help="Print the SPARQL with the parameters (and --limit, --offset) bound; do not run it.",
    )
    @click.option(
        "--endpoint", metavar="URL", help="Run on a SPARQL 1.1 endpoint instead of the embedded store."
    )
    @endpoint_options
    @union_default_graph_option
    @store_option
    @click.pass_context
    def command(
        ctx: click.Context,
        params: tuple[str, ...],
        fmt: str | None,
        lang: str | None,
        limit: int | None,
        offset: int,
        page_size: int | None,
        timeout: float | None,
        show_query: bool,
        endpoint: str | None,
        user: str | None,
        auth: str,
        allow_insecure_auth: bool,
        union_default_graph: bool,
    ) -> None:
        raw = _parse_params(params)
        paging = _Paging(limit, offset, page_size, timeout)
        remote = _Remote(endpoint, user, auth, allow_insecure_auth, union_default_graph) if endpoint else None
        _run(ctx, query.name, raw, fmt, lang, paging, show_query, remote)

    return command


class _Paging(NamedTuple):
    """--limit (0: every row), --offset, --page-size and --timeout as given. (A NamedTuple: a frozen dataclass
    costs every query's start-up ~0.6 ms to define.)"""

    limit: int | None
    offset: int
    page_size: int | None
    timeout: float | None

    @property
    def query_limit(self) -> int | None:
        """The LIMIT of the query: None for every row (no --limit, or --limit 0)."""
        return self.limit or None


class _Remote(NamedTuple):
    """--endpoint with --user, --auth, --allow-insecure-auth and --union-default-graph, as given."""

    url: str
    user: str | None
    auth: str
    allow_insecure_auth: bool
    union_default_graph: bool


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
    paging: _Paging,
    show_query: bool,
    remote: _Remote | None,
) -> None:
    from erasmus_kg.query.catalogue import get_query
    from erasmus_kg.query.running import indexed_list, page, prepare

    language = lang or default_language()
    layout = None if show_query else _layout(fmt, paging)
    headings = get_query(name).headings(language)
    with _target(ctx, remote, paging.timeout) as target, _deadline(paging.timeout, remote) as deadline:
        if layout is not None and layout[0] == "table" and layout[1] is not None and not paging.query_limit:
            text, total = page(name, raw, language, target, layout[1], paging.offset)
            if total is not None:
                remaining = max(total - paging.offset, 0)
                _write(target, text, layout, language, paging.offset, deadline, remaining, headings)
                return
        if layout is not None:
            indexed = indexed_list(
                name, raw, language, target, limit=paging.query_limit, offset=paging.offset, fmt=layout[0]
            )
            if indexed is not None:
                _write(target, indexed, layout, language, paging.offset, deadline, headings=headings)
                return
        text = prepare(name, raw, language, target, limit=paging.query_limit, offset=paging.offset)
        if layout is None:
            click.echo(text, nl=not text.endswith("\n"))
            return
        _write(target, text, layout, language, paging.offset, deadline, headings=headings)


def _target(
    ctx: click.Context, remote: _Remote | None, timeout: float | None = None
) -> AbstractContextManager[Target]:
    if remote is not None:
        from erasmus_kg.remote.http import DEFAULT_TIMEOUT
        from erasmus_kg.remote.sparql import open_endpoint

        return open_endpoint(
            remote.url,
            timeout=timeout or DEFAULT_TIMEOUT,
            credentials=endpoint_credentials(remote.user),
            auth=remote.auth,
            allow_insecure_auth=remote.allow_insecure_auth,
            union_default_graph=remote.union_default_graph,
            warn=_warn,
        )
    from erasmus_kg.query.targets import open_target

    return open_target(store_root(ctx))


def _warn(message: str) -> None:
    """A warning of the query (an answer a server cut): one line on stderr, beside the results."""
    from erasmus_kg.errors import one_line

    click.echo(f"erasmus-kg: warning: {one_line(message)}", err=True)


def _layout(fmt: str | None, paging: _Paging) -> tuple[str, int | None]:
    """The output format (table on a terminal, csv otherwise) and the rows per page of the table."""
    terminal = sys.stdout.isatty()
    chosen = fmt or ("table" if terminal else "csv")
    return chosen, rows_per_page(chosen, paging.page_size, paging.limit, terminal)


def _write(
    target: Target,
    text: str | IndexedSolutions,
    layout: tuple[str, int | None],
    lang: str,
    offset: int,
    deadline: _Deadline | None,
    total: int | None = None,
    headings: Mapping[str, str] | None = None,
) -> None:
    """Run `text` (or take the rows the index gave) and write its results to stdout: streamed, or buffered
    until `deadline` is met. `total`:
    the rows from `offset` on, when `text` holds only the page; `headings`: the columns' headings (see
    `write_results`)."""
    from erasmus_kg.query.output import table_width, write_results

    fmt, rows = layout
    out = sys.stdout.buffer
    width = table_width(sys.stdout) if fmt == "table" else None

    def write(to: BinaryIO) -> None:
        results = target.query(text) if isinstance(text, str) else text
        write_results(
            results,
            fmt,
            to,
            page_size=rows,
            offset=offset,
            lang=lang,
            total=total,
            headings=headings,
            width=width,
        )

    if deadline is None:
        write(out)
        out.flush()
        return
    buffer = io.BytesIO()
    write(buffer)
    deadline.finish()
    out.write(buffer.getbuffer())
    out.flush()


def _deadline(seconds: float | None, remote: object | None) -> AbstractContextManager[_Deadline | None]:
    """The --timeout of a query on the embedded store (with --endpoint it bounds each request instead)."""
    return nullcontext() if seconds is None or remote else _Deadline(seconds)


class _Deadline:
    """Ends the process with exit 2 and one line on stderr when the query is not done after `seconds`.

    pyoxigraph cannot cancel a query, and a long ORDER BY or aggregate runs in Rust without returning to
    Python; it releases the GIL meanwhile, so this timer thread runs, and ends the process with os._exit
    (nothing to clean up: the store is open read-only behind a file lock the system releases). The results
    are written to memory until `finish`, which wins or loses against the timer under one lock, so stdout
    receives either all of them or nothing.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.finish()

    def finish(self) -> None:
        """The query is done: the timer can no longer end the process (blocks if it is doing so)."""
        with self._lock:
            self._done = True
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            sys.stderr.write(
                f"erasmus-kg: error: the query took longer than {self.seconds:g} s (--timeout)\n"
            )
            sys.stderr.flush()
            os._exit(2)


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
                "params": [p.to_json() for p in q.params],
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
@paging_options
@click.option("--endpoint", metavar="URL", help="Run on a SPARQL 1.1 endpoint instead of the embedded store.")
@endpoint_options
@union_default_graph_option
@store_option
@click.pass_context
def sparql(
    ctx: click.Context,
    query_file: str,
    fmt: str | None,
    lang: str | None,
    limit: int | None,
    offset: int,
    page_size: int | None,
    timeout: float | None,
    endpoint: str | None,
    user: str | None,
    auth: str,
    allow_insecure_auth: bool,
    union_default_graph: bool,
) -> None:
    """Run an ad hoc SPARQL query from QUERY_FILE (- for standard input) on the union of all graphs.

    The project's prefixes (ekg:, dcterms:, skos:, country:, project:, organisation:, action:, ...) need no
    PREFIX declaration; a prefix the query declares keeps its own namespace. Queries only (SELECT, ASK,
    CONSTRUCT, DESCRIBE): an update is refused. Errors give the line and column: FILE:LINE:COLUMN: message.
    """
    from erasmus_kg.query.adhoc import prepare
    from erasmus_kg.query.binding import with_slice

    text = sys.stdin.read() if query_file == "-" else _read_query_file(Path(query_file))
    text = prepare(text, "<stdin>" if query_file == "-" else query_file, check_syntax=not endpoint)
    paging = _Paging(limit, offset, page_size, timeout)
    layout = _layout(fmt, paging)
    text = with_slice(text, paging.query_limit, offset)
    remote = _Remote(endpoint, user, auth, allow_insecure_auth, union_default_graph) if endpoint else None
    with _target(ctx, remote, timeout) as target, _deadline(timeout, remote) as deadline:
        _write(target, text, layout, lang or default_language(), offset, deadline)


def _read_query_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except UnicodeDecodeError:
        raise InputFileError(path, "is not UTF-8 text") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
