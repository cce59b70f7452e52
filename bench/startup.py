"""The CLI's own cost: `erasmus-kg query action-types` against a bare pyoxigraph script (issue #11).

A stored query that takes a few milliseconds on the packaged data, so that what the whole process costs is
almost all start-up: the interpreter, the imports, click, the store's checks. The target of issue #11: a
whole `erasmus-kg query` process at most 50 ms slower than a bare pyoxigraph process running the same text
on the same store.

It builds (or reuses, `--store`) a store holding the packaged data only, asks the CLI for the exact SPARQL
(`--show-query`), and times three whole processes, in rounds whose order rotates, after warm-up rounds,
every output compared byte for byte:

- bare: bench/children/bare_query.py (pyoxigraph only: open the build read-only, run the text, CSV out);
- click: bench/children/click_query.py, the same behind a click group and a `query` command that parses the
  same arguments: the least any click command line costs;
- CLI: `erasmus-kg --store DIR query action-types --lang en --format csv`.

Each run is on an up-to-date build held as a reader (bench/query.py's `Pin`): edits to the packaged files
meanwhile cost no timed rebuild. The overhead of the CLI is the median of the per-round differences CLI -
bare; it splits into click's share (click - bare) and erasmus-kg's own (CLI - click). It also times,
interleaved, `python -c pass`, `import click`, the bare open of the store (bench/children/bare_open.py),
`erasmus-kg --version` and `erasmus-kg --help`, lists the heaviest top-level imports of the CLI's process
(`python -X importtime`) and how many modules each contender imports, and, when valgrind is installed,
counts the instructions each contender executes (valgrind's callgrind, one run each): on a machine that
other people's jobs load, the wall and CPU times of short processes vary by tens of milliseconds, the
instruction counts by a few tenths of a percent.

    .venv/bin/python bench/startup.py [--repeat 40] [--warmup 3] [--store DIR] [--query action-types]

It prints Markdown (progress on stderr). The exit status is 1 when an output differs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
from benchlib import log, markdown_table, median_ms
from query import BARE_QUERY, Pin, measure_startup  # bench/query.py

import erasmus_kg
from erasmus_kg.query.catalogue import get_query
from erasmus_kg.store.builds import BuildInfo

TARGET_MS = 50.0
"""Issue #11: a whole `erasmus-kg query` process at most this much slower than the bare script."""
CLICK_QUERY = benchlib.child("click_query")
CONTENDERS = ("bare", "click", "CLI")


def measure(
    name: str, pin: Pin, commands: dict[str, Callable[[BuildInfo], list[str]]], repeat: int, warmup: int
) -> dict:
    """Wall and CPU times of each contender over `repeat` rounds (order rotated) after `warmup` rounds, and
    whether every output is the same as the first on the same build."""
    times: dict[str, list[float]] = {c: [] for c in commands}
    cpu: dict[str, list[float]] = {c: [] for c in commands}
    references: dict[str, bytes] = {}
    differing: list[tuple[str, int]] = []
    rows = 0
    order = list(commands)
    for i in range(warmup + repeat):
        shift = i % len(order)
        for which in order[shift:] + order[:shift]:
            timed, build_id = pin.run(commands[which])
            reference = references.setdefault(build_id, timed.out)
            rows = max(reference.count(b"\n") - 1, 0)
            if timed.out != reference:
                differing.append((which, i))
            if i >= warmup:
                times[which].append(timed.wall)
                cpu[which].append(timed.cpu)
        if i >= warmup:
            log(
                f"  {name}: round {i - warmup + 1}/{repeat}: "
                + ", ".join(f"{c} {times[c][-1] * 1000:.0f} ms" for c in order)
            )
    return {
        "query": name,
        "runs": repeat,
        "warmup": warmup,
        "wall_s": times,
        "cpu_s": cpu,
        "rows": rows,
        "differing": differing,
        "builds": len(references),
    }


def measure_imports(command: list[str], repeat: int, top: int) -> tuple[list[tuple[str, float]], int]:
    """The heaviest top-level imports of a Python command (`[script, args...]`; median cumulative ms over
    `repeat` runs of `python -X importtime`) and how many modules it imported (the lines of the report)."""
    samples: dict[str, list[float]] = {}
    counts: list[int] = []
    for _ in range(repeat):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", *command],
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
    parser.add_argument("--repeat", type=int, default=40, help="timed rounds (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up rounds (default 3)")
    parser.add_argument(
        "--store", type=Path, help="store directory to build or reuse (default: a temporary one, deleted)"
    )
    parser.add_argument("--imports", type=int, default=10, help="python -X importtime runs (default 10)")
    parser.add_argument(
        "--no-instructions",
        dest="instructions",
        action="store_false",
        help="do not count the instructions of each contender under valgrind (default: count them when "
        "valgrind is installed)",
    )
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
        query_file = work / f"{args.query}.rq"
        query_args = ["query", args.query, *params, "--format", "csv"]
        shown, _ = pin.run(
            lambda _b: [cli, "--store", str(root), "query", args.query, *params, "--show-query"]
        )
        query_file.write_bytes(shown.out)
        commands: dict[str, Callable[[BuildInfo], list[str]]] = {
            "bare": lambda b: [sys.executable, BARE_QUERY, str(b.db_path), str(query_file)],
            "click": lambda b: [sys.executable, CLICK_QUERY, str(b.db_path), str(query_file), *query_args],
            "CLI": lambda _b: [cli, "--store", str(root), *query_args],
        }
        log(f"{args.query}: timing on {root}")
        result = {**measure(args.query, pin, commands, args.repeat, args.warmup), "params": params}
        log("start-up costs")
        with pin.held() as build:
            db = str(build.db_path)
            startup = measure_startup(
                {
                    "`python -c pass`": [sys.executable, "-c", "pass"],
                    "`python -c 'import click'`": [sys.executable, "-c", "import click"],
                    "bare: `import pyoxigraph; Store.read_only(db)`": [
                        sys.executable,
                        benchlib.child("bare_open"),
                        db,
                    ],
                    "`erasmus-kg --version`": [cli, "--version"],
                    "`erasmus-kg --help`": [cli, "--help"],
                },
                args.repeat,
            )
            cli_argv = ["--store", str(root), *query_args]
            imports, modules = measure_imports([benchlib.child("cli_main"), *cli_argv], args.imports, top=12)
            counts = {
                "bare": measure_imports([BARE_QUERY, db, str(query_file)], 1, top=0)[1],
                "click": measure_imports([CLICK_QUERY, db, str(query_file), *query_args], 1, top=0)[1],
                "CLI": modules,
            }
            executed = None
            if args.instructions and shutil.which("valgrind"):
                log("instructions (valgrind)")
                executed = {c: count_instructions(commands[c](build)) for c in CONTENDERS}
        info = benchlib.machine()
        elapsed = time.perf_counter() - started
        print(report(args, build.triples, result, startup, imports, counts, executed, info, load_before))
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
                        "modules": counts,
                        "instructions": executed,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 0 if not result["differing"] else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if temporary:
            shutil.rmtree(root, ignore_errors=True)


def count_instructions(command: list[str]) -> int:
    """The instructions a command executes in user space, counted by valgrind (callgrind's "Collected"):
    the same from run to run within a few tenths of a percent, whatever else runs on the machine."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    found = re.search(rb"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind {' '.join(command)}: {proc.stderr.decode(errors='replace')[-500:]}")
    return int(found[1])


def _paired_ms(r: dict, minuend: str, subtrahend: str) -> float:
    """The median of the per-round differences, in ms."""
    pairs = zip(r["wall_s"][minuend], r["wall_s"][subtrahend], strict=True)
    return statistics.median(a - b for a, b in pairs) * 1000


def report(
    args: argparse.Namespace,
    triples: int,
    r: dict,
    startup: dict[str, dict[str, list[float]]],
    imports: list[tuple[str, float]],
    counts: dict[str, int],
    executed: dict[str, int] | None,
    info: benchlib.Machine,
    load_before: str,
) -> str:
    overhead = _paired_ms(r, "CLI", "bare")
    runs = r["runs"] * len(CONTENDERS)
    same = f"yes ({runs} outputs)" if not r["differing"] else f"**NO** ({len(r['differing'])} differ)"
    out = [
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, "
        f"pyoxigraph {info.pyoxigraph}; {info.os}. Load average at the start: {load_before}, at the end: "
        f"{info.load}. Code: {info.code}; erasmus_kg imported from {Path(erasmus_kg.__file__).parent}. "
        "Bytecode: "
        + ("as the environment has it." if args.keep_env else "cached (temporary PYTHONPYCACHEPREFIX)."),
        f"Store: {triples:,} triples (the packaged data). `{args.query}` gives {r['rows']} rows.",
        "",
        f"`erasmus-kg query {args.query} {' '.join(r['params'])} --format csv` against the bare script "
        f"and the click floor on the SPARQL `--show-query` printed: {r['runs']} rounds after {r['warmup']} "
        "warm-up rounds, the order rotating. Differences are medians of the per-round differences; CPU is "
        "user + system time.",
        "",
        markdown_table(
            ["process", "median (ms)", "min (ms)", "CPU median (ms)", "over bare (ms)", "modules imported"],
            [
                [
                    c,
                    f"{median_ms(r['wall_s'][c]):.1f}",
                    f"{min(r['wall_s'][c]) * 1000:.1f}",
                    f"{median_ms(r['cpu_s'][c]):.1f}",
                    "" if c == "bare" else f"{_paired_ms(r, c, 'bare'):+.1f}",
                    counts[c],
                ]
                for c in CONTENDERS
            ],
            [False, True, True, True, True, True],
        ),
        "",
        markdown_table(
            [
                "CLI overhead over bare (ms)",
                "of which click (click - bare)",
                "of which erasmus-kg (CLI - click)",
                f"target <= {TARGET_MS:.0f} ms",
                "identical output",
            ],
            [
                [
                    f"{overhead:+.1f}",
                    f"{_paired_ms(r, 'click', 'bare'):+.1f}",
                    f"{_paired_ms(r, 'CLI', 'click'):+.1f}",
                    "yes" if overhead <= TARGET_MS else "**no**",
                    same,
                ]
            ],
            [True, True, True, False, False],
        ),
        "",
    ]
    if executed is not None:
        bare = executed["bare"]
        out += [
            "Instructions executed (valgrind --tool=callgrind, one run each, user space): a measure of the "
            "work that other processes on the machine do not disturb.",
            "",
            markdown_table(
                ["process", "instructions (M)", "over bare (M)", "over click (M)"],
                [
                    [
                        c,
                        f"{executed[c] / 1e6:.1f}",
                        "" if c == "bare" else f"{(executed[c] - bare) / 1e6:+.1f}",
                        "" if c != "CLI" else f"{(executed[c] - executed['click']) / 1e6:+.1f}",
                    ]
                    for c in CONTENDERS
                ],
                [False, True, True, True],
            ),
            "",
        ]
    out += [
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
        "Heaviest top-level imports of the CLI's process (`python -X importtime`, cumulative, median of "
        f"{args.imports} runs, ms):",
        "",
        markdown_table(["module", "ms"], [[f"`{m}`", f"{ms:.1f}"] for m, ms in imports], [False, True]),
    ]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
