"""Taking a loaded or imported source out of the store (`erasmus-kg remove`).

An imported list may hold the superseded copies of projects that it owned no more, or own projects whose
copies in other lists it superseded: removing it imports those lists again from their kept files
(`run.remove_list`), in the same build, so that every project is described by the newest list left.
"""

from __future__ import annotations

from pathlib import Path

from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import find_source


def remove_source(root: Path | None, source: str) -> str:
    """Remove the graph that `source` names (its IRI, or the name or path of its file); returns its IRI."""
    store = DefaultStore(root)
    graph = find_source(store, source)
    if graph.metadata.get("kind") == "import":
        from erasmus_kg.importing.run import remove_list

        remove_list(store, graph.iri)
    else:
        store.replace_graphs({graph.iri: None})
    return graph.iri
