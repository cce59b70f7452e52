"""The servers our users run, side by side (issue #15): `erasmus-kg load --endpoint` and the reference
questions on the embedded store, Oxigraph server, Virtuoso and Jena over TDB2.

    .venv/bin/python bench/servers.py --store DIR [--repeat 3] [--warmup 1] [--servers oxigraph,virtuoso,jena]
        [--timeout 900] [--workdir DIR] [--json FILE]

`--servers` also takes oxigraph-union and jena-union: the same servers with their default graph the union of
their graphs (`oxigraph serve --union-default-graph`; the Jena launcher's `--union-default-graph`, as Fuseki's
`tdb2:unionDefaultGraph true`), asked with `erasmus-kg query --union-default-graph`.

DIR is a store into which a Project Results export was imported (`bench/generate.py --projects 30000 --output
F` and `erasmus-kg --store DIR import prp F`). First the embedded store: each reference question of
bench/speed.py (projects-by-country LT and DE, projects-by-key-action KA2, organisations-by-country DE,
country-collaborations) as a whole `erasmus-kg --store DIR query NAME -p ... --lang en --format csv`
process, median of `--repeat` runs after `--warmup`. Then one server at a time, each started by the tests'
own launchers (tests/servers.py, tests/virtuoso_server.py, tests/jena_launcher.py) with a fresh database in
`--workdir`: the store sent by one timed `erasmus-kg --store DIR load --endpoint URL` process (every graph's
triples then counted on the server against the store), the same questions through `erasmus-kg query ...
--endpoint URL --timeout T`, and the server stopped before the next starts, so that only one runs at a time.
A load that fails, or takes more than `--load-timeout` s and is killed, is tried again on a fresh server and
database (up to `--load-attempts`; Virtuoso 7.2.5 deadlocks or hangs on large PUTs, and a hung load keeps
its locks in the server), and each failure is reported. When every load on Virtuoso failed, a last fresh
Virtuoso is loaded by its own bulk loader instead (`ld_dir`, `rdf_loader_run` and a checkpoint, from an
N-Quads dump of the store with the manifest graph `load --endpoint` writes; the loader timed, not the dump),
so that the questions are still timed there; the report says so.
Every answer is compared with the embedded store's, its GROUP_CONCAT parts as sets. A run that fails (a
timeout, an HTTP error) is reported with its message, and that question is not repeated on that server.

The servers as the tests run them, but for the benchmark: Virtuoso with 60,000 buffers of 8 KB (480 MB), no
time limit and a row limit of 10,000,000 (its default 10,000 would cut the larger answers: erasmus-kg reports
that as an error, tests/test_live_servers.py); Jena's JVM with a 4 GB heap.

It prints Markdown to stdout (progress on stderr): the machine, the load average at the start, before each
server and at the end, the store, a table of the loads and a table of the questions, seconds side by side.
The exit status is 1 when an answer differs from the embedded store's.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import pyoxigraph as ox
from benchlib import load_average, log, markdown_table
from query import Pin  # bench/query.py

sys.path.insert(1, str(benchlib.REPO))  # the tests' server launchers, one copy for the tests and this
from erasmus_kg.namespaces import DCTERMS
from erasmus_kg.remote.http import Endpoint
from erasmus_kg.remote.sparql import MANIFEST_GRAPH, EndpointTarget
from erasmus_kg.store.default import DefaultStore
from tests.jena_launcher import SERVER_JARS, JenaServer
from tests.jena_launcher import missing as jena_missing
from tests.servers import OxigraphServer
from tests.virtuoso_server import VirtuosoServer
from tests.virtuoso_server import missing as virtuoso_missing

LANG = "en"
SERVERS = ("oxigraph", "virtuoso", "jena")
UNION_SERVERS = ("oxigraph-union", "jena-union")
"""Oxigraph server and Jena with their default graph the union of their graphs, asked with
--union-default-graph (no default-graph-uri): only when named in --servers."""
VIRTUOSO_BUFFERS = 60_000
VIRTUOSO_ROW_LIMIT = 10_000_000
JENA_HEAP = "4g"


@dataclass(frozen=True)
class Question:
    label: str
    query: str
    params: dict[str, str] = field(default_factory=dict)


QUESTIONS = (
    Question("projects-by-country LT", "projects-by-country", {"country": "LT"}),
    Question("projects-by-country DE", "projects-by-country", {"country": "DE"}),
    Question("projects-by-key-action KA2", "projects-by-key-action", {"action": "KA2"}),
    Question("organisations-by-country DE", "organisations-by-country", {"country": "DE"}),
    Question("country-collaborations", "country-collaborations"),
)
"""The reference questions of bench/speed.py (its `QUESTIONS`, the ones DuckDB answers too)."""


@dataclass
class Outcome:
    """The runs of one question (or of the load) on one contender."""

    times: list[float] = field(default_factory=list)
    rows: int | None = None
    same: bool | None = None
    error: str | None = None
    failures: list[str] = field(default_factory=list)
    """Loads only: the failed attempts before the one timed (before the last, `error`, when none was)."""
    bulk_s: float | None = None
    """Virtuoso only: the seconds of its bulk loader, when every load --endpoint failed."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    def cell(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        text = "–" if self.median is None else f"{self.median:.2f}"
        return text if self.same is not False else f"{text} (**rows differ**)"


def failure(exc: RuntimeError) -> str:
    """What a failed run said, without the command line benchlib.run_timed puts first."""
    text = str(exc).strip().splitlines()[-1]
    for marker in (" exited with ", " was killed after "):
        if marker in text:
            rest = text.partition(marker)[2]
            text = rest.partition(": ")[2] if marker == " exited with " else f"killed after {rest}"
    return text[-300:]


def canonical(out: bytes) -> list[tuple[str, ...]]:
    """CSV rows with each cell's "; "-separated parts sorted (GROUP_CONCAT's order is free)."""
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"))))
    return [tuple("; ".join(sorted(cell.split("; "))) for cell in row) for row in rows]


def question_args(question: Question) -> list[str]:
    params = [arg for name, value in question.params.items() for arg in ("-p", f"{name}={value}")]
    return ["query", question.query, *params, "--lang", LANG, "--format", "csv"]


def time_runs(
    run: Callable[[], benchlib.Timed], repeat: int, warmup: int, reference: bytes | None, label: str
) -> tuple[Outcome, bytes | None]:
    outcome = Outcome()
    first: bytes | None = None
    for n in range(warmup + repeat):
        try:
            timed = run()
        except RuntimeError as exc:
            outcome.error = failure(exc)
            log(f"  {label}: {outcome.error}")
            return outcome, first
        if first is None:
            first = timed.out
            rows = canonical(timed.out)
            outcome.rows = max(len(rows) - 1, 0)
            outcome.same = reference is None or rows == canonical(reference)
        if n >= warmup:
            outcome.times.append(timed.wall)
        log(f"  {label}: {timed.wall:.2f} s" + (" (warm-up)" if n < warmup else ""))
    return outcome, first


@contextmanager
def started(name: str, folder: Path) -> Iterator[tuple[object, str, str]]:
    """The server `name` running on a fresh database in `folder`: the server, its Graph Store and query
    URLs."""
    server: OxigraphServer | VirtuosoServer | JenaServer
    folder.mkdir(parents=True)  # oxigraph serve makes only the last folder of its --location
    if name in ("oxigraph", "oxigraph-union"):
        server = OxigraphServer(folder / "oxigraph", union_default_graph=name == "oxigraph-union").start()
    elif name == "virtuoso":
        server = VirtuosoServer(
            folder / "virtuoso", buffers=VIRTUOSO_BUFFERS, time_limit=0, row_limit=VIRTUOSO_ROW_LIMIT
        ).start()
    else:
        server = JenaServer(folder / "jena", heap=JENA_HEAP, union_default_graph=name == "jena-union").start()
    try:
        yield server, server.store_url, server.query_url
    finally:
        server.stop()


def bulk_load(server: VirtuosoServer, store: DefaultStore, graphs: list[str]) -> float:
    """Load the store into Virtuoso with its own bulk loader (ld_dir, rdf_loader_run, checkpoint), with the
    manifest graph `load --endpoint` writes: the seconds of the loader (the N-Quads dump is not timed)."""
    dump = server.folder / "store.nq"  # the server's folder is in its DirsAllowed
    manifest = ox.NamedNode(MANIFEST_GRAPH)
    has_part = ox.NamedNode(DCTERMS + "hasPart")
    with store.open_reader() as reader, dump.open("wb") as out:
        reader.dump(out, ox.RdfFormat.N_QUADS)
        quads = [ox.Quad(manifest, has_part, ox.NamedNode(g), manifest) for g in graphs]
        out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    started_at = time.perf_counter()
    server.sql(f"ld_dir('{server.folder}', 'store.nq', '{MANIFEST_GRAPH}');")
    server.sql("rdf_loader_run();")
    server.sql("checkpoint;")
    seconds = time.perf_counter() - started_at
    if "NULL" not in server.sql("SELECT ll_error FROM DB.DBA.LOAD_LIST;").split("____")[-1]:
        raise RuntimeError(f"the bulk loader failed: {server.sql('SELECT ll_error FROM DB.DBA.LOAD_LIST;')}")
    return seconds


def graph_counts(target: Callable[[str], object], graphs: list[str]) -> dict[str, int]:
    values = " ".join(f"<{g}>" for g in graphs)
    results = target(
        f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    )
    return {row["g"].value: int(row["n"].value) for row in results}  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store with an imported export")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument(
        "--servers",
        default=",".join(SERVERS),
        help="comma-separated, of " + ", ".join(SERVERS + UNION_SERVERS),
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="--timeout of each query on a server")
    parser.add_argument(
        "--load-attempts", type=int, default=3, help="loads tried per server before giving up"
    )
    parser.add_argument(
        "--load-timeout", type=float, default=900.0, help="seconds a load may take before it is killed"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where the servers' databases go (made if missing; default: temporary)"
    )
    parser.add_argument("--json", type=Path, help="write every measurement here")
    args = parser.parse_args(argv)
    servers = [s for s in args.servers.split(",") if s]
    if unknown := sorted(set(servers) - set(SERVERS) - set(UNION_SERVERS)):
        parser.error(f"unknown servers: {', '.join(unknown)}")
    for name, reason in (
        ("virtuoso", virtuoso_missing()),
        ("jena", jena_missing(SERVER_JARS)),
        ("jena-union", jena_missing(SERVER_JARS)),
    ):
        if name in servers and reason:
            sys.exit(f"bench: {name}: {reason}")

    cli = benchlib.executable("erasmus-kg")
    started_at = time.monotonic()
    load_before = load_average()
    pin = Pin(args.store)
    root = str(args.store)
    with pin.store.open_reader() as reader:
        graphs = sorted(g.iri for g in pin.store.graphs())
        embedded_counts = graph_counts(lambda q: reader.query(q), graphs)
    triples = sum(embedded_counts.values())
    log(f"store {root}: {triples:,} triples in {len(graphs)} graphs")

    results: dict[str, dict[str, Outcome]] = {q.label: {} for q in QUESTIONS}
    references: dict[str, bytes | None] = {}
    log("embedded store")
    for q in QUESTIONS:
        outcome, out = time_runs(
            lambda q=q: pin.run(lambda _b: [cli, "--store", root, *question_args(q)])[0],
            args.repeat,
            args.warmup,
            None,
            f"embedded {q.label}",
        )
        results[q.label]["embedded"] = outcome
        references[q.label] = out

    loads: dict[str, Outcome] = {}
    loads_at: dict[str, str] = {}
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="erasmus-kg-servers-", dir=args.workdir) as work:
        for name in servers:
            loads_at[name] = load_average()
            load = loads[name] = Outcome()
            attempts = args.load_attempts + (1 if name == "virtuoso" else 0)
            for attempt in range(1, attempts + 1):
                # a fresh server and database for each attempt: a load that hung holds its locks in the server
                bulk = attempt > args.load_attempts  # Virtuoso, after every load --endpoint failed
                log(f"{name}: starting, attempt {attempt} (load average {load_average()})")
                with started(name, Path(work) / f"{name}-{attempt}") as (server, store_url, query_url):
                    target = EndpointTarget(Endpoint(query_url, timeout=args.timeout))
                    if bulk:
                        assert isinstance(server, VirtuosoServer)
                        load.bulk_s = bulk_load(server, pin.store, graphs)
                        log(f"  {name}: loaded by its bulk loader in {load.bulk_s:.1f} s")
                    else:
                        try:
                            timed, _ = pin.run(
                                lambda _b, url=store_url: [cli, "--store", root, "load", "--endpoint", url],
                                timeout=args.load_timeout,
                            )
                        except RuntimeError as exc:
                            load.failures.append(failure(exc))
                            log(f"  {name}: load failed: {load.failures[-1]}")
                            continue
                        load.times.append(timed.wall)
                        log(f"  {name}: load {timed.wall:.1f} s")
                    load.rows = triples
                    load.same = graph_counts(target.query, graphs) == embedded_counts
                    log(f"  {name}: same triples per graph: {load.same}")
                    remote = ["--endpoint", query_url, "--timeout", f"{args.timeout:g}"]
                    if name in UNION_SERVERS:
                        remote.append("--union-default-graph")
                    for q in QUESTIONS:
                        command = [cli, *question_args(q), *remote]
                        outcome, _ = time_runs(
                            lambda command=command: benchlib.run_timed(command),
                            args.repeat,
                            args.warmup,
                            references[q.label],
                            f"{name} {q.label}",
                        )
                        results[q.label][name] = outcome
                log(f"{name}: stopped")
                break
            if not load.times and load.failures:
                load.error = load.failures[-1]
                load.failures = load.failures[:-1]

    info = benchlib.machine()
    elapsed = time.monotonic() - started_at
    command = "python bench/servers.py " + shlex.join(argv if argv is not None else sys.argv[1:])
    print(
        report(
            info,
            root,
            triples,
            len(graphs),
            servers,
            loads,
            loads_at,
            results,
            load_before,
            args,
            elapsed,
            command,
        )
    )
    if args.json:
        payload = {
            "machine": info.__dict__,
            "store": root,
            "triples": triples,
            "loads": {k: v.__dict__ for k, v in loads.items()},
            "questions": {label: {k: v.__dict__ for k, v in per.items()} for label, per in results.items()},
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    differs = [o for per in results.values() for o in per.values() if o.same is False]
    differs += [o for o in loads.values() if o.same is False]
    return 1 if differs else 0


def load_rows(servers: list[str], loads: dict[str, Outcome], names: dict[str, str]) -> list[list[str]]:
    rows = []
    for s in servers:
        load = loads.get(s)
        if load is None:
            rows.append([names[s], "–", "–", "–"])
            continue
        same = "–" if load.same is None else ("yes" if load.same else "**no**")
        failures = "; ".join(load.failures) or "none"
        if load.bulk_s is None:
            rows.append([names[s], load.cell(), same, failures])
        else:  # every load --endpoint failed: the queries ran on what Virtuoso's bulk loader loaded
            rows.append([names[s], load.cell(), "–", failures])
            rows.append([f"{names[s]}, its bulk loader instead", f"{load.bulk_s:.2f}", same, "–"])
    return rows


def report(
    info: benchlib.Machine,
    root: str,
    triples: int,
    graphs: int,
    servers: list[str],
    loads: dict[str, Outcome],
    loads_at: dict[str, str],
    results: dict[str, dict[str, Outcome]],
    load_before: str,
    args: argparse.Namespace,
    elapsed: float,
    command: str,
) -> str:
    names = {
        "embedded": "embedded",
        "oxigraph": "Oxigraph server",
        "virtuoso": "Virtuoso",
        "jena": "Jena",
        "oxigraph-union": "Oxigraph server, union default graph",
        "jena-union": "Jena, union default graph",
    }
    at = "; ".join(f"before {names[s]}: {loads_at[s]}" for s in servers)
    out = [
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, pyoxigraph "
        f"{info.pyoxigraph}, erasmus-kg {info.erasmus_kg}; {info.os}. Load average at the start: "
        f"{load_before}; {at}; at the end: {info.load}. Code: {info.code}.",
        f"Store: {root} ({triples:,} triples in {graphs} graphs). Command: `{command}`. Whole benchmark: "
        f"{elapsed / 60:.0f} min.",
        "",
        "`erasmus-kg --store DIR load --endpoint URL`, one whole process, into a fresh database (one run; a "
        f"failed load is tried again, up to {args.load_attempts} attempts of at most {args.load_timeout:g} "
        "s):",
        "",
        markdown_table(
            ["server", "load (s)", "same triples per graph", "failed attempts before"],
            load_rows(servers, loads, names),
            [False, True, False, False],
        ),
        "",
        f"The reference questions, whole `erasmus-kg query ... --lang {LANG} --format csv` processes (with "
        "`--endpoint URL` on a server: the parameter values are resolved there by SPARQL lookups, the "
        f"embedded store uses its name index), median seconds of {args.repeat} run(s) after {args.warmup} "
        "warm-up(s); each answer compared with the embedded store's (GROUP_CONCAT parts as sets):",
        "",
    ]
    columns = ["embedded", *servers]
    rows = []
    for q in QUESTIONS:
        per = results[q.label]
        reference = per.get("embedded")
        rows.append(
            [q.label, "–" if reference is None or reference.rows is None else f"{reference.rows:,}"]
            + [per[c].cell() if c in per else "–" for c in columns]
        )
    out.append(
        markdown_table(
            ["question", "rows", *(f"{names[c]} (s)" for c in columns)],
            rows,
            [False, True, *(True for _ in columns)],
        )
    )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
