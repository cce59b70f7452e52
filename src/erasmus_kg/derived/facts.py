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

The kinds of the country involvements (`ekg:involvementKind`, `derived.involvement`) are made here from the
triples of queries/derived/country-involvement.rq, and each project's count and codes of its countries
(`ekg:involvedCountryCount`, `ekg:involvedCountryCodes`, `derived.country_cells`) from those of
queries/derived/involves-country.rq: a kind names a set of ways, and the codes a set of countries, in a
defined order, which SPARQL cannot do.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.derived import country_cells, definitions, involvement

COUNTRY_INVOLVEMENT = "country-involvement"
"""The definition whose triples the kinds of involvement are made from."""
INVOLVES_COUNTRY = "involves-country"
"""The definition whose triples the projects' country counts and codes are made from."""


def derive_source(store: ox.Store, source: str, out: BinaryIO) -> None:
    """Write the derived triples of the projects of graph `source` to `out` as N-Triples."""
    for name, text in definitions.facts().items():
        triples = store.query(text, use_default_graph_as_union=True, named_graphs=[ox.NamedNode(source)])
        assert isinstance(triples, ox.QueryTriples)
        if name == COUNTRY_INVOLVEMENT:
            found = list(triples)
            ox.serialize([*found, *involvement.kind_triples(found)], out, ox.RdfFormat.N_TRIPLES)
        elif name == INVOLVES_COUNTRY:
            found = list(triples)
            ox.serialize([*found, *country_cells.cell_triples(found)], out, ox.RdfFormat.N_TRIPLES)
        else:
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
