"""Resolving what users type into RDF terms with the graph's vocabularies, in Dutch and English."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erasmus_kg.errors import ParameterError
from erasmus_kg.query.catalogue import get_query
from erasmus_kg.query.parameters import resolve_all
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import StoreTarget

from .budget import examples

COUNTRY = "http://publications.europa.eu/resource/authority/country/"
ACTION = "https://w3id.org/erasmus-kg/vocab/action/"


def resolved(target: StoreTarget, query: str, **raw: str) -> dict[str, list[str]]:
    bindings = resolve_all(get_query(query), raw, target.query)
    return {name: [term.value for term in terms] for name, terms in bindings.items()}


@pytest.mark.parametrize(
    "value",
    [
        "Lithuania",
        "Litouwen",
        "Lituanie",
        "Litauen",
        "LITHUANIA",
        "lt",
        "LTU",
        "ltu",
        " Lithuania ",
        COUNTRY + "LTU",
    ],
)
def test_country_in_any_form(target: StoreTarget, value: str) -> None:
    assert resolved(target, "projects-by-country", country=value) == {"country": [COUNTRY + "LTU"]}


@pytest.mark.parametrize(
    ("value", "iso3"), [("EL", "GRC"), ("Griekenland", "GRC"), ("UK", "GBR"), ("GB", "GBR")]
)
def test_eu_country_codes(target: StoreTarget, value: str, iso3: str) -> None:
    assert resolved(target, "projects-by-country", country=value) == {"country": [COUNTRY + iso3]}


@pytest.mark.parametrize(
    ("value", "concept"),
    [
        ("KA1", "KA1"),
        ("ka204", "KA204"),
        ("eTwinning", "etwinning"),
        ("Kennisallianties", "knowledge-alliances"),
        ("knowledge alliances", "knowledge-alliances"),
        ("Kernactie 2", "KA2"),
    ],
)
def test_actions_by_code_or_label(target: StoreTarget, value: str, concept: str) -> None:
    assert resolved(target, "projects-by-key-action", action=value) == {"action": [ACTION + concept]}


def test_unknown_value_suggests_close_matches(target: StoreTarget) -> None:
    with pytest.raises(ParameterError) as error:
        resolved(target, "projects-by-country", country="Litauwen")
    assert str(error.value) == (
        "country: no country matches 'Litauwen'. Did you mean: Litauen, Litouwen, Litáen, Italien, Litvanya?"
    )


def test_missing_required_parameter_is_named(target: StoreTarget) -> None:
    with pytest.raises(ParameterError, match="needs the parameter 'country'"):
        resolved(target, "projects-by-country")


def test_unknown_parameter_is_refused(target: StoreTarget) -> None:
    with pytest.raises(ParameterError, match="has no parameter 'land'"):
        resolved(target, "projects-by-country", land="LT")


def test_optional_parameter_left_out_is_unbound(target: StoreTarget) -> None:
    assert resolved(target, "where-to-submit") == {"action": [], "sector": []}


def test_organisation_by_part_of_name_any_case(target: StoreTarget) -> None:
    assert resolved(target, "projects-by-organisation", organisation="LEERWINKEL") == {
        "organisation": ["https://w3id.org/erasmus-kg/id/organisation/leerwinkel-west"]
    }


def test_project_exact_acronym_before_parts_of_titles(target: StoreTarget) -> None:
    assert resolved(target, "project-details", project="eep") == {
        "project": ["https://w3id.org/erasmus-kg/id/project/eep"]
    }


@pytest.mark.parametrize(
    ("query", "raw"), [("projects-for-age", {"age": "seventeen"}), ("projects-active-in", {"year": "16"})]
)
def test_numbers_are_checked(target: StoreTarget, query: str, raw: dict[str, str]) -> None:
    with pytest.raises(ParameterError):
        resolve_all(get_query(query), raw, target.query)


def test_a_literal_match_with_quotes_returns_only_matching_rows(target: StoreTarget) -> None:
    # a real substring containing an apostrophe matches exactly what a substring search would
    results = run_stored("project-details", {"project": "pour l'avenir"}, "en", target)
    assert isinstance(results, ox.QuerySolutions)
    assert {row["project"].value for row in results} == {
        "https://w3id.org/erasmus-kg/id/project/op-weg-naar-de-toekomst"
    }


@settings(
    max_examples=examples(25, thorough=150),  # ~0.3 s each: 150 in the slow run (tests/budget.py)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=st.text(max_size=80))
def test_any_country_text_resolves_to_countries_or_is_refused(target: StoreTarget, value: str) -> None:
    from erasmus_kg.errors import ParameterError

    try:
        resolved_ = resolved(target, "projects-by-country", country=value)
    except ParameterError as error:
        assert "\n" not in str(error)
        return
    assert all(iri.startswith(COUNTRY) for iri in resolved_["country"])
    assert resolved_["country"]
