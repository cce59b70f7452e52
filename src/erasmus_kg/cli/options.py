"""What several commands share: click's context settings, the --format and --lang options of query
output, the language those default to, the paging and --timeout options of queries, the credentials options
of commands that take --endpoint, and --store (one definition, accepted before and after the subcommand)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from erasmus_kg.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.remote.http import Credentials

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
FORMATS = ("table", "csv", "tsv", "json", "markdown")
PAGE_SIZE = 50
"""Rows the table shows on a terminal when no --limit is given."""
_MAX_ROWS = 2**63 - 1


def default_language() -> str:
    """nl or en: ERASMUS_KG_LANG (nl, en, or a regional form such as nl-BE or en_GB; anything else is a
    UsageError, not ignored), else the locale (Dutch locales give nl), else en."""
    chosen = os.environ.get("ERASMUS_KG_LANG", "").strip()
    if chosen:
        primary = chosen.replace("_", "-").split("-", 1)[0].lower()
        if primary not in ("nl", "en"):
            raise UsageError(f"ERASMUS_KG_LANG: expected nl or en, not {chosen!r}")
        return primary
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


_STORE = "erasmus_kg.store"
"""Where `store_option` keeps the chosen store in the root context's meta: (directory, given explicitly)."""


def store_option(command: F, *, root: bool = False) -> F:
    """--store DIR, on the root group (`root`: where ERASMUS_KG_STORE fills it in) and on every command that
    uses the store, so that it is accepted before and after the subcommand (`erasmus-kg --store X query ...`,
    `erasmus-kg query NAME --store X`). Every place writes into the root context (`_remember_store`);
    `store_root` reads it back. Given before and after with different directories: a UsageError."""
    return click.option(
        "--store",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="ERASMUS_KG_STORE" if root else None,
        expose_value=False,
        callback=_remember_store,
        help="Directory of the embedded store (env ERASMUS_KG_STORE; default: the user data directory).",
    )(command)


def _remember_store(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is None:
        return
    explicit = ctx.get_parameter_source(str(param.name)) is not ParameterSource.ENVIRONMENT
    meta = ctx.find_root().meta
    chosen: tuple[Path, bool] | None = meta.get(_STORE)
    if chosen is not None and chosen[1] and explicit and chosen[0].absolute() != value.absolute():
        raise UsageError(f"--store is given twice, as {chosen[0]} and as {value}: give one store")
    if chosen is None or explicit:  # a --store on the command line wins over ERASMUS_KG_STORE
        meta[_STORE] = (value, explicit)


def store_root(ctx: click.Context) -> Path | None:
    """The --store of the invocation, before or after the subcommand (or ERASMUS_KG_STORE); None for the
    default store."""
    chosen: tuple[Path, bool] | None = ctx.find_root().meta.get(_STORE)
    return chosen[0] if chosen else None


def output_options(command: F) -> F:
    """--format and --lang, for commands that print query results."""
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table on a terminal, csv otherwise). json is SPARQL 1.1 Results JSON.",
    )(command)
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default=None,
        help="Language of labels (default: ERASMUS_KG_LANG, else nl in a Dutch locale, else en).",
    )(command)


def _row_count(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """A whole number of rows, 0 or more. A bad value is one error line (exit 2), not click's usage text."""
    if value is None:
        return None
    text = value.strip()
    number = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= number <= _MAX_ROWS:
        raise UsageError(f"{_name(param)}: expected a whole number of rows, 0 or more, not {value!r}")
    return number


def seconds(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """A number of seconds greater than 0 (finite). A bad value is one error line (exit 2)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise UsageError(f"{_name(param)}: expected a number of seconds greater than 0, not {value!r}")
    return seconds


def _name(param: click.Parameter) -> str:
    return param.opts[0] if param.opts else str(param.name)


def paging_options(command: F) -> F:
    """--limit, --offset, --page-size and --timeout, for commands that run a query."""
    command = click.option(
        "--timeout",
        metavar="SECONDS",
        callback=seconds,
        default=None,
        help="Stop with exit 2 when the query takes longer than SECONDS (default: no limit on the embedded "
        "store; with --endpoint, each request to it, its answer read in full, default 30).",
    )(command)
    command = click.option(
        "--page-size",
        metavar="N",
        callback=_row_count,
        default=None,
        help=f"Rows the table shows, with the total and how to see more (default: {PAGE_SIZE} on a terminal "
        "without --limit, else all; 0: all). Table format only.",
    )(command)
    command = click.option(
        "--offset",
        metavar="N",
        callback=_row_count,
        default="0",
        help="Skip the first N rows (an OFFSET after the query's ORDER BY).",
    )(command)
    return click.option(
        "--limit",
        metavar="N",
        callback=_row_count,
        default=None,
        help="Return at most N rows (a LIMIT after the query's ORDER BY); 0: every row. "
        f"Without it, the table on a terminal shows the first {PAGE_SIZE} and the total.",
    )(command)


AUTH_SCHEMES = ("auto", "basic", "digest")
"""--auth: `remote.http.AUTH_SCHEMES` (not imported here: a query on the embedded store never imports it)."""


def endpoint_options(command: F) -> F:
    """--user, --auth and --allow-insecure-auth, for commands that take --endpoint."""
    command = click.option(
        "--allow-insecure-auth",
        is_flag=True,
        help="Send a password by Basic authentication, or a token, over plain http to a host other than this "
        "machine, in clear (refused without it; Digest is allowed: it sends no password).",
    )(command)
    command = click.option(
        "--auth",
        type=click.Choice(AUTH_SCHEMES),
        default="auto",
        show_default=True,
        help="How the user and password go to the endpoint: auto answers the server's challenge (Digest, "
        "else Basic), digest only a Digest one (Virtuoso's /sparql-graph-crud-auth), basic sends Basic up "
        "front.",
    )(command)
    return click.option(
        "--user",
        metavar="NAME",
        help="User for the endpoint (default: ERASMUS_KG_USER; password: ERASMUS_KG_PASSWORD, else a prompt "
        "on a terminal). ERASMUS_KG_TOKEN sends a bearer token instead.",
    )(command)


def union_default_graph_option(command: F) -> F:
    """--union-default-graph, for commands that query an --endpoint."""
    return click.option(
        "--union-default-graph",
        is_flag=True,
        help="The endpoint's default graph is already the union of its named graphs (Fuseki's "
        "tdb2:unionDefaultGraph, `oxigraph serve --union-default-graph`): queries name no "
        "default-graph-uri, which Jena answers up to 16 times faster. Without it the graphs that "
        "`erasmus-kg load` listed on the server are named in every query.",
    )(command)


def endpoint_credentials(user: str | None) -> Credentials:
    """The credentials for an endpoint: `user` (--user) or the environment's, with a password prompt on a
    terminal when the environment gives none."""
    from erasmus_kg.remote.http import Credentials

    return Credentials.from_environment(user, prompt=_ask_password if sys.stdin.isatty() else None)


def _ask_password(question: str) -> str:
    return str(click.prompt(question, hide_input=True, err=True))


def rows_per_page(fmt: str, chosen: int | None, limit: int | None, terminal: bool) -> int | None:
    """How many rows the table shows (None: all): --page-size, else PAGE_SIZE for a table on a terminal
    when no --limit was given. --page-size with another format than the table is a UsageError."""
    if chosen is not None:
        if fmt != "table":
            raise UsageError(f"--page-size pages the table format, not {fmt} (add --format table)")
        return chosen or None
    return PAGE_SIZE if fmt == "table" and terminal and limit is None else None
