"""The embedded store: `erasmus-kg load` (and publishing with --endpoint), `sources`, `remove`, `info`."""

from __future__ import annotations

from pathlib import Path

import click

from erasmus_kg.cli.options import (
    CONTEXT,
    endpoint_credentials,
    endpoint_options,
    seconds,
    store_option,
    store_root,
)


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph", "graph", metavar="IRI", help="Named graph for a single FILE, or on the endpoint for all."
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Also send the whole graph to this SPARQL 1.1 Graph Store Protocol endpoint (see the README).",
)
@endpoint_options
@click.option(
    "--timeout",
    metavar="SECONDS",
    callback=seconds,
    default=None,
    help="Give up a request to the endpoint, an upload included, that is not done within SECONDS "
    "(default: 30, and for an upload 30 plus one per MB sent).",
)
@click.option(
    "--validate/--no-validate",
    default=True,
    show_default=True,
    help="Validate FILES against the shapes (with the packaged data) before the store is switched.",
)
@store_option
@click.pass_context
def load(
    ctx: click.Context,
    files: tuple[Path, ...],
    graph: str | None,
    endpoint: str | None,
    user: str | None,
    auth: str,
    allow_insecure_auth: bool,
    timeout: float | None,
    validate: bool,
) -> None:
    """(Re)build the embedded store from the packaged data, loading FILES into named graphs; with
    --endpoint, send every graph of the store to a triple store.

    Each file goes into the graph https://w3id.org/erasmus-kg/graph/file/NAME (NAME: the file name),
    replacing what that graph held; --graph names the graph for a single file. FILES are validated against
    the shapes first (as erasmus-kg validate FILES does; --no-validate skips it): on a violation the report
    is printed, nothing is loaded and the exit code is 1. On an endpoint each graph
    is replaced as a whole (one PUT per graph), so loading twice gives the same content as loading once;
    --graph puts everything into that one graph instead. Credentials: ERASMUS_KG_USER and
    ERASMUS_KG_PASSWORD (or --user and a prompt), sent as the server's challenge asks (--auth), or
    ERASMUS_KG_TOKEN for a bearer token; a password by Basic or a token never goes over plain http to
    another machine without --allow-insecure-auth.
    """
    from erasmus_kg.progress import Steps
    from erasmus_kg.validation.loads import load_validated

    credentials = None
    if endpoint:  # the credentials, and whether they may be sent, before the store is rebuilt
        from erasmus_kg.remote.http import Endpoint

        credentials = endpoint_credentials(user)
        Endpoint(endpoint, credentials, auth=auth, allow_insecure_auth=allow_insecure_auth)
    with Steps():  # validating, loading, deriving, indexing: a line each on a terminal
        build = load_validated(store_root(ctx), list(files), None if endpoint else graph, validate=validate)
    root = build.path.parent.parent
    click.echo(f"The store at {root} holds {build.triples} triples in {len(build.graphs)} graphs.")
    if endpoint:
        from erasmus_kg.remote.graph_store import publish
        from erasmus_kg.remote.http import safe_url

        published = publish(
            store_root(ctx),
            endpoint,
            graph=graph,
            credentials=credentials,
            timeout=timeout,
            auth=auth,
            allow_insecure_auth=allow_insecure_auth,
        )
        total = sum(p.triples for p in published)
        click.echo(f"Sent {total} triples in {len(published)} graph(s) to {safe_url(endpoint)}.")


@click.command(context_settings=CONTEXT)
@store_option
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the named graphs in the embedded store and where each comes from."""
    from erasmus_kg.store.default import DefaultStore

    store = DefaultStore(store_root(ctx))
    store.ensure()
    from erasmus_kg.store.loading import describe_source

    for graph in store.graphs():
        click.echo(f"{graph.iri}  {graph.triples} triples  {describe_source(graph)}")


@click.command(context_settings=CONTEXT)
@click.argument("source")
@store_option
@click.pass_context
def remove(ctx: click.Context, source: str) -> None:
    """Remove a loaded or imported graph (its IRI, or the file name it was loaded from) from the store."""
    from erasmus_kg.importing.removal import remove_source
    from erasmus_kg.progress import Steps

    with Steps():
        iri = remove_source(store_root(ctx), source)
    click.echo(f"Removed <{iri}>.")


@click.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Output format.")
@store_option
@click.pass_context
def info(ctx: click.Context, fmt: str) -> None:
    """Counts of triples, projects, organisations and countries, and the sources in the store."""
    import json

    from erasmus_kg.query.info import graph_statistics

    stats = graph_statistics(store_root(ctx))
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    click.echo(f"store:          {stats['store']}")
    click.echo(f"triples:        {stats['triples']}")
    click.echo(f"projects:       {stats['projects']}")
    click.echo(f"organisations:  {stats['organisations']}")
    click.echo(f"countries:      {stats['countries']} (of organisations, participations and destinations)")
    click.echo("sources:")
    for source in stats["sources"]:
        click.echo(f"  {source['graph']}  {source['triples']} triples  ({source['source']})")
    derived = stats["derived"]
    total = sum(d["triples"] for d in derived)
    click.echo(f"derived:        {total} triples in {len(derived)} graphs (see docs/derived.md)")
