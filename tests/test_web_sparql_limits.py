"""The limits of /sparql beyond a real server's answers (those are in test_web_sparql.py): results cut at the
row limit are the rows the query gave, in every format; over `--endpoint` the time limit gives up the HTTP
exchange (503) and the row limit cuts; the application ends its query workers when it shuts down."""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.server
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from erasmus_kg.errors import TimeLimitError
from erasmus_kg.remote.http import Endpoint
from erasmus_kg.remote.sparql import EndpointTarget
from erasmus_kg.store.manifest import GraphInfo
from erasmus_kg.web.app import create_app
from erasmus_kg.web.config import ServeConfig
from erasmus_kg.web.graph import EmbeddedAccess, Reading
from erasmus_kg.web.query_workers import Job, QueryWorkers
from erasmus_kg.web.sparql_results import SOLUTION_TYPES, limited, write

from .servers import stub_server
from .web_server import SLOW

XSD = "http://www.w3.org/2001/XMLSchema#"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HOSTILE = [
    ox.Literal('line\nbreak\ttab\r"quoted" \\ back'),
    ox.Literal("bonjour", language="fr"),
    ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("1.0", datatype=ox.NamedNode(XSD + "double")),
    ox.Literal("not a number", datatype=ox.NamedNode(XSD + "integer")),
    ox.NamedNode("https://example.org/a?b=c&d=%3Ce%3E#f"),
    ox.BlankNode("b0"),
]


def _store() -> ox.Store:
    store = ox.Store()
    for n, value in enumerate(HOSTILE):
        subject = ox.NamedNode(f"https://example.org/s{n}")
        store.add(ox.Quad(subject, ox.NamedNode("https://example.org/p"), value, ox.NamedNode("urn:g")))
    return store


@pytest.mark.parametrize("media", sorted(set(SOLUTION_TYPES)))
@pytest.mark.parametrize("row_limit", [3, len(HOSTILE), 100])
def test_cut_rows_are_the_rows_the_query_gave(media: str, row_limit: int) -> None:
    store = _store()
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?s"
    written = write(
        store.query(limited(query, "SELECT", row_limit), use_default_graph_as_union=True), media, row_limit
    )
    fmt = SOLUTION_TYPES[media]
    expected = store.query(f"{query} LIMIT {row_limit}", use_default_graph_as_union=True).serialize(
        format=fmt
    )
    assert written.body == expected and written.body.count(b"bonjour") == 1  # the second row
    assert written.truncated == (row_limit < len(HOSTILE))


def test_rows_without_variables_are_counted_too() -> None:
    results = ox.Store().query("SELECT * WHERE { VALUES () { () () () } }")
    written = write(results, "text/tab-separated-values", 2)
    assert written.body == b"\n\n\n" and written.truncated  # the empty header line and two empty rows


class _Remote:
    """A GraphAccess on a remote endpoint without the manifest probe of `EndpointAccess`."""

    def __init__(self, url: str) -> None:
        self.reading_ = Reading(EndpointTarget(Endpoint(url)))

    @contextlib.contextmanager
    def reading(self) -> Iterator[Reading]:
        yield self.reading_

    def graphs(self) -> list[GraphInfo]:
        return []

    def close(self) -> None:
        pass


def _trickle(request: http.server.BaseHTTPRequestHandler) -> None:
    """An endpoint that streams its answer one byte every 0.1 s, forever: no read ever waits long enough for a
    per-read timeout, so only a bound on the whole exchange ends it."""
    request.rfile.read(int(request.headers.get("Content-Length") or 0))
    request.send_response(200)
    request.send_header("Content-Type", "application/sparql-results+json")
    request.end_headers()
    for _ in range(600):
        request.wfile.write(b" ")
        request.wfile.flush()
        time.sleep(0.1)


def test_over_an_endpoint_the_time_limit_gives_the_exchange_up() -> None:
    with stub_server(_trickle) as base:
        app = create_app(ServeConfig(query_seconds=0.5), access=_Remote(f"{base}/query"))
        with TestClient(app) as client:
            started = time.monotonic()
            answer = client.get("/sparql", params={"query": "ASK {}"})
            took = time.monotonic() - started
    assert answer.status_code == 503 and took < 3.0
    assert answer.text == (
        f"{base}/query gave no answer within 0.5 s, the time limit of this endpoint, "
        "so the query was given up (it may still be running there)\n"
    )


def test_over_an_endpoint_the_row_limit_cuts() -> None:
    asked: list[str] = []
    rows = {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": str(n)}} for n in range(5)]},
    }

    def five_rows(request: http.server.BaseHTTPRequestHandler) -> None:
        asked.append(request.rfile.read(int(request.headers.get("Content-Length") or 0)).decode())
        body = json.dumps(rows).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/sparql-results+json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    with stub_server(five_rows) as base:
        app = create_app(ServeConfig(row_limit=3), access=_Remote(f"{base}/query"))
        with TestClient(app) as client:
            answer = client.get(
                "/sparql", params={"query": "SELECT ?n WHERE { ?s ?p ?n }"}, headers={"Accept": "text/csv"}
            )
    assert answer.text.split() == ["n", "0", "1", "2"] and answer.headers["x-truncated"] == "true"
    assert "LIMIT+4" in asked[0]  # one row past the limit was asked for, no more


def test_a_worker_that_died_idle_is_replaced_and_shutdown_ends_the_workers(store_root: Path) -> None:
    with TestClient(create_app(ServeConfig(store=store_root, query_workers=1))) as client:
        workers = client.app.state.query_workers  # type: ignore[attr-defined]
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (first,) = workers.pids()
        os.kill(first, signal.SIGKILL)  # out of memory, say, between two queries (its death shows later)
        assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        (second,) = workers.pids()
        assert second != first
    assert not Path(f"/proc/{second}").exists()  # ended (and reaped) by the application's lifespan


def test_a_query_that_finds_every_worker_busy_is_not_started(store_root: Path) -> None:
    workers = QueryWorkers(1)
    access = EmbeddedAccess(store_root)
    try:
        with access.reading() as reading:
            build = str(reading.build_dir)
            slow = concurrent.futures.ThreadPoolExecutor(1).submit(
                workers.run, Job(SLOW, build, "text/csv", 10), 30.0
            )
            while not workers.pids():  # the one worker has started and taken the slow query
                time.sleep(0.02)
            started = time.monotonic()
            with pytest.raises(TimeLimitError) as refused:
                workers.run(Job("ASK {}", build, "text/csv", 10), 0.3)
            took = time.monotonic() - started
    finally:
        workers.close()  # kills the busy worker: the slow query's request gets an error
        access.close()
    assert str(refused.value) == (
        "every query worker (1) was busy for 0.3 s, the time limit of this endpoint, "
        "so the query was not started"
    )
    assert 0.3 <= took < 2.0
    with pytest.raises(RuntimeError, match="the query worker ended while it evaluated the query"):
        slow.result(10)


@pytest.mark.parametrize("route", ["/api/queries/projects-by-country", "/queries/projects-by-country"])
def test_a_stored_query_over_the_time_limit_is_stopped(
    route: str, store_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stored query from the API or a form runs within the time limit as /sparql's do (503 past it, its
    worker killed): here its prepared text is one that runs for hours, in place of the query's own."""
    from erasmus_kg.query import running

    monkeypatch.setattr(running, "page", lambda *args, **kwargs: (SLOW, 1))
    monkeypatch.setattr("erasmus_kg.web.query_api.page", running.page)
    app = create_app(ServeConfig(store=store_root, query_seconds=0.5, query_workers=1))
    with TestClient(app) as client:
        started = time.monotonic()
        answer = client.get(route, params={"country": "Lithuania", "lang": "en"})
        took = time.monotonic() - started
        monkeypatch.undo()  # the query's own text again, on the worker that replaced the killed one
        normal = client.get("/api/queries/action-types", params={"format": "csv", "limit": "1"})
    assert answer.status_code == 503 and took < 5.0
    assert "the query ran for more than 0.5 s, the time limit of this endpoint" in answer.text
    assert normal.status_code == 200
    assert normal.text.splitlines()[0] == "action,tree,code,labelNl,labelEn,depth,broader"


HUNGRY = (
    "SELECT (GROUP_CONCAT(?text) AS ?all) WHERE { "
    "{ SELECT ?text WHERE { ?a ?b ?c . BIND(STR(?c) AS ?text) FILTER(STRLEN(?text) > 300) } } ?d ?e ?f }"
)
"""A query that needs gigabytes: each long literal of the packaged data once per triple, in one string."""


def test_a_query_over_the_memory_limit_is_stopped(store_root: Path) -> None:
    config = ServeConfig(store=store_root, query_workers=1, query_memory_mb=300)
    with TestClient(create_app(config)) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (first,) = client.app.state.query_workers.pids()  # type: ignore[attr-defined]
        hungry = client.get("/sparql", params={"query": HUNGRY}, headers={"Accept": "text/csv"})
        after = client.get("/sparql", params={"query": COUNT_ALL}, headers={"Accept": "text/csv"})
        (second,) = client.app.state.query_workers.pids()  # type: ignore[attr-defined]
    assert hungry.status_code == 503
    assert hungry.text == (
        "the query needed more than 300 MB, the memory a query may use on this endpoint, and was stopped; a "
        "narrower query (a bound value, a LIMIT, fewer rows to sort or group) may fit\n"
    )
    assert after.status_code == 200 and int(after.text.split()[1]) > 20_000
    assert second != first and not Path(f"/proc/{first}").exists()


def test_without_a_memory_limit_the_workers_have_none(store_root: Path) -> None:
    with TestClient(create_app(ServeConfig(store=store_root, query_workers=1, query_memory_mb=0))) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (pid,) = client.app.state.query_workers.pids()  # type: ignore[attr-defined]
        limits = Path(f"/proc/{pid}/limits").read_text(encoding="utf-8")
    (data,) = [line for line in limits.splitlines() if line.startswith("Max data size")]
    assert data.split()[3:5] == ["unlimited", "unlimited"]


def test_a_worker_has_the_memory_limit_it_was_given(store_root: Path) -> None:
    with TestClient(
        create_app(ServeConfig(store=store_root, query_workers=1, query_memory_mb=3000))
    ) as client:
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        (pid,) = client.app.state.query_workers.pids()  # type: ignore[attr-defined]
        limits = Path(f"/proc/{pid}/limits").read_text(encoding="utf-8")
    (data,) = [line for line in limits.splitlines() if line.startswith("Max data size")]
    assert data.split()[3:5] == [str(3000 * 1024 * 1024)] * 2
