"""The web front under load: concurrent clients against `erasmus-kg serve`, and a store switched underneath.

    .venv/bin/python bench/serve.py --store DIR [--clients 8] [--seconds 60] [--scenarios a,b]
                                    [--switch EXPORT.csv] [--json FILE]

It starts `erasmus-kg serve` on a free port of 127.0.0.1 over the store at DIR (read only, unless --switch is
given), reads a sample of the store's projects and organisations, and runs each scenario for `--seconds`
with `--clients` threads, each with its own keep-alive connection, sending requests one after the other:

| scenario | what each request asks |
| --- | --- |
| `static` | the stylesheet: the server's floor (no store), the baseline of the ratios |
| `project` | the page of a project of the sample (`/doc/id/project/....html`) |
| `organisation` | the page of an organisation of the sample |
| `country` | a country page of 12 (`/doc/country/DEU.html`: 20 projects and organisations), or page 2 |
| `statistics` | `/statistics`, or a country's statistics page (`/statistics/DEU`) |
| `api` | the first page (50 rows) of a stored query through the API, each query with its example parameters |
| `search` | a search (`/search?q=...`) for one of a few typical texts |
| `search-varied` | a search for one or two words of a title of the sample: texts mostly not asked before |

The server keeps its last 512 search answers (`derived.search_index.ANSWERS`), so `search`, with its seven
texts, measures answers mostly kept, and `search-varied` (each request one text of about 3,800 at 327,000
projects) answers mostly made anew; the report says how many of its requests asked a text for the first time
in the run.

Every answer must be 200 (a 3xx, 4xx or 5xx, or a failed connection, counts as an error). It prints Markdown
(progress to stderr): the machine, and per scenario the requests, requests/s, p50/p95/p99 latency, the ratio
of p50 to the floor's, errors, and whether the issue's target is met (p95 at most 100 ms for pages, 300 ms for
search and the API).

`--switch EXPORT.csv` WRITES TO THE STORE: during every scenario but `static` it imports EXPORT.csv (a Project
Results export) and removes it again, in a loop, as another process; the errors column then says whether any
request failed while the store switched underneath. Never point it at a store you want to keep as it is.
The clients and the server share the machine's cores, so the figures are for the whole: a client's own time is
in them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import httpx2
from benchlib import log, markdown_table

from erasmus_kg.namespaces import EKG
from erasmus_kg.query.catalogue import load_catalogue
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.web.links import document_path

SCENARIOS = ("static", "project", "organisation", "country", "statistics", "api", "search", "search-varied")
TARGETS_MS = {
    "project": 100,
    "organisation": 100,
    "country": 100,
    "statistics": 100,
    "api": 300,
    "search": 300,
    "search-varied": 300,
}
COUNTRIES = ("DEU", "ESP", "FRA", "ITA", "POL", "BEL", "NLD", "LTU", "ISL", "SVN", "TUR", "GBR")
"""The countries of the `country` and `statistics` scenarios: the largest lists and some small ones."""
SEARCHES = ("Litouwen", "career guidance", "hochschule", "jeugd", "erasmus", "mobility of learners", "VET")
SAMPLE = 2000
TITLES = 20_000
"""Projects whose titles give the texts of `search-varied` (3,756 texts at 327,000 projects)."""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    asked: set[str] = field(default_factory=set)
    first_time: int = 0
    """Requests for a path not asked before in the run (for searches: answers the server had not kept)."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--switch", type=Path, default=None, help="import and remove this export meanwhile")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")

    before = benchlib.machine()
    projects, organisations, texts = _sample(args.store)
    log(f"sample: {len(projects)} projects, {len(organisations)} organisations, {len(texts)} search texts")
    requests = _requests(projects, organisations, texts)
    port = _free_port()
    server = subprocess.Popen(
        [benchlib.executable("erasmus-kg"), "--store", str(args.store), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results = []
    try:
        _wait(base, server)
        for name in scenarios:
            switcher = _Switcher(args.store, args.switch) if args.switch and name != "static" else None
            if switcher:
                switcher.start()
            try:
                tally = _run(base, requests[name], args.clients, args.seconds, tag=name)
            finally:
                switches = switcher.stop() if switcher else 0
            results.append((name, tally, switches))
    finally:
        server.terminate()
        server.wait(20)

    after = benchlib.machine()
    floor = next(
        (statistics.median(t.latencies) for n, t, _ in results if n == "static" and t.latencies), None
    )
    rows = []
    figures = []
    for name, tally, switches in results:
        lat = sorted(tally.latencies)
        p50, p95, p99 = (_percentile(lat, q) * 1000 for q in (0.50, 0.95, 0.99))
        rate = len(lat) / args.seconds
        target = TARGETS_MS.get(name)
        met = "" if target is None else ("yes" if p95 <= target and not tally.errors else "no")
        ratio = f"{_percentile(lat, 0.5) / floor:.1f}x" if floor else ""
        rows.append(
            [
                name,
                len(lat) + len(tally.errors),
                f"{rate:.0f}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{p99:.1f}",
                ratio,
                len(tally.errors),
                switches if args.switch else "",
                f"{target} ms: {met}" if target else "",
            ]
        )
        figures.append(
            {
                "scenario": name,
                "requests": len(lat) + len(tally.errors),
                "per_second": rate,
                "p50_ms": p50,
                "p95_ms": p95,
                "p99_ms": p99,
                "errors": tally.errors[:20],
                "switches": switches,
                "first_time_paths": tally.first_time,
            }
        )
    print(
        f"{args.clients} clients for {args.seconds:.0f} s per scenario against `erasmus-kg serve` on "
        f"{args.store}; {before.nproc} cores ({before.cpu}), {before.ram}, Python {before.python}, "
        f"pyoxigraph {before.pyoxigraph}, erasmus-kg {before.erasmus_kg} at {before.code}; load average "
        f"{before.load} at the start, {after.load} at the end.\n"
    )
    print(
        markdown_table(
            [
                "scenario",
                "requests",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "p50 / floor",
                "errors",
                "switches",
                "target p95",
            ],
            rows,
            [False, True, True, True, True, True, True, True, True, False],
        )
    )
    for name, tally, _ in results:
        if name.startswith("search"):
            total = len(tally.latencies) + len(tally.errors)
            print(f"\n{name}: {tally.first_time:,} of {total:,} requests asked a text for the first time.")
    for name, tally, _ in results:
        for error in tally.errors[:5]:
            print(f"- {name}: {error}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if any(t.errors for _, t, _ in results) else 0


def _sample(store: Path) -> tuple[list[str], list[str], list[str]]:
    """Up to SAMPLE project and organisation IRIs of the store, spread over it (every k-th, seeded), and the
    texts of the `search-varied` scenario: one or two words of the title of each of TITLES projects (seeded),
    each text once."""
    rng = random.Random(11)
    shuffled: dict[str, list[str]] = {}
    with DefaultStore(store).open_reader() as reader:
        for kind in ("Project", "Organisation"):
            query = f"SELECT ?s WHERE {{ ?s a <{EKG}{kind}> }}"
            iris = [row["s"].value for row in reader.query(query, use_default_graph_as_union=True)]
            rng.shuffle(iris)
            shuffled[kind] = iris
        values = " ".join(f"<{iri}>" for iri in shuffled["Project"][:TITLES])
        titles = reader.query(
            f"SELECT ?t WHERE {{ VALUES ?s {{ {values} }} ?s <http://purl.org/dc/terms/title> ?t }}",
            use_default_graph_as_union=True,
        )
        texts = []
        for row in titles:
            words = [w for w in row["t"].value.split() if len(w) >= 4 and w.isalpha()]
            if words:
                first = rng.randrange(len(words))
                texts.append(" ".join(words[first : first + rng.choice((1, 2))]))
    return shuffled["Project"][:SAMPLE], shuffled["Organisation"][:SAMPLE], sorted(set(texts))


def _requests(
    projects: list[str], organisations: list[str], texts: list[str]
) -> dict[str, Callable[[random.Random], str]]:
    def page(iris: list[str]) -> Callable[[random.Random], str]:
        paths = [p for p in (document_path(iri, "html") for iri in iris) if p]
        return lambda rng: rng.choice(paths)

    api = []
    for query in load_catalogue():
        params = {p.name: p.example for p in query.params if p.example is not None}
        api.append(f"/api/queries/{query.name}?{urlencode({**params, 'limit': 50})}")
    return {
        "static": lambda rng: "/static/erasmus-kg.css",
        "project": page(projects),
        "organisation": page(organisations),
        "country": lambda rng: f"/doc/country/{rng.choice(COUNTRIES)}.html" + rng.choice(("", "?projects=2")),
        "statistics": lambda rng: rng.choice(("/statistics", *(f"/statistics/{c}" for c in COUNTRIES))),
        "api": lambda rng: rng.choice(api),
        "search": lambda rng: "/search?" + urlencode({"q": rng.choice(SEARCHES)}),
        "search-varied": lambda rng: "/search?" + urlencode({"q": rng.choice(texts)}),
    }


def _run(
    base: str, next_path: Callable[[random.Random], str], clients: int, seconds: float, tag: str
) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx2.Client(base_url=base, timeout=30, headers={"Accept": "text/html,*/*;q=0.8"}) as http:
            while time.monotonic() < deadline:
                path = next_path(rng)
                started = time.perf_counter()
                try:
                    response = http.get(path)
                    response.read()
                    ok = response.status_code == 200
                    problem = f"{response.status_code} {path}"
                except httpx2.HTTPError as exc:
                    ok, problem = False, f"{type(exc).__name__} {path}"
                elapsed = time.perf_counter() - started
                with tally.lock:
                    if path not in tally.asked:
                        tally.asked.add(path)
                        tally.first_time += 1
                    if ok:
                        tally.latencies.append(elapsed)
                    else:
                        tally.errors.append(problem)

    log(f"{tag}: {clients} clients for {seconds:.0f} s")
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log(
        f"{tag}: {len(tally.latencies)} answers, {len(tally.errors)} errors, "
        f"{tally.first_time} first-time paths"
    )
    return tally


class _Switcher:
    """Imports an export into the store and removes it again, in a loop, until stopped."""

    def __init__(self, store: Path, export: Path) -> None:
        self.store, self.export = store, export
        self.stopping = threading.Event()
        self.switches = 0
        self.thread = threading.Thread(target=self._loop)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> int:
        self.stopping.set()
        self.thread.join()
        return self.switches

    def _loop(self) -> None:
        cli = [benchlib.executable("erasmus-kg"), "--store", str(self.store)]
        env = {**os.environ}
        while not self.stopping.is_set():
            for step in (["import", "prp", str(self.export)], ["remove", str(self.export.resolve())]):
                done = subprocess.run([*cli, *step], env=env, capture_output=True, check=False)
                if done.returncode != 0:
                    log(f"switch: {' '.join(step)} failed: {done.stderr.decode().strip()[:300]}")
                    self.stopping.set()
                    return
                self.switches += 1


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    index = min(len(values) - 1, max(0, round(q * (len(values) - 1))))
    return values[index]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 600  # a store that needs a rebuild first takes minutes
    while time.monotonic() < deadline:
        try:
            httpx2.get(base + "/static/erasmus-kg.css", timeout=2)
            return
        except httpx2.TransportError:
            if server.poll() is not None:
                sys.exit("bench: erasmus-kg serve exited at start")
            time.sleep(0.2)
    sys.exit("bench: erasmus-kg serve did not answer")


if __name__ == "__main__":
    sys.exit(main())
