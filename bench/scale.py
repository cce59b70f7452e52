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
   against a bare pyoxigraph script on the same store (medians; measured by bench/query.py's code, against
   its bare script bench/children/bare_query.py);
7. the JSON-LD export: `erasmus-kg export --output FILE.jsonld`.

The children it measures are bench/children/import_prp.py (steps 1, 3, 4) and validate_imports.py (step 5).

It prints a Markdown table (and writes the figures as JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import generate  # bench/generate.py
from benchlib import log, markdown_table, median_ms

from erasmus_kg.store.default import DefaultStore

QUERIES = ("projects-by-country", "country-collaborations")
COUNTRY = "LT"


def child(cmd: list[str]) -> tuple[float, float]:
    """Run a command in a fresh wrapper process; (wall seconds, peak resident set in MB of the command and its
    descendants): `benchlib.run_measured`."""
    measured = benchlib.run_measured(cmd)
    return measured.wall, measured.peak_mb


def import_step(mode: str, csv_path: Path, target: Path, work: Path) -> dict:
    """One import (bench/children/import_prp.py) in a measured process: its figures, kept in the work
    directory for --reuse."""
    out = work / f"figures-{mode}.json"
    wall, peak = child(
        [sys.executable, benchlib.child("import_prp"), mode, str(csv_path), str(target), str(out)]
    )
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


def query_latency(store_root: Path, work: Path, repeat: int) -> list[dict]:
    """The stored queries of QUERIES through the CLI against bench/query.py's bare script on the imported
    store, measured as bench/query.py measures them (one warm-up pair, then `repeat` pairs, alternating which
    goes first, each on a held, up-to-date build, every output compared)."""
    import query as bench_query  # bench/query.py

    pin = bench_query.Pin(store_root)
    cli = benchlib.executable("erasmus-kg")
    rows = []
    for name in QUERIES:
        params = bench_query.query_params(name, COUNTRY)
        r = bench_query.measure_query(
            name,
            pin,
            cli,
            bench_query.BARE_QUERY,
            params,
            work / f"{name}.rq",
            repeat,
            warmup=1,
            budget=1e9,  # no budget: `repeat` pairs whatever they take
        )
        rows.append(
            {
                "query": name,
                "bare_ms": median_ms(r["bare_s"]),
                "cli_ms": median_ms(r["cli_s"]),
                "rows": r["rows"],
                "identical": r["identical"],
            }
        )
    return rows


def export_time(store_root: Path, work: Path) -> dict:
    """Compact JSON-LD of the whole store by `erasmus-kg export --output FILE.jsonld`, and its peak memory."""
    target = work / "export.jsonld"
    cli = benchlib.executable("erasmus-kg")
    # Others may edit the packaged files meanwhile: bring the store up to date first (untimed) and hold the
    # build as a reader while the export runs.
    with DefaultStore(store_root).open_reader():
        wall, peak = child([cli, "--store", str(store_root), "export", "--output", str(target)])
    figures = {"seconds": wall, "peak_rss_mb": peak, "how": "`erasmus-kg export --output FILE.jsonld`"}
    figures["bytes"] = target.stat().st_size
    target.unlink()
    return figures


def machine() -> str:
    m = benchlib.machine()
    memory = "? RAM" if m.ram_gib is None else f"{m.ram_gib:.0f} GB RAM"
    return f"{m.nproc} cores ({m.cpu}), {memory}, Python {m.python}, {m.system}"


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
        [benchlib.executable("oxigraph"), "load", "--location", str(baseline_dir), "--file", str(nquads)]
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
            wall, peak = child(
                [sys.executable, benchlib.child("validate_imports"), str(store_root), str(out)]
            )
            figures["store_validation"] = {
                **json.loads(out.read_text()),
                "process_wall_s": wall,
                "peak_rss_mb": peak,
            }
            out.write_text(json.dumps(figures["store_validation"]))
    if "queries" not in skip:
        log("6. query latency")
        figures["queries"] = query_latency(store_root, work, args.repeat)
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

    def row(step: str, figures: dict, wall: float) -> list[str]:
        return [step, f"{wall:.1f} s", f"{wall / base:.2f}x", f"{figures['peak_rss_mb']:.0f} MB"]

    steps = [
        row("rows -> N-Quads, no validation (`--output`)", f["nquads"], f["nquads"]["wall_s"]),
        row("baseline: `oxigraph load` of those N-Quads", f["baseline"], base),
        row("import without validation (rows -> store)", f["import_plain"], f["import_plain"]["wall_s"]),
    ]
    if "import_validated" in f:
        v = f["import_validated"]
        t = v["timings"]
        step = (
            f"**the whole import, validated** (rows {t['rows']:.1f} s with validation alongside, then "
            f"{t.get('validation', 0):.1f} s waiting for it, load {t['load']:.1f} s)"
        )
        steps.append(row(step, v, v["wall_s"]))
    if "store_validation" in f:
        s = f["store_validation"]
        verdict = "conforms" if s["conforms"] else f"{s['violations']} violations"
        step = f"validating the imported graph in the store ({s['triples']:,} triples, {verdict})"
        steps.append([step, f"{s['wall_s']:.1f} s", "", f"{s['peak_rss_mb']:.0f} MB"])
    lines = [
        f"### {f['projects']:,} projects ({f['csv_mb']:.0f} MB CSV, {f['nquads']['triples']:,} triples)",
        "",
        f"Machine: {f['machine']}. Command: `{f['command']}`.",
        "",
        markdown_table(["step", "wall time", "vs baseline", "peak memory"], steps, [False, True, True, True]),
    ]
    if "queries" in f:
        queries = [
            [
                q["query"],
                f"{q['bare_ms']:.0f} ms",
                f"{q['cli_ms']:.0f} ms",
                f"{q['cli_ms'] / q['bare_ms']:.2f}",
                q["rows"],
                "yes" if q["identical"] else "no",
            ]
            for q in f["queries"]
        ]
        header = ["query", "bare pyoxigraph", "`erasmus-kg query`", "ratio", "rows", "same output"]
        lines += ["", markdown_table(header, queries, [False, True, True, True, True, False])]
    e = f.get("export")
    if e is not None:
        size, peak = e.get("bytes", 0) / 1e6, e.get("peak_rss_mb", 0)
        export = e.get("note") or f"{e['seconds']:.1f} s, {size:.0f} MB, peak {peak:.0f} MB, by {e['how']}"
        lines += ["", f"JSON-LD export: {export}"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
