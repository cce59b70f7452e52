"""What a build derives, run by the store on every new build before it is published (`store.builds.Deriver`).

For every source graph loaded in the build, its derived graph (`graphs.derived_graph`) is made from the
definitions (`facts`), with its partial statistics (`cube.source_partials`) in the graph's metadata, unless
the build loaded that derived graph itself (an importer that derived while reading its rows). The derived
graph of a source dropped from the store is dropped with it. Then the statistics graph is the sum of every
source's partial statistics. So the derived facts and the statistics switch with the data they come from, and
changing one source never re-derives another.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from erasmus_kg.derived import cube, facts, involvement, names, organisation_lists, positions, search_index
from erasmus_kg.derived.graphs import POSITIONS, STATISTICS, STORE_WIDE, derived_graph, is_derived
from erasmus_kg.derived.readonly_sqlite import file_version
from erasmus_kg.progress import how_many, step

DERIVED_KIND = "derived"
STATISTICS_KIND = "statistics"
POSITIONS_KIND = "positions"

Loads = dict[str, tuple[Path, str, dict[str, Any]]]
"""Graph -> (N-Triples file to load into it, what it is derived from, its metadata)."""


def derive(
    store: ox.Store,
    graphs: Mapping[str, Mapping[str, Any]],
    changed: frozenset[str],
    workdir: Path,
    previous: Path | None,
    files: Mapping[str, Path] | None = None,
) -> tuple[Loads, set[str]]:
    """The derived graphs to (re)load and to drop after the loads and drops of `changed`, and the name and
    search indexes of the new build (`names.write_build_index`, `search_index.write_build_index`).

    `graphs` maps every graph of the new store to its metadata; `workdir` is a scratch directory in the new
    build's directory, `previous` the directory of the build it replaces; `files` the N-Triples file each
    graph loaded in this build from one was loaded from (an importer's derived graph: read again from there).
    """
    with step("indexing the names"):
        names.write_build_index(
            store, [g for g in graphs if not is_derived(g)], changed, workdir.parent, previous
        )
    loads: Loads = {}
    drops: set[str] = set()
    to_derive: list[tuple[str, str]] = []  # (source, its derived graph)
    for graph in sorted(changed):
        if is_derived(graph):
            continue
        target = derived_graph(graph)
        if graph not in graphs:  # dropped: its derivation goes with it
            if target in graphs:
                drops.add(target)
            continue
        if target in changed and target in graphs:
            continue  # loaded in this build with its source
        if target in graphs:
            drops.add(target)  # stale
        to_derive.append((graph, target))
    with step(f"deriving the facts of {how_many(len(to_derive), 'graph')}" if to_derive else None):
        for graph, target in to_derive:
            path = workdir / f"derived-{len(loads)}.nt"
            with path.open("wb") as out:
                facts.derive_source(store, graph, out)
            partial = cube.source_partials(store, graph)
            if partial or path.stat().st_size:  # a source without projects (a vocabulary) derives nothing
                loads[target] = (path, graph, {"kind": DERIVED_KIND, "from": graph, "statistics": partial})
    with step("building the search index"):
        _write_search_index(store, graphs, changed, loads, workdir.parent, previous, files or {})
    if not loads and not drops and not changed:
        before = previous / organisation_lists.FILE if previous is not None else None
        if before is not None and before.exists() and file_version(before) == organisation_lists.VERSION:
            shutil.copyfile(before, workdir.parent / organisation_lists.FILE)  # with the positions, kept
            return loads, drops
        # a file of another layout: the positions are written again, and the organisations' lists with them
    partials: list[list[cube.Partial]] = []
    for graph, kept in graphs.items():
        if is_derived(graph) and graph not in STORE_WIDE and graph not in drops and graph not in loads:
            partials.append(list(kept.get("statistics") or []))
    partials += [list(made["statistics"]) for _, _, made in loads.values()]
    path = workdir / "statistics.nt"
    with path.open("wb") as out:
        observations = cube.write_cube(cube.add_up(partials), out)
    if STATISTICS in graphs:
        drops.add(STATISTICS)
    loads[STATISTICS] = (
        path,
        "the statistics of every source",
        {"kind": STATISTICS_KIND, "observations": observations},
    )
    kinds = involvement.kinds(store, leaving_out=drops)  # and those of the derived graphs about to be loaded
    for derived_file, _, _ in loads.values():
        involvement.kinds_in(derived_file, kinds)
    path = workdir / "positions.nt"
    with step("ordering the lists"), path.open("wb") as out:
        listed = positions.write_positions(
            store,
            out,
            workdir.parent / organisation_lists.FILE,
            kinds,
            search_index.participation_counts(workdir.parent),  # written above
        )
    if POSITIONS in graphs:
        drops.add(POSITIONS)
    loads[POSITIONS] = (path, "the titles of every source", {"kind": POSITIONS_KIND, "listed": listed})
    return loads, drops


def _write_search_index(
    store: ox.Store,
    graphs: Mapping[str, Mapping[str, Any]],
    changed: frozenset[str],
    loads: Loads,
    build_dir: Path,
    previous: Path | None,
    files: Mapping[str, Path],
) -> None:
    """The search index, whose facets are the derived facts: those about to be loaded (`loads`), else those
    loaded in this build from a file (an importer's, `files`), else those already in the store (kept from the
    previous build)."""

    wanted = search_index.DERIVED_PREDICATES

    def derived(source: str) -> Iterable[ox.Triple]:
        target = derived_graph(source)
        # made by the build (packaged data and loaded files: small), or loaded from an importer's file: the
        # file parsed again (about 5 µs a triple) rather than the graph read back (about 17 µs)
        path = loads[target][0] if target in loads else files.get(target)
        if path is not None:
            for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
                if quad.predicate.value in wanted:
                    yield quad.triple
        else:  # read only the facets' predicates (an import's derived graph has 23 triples per project)
            for predicate in sorted(wanted):
                found = store.quads_for_pattern(None, ox.NamedNode(predicate), None, ox.NamedNode(target))
                yield from (q.triple for q in found)

    sources = [g for g in graphs if not is_derived(g)]
    search_index.write_build_index(store, sources, changed, derived, build_dir, previous)
