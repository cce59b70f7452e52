"""The countries of a project as one cell (derived.country_cells): the count and codes countries-per-project
shows are SPARQL's COUNT(DISTINCT) and STRAFTER of the project's countries, the codes in code-point order;
both derivations write them; a project without a country has neither (the query shows 0 and "")."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from erasmus_kg.derived import country_cells

from .test_derived import recomputed_country_cells

EU = "http://publications.europa.eu/resource/authority/country/"
PROJECT = ox.NamedNode("https://example.org/project/1")
INVOLVES = ox.NamedNode(country_cells.INVOLVES_COUNTRY)

COUNTRY = st.one_of(
    st.sampled_from(["DEU", "BEL", "ISL", "GBR", "", "a/authority/country/b", "é"]).map(
        lambda code: ox.NamedNode(EU + code)
    ),
    st.sampled_from(["https://example.org/land/1", "urn:x:authority/country/ZZ"]).map(ox.NamedNode),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8).map(ox.Literal),
)


def test_the_codes_are_distinct_in_code_point_order_and_the_count_counts_countries() -> None:
    countries = [ox.NamedNode(EU + c) for c in ("NLD", "BEL", "ISL", "BEL")]
    countries.append(ox.NamedNode("https://example.org/elsewhere"))
    countries.append(ox.NamedNode("https://example.org/also-elsewhere"))
    assert country_cells.project_triples(PROJECT, countries) == [
        ox.Triple(
            PROJECT,
            ox.NamedNode(country_cells.COUNT),
            ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        # two countries outside the EU table: one empty code, first in code-point order
        ox.Triple(PROJECT, ox.NamedNode(country_cells.CODES), ox.Literal("; BEL; ISL; NLD")),
    ]
    assert country_cells.project_triples(PROJECT, []) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), COUNTRY), max_size=12))
def test_the_cells_are_what_sparql_counts_and_strafter_give(links: list[tuple[int, ox.Term]]) -> None:
    involves = [
        ox.Triple(ox.NamedNode(f"https://example.org/project/{n}"), INVOLVES, country) for n, country in links
    ]
    assert set(country_cells.cell_triples(involves)) == recomputed_country_cells(involves)
