"""The read-only SPARQL 1.1 Protocol endpoint at /sparql, on a real server: SELECT, ASK, CONSTRUCT by GET
and both POST forms, results by Accept, updates refused with the store unchanged, CORS; the row limit cuts
and says so, a query over the time limit is stopped (503) and its worker process replaced."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg.store.loading import load_files

from .web_server import SLOW, WebServer, web_server, worker_pids

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


def test_service_is_refused_and_nothing_is_fetched(web: WebServer) -> None:
    """SERVICE would make the server send an HTTP request wherever the caller says: refused (400, one line)
    before any request leaves; the word in a literal is no SERVICE."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(0.3)
        port = listener.getsockname()[1]
        federated = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        with web.client() as client:
            answer = client.get("/sparql", params={"query": federated})
            literal = client.get(
                "/sparql",
                params={"query": 'ASK { project:goal ekg:acronym "SERVICE" }'},
                headers={"Accept": "application/sparql-results+json"},
            )
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    assert answer.status_code == 400
    assert answer.text.strip() == (
        "query:1:18: SERVICE is not allowed here: this endpoint answers from its own graph and asks no other "
        "service (run federated queries with erasmus-kg sparql on your own machine)"
    )
    assert literal.status_code == 200 and literal.json()["boolean"] is False


@pytest.fixture(scope="module")
def limited(store_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    """A server with small limits (3 rows, 0.5 s a query, 2 query workers) on a copy of the session store,
    which its tests may change."""
    root = tmp_path_factory.mktemp("limited") / "store"
    shutil.copytree(store_root, root)
    args = ["--row-limit", "3", "--query-timeout", "0.5", "--query-workers", "2"]
    with web_server(root, args) as server:
        yield server


def _rows(client, query: str, accept: str = "text/csv"):  # type: ignore[no-untyped-def]
    return client.get("/sparql", params={"query": query}, headers={"Accept": accept})


def test_the_row_limit_cuts_and_says_so(limited: WebServer) -> None:
    with limited.client() as client:
        cut = _rows(client, "SELECT * WHERE { ?s ?p ?o }")
        own = _rows(client, "SELECT * WHERE { ?s ?p ?o } LIMIT 2")
        exactly = _rows(client, "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }")
        one_more = _rows(client, "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 } } ORDER BY ?n")
        as_json = _rows(client, "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 } } ORDER BY ?n", "application/json")
        triples = _rows(client, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
        few = _rows(client, "CONSTRUCT WHERE { project:goal ekg:acronym ?a }", "application/n-triples")
        ask = _rows(client, "ASK { ?s ?p ?o }", "application/sparql-results+json")
    assert cut.headers["x-row-limit"] == "3" and cut.headers["x-truncated"] == "true"
    assert cut.text.strip().count("\n") == 3  # the header and three rows
    assert "X-Truncated" in cut.headers["access-control-expose-headers"]
    assert own.text.strip().count("\n") == 2 and own.headers["x-truncated"] == "false"  # its own LIMIT kept
    assert exactly.text.split() == ["n", "1", "2", "3"] and exactly.headers["x-truncated"] == "false"
    assert one_more.text.split() == ["n", "1", "2", "3"] and one_more.headers["x-truncated"] == "true"
    bindings = as_json.json()["results"]["bindings"]
    assert [b["n"]["value"] for b in bindings] == ["1", "2", "3"] and as_json.headers["x-truncated"] == "true"
    assert len(triples.text.strip().splitlines()) == 3 and triples.headers["x-truncated"] == "true"
    assert len(few.text.strip().splitlines()) == 1 and few.headers["x-truncated"] == "false"
    assert ask.json()["boolean"] is True and ask.headers["x-truncated"] == "false"


def test_a_query_over_the_time_limit_is_stopped_with_503_and_its_worker_replaced(limited: WebServer) -> None:
    with limited.client() as client:
        assert _rows(client, "ASK {}").status_code == 200  # a worker is up
        before = worker_pids(limited)
        started = time.monotonic()
        slow = _rows(client, SLOW)
        took = time.monotonic() - started
        after = _rows(client, "SELECT ?n WHERE { VALUES ?n { 7 } }")
    assert slow.status_code == 503 and took < 3.0
    assert slow.headers["content-type"].startswith("text/plain") and "retry-after" not in slow.headers
    assert slow.text.endswith("\n") and "\n" not in slow.text.rstrip("\n")
    assert slow.text.startswith("the query ran for more than 0.5 s, the time limit of this endpoint")
    assert after.status_code == 200 and after.text.split() == ["n", "7"]
    killed = before - worker_pids(limited)
    assert len(killed) == 1 and not Path(f"/proc/{killed.pop()}").exists()
    deadline = time.monotonic() + 10
    while len(worker_pids(limited)) < 2 and time.monotonic() < deadline:  # the replacement, in the background
        time.sleep(0.05)
    assert len(worker_pids(limited)) == 2


def test_a_new_build_published_while_serving_is_what_the_next_query_reads(
    limited: WebServer, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/s> <https://example.org/p> 1, 2 .\n", encoding="utf-8")
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }"
    with limited.client() as client:
        before = _rows(client, count)
        workers = worker_pids(limited)
        load_files(limited.store, [extra])  # an import, as `erasmus-kg load` makes it
        after = _rows(client, count)
    assert before.text.split() == ["n", "0"]
    assert after.text.split() == ["n", "2"]
    assert worker_pids(limited) == workers  # the workers switched builds; none was restarted to do it
