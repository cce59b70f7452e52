"""The default store: the embedded store with the packaged ontology and data bound once.

Every command that reads or changes the graph goes through `DefaultStore`: it is built on first use and
rebuilt when the packaged files change (see `builds.EmbeddedStore.ensure`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.derived import definitions
from erasmus_kg.derived.graphs import derived_graph, is_derived
from erasmus_kg.errors import StoreError
from erasmus_kg.namespaces import GRAPH
from erasmus_kg.store.builds import BuildInfo, EmbeddedStore, GraphInfo, Source

ONTOLOGY_GRAPH = GRAPH + "ontology"


def packaged_sources() -> list[Source]:
    """The ontology and every packaged data file, each in its own named graph (graph/<file stem>)."""
    sources = [Source(ONTOLOGY_GRAPH, resources.ontology_file(), "turtle")]
    sources += [Source(GRAPH + path.stem, path, "turtle") for path in resources.data_files()]
    for source in sources:
        if is_derived(source.graph):  # a packaging defect: builds make these graphs themselves
            raise StoreError(f"{source.path}: packaged data may not be named like a derived graph")
    return sources


class DefaultStore:
    """The store at `root` (the user data directory when None) with the packaged sources bound.

    Cheap to construct: nothing is read until a method is called.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.builds = EmbeddedStore(
            root,
            derive=_derive,
            derivation=definitions.fingerprint(),
            indexes=definitions.index_layouts(),
        )

    def __repr__(self) -> str:
        return f"DefaultStore({str(self.root)!r})"

    @property
    def root(self) -> Path:
        return self.builds.root

    @cached_property
    def packaged(self) -> list[Source]:
        return packaged_sources()

    def current_build(self) -> BuildInfo | None:
        """The current build as it is (None if there is none): nothing is built."""
        return self.builds.current_build()

    def ensure(self) -> BuildInfo:
        """The current build, made or brought up to date with the packaged sources first."""
        return self.builds.ensure(self.packaged)

    def graphs(self) -> list[GraphInfo]:
        """The named graphs of the current build, sorted by IRI."""
        return self.builds.graphs()

    @contextlib.contextmanager
    def open_reader(self) -> Iterator[ox.Store]:
        """A read-only Store on the up-to-date current build (see `EmbeddedStore.open_reader`)."""
        self.ensure()
        with self.builds.open_reader() as reader:
            yield reader

    @contextlib.contextmanager
    def open_build(self) -> Iterator[tuple[ox.Store, Path]]:
        """`open_reader`, with the directory of the build (see `EmbeddedStore.open_build`)."""
        self.ensure()
        with self.builds.open_build() as opened:
            yield opened

    def replace_graphs(
        self,
        changes: Mapping[str, Source | None],
        *,
        metadata: Mapping[str, object] | None = None,
        graph_metadata: Mapping[str, Mapping[str, object]] | None = None,
        check: Callable[[BuildInfo | None], None] | None = None,
    ) -> BuildInfo:
        """A new build with the graphs of `changes` replaced or (for None) dropped, and their derived graphs
        with them (derived again unless `changes` gives them); see `EmbeddedStore.replace_graphs`.
        `graph_metadata` gives the metadata of single graphs instead of `metadata`; `check` is called with
        the current build under the write lock, before anything is written, and may raise to refuse."""
        paired = dict(changes)
        for graph in changes:
            if not is_derived(graph):
                paired.setdefault(derived_graph(graph), None)
        return self.builds.replace_graphs(
            paired, packaged=self.packaged, metadata=metadata, graph_metadata=graph_metadata, check=check
        )


def _derive(
    store: ox.Store,
    graphs: Mapping[str, Mapping[str, Any]],
    changed: frozenset[str],
    workdir: Path,
    previous: Path | None,
    files: Mapping[str, Path],
) -> tuple[Mapping[str, tuple[Path, str, Mapping[str, Any]]], Iterable[str]]:
    """`derived.build.derive`, imported only when a build is made (not on every command's start-up)."""
    from erasmus_kg.derived.build import derive

    return derive(store, graphs, changed, workdir, previous, files)
