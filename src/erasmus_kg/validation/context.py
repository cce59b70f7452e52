"""The packaged context of a batch: what the shapes look at beyond a batch's own triples.

The shapes (ontology/shapes.ttl) look at the nodes a focus node points to only through their rdf:type (and
rdfs:subClassOf: `sh:class`) and skos:inScheme (`ekgsh:CountryShape`, `ekgsh:LanguageShape`). Those
triples of the packaged ontology and data are added to every batch, by pySHACL's runs (`batches`) and by the
screen (`screen`) alike, so that both see the same data graph.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.namespaces import PREFIXES

CONTEXT_PREDICATES = frozenset(
    {PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "subClassOf", PREFIXES["skos"] + "inScheme"}
)
"""What the shapes look at on nodes outside a focus node's own triples (see the module docstring)."""


@cache
def packaged_context() -> str:
    """N-Triples: the rdf:type, rdfs:subClassOf and skos:inScheme triples of the packaged ontology and
    data."""
    paths = [resources.ontology_file(), *resources.data_files()]
    lines = []
    for path in paths:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate.value in CONTEXT_PREDICATES:
                lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
    return "".join(sorted(set(lines)))


def own_triples(text: str) -> int:
    """How many distinct triples of N-Triples `text` are not in the packaged context."""
    context = _context_lines()
    return sum(1 for line in set(text.split("\n")) if line and line[0] != "#" and line not in context)


@cache
def _context_lines() -> frozenset[str]:
    return frozenset(packaged_context().split("\n"))
