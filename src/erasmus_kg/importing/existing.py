"""What the store already holds about the nodes an import describes, in graphs other than the one it replaces
(and, when a removal imports another list again, the graph being removed).

An organisation or a concept can be described by several imports (a university in two exports and in the
ECHE list). The union of the graphs must still conform: an organisation has one name (skos:prefLabel), one
region, one locality; a concept one label per language. So an import that describes a node that another
graph already names takes that graph's values for these properties (its own differing name becomes a
skos:altLabel), and every graph stays valid on its own as well. The same lookup finds an organisation by its
PIC, and tells whether a project is already in another graph.

Without a store (`--output`) nothing is found: the file is what a fresh store would get.
"""

from __future__ import annotations

from collections.abc import Collection

import pyoxigraph as ox

from erasmus_kg.importing.terms import RDF_TYPE
from erasmus_kg.namespaces import EKG

_PIC = ox.NamedNode(EKG + "pic")
_COUNTRY = ox.NamedNode(EKG + "country")
_TYPE = ox.NamedNode(RDF_TYPE)


class ExistingFacts:
    """Point lookups on a read-only store, ignoring the graphs `ignored`: the import's own (about to be
    replaced) and any the same switch removes, whose facts the store will no longer hold."""

    def __init__(self, store: ox.Store | None = None, ignored: Collection[str] = ()) -> None:
        self._store = store
        self._ignored = frozenset(ox.NamedNode(graph) for graph in ignored)

    def values(self, subject: str, predicate: str) -> list[str]:
        """The objects (serialised, sorted) of `subject predicate ?o` in the other graphs; IRIs serialised."""
        if self._store is None:
            return []
        found = {
            str(quad.object)
            for quad in self._store.quads_for_pattern(_node(subject), _node(predicate), None, None)
            if quad.graph_name not in self._ignored
        }
        return sorted(found)

    def graphs_of(self, subject: str) -> list[str]:
        """The other graphs in which `subject` has a type (serialised IRI in, plain graph IRIs out)."""
        if self._store is None:
            return []
        return sorted(
            {
                quad.graph_name.value
                for quad in self._store.quads_for_pattern(_node(subject), _TYPE, None, None)
                if quad.graph_name not in self._ignored and isinstance(quad.graph_name, ox.NamedNode)
            }
        )

    def organisation_with_pic(self, pic: str, country: str) -> str | None:
        """The organisation (serialised IRI) with this PIC and this country (serialised) in another graph."""
        if self._store is None:
            return None
        candidates = sorted(
            str(quad.subject)
            for quad in self._store.quads_for_pattern(None, _PIC, ox.Literal(pic), None)
            if quad.graph_name not in self._ignored
        )
        country_node = _node(country)
        for candidate in candidates:
            if any(
                True for _ in self._store.quads_for_pattern(_node(candidate), _COUNTRY, country_node, None)
            ):
                return candidate
        return None


def _node(serialised: str) -> ox.NamedNode:
    return ox.NamedNode(serialised[1:-1])
