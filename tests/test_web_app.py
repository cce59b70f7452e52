"""The web application's frame: the home page, languages, error answers, static files, the build switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from erasmus_kg.web.negotiation import accepted_language, best_media_type

from .web_server import WebServer


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        (None, ["text/html", "text/turtle"], "text/html"),
        ("text/turtle", ["text/html", "text/turtle"], "text/turtle"),
        ("text/turtle;q=0.5, text/html", ["text/html", "text/turtle"], "text/html"),
        ("text/*;q=0.9, text/turtle;q=0.1", ["text/turtle", "text/html"], "text/html"),
        ("*/*;q=0.1, application/ld+json", ["text/html", "application/ld+json"], "application/ld+json"),
        ("image/png", ["text/html", "text/turtle"], None),
        ("text/html;q=0", ["text/html"], None),
        ("text/html;q=nonsense, text/turtle", ["text/html", "text/turtle"], "text/turtle"),
        (",,;", ["text/html"], None),
    ],
)
def test_media_type_negotiation(accept: str | None, offers: list[str], expected: str | None) -> None:
    assert best_media_type(accept, offers) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "nl"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-BE, nl-BE;q=0.8, en;q=0.5", "nl"),
        ("de, en;q=0.2, nl;q=0.1", "en"),
        ("fr", "nl"),
        ("nl;q=0, en;q=0.1", "en"),
    ],
)
def test_language_negotiation(header: str | None, expected: str) -> None:
    assert accepted_language(header) == expected


def test_home_page_in_both_languages(web_client) -> None:
    dutch = web_client.get("/", headers={"Accept-Language": "nl-BE"})
    assert dutch.status_code == 200
    assert dutch.headers["content-language"] == "nl"
    assert '<html lang="nl">' in dutch.text
    assert 'href="/?lang=en"' in dutch.text
    english = web_client.get("/?lang=en", headers={"Accept-Language": "nl"})
    assert english.headers["content-language"] == "en"
    assert "Erasmus+ projects in career guidance" in english.text
    assert "/queries/projects-by-country?lang=en" in english.text


def test_language_switch_keeps_the_parameters(web_client) -> None:
    response = web_client.get("/?lang=en&q=%3Cb%3E")
    assert 'href="/?q=%3Cb%3E&amp;lang=nl"' in response.text


def test_unknown_path_answers_404_in_the_asked_form(web_client) -> None:
    page = web_client.get("/no/such/page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "Niet gevonden" in page.text
    as_json = web_client.get("/no/such/page", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.json() == {"error": "Not Found", "status": 404}
    plain = web_client.get("/no/such/page")
    assert (plain.status_code, plain.text) == (404, "Not Found\n")


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/queries/projects-by-country", {"country": "Atlantis"}, 400),
        ("/api/queries/no-such-query", {}, 404),
        ("/sparql", {"query": "SELEKT nothing"}, 400),
        ("/api/queries/projects", {"limit": "ten"}, 400),
    ],
)
def test_errors_can_be_read_by_a_script_on_another_site(web_client, path: str, params, status: int) -> None:
    answer = web_client.get(path, params=params, headers={"Origin": "https://example.org"})
    assert answer.status_code == status
    assert answer.headers["access-control-allow-origin"] == "*"


def test_the_stylesheet_is_served(web_client) -> None:
    response = web_client.get("/static/erasmus-kg.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert web_client.get("/static/../../../../etc/passwd").status_code == 404


def test_a_real_server_answers_and_binds_loopback(web: WebServer) -> None:
    with web.client() as client:
        assert client.get("/").status_code == 200


def test_serve_refuses_a_port_in_use(runner, web: WebServer, store_root: Path) -> None:
    result = runner.invoke(
        __import__("erasmus_kg.cli", fromlist=["cli"]).cli, ["serve", "--port", str(web.port)]
    )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{web.port}" in result.output
