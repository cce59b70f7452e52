"""The embedded default store: the packaged ontology and data (and imported datasets) in Oxigraph on disk.

The store is built on first use and rebuilt when the packaged files change (see `store.EmbeddedStore`);
every command that reads the graph goes through `open_target`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from . import resources
from .namespaces import GRAPH
from .querying import StoreTarget
from .store import EmbeddedStore, Source

ONTOLOGY_GRAPH = GRAPH + "ontology"


def packaged_sources() -> list[Source]:
    """The ontology and every packaged data file, each in its own named graph (graph/<file stem>)."""
    sources = [Source(ONTOLOGY_GRAPH, resources.ontology_file(), "turtle")]
    sources += [Source(GRAPH + path.stem, path, "turtle") for path in resources.data_files()]
    return sources


def embedded_store(root: Path | None) -> EmbeddedStore:
    return EmbeddedStore(root)


@contextlib.contextmanager
def open_target(root: Path | None) -> Iterator[StoreTarget]:
    """A query target on the current build of the store at `root` (the default place when None)."""
    store = EmbeddedStore(root)
    store.ensure(packaged_sources())
    with store.open_reader() as reader:
        yield StoreTarget(reader)
