"""The read-only SPARQL 1.1 Protocol endpoint at /sparql, on a real server: SELECT, ASK, CONSTRUCT by GET
and both POST forms, results by Accept, updates refused with the store unchanged, the row limit, CORS."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from .web_server import WebServer, web_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _count(client) -> int:
    answer = client.get("/sparql", params={"query": COUNT}, headers={"Accept": "text/csv"})
    return int(answer.text.split()[1])


def test_select_by_get_in_every_results_format(web: WebServer) -> None:
    query = "SELECT ?acronym WHERE { ?p ekg:acronym ?acronym } ORDER BY ?acronym LIMIT 2"
    with web.client() as client:
        as_csv = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        as_json = client.get("/sparql", params={"query": query})
        as_xml = client.get(
            "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
        )
        as_tsv = client.get(
            "/sparql", params={"query": query}, headers={"Accept": "text/tab-separated-values"}
        )
    assert as_csv.text.replace("\r\n", "\n") == "acronym\nADEIGUS\nEEP\n"
    assert as_json.headers["content-type"] == "application/sparql-results+json"
    assert [
        r["acronym"].value for r in ox.parse_query_results(as_json.content, format=ox.QueryResultsFormat.JSON)
    ] == ["ADEIGUS", "EEP"]
    assert [
        r["acronym"].value for r in ox.parse_query_results(as_xml.content, format=ox.QueryResultsFormat.XML)
    ] == ["ADEIGUS", "EEP"]
    assert as_tsv.text.splitlines() == ["?acronym", '"ADEIGUS"', '"EEP"']
    assert as_csv.headers["access-control-allow-origin"] == "*"


def test_ask_and_construct_by_post(web: WebServer) -> None:
    with web.client() as client:
        ask = client.post(
            "/sparql",
            content="ASK { project:goal ekg:acronym 'GOAL' }",
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        construct = client.post(
            "/sparql",
            data={"query": "CONSTRUCT { project:goal ekg:acronym ?a } WHERE { project:goal ekg:acronym ?a }"},
            headers={"Accept": "application/n-triples"},
        )
    assert ask.json() == {"head": {}, "boolean": True}
    assert construct.text.strip() == (
        "<https://w3id.org/erasmus-kg/id/project/goal> "
        '<https://w3id.org/erasmus-kg/ontology#acronym> "GOAL" .'
    )


@pytest.mark.parametrize(
    "how",
    ["get-query", "get-update", "post-form", "post-update-form", "post-update-body"],
)
def test_updates_are_refused_and_change_nothing(how: str, web: WebServer) -> None:
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    with web.client() as client:
        before = _count(client)
        if how == "get-query":
            answer = client.get("/sparql", params={"query": update})
        elif how == "get-update":
            answer = client.get("/sparql", params={"update": update})
        elif how == "post-form":
            answer = client.post("/sparql", data={"query": update})
        elif how == "post-update-form":
            answer = client.post("/sparql", data={"update": update})
        else:
            answer = client.post(
                "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
            )
        assert answer.status_code == 400
        assert "\n" not in answer.text.strip()
        assert _count(client) == before


def test_bad_queries_are_one_line_400(web: WebServer) -> None:
    with web.client() as client:
        assert client.get("/sparql").status_code == 400
        broken = client.get("/sparql", params={"query": "SELEC ?x"})
        assert broken.status_code == 400 and broken.text.startswith("query:1:")
        graphs = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "urn:x"})
        assert graphs.status_code == 400
        assert (
            client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"}).status_code
            == 406
        )
        preflight = client.options("/sparql")
        assert preflight.status_code == 204 and "GET" in preflight.headers["access-control-allow-methods"]


def test_the_row_limit_cuts_and_says_so(store_root: Path) -> None:
    with web_server(store_root, ["--row-limit", "3"]) as server, server.client() as client:
        answer = client.get(
            "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"}
        )
        own = client.get(
            "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}, headers={"Accept": "text/csv"}
        )
    assert answer.headers["x-row-limit"] == "3"
    assert answer.text.strip().count("\n") == 3  # the header and three rows
    assert own.text.strip().count("\n") == 2  # the query's own smaller LIMIT is kept
