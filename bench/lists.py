"""Lists as they are published (issue #14): the KA1, KA2 and KA3 lists of a full export imported one after
another, then next week's version of each, against `oxigraph load` of the same data.

    .venv/bin/python bench/lists.py --projects 30000 [--workdir /tmp/erasmus-kg-lists] [--overlap 0.01]

From a synthetic export of N projects (bench/generate.py, cached in the work directory) it writes three lists
by key action (KA1; KA2; KA3 and the rest), dated 2026-04-02, with a share (`--overlap`) of the KA2 projects
also in the KA3 list, as the published lists overlap; and next week's version of each, dated 2026-04-09, in
which 1% of the rows changed (status and grant), 0.5% were dropped and 0.5% are new (held back from the first
version). Then, each a whole `erasmus-kg import prp` process in the same store, validated:

1. the three lists, one after another;
2. the three refreshes, one after another (each reports its changes; the KA3 refresh re-imports nothing,
   since KA3's copies of the shared projects keep the later import);

and the baseline: the N-Quads of the same six imports (`import prp --output`, untimed) loaded one after
another by the `oxigraph` CLI into one store. Target: all six imports within 2x of the baseline.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import generate  # bench/generate.py
from benchlib import log, markdown_table

LISTS = ("KA1", "KA2", "KA3")
FIRST, SECOND = "2026-04-02", "2026-04-09"
KA2_NAME = "Cooperation for innovation and the exchange of good practices"


def write_lists(export: Path, work: Path, overlap: float, seed: int) -> dict[str, tuple[Path, Path]]:
    """The three lists in both versions: key action -> (first version, second version)."""
    rng = random.Random(seed)
    with export.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    key_action = header.index("Key Action")
    status = header.index("Project Status")
    grant = next(i for i, name in enumerate(header) if name.startswith("EU Grant award"))
    by_list: dict[str, list[list[str]]] = {name: [] for name in LISTS}
    named = {"Learning Mobility of Individuals": "KA1", KA2_NAME: "KA2"}
    for row in rows:
        by_list[named.get(row[key_action], "KA3")].append(row)
    shared = [row for row in by_list["KA2"] if rng.random() < overlap]
    by_list["KA3"].extend(shared)
    files = {}
    for name, members in by_list.items():
        held_back = {i for i in range(len(members)) if rng.random() < 0.005}
        dropped = {i for i in range(len(members)) if i not in held_back and rng.random() < 0.005}
        first = [row for i, row in enumerate(members) if i not in held_back]
        second = []
        for i, row in enumerate(members):
            if i in dropped:
                continue
            if rng.random() < 0.01:
                row = list(row)
                row[status] = "Closed" if row[status] != "Closed" else "Ongoing"
                row[grant] = f"{rng.randint(1000, 500000)}.00"
            second.append(row)
        stem = f"ErasmusPlus_{name}_Projects_Overview"
        paths = (work / f"{stem}_{FIRST}.csv", work / f"{stem}_{SECOND}.csv")
        for path, version in zip(paths, (first, second), strict=True):
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(header)
                writer.writerows(version)
        files[name] = paths
        log(f"{name}: {len(first)} rows, then {len(second)} ({len(held_back)} new, {len(dropped)} dropped)")
    log(f"{len(shared)} KA2 projects also in the KA3 list")
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/erasmus-kg-lists"))
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--overlap", type=float, default=0.01, help="share of KA2 projects also in KA3")
    args = parser.parse_args(argv)
    n = args.projects
    work = args.workdir / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    export = args.workdir / f"prp-{n}-{args.seed}.csv"
    if not export.exists():
        generate.generate(export, n, args.seed)
    files = write_lists(export, work, args.overlap, args.seed)
    cli = benchlib.executable("erasmus-kg")
    store = work / "store"
    benchlib.run_timed([cli, "--store", str(store), "info"])  # the packaged build, untimed

    steps: list[tuple[str, float, str]] = []
    for version in (0, 1):
        for name in LISTS:
            path = files[name][version]
            started = time.perf_counter()
            done = benchlib.run_timed([cli, "--store", str(store), "import", "prp", str(path)])
            wall = time.perf_counter() - started
            said = done.out.decode().strip().splitlines()
            steps.append((path.name, wall, " / ".join(said[1:]) or "-"))
            log(f"{path.name}: {wall:.1f} s")

    baseline_store = work / "baseline"
    oxigraph = benchlib.executable("oxigraph")
    baseline = 0.0
    for version in (0, 1):
        for name in LISTS:
            path = files[name][version]
            nquads = work / f"{path.stem}.nq"
            benchlib.run_timed([cli, "import", "prp", str(path), "--output", str(nquads)])
            started = time.perf_counter()
            benchlib.run_timed([oxigraph, "load", "--location", str(baseline_store), "--file", str(nquads)])
            baseline += time.perf_counter() - started
            nquads.unlink()
    total = sum(wall for _, wall, _ in steps)
    m = benchlib.machine()
    print(f"### {n:,} projects in three lists, then a refresh of each\n")
    command = " ".join(sys.argv)
    print(f"Machine: {m.nproc} cores ({m.cpu}), load {benchlib.load_average()}. Command: `{command}`.\n")
    rows = [[name, f"{wall:.1f} s", said] for name, wall, said in steps]
    rows.append(["**all six imports**", f"{total:.1f} s", f"{total / baseline:.2f}x the baseline"])
    rows.append(["baseline: `oxigraph load` of the six imports' N-Quads", f"{baseline:.1f} s", "1.00x"])
    print(markdown_table(["step", "wall", "what it said / ratio"], rows, [False, True, False]))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
