"""A real `oxigraph serve`: the CLI on it, uploads cut or killed midway; endpoint failures from stub servers.

Loading the store into Oxigraph server, Virtuoso and Jena, every stored-query case and reloading are in
tests/test_live_servers.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.errors import EndpointError

from .servers import OxigraphServer, answer, cutting_proxy, oxigraph_server, stub_server

pytestmark = pytest.mark.server


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_cli_query_on_the_endpoint(loaded: OxigraphServer, store_root: Path) -> None:
    remote = invoke(
        "query", "projects-by-country", "-p", "country=Lithuania", "--endpoint", f"{loaded.base}/query"
    )
    local = invoke("--store", str(store_root), "query", "projects-by-country", "-p", "country=Lithuania")
    assert remote.exit_code == local.exit_code == 0
    assert remote.output == local.output


def test_a_cut_upload_leaves_the_previous_graph(tmp_path: Path, store_copy: Path) -> None:
    store = store_copy
    extra = tmp_path / "extra.ttl"
    old = "".join(f"<https://example.org/old{n}> <https://example.org/p> {n} .\n" for n in range(100))
    extra.write_text(old, encoding="utf-8")
    with oxigraph_server(tmp_path / "server") as server:
        assert (
            invoke("--store", str(store), "load", str(extra), "--endpoint", f"{server.base}/store").exit_code
            == 0
        )
        graph = "https://w3id.org/erasmus-kg/graph/file/extra.ttl"
        assert server.count(graph) == 100
        new = "".join(f"<https://example.org/new{n}> <https://example.org/p> {n} .\n" for n in range(60_000))
        extra.write_text(new, encoding="utf-8")
        with cutting_proxy(server.port, cut_after=3_500_000) as port:
            result = invoke(
                "--store", str(store), "load", str(extra), "--endpoint", f"http://127.0.0.1:{port}/store"
            )
        assert result.exit_code == 2
        assert result.stderr.startswith(f"erasmus-kg: error: http://127.0.0.1:{port}/store: ")
        assert server.count(graph) == 100  # the graph keeps its previous content


def test_a_server_killed_mid_load_keeps_the_previous_graph(tmp_path: Path, store_copy: Path) -> None:
    store = store_copy
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/p> 1 .\n", encoding="utf-8")
    location = tmp_path / "server"
    graph = "https://w3id.org/erasmus-kg/graph/file/extra.ttl"
    with oxigraph_server(location) as server:
        assert (
            invoke("--store", str(store), "load", str(extra), "--endpoint", f"{server.base}/store").exit_code
            == 0
        )
        port = server.port
        extra.write_text(
            "".join(f"<https://example.org/n{n}> <https://example.org/p> {n} .\n" for n in range(60_000)),
            encoding="utf-8",
        )
        with cutting_proxy(port, cut_after=3_500_000, on_cut=server.kill) as proxy:
            result = invoke(
                "--store", str(store), "load", str(extra), "--endpoint", f"http://127.0.0.1:{proxy}/store"
            )
        assert result.exit_code == 2
    restarted = OxigraphServer(location, port).start()
    try:
        assert restarted.count(graph) == 1
    finally:
        restarted.stop()


def test_refused_connection(tmp_path: Path) -> None:
    from .servers import free_port

    result = invoke("query", "projects", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert result.exit_code == 2
    assert "cannot connect (connection refused)" in result.stderr


def test_wrong_password_is_401_and_never_shown() -> None:
    secret = "s3cr3t-Pa55"
    with stub_server(answer(401, b"no")) as base:
        env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": secret}
        result = invoke("query", "projects", "--endpoint", f"{base}/query", env=env)
        assert result.exit_code == 2
        assert "HTTP 401 Unauthorized: check the credentials" in result.stderr
        with_url = invoke("query", "projects", "--endpoint", f"http://bob:{secret}@{base[7:]}/query")
        assert with_url.exit_code == 2
    for output in (result.output, result.stderr, with_url.output, with_url.stderr):
        assert secret not in output and "bob:" not in output


def test_forbidden_is_403_and_names_the_credentials() -> None:
    with stub_server(answer(403, b"forbidden")) as base:
        result = invoke(
            "query", "projects", "--endpoint", f"{base}/query", env={"ERASMUS_KG_TOKEN": "t0ken-x"}
        )
    assert result.exit_code == 2
    assert "HTTP 403 Forbidden: check the credentials" in result.stderr
    assert "t0ken-x" not in result.output + result.stderr


def test_html_instead_of_results() -> None:
    with stub_server(answer(200, b"<html>hello</html>", "text/html")) as base:
        result = invoke("query", "projects", "--endpoint", f"{base}/query")
    assert result.exit_code == 2
    assert "answered text/html, not SPARQL results" in result.stderr


def test_server_error() -> None:
    with stub_server(answer(500, b"boom\nand more")) as base:
        result = invoke("query", "projects", "--endpoint", f"{base}/query")
    assert result.exit_code == 2
    assert (
        result.stderr == f"erasmus-kg: error: {base}/query: HTTP 500 Internal Server Error: boom and more\n"
    )


def test_timeout() -> None:
    from erasmus_kg.remote.http import Endpoint
    from erasmus_kg.remote.sparql import EndpointTarget

    with stub_server(answer(200, b"{}", "application/sparql-results+json", delay=3)) as base:
        target = EndpointTarget(Endpoint(f"{base}/query", timeout=0.5))
        with pytest.raises(EndpointError, match=r"no answer within 0.5 s"):
            target.query("ASK {}")


def _solutions(count: int) -> bytes:
    import json

    rows = [{"n": {"type": "literal", "value": str(i)}} for i in range(count)]
    return json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": rows}}).encode()


@pytest.mark.parametrize(
    ("query", "rows", "cut"),
    [
        ("SELECT ?n WHERE { ?s ?p ?n }", 3, True),  # no LIMIT: as many rows as the server's limit is a cut
        ("SELECT ?n WHERE { ?s ?p ?n } LIMIT 10", 3, True),  # asked for more than the limit
        ("SELECT ?n WHERE { ?s ?p ?n } LIMIT 3", 3, False),  # a page the limit allows
        ("SELECT ?n WHERE { ?s ?p ?n }", 2, False),  # fewer rows than the limit: the whole answer
    ],
)
def test_an_answer_cut_at_the_servers_row_limit_is_an_error(query: str, rows: int, cut: bool) -> None:
    """Virtuoso cuts results at its ResultSetMaxRows and says so only in X-SPARQL-MaxRows: taken for the
    whole answer, 10,000 of 73,825 rows would pass for all of them."""
    from erasmus_kg.remote.http import Endpoint
    from erasmus_kg.remote.sparql import EndpointTarget

    limited = answer(
        200, _solutions(rows), "application/sparql-results+json", headers={"X-SPARQL-MaxRows": "3"}
    )
    with stub_server(limited) as base:
        target = EndpointTarget(Endpoint(f"{base}/query"))
        if cut:
            with pytest.raises(EndpointError) as error:
                target.query(query)
            assert str(error.value) == (
                f"{base}/query: the server cut the answer at its row limit of 3 rows (X-SPARQL-MaxRows), and "
                "the query asks for more; ask for pages of at most 3 rows (--limit, --offset) or raise the "
                "server's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)"
            )
        else:
            results = target.query(query)
            assert [row["n"].value for row in results] == [str(i) for i in range(rows)]  # type: ignore[union-attr]


def test_not_an_http_url() -> None:
    result = invoke("query", "projects", "--endpoint", "ftp://example.org/sparql")
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.stderr


def test_credentials_repr_hides_secrets() -> None:
    from erasmus_kg.remote.http import Credentials

    text = repr(Credentials(user="alice", password="hunter2", token="tok"))
    assert "hunter2" not in text and "tok'" not in text


def test_environment_is_clean() -> None:
    assert "ERASMUS_KG_PASSWORD" not in os.environ
