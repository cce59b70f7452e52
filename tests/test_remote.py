"""A real `oxigraph serve`: the CLI on it, uploads cut or killed midway; endpoint failures from stub servers.

Loading the store into Oxigraph server, Virtuoso and Jena, every stored-query case and reloading are in
tests/test_live_servers.py."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.errors import EndpointError
from erasmus_kg.remote.sparql import MANIFEST_GRAPH

from .servers import (
    OxigraphServer,
    answer,
    cutting_proxy,
    digest_server,
    oxigraph_server,
    row_limit_proxy,
    slow_server,
    stub_server,
)

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


CONSTRUCT_ACTIONS = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
CONSTRUCT { ?project ekg:action ?action } WHERE { ?project a ekg:Project ; ekg:action ?action }"""


def test_a_construct_on_the_endpoint_gives_the_embedded_triples(
    loaded: OxigraphServer, store_root: Path, tmp_path: Path
) -> None:
    query = tmp_path / "actions.rq"
    query.write_text(CONSTRUCT_ACTIONS, encoding="utf-8")
    remote = invoke("sparql", str(query), "--endpoint", f"{loaded.base}/query")
    local = invoke("--store", str(store_root), "sparql", str(query))
    assert remote.exit_code == local.exit_code == 0, remote.output
    lines = sorted(local.output.splitlines())
    action = " <https://w3id.org/erasmus-kg/ontology#action> "
    assert len(lines) >= 3 and all(action in line for line in lines)
    assert sorted(remote.output.splitlines()) == lines


def test_a_construct_through_serve_on_the_endpoint(loaded: OxigraphServer, store_root: Path) -> None:
    from starlette.testclient import TestClient

    from erasmus_kg.web.app import create_app
    from erasmus_kg.web.config import ServeConfig

    def triples(config: ServeConfig) -> set[str]:
        with TestClient(create_app(config)) as client:
            answer = client.get(
                "/sparql", params={"query": CONSTRUCT_ACTIONS}, headers={"Accept": "application/n-triples"}
            )
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/n-triples")
        return set(answer.text.splitlines())

    local = triples(ServeConfig(store=store_root))
    assert len(local) >= 3
    assert triples(ServeConfig(endpoint=f"{loaded.base}/query")) == local


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
        assert result.stderr == (
            f'erasmus-kg: error: {base}/query: HTTP 401 Unauthorized: the server says "no"; the server '
            "refused the user and password sent by Basic authentication: check the credentials\n"
        )
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
    assert result.stderr == (
        f'erasmus-kg: error: {base}/query: HTTP 403 Forbidden: the server says "forbidden"; the server '
        "refuses this to the bearer token (ERASMUS_KG_TOKEN): check the credentials and their rights on the "
        'server (Virtuoso: GRANT SPARQL_UPDATE TO "user" for load)\n'
    )
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
    ("query", "rows", "outcome"),
    [
        ("SELECT ?n WHERE { ?s ?p ?n }", 3, "error"),  # no LIMIT: as many rows as the server's limit is a cut
        ("SELECT ?n WHERE { ?s ?p ?n } LIMIT 10", 3, "warning"),  # a page larger than the limit: cut
        ("SELECT ?n WHERE { ?s ?p ?n } LIMIT 3", 3, "whole"),  # a page the limit allows
        ("SELECT ?n WHERE { ?s ?p ?n }", 2, "whole"),  # fewer rows than the limit: the whole answer
    ],
)
def test_an_answer_cut_at_the_servers_row_limit_is_an_error(query: str, rows: int, outcome: str) -> None:
    """Virtuoso cuts results at its ResultSetMaxRows and says so only in X-SPARQL-MaxRows: taken for the
    whole answer, 10,000 of 73,825 rows would pass for all of them. Without an ORDER BY the rest cannot be
    asked for in pages: an error, or a warning with the count when the query asked for a page."""
    from erasmus_kg.remote.http import Endpoint
    from erasmus_kg.remote.sparql import EndpointTarget

    limited = answer(
        200, _solutions(rows), "application/sparql-results+json", headers={"X-SPARQL-MaxRows": "3"}
    )
    warnings: list[str] = []
    with stub_server(limited) as base:
        target = EndpointTarget(Endpoint(f"{base}/query"), warn=warnings.append)
        if outcome == "error":
            with pytest.raises(EndpointError) as error:
                target.query(query)
            assert str(error.value) == (
                f"{base}/query: the server cut the answer at its row limit of 3 rows (X-SPARQL-MaxRows), and "
                "the query asks for more, which cannot be fetched in pages since it has no ORDER BY; ask for "
                "pages of at most 3 rows (--limit, --offset) or raise the server's limit (Virtuoso: "
                "ResultSetMaxRows in virtuoso.ini)"
            )
        else:
            results = target.query(query)
            assert [row["n"].value for row in results] == [str(i) for i in range(rows)]  # type: ignore[union-attr]
    assert warnings == (
        [
            f"{base}/query: the server cut the answer at its row limit of 3 rows (X-SPARQL-MaxRows): it "
            "returned 3 of the 10 rows asked for, and the rest cannot be fetched in pages since it has no "
            "ORDER BY; ask for pages of at most 3 rows (--limit, --offset)"
        ]
        if outcome == "warning"
        else []
    )


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


# Credentials (issue 15, part 4): Digest, Basic only where it is not in clear, the server's reason.

SECRET = "Zq-9!distinctive-Pa55w0rd"
"""A password no output may contain: each test below checks stdout and stderr for it."""


def _quiet(*results: object) -> None:
    """No output of `results` (click results) holds the password, in any form a message could take."""
    import base64
    import urllib.parse

    forms = [SECRET, urllib.parse.quote(SECRET), base64.b64encode(f"alice:{SECRET}".encode()).decode()]
    for result in results:
        for output in (result.output, result.stderr):  # type: ignore[attr-defined]
            for form in forms:
                assert form not in output


def _graph_triples(store: Path) -> dict[str, int]:
    from erasmus_kg.store.default import DefaultStore

    return {g.iri: g.triples for g in DefaultStore(store).graphs()}


def _triples(body: bytes) -> int:
    return sum(1 for _ in ox.parse(body, format=ox.RdfFormat.N_TRIPLES))


def test_load_through_digest_sends_each_graph_once(store_copy: Path) -> None:
    """Virtuoso's /sparql-graph-crud-auth takes only Digest. The challenge is answered on a HEAD request
    first, so every graph is sent once, with the answer, not once refused and again."""
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": SECRET}
    with digest_server("alice", SECRET) as server:
        result = invoke("--store", str(store_copy), "load", "--endpoint", f"{server.base}/crud-auth", env=env)
    assert result.exit_code == 0, result.stderr
    _quiet(result)
    expected = _graph_triples(store_copy)
    assert {g: _triples(body) for g, body in server.graphs.items() if g != MANIFEST_GRAPH} == expected
    assert [how for method, _, how in server.requests if method == "PUT"] == ["digest"] * (len(expected) + 1)
    assert [how for method, _, how in server.requests if method == "HEAD"] == ["none", "digest"]
    assert len(server.read) == len(expected) + 1  # each upload read once


@pytest.mark.parametrize("auth", ["auto", "digest"])
def test_digest_works_where_a_basic_header_gets_no_challenge(store_copy: Path, auth: str) -> None:
    """Virtuoso 7.2.5 answers a Basic header with a bare 401, no WWW-Authenticate: sending nothing first gets
    its Digest challenge. --auth basic cannot work there, and says what to use."""
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": SECRET}
    with digest_server("alice", SECRET, basic_trap=True) as server:
        good = invoke(
            "--store",
            str(store_copy),
            "load",
            "--endpoint",
            f"{server.base}/crud-auth",
            "--auth",
            auth,
            env=env,
        )
        basic = invoke(
            "--store",
            str(store_copy),
            "load",
            "--endpoint",
            f"{server.base}/crud-auth",
            "--auth",
            "basic",
            env=env,
        )
    assert good.exit_code == 0, good.stderr
    assert basic.exit_code == 2
    assert basic.stderr == (
        f'erasmus-kg: error: {server.base}/crud-auth: HTTP 401 Unauthorized: the server says "SQ110: '
        'Permission denied for the SPARQL user (<b>nobody</b>)"; the server refused the user and password '
        "sent by Basic authentication and gave no challenge: it may take only Digest (Virtuoso's "
        "/sparql-graph-crud-auth does, and gives no challenge after a Basic header): use --auth digest or "
        "--auth auto\n"
    )
    _quiet(good, basic)


@pytest.mark.parametrize("early", [False, True], ids=["read", "answered-early"])
def test_a_challenged_upload_is_sent_again_from_its_start(
    tmp_path: Path, store_copy: Path, early: bool
) -> None:
    """A server that lets HEAD through challenges the upload itself: the 401 comes after the body was read, or
    before (and the connection closed); either way the upload is sent again, whole, from the file."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "".join(f"<https://example.org/n{n}> <https://example.org/p> {n} .\n" for n in range(60_000)),
        encoding="utf-8",
    )
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": SECRET}
    with digest_server("alice", SECRET, answer_early=early, anonymous_head=True) as server:
        result = invoke(
            "--store", str(store_copy), "load", str(extra), "--no-validate",
            "--endpoint", f"{server.base}/crud-auth", env=env,
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    _quiet(result)
    assert {g: _triples(body) for g, body in server.graphs.items() if g != MANIFEST_GRAPH} == _graph_triples(
        store_copy
    )
    first = [how for method, _, how in server.requests if method == "PUT"][:2]
    assert first == ["none", "digest"]


def test_a_401_before_the_upload_is_read_names_the_servers_reason(tmp_path: Path, store_copy: Path) -> None:
    """A server that refuses an upload as soon as it has read the headers, and closes the connection while the
    client is still sending 4 MB: the user sees its 401 and its reason, not "broken pipe"."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "".join(f"<https://example.org/n{n}> <https://example.org/p> {n} .\n" for n in range(60_000)),
        encoding="utf-8",
    )
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": "wrong-" + SECRET}
    with digest_server("alice", SECRET, answer_early=True, anonymous_head=True) as server:
        result = invoke(
            "--store", str(store_copy), "load", str(extra), "--no-validate", "--graph", "urn:x:all",
            "--endpoint", f"{server.base}/crud-auth", env=env,
        )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        f'erasmus-kg: error: {server.base}/crud-auth: HTTP 401 Unauthorized: the server says "SQ110: '
        'Permission denied for the SPARQL user (<b>nobody</b>)"; the server refused the user and password '
        "sent by Digest authentication: check the credentials\n"
    )
    assert "wrong-" not in result.stderr
    _quiet(result)


def test_a_server_that_closes_mid_upload_without_an_answer(tmp_path: Path, store_copy: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "".join(f"<https://example.org/n{n}> <https://example.org/p> {n} .\n" for n in range(60_000)),
        encoding="utf-8",
    )
    with (
        oxigraph_server(tmp_path / "server") as server,
        cutting_proxy(server.port, cut_after=1_000_000) as port,
    ):
        result = invoke(
            "--store", str(store_copy), "load", str(extra), "--no-validate", "--graph", "urn:x:all",
            "--endpoint", f"http://127.0.0.1:{port}/store",
        )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"erasmus-kg: error: http://127.0.0.1:{port}/store: the server closed the connection during the "
        "upload ("
    )
    assert result.stderr.endswith(" sent) without an HTTP answer\n")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--auth", "basic"],
            {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": SECRET},
            "http://kg.example.invalid:8890/sparql: Basic authentication would send the password in clear "
            "over plain http to a host other than this machine: use an https URL, --auth digest if the "
            "server takes it, or --allow-insecure-auth to send it anyway",
        ),
        (
            [],
            {"ERASMUS_KG_TOKEN": SECRET},
            "http://kg.example.invalid:8890/sparql: a bearer token (ERASMUS_KG_TOKEN) would be sent in "
            "clear over plain http to a host other than this machine: use an https URL, or "
            "--allow-insecure-auth to send it anyway",
        ),
        (
            ["--auth", "digest"],
            {},
            "--auth digest needs a user and password: ERASMUS_KG_USER (or --user) and ERASMUS_KG_PASSWORD",
        ),
    ],
    ids=["basic", "token", "digest-without-user"],
)
def test_credentials_in_clear_are_refused_before_anything_is_sent(
    args: list[str], env: dict[str, str], message: str
) -> None:
    """A .invalid host never resolves: the refusal comes before any connection is tried."""
    result = invoke(
        "query", "projects", "--endpoint", "http://kg.example.invalid:8890/sparql", *args, env=env
    )
    assert result.exit_code == 2
    assert result.stderr == f"erasmus-kg: error: {message}\n"
    _quiet(result)


def test_which_credentials_may_go_over_plain_http() -> None:
    from erasmus_kg.remote.http import Credentials, Endpoint

    remote, local = "http://kg.example.invalid/sparql", "http://127.0.0.1:1/sparql"
    user = Credentials(user="alice", password=SECRET)
    Endpoint(remote, user)  # auto: Basic only if the server asks, and then refused (below)
    Endpoint(remote, user, auth="digest")  # Digest sends no password
    Endpoint(remote, user, auth="basic", allow_insecure_auth=True)
    Endpoint(remote, Credentials(token=SECRET), allow_insecure_auth=True)
    Endpoint(local, user, auth="basic")  # loopback traffic never leaves the machine
    Endpoint(local, Credentials(token=SECRET))
    Endpoint("https://kg.example.invalid/sparql", user, auth="basic")


def test_a_basic_challenge_over_plain_http_is_refused_in_auto() -> None:
    """--auth auto answers a Basic challenge only where Basic is not in clear; the password is not sent."""
    import httpx2

    from erasmus_kg.remote.transport import ChallengeAuth, Refused

    sent: list[str | None] = []

    def server(request: httpx2.Request) -> httpx2.Response:
        sent.append(request.headers.get("authorization"))
        return httpx2.Response(401, headers={"WWW-Authenticate": 'Basic realm="kg"'})

    client = httpx2.Client(
        transport=httpx2.MockTransport(server), auth=ChallengeAuth("alice", SECRET, "auto", clear_ok=False)
    )
    with pytest.raises(Refused, match="--allow-insecure-auth"):
        client.get("http://kg.example.invalid/sparql")
    assert sent == [None]
    allowed = httpx2.Client(
        transport=httpx2.MockTransport(server), auth=ChallengeAuth("alice", SECRET, "auto", clear_ok=True)
    )
    assert allowed.get("http://kg.example.invalid/sparql").status_code == 401
    assert sent[1:] == [None, "Basic " + __import__("base64").b64encode(f"alice:{SECRET}".encode()).decode()]


def test_the_servers_reason_is_one_sanitised_line() -> None:
    """An HTML page is shown by its text (not its markup, styles or scripts), on one line, cut short, with
    control characters and any echo of the credentials taken out."""
    page = (
        "<html><head><title>403 Forbidden</title><style>body { color: red }</style>"
        "<script>alert('x')</script></head><body><h1>403 Forbidden</h1>\n<p>SQ110: user alice "
        f"(password {SECRET}) may not write\x1b[31m here</p>"
        + "".join(f"<p>line {n}</p>" for n in range(200))
        + "</body></html>"
    ).encode()
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": SECRET}
    with stub_server(answer(403, page, "text/html; charset=utf-8")) as base:
        result = invoke("query", "projects", "--endpoint", f"{base}/query", env=env)
    assert result.exit_code == 2
    line = result.stderr
    assert line.count("\n") == 1 and "<" not in line and "color" not in line and "alert" not in line
    assert '"403 Forbidden SQ110: user alice (password ***) may not write [31m here line 0 line 1' in line
    assert line.endswith(
        '…"; the server refuses this without credentials and asked for none (no 401 challenge): try --auth '
        "basic to send them up front\n"
    )
    _quiet(result)


# Time limits: --timeout bounds each request as a whole, an upload included.


def test_an_upload_to_a_server_that_reads_slowly_ends_at_the_timeout(tmp_path: Path) -> None:
    import time

    from erasmus_kg.errors import EndpointTimeoutError
    from erasmus_kg.remote.http import Endpoint, Upload

    body = tmp_path / "graph.nt"
    body.write_bytes(b"<urn:a> <urn:p> <urn:o> .\n" * 1_000_000)  # 26 MB (more than the sockets' buffers)
    with slow_server(read_rate=40_000) as base:
        started = time.monotonic()
        with pytest.raises(EndpointTimeoutError) as error:
            Endpoint(f"{base}/store", timeout=0.6).request("PUT", body=Upload(body))
        took = time.monotonic() - started
    assert took < 1.5
    assert str(error.value).startswith(f"{base}/store: the upload was not done within 0.6 s (")
    assert str(error.value).endswith(" of 26.0 MB sent; --timeout)")


def test_an_answer_trickled_ends_at_the_timeout() -> None:
    import time

    from erasmus_kg.errors import EndpointTimeoutError
    from erasmus_kg.remote.http import Endpoint
    from erasmus_kg.remote.sparql import EndpointTarget

    with slow_server(trickle=0.1) as base:  # 39 bytes, one every 0.1 s: 4 s, each read well within 0.5 s
        started = time.monotonic()
        with pytest.raises(EndpointTimeoutError, match=r"no answer within 0\.5 s \(--timeout\)$"):
            EndpointTarget(Endpoint(f"{base}/query", timeout=0.5)).query("ASK {}")
        assert time.monotonic() - started < 1.5


def test_load_timeout_bounds_the_upload(store_copy: Path) -> None:
    with slow_server(read_rate=20_000) as base:
        result = invoke("--store", str(store_copy), "load", "--endpoint", f"{base}/store", "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"erasmus-kg: error: {base}/store: the upload ")
    assert " within 0.5 s (" in result.stderr and result.stderr.endswith("--timeout)\n")


# Honest answers (issue 15, part 3): an answer cut at the server's row limit is fetched in pages.


def _csv(result: object) -> list[str]:
    return result.stdout.splitlines()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "args"),
    [
        ("projects", []),
        ("projects", ["--limit", "5", "--offset", "2"]),
        ("projects", ["--limit", "8"]),
        ("organisations-by-country", ["-p", "country=BE"]),
        ("projects-by-key-action", ["-p", "action=KA2"]),
    ],
)
def test_an_answer_cut_at_the_row_limit_is_fetched_in_pages(
    loaded: OxigraphServer, store_root: Path, query: str, args: list[str]
) -> None:
    """A real Oxigraph server behind a proxy that cuts every answer at 3 rows and says so in X-SPARQL-MaxRows
    (Virtuoso's way): the stored list queries, whose order is total, come back whole, in pages of 3."""
    local = invoke("--store", str(store_root), "query", query, *args, "--format", "csv", "--lang", "en")
    with row_limit_proxy(f"{loaded.base}/query", 3) as proxy:
        remote = invoke("query", query, *args, "--format", "csv", "--lang", "en", "--endpoint", proxy.base)
    assert remote.exit_code == local.exit_code == 0, remote.stderr
    assert remote.stderr == ""
    assert _csv(remote) == _csv(local)
    assert len(_csv(local)) > 4  # more rows than the server gives at once
    assert any("LIMIT 3 OFFSET 3" in text for text in proxy.queries)


def test_a_cut_answer_without_a_total_order_is_an_error_or_a_warning(
    loaded: OxigraphServer, tmp_path: Path
) -> None:
    ties = tmp_path / "ties.rq"
    ties.write_text(
        "SELECT ?project ?title WHERE { ?project a ekg:Project ; dcterms:title ?title } ORDER BY ?project\n"
    )
    with row_limit_proxy(f"{loaded.base}/query", 3) as proxy:
        whole = invoke("sparql", str(ties), "--format", "csv", "--endpoint", proxy.base)
        page = invoke("sparql", str(ties), "--format", "csv", "--limit", "6", "--endpoint", proxy.base)
        small = invoke("sparql", str(ties), "--format", "csv", "--limit", "2", "--endpoint", proxy.base)
    assert whole.exit_code == 2
    assert whole.stderr == (
        f"erasmus-kg: error: {proxy.base}/: the server cut the answer at its row limit of 3 rows "
        "(X-SPARQL-MaxRows), and the query asks for more, which cannot be fetched in pages since its ORDER "
        "BY does not sort by the projected variable ?title; ask for pages of at most 3 rows (--limit, "
        "--offset) or raise the server's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)\n"
    )
    assert page.exit_code == 0
    assert len(_csv(page)) == 1 + 3
    assert page.stderr == (
        f"erasmus-kg: warning: {proxy.base}/: the server cut the answer at its row limit of 3 rows "
        "(X-SPARQL-MaxRows): it returned 3 of the 6 rows asked for, and the rest cannot be fetched in pages "
        "since its ORDER BY does not sort by the projected variable ?title; ask for pages of at most 3 rows "
        "(--limit, --offset)\n"
    )
    assert small.exit_code == 0 and small.stderr == "" and len(_csv(small)) == 1 + 2


def test_a_server_that_ignores_offset_is_not_paged_forever() -> None:
    from erasmus_kg.remote.http import Endpoint
    from erasmus_kg.remote.sparql import EndpointTarget

    same = answer(200, _solutions(3), "application/sparql-results+json", headers={"X-SPARQL-MaxRows": "3"})
    with stub_server(same) as base, pytest.raises(EndpointError, match="does not honour LIMIT and OFFSET"):
        EndpointTarget(Endpoint(f"{base}/query")).query("SELECT ?n WHERE { ?s ?p ?n } ORDER BY ?n")


def test_a_wrong_password_stops_before_any_upload(store_copy: Path) -> None:
    """The HEAD request that meets the challenge already tells that the answer is refused: nothing is sent."""
    env = {"ERASMUS_KG_USER": "alice", "ERASMUS_KG_PASSWORD": "not-" + SECRET}
    with digest_server("alice", SECRET) as server:
        result = invoke("--store", str(store_copy), "load", "--endpoint", f"{server.base}/crud-auth", env=env)
    assert result.exit_code == 2
    assert result.stderr == (
        f"erasmus-kg: error: {server.base}/crud-auth: HTTP 401 Unauthorized; the server refused the user and "
        "password sent by Digest authentication: check the credentials\n"
    )
    assert [method for method, _, _ in server.requests] == ["HEAD", "HEAD"]
    _quiet(result)
