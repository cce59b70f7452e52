"""The named graphs that builds derive: one derived graph per source graph, and for the whole store the
statistics of them all and the projects' list positions."""

from __future__ import annotations

from urllib.parse import quote

from erasmus_kg.namespaces import GRAPH

DERIVED = GRAPH + "derived/"
"""Derived graphs: `derived/<the source graph's name>` holds what is derived from that source."""
STATISTICS = GRAPH + "statistics"
"""The observations of the statistics cube (an RDF Data Cube over every source)."""
POSITIONS = GRAPH + "list-positions"
"""Every project's place in the lists, `ekg:listPosition` (`positions`): one graph for the whole store."""


def derived_graph(source: str) -> str:
    """The derived graph of the source graph `source`."""
    if source.startswith(GRAPH):
        return DERIVED + source[len(GRAPH) :]
    return DERIVED + "external/" + quote(source, safe="")


def is_derived(graph: str) -> bool:
    """Whether `graph` is one that builds derive (a derived graph, the statistics, the list positions), not a
    source."""
    return graph.startswith(DERIVED) or graph in STORE_WIDE


STORE_WIDE = frozenset({STATISTICS, POSITIONS})
"""The derived graphs made from every source at once (the others each derive from one source)."""
