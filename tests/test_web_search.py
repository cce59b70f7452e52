"""Search (/search): the sections a typed text gives, with their totals, as people type names; hostile
text never breaks the page nor reaches it unescaped."""

from __future__ import annotations

import re

import pytest

from .test_hostile_values import IDS, VALUES


def _sections(html: str) -> list[tuple[str, int, list[str]]]:
    found = []
    for block in html.split('<section class="search-section">')[1:]:
        heading = re.search(r"<h2>(.*?) <span class=\"count\">\((\d+)\)</span></h2>", block)
        assert heading is not None
        projects = re.findall(r'<li><a href="/id/project/([^"]+)">', block)
        found.append((heading.group(1), int(heading.group(2)), projects))
    return found


@pytest.mark.parametrize("typed", ["Litouwen", "LITOUWEN", "litouwen", "Lithuania", "LT"])
def test_a_country_as_people_type_it(typed: str, web_client) -> None:
    html = web_client.get("/search", params={"q": typed, "lang": "nl"}).text
    assert ("Projecten met dat land", 2, ["adeigus", "goal"]) in _sections(html)


def test_everyday_names_and_project_names(web_client) -> None:
    britain = _sections(web_client.get("/search", params={"q": "Groot-Brittannië", "lang": "en"}).text)
    assert britain == [("Projects involving the country", 3, ["adeigus", "manage-your-future", "smart-lmi"])]
    goal = _sections(web_client.get("/search", params={"q": "goal", "lang": "en"}).text)
    assert ("Projects by that name", 1, ["goal"]) in goal
    nothing = web_client.get("/search", params={"q": "zzzqqq", "lang": "en"}).text
    assert _sections(nothing) == [] and "Nothing found for" in nothing


@pytest.mark.parametrize(
    "value",
    [v for v in VALUES if len(v) < 4000],
    ids=[i for v, i in zip(VALUES, IDS, strict=True) if len(v) < 4000],
)
def test_hostile_text(value: str, web_client) -> None:
    response = web_client.get("/search", params={"q": value})
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
