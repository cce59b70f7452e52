"""Importing the Erasmus+ Project Results export at scale (issue #5): time, memory, and the queries after it.

    .venv/bin/python bench/scale.py --projects 10000 [--workdir /tmp/erasmus-kg-scale] [--json results.json]

For N projects it generates a synthetic export in the official layout (bench/generate.py; cached in the work
directory) and measures, each step in a child process (peak memory: `resource.getrusage(RUSAGE_CHILDREN)`,
the largest resident set of the child and of the workers it started):

1. rows -> N-Quads: `import prp --output FILE.nq` without validation (no store);
2. the baseline: the same N-Quads loaded by the `oxigraph` CLI (`oxigraph load --location DIR --file F`);
3. the import without validation into a fresh store (rows -> N-Triples -> `replace_graphs`): target: within
   2x of the baseline;
4. the whole import, validated (what `erasmus-kg import prp FILE` does): reading, mapping and writing, with
   batches validated by pySHACL in worker processes alongside, then the new build;
5. validating the imported graph in the store afterwards (what `erasmus-kg validate` adds for imports);
6. `projects-by-country -p country=LT` and `country-collaborations`: the whole `erasmus-kg query` process
   against a bare pyoxigraph script on the same store (medians; bench/query.py's bare script);
7. JSON-LD export time, when the CLI has an `export` command.

It prints a Markdown table (and writes the figures as JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import generate  # bench/generate.py (bench/ is sys.path[0] when this file is run)

VENV_BIN = Path(sys.executable).parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from erasmus_kg.importing.run import import_file
mode, csv_path, target, out = sys.argv[1:5]
started = time.perf_counter()
if mode == "nquads":
    result = import_file("prp", Path(csv_path), output=Path(target), validate=False, progress=False)
else:
    result = import_file(
        "prp", Path(csv_path), root=Path(target), validate=(mode == "validated"), progress=False
    )
figures = {
    "wall_s": time.perf_counter() - started,
    "timings": result.timings,
    "triples": result.triples,
    "rows": result.rows_imported,
    "conforms": None if result.validation is None else result.validation.conforms,
    "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "maxrss_workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}
Path(out).write_text(json.dumps(figures))
"""

VALIDATE_CHILD = r"""
import json, sys, time
from pathlib import Path
from erasmus_kg.validation.batches import validate_imports
started = time.perf_counter()
result = validate_imports(Path(sys.argv[1]))
figures = {"wall_s": time.perf_counter() - started, "conforms": result.conforms,
           "triples": result.data_triples, "violations": len(result.violations)}
Path(sys.argv[2]).write_text(json.dumps(figures))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


MEASURED = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.run(sys.argv[2:], capture_output=True)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as f:
    json.dump({"wall_s": wall, "peak_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
               "returncode": proc.returncode, "stderr": proc.stderr.decode(errors="replace")[-2000:]}, f)
"""


def child(cmd: list[str], work: Path) -> tuple[float, float]:
    """Run a command in a fresh wrapper process; (wall seconds, peak resident set in MB of the command and its
    descendants, from getrusage(RUSAGE_CHILDREN) in the wrapper)."""
    out = work / "measured.json"
    subprocess.run([sys.executable, "-c", MEASURED, str(out), *cmd], check=True)
    figures = json.loads(out.read_text())
    if figures["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {figures['returncode']}: {figures['stderr']}")
    return figures["wall_s"], figures["peak_kb"] / 1024


def import_step(mode: str, csv_path: Path, target: Path, work: Path) -> dict:
    out = work / f"figures-{mode}.json"
    wall, peak = child([sys.executable, "-c", CHILD, mode, str(csv_path), str(target), str(out)], work)
    figures = json.loads(out.read_text())
    figures["process_wall_s"] = wall
    figures["peak_rss_mb"] = peak
    out.write_text(json.dumps(figures))  # complete, for --reuse
    return figures


def reused(work: Path, step: str) -> dict | None:
    """The figures an earlier run wrote for `step` (--reuse), or None."""
    path = work / f"figures-{step}.json"
    if not path.exists():
        return None
    figures = json.loads(path.read_text())
    figures.setdefault("process_wall_s", figures.get("wall_s"))
    peak = max(figures.get("maxrss_self_kb", 0), figures.get("maxrss_workers_kb", 0)) / 1024
    figures.setdefault("peak_rss_mb", peak)
    log(f"   (figures of an earlier run: {path})")
    return figures


def query_latency(store_root: Path, repeat: int) -> list[dict]:
    import query as bench_query  # bench/query.py: the same bare script as the query benchmark

    bare_text = bench_query.BARE_SCRIPT
    from erasmus_kg.store.builds import EmbeddedStore
    from erasmus_kg.store.default import packaged_sources

    cli = str(VENV_BIN / "erasmus-kg")
    store = EmbeddedStore(store_root)
    bare = store_root / "bare.py"
    bare.write_text(bare_text)
    rows = []
    for name, params in (("projects-by-country", ["-p", "country=LT"]), ("country-collaborations", [])):
        base = [cli, "--store", str(store_root), "query", name, *params]
        text = subprocess.run([*base, "--show-query"], capture_output=True, check=True).stdout
        query_file = store_root / f"{name}.rq"
        query_file.write_bytes(text)
        times: dict[str, list[float]] = {"bare": [], "cli": []}
        outputs = {}
        for i in range(repeat + 1):
            # Others may edit the packaged files meanwhile: bring the store up to date first (untimed) and
            # hold the build as a reader, so that the bare script's build is not collected under it.
            build = store.ensure(packaged_sources())
            with store.open_reader():
                for which in (("bare", "cli"), ("cli", "bare"))[i % 2]:
                    cmd = (
                        [sys.executable, str(bare), str(build.db_path), str(query_file)]
                        if which == "bare"
                        else [*base, "--format", "csv"]
                    )
                    started = time.perf_counter()
                    proc = subprocess.run(cmd, capture_output=True, check=True)
                    if i:  # the first pair warms the caches
                        times[which].append(time.perf_counter() - started)
                    outputs[which] = proc.stdout
        rows.append(
            {
                "query": name,
                "bare_ms": statistics.median(times["bare"]) * 1000,
                "cli_ms": statistics.median(times["cli"]) * 1000,
                "rows": outputs["cli"].count(b"\n") - 1,
                "identical": outputs["cli"] == outputs["bare"],
            }
        )
    return rows


EXPORT_CHILD = r"""
import json, sys, time
from pathlib import Path
import pyoxigraph
from erasmus_kg.export import export
store = pyoxigraph.Store.read_only(sys.argv[1])
started = time.perf_counter()
with open(sys.argv[2], "wb") as out:
    nodes = export(store, "jsonld", out)
Path(sys.argv[3]).write_text(json.dumps({"seconds": time.perf_counter() - started, "nodes": nodes}))
"""


def export_time(store_root: Path, work: Path) -> dict:
    """Compact JSON-LD of the whole store: `erasmus-kg export` when the CLI has it, else the library's
    `erasmus_kg.export.export(store, "jsonld", out)` in a child process; skipped when neither exists."""
    from erasmus_kg.store.builds import EmbeddedStore
    from erasmus_kg.store.default import packaged_sources

    target = work / "export.jsonld"
    cli = str(VENV_BIN / "erasmus-kg")
    store = EmbeddedStore(store_root)
    build = store.ensure(packaged_sources())
    if subprocess.run([cli, "export", "--help"], capture_output=True, check=False).returncode == 0:
        with store.open_reader():
            wall, peak = child([cli, "--store", str(store_root), "export", "--output", str(target)], work)
        figures = {"seconds": wall, "peak_rss_mb": peak, "how": "`erasmus-kg export --output FILE.jsonld`"}
    else:
        try:
            import erasmus_kg.export  # noqa: F401
        except ImportError:
            return {"note": "skipped: neither `erasmus-kg export` nor erasmus_kg.export exists yet"}
        out = work / "figures-export.json"
        with store.open_reader():
            wall, peak = child(
                [sys.executable, "-c", EXPORT_CHILD, str(build.db_path), str(target), str(out)], work
            )
        figures = {
            **json.loads(out.read_text()),
            "peak_rss_mb": peak,
            "how": "`erasmus_kg.export.export(store, 'jsonld', out)` (the CLI has no `export` command yet)",
        }
    figures["bytes"] = target.stat().st_size
    target.unlink()
    return figures


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(
            next(
                x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{mem / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "? RAM"
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}, {platform.system()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/erasmus-kg-scale"))
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5, help="query runs per variant (medians)")
    parser.add_argument(
        "--skip", default="", help="comma-separated steps to skip: validated,store-validation,queries,export"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="take the figures of steps 1, 3, 4 and 5 and the N-Quads and store from an earlier run in "
        "--workdir (when there), and run the rest: the baseline, the queries, the export",
    )
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    n = args.projects
    work = args.workdir / f"n{n}"
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {
        "projects": n,
        "machine": machine(),
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
    }

    csv_path = args.workdir / f"prp-{n}-{args.seed}.csv"
    if not csv_path.exists():
        started = time.perf_counter()
        generate.generate(csv_path, n, args.seed)
        log(f"generated {csv_path} in {time.perf_counter() - started:.1f} s")
    figures["csv_mb"] = csv_path.stat().st_size / 1e6

    nquads = work / "import.nq"
    store_root = work / "store"

    def earlier(step: str) -> dict | None:
        return reused(work, step) if args.reuse else None

    log("1. rows -> N-Quads (no validation, no store)")
    figures["nquads"] = nquads.exists() and earlier("nquads")
    if not figures["nquads"]:
        figures["nquads"] = import_step("nquads", csv_path, nquads, work)
    figures["nquads_mb"] = nquads.stat().st_size / 1e6

    log("2. baseline: oxigraph load")
    baseline_dir = work / "baseline"
    shutil.rmtree(baseline_dir, ignore_errors=True)
    wall, peak = child(
        [str(VENV_BIN / "oxigraph"), "load", "--location", str(baseline_dir), "--file", str(nquads)], work
    )
    figures["baseline"] = {"wall_s": wall, "peak_rss_mb": peak}
    shutil.rmtree(baseline_dir, ignore_errors=True)

    log("3. import without validation into a fresh store")
    plain = work / "store-plain"
    shutil.rmtree(plain, ignore_errors=True)
    figures["import_plain"] = earlier("plain") or import_step("plain", csv_path, plain, work)
    shutil.rmtree(plain, ignore_errors=True)

    if "validated" not in skip:
        log("4. the whole import, validated")
        figures["import_validated"] = store_root.exists() and earlier("validated")
        if not figures["import_validated"]:
            shutil.rmtree(store_root, ignore_errors=True)
            figures["import_validated"] = import_step("validated", csv_path, store_root, work)
    else:
        shutil.rmtree(store_root, ignore_errors=True)
        import_step("plain", csv_path, store_root, work)
    if "store-validation" not in skip:
        log("5. validating the imported graph in the store")
        out = work / "figures-store-validation.json"
        figures["store_validation"] = earlier("store-validation")
        if not figures["store_validation"]:
            wall, peak = child([sys.executable, "-c", VALIDATE_CHILD, str(store_root), str(out)], work)
            figures["store_validation"] = {
                **json.loads(out.read_text()),
                "process_wall_s": wall,
                "peak_rss_mb": peak,
            }
            out.write_text(json.dumps(figures["store_validation"]))
    if "queries" not in skip:
        log("6. query latency")
        figures["queries"] = query_latency(store_root, args.repeat)
    if "export" not in skip:
        log("7. JSON-LD export")
        figures["export"] = export_time(store_root, work)
    if not args.reuse:
        nquads.unlink(missing_ok=True)

    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


def report(f: dict) -> str:
    base = f["baseline"]["wall_s"]
    lines = [
        f"### {f['projects']:,} projects ({f['csv_mb']:.0f} MB CSV, {f['nquads']['triples']:,} triples)",
        "",
        f"Machine: {f['machine']}. Command: `{f['command']}`.",
        "",
        "| step | wall time | vs baseline | peak memory |",
        "| --- | ---: | ---: | ---: |",
        f"| rows -> N-Quads, no validation (`--output`) | {f['nquads']['wall_s']:.1f} s | "
        f"{f['nquads']['wall_s'] / base:.2f}x | {f['nquads']['peak_rss_mb']:.0f} MB |",
        f"| baseline: `oxigraph load` of those N-Quads | {base:.1f} s | 1.00x | "
        f"{f['baseline']['peak_rss_mb']:.0f} MB |",
        f"| import without validation (rows -> store) | {f['import_plain']['wall_s']:.1f} s | "
        f"{f['import_plain']['wall_s'] / base:.2f}x | {f['import_plain']['peak_rss_mb']:.0f} MB |",
    ]
    if "import_validated" in f:
        v = f["import_validated"]
        t = v["timings"]
        lines.append(
            f"| **the whole import, validated** (rows {t['rows']:.1f} s with validation alongside, then "
            f"{t.get('validation', 0):.1f} s waiting for it, load {t['load']:.1f} s) | {v['wall_s']:.1f} s | "
            f"{v['wall_s'] / base:.2f}x | {v['peak_rss_mb']:.0f} MB |"
        )
    if "store_validation" in f:
        s = f["store_validation"]
        lines.append(
            f"| validating the imported graph in the store ({s['triples']:,} triples, "
            f"{'conforms' if s['conforms'] else str(s['violations']) + ' violations'}) | "
            f"{s['wall_s']:.1f} s | | "
            f"{s['peak_rss_mb']:.0f} MB |"
        )
    if "queries" in f:
        lines += ["", "| query | bare pyoxigraph | `erasmus-kg query` | ratio | rows | same output |",
                  "| --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
        for q in f["queries"]:
            lines.append(
                f"| {q['query']} | {q['bare_ms']:.0f} ms | {q['cli_ms']:.0f} ms | "
                f"{q['cli_ms'] / q['bare_ms']:.2f} | "
                f"{q['rows']} | {'yes' if q['identical'] else 'no'} |"
            )
    e = f.get("export")
    if e is not None:
        size, peak = e.get("bytes", 0) / 1e6, e.get("peak_rss_mb", 0)
        export = e.get("note") or f"{e['seconds']:.1f} s, {size:.0f} MB, peak {peak:.0f} MB, by {e['how']}"
        lines += ["", f"JSON-LD export: {export}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
