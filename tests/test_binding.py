"""Binding values into query text: a VALUES block of RDF terms at the start of the outermost group."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from erasmus_kg.query.binding import bind, outer_group_start, page_subquery, values_block, with_slice

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


def test_language_tagged_values_get_a_block_of_their_own() -> None:
    """Virtuoso 7.2.5 matches nothing from a VALUES block of several variables and rows that holds a
    language-tagged literal (issue 15): such a variable is bound by a block of its own (the same rows)."""
    label, alternative = ox.NamedNode("http://ex/label"), ox.NamedNode("http://ex/alternative")
    texts = [ox.Literal("Litouwen", language="nl"), ox.Literal("Litouwen")]
    block = values_block({"text": texts, "property": [label, alternative]})
    assert 'VALUES (?text) {\n    ("Litouwen"@nl)\n    ("Litouwen")\n  }\n' in block
    assert "VALUES (?property) {\n    (<http://ex/label>)\n    (<http://ex/alternative>)\n  }\n" in block
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/lt"), label, texts[0]))
    query = "SELECT ?s ?property WHERE { ?s ?property ?text }"
    rows = list(store.query(bind(query, {"text": texts, "property": [label, alternative]})))
    assert [(row["s"], row["property"]) for row in rows] == [(ox.NamedNode("http://ex/lt"), label)]


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


# ------------------------------------------------------------------------------------------------------------
# Properties: whatever the text, a bound value comes back as exactly that value, and nothing else runs


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
LANG = st.from_regex(r"\A[a-z]{2,3}(-[A-Za-z0-9]{2,8})?\Z")


@settings(max_examples=300, deadline=None)
@given(value=TEXT, language=st.one_of(st.none(), LANG))
def test_any_literal_comes_back_unchanged(value: str, language: str | None) -> None:
    try:
        literal = ox.Literal(value, language=language) if language else ox.Literal(value)
    except ValueError:
        return  # pyoxigraph refuses an invalid language tag: it can never reach a query
    query = "SELECT ?v (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?v"
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p"), ox.Literal("o")))
    rows = list(store.query(bind(query, {"v": [literal]})))
    assert len(rows) == 1
    assert rows[0]["v"] == literal
    assert rows[0]["n"].value == "1"  # the one triple of the store: the value added no pattern


@settings(max_examples=200, deadline=None)
@given(path=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs")), max_size=60))
def test_any_iri_is_refused_or_comes_back_unchanged(path: str) -> None:
    try:
        iri = ox.NamedNode("http://example.org/" + path)
    except ValueError:
        return  # pyoxigraph refuses what is not an IRI: it can never reach a query
    rows = list(ox.Store().query(bind("SELECT ?v WHERE { }", {"v": [iri]})))
    assert [row["v"] for row in rows] == [iri]


PAGED = """PREFIX ex: <http://example.org/>
SELECT ?item ?label WHERE {
  # page: the items in order
  {
    SELECT ?item ?rank ?kind WHERE { ?item ex:kind ?kind ; ex:rank ?rank . FILTER("}" != "{") }
    ORDER BY ?rank
  }
  ?item ex:label ?label .
}
ORDER BY ?rank
"""
PAGED_DATA = """@prefix ex: <http://example.org/> .
ex:a ex:kind ex:k ; ex:rank 3 ; ex:label "a" .
ex:b ex:kind ex:k ; ex:rank 1 ; ex:label "b" .
ex:c ex:kind ex:other ; ex:rank 2 ; ex:label "c" .
ex:d ex:kind ex:k ; ex:rank 4 ; ex:label "d" .
"""


def paged_rows(text: str) -> list[str]:
    store = ox.Store()
    store.load(PAGED_DATA.encode(), ox.RdfFormat.TURTLE)
    return [s["label"].value for s in store.query(text)]  # type: ignore[union-attr]


def test_the_page_subquery_is_found_past_braces_in_strings() -> None:
    found = page_subquery(PAGED)
    assert found is not None
    opened, where, close = found
    assert PAGED[opened] == "{" and PAGED[where - 1] == "{" and PAGED[close] == "}"
    assert PAGED[opened:close].lstrip("{ \n").startswith("SELECT ?item ?rank ?kind WHERE")
    assert PAGED[close + 1 :].lstrip().startswith("?item ex:label")
    assert page_subquery("SELECT * WHERE { ?s ?p ?o }") is None


def test_parameters_are_bound_inside_the_page_too() -> None:
    bound = bind(PAGED, {"kind": [ox.NamedNode("http://example.org/k")]})
    assert bound.count("VALUES (?kind)") == 2
    assert paged_rows(bound) == ["b", "a", "d"]
    # without the binding inside the page, its LIMIT would cut the list of every kind (b, c) first
    assert paged_rows(with_slice(bound, limit=2)) == ["b", "a"]
    assert paged_rows(with_slice(bound, limit=2, offset=2)) == ["d"]
    assert paged_rows(with_slice(bound, offset=1)) == ["a", "d"]


def test_a_page_mark_without_a_subquery_is_a_defect_of_the_query() -> None:
    with pytest.raises(ValueError, match="no subquery"):
        page_subquery("SELECT * WHERE { ?s ?p ?o }\n# page: nothing follows\n")
