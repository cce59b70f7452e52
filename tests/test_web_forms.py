"""The stored queries as forms (/queries, /queries/{name}): fields from the header, results paged with their
total in the page's language, errors beside the form with the CLI's suggestions, hostile values escaped."""

from __future__ import annotations

import re

import pytest

from erasmus_kg.derived.normal import normal

from .test_hostile_values import IDS, VALUES


def test_every_query_is_listed_and_has_a_form(web_client) -> None:
    listing = web_client.get("/queries?lang=en").text
    names = re.findall(r'<li><a href="/queries/([^"]+)">', listing)
    assert "projects-by-country" in names and len(names) >= 16
    for name in names:
        assert web_client.get(f"/queries/{name}").status_code == 200, name


def test_the_form_in_dutch_answers_with_a_table(web_client) -> None:
    html = web_client.get("/queries/projects-by-country", params={"country": "Litouwen", "lang": "nl"}).text
    assert '<input id="param-country" name="country" value="Litouwen"' in html
    assert '<p class="count">1-2 van 2 rijen</p>' in html
    assert "<th>Titel</th><th>Acroniem</th>" in html
    assert '<td><a href="/id/project/goal">project:goal</a></td>' in html
    assert 'href="/api/queries/projects-by-country?country=Litouwen&amp;lang=nl&amp;format=csv"' in html


def test_pages_tell_the_truth(web_client) -> None:
    first = web_client.get("/queries/projects?lang=en").text
    assert '<p class="count">1-10 of 10 rows</p>' in first
    beyond = web_client.get("/queries/projects?lang=en&page=2").text
    assert '<p class="count">10 rows</p>' in beyond
    assert 'rel="prev"' in beyond and 'rel="next"' not in beyond


def test_an_unknown_value_is_shown_with_suggestions(web_client) -> None:
    response = web_client.get("/queries/projects-by-country", params={"country": "Litouwn", "lang": "nl"})
    assert response.status_code == 400
    assert "Did you mean: Litouwen" in response.text
    assert web_client.get("/queries/no-such-query").status_code == 404


@pytest.mark.parametrize(
    "value",
    [v for v in VALUES if len(v) < 4000],
    ids=[i for v, i in zip(VALUES, IDS, strict=True) if len(v) < 4000],
)
def test_hostile_values_in_every_field(value: str, web_client) -> None:
    from erasmus_kg.query.catalogue import load_catalogue

    for query in load_catalogue():
        for param in query.params:
            response = web_client.get(f"/queries/{query.name}", params={param.name: value})
            assert response.status_code in (200, 400), (query.name, param.name)
            assert "<script>alert" not in response.text


def test_the_form_speaks_dutch(web_client) -> None:
    html = web_client.get("/queries/projects-by-country?lang=nl").text
    assert "<p>Projecten die een land betrekken</p>" in html
    assert '<label for="param-country">Land *</label>' in html
    assert "De naam van het land in een EU-taal" in html
    english = web_client.get("/queries/projects-by-country?lang=en").text
    assert '<label for="param-country">Country *</label>' in english


def test_every_query_has_a_dutch_summary() -> None:
    from erasmus_kg.query.catalogue import load_catalogue

    for query in load_catalogue():
        assert query.summary_nl and query.summary_nl != query.summary, query.name


@pytest.mark.parametrize(("lang", "name"), [("nl", "Litouwen"), ("en", "Lithuania")])
def test_concept_fields_suggest_their_schemes_values(web_client, lang: str, name: str) -> None:
    page = web_client.get("/queries/projects-by-country", params={"lang": lang}).text
    assert 'list="choices-country"' in page
    options = re.findall(
        r'<option value="([^"]+)"(?: label="([^"]*)")?></option>',
        page.split('<datalist id="choices-country">')[1].split("</datalist>")[0],
    )
    assert (name, "LT") in options and len(options) > 200
    answered = web_client.get("/queries/projects-by-country", params={"lang": lang, "country": name})
    assert answered.status_code == 200 and "/id/project/goal" in answered.text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_concept_suggestions_are_in_reading_order(web_client, lang: str) -> None:
    page = web_client.get("/queries/projects-by-country", params={"lang": lang}).text
    values = re.findall(
        r'<option value="([^"]+)"',
        page.split('<datalist id="choices-country">')[1].split("</datalist>")[0],
    )
    assert values == sorted(values, key=lambda value: (normal(value), value))  # as a reader looks them up
    assert values != sorted(values)  # which is not the order of the code points


def test_fields_without_a_scheme_suggest_nothing(web_client) -> None:
    page = web_client.get("/queries/projects-by-organisation", params={"lang": "en"}).text
    assert "<datalist" not in page
