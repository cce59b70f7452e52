"""Kinds of country involvement: the set of ways a project involves a country, as one node with one label.

`ekg:countryInvolvement` gives, per project and country, a node with every way the project involves the
country (`ekg:involvedAs`: the roles of its organisations there, `ekg:participatingCountry`,
`ekg:destinationCountry`; queries/derived/country-involvement.rq). A list of the projects of a country shows
those ways in one cell. SPARQL can join them only with GROUP_CONCAT, whose order the standard leaves to the
engine (Oxigraph's is the order of its internal term ids), so neither another store nor the search index
could give the same cell, and the aggregate over every row of a country cost most of the query's time.

So every node also has its kind (`ekg:involvementKind`): one IRI per set of ways (`kind_iri`, made from the
ways' IRIs in code-point order, the same in every source and build), described in the derived graph
(`ekg:InvolvementKind`, and each of its ways by `ekg:involvementWay`). Its label is derived with the store's
other shown labels (`positions.kind_label`): the shown labels of its ways in reading order, joined by "; ".
A store holds a few kinds (eight at 327,000 projects): a label is looked up once a kind, not made once a row.
The kinds are made in Python, from the involvement triples, by both derivations: the
build's (`derived.facts`) and the importer's (`importing.derivation`); SPARQL cannot name a set in a defined
order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from erasmus_kg.namespaces import EKG, ID, RDF, VOCAB

KINDS = ID + "involvement-kind/"
"""The namespace of the kinds."""

INVOLVEMENT_KIND = EKG + "involvementKind"
INVOLVEMENT_WAY = EKG + "involvementWay"
KIND_CLASS = EKG + "InvolvementKind"
INVOLVED_AS = EKG + "involvedAs"

_ROLE = VOCAB + "role/"


def kind_iri(ways: Iterable[str]) -> str:
    """The IRI of the kind of a node with these ways (IRIs): `<KINDS><way>+<way>...`, each way by its name
    (a role's, or an ontology property's, local name), any other way by its whole IRI percent-encoded, in
    code-point order of the ways' IRIs."""
    names = []
    for way in sorted(set(ways)):
        if way.startswith(_ROLE) and "/" not in way[len(_ROLE) :]:
            names.append(quote(way[len(_ROLE) :], safe="-._~"))
        elif way.startswith(EKG):
            names.append(quote(way[len(EKG) :], safe="-._~"))
        else:
            names.append(quote(way, safe=""))
    return KINDS + "+".join(names)


def kind_triples(involvements: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The kinds of the involvement nodes of `involvements` (the triples of
    queries/derived/country-involvement.rq): each node's `ekg:involvementKind`, and each kind described once
    (its type, its ways)."""
    ways: dict[ox.NamedNode, set[str]] = {}
    for triple in involvements:
        subject, way = triple.subject, triple.object
        is_way = triple.predicate.value == INVOLVED_AS
        if is_way and isinstance(subject, ox.NamedNode) and isinstance(way, ox.NamedNode):
            ways.setdefault(subject, set()).add(way.value)
    kinds: dict[str, frozenset[str]] = {}
    found = []
    for node, of_node in sorted(ways.items(), key=lambda item: item[0].value):
        kind = kind_iri(of_node)
        kinds[kind] = frozenset(of_node)
        found.append(ox.Triple(node, ox.NamedNode(INVOLVEMENT_KIND), ox.NamedNode(kind)))
    for kind, of_kind in sorted(kinds.items()):
        found += described(kind, of_kind)
    return found


def described(kind: str, ways: Iterable[str]) -> list[ox.Triple]:
    """The triples that describe a kind: its type and each of its ways."""
    node = ox.NamedNode(kind)
    return [
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(KIND_CLASS)),
        *(ox.Triple(node, ox.NamedNode(INVOLVEMENT_WAY), ox.NamedNode(way)) for way in sorted(ways)),
    ]


KINDS_QUERY = f"""PREFIX ekg: <{EKG}>
SELECT ?g ?kind ?way WHERE {{ GRAPH ?g {{ ?kind a ekg:InvolvementKind ; ekg:involvementWay ?way }} }}"""
"""Every kind of the store and its ways, by graph (each derived graph describes the kinds it uses)."""

Kinds = dict[str, set[str]]
"""The IRI of a kind -> the IRIs of its ways."""


def kinds(store: ox.Store, *, leaving_out: Iterable[str] = ()) -> Kinds:
    """Every kind described in the store's graphs, but those of `leaving_out`, with its ways."""
    left_out = set(leaving_out)
    results = store.query(KINDS_QUERY)
    assert isinstance(results, ox.QuerySolutions)
    found: Kinds = {}
    for graph, kind, way in results:
        if isinstance(kind, ox.NamedNode) and isinstance(way, ox.NamedNode):
            if isinstance(graph, ox.NamedNode) and graph.value in left_out:
                continue
            found.setdefault(kind.value, set()).add(way.value)
    return found


def kinds_in(path: Path, found: Kinds) -> None:
    """Add to `found` the kinds an N-Triples file of derived triples describes (its `ekg:involvementWay`
    lines: only those are parsed, a derived graph has about 23 triples a project)."""
    marker = f"<{INVOLVEMENT_WAY}>".encode()
    with path.open("rb") as file:
        lines = b"".join(line for line in file if marker in line)
    for quad in ox.parse(lines, ox.RdfFormat.N_TRIPLES):
        kind, way = quad.subject, quad.object
        if isinstance(kind, ox.NamedNode) and isinstance(way, ox.NamedNode):
            found.setdefault(kind.value, set()).add(way.value)
