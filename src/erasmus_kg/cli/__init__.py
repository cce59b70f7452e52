"""The `erasmus-kg` command line. It only parses arguments, calls the library and maps results to output and
exit codes; the work happens in the modules it imports (lazily, to keep start-up fast).

Exit codes: 0 success; 1 data that does not conform to the shapes; 2 a usage or input error (unknown query
or parameter value, unreadable or malformed file, unreachable endpoint); 3 an internal error; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from erasmus_kg import __version__
from erasmus_kg.errors import ErasmusKGError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
FORMATS = ("table", "csv", "tsv", "json", "markdown")


def default_language() -> str:
    """nl or en: ERASMUS_KG_LANG, else the locale (Dutch locales give nl), else en."""
    chosen = os.environ.get("ERASMUS_KG_LANG", "").strip().lower()
    if chosen in ("nl", "en"):
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def _store_root(ctx: click.Context) -> Path | None:
    return ctx.find_root().params.get("store")


# ------------------------------------------------------------------------------------------------------------
# The group


class ErasmusKG(click.Group):
    """The root group: maps every error a command raises to one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
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
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="ERASMUS_KG_STORE",
    help="Directory of the embedded store (env ERASMUS_KG_STORE; default: the user data directory).",
)
def cli(store: Path | None) -> None:
    """A knowledge graph of Erasmus+ projects: stored SPARQL queries on an embedded Oxigraph store,
    SHACL validation, and the brochure "Erasmus+ steunt projecten rond keuzebegeleiding" as data.

    \b
    Examples:
      erasmus-kg query projects-by-country -p country=Litouwen
      erasmus-kg query where-to-submit -p action=KA3
      erasmus-kg queries
      erasmus-kg validate
    """


# ------------------------------------------------------------------------------------------------------------
# Stored queries


def _output_options(command):  # type: ignore[no-untyped-def]
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


def _stored_query_command(query) -> click.Command:  # type: ignore[no-untyped-def]
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
    @_output_options
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


def _target(ctx: click.Context, endpoint: str | None):  # type: ignore[no-untyped-def]
    if endpoint:
        from erasmus_kg.remote.sparql import open_endpoint

        return open_endpoint(endpoint)
    from erasmus_kg.query.targets import open_target

    return open_target(_store_root(ctx))


def _write(results: object, fmt: str | None) -> None:
    from erasmus_kg.query.output import write_results

    chosen = fmt or ("table" if sys.stdout.isatty() else "csv")
    out = sys.stdout.buffer
    write_results(results, chosen, out)
    out.flush()


@cli.group(cls=StoredQueries, context_settings=CONTEXT)
def query() -> None:
    """Run a stored query: erasmus-kg query NAME -p NAME=VALUE ... (see: erasmus-kg queries).

    Each stored query takes -p NAME=VALUE parameters, --format, --lang, --show-query and --endpoint;
    erasmus-kg query NAME --help describes one.
    """


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
@click.argument("query_file", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
@_output_options
@click.option("--endpoint", metavar="URL", help="Run on a SPARQL 1.1 endpoint instead of the embedded store.")
@click.pass_context
def sparql(
    ctx: click.Context, query_file: str, fmt: str | None, lang: str | None, endpoint: str | None
) -> None:
    """Run an ad hoc SPARQL query from QUERY_FILE (- for standard input) on the union of all graphs."""
    from erasmus_kg.errors import InputFileError

    if query_file == "-":
        text = sys.stdin.read()
    else:
        path = Path(query_file)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputFileError(path, "no such file") from None
        except UnicodeDecodeError:
            raise InputFileError(path, "is not UTF-8 text") from None
        except OSError as exc:
            raise InputFileError(path, exc.strerror or str(exc)) from None
    with _target(ctx, endpoint) as target:
        _write(target.query(text), fmt)


# ------------------------------------------------------------------------------------------------------------
# Validation, information, loading


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text", help="Report format."
)
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate the packaged data with FILES against the SHACL shapes; without FILES, the packaged data and
    every dataset imported into the store (in batches, with the same shapes and report).

    Exit 0 when the data conforms, 1 when it does not, 2 when a file cannot be read or parsed. The text
    report has one line per violation: the node, the property, the value and what is wrong.
    """
    if files:
        from erasmus_kg.validation.shacl import validate_files

        result = validate_files(list(files))
    else:
        from erasmus_kg.validation.batches import validate_packaged_and_imports

        result = validate_packaged_and_imports(_store_root(ctx))
    if fmt == "turtle":
        click.echo(result.turtle(), nl=False)
    elif fmt == "json":
        click.echo(result.json())
    else:
        click.echo(result.text())
    sys.exit(0 if result.conforms else 1)


@cli.command(context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", help="Output format.")
@click.pass_context
def info(ctx: click.Context, fmt: str) -> None:
    """Counts of triples, projects, organisations and countries, and the sources in the store."""
    import json

    from erasmus_kg.query.statistics import graph_statistics

    stats = graph_statistics(_store_root(ctx))
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


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph", "graph", metavar="IRI", help="Named graph for a single FILE, or on the endpoint for all."
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Also send the whole graph to this SPARQL 1.1 Graph Store Protocol endpoint (see the README).",
)
@click.option(
    "--user", metavar="NAME", help="User for basic auth (password: ERASMUS_KG_PASSWORD or a prompt)."
)
@click.option(
    "--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for the endpoint."
)
@click.pass_context
def load(
    ctx: click.Context,
    files: tuple[Path, ...],
    graph: str | None,
    endpoint: str | None,
    user: str | None,
    timeout: float,
) -> None:
    """(Re)build the embedded store from the packaged data, loading FILES into named graphs; with
    --endpoint, send every graph of the store to a triple store.

    Each file goes into the graph https://w3id.org/erasmus-kg/graph/file/NAME (NAME: the file name),
    replacing what that graph held; --graph names the graph for a single file. On an endpoint each graph
    is replaced as a whole (one PUT per graph), so loading twice gives the same content as loading once;
    --graph puts everything into that one graph instead. Credentials: ERASMUS_KG_USER and
    ERASMUS_KG_PASSWORD (or --user and a prompt), or ERASMUS_KG_TOKEN for a bearer token.
    """
    from erasmus_kg.store.loading import load_files

    build = load_files(_store_root(ctx), list(files), None if endpoint else graph)
    root = build.path.parent.parent
    click.echo(f"The store at {root} holds {build.triples} triples in {len(build.graphs)} graphs.")
    if endpoint:
        from erasmus_kg.remote.graph_store import publish, terminal_progress
        from erasmus_kg.remote.http import Credentials

        credentials = Credentials.from_environment(user, prompt=_ask_password if sys.stdin.isatty() else None)
        published = publish(
            _store_root(ctx),
            endpoint,
            graph=graph,
            credentials=credentials,
            progress=terminal_progress,
            timeout=timeout,
        )
        if sys.stderr.isatty():
            click.echo("", err=True)
        total = sum(p.triples for p in published)
        click.echo(f"Sent {total} triples in {len(published)} graph(s) to {_public_url(endpoint)}.")


def _ask_password(question: str) -> str:
    return str(click.prompt(question, hide_input=True, err=True))


def _public_url(url: str) -> str:
    from erasmus_kg.remote.http import safe_url

    return safe_url(url)


@cli.command(context_settings=CONTEXT)
@click.pass_context
def sources(ctx: click.Context) -> None:
    """List the named graphs in the embedded store and where each comes from."""
    from erasmus_kg.store.default import DefaultStore

    store = DefaultStore(_store_root(ctx))
    store.ensure()
    from erasmus_kg.store.loading import describe_source

    for graph in store.graphs():
        click.echo(f"{graph.iri}  {graph.triples} triples  {describe_source(graph)}")


@cli.command(context_settings=CONTEXT)
@click.argument("source")
@click.pass_context
def remove(ctx: click.Context, source: str) -> None:
    """Remove a loaded or imported graph (its IRI, or the file name it was loaded from) from the store."""
    from erasmus_kg.store.loading import remove_source

    iri = remove_source(_store_root(ctx), source)
    click.echo(f"Removed <{iri}>.")


# ------------------------------------------------------------------------------------------------------------
# Importing real Erasmus+ data


@cli.group(name="import", context_settings=CONTEXT)
def import_group() -> None:
    """Import real Erasmus+ data into the embedded store: the Project Results Platform export (prp) and the
    Erasmus Charter list of higher-education institutions (eche).

    Each file goes into its own named graph (graph/import/FILE NAME), is validated against the shapes before
    it replaces anything, and importing the same file again replaces what it imported before. Bad rows are
    reported as FILE:ROW: column 'NAME': message.
    """


def _import_options(command):  # type: ignore[no-untyped-def]
    command = click.argument("file", type=click.Path(path_type=Path))(command)
    command = click.option(
        "--on-error",
        type=click.Choice(["fail", "skip"]),
        default="fail",
        show_default=True,
        help="On a bad row: stop and import nothing (fail), or leave the row out and go on (skip).",
    )(command)
    return click.option(
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write the RDF to this N-Quads file instead of loading it into the store.",
    )(command)


def _import(ctx: click.Context, kind: str, file: Path, on_error: str, output: Path | None) -> None:
    from erasmus_kg.importing.run import import_file

    result = import_file(kind, file, root=_store_root(ctx), on_error=on_error, output=output)
    click.echo(result.summary())


@import_group.command(name="prp", context_settings=CONTEXT)
@_import_options
@click.pass_context
def import_prp(ctx: click.Context, file: Path, on_error: str, output: Path | None) -> None:
    """Import an Erasmus+ Project Results Platform export (CSV as downloaded, or XLSX): projects, their
    actions, call years, topics, grants, coordinators and partners with their countries."""
    _import(ctx, "prp", file, on_error, output)


@import_group.command(name="eche", context_settings=CONTEXT)
@_import_options
@click.pass_context
def import_eche(ctx: click.Context, file: Path, on_error: str, output: Path | None) -> None:
    """Import the list of higher-education institutions holding an Erasmus Charter (ECHE): Erasmus code,
    PIC, OID, legal name, address, country, website and charter validity."""
    _import(ctx, "eche", file, on_error, output)


# ------------------------------------------------------------------------------------------------------------
# Export and ontology documentation


@cli.command(name="export", context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonld", "turtle", "ntriples", "nquads", "trig"]),
    default=None,
    help="Output format (default: from the -o file's suffix: .jsonld, .ttl, .nt, .nq, .trig).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to FILE (replaced only when the export is complete) instead of standard output.",
)
@click.option(
    "--context",
    "context_mode",
    type=click.Choice(["link", "embed"]),
    default="link",
    show_default=True,
    help="JSON-LD: refer to the published context by URL, or copy it into the document.",
)
@click.option(
    "--frame",
    type=click.Choice(["project"]),
    default=None,
    help="JSON-LD: one nested document per project (a view for web developers, not a full dump).",
)
@click.pass_context
def export_command(
    ctx: click.Context, fmt: str | None, output: Path | None, context_mode: str, frame: str | None
) -> None:
    """Export the whole graph: JSON-LD, Turtle, N-Triples (all graphs merged into one), N-Quads, TriG
    (each named graph kept).

    The output is streamed with bounded memory and is the same bytes for the same store. JSON-LD is
    compacted with the published context (https://w3id.org/erasmus-kg/context.jsonld, kept in
    ontology/context.jsonld); any JSON-LD processor reads it back to the graph of the Turtle export.

    \b
    Examples:
      erasmus-kg export --format jsonld -o kg.jsonld
      erasmus-kg export -o kg.ttl
      erasmus-kg export --format jsonld --frame project --context embed > projects.jsonld
    """
    from erasmus_kg.export import export, export_to_path, format_for_path
    from erasmus_kg.query.targets import open_target

    chosen = fmt or (format_for_path(output) if output is not None else None)
    if chosen is None:
        told = f"the name {output.name} does not tell the format: " if output is not None else ""
        raise click.UsageError(f"{told}give --format (jsonld, turtle, ntriples, nquads or trig)", ctx)
    with open_target(_store_root(ctx)) as target:
        if output is None:
            out = sys.stdout.buffer
            export(target.store, chosen, out, context=context_mode, frame=frame)
            out.flush()
        else:
            export_to_path(target.store, chosen, output, context=context_mode, frame=frame)
            click.echo(f"Wrote {output} ({chosen}).", err=True)


@cli.command(context_settings=CONTEXT)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for index.html (created if needed), with copies of the ontology and the JSON-LD context.",
)
def docs(out_dir: Path) -> None:
    """Write HTML documentation of the ontology: every class and property with its English and Dutch labels,
    its definition, domain and range."""
    from erasmus_kg.docs.ontology import write_docs

    index = write_docs(out_dir)
    click.echo(f"Wrote {index}")


# ------------------------------------------------------------------------------------------------------------
# Entry point


def main(argv: list[str] | None = None) -> None:
    """The console script."""
    cli.main(args=argv, prog_name="erasmus-kg")


def _quiet_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
