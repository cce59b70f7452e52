"""The derived facts of a source graph, by their definitions: one SPARQL CONSTRUCT per derived property in
`queries/derived/*.rq` (the properties are declared in the ontology), evaluated for the projects of one
source.

Every definition starts from `GRAPH ?source { ?project a ekg:Project }`: the build gives the query the source
graph as its only named graph, and the union of all graphs as its default graph, from which it reads the other
facts it needs (the vocabularies, the organisations' countries). So the derived graph of a source holds
exactly what is derived about the projects that source describes, and the union of the derived graphs is what
the definitions give over the whole store. This is the reference derivation: it runs on the new build for
packaged data and loaded files; an importer may write the same triples while it reads its rows (the tests
compare the two).
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.derived import definitions


def derive_source(store: ox.Store, source: str, out: BinaryIO) -> None:
    """Write the derived triples of the projects of graph `source` to `out` as N-Triples."""
    for text in definitions.facts().values():
        triples = store.query(text, use_default_graph_as_union=True, named_graphs=[ox.NamedNode(source)])
        assert isinstance(triples, ox.QueryTriples)
        ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
