"""Stored queries: the whole `erasmus-kg query` process against a bare pyoxigraph script (issue #3).

Builds a store holding the packaged data and a synthetic graph of about 1 million triples (bench/synthetic.py)
with the project's own API, so that the CLI finds an up-to-date store and rebuilds nothing while it is timed.
For each stored query it then

1. asks the CLI for the exact SPARQL it runs (`erasmus-kg query NAME ... --show-query`) and writes it to a
   file;
2. times, as whole processes, a bare script (bench/children/bare_query.py: `Store.read_only(db)`,
   `query(text, use_default_graph_as_union=True)`, CSV to stdout) and `erasmus-kg --store DIR query NAME ...
   --format csv`: warm-ups first, then runs alternating which of the two goes first;
3. checks that both wrote byte-identical output (every run against the first output on the same build) and
   shows a diff when they did not.

Before every timed run the store is brought up to date (untimed) and its build held as a reader (see `Pin`),
so that edits to the packaged files while the benchmark runs cost no timed rebuild. Slow queries get fewer
runs (`--budget`). Each run records wall time and CPU time (user + system, from getrusage).

It prints Markdown tables: medians and minima of wall time, median CPU time, the CLI overhead (ms and
ratio; target: ratio <= 1.5), the start-up costs (interpreter, bare store open, `erasmus-kg --version`, the
whole CLI path without the query itself: `--show-query`), the CLI's time per step (measured in a child
process that wraps the library's functions: bench/children/cli_phases.py) and the heaviest imports
(`python -X importtime`).

Run with the project's virtual environment (it imports erasmus_kg):

    .venv/bin/python bench/query.py [--projects N] [--repeat N] [--store DIR] [--queries a,b]

The exit status is 1 when an output differs, 0 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import synthetic  # bench/synthetic.py
from benchlib import BENCH_GRAPH, Timed, log, markdown_table, median_ms

from erasmus_kg.query.catalogue import get_query
from erasmus_kg.store.builds import BuildInfo, Source
from erasmus_kg.store.default import DefaultStore

DEFAULT_QUERIES = ("projects-by-country", "country-collaborations")
MIN_RUNS = 3
SLOW_WARMUP_S = 10.0
"""After a warm-up pair that took longer than this, further warm-ups are skipped (the cache is warm)."""
BARE_QUERY = benchlib.child("bare_query")
"""The baseline: a stored query's SPARQL with nothing but pyoxigraph (bench/children/bare_query.py)."""

# ------------------------------------------------------------------------------------------------------------
# The store


def bench_store(root: Path, projects: int, seed: int) -> BuildInfo:
    """The store at `root` with the synthetic graph for (projects, seed), built unless it already holds it."""
    store = DefaultStore(root)
    wanted = {
        "generator": "bench/synthetic.py",
        "version": synthetic.VERSION,
        "projects": projects,
        "seed": seed,
    }
    build = store.current_build() if (root / "current").exists() else None
    info = build.graphs.get(BENCH_GRAPH) if build else None
    if info is not None and all(info.metadata.get(k) == v for k, v in wanted.items()):
        log(f"reusing the bench graph in {root} ({info.triples} triples)")
        return store.ensure()  # cheap when the packaged files did not change
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="erasmus-kg-bench-data-") as tmp:
        path = Path(tmp) / "synthetic.nt"
        started = time.perf_counter()
        triples = synthetic.generate(path, projects=projects, seed=seed)
        log(f"generated {triples} triples ({projects} projects) in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        build = store.replace_graphs(
            {BENCH_GRAPH: Source(BENCH_GRAPH, path, "ntriples")},
            metadata={**wanted, "generated_triples": triples},
        )
        log(f"loaded into {build.db_path} in {time.perf_counter() - started:.1f} s")
    return build


# ------------------------------------------------------------------------------------------------------------
# Processes


def query_params(name: str, country: str) -> list[str]:
    """-p arguments for a stored query: the country for a `country` parameter, the example for the rest."""
    args: list[str] = []
    for param in get_query(name).params:
        if param.name == "country":
            args += ["-p", f"country={country}"]
        elif param.required:
            args += ["-p", f"{param.name}={param.example}"]
    return args


# ------------------------------------------------------------------------------------------------------------
# Measurements


class Pin:
    """Keeps the timings off store rebuilds while other people edit the packaged files.

    The CLI brings the store up to date with the packaged files before every query (`ensure`): an edit to
    ontology/ or data/ during the benchmark would make one CLI run rebuild the whole store, and the rebuild
    deletes the build that the bare script reads. So before every timed run the benchmark brings the store up
    to date itself (untimed), holds the current build open as a reader (it cannot be deleted meanwhile), runs
    the command on that build, and discards the run if the store changed while it ran.
    """

    def __init__(self, root: Path) -> None:
        self.store = DefaultStore(root)
        self.build = self.store.ensure()
        self.rebuilds = 0
        self.discarded = 0

    def current_id(self) -> str | None:
        build = self.store.current_build()
        return build.id if build else None

    @contextlib.contextmanager
    def held(self) -> Iterator[BuildInfo]:
        for _ in range(5):
            build = self.store.ensure()
            if build.id != self.build.id:
                self.rebuilds += 1
                log(f"  the packaged files changed: store rebuilt ({build.id}), outside the timings")
                self.build = build
            with self.store.builds.open_reader():  # not DefaultStore.open_reader: no second ensure
                if self.current_id() == build.id:
                    yield build
                    return
        raise RuntimeError("the store keeps changing: cannot hold a build")

    def run(
        self, command: Callable[[BuildInfo], list[str]], timeout: float | None = None
    ) -> tuple[Timed, str]:
        """Run `command(build)` on a held, up-to-date build: its timing and the build id (`timeout`: see
        `benchlib.run_timed`)."""
        for _ in range(3):
            with self.held() as build:
                timed = benchlib.run_timed(command(build), timeout)
                if self.current_id() == build.id:
                    return timed, build.id
            self.discarded += 1
            log("  the store changed during a run: run discarded and repeated")
        raise RuntimeError("the store keeps changing during the runs")


def measure_query(
    name: str,
    pin: Pin,
    cli: str,
    bare_script: str,
    params: list[str],
    query_file: Path,
    repeat: int,
    warmup: int,
    budget: float,
) -> dict:
    """Time the bare script and the CLI alternately; compare every output with the first baseline's."""
    root = str(pin.store.root)
    source = get_query(name).path
    source_text = b""
    text_changes = -1

    def refresh_query_text() -> None:
        """(Re)write the SPARQL the CLI runs, when the stored query's file changed (or at the start)."""
        nonlocal source_text, text_changes
        current = source.read_bytes()
        if current != source_text:
            shown, _ = pin.run(lambda _b: [cli, "--store", root, "query", name, *params, "--show-query"])
            query_file.write_bytes(shown.out)
            source_text = current
            text_changes += 1
            if text_changes:
                log(f"  {source} changed: the bare script now runs the new text")

    def bare(build: BuildInfo) -> list[str]:
        return [sys.executable, bare_script, str(build.db_path), str(query_file)]

    def cli_command(_build: BuildInfo) -> list[str]:
        return [cli, "--store", root, "query", name, *params, "--format", "csv"]

    commands = {"bare": bare, "cli": cli_command}
    refresh_query_text()
    warm_pairs = 0
    pair = 0.0
    for _ in range(warmup):
        t_bare = pin.run(bare)[0].wall
        t_cli = pin.run(cli_command)[0].wall
        warm_pairs += 1
        pair = t_bare + t_cli
        if pair > SLOW_WARMUP_S:
            break
    runs = repeat if pair <= 0 else min(repeat, max(MIN_RUNS, int(budget // pair)))
    if runs < repeat:
        log(f"  {name}: a pair takes {pair:.1f} s: {runs} runs, not {repeat} (budget {budget:.0f} s)")
    times: dict[str, list[float]] = {"bare": [], "cli": []}
    cpu: dict[str, list[float]] = {"bare": [], "cli": []}
    references: dict[tuple[str, bytes], bytes] = {}
    mismatches: list[tuple[str, int, bytes, bytes]] = []
    first: bytes | None = None
    i = 0
    while i < runs:
        refresh_query_text()
        pair = [(which, *pin.run(commands[which])) for which in (("bare", "cli"), ("cli", "bare"))[i % 2]]
        if source.read_bytes() != source_text:
            pin.discarded += 1
            log(f"  {source} changed during this pair: pair discarded")
            continue
        for which, timed, build_id in pair:
            times[which].append(timed.wall)
            cpu[which].append(timed.cpu)
            out = timed.out
            first = out if first is None else first
            reference = references.setdefault((build_id, source_text), out)
            if out != reference:
                mismatches.append((which, i, reference, out))
        i += 1
        log(f"  {name}: run {i}/{runs}: bare {times['bare'][-1]:.3f} s, cli {times['cli'][-1]:.3f} s")
    assert first is not None
    return {
        "query": name,
        "params": params,
        "warmup_pairs": warm_pairs,
        "runs": runs,
        "bare_s": times["bare"],
        "cli_s": times["cli"],
        "bare_cpu_s": cpu["bare"],
        "cli_cpu_s": cpu["cli"],
        "rows": max(first.count(b"\n") - 1, 0),
        "output_bytes": len(first),
        "identical": not mismatches,
        "mismatches": [(which, i) for which, i, _, _ in mismatches],
        "diff": _diff(mismatches[0][2], mismatches[0][3]) if mismatches else "",
        "builds": len({b for b, _ in references}),
        "query_text_changes": text_changes,
    }


def _diff(reference: bytes, other: bytes, limit: int = 60) -> str:
    lines = list(
        difflib.unified_diff(
            reference.decode("utf-8", errors="replace").splitlines(),
            other.decode("utf-8", errors="replace").splitlines(),
            "first output on the same build",
            "differing output",
            lineterm="",
        )
    )
    more = f"\n... ({len(lines) - limit} more diff lines)" if len(lines) > limit else ""
    return "\n".join(lines[:limit]) + more


def measure_startup(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, list[float]]]:
    """Wall and CPU times of short commands, interleaved, after one warm-up each."""
    for cmd in commands.values():
        benchlib.run_timed(cmd)
    times: dict[str, dict[str, list[float]]] = {label: {"wall": [], "cpu": []} for label in commands}
    for _ in range(repeat):
        for label, cmd in commands.items():
            timed = benchlib.run_timed(cmd)
            times[label]["wall"].append(timed.wall)
            times[label]["cpu"].append(timed.cpu)
    return times


def measure_phases(argv: list[str], repeat: int) -> list[tuple[str, int, float]]:
    """Median seconds per step of the CLI's --show-query path, with each step's depth (a row of depth 1 is
    part of the row of depth 0 above it): bench/children/cli_phases.py, after one warm-up run."""
    samples: dict[tuple[str, int], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="erasmus-kg-bench-") as tmp:
        out = Path(tmp) / "phases.json"
        for i in range(repeat + 1):
            benchlib.run_timed([sys.executable, benchlib.child("cli_phases"), str(out), *argv])
            if i == 0:
                continue  # warm-up
            for label, depth, seconds in json.loads(out.read_text()):
                samples.setdefault((label, depth), []).append(seconds)
    return [(label, depth, statistics.median(values)) for (label, depth), values in samples.items()]


def measure_imports(argv: list[str], repeat: int = 5, top: int = 12) -> list[tuple[str, float]]:
    """The heaviest top-level imports of the CLI's --show-query path: (module, median cumulative ms)."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", benchlib.child("cli_main"), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        for line in proc.stderr.decode().splitlines():
            if not line.startswith("import time:") or "cumulative" in line:
                continue
            _, cumulative, module = line[len("import time:") :].split("|")
            if module[1:2] == " ":  # nested: counted in its top-level importer
                continue
            samples.setdefault(module.strip(), []).append(int(cumulative) / 1000)
    medians = {module: statistics.median(v) for module, v in samples.items()}
    return sorted(medians.items(), key=lambda item: -item[1])[:top]


# ------------------------------------------------------------------------------------------------------------
# Report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `erasmus-kg query` against a bare pyoxigraph script on ~1M synthetic triples."
    )
    parser.add_argument(
        "--projects",
        type=int,
        default=synthetic.DEFAULT_PROJECTS,
        help=f"synthetic projects (default {synthetic.DEFAULT_PROJECTS}: ~1.06M triples)",
    )
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED, help="generator seed")
    parser.add_argument(
        "--repeat", type=int, default=15, help="timed runs per query and contender (default 15)"
    )
    parser.add_argument("--warmup", type=int, default=2, help="warm-up pairs per query (default 2)")
    parser.add_argument(
        "--budget",
        type=float,
        default=200.0,
        help="seconds of query runs in all, shared by the queries (what one leaves goes to the next); "
        f"fewer runs (never fewer than {MIN_RUNS}) when the queries are slow (default 200)",
    )
    parser.add_argument(
        "--store", type=Path, help="store directory to build or reuse (default: a temporary one, deleted)"
    )
    parser.add_argument("--queries", default=",".join(DEFAULT_QUERIES), help="comma-separated stored queries")
    parser.add_argument("--country", default="LT", help="value of the country parameter (default LT)")
    parser.add_argument("--lang", default="en", choices=["en", "nl"], help="label language (default en)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="run the commands with the environment as it is (by default they cache bytecode in a temporary "
        "PYTHONPYCACHEPREFIX, as an installed wheel would have it, even under PYTHONDONTWRITEBYTECODE)",
    )
    args = parser.parse_args(argv)
    queries = [q.strip() for q in args.queries.split(",") if q.strip()]
    for name in queries:
        get_query(name)  # an unknown name fails here, before anything is built

    started = time.perf_counter()
    args.load_before = benchlib.load_average()
    temporary = args.store is None
    root = Path(tempfile.mkdtemp(prefix="erasmus-kg-bench-store-")) if temporary else args.store.resolve()
    work = Path(tempfile.mkdtemp(prefix="erasmus-kg-bench-"))
    if not args.keep_env:
        # Measure what an installed CLI costs: a wheel's modules are byte-compiled when installed, but an
        # editable install under PYTHONDONTWRITEBYTECODE=1 compiles every erasmus_kg module from source in
        # every process (~25 ms here). The children cache bytecode in a temporary folder, not in src/.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        bench_store(root, args.projects, args.seed)
        pin = Pin(root)
        cli = benchlib.executable("erasmus-kg")

        results = []
        budget = args.budget
        for index, name in enumerate(queries):
            per_query_budget = max(budget, 0.0) / (len(queries) - index)  # what a query leaves goes on
            query_started = time.perf_counter()
            params = [*query_params(name, args.country), "--lang", args.lang]
            query_file = work / f"{name}.rq"
            log(f"{name}: timing (SPARQL in {query_file})")
            results.append(
                measure_query(
                    name, pin, cli, BARE_QUERY, params, query_file, args.repeat, args.warmup, per_query_budget
                )
            )
            budget -= time.perf_counter() - query_started

        log("start-up costs")
        first = queries[0]
        first_params = [*query_params(first, args.country), "--lang", args.lang]
        show_argv = ["--store", str(root), "query", first, *first_params, "--show-query"]
        with pin.held() as build:
            db = str(build.db_path)
            startup_cmds = {
                "`python -c pass`": [sys.executable, "-c", "pass"],
                "bare: `import pyoxigraph; Store.read_only(db)`": [
                    sys.executable,
                    benchlib.child("bare_open"),
                    db,
                ],
                "`erasmus-kg --version`": [cli, "--version"],
                f"`erasmus-kg query {first} ... --show-query`": [cli, *show_argv],
            }
            startup = measure_startup(startup_cmds, max(args.repeat, 5))
            phases = measure_phases(show_argv, max(args.repeat // 3, 5))
            imports = measure_imports(show_argv)
            if pin.current_id() != build.id:
                log("warning: the store was rebuilt while the start-up costs were measured")
        build = pin.build
        elapsed = time.perf_counter() - started

        info = benchlib.machine()
        print(report(args, build, pin, results, startup, phases, imports, info, first, elapsed))
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": {
                            "nproc": str(info.nproc),
                            "cpu": info.cpu,
                            "ram": info.ram,
                            "python": info.python,
                            "pyoxigraph": info.pyoxigraph,
                            "os": info.os,
                            "load": info.load,
                            "code": info.code,
                        },
                        "store_triples": build.triples,
                        "bench_graph_triples": build.graphs[BENCH_GRAPH].triples,
                        "queries": results,
                        "startup_s": startup,
                        "phases_s": {label: seconds for label, _depth, seconds in phases},
                        "imports_ms": imports,
                        "elapsed_s": elapsed,
                        "store_rebuilds": pin.rebuilds,
                        "discarded_runs": pin.discarded,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 0 if all(r["identical"] for r in results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def report(
    args: argparse.Namespace,
    build: BuildInfo,
    pin: Pin,
    results: list[dict],
    startup: dict[str, dict[str, list[float]]],
    phases: list[tuple[str, int, float]],
    imports: list[tuple[str, float]],
    info: benchlib.Machine,
    first: str,
    elapsed: float,
) -> str:
    bench_triples = build.graphs[BENCH_GRAPH].triples
    out = [
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, "
        f"pyoxigraph {info.pyoxigraph}; {info.os}. Load average at the start: {args.load_before}, "
        f"at the end: {info.load}. Code: {info.code}. Bytecode: "
        + ("as the environment has it." if args.keep_env else "cached (temporary PYTHONPYCACHEPREFIX)."),
        f"Store: {build.triples:,} triples ({bench_triples:,} synthetic: {args.projects:,} projects, "
        f"seed {args.seed}; the rest packaged). Whole benchmark: {elapsed:.0f} s.",
        f"Store rebuilds because packaged files changed meanwhile: {pin.rebuilds} (untimed); runs discarded "
        f"because the store changed during them: {pin.discarded}.",
        "",
        "Whole processes; the bare script runs the SPARQL that `--show-query` printed. Medians and "
        "minima of wall time; CPU is user + system time of the process (less disturbed by other processes "
        "on the cores).",
        "",
    ]
    rows = []
    for r in results:
        bare, cli = median_ms(r["bare_s"]), median_ms(r["cli_s"])
        same = (
            f"yes ({2 * r['runs']} outputs)" if r["identical"] else f"**NO** ({len(r['mismatches'])} differ)"
        )
        rows.append(
            [
                f"`{r['query']}`",
                f"{build.triples:,}",
                f"{r['rows']:,}",
                r["runs"],
                f"{bare:.0f}",
                f"{cli:.0f}",
                f"{cli - bare:+.0f}",
                f"{cli / bare:.2f}x",
                f"{min(r['bare_s']) * 1000:.0f} / {min(r['cli_s']) * 1000:.0f}",
                f"{median_ms(r['bare_cpu_s']):.0f} / {median_ms(r['cli_cpu_s']):.0f}",
                same,
            ]
        )
    out.append(
        markdown_table(
            [
                "query",
                "triples",
                "rows",
                "runs",
                "bare median (ms)",
                "CLI median (ms)",
                "CLI overhead (ms)",
                "ratio",
                "min bare / CLI (ms)",
                "CPU median bare / CLI (ms)",
                "identical output",
            ],
            rows,
            [False, True, True, True, True, True, True, True, True, True, False],
        )
    )
    for r in results:
        if not r["identical"]:
            out += [
                "",
                f"Output of `{r['query']}` differs ({r['mismatches']}):",
                "",
                "```diff",
                r["diff"],
                "```",
            ]
    count = len(next(iter(startup.values()))["wall"])
    out += ["", f"Start-up, whole processes (median of {count} runs):", ""]
    base = median_ms(startup["`python -c pass`"]["wall"])
    bare_open = median_ms(startup["bare: `import pyoxigraph; Store.read_only(db)`"]["wall"])
    out.append(
        markdown_table(
            ["command", "wall (ms)", "over `python -c pass`", "over the bare open", "CPU (ms)"],
            [
                [
                    label,
                    f"{median_ms(v['wall']):.0f}",
                    f"{median_ms(v['wall']) - base:+.0f}",
                    f"{median_ms(v['wall']) - bare_open:+.0f}",
                    f"{median_ms(v['cpu']):.0f}",
                ]
                for label, v in startup.items()
            ],
            [False, True, True, True, True],
        )
    )
    out += [
        "",
        f"Steps of `erasmus-kg query {first} ... --show-query` inside the process (median ms; nested rows "
        "are part of the row above them):",
        "",
    ]
    step_rows = [["↳ " * depth + label, f"{seconds * 1000:.1f}"] for label, depth, seconds in phases]
    out.append(markdown_table(["step", "ms"], step_rows, [False, True]))
    out += ["", "Heaviest top-level imports of that run (`python -X importtime`, cumulative, median ms):", ""]
    out.append(
        markdown_table(["module", "ms"], [[f"`{m}`", f"{ms:.1f}"] for m, ms in imports], [False, True])
    )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
