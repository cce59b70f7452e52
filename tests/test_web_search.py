"""Search (/search): projects ranked from the full-text index with facets that narrow them and paging,
names (countries, actions, sectors, themes, organisations) as people type them; hostile text never breaks
the page nor reaches it unescaped."""

from __future__ import annotations

import html
import re

import pytest

from erasmus_kg.web import search

from .test_hostile_values import IDS, VALUES


def _projects(page: str) -> tuple[int, list[str]]:
    section = page.split('<section class="search-projects">')[1].split("</section>")[0]
    total = re.search(r'<span class="count">\(([\d.,]+)\)</span>', section)
    assert total is not None
    return int(total.group(1).replace(".", "").replace(",", "")), re.findall(
        r'<li><a href="/id/project/([^"]+)">', section
    )


def _named(page: str) -> list[tuple[str, str]]:
    if '<section class="search-named">' not in page:
        return []
    section = page.split('<section class="search-named">')[1].split("</section>")[0]
    return [
        (html.unescape(name), html.unescape(detail))
        for name, detail in re.findall(
            r'<a href="[^"]+">([^<]+)</a> <span class="detail">([^<]+)</span>', section
        )
    ]


def _facet_links(page: str, facet: str) -> dict[str, str]:
    block = page.split(f'data-facet="{facet}"')[1].split("</section>")[0]
    return {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    }


@pytest.mark.parametrize("typed", ["Litouwen", "LITOUWEN", "litouwen", "Lithuania", "LT"])
def test_a_country_as_people_type_it(typed: str, web_client) -> None:
    page = web_client.get("/search", params={"q": typed, "lang": "nl"}).text
    assert ("Litouwen", "Land · 2 projecten") in _named(page)
    assert '<a href="/country/LTU">Litouwen</a>' in page


def test_everyday_names_and_project_names(web_client) -> None:
    britain = web_client.get("/search", params={"q": "Groot-Brittannië", "lang": "en"}).text
    assert _named(britain) == [("United Kingdom", "Country · 3 projects")]
    assert _projects(web_client.get("/search", params={"q": "goal", "lang": "en"}).text) == (1, ["goal"])
    nothing = web_client.get("/search", params={"q": "zzzqqq", "lang": "en"}).text
    assert _projects(nothing) == (0, []) and _named(nothing) == [] and "Nothing found for" in nothing


def test_a_facet_narrows_and_its_filter_comes_off_again(web_client) -> None:
    page = web_client.get("/search", params={"q": "begeleid", "lang": "en"}).text
    total, found = _projects(page)
    assert total == 7 and len(found) == 7
    country = _facet_links(page, "country")["United Kingdom"]
    assert "country=country%3AGBR" in country
    narrowed = web_client.get(country).text
    assert sorted(_projects(narrowed)[1]) == ["adeigus", "manage-your-future", "smart-lmi"]
    off = re.search(r'<a class="filter" href="([^"]+)"', narrowed)
    assert off is not None and "Country: United Kingdom" in narrowed
    assert _projects(web_client.get(html.unescape(off.group(1))).text) == (total, found)


def test_pages_of_results(web_client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "ROWS", 3)
    first = web_client.get("/search", params={"q": "begeleid", "lang": "en"}).text
    assert "Page 1 of 3" in first and 'rel="prev"' not in first
    seen = []
    page = first
    while True:
        seen += _projects(page)[1]
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        if following is None:
            break
        page = web_client.get(html.unescape(following.group(1))).text
    assert "Page 3 of 3" in page and 'rel="prev"' in page
    monkeypatch.setattr(search, "ROWS", 100)
    assert seen == _projects(web_client.get("/search", params={"q": "begeleid", "lang": "en"}).text)[1]


def test_organisations_by_name(web_client) -> None:
    page = web_client.get("/search", params={"q": "Schaarbeek", "lang": "nl"}).text
    section = page.split('<section class="search-organisations">')[1].split("</section>")[0]
    assert re.findall(r'<a href="/id/organisation/[^"]+">([^<]+)</a>', section)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x", "page": "0"}, "page: '0' is not a page number (1 to 500)"),
        ({"q": "x", "page": "abc"}, "page: 'abc' is not a page number (1 to 500)"),
        ({"q": "x", "year": "20"}, "year: '20' is not a year (four digits, e.g. 2016)"),
        ({"q": "x", "country": "a b"}, "country: 'a b' is not an IRI (e.g. country:LTU)"),
    ],
)
def test_bad_addresses_are_the_clients(web_client, params: dict[str, str], message: str) -> None:
    response = web_client.get("/search", params=params, headers={"Accept": "text/plain"})
    assert (response.status_code, response.text) == (400, message + "\n")


@pytest.mark.parametrize(
    "value",
    [v for v in VALUES if len(v) < 4000],
    ids=[i for v, i in zip(VALUES, IDS, strict=True) if len(v) < 4000],
)
def test_hostile_text(value: str, web_client) -> None:
    for params, statuses in (({"q": value}, {200}), ({"q": "begeleid", "country": value}, {200, 400})):
        response = web_client.get("/search", params=params)
        assert response.status_code in statuses
        assert "<script>alert" not in response.text
        assert "<img src=x" not in response.text


def test_a_named_concept_counts_what_its_page_lists(web_client, target) -> None:
    import pyoxigraph as ox

    from erasmus_kg.query.running import run_stored

    rows = run_stored("projects-by-sector", {"sector": "education and training"}, "en", target)
    assert isinstance(rows, ox.QuerySolutions)
    expected = len({r["project"] for r in rows})
    page = web_client.get("/search", params={"q": "education and training", "lang": "en"}).text
    assert ("Education and training", f"Sector · {expected} projects") in _named(page)
    assert expected > 2  # the sectors below it count too
