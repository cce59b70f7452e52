"""The CLI's own cost: `erasmus-kg query action-types` against a bare pyoxigraph script (issue #11).

A stored query that takes a few milliseconds on the packaged data, so that what the whole process costs is
almost all start-up: the interpreter, the imports, click, the store's checks. The target of issue #11: a
whole `erasmus-kg query` process at most 50 ms slower than a bare pyoxigraph process running the same text
on the same store.

It builds (or reuses, `--store`) a store holding the packaged data only, asks the CLI for the exact SPARQL
(`--show-query`), and times whole processes with bench/query.py's `measure_query`: the bare script
(bench/children/bare_query.py) against `erasmus-kg --store DIR query action-types --lang en --format csv`,
alternating which goes first, after warm-ups, every output compared byte for byte. It also times, interleaved,
`python -c pass`, the bare open of the store (bench/children/bare_open.py), `erasmus-kg --version` and
`erasmus-kg --help`, and lists the heaviest top-level imports of the query process (`python -X importtime`)
with the number of modules it imports.

    .venv/bin/python bench/startup.py [--repeat 40] [--warmup 3] [--store DIR] [--query action-types]

It prints Markdown (progress on stderr): the machine and load, the overhead of the CLI over the bare script
(median of the per-pair differences, the difference of the medians, minima, CPU), the start-up table and the
imports. The exit status is 1 when an output differs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
from benchlib import log, markdown_table, median_ms
from query import BARE_QUERY, Pin, measure_query, measure_startup  # bench/query.py

from erasmus_kg.query.catalogue import get_query

TARGET_MS = 50.0
"""Issue #11: a whole `erasmus-kg query` process at most this much slower than the bare script."""


def measure_imports(argv: list[str], repeat: int, top: int) -> tuple[list[tuple[str, float]], int]:
    """The heaviest top-level imports of `erasmus-kg ARGV` (median cumulative ms over `repeat` runs of
    `python -X importtime` on the console script's path, bench/children/cli_main.py) and how many modules
    it imported (the lines of importtime's report)."""
    samples: dict[str, list[float]] = {}
    counts: list[int] = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", benchlib.child("cli_main"), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=True,
        )
        lines = [
            line[len("import time:") :]
            for line in proc.stderr.decode().splitlines()
            if line.startswith("import time:") and "cumulative" not in line
        ]
        counts.append(len(lines))
        for line in lines:
            _, cumulative, module = line.split("|")
            if module[1:2] == " ":  # nested: counted in its top-level importer
                continue
            samples.setdefault(module.strip(), []).append(int(cumulative) / 1000)
    medians = {module: statistics.median(v) for module, v in samples.items()}
    heaviest = sorted(medians.items(), key=lambda item: -item[1])[:top]
    return heaviest, int(statistics.median(counts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time `erasmus-kg query action-types` against a bare pyoxigraph script: the CLI's cost."
    )
    parser.add_argument("--query", default="action-types", help="stored query (default action-types)")
    parser.add_argument("--repeat", type=int, default=40, help="timed pairs (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up pairs (default 3)")
    parser.add_argument(
        "--store", type=Path, help="store directory to build or reuse (default: a temporary one, deleted)"
    )
    parser.add_argument("--imports", type=int, default=10, help="importtime runs (default 10)")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="run the commands with the environment as it is (by default they cache bytecode in a temporary "
        "PYTHONPYCACHEPREFIX, as an installed wheel would have it, even under PYTHONDONTWRITEBYTECODE)",
    )
    args = parser.parse_args(argv)
    params = ["--lang", "en"]
    for param in get_query(args.query).params:
        if param.required:
            params += ["-p", f"{param.name}={param.example}"]

    started = time.perf_counter()
    load_before = benchlib.load_average()
    temporary = args.store is None
    root = Path(tempfile.mkdtemp(prefix="erasmus-kg-bench-store-")) if temporary else args.store.resolve()
    work = Path(tempfile.mkdtemp(prefix="erasmus-kg-bench-"))
    if not args.keep_env:
        # As bench/query.py: an installed wheel has its bytecode; an editable install under
        # PYTHONDONTWRITEBYTECODE=1 would compile every erasmus_kg module in every process.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        pin = Pin(root)  # builds the store (packaged data only) when it has no current build
        cli = benchlib.executable("erasmus-kg")
        log(f"{args.query}: timing on {root}")
        result = measure_query(
            args.query,
            pin,
            cli,
            BARE_QUERY,
            params,
            work / f"{args.query}.rq",
            args.repeat,
            args.warmup,
            budget=1e9,  # no budget: every pair runs
        )
        log("start-up costs")
        query_argv = ["--store", str(root), "query", args.query, *params, "--format", "csv"]
        with pin.held() as build:
            startup = measure_startup(
                {
                    "`python -c pass`": [sys.executable, "-c", "pass"],
                    "bare: `import pyoxigraph; Store.read_only(db)`": [
                        sys.executable,
                        benchlib.child("bare_open"),
                        str(build.db_path),
                    ],
                    "`erasmus-kg --version`": [cli, "--version"],
                    "`erasmus-kg --help`": [cli, "--help"],
                },
                args.repeat,
            )
            imports, modules = measure_imports(query_argv, args.imports, top=12)
            bare_modules = _bare_modules(str(build.db_path), work / f"{args.query}.rq")
        info = benchlib.machine()
        elapsed = time.perf_counter() - started
        print(report(args, build.triples, result, startup, imports, modules, bare_modules, info, load_before))
        log(f"done in {elapsed:.0f} s")
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "machine": {
                            "cpu": info.cpu,
                            "nproc": info.nproc,
                            "load": info.load,
                            "code": info.code,
                        },
                        "load_before": load_before,
                        "query": result,
                        "startup_s": startup,
                        "imports_ms": imports,
                        "modules": modules,
                        "bare_modules": bare_modules,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 0 if result["identical"] else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def _bare_modules(db: str, query_file: Path) -> int:
    """How many modules the bare script imports (lines of `python -X importtime`)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", BARE_QUERY, db, str(query_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    lines = proc.stderr.decode().splitlines()
    return sum(1 for line in lines if line.startswith("import time:") and "cumulative" not in line)


def report(
    args: argparse.Namespace,
    triples: int,
    r: dict,
    startup: dict[str, dict[str, list[float]]],
    imports: list[tuple[str, float]],
    modules: int,
    bare_modules: int,
    info: benchlib.Machine,
    load_before: str,
) -> str:
    bare, cli = median_ms(r["bare_s"]), median_ms(r["cli_s"])
    paired = statistics.median(c - b for b, c in zip(r["bare_s"], r["cli_s"], strict=True)) * 1000
    cpu_bare, cpu_cli = median_ms(r["bare_cpu_s"]), median_ms(r["cli_cpu_s"])
    same = f"yes ({2 * r['runs']} outputs)" if r["identical"] else f"**NO** ({len(r['mismatches'])} differ)"
    out = [
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, "
        f"pyoxigraph {info.pyoxigraph}; {info.os}. Load average at the start: {load_before}, at the end: "
        f"{info.load}. Code: {info.code}. Bytecode: "
        + ("as the environment has it." if args.keep_env else "cached (temporary PYTHONPYCACHEPREFIX)."),
        f"Store: {triples:,} triples (the packaged data). `{args.query}` gives {r['rows']} rows.",
        "",
        f"`erasmus-kg query {args.query} {' '.join(r['params'])} --format csv` against the bare script on "
        f"the SPARQL `--show-query` printed; {r['runs']} pairs after {r['warmup_pairs']} warm-up pairs, "
        "alternating which goes first. The overhead is the median of the per-pair differences (the "
        "difference of the medians beside it); CPU is user + system time.",
        "",
        markdown_table(
            [
                "bare median (ms)",
                "CLI median (ms)",
                "CLI overhead (ms)",
                "difference of medians (ms)",
                "min bare / CLI (ms)",
                "CPU median bare / CLI (ms)",
                f"target <= {TARGET_MS:.0f} ms",
                "identical output",
            ],
            [
                [
                    f"{bare:.1f}",
                    f"{cli:.1f}",
                    f"{paired:+.1f}",
                    f"{cli - bare:+.1f}",
                    f"{min(r['bare_s']) * 1000:.1f} / {min(r['cli_s']) * 1000:.1f}",
                    f"{cpu_bare:.1f} / {cpu_cli:.1f}",
                    "yes" if paired <= TARGET_MS else "**no**",
                    same,
                ]
            ],
            [True, True, True, True, True, True, False, False],
        ),
        "",
        f"Start-up, whole processes, interleaved (median of {args.repeat} runs):",
        "",
    ]
    base = median_ms(startup["`python -c pass`"]["wall"])
    out.append(
        markdown_table(
            ["command", "wall (ms)", "over `python -c pass`", "CPU (ms)"],
            [
                [
                    label,
                    f"{median_ms(v['wall']):.1f}",
                    f"{median_ms(v['wall']) - base:+.1f}",
                    f"{median_ms(v['cpu']):.1f}",
                ]
                for label, v in startup.items()
            ],
            [False, True, True, True],
        )
    )
    out += [
        "",
        f"Heaviest top-level imports of the query process (`python -X importtime`, cumulative, median of "
        f"{args.imports} runs, ms); it imports {modules} modules, the bare script {bare_modules}:",
        "",
        markdown_table(["module", "ms"], [[f"`{m}`", f"{ms:.1f}"] for m, ms in imports], [False, True]),
    ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
