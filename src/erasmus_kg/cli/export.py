"""Writing the graph out: `erasmus-kg export` (RDF serialisations, JSON-LD) and `erasmus-kg docs` (HTML
documentation of the ontology)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from erasmus_kg.cli.options import CONTEXT, store_option, store_root


@click.command(name="export", context_settings=CONTEXT)
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
@click.option(
    "--derived/--no-derived",
    default=True,
    show_default=True,
    help="Include the derived facts and the statistics that every build makes (docs/derived.md), or only "
    "what the sources say.",
)
@click.option(
    "--resource",
    metavar="IRI",
    default=None,
    help="Only the description of this resource (its triples and the names of what it links to: what its "
    "page on `erasmus-kg serve` gives as RDF); short IRIs such as project:goal work. Turtle, N-Triples or "
    "JSON-LD.",
)
@store_option
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    output: Path | None,
    context_mode: str,
    frame: str | None,
    derived: bool,
    resource: str | None,
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
      erasmus-kg export --format turtle --resource project:goal
    """
    from erasmus_kg.export import export, export_to_path, format_for_path, sources_only
    from erasmus_kg.query.targets import open_target

    chosen = fmt or (format_for_path(output) if output is not None else None)
    if chosen is None:
        told = f"the name {output.name} does not tell the format: " if output is not None else ""
        raise click.UsageError(f"{told}give --format (jsonld, turtle, ntriples, nquads or trig)", ctx)
    if resource is not None:
        _export_resource(ctx, resource, chosen, output, context_mode)
        return
    with open_target(store_root(ctx)) as target:
        graphs = target.store if derived else sources_only(target.store)
        if output is None:
            out = sys.stdout.buffer
            export(graphs, chosen, out, context=context_mode, frame=frame)
            out.flush()
        else:
            export_to_path(graphs, chosen, output, context=context_mode, frame=frame)
            click.echo(f"Wrote {output} ({chosen}).", err=True)


def _export_resource(
    ctx: click.Context, resource: str, fmt: str, output: Path | None, context_mode: str
) -> None:
    import pyoxigraph as ox

    from erasmus_kg.errors import UsageError
    from erasmus_kg.export.formats import atomic_output
    from erasmus_kg.export.resource import describe, write_description
    from erasmus_kg.namespaces import expand
    from erasmus_kg.query.targets import open_target

    if fmt not in ("turtle", "ntriples", "jsonld"):
        raise UsageError("--resource: the description is one graph: give turtle, ntriples or jsonld")
    iri = expand(resource) or resource
    try:
        ox.NamedNode(iri)
    except ValueError:
        raise UsageError(f"--resource: {resource!r} is not an IRI") from None
    with open_target(store_root(ctx)) as target:
        description = describe(target, iri)
    if description is None:
        raise UsageError(f"--resource: the graph says nothing about <{iri}>")
    if output is None:
        write_description(description, fmt, sys.stdout.buffer, context=context_mode)
        sys.stdout.buffer.flush()
    else:
        with atomic_output(output) as out:
            write_description(description, fmt, out, context=context_mode)
        click.echo(f"Wrote {output} ({fmt}).", err=True)


@click.command(context_settings=CONTEXT)
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
