"""Binding values into query text: a VALUES block of RDF terms at the start of the outermost group."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from erasmus_kg.binding import bind, outer_group_start, values_block

LTU = ox.NamedNode("http://publications.europa.eu/resource/authority/country/LTU")


def test_block_is_inserted_after_the_where_brace() -> None:
    query = "PREFIX ex: <http://ex/{}>\n# a { in a comment\nSELECT ?x WHERE { ?x ex:p ?country }"
    bound = bind(query, {"country": [LTU]})
    assert bound.startswith("PREFIX ex: <http://ex/{}>\n# a { in a comment\nSELECT ?x WHERE {\n")
    assert (
        "VALUES (?country) {\n    (<http://publications.europa.eu/resource/authority/country/LTU>)\n  }"
        in bound
    )
    assert bound.endswith("?x ex:p ?country }")


def test_braces_in_strings_are_skipped() -> None:
    query = 'SELECT ("{" AS ?a) (""" } { """ AS ?b) (\'\\\'{\' AS ?c) WHERE { ?s ?p ?o }'
    assert query[outer_group_start(query) - 1 :].startswith("{ ?s")


def test_literals_are_escaped_by_pyoxigraph() -> None:
    hostile = ox.Literal('x" } UNION { ?s ?p ?o } #\n\\', language="en")
    block = values_block({"v": [hostile]})
    assert '"x\\" } UNION { ?s ?p ?o } #\\n\\\\"@en' in block


def test_several_values_and_undef() -> None:
    block = values_block({"b": [ox.Literal("1"), ox.Literal("2")], "a": []})
    assert 'VALUES (?a ?b) {\n    (UNDEF "1")\n    (UNDEF "2")\n  }' in block


def test_bound_values_are_seen_by_filters_and_optionals() -> None:
    store = ox.Store()
    store.add(
        ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/l"), ox.Literal("A", language="en"))
    )
    store.add(
        ox.Quad(ox.NamedNode("http://ex/a"), ox.NamedNode("http://ex/l"), ox.Literal("B", language="nl"))
    )
    query = "SELECT ?l WHERE { ?s ?p ?any OPTIONAL { ?s <http://ex/l> ?l FILTER(LANG(?l) = ?lang) } }"
    rows = {row["l"].value for row in store.query(bind(query, {"lang": [ox.Literal("nl")]}))}
    assert rows == {"B"}


def test_only_terms_can_be_bound() -> None:
    with pytest.raises(TypeError):
        values_block({"v": ["plain text"]})  # type: ignore[list-item]


def test_variable_names_are_checked() -> None:
    with pytest.raises(ValueError):
        values_block({"v) } DROP ALL #": [LTU]})


def test_a_query_without_a_group_is_refused() -> None:
    with pytest.raises(ValueError):
        bind("ASK", {"v": [LTU]})
