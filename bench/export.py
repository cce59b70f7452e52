"""Export at scale: compact JSON-LD (erasmus_kg.export) against pyoxigraph's own Turtle dump (issue #4).

Builds an on-disk pyoxigraph store like the real one: the synthetic graph (bench/synthetic.py) in one named
graph beside the packaged ontology, vocabularies and countries (about 20k triples) in theirs. Then times
each export in a fresh process (`Store.read_only`, export to a file; wall-clock and CPU time, peak resident
memory):

- `turtle-dump`: pyoxigraph's Turtle dump (`store.dump(out, RdfFormat.TURTLE, from_graph=bench graph,
  prefixes=...)`) of the synthetic graph, 98% of the store: the baseline;
- `trig-dump`: pyoxigraph's TriG dump of the whole store;
- `jsonld`: `export(store, "jsonld", out)`, compact JSON-LD of the whole store with the published context
  (target: at most 3x the baseline);
- `jsonld-frame`: `export(..., frame="project")`, one nested document per project;
- `turtle`, `ntriples`: the merged-graph formats of `export` (graphs merged with set semantics);
- `nquads`: `export(store, "nquads", out)` (pyoxigraph's dump);
- `open`: opening the store and nothing else (the memory every process starts from).

Run at two sizes (default: 25,000 and 100,000 projects, about 1.08M and 4.3M triples) it shows how peak memory
grows with the store: the exports stream, so they need what pyoxigraph's own dump of the same store needs
(RocksDB's caches), not memory in proportion to the graph. CPU time is given beside wall-clock time because
the machine may be shared: it is the steadier figure. Each timed export runs `--repeat` times (the baseline
and jsonld; the others once); the table gives the fastest run and the highest peak memory.

    .venv/bin/python bench/export.py [--projects 25000,100000] [--repeat 3] [--kinds a,b] [--workdir DIR]

It prints a Markdown section (machine, command, tables) to stdout; progress goes to stderr. Stores are built
in --workdir (default: a temporary directory, deleted at the end unless --keep) and reused when present.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import pyoxigraph as ox
import synthetic  # bench/synthetic.py
from benchlib import BENCH_GRAPH, load_average
from children.export_kind import KINDS  # bench/children/export_kind.py: what it can time

from erasmus_kg.store.default import packaged_sources

REPEATED = ("turtle-dump", "jsonld")
TARGET_RATIO = 3.0


# ------------------------------------------------------------------------------------------------------------
# One measurement, in its own process


def run_measure(kind: str, store_dir: Path, out_path: Path) -> dict:
    """Time one export in a fresh process (bench/children/export_kind.py)."""
    script = benchlib.child("export_kind")
    command = [sys.executable, script, kind, str(store_dir), str(out_path), BENCH_GRAPH]
    result = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


# ------------------------------------------------------------------------------------------------------------
# Building the store


def build_store(workdir: Path, projects: int, seed: int) -> tuple[Path, int]:
    store_dir = workdir / f"store-{projects}-{seed}-packaged"
    marker = store_dir.with_suffix(".json")
    if marker.is_file() and store_dir.is_dir():
        return store_dir, json.loads(marker.read_text())["triples"]
    nt = workdir / f"synthetic-{projects}-{seed}.nt"
    log(f"generating {nt} ({projects} projects)")
    triples = synthetic.generate(nt, projects=projects, seed=seed)
    log(f"bulk loading {triples} triples into {store_dir}")
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BENCH_GRAPH))
    for source in packaged_sources():  # as in the real store: the ontology and vocabularies beside the data
        store.bulk_load(
            path=str(source.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(source.graph)
        )
    store.optimize()
    store.flush()
    del store
    nt.unlink()
    marker.write_text(json.dumps({"triples": triples}))
    log(f"loaded in {time.perf_counter() - started:.1f} s")
    return store_dir, triples


# ------------------------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    m = benchlib.machine()
    return (
        f"{m.nproc} cores (nproc), {m.cpu}, {m.ram} RAM; {m.system} {m.release}; "
        f"Python {m.python}, pyoxigraph {m.pyoxigraph}, erasmus-kg {m.erasmus_kg}"
    )


def log(message: str) -> None:
    benchlib.log(message, tag="bench/export")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", default="25000,100000", help="comma-separated sizes (projects)")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=3, help="runs of turtle-dump and jsonld (others: 1)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated exports to time")
    parser.add_argument("--workdir", type=Path, help="where stores are built and kept (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work directory")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="erasmus-kg-bench-export-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [int(p) for p in args.projects.split(",")]
    kinds = [k for k in KINDS if k in args.kinds.split(",")]
    if "turtle-dump" not in kinds:
        parser.error("--kinds must include turtle-dump (the baseline)")
    started_load = load_average()
    rows = []
    try:
        for projects in sizes:
            store_dir, triples = build_store(workdir, projects, args.seed)
            results: dict[str, dict] = {}
            for kind in kinds:
                runs = args.repeat if kind in REPEATED else 1
                for run in range(runs):
                    out_path = workdir / f"out-{projects}-{kind}"
                    log(f"{triples} triples: {kind} run {run + 1}/{runs}")
                    r = run_measure(kind, store_dir, out_path)
                    out_path.unlink(missing_ok=True)
                    best = results.get(kind)
                    if best is None:
                        results[kind] = r
                    else:
                        best["seconds"] = min(best["seconds"], r["seconds"])
                        best["cpu"] = min(best["cpu"], r["cpu"])
                        best["peak_mb"] = max(best["peak_mb"], r["peak_mb"])
            rows.append((projects, triples, results))
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    command = "python bench/export.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print("## Export (issue #4): compact JSON-LD against pyoxigraph's Turtle dump\n")
    print(f"Machine: {machine()}.  ")
    loads = f"load average {started_load} at the start, {load_average()} at the end"
    print(f"Command: `{command.strip()}`; {loads}.\n")
    table = []
    for _projects, triples, results in rows:
        baseline, baseline_cpu = results["turtle-dump"]["seconds"], results["turtle-dump"]["cpu"]
        for kind in kinds:
            r = results[kind]
            ratio = "" if kind == "open" else f"{r['seconds'] / baseline:.2f}x"
            cpu_ratio = "" if kind == "open" else f"{r['cpu'] / baseline_cpu:.2f}x"
            size = "" if kind == "open" else f"{r['bytes'] / 1e6:.1f}"
            seconds, cpu, peak = f"{r['seconds']:.2f}", f"{r['cpu']:.2f}", f"{r['peak_mb']:.0f}"
            table.append([f"{triples:,}", kind, seconds, ratio, cpu, cpu_ratio, size, peak])
    header = [
        "triples",
        "export",
        "time (s)",
        "vs Turtle dump",
        "CPU (s)",
        "CPU vs dump",
        "output (MB)",
        "peak (MB)",
    ]
    print(benchlib.markdown_table(header, table, [k != "export" for k in header]))
    print()
    for _projects, triples, results in rows:
        if "jsonld" not in results:
            continue
        ratio = results["jsonld"]["seconds"] / results["turtle-dump"]["seconds"]
        verdict = "meets" if ratio <= TARGET_RATIO else "misses"
        target = f"{verdict} the target of {TARGET_RATIO:g}x"
        print(f"- {triples:,} triples: JSON-LD/Turtle dump = {ratio:.2f}x ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
