"""Shapes of query that Oxigraph evaluates without the values bound outside them (LIBRARY-NOTES): a UNION, or
an OPTIONAL whose group holds another OPTIONAL or a UNION, is evaluated over the whole store and joined
afterwards. In a query about one resource that turns a lookup into a scan (a project page took 89 s at
327,000 projects with `OPTIONAL { ?participation ekg:role ?role OPTIONAL { ?role ... } }`). Every query is
parsed by rdflib's SPARQL parser and its algebra searched for them; the few whole-store queries that need
one say why here."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

QUERIES = Path(__file__).resolve().parents[1] / "queries"
WHOLE_STORE = {
    # evaluated once per build over every organisation (derived/positions.py), never for one resource
    "internal/organisation-order.rq",
}


def nested_in_optional(node: object, inside: bool = False) -> list[str]:
    """The names of the operators (LeftJoin, Union) found inside the right-hand side of a LeftJoin."""
    found: list[str] = []
    if isinstance(node, CompValue):
        if inside and node.name in ("LeftJoin", "Union"):
            found.append(node.name)
        for key, value in node.items():
            found += nested_in_optional(value, inside or (node.name == "LeftJoin" and key == "p2"))
    elif isinstance(node, list | tuple):
        for value in node:
            found += nested_in_optional(value, inside)
    return found


@pytest.mark.parametrize(
    "path", sorted(str(p.relative_to(QUERIES)) for p in QUERIES.rglob("*.rq")), ids=lambda p: p
)
def test_no_optional_holds_a_nested_optional_or_union(path: str) -> None:
    algebra = prepareQuery((QUERIES / path).read_text(encoding="utf-8")).algebra
    found = nested_in_optional(algebra)
    assert bool(found) == (path in WHOLE_STORE), f"{path}: {found}"


def test_the_check_finds_the_shape() -> None:
    query = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
    SELECT * WHERE { ?p ekg:participation ?x OPTIONAL { ?x ekg:role ?r OPTIONAL { ?r ekg:label ?l } } }"""
    assert nested_in_optional(prepareQuery(query).algebra) == ["LeftJoin"]
    flat = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
    SELECT * WHERE { ?p ekg:participation ?x OPTIONAL { ?x ekg:role ?r } OPTIONAL { ?r ekg:label ?l } }"""
    assert nested_in_optional(prepareQuery(flat).algebra) == []
