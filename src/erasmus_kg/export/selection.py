"""A store seen without some of its named graphs: what `export --no-derived` writes (the sources only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import IO

import pyoxigraph as ox

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


class GraphSelection:
    """The quads of `store` outside the named graphs `excluded`, read through the three methods the export
    uses (`named_graphs`, `quads_for_pattern`, `dump`), streamed like the store's own."""

    def __init__(self, store: ox.Store, excluded: Iterable[str]) -> None:
        self.store = store
        self.excluded = frozenset(excluded)

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        return (g for g in self.store.named_graphs() if g.value not in self.excluded)

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
        graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
    ) -> Iterator[ox.Quad]:
        if graph_name is not None:
            if not isinstance(graph_name, ox.DefaultGraph) and graph_name.value in self.excluded:
                return iter(())
            return self.store.quads_for_pattern(subject, predicate, object, graph_name)
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [
            ox.DefaultGraph(),
            *self.named_graphs(),
        ]
        return chain.from_iterable(
            self.store.quads_for_pattern(subject, predicate, object, g) for g in graphs
        )

    def dump(
        self, output: IO[bytes], format: ox.RdfFormat, *, prefixes: dict[str, str] | None = None
    ) -> None:
        ox.serialize(self.quads_for_pattern(None, None, None, None), output, format, prefixes=prefixes)


Quads = ox.Store | GraphSelection
"""What the export reads: a whole store, or a selection of its graphs."""


def sources_only(store: ox.Store) -> GraphSelection:
    """`store` without the graphs every build derives (its derived graphs and statistics)."""
    from erasmus_kg.derived.graphs import is_derived

    return GraphSelection(store, [g.value for g in store.named_graphs() if is_derived(g.value)])
