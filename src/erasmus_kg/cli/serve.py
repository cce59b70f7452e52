"""`erasmus-kg serve`: the web front over the embedded store or a SPARQL endpoint (`erasmus_kg.web`)."""

from __future__ import annotations

import click

from erasmus_kg.cli.options import (
    CONTEXT,
    endpoint_credentials,
    endpoint_options,
    store_option,
    store_root,
    union_default_graph_option,
)
from erasmus_kg.web.config import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_QUERY_MEMORY_MB,
    DEFAULT_QUERY_SECONDS,
    DEFAULT_QUERY_WORKERS,
    DEFAULT_ROW_LIMIT,
    ServeConfig,
)


@click.command(name="serve", context_settings=CONTEXT)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True, help="Port.")
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Serve the graph of this SPARQL query endpoint (loaded with `erasmus-kg load --endpoint`) "
    "instead of the embedded store.",
)
@endpoint_options
@union_default_graph_option
@click.option(
    "--base",
    metavar="URL",
    default=None,
    help="Serve our namespace (https://w3id.org/erasmus-kg/) under this address, e.g. "
    "http://127.0.0.1:8080/: links on pages and in documents point here.",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_QUERY_SECONDS,
    show_default=True,
    help="Seconds a query sent to /sparql may run (and may wait for a free worker); past them it is "
    "stopped and answered 503.",
)
@click.option(
    "--row-limit",
    type=click.IntRange(min=1),
    default=DEFAULT_ROW_LIMIT,
    show_default=True,
    help="Rows one answer of /sparql or the query API gives at most; /sparql says when it cut "
    "(X-Truncated: true).",
)
@click.option(
    "--query-workers",
    type=click.IntRange(min=1),
    default=DEFAULT_QUERY_WORKERS,
    show_default=True,
    help="Processes that evaluate /sparql queries on the embedded store, one query each at a time.",
)
@click.option(
    "--query-memory",
    "query_memory",
    metavar="MB",
    type=click.IntRange(min=0),
    default=DEFAULT_QUERY_MEMORY_MB,
    show_default=True,
    help="Memory (MB) a query on the embedded store may use in its worker; past it the query is stopped "
    "and answered 503. 0: no limit.",
)
@store_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    endpoint: str | None,
    user: str | None,
    auth: str,
    allow_insecure_auth: bool,
    union_default_graph: bool,
    base: str | None,
    query_timeout: float,
    row_limit: int,
    query_workers: int,
    query_memory: int,
) -> None:
    """Serve the graph on the web: pages in Dutch and English, every IRI dereferenceable, the stored
    queries as an API, a read-only SPARQL endpoint. Listens on 127.0.0.1 unless --host says otherwise.

    \b
    Examples:
      erasmus-kg serve                      # then open http://127.0.0.1:8080/
      erasmus-kg serve --port 9000 --base http://127.0.0.1:9000/
      erasmus-kg serve --endpoint http://localhost:7878/query
      erasmus-kg serve --query-timeout 10 --row-limit 1000
    """
    from erasmus_kg.web.server import serve as run

    config = ServeConfig(
        store=store_root(ctx),
        endpoint=endpoint,
        host=host,
        port=port,
        base=base,
        query_seconds=query_timeout,
        row_limit=row_limit,
        query_workers=query_workers,
        query_memory_mb=query_memory,
        credentials=endpoint_credentials(user) if endpoint else None,
        auth=auth,
        allow_insecure_auth=allow_insecure_auth,
        union_default_graph=union_default_graph,
    )
    run(config)
