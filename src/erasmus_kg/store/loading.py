"""Loading RDF files into the embedded store, each into a named graph, and taking them out again."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from erasmus_kg.derived.graphs import is_derived
from erasmus_kg.errors import UsageError
from erasmus_kg.namespaces import GRAPH
from erasmus_kg.rdf_files import check_readable, rdf_format
from erasmus_kg.store.builds import DERIVED_FROM, BuildInfo, GraphInfo, Source
from erasmus_kg.store.default import DefaultStore

FILE_GRAPH = GRAPH + "file/"


def graph_for_file(path: Path) -> str:
    """The named graph a loaded file goes into: graph/file/<file name>."""
    return FILE_GRAPH + quote(path.name, safe="")


def load_files(root: Path | None, files: list[Path], graph: str | None = None) -> BuildInfo:
    """Bring the store up to date with the packaged data and load `files`, all in one new build.

    Every file is checked before anything is written; a file that fails to load leaves the store as it was.
    Nothing here validates them against the shapes: `validation.loads.load_validated` does, before it calls
    this (the store knows nothing of validation).
    With `graph`, all files go into that one graph (which then holds exactly their union).
    """
    store = DefaultStore(root)
    for path in files:
        check_readable(path)
    if not files:
        return store.ensure()
    if graph is not None and len(files) > 1:
        raise UsageError("--graph takes one file; load several files into one graph by merging them first")
    changes = {}
    for path in files:
        iri = graph or graph_for_file(path)
        if iri in changes:
            raise UsageError(f"{path}: two files load into the same graph <{iri}>")
        changes[iri] = Source(iri, path.resolve(), rdf_format(path))
    return store.replace_graphs(changes, metadata={"kind": "file"})


def source_names(graph: GraphInfo) -> set[str]:
    """What names a graph for `remove`: its IRI, and the path and file name it was loaded from (for an import,
    those of the imported file, not of the temporary N-Triples the store loaded)."""
    names = {graph.iri, str(graph.source), Path(str(graph.source)).name}
    imported = graph.metadata.get("file")
    if graph.metadata.get("kind") == "import" and isinstance(imported, str):
        names |= {imported, Path(imported).name}
    return names


def origin(graph: GraphInfo) -> str:
    """The file a graph was loaded or imported from as the user gave it (an import's graph is loaded from a
    temporary N-Triples file: this is the file that was imported), or what a derived graph derives from."""
    if is_derived(graph.iri):
        return graph.source.removeprefix(DERIVED_FROM)
    return str(graph.metadata.get("file", graph.source))


def describe_source(graph: GraphInfo) -> str:
    """Where a graph comes from, for `sources`: "packaged PATH", "loaded PATH", "imported (KIND, ROWS,
    SKIPPED, read as ENCODING, SUPERSEDED, version of DATE) PATH" or "derived SOURCE"."""
    if graph.packaged:
        return f"packaged  {graph.source}"
    if is_derived(graph.iri):
        return f"derived  {origin(graph)}"
    if graph.metadata.get("kind") == "import":
        importer = graph.metadata.get("importer", "?")
        rows, skipped = graph.metadata.get("rows"), graph.metadata.get("skipped")
        counts = f", {rows} rows, {skipped} skipped" if rows is not None else ""
        encoding = graph.metadata.get("encoding")
        counts += f", read as {encoding}" if encoding else ""
        superseded = graph.metadata.get("superseded")
        counts += f", {superseded} superseded by newer lists" if superseded else ""
        date = graph.metadata.get("date")
        counts += f", version of {date}" if date else ""
        return f"imported ({importer}{counts})  {origin(graph)}"
    return f"loaded  {origin(graph)}"


def find_source(store: DefaultStore, source: str) -> GraphInfo:
    """The loaded or imported graph that `source` names: its IRI, or the name or path of the file it came
    from; UsageError when none does or it is packaged."""
    store.ensure()
    graphs = store.graphs()
    matches = [g for g in graphs if source in source_names(g) and not is_derived(g.iri)]
    if not matches:
        loaded = ", ".join(g.iri for g in graphs if not g.packaged and not is_derived(g.iri)) or "none"
        raise UsageError(f"no loaded source {source!r} in the store (loaded graphs: {loaded})")
    if any(g.packaged for g in matches):
        raise UsageError(f"<{matches[0].iri}> is packaged data and cannot be removed")
    return matches[0]


def remove_source(root: Path | None, source: str) -> str:
    """Remove a loaded graph, named by its IRI or by the name or path of the file it came from (an imported
    list is removed with `importing.removal.remove_source`, which also hands its projects back to the lists
    it superseded)."""
    store = DefaultStore(root)
    iri = find_source(store, source).iri
    store.replace_graphs({iri: None})
    return iri
