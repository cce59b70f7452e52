"""What the importers share: names normalised, IRIs minted, country codes found in the packaged table."""

from __future__ import annotations

from pathlib import Path

import pytest

from erasmus_kg.importing.countries import CountryCodes
from erasmus_kg.importing.identity import normalise_name, organisation_iri, organisation_key, slug
from erasmus_kg.importing.rows import Problem
from erasmus_kg.importing.terms import literal

COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Universidad de Alcalá", "universidad de alcala"),
        ("UNIVERSIDAD  DE ALCALA.", "universidad de alcala"),
        ("  Lycée  Marie-Curie ", "lycee marie curie"),
        ('OS "Nada Popovic"', "os nada popovic"),
        (
            "Zakladni skola a materska skola Ostrava-Zabreh, Kosmonautu 15",
            "zakladni skola a materska skola ostrava zabreh kosmonautu 15",
        ),
        ("ＡＢＣ_Schule", "abc schule"),  # compatibility forms, underscores
        ("Kauno kolegija", "kauno kolegija"),
    ],
)
def test_names_are_normalised_for_case_accents_punctuation_and_spaces(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


def test_an_organisation_iri_depends_on_the_normalised_name_and_the_country() -> None:
    alcala = organisation_iri(organisation_key("Universidad de Alcalá", "ES"))
    assert alcala == "https://w3id.org/erasmus-kg/id/organisation/es-" + alcala.rsplit("-", 1)[1]
    assert len(alcala.rsplit("-", 1)[1]) == 20
    assert alcala == organisation_iri(organisation_key("UNIVERSIDAD DE ALCALA", "ES"))
    assert alcala != organisation_iri(organisation_key("Universidad de Alcalá", "PT"))
    assert alcala != organisation_iri(organisation_key("Universidad de Alcalá", None))
    assert alcala != organisation_iri(organisation_key("Universidad de Alcalá", "ES"), "pic:999999999")


@pytest.mark.parametrize(
    ("code", "country", "eu_code"),
    [
        ("EL", "GRC", "EL"),
        ("GR", "GRC", "EL"),
        ("UK", "GBR", "UK"),
        ("GB", "GBR", "UK"),
        ("lt", "LTU", "LT"),
        (" CZ ", "CZE", "CZ"),
        ("XK", "XKX", "XK"),
        ("RS", "SRB", "RS"),
    ],
)
def test_country_codes_are_eu_codes_first_then_iso(code: str, country: str, eu_code: str) -> None:
    codes = CountryCodes.packaged()
    assert codes.iri(code) == COUNTRY + country
    assert codes.serialised(code) == f"<{COUNTRY}{country}>"
    assert codes.eu_code(code) == eu_code


@pytest.mark.parametrize("code", ["ZZ", "Serbia", "", "EU", "SRB"])
def test_an_unknown_country_code_is_not_found(code: str) -> None:
    assert CountryCodes.packaged().iri(code) is None
    assert CountryCodes.packaged().serialised(code) is None


def test_slugs_and_literals() -> None:
    assert slug("School/Institute/Educational centre – General education (primary level)") == (
        "school-institute-educational-centre-general-education-primary-level"
    )
    assert slug("Ærø — ?") == "r"
    assert slug("???") == "x"
    assert literal('say "hi"\n', language="und") == '"say \\"hi\\"\\n"@und'
    assert literal("2017", "gYear") == '"2017"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert literal("plain") == '"plain"'


def test_a_problem_line_names_file_row_and_column(tmp_path: Path) -> None:
    problem = Problem(7, "Call year", "'2O17' is not a year (four digits)")
    assert (
        problem.line(tmp_path / "x.csv")
        == f"{tmp_path}/x.csv:7: column 'Call year': '2O17' is not a year (four digits)"
    )
