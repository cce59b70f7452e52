"""What `erasmus-kg info` reports: the size of the graph and where it comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from erasmus_kg.derived.graphs import is_derived
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.targets import StoreTarget
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import origin


def graph_statistics(root: Path | None) -> dict[str, Any]:
    store = DefaultStore(root)
    build = store.ensure()
    with store.open_reader() as reader:
        results = StoreTarget(reader).query(internal_query("statistics"))
        assert isinstance(results, ox.QuerySolutions)
        row = next(iter(results))
        counts = {name: int(_literal(row, name)) for name in ("projects", "organisations", "countries")}
    return {
        "store": str(store.root),
        "triples": build.triples,
        **counts,
        "sources": [
            {
                "graph": graph.iri,
                "triples": graph.triples,
                "source": origin(graph),
                "packaged": graph.packaged,
            }
            for graph in store.graphs()
            if not is_derived(graph.iri)
        ],
        "derived": [
            {"graph": graph.iri, "triples": graph.triples, "from": origin(graph)}
            for graph in store.graphs()
            if is_derived(graph.iri)
        ],
    }


def _literal(row: ox.QuerySolution, name: str) -> str:
    term = row[name]
    assert isinstance(term, ox.Literal), name
    return term.value
