"""The pages of projects, organisations, countries and concepts: their facts in a reader's order, and the
lists that lead from them (paged, with real totals, as CSV), the same with or without the search index."""

from __future__ import annotations

import csv
import html
import io
import re

import pyoxigraph as ox
import pytest

from erasmus_kg.derived.search_index import SearchIndex
from erasmus_kg.query.running import run_stored
from erasmus_kg.web import resource_lists

from .test_hostile_values import VALUES

PROJECT = "/id/project/"
CASES = {
    # page, the stored query that asks the same, its parameter
    "country": ("/doc/country/BEL.html", "projects-by-country", {"country": "BEL"}),
    "sector": ("/doc/vocab/sector/adult-education.html", "projects-by-sector", {"sector": "adult education"}),
    "broad sector": (
        "/doc/vocab/sector/education-and-training.html",
        "projects-by-sector",
        {"sector": "https://w3id.org/erasmus-kg/vocab/sector/education-and-training"},
    ),
    "broad theme": (
        "/doc/vocab/theme/choice-guidance.html",
        "projects-by-theme",
        {"theme": "https://w3id.org/erasmus-kg/vocab/theme/choice-guidance"},
    ),
    "key action": ("/doc/vocab/action/KA2.html", "projects-by-key-action", {"action": "KA2"}),
    "theme": ("/doc/vocab/theme/career-guidance.html", "projects-by-theme", {"theme": "career guidance"}),
    "organisation": (
        "/doc/id/organisation/go-schaarbeek-hendrik-conscience.html",
        "projects-by-organisation",
        {"organisation": "https://w3id.org/erasmus-kg/id/organisation/go-schaarbeek-hendrik-conscience"},
    ),
}


def _list(page: str, name: str) -> tuple[int, list[list[str]], list[str]]:
    """(total, rows as cell texts, links in the first column) of the list `name` of a page."""
    section = page.split(f'<section class="resource-list" id="{name}">')[1].split("</section>")[0]
    total = re.search(r'<span class="count">\(([\d.,]+)\)</span>', section)
    assert total is not None
    body = section.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in section else ""
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    hrefs = re.findall(r'<tr><td><a href="([^"]+)">', body)
    return int(total.group(1).replace(".", "").replace(",", "")), rows, hrefs


def _stored_projects(target, name: str, params: dict[str, str]) -> set[str]:
    rows = run_stored(name, params, "en", target)
    assert isinstance(rows, ox.QuerySolutions)
    return {PROJECT + r["project"].value.rsplit("/", 1)[1] for r in rows}


def test_a_projects_page(web_client) -> None:
    page = web_client.get("/doc/id/project/goal.html", params={"lang": "nl"}).text
    assert "<h1>Guidance and Orientation for Adult Learners</h1>" in page
    assert '<p class="summary" lang="nl">Volwassenenonderwijs en -educatie valt in Vlaanderen' in page
    total, rows, hrefs = _list(page, "organisations")
    assert total == 3
    assert rows == [
        ["Vlaams Ministerie van Onderwijs en Vorming", "coördinator", "overheid", "België"],
        ["De Stap", "betrokken organisatie", "begeleidingsdienst", "België"],
        ["Leerwinkel West", "betrokken organisatie", "begeleidingsdienst", "België"],
    ]
    assert hrefs[1] == "/id/organisation/de-stap" and '<a href="/country/BEL">België</a>' in page
    facts = re.findall(
        r"<tr><th><a href=\"[^\"]*\">([^<]+)</a></th>", page.split('<section class="resource-list"')[0]
    )
    assert facts.index("actie") < facts.index("sector") < facts.index("thema") < facts.index("begindatum")
    for derived in ("actie of bredere actie", "in sector", "betrokkenheid van een land", "bedient doelgroep"):
        assert derived not in facts  # derived shortcuts that repeat the project's own facts


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_list_holds_what_the_stored_query_finds(case: str, web_client, target) -> None:
    path, query, params = CASES[case]
    total, _, hrefs = _list(web_client.get(path, params={"lang": "en"}).text, "projects")
    expected = _stored_projects(target, query, params)
    assert total == len(expected) and set(hrefs) == expected and len(hrefs) == len(expected)


def test_lists_are_paged_with_their_totals(web_client, target, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resource_lists, "ROWS", 4)
    seen: list[str] = []
    address = "/doc/country/BEL.html?lang=en"
    pages = 0
    while address:
        page = web_client.get(address).text
        total, _, hrefs = _list(page, "projects")
        seen += hrefs
        pages += 1
        projects = page.split('<section class="resource-list" id="projects">')[1].split("</section>")[0]
        following = re.search(r'<a rel="next" href="([^"#]+)', projects)
        address = html.unescape(following.group(1)) if following else ""
    assert total == 9 and pages == 3 and len(seen) == len(set(seen)) == 9
    assert set(seen) == _stored_projects(target, "projects-by-country", {"country": "BEL"})
    assert (
        "Page 3 of 3" in page
        and 'rel="prev" href="/doc/country/BEL.html?lang=en&amp;projects=2#projects"' in page
    )


def test_a_countrys_organisations(web_client, target) -> None:
    page = web_client.get("/doc/country/BEL.html", params={"lang": "en"}).text
    total, rows, _ = _list(page, "organisations")
    expected = run_stored("organisations-by-country", {"country": "BEL"}, "en", target)
    assert isinstance(expected, ox.QuerySolutions)
    expected_rows = [
        [
            r["name"].value,
            r["kind"].value if r["kind"] else "",
            r["locality"].value if r["locality"] else "",
            r["projects"].value,
        ]
        for r in expected
    ]
    assert total == len(expected_rows) and rows == expected_rows[: resource_lists.ROWS]


def test_the_csv_of_a_list_is_the_stored_querys(web_client, target) -> None:
    page = web_client.get("/doc/country/BEL.html", params={"lang": "en"}).text
    section = page.split('<section class="resource-list" id="projects">')[1]
    link = re.search(r'<a class="csv" href="([^"]+)" download>As CSV</a>', section)
    assert link is not None
    response = web_client.get(html.unescape(link.group(1)))
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {PROJECT + r["project"].rsplit("/", 1)[1] for r in rows} == _stored_projects(
        target, "projects-by-country", {"country": "BEL"}
    )


def test_without_the_index_the_stored_queries_give_the_lists(
    web_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_index = {
        case: _list(web_client.get(CASES[case][0], params={"lang": "en"}).text, "projects") for case in CASES
    }
    monkeypatch.setattr(SearchIndex, "available", property(lambda self: False))
    from starlette.testclient import TestClient

    from erasmus_kg.web.app import create_app

    with TestClient(create_app(web_client.app.state.config)) as client:
        for case, (total, _, hrefs) in with_index.items():
            again = _list(client.get(CASES[case][0], params={"lang": "en"}).text, "projects")
            assert again[0] == total and set(again[2]) == set(hrefs)


@pytest.mark.parametrize("value", ["0", "x", "-1", "99999999", *VALUES[:6]])
def test_a_bad_page_number_is_the_clients(value: str, web_client) -> None:
    response = web_client.get(
        "/doc/country/BEL.html", params={"projects": value}, headers={"Accept": "text/plain"}
    )
    assert response.status_code == 400
    assert response.text.startswith("projects: ") and "is not a page number (1 to 10000)" in response.text


def test_labels_in_other_languages_are_folded(web_client) -> None:
    page = web_client.get("/doc/country/BEL.html", params={"lang": "nl"}).text
    row = page.split("skos:prefLabel")[1].split("</tr>")[0]
    shown, folded = row.split('<details class="other-languages">')
    assert '<span lang="nl">België</span>' in shown and 'lang="fr"' not in shown
    assert '<span lang="fr">Belgique</span>' in folded


def test_an_organisation_without_a_kind_or_a_role_has_none_on_the_projects_page() -> None:
    """The labels of an organisation's kind, role and country are looked up from the organisation: one that
    has none of them shows none, not any label of the store (one row, empty cells)."""
    from erasmus_kg.namespaces import EKG
    from erasmus_kg.query.targets import StoreTarget
    from erasmus_kg.web.resource_lists import _project_organisations

    store = ox.Store()
    n = ox.NamedNode
    project, participation, organisation = (n(f"https://example.org/{x}") for x in ("p", "part", "o"))
    graph = n("https://example.org/g")
    facts = [
        (project, n(EKG + "participation"), participation),
        (participation, n(EKG + "organisation"), organisation),
        (organisation, n(EKG + "shownLabelEn"), ox.Literal("Kindless school")),
        *[
            (n(f"https://example.org/other{i}"), n(EKG + "shownLabelEn"), ox.Literal(f"other {i}"))
            for i in range(5)
        ],
    ]
    store.extend(ox.Quad(s, p, o, graph) for s, p, o in facts)
    made = _project_organisations(StoreTarget(store), project.value, "en")
    assert [[cell.text for cell in row] for row in made.rows] == [["Kindless school", "", "", ""]]
