"""Whether a query's order is total at the level a slice cuts (`query.ordering`): what decides that an answer
a server cut can be fetched in pages."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import get_query, load_catalogue
from erasmus_kg.query.ordering import unordered
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import StoreTarget

LISTS = [q.name for q in load_catalogue() if "# page:" in q.text]
"""The stored lists (a page subquery): the queries whose answers grow with the data."""


def test_there_are_lists() -> None:
    assert len(LISTS) >= 10


@pytest.mark.parametrize("name", LISTS)
def test_every_stored_list_has_a_total_order(target: StoreTarget, name: str) -> None:
    """With each parameter bound to one value, the page subquery's ORDER BY sorts by every variable that can
    tell its rows apart (the list position, then the project, organisation or role): Virtuoso's cut answers
    of these lists are fetched in pages."""
    query = get_query(name)
    params = {p.name: p.example for p in query.params if p.example}
    assert unordered(prepare(name, params, "en", target)) is None


def test_a_parameter_of_several_values_makes_ties() -> None:
    """Two countries: a project that involves both is in the page subquery twice, with one position."""
    countries = [
        ox.NamedNode("http://publications.europa.eu/resource/authority/country/LTU"),
        ox.NamedNode("http://publications.europa.eu/resource/authority/country/DEU"),
    ]
    text = bind(get_query("projects-by-country").text, {"country": countries, "lang": [ox.Literal("en")]})
    assert unordered(text) == "its ORDER BY does not sort by the projected variable ?country"


@pytest.mark.parametrize(
    ("query", "why_not"),
    [
        ("SELECT ?s WHERE { ?s ?p ?o }", "it has no ORDER BY"),
        ("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o", None),
        ("SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o } ORDER BY DESC(?o) ASC(?s)", None),
        (
            "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s",
            "its ORDER BY does not sort by the projected variable ?o",
        ),
        (  # two labels with the same text (another language, another datatype) tie
            "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY STR(?o) ?s",
            "its ORDER BY does not sort by the projected variable ?o",
        ),
        ("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n) ?s", None),
        (
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s ORDER BY DESC(?n)",
            "its ORDER BY does not sort by the group key ?s",
        ),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } ORDER BY ?n", None),  # one row
        (
            "SELECT ?s (STR(?o) AS ?t) WHERE { ?s ?p ?o } GROUP BY ?s (STR(?o)) ORDER BY ?s",
            "it groups by an expression",
        ),
        # a VALUES block at the top that gives a variable one value binds it to that value in every row
        ("SELECT ?s ?p ?o WHERE { VALUES (?p) { (<urn:p>) } ?s ?p ?o } ORDER BY ?s ?o", None),
        (
            "SELECT ?s ?p ?o WHERE { VALUES (?p ?q) { (<urn:p> 1) (<urn:p> 2) } ?s ?p ?o } ORDER BY ?s ?o",
            None,
        ),
        (
            "SELECT ?s ?p ?o WHERE { VALUES ?p { <urn:p> <urn:q> } ?s ?p ?o } ORDER BY ?s ?o",
            "its ORDER BY does not sort by the projected variable ?p",
        ),
        # ... and picks one row of a block whose rows each give that variable another value
        (
            'SELECT ?s ?p ?o WHERE { VALUES ?lang { "en" } VALUES (?lang ?p) { ("nl" <urn:nl>) ("en" '
            "<urn:en>) } ?s ?p ?o } ORDER BY ?s ?o",
            None,
        ),
        (  # not when two rows give the same value
            'SELECT ?s ?p ?o WHERE { VALUES ?lang { "en" } VALUES (?lang ?p) { ("en" <urn:a>) ("en" '
            "<urn:b>) } ?s ?p ?o } ORDER BY ?s ?o",
            "its ORDER BY does not sort by the projected variable ?p",
        ),
        (  # a block in an OPTIONAL binds nothing for certain
            "SELECT ?s ?p WHERE { ?s a ?c OPTIONAL { VALUES ?p { <urn:p> } ?s ?p ?o } } ORDER BY ?s",
            "its ORDER BY does not sort by the projected variable ?p",
        ),
        ("ASK { ?s ?p ?o }", "it is not a SELECT query"),
        ("SELECT ?s WHERE { ?s ?p", "its order cannot be read (ParseException)"),
    ],
)
def test_when_the_order_is_total(query: str, why_not: str | None) -> None:
    assert unordered(query) == why_not


def test_the_page_subquery_is_the_level_that_counts() -> None:
    """The slice of a list goes into its page subquery: its ORDER BY decides, not the outer one."""
    text = (
        "SELECT ?s ?label WHERE {\n  # page: one row per ?s\n"
        "  { SELECT ?s ?n WHERE { ?s <urn:n> ?n } ORDER BY ?n }\n"
        "  ?s <urn:label> ?label\n} ORDER BY ?n\n"
    )
    assert unordered(text) == "its ORDER BY does not sort by the projected variable ?s"
    assert unordered(text.replace("ORDER BY ?n }", "ORDER BY ?n ?s }")) is None
