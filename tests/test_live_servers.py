"""The servers our users run, for real: Oxigraph server, Virtuoso 7.2.5 (Debian's `virtuoso-opensource`) and
Jena's SPARQL evaluation over TDB2 (Debian's `libapache-jena-java` behind tests/jena/SparqlServer.java, since
Fuseki is not packaged), each started on 127.0.0.1 with a database of its own in a temporary folder and
loaded once with `erasmus-kg load --endpoint`. On each: every case of the expected-results suite gives the
embedded store's rows, every graph of the store (the derived graphs and the statistics cube among them) has
the embedded store's triples there, and a second load leaves the same triples. On Virtuoso, an answer above
its row limit is reported, fetched in pages where its sort limit allows (and otherwise an error that names
the settings), and a load through its Digest-authenticated endpoint works; on Virtuoso and Jena, an upload
cut midway leaves the graph as it was. Without Virtuoso or Jena installed, their tests are skipped and say
why.

One server runs at a time (the fixture is module-scoped and parametrised, so pytest groups the tests by
server). tests/test_remote.py keeps what needs only one server: uploads cut or killed midway on Oxigraph
server, and HTTP failures from stub servers.
"""

from __future__ import annotations

import csv
import io
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import StoreTarget
from erasmus_kg.remote.http import Endpoint
from erasmus_kg.remote.sparql import MANIFEST_GRAPH, EndpointTarget, loaded_graphs, open_endpoint

from . import jena_launcher, virtuoso_server
from .jena_launcher import JenaServer
from .servers import OxigraphServer, cutting_proxy
from .virtuoso_server import LOADER, LOADER_PASSWORD, ROW_LIMIT, VirtuosoServer
from .web_server import WebServer

pytestmark = pytest.mark.server

CASES = yaml.safe_load((Path(__file__).parent / "query_cases.yaml").read_text(encoding="utf-8"))
SERVERS = ("oxigraph", "virtuoso", "jena")
KNOWN: dict[tuple[str, str], str] = {
    ("virtuoso", "project-details-manage your future-en"): (
        "Virtuoso 7.2.5 keeps an xsd:duration as a number of seconds: P14D comes back as "
        '"1.2096e+06"^^xsd:duration (queries/README.md, not worked around: the value is lost at load)'
    ),
}
"""Cases a server answers wrongly because of its own bug, which no portable query avoids: each an xfail that
must fail (strict), with the bug named."""


def case_id(case: dict) -> str:
    return f"{case['query']}-{'-'.join(case['params'].values())}-{case.get('lang', 'en')}"


@dataclass(frozen=True)
class Live:
    """A running server, loaded with the session store: where to query it and where its Graph Store is."""

    name: str
    query_url: str
    store_url: str


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def load(store_root: Path, url: str) -> str:
    result = invoke("--store", str(store_root), "load", "--endpoint", url)
    assert result.exit_code == 0, result.output
    return str(result.output)


@pytest.fixture(scope="module")
def live(
    request: pytest.FixtureRequest, store_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The server named by the test's parameter, started once for this module and loaded once: `SERVERS`, or
    one whose default graph is the union of its graphs (oxigraph-union, jena-union)."""
    name = request.param
    if name == "oxigraph":
        oxigraph = request.getfixturevalue("loaded")  # the session's server (conftest.py), loaded once
        yield Live(name, oxigraph.query_url, oxigraph.store_url)
        return
    folder = tmp_path_factory.mktemp(name)
    server: OxigraphServer | VirtuosoServer | JenaServer
    if name == "oxigraph-union":
        server = OxigraphServer(folder / "db", union_default_graph=True)
    else:
        reason = (
            virtuoso_server.missing()
            if name == "virtuoso"
            else jena_launcher.missing(jena_launcher.SERVER_JARS)
        )
        if reason:
            pytest.skip(reason)
        if name == "virtuoso":
            server = VirtuosoServer(folder)
        else:
            server = JenaServer(folder, union_default_graph=name == "jena-union")
    server.start()
    try:
        load(store_root, server.store_url)
        yield Live(name, server.query_url, server.store_url)
    finally:
        server.stop()


@pytest.fixture
def known_bug(request: pytest.FixtureRequest, live: Live) -> None:
    """Marks the test an xfail that must fail (strict) when `KNOWN` names its server and case. (A mark of the
    parameter itself would pair the server with each case in one parametrisation, and pytest would then start
    the server anew for every case.)"""
    reason = KNOWN.get((live.name, case_id(request.getfixturevalue("case"))))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("live", SERVERS, indirect=True)
@pytest.mark.usefixtures("known_bug")
def test_every_stored_query_gives_the_embedded_rows(live: Live, target: StoreTarget, case: dict) -> None:
    lang = case.get("lang", "en")
    local = target.query(prepare(case["query"], case["params"], lang, target))
    with open_endpoint(live.query_url) as remote:
        text = prepare(case["query"], case["params"], lang, remote)
        assert text == prepare(case["query"], case["params"], lang, target)
        answer = remote.query(text)
    assert isinstance(local, ox.QuerySolutions) and isinstance(answer, ox.QuerySolutions)
    assert [v.value for v in answer.variables] == [v.value for v in local.variables]
    assert _canonical_rows(answer) == _canonical_rows(local)


def _canonical_rows(results: object) -> list[tuple[str, ...]]:
    """The rows of a SELECT's `results`, each cell `_canonical`."""
    assert isinstance(results, ox.QuerySolutions)
    return [tuple(map(_canonical, row)) for row in results]


def _canonical(term: object) -> str:
    """A cell as text; GROUP_CONCAT lists are compared as sets (engines may concatenate in any order)."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, ox.Literal) and "; " in term.value:
        return "; ".join(sorted(term.value.split("; ")))
    return text


def _counts(target: StoreTarget | EndpointTarget, graphs: list[str]) -> dict[str, int]:
    """The triples of each of `graphs` (none where a graph is absent)."""
    values = " ".join(f"<{graph}>" for graph in graphs)
    results = target.query(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    )
    assert isinstance(results, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in results}  # type: ignore[union-attr]


def _triples(target: StoreTarget) -> int:
    """The triples of the store's graphs. The results are read to the end here: pyoxigraph's QuerySolutions
    may not be dropped on another thread (pytest reported it as an unraisable exception under xdist)."""
    results = target.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(results, ox.QuerySolutions)
    [row] = list(results)
    return int(row["n"].value)  # type: ignore[union-attr]


def _store_graphs(target: StoreTarget) -> list[str]:
    results = target.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    assert isinstance(results, ox.QuerySolutions)
    return sorted(row["g"].value for row in results)  # type: ignore[union-attr]


def _check_graphs(live: Live, target: StoreTarget) -> None:
    graphs = _store_graphs(target)
    derived = [g for g in graphs if g.startswith("https://w3id.org/erasmus-kg/graph/derived/")]
    assert derived and "https://w3id.org/erasmus-kg/graph/statistics" in graphs
    server = EndpointTarget(Endpoint(live.query_url))
    expected = _counts(target, graphs)
    assert all(expected[g] > 0 for g in [*derived, "https://w3id.org/erasmus-kg/graph/statistics"])
    assert _counts(server, graphs) == expected
    assert loaded_graphs(server) == graphs
    assert _counts(server, [MANIFEST_GRAPH]) == {MANIFEST_GRAPH: len(graphs)}


@pytest.mark.parametrize("value", ["groot-brittannie", "LITOUWEN.", "Litauwen", "Ijslandd"])
@pytest.mark.parametrize("live", SERVERS, indirect=True)
def test_a_country_as_people_type_it_resolves_as_on_the_embedded_store(
    live: Live, store_root: Path, value: str
) -> None:
    """A value that no label is exactly (case, accents, punctuation) is found by the normal forms of every
    label of the scheme, read from the server (internal/concept-labels.rq: one row per concept and rank,
    within Virtuoso's default row limit), and a value that matches none gets the embedded store's
    suggestions."""
    embedded = invoke("--store", str(store_root), "query", "projects-by-country", "-p", f"country={value}")
    remote = invoke("query", "projects-by-country", "-p", f"country={value}", "--endpoint", live.query_url)
    assert (remote.exit_code, _as_sets(remote.stdout), remote.stderr) == (
        embedded.exit_code,
        _as_sets(embedded.stdout),
        embedded.stderr,
    )


def _as_sets(table: str) -> list[list[str]]:
    """CSV rows with each GROUP_CONCAT list (parts joined by "; ") sorted, as `_canonical` compares them."""
    rows = csv.reader(io.StringIO(table))
    return [["; ".join(sorted(cell.split("; "))) for cell in row] for row in rows]


@pytest.mark.parametrize("live", ["virtuoso", "oxigraph-union", "jena-union"], indirect=True)
def test_with_the_servers_union_default_graph_every_stored_query_gives_the_embedded_rows(
    live: Live, target: StoreTarget
) -> None:
    """--union-default-graph: where the server's default graph is the union of its graphs (Virtuoso's is;
    Oxigraph and Jena when so configured), the queries name no graph and give the embedded store's rows, every
    case of the expected-results suite (but Virtuoso's known bugs, `KNOWN`)."""
    with open_endpoint(live.query_url, union_default_graph=True) as remote:
        assert remote.default_graphs == []
        for case in CASES:
            if (live.name, case_id(case)) in KNOWN:
                continue
            lang = case.get("lang", "en")
            local = target.query(prepare(case["query"], case["params"], lang, target))
            answer = remote.query(prepare(case["query"], case["params"], lang, remote))
            assert _canonical_rows(answer) == _canonical_rows(local), case_id(case)


@pytest.mark.parametrize("live", ["oxigraph-union"], indirect=True)
def test_serve_over_a_union_default_graph(live: Live, store_root: Path, tmp_path: Path) -> None:
    """`erasmus-kg serve --endpoint URL --union-default-graph`: the pages and the query API come from the
    server's default graph, with the embedded store's rows."""
    embedded = invoke(
        "--store", str(store_root), "query", "projects-by-country", "-p", "country=LT", "--format", "csv"
    )
    empty = tmp_path / "unused-store"  # serve over an endpoint never opens the embedded store
    with (
        WebServer(empty, ["--endpoint", live.query_url, "--union-default-graph"]) as web,
        web.client() as http,
    ):
        page = http.get("/doc/id/project/goal.html", params={"lang": "en"})
        assert page.status_code == 200
        assert "Guidance and Orientation for Adult Learners" in page.text
        answer = http.get("/api/queries/projects-by-country", params={"country": "LT", "format": "csv"})
    assert answer.status_code == 200
    assert _as_sets(answer.text.replace("\r\n", "\n")) == _as_sets(embedded.stdout)
    assert not empty.exists()


@pytest.mark.parametrize("live", ["oxigraph", "jena"], indirect=True)
def test_union_default_graph_on_a_server_whose_default_graph_is_not_the_union_is_one_line(
    live: Live, store_root: Path, tmp_path: Path
) -> None:
    """The loaded graphs are not in the default graph of `oxigraph serve` or Jena's TDB2 as configured by
    default: --union-default-graph would find nothing there, so it is refused in one line (exit 2) that says
    what to do, and without it the same query answers."""
    args = ("query", "projects-by-country", "-p", "country=LT", "--endpoint", live.query_url)
    refused = invoke(*args, "--union-default-graph")
    assert refused.exit_code == 2
    assert refused.stdout == ""
    graphs = len(loaded_graphs(EndpointTarget(Endpoint(live.query_url))))
    assert refused.stderr == (
        f"erasmus-kg: error: {live.query_url}: --union-default-graph, but the server's default graph is not "
        f"the union of its graphs (the {graphs} graphs `erasmus-kg load` put there are not in it): leave the "
        "option out, or make the server's default graph the union (Fuseki: tdb2:unionDefaultGraph true; "
        "oxigraph serve --union-default-graph)\n"
    )
    server = WebServer(tmp_path / "unused-store", ["--endpoint", live.query_url, "--union-default-graph"])
    with pytest.raises(
        RuntimeError,
        match=r"exited at start: erasmus-kg: error: \S+: --union-default-graph, but the server's default",
    ):
        server.start()  # serve refuses it at start, in the same words
    answered = invoke(*args, "--format", "csv")
    embedded = invoke(
        "--store", str(store_root), "query", "projects-by-country", "-p", "country=LT", "--format", "csv"
    )
    assert answered.exit_code == 0 and _as_sets(answered.stdout) == _as_sets(embedded.stdout)


@pytest.mark.parametrize("live", SERVERS, indirect=True)
def test_every_graph_has_the_embedded_triples(live: Live, target: StoreTarget) -> None:
    """Each graph of the store, the derived graphs and the statistics cube among them, has on the server
    exactly the triples it has in the embedded store; the manifest lists them all."""
    _check_graphs(live, target)


@pytest.mark.parametrize("live", SERVERS, indirect=True)
def test_a_second_load_leaves_the_same_triples(live: Live, target: StoreTarget, store_root: Path) -> None:
    from erasmus_kg.store.builds import EmbeddedStore

    build = EmbeddedStore(store_root).current_build()
    assert build is not None
    output = load(store_root, live.store_url)
    assert output.endswith(
        f"Sent {build.triples} triples in {len(build.graphs)} graph(s) to {live.store_url}.\n"
    )
    _check_graphs(live, target)


@pytest.mark.parametrize("live", ["virtuoso"], indirect=True)
def test_an_answer_above_virtuosos_row_limit_is_reported(
    live: Live, target: StoreTarget, tmp_path: Path
) -> None:
    """Virtuoso cuts every answer at ResultSetMaxRows (10,000 here, its default) and says so only in an
    `X-SPARQL-MaxRows` header: a query for every triple (more than the limit) is an error that says what to
    do, a page within the limit is answered."""
    triples = _triples(target)
    assert triples > ROW_LIMIT
    query = tmp_path / "everything.rq"
    query.write_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    cut = invoke("sparql", str(query), "--endpoint", live.query_url, "--format", "csv")
    assert cut.exit_code == 2
    assert cut.stderr == (
        f"erasmus-kg: error: {live.query_url}: the server cut the answer at its row limit of {ROW_LIMIT:,} "
        "rows (X-SPARQL-MaxRows), and the query asks for more, which cannot be fetched in pages since it has "
        "no ORDER BY; ask for pages of at most 10,000 rows (--limit, --offset) or raise the server's limit "
        "(Virtuoso: ResultSetMaxRows in virtuoso.ini)\n"
    )
    for limit in (ROW_LIMIT, 25):
        page = invoke(
            "sparql", str(query), "--endpoint", live.query_url, "--format", "csv", "--limit", str(limit)
        )
        assert page.exit_code == 0, page.stderr
        assert len(page.stdout.splitlines()) == limit + 1  # the header and the page


ORDERED = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o\n"
"""Every triple, in an order that is total: an answer above the row limit that can be fetched in pages."""
DURATION = ",https://w3id.org/erasmus-kg/ontology#duration,"
"""The predicate of the values Virtuoso keeps as numbers of seconds (`KNOWN`), left out of comparisons."""


@pytest.mark.parametrize("live", ["virtuoso"], indirect=True)
def test_a_sorted_answer_past_virtuosos_sort_limit_names_the_settings(
    live: Live, target: StoreTarget, tmp_path: Path
) -> None:
    """Virtuoso sorts at most MaxSortedTopRows rows for a page (OFFSET + LIMIT; 10,000 by default, as its row
    limit): the second page of an answer it cut is refused with SR353, which is one line that names both
    settings, and nothing is written."""
    assert _triples(target) > 2 * ROW_LIMIT
    ordered = tmp_path / "ordered.rq"
    ordered.write_text(ORDERED, encoding="utf-8")
    whole = invoke("sparql", str(ordered), "--endpoint", live.query_url, "--format", "csv")
    assert whole.exit_code == 2
    assert whole.stdout == ""
    assert whole.stderr == (
        f"erasmus-kg: error: {live.query_url}: the server cut the answer at its row limit of 10,000 rows "
        "(X-SPARQL-MaxRows), and refuses to sort more than 10,000 rows for the next page (SR353); raise its "
        "sort limit above the rows of the whole answer (Virtuoso: MaxSortedTopRows in the [Parameters] "
        "section of virtuoso.ini) or its row limit (ResultSetMaxRows in [SPARQL]), or ask for at most the "
        "first 10,000 rows (--limit)\n"
    )


@pytest.mark.skipif(virtuoso_server.missing() is not None, reason=str(virtuoso_server.missing()))
def test_an_answer_virtuoso_cut_is_fetched_in_pages_when_its_sort_limit_allows(
    target: StoreTarget, store_root: Path, tmp_path: Path
) -> None:
    """With MaxSortedTopRows raised (the row limit kept at 10,000), an answer that Virtuoso cuts is fetched in
    pages of 10,000 rows and put together: the embedded store's rows, each as often as there."""
    ordered = tmp_path / "ordered.rq"
    ordered.write_text(ORDERED, encoding="utf-8")
    local = invoke("--store", str(store_root), "sparql", str(ordered), "--format", "csv")
    assert local.exit_code == 0, local.stderr
    server = VirtuosoServer(tmp_path / "virtuoso", sorted_rows=1_000_000).start()
    try:
        load(store_root, server.store_url)
        whole = invoke("sparql", str(ordered), "--endpoint", server.query_url, "--format", "csv")
    finally:
        server.stop()
    assert whole.exit_code == 0, whole.stderr
    rows = whole.stdout.splitlines()
    assert len(rows) == _triples(target) + 1 > 2 * ROW_LIMIT  # the header and three pages

    def durations_left_out(lines: list[str]) -> list[str]:
        return sorted(line for line in lines if DURATION not in line)

    # each row as often as there (a triple of two graphs twice)
    assert durations_left_out(rows) == durations_left_out(local.stdout.splitlines())


@pytest.mark.parametrize("live", ["virtuoso"], indirect=True)
def test_load_through_virtuosos_digest_endpoint(
    live: Live, target: StoreTarget, store_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/sparql-graph-crud-auth asks for HTTP Digest: `load --endpoint` with a user (the password from
    ERASMUS_KG_PASSWORD) writes every graph there, and the password appears in no output; Basic is refused
    with the reason, and so is a wrong password."""
    url = f"{live.store_url}-auth"
    monkeypatch.setenv("ERASMUS_KG_PASSWORD", LOADER_PASSWORD)
    loaded = invoke("--store", str(store_root), "load", "--endpoint", url, "--user", LOADER)
    assert loaded.exit_code == 0, loaded.output
    assert loaded.stdout.endswith(f" graph(s) to {url}.\n")
    _check_graphs(live, target)
    basic = invoke(
        *("--store", str(store_root), "load", "--endpoint", url, "--user", LOADER),
        *("--auth", "basic", "--allow-insecure-auth"),
    )
    assert basic.exit_code == 2
    assert basic.stderr == (
        f"erasmus-kg: error: {url}: HTTP 401 Unauthorized; the server refused the user and password sent by "
        "Basic authentication and gave no challenge: it may take only Digest (Virtuoso's "
        "/sparql-graph-crud-auth does, and gives no challenge after a Basic header): use --auth digest or "
        "--auth auto\n"
    )
    monkeypatch.setenv("ERASMUS_KG_PASSWORD", "wrong")
    refused = invoke("--store", str(store_root), "load", "--endpoint", url, "--user", LOADER)
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"erasmus-kg: error: {url}: HTTP 401 Unauthorized; the server refused the user and password sent by "
        "Digest authentication: check the credentials\n"
    )
    assert not any(LOADER_PASSWORD in r.output for r in (loaded, basic, refused))
    _check_graphs(live, target)


@pytest.mark.parametrize("live", ["virtuoso", "jena"], indirect=True)
def test_a_cut_upload_leaves_the_previous_graph(
    live: Live, store_copy: Path, store_root: Path, tmp_path: Path
) -> None:
    """An upload that breaks off midway (a proxy closes both sides after 3.5 MB of the request) is an error,
    and the graph keeps what it held (as tests/test_remote.py checks on Oxigraph server)."""
    graph = "https://w3id.org/erasmus-kg/graph/file/cut.ttl"
    extra = tmp_path / "cut.ttl"
    extra.write_text(
        "".join(f"<https://example.org/old{n}> <https://example.org/p> {n} .\n" for n in range(100)), "utf-8"
    )
    server = EndpointTarget(Endpoint(live.query_url))
    try:
        loaded = invoke("--store", str(store_copy), "load", str(extra), "--endpoint", live.store_url)
        assert loaded.exit_code == 0, loaded.output
        assert _counts(server, [graph]) == {graph: 100}
        extra.write_text(
            "".join(f"<https://example.org/new{n}> <https://example.org/p> {n} .\n" for n in range(60_000)),
            "utf-8",
        )
        address = urllib.parse.urlsplit(live.store_url)
        assert address.port is not None
        with cutting_proxy(address.port, cut_after=3_500_000) as port:
            url = address._replace(netloc=f"127.0.0.1:{port}").geturl()
            cut = invoke("--store", str(store_copy), "load", str(extra), "--endpoint", url)
        assert cut.exit_code == 2
        assert _counts(server, [graph]) == {graph: 100}
    finally:
        load(store_root, live.store_url)  # the session store's manifest again, for the other tests
