"""Every stored query at scale against the targets of issue #11, and four questions against DuckDB.

    .venv/bin/python bench/speed.py --store DIR --csv EXPORT.csv [--repeat 3] [--cases a,b] [--json FILE]

DIR is a store into which EXPORT.csv (a Project Results export, e.g. from bench/generate.py) was imported
with `erasmus-kg --store DIR import prp EXPORT.csv`. For each case of `CASES` (a stored query and its
parameters, the table of issue #11) it

1. asks the CLI for the exact SPARQL (`erasmus-kg --store DIR query NAME -p ... --lang en --show-query`, and
   with `--limit 50` for the first page; when the CLI has no `--limit`, the bare page is that text with
   `LIMIT 50` appended, and the CLI page is not measured);
2. times four whole processes, median of `--repeat` runs after `--warmup` runs of each, the order rotated
   from round to round: the CLI's full result (`--format csv`, to a pipe), the CLI's first page
   (`--limit 50`), and the bare pyoxigraph script (bench/children/bare_query.py) on the same two texts;
3. counts the rows and checks that the CLI and the bare script wrote the same bytes (full result and page).

Then the DuckDB side: it builds a DuckDB database file from the same CSV (bench/children/duckdb_build.py: one
table with the export's own columns, timed once) and times a whole DuckDB process per question
(bench/children/duckdb_query.py: the SQL of `QUESTIONS`, CSV to a pipe), median of `--repeat` after a warm-up:
projects with an organisation in a country (LT, DE), all country pairs with project counts, the projects of
key action KA2, the organisations of a country (DE). Their rows are compared with the CLI's full result of the
matching case (by project, organisation and country IRI: the store also holds the packaged projects).

Before every timed run the store is brought up to date (untimed) and its build held as a reader
(bench/query.py's `Pin`), so that others' edits to the packaged files cost no timed rebuild.

It prints Markdown (progress goes to stderr): the machine and load average, a table of every case with its
rows, the four times, the CLI's overhead over the bare script and whether the targets are met, and a table of
the questions with the ratio CLI / DuckDB. The exit status is 1 when an output differs, else 0.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
from benchlib import log, markdown_table
from query import Pin  # bench/query.py

from erasmus_kg.query.catalogue import get_query
from erasmus_kg.store.builds import BuildInfo

PAGE = 50
LANG = "en"
PAGE_TARGET_S = 0.5
FULL_TARGET_S = 3.0
OVERHEAD_TARGET_S = 0.050
DUCKDB_RATIO_TARGET = 2.0


@dataclass(frozen=True)
class Case:
    """One stored query with its parameters, and the most its full result may take (issue #11)."""

    label: str
    query: str
    params: dict[str, str] = field(default_factory=dict)
    full_target_s: float = FULL_TARGET_S
    page_target_s: float = PAGE_TARGET_S


TITLE, IDENTIFIER = "{first title}", "{first identifier}"
"""Placeholders in `CASES`: the title and the identifier of the first project of the export."""

CASES = (
    Case("projects-by-country LT", "projects-by-country", {"country": "LT"}),
    Case("projects-by-country DE", "projects-by-country", {"country": "DE"}),
    Case("projects-by-key-action KA2", "projects-by-key-action", {"action": "KA2"}),
    Case("projects-by-sector adult education", "projects-by-sector", {"sector": "adult education"}),
    Case(
        "projects-by-theme Creativity and culture", "projects-by-theme", {"theme": "Creativity and culture"}
    ),
    Case("projects-active-in 2016", "projects-active-in", {"year": "2016"}),
    Case("projects-by-organisation hochschule", "projects-by-organisation", {"organisation": "hochschule"}),
    Case("project-details by title", "project-details", {"project": TITLE}, 0.2, 0.2),
    Case("project-details by identifier", "project-details", {"project": IDENTIFIER}, 0.2, 0.2),
    Case("projects-for-age 17", "projects-for-age", {"age": "17"}),
    Case("action-types", "action-types"),
    Case("country-collaborations", "country-collaborations", full_target_s=0.5),
    Case("projects", "projects"),
    Case("projects-by-programme Erasmus+", "projects-by-programme", {"programme": "Erasmus+"}),
    Case("countries-per-project", "countries-per-project"),
    Case("organisations-by-country DE", "organisations-by-country", {"country": "DE"}),
    Case("statistics-by-country", "statistics-by-country"),
    Case("statistics-by-year", "statistics-by-year"),
    Case("statistics-by-year DE", "statistics-by-year", {"country": "DE"}),
    Case("where-to-submit", "where-to-submit"),
    Case("information-links", "information-links"),
)

# ------------------------------------------------------------------------------------------------------------
# DuckDB: the SQL a researcher would write against the export's own columns (bench/generate.py,
# erasmus_kg.importing.prp.COLUMNS): "Coordinator's country" and "Partner 1 country" ... "Partner 100 country"
# (EU codes: EL, UK), "Participating countries" (comma-separated), "Key Action" (its label), the organisations
# in blocks of six columns ("Coordinating organisation name", "Partner N name", ...). `*COLUMNS(regex)` is
# DuckDB's way of naming the 101 columns of one kind, in the table's order.

COUNTRY_COLUMNS = "*COLUMNS('^(Coordinator''s|Partner [0-9]+) country$')"
NAME_COLUMNS = "*COLUMNS('^(Coordinating organisation|Partner [0-9]+) name$')"
TYPE_COLUMNS = "*COLUMNS('^(Coordinating organisation|Partner [0-9]+) (organisation )?type$')"

PROJECTS_IN_COUNTRY = f"""
SELECT "Project Identifier" AS project, "Project Title" AS title, "Action Type" AS action
FROM projects
WHERE list_contains(list_value({COUNTRY_COLUMNS}), '{{country}}')
   OR list_contains(string_split("Participating countries", ','), '{{country}}')
ORDER BY title, project
"""
COUNTRY_PAIRS = f"""
WITH involved AS (
  SELECT DISTINCT project, trim(country) AS country
  FROM (
    SELECT "Project Identifier" AS project,
           unnest(list_concat(list_value({COUNTRY_COLUMNS}),
                              string_split("Participating countries", ','))) AS country
    FROM projects
  )
  WHERE trim(country) <> ''
)
SELECT a.country AS country1, b.country AS country2, count(*) AS projects
FROM involved a JOIN involved b ON a.project = b.project AND a.country < b.country
GROUP BY ALL
ORDER BY projects DESC, country1, country2
"""
PROJECTS_OF_KEY_ACTION = """
SELECT "Project Identifier" AS project, "Project Title" AS title, "Action Type" AS action
FROM projects
WHERE "Key Action" = '{key_action}'
ORDER BY title, project
"""
ORGANISATIONS_IN_COUNTRY = f"""
WITH organisations AS (
  SELECT "Project Identifier" AS project,
         unnest(list_value({NAME_COLUMNS})) AS name,
         unnest(list_value({TYPE_COLUMNS})) AS kind,
         unnest(list_value({COUNTRY_COLUMNS})) AS country
  FROM projects
)
SELECT name, country, any_value(kind) AS kind, count(DISTINCT project) AS projects
FROM organisations
WHERE country = '{{country}}' AND name <> ''
GROUP BY name, country
ORDER BY name
"""
KA2 = "Cooperation for innovation and the exchange of good practices"
"""Key action 2 as the export's "Key Action" column writes it."""


@dataclass(frozen=True)
class Question:
    """A reference question: its SQL, the case that answers it in the store, and what is compared."""

    label: str
    case: str
    sql: str
    compare: str
    """How rows are matched: "project" (column 1: the identifier), "pair" (two EU codes), "organisation"."""


QUESTIONS = (
    Question(
        "projects with an organisation in LT",
        "projects-by-country LT",
        PROJECTS_IN_COUNTRY.format(country="LT"),
        "project",
    ),
    Question(
        "projects with an organisation in DE",
        "projects-by-country DE",
        PROJECTS_IN_COUNTRY.format(country="DE"),
        "project",
    ),
    Question("country pairs with project counts", "country-collaborations", COUNTRY_PAIRS, "pair"),
    Question(
        "projects of key action KA2",
        "projects-by-key-action KA2",
        PROJECTS_OF_KEY_ACTION.format(key_action=KA2),
        "project",
    ),
    Question(
        "organisations of DE",
        "organisations-by-country DE",
        ORGANISATIONS_IN_COUNTRY.format(country="DE"),
        "organisation",
    ),
)

# ------------------------------------------------------------------------------------------------------------
# Runs


def rows_of(out: bytes) -> list[list[str]]:
    """The data rows of CSV output (a header line first)."""
    return list(csv.reader(io.StringIO(out.decode("utf-8", errors="replace"))))[1:]


def first_project(csv_path: Path) -> tuple[str, str]:
    """(title, identifier) of the first project of the export."""
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        row = next(reader)
    return row["Project Title"], row["Project Identifier"]


def case_params(case: Case, title: str, identifier: str) -> list[str]:
    args: list[str] = []
    for name, value in case.params.items():
        value = value.replace(TITLE, title).replace(IDENTIFIER, identifier)
        args += ["-p", f"{name}={value}"]
    return [*args, "--lang", LANG]


def cli_has_limit(cli: str, name: str) -> bool:
    """Whether `erasmus-kg query NAME --help` offers --limit (another change adds it)."""
    return "--limit" in benchlib.run_timed([cli, "query", name, "--help"]).out.decode()


@dataclass
class Contender:
    label: str
    command: Callable[[BuildInfo], list[str]]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def measure_case(
    case: Case,
    params: list[str],
    pin: Pin,
    cli: str,
    limit: bool,
    work: Path,
    repeat: int,
    warmup: int,
) -> dict:
    """The four contenders of one case, interleaved; the outputs compared per build."""
    root = str(pin.store.root)
    source = get_query(case.query).path
    slug = "".join(c if c.isalnum() else "-" for c in case.label)
    full_file, page_file = work / f"{slug}.rq", work / f"{slug}-page.rq"
    state = {"source": b"", "texts": -1}

    def refresh() -> None:
        current = source.read_bytes()
        if current == state["source"]:
            return
        base = [cli, "--store", root, "query", case.query, *params, "--show-query"]
        shown, _ = pin.run(lambda _b: base)
        full_file.write_bytes(shown.out)
        if limit:
            page_file.write_bytes(pin.run(lambda _b: [*base, "--limit", str(PAGE)])[0].out)
        else:
            page_file.write_bytes(shown.out.rstrip() + f"\nLIMIT {PAGE}\n".encode())
        state["source"] = current
        state["texts"] += 1
        if state["texts"]:
            log(f"  {source} changed: the bare script now runs the new text")

    cli_base = [cli, "--store", root, "query", case.query, *params, "--format", "csv"]
    contenders = [
        Contender("cli full", lambda _b: cli_base),
        Contender(
            "bare full",
            lambda b: [sys.executable, benchlib.child("bare_query"), str(b.db_path), str(full_file)],
        ),
        Contender(
            "bare page",
            lambda b: [sys.executable, benchlib.child("bare_query"), str(b.db_path), str(page_file)],
        ),
    ]
    if limit:
        contenders.insert(1, Contender("cli page", lambda _b: [*cli_base, "--limit", str(PAGE)]))
    refresh()
    for _ in range(warmup):
        for c in contenders:
            pin.run(c.command)
    outputs: dict[tuple[str, str, int], dict[str, bytes]] = {}
    mismatches: list[str] = []
    first: dict[str, bytes] = {}
    i = 0
    while i < repeat:
        refresh()
        texts = state["texts"]
        order = contenders[i % len(contenders) :] + contenders[: i % len(contenders)]
        done = [(c, *pin.run(c.command)) for c in order]
        if source.read_bytes() != state["source"]:
            pin.discarded += 1
            log(f"  {source} changed during this round: round discarded")
            continue
        for c, timed, build_id in done:
            c.times.append(timed.wall)
            c.cpu.append(timed.cpu)
            kind = c.label.split()[1]
            first.setdefault(c.label, timed.out)
            seen = outputs.setdefault((kind, build_id, texts), {})
            reference = seen.setdefault(kind, timed.out)
            if timed.out != reference:
                mismatches.append(f"{c.label} (round {i + 1})")
        i += 1
        log(
            f"  {case.label}: round {i}/{repeat}: "
            + ", ".join(f"{c.label} {c.times[-1]:.3f} s" for c in contenders)
        )
    full_rows = rows_of(first["bare full"])
    page_rows = rows_of(first["bare page"])
    if not limit and page_rows != full_rows[:PAGE]:
        mismatches.append("bare page is not the first rows of the full result")
    medians = {c.label: statistics.median(c.times) for c in contenders}
    return {
        "case": case.label,
        "query": case.query,
        "params": params,
        "runs": repeat,
        "rows": len(full_rows),
        "page_rows": len(page_rows),
        "times_s": {c.label: c.times for c in contenders},
        "cpu_s": {c.label: c.cpu for c in contenders},
        "median_s": medians,
        "identical": not mismatches,
        "mismatches": mismatches,
        "full_output": first["cli full"],
        "full_target_s": case.full_target_s,
        "page_target_s": case.page_target_s,
    }


def target_verdict(r: dict, limit: bool) -> str:
    m = r["median_s"]
    misses = []
    page = m.get("cli page", m["bare page"])
    if page > r["page_target_s"]:
        misses.append(f"page {page:.2f} s > {r['page_target_s']} s")
    if m["cli full"] > r["full_target_s"]:
        misses.append(f"full {m['cli full']:.2f} s > {r['full_target_s']} s")
    over = [m["cli full"] - m["bare full"]]
    if limit:
        over.append(m["cli page"] - m["bare page"])
    if max(over) > OVERHEAD_TARGET_S:
        misses.append(f"CLI +{max(over) * 1000:.0f} ms over bare")
    return "yes" if not misses else "**no**: " + "; ".join(misses)


# ------------------------------------------------------------------------------------------------------------
# DuckDB


def build_duckdb(csv_path: Path, db: Path) -> dict:
    """The DuckDB database of the export, built in its own process: its time, size and rows."""
    db.unlink(missing_ok=True)
    Path(str(db) + ".wal").unlink(missing_ok=True)
    measured = benchlib.run_timed([sys.executable, benchlib.child("duckdb_build"), str(csv_path), str(db)])
    return {"seconds": measured.wall, "rows": int(measured.out.decode().strip()), "bytes": db.stat().st_size}


def measure_questions(db: Path, work: Path, repeat: int) -> list[dict]:
    results = []
    for q in QUESTIONS:
        sql = work / f"duckdb-{q.case.replace(' ', '-')}.sql"
        sql.write_text(q.sql.strip() + "\n", encoding="utf-8")
        cmd = [sys.executable, benchlib.child("duckdb_query"), str(db), str(sql)]
        benchlib.run_timed(cmd)  # warm-up
        runs = [benchlib.run_timed(cmd) for _ in range(repeat)]
        log(f"  DuckDB {q.label}: " + ", ".join(f"{t.wall:.3f} s" for t in runs))
        outs = {t.out for t in runs}
        results.append(
            {
                "question": q.label,
                "case": q.case,
                "times_s": [t.wall for t in runs],
                "median_s": statistics.median(t.wall for t in runs),
                "rows": rows_of(runs[0].out),
                "stable_output": len(outs) == 1,
                "sql": q.sql.strip(),
            }
        )
    return results


def compare(question: Question, duck_rows: list[list[str]], our_rows: list[list[str]]) -> tuple[int, str]:
    """How many of DuckDB's rows our result has too, and a note on the rest."""
    from erasmus_kg.importing.countries import CountryCodes
    from erasmus_kg.importing.identity import PROJECT, organisation_iri, organisation_key, segment

    codes = CountryCodes.packaged()
    if question.compare == "project":
        ours = {row[0] for row in our_rows}
        theirs = {PROJECT + segment(row[0]) for row in duck_rows}
        both = len(ours & theirs)
        return both, f"{len(ours - theirs)} of ours not in the export (packaged projects)"
    if question.compare == "organisation":
        ours = {row[0] for row in our_rows}
        theirs = {organisation_iri(organisation_key(r[0], codes.eu_code(r[1]))) for r in duck_rows}
        both = len(ours & theirs)
        return (
            both,
            f"{len(ours - theirs)} of ours not in the export, {len(theirs - ours)} of the export not ours",
        )
    ours_pairs = {frozenset((r[0], r[2])): int(r[4]) for r in our_rows}
    theirs_pairs = {frozenset((codes.iri(r[0]), codes.iri(r[1]))): int(r[2]) for r in duck_rows}
    both = set(ours_pairs) & set(theirs_pairs)
    same = sum(1 for p in both if ours_pairs[p] == theirs_pairs[p])
    more = sum(1 for p in both if ours_pairs[p] > theirs_pairs[p])
    return len(both), (
        f"{same} with the same count, {more} with more in ours (packaged projects), "
        f"{len(set(ours_pairs) - set(theirs_pairs))} pairs only in ours"
    )


# ------------------------------------------------------------------------------------------------------------
# Report


def fmt(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.3f}"


def report(meta: dict, results: list[dict], duck: dict | None, questions: list[dict], limit: bool) -> str:
    info: benchlib.Machine = meta["machine"]
    page_note = (
        f"first page: `--limit {PAGE}` (the CLI's; the bare script runs the text that "
        f"`--show-query --limit {PAGE}` prints)"
        if limit
        else f"first page: the CLI has no `--limit`, so only the bare script's page is timed (its text with "
        f"`LIMIT {PAGE}` appended); the page target is judged on it"
    )
    out = [
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, pyoxigraph "
        f"{info.pyoxigraph}, erasmus-kg {info.erasmus_kg}; {info.os}. Load average at the start: "
        f"{meta['load_before']}, at the end: {info.load}. Code: {info.code}.",
        f"Store: {meta['store']} ({meta['triples']:,} triples, build {meta['build']}); export: {meta['csv']} "
        f"({meta['csv_rows']:,} projects, {meta['csv_mb']:.0f} MB). Command: `{meta['command']}`. Whole "
        f"benchmark: {meta['elapsed_s']:.0f} s. Store rebuilds meanwhile (untimed): {meta['rebuilds']}; "
        f"discarded runs: {meta['discarded']}.",
        "",
        f"Whole processes, median seconds of {meta['repeat']} run(s) after {meta['warmup']} warm-up(s), "
        f"CSV to a pipe, `--lang {LANG}`; {page_note}. Bare: bench/children/bare_query.py (pyoxigraph "
        f"only) on the text `--show-query` prints. Targets: page <= {PAGE_TARGET_S} s, full <= "
        f"{FULL_TARGET_S} s (project-details 0.2 s, country-collaborations 0.5 s), CLI at most "
        f"{OVERHEAD_TARGET_S * 1000:.0f} ms over bare.",
        "",
    ]
    rows = []
    for r in results:
        m = r["median_s"]
        over = f"{(m['cli full'] - m['bare full']) * 1000:+.0f}"
        if limit:
            over = f"{(m['cli page'] - m['bare page']) * 1000:+.0f} / " + over
        rows.append(
            [
                r["case"],
                f"{r['rows']:,}",
                fmt(m.get("cli page")),
                fmt(m["cli full"]),
                fmt(m["bare page"]),
                fmt(m["bare full"]),
                over,
                "yes" if r["identical"] else "**NO**: " + ", ".join(r["mismatches"]),
                target_verdict(r, limit),
            ]
        )
    out.append(
        markdown_table(
            [
                "case",
                "rows",
                "CLI page (s)",
                "CLI full (s)",
                "bare page (s)",
                "bare full (s)",
                "CLI - bare (ms, page / full)" if limit else "CLI - bare (ms, full)",
                "same output",
                "target met",
            ],
            rows,
            [False, True, True, True, True, True, True, False, False],
        )
    )
    met = sum(1 for r in results if target_verdict(r, limit) == "yes")
    out += ["", f"Targets met: {met} of {len(results)} cases."]
    if duck is not None:
        out += [
            "",
            f"DuckDB {meta['duckdb']}: database built from the same CSV in {duck['seconds']:.1f} s (one "
            f"table, the export's columns as text; {duck['rows']:,} rows, {duck['bytes'] / 1e6:.0f} MB), by "
            "bench/children/duckdb_build.py. Each question: a whole process (bench/children/duckdb_query.py: "
            "import duckdb, open read-only, `COPY (query) TO '/dev/stdout'`), median of "
            f"{meta['repeat']} after a warm-up; the CLI's time is its full result above. Target: CLI / "
            f"DuckDB <= {DUCKDB_RATIO_TARGET:g}.",
            "",
        ]
        by_case = {r["case"]: r for r in results}
        qrows = []
        for q, d in zip(QUESTIONS, questions, strict=True):
            r = by_case.get(q.case)
            if r is None:
                continue
            ours = rows_of(r["full_output"])
            try:
                both, note = compare(q, d["rows"], ours)
                matched = f"{both:,}; {note}"
            except Exception as e:  # the package's identity functions changed: counts only
                matched = f"not compared ({type(e).__name__}: {e})"
            cli_s = r["median_s"]["cli full"]
            ratio = cli_s / d["median_s"]
            qrows.append(
                [
                    q.label,
                    f"`{q.case}`",
                    f"{len(ours):,}",
                    f"{len(d['rows']):,}",
                    matched,
                    fmt(cli_s),
                    fmt(d["median_s"]),
                    f"{ratio:.2f}x",
                    "yes" if ratio <= DUCKDB_RATIO_TARGET else "**no**",
                ]
            )
        out.append(
            markdown_table(
                [
                    "question",
                    "our case",
                    "our rows",
                    "DuckDB rows",
                    "DuckDB rows also ours",
                    "CLI full (s)",
                    "DuckDB (s)",
                    "CLI / DuckDB",
                    f"<= {DUCKDB_RATIO_TARGET:g}x",
                ],
                qrows,
                [False, False, True, True, False, True, True, True, False],
            )
        )
        out += ["", "The SQL (DuckDB):", ""]
        for q in QUESTIONS:
            out += [
                f"- {q.label}:",
                "",
                "  ```sql",
                *("  " + line for line in q.sql.strip().splitlines()),
                "  ```",
            ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a store the export was imported into")
    parser.add_argument("--csv", type=Path, required=True, help="the export (CSV) imported into the store")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per contender (default 3, medians)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs per contender (default 1)")
    parser.add_argument("--cases", default="", help="comma-separated case labels (default: all of CASES)")
    parser.add_argument(
        "--duckdb",
        type=Path,
        help="the DuckDB database file to build (default: in a temporary folder, deleted at the end)",
    )
    parser.add_argument("--skip-duckdb", action="store_true", help="time the stored queries only")
    parser.add_argument("--json", type=Path, help="also write every measurement to this JSON file")
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="run the commands with the environment as it is (by default they cache bytecode in a temporary "
        "PYTHONPYCACHEPREFIX, as an installed wheel would have it)",
    )
    args = parser.parse_args(argv)
    wanted = [c.strip() for c in args.cases.split(",") if c.strip()]
    known = {c.label: c for c in CASES}
    unknown = [c for c in wanted if c not in known]
    if unknown:
        parser.error(f"unknown cases {unknown}; the cases are: {', '.join(known)}")
    cases = [known[c] for c in wanted] if wanted else list(CASES)
    if not (args.store / "current").exists():
        parser.error(
            f"{args.store} is not a store (import the export first: erasmus-kg --store DIR import prp)"
        )

    started = time.perf_counter()
    load_before = benchlib.load_average()
    work = Path(tempfile.mkdtemp(prefix="erasmus-kg-speed-"))
    if not args.keep_env:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    try:
        root = args.store.resolve()
        pin = Pin(root)
        cli = benchlib.executable("erasmus-kg")
        title, identifier = first_project(args.csv)
        limit = cli_has_limit(cli, cases[0].query)
        log(f"the CLI {'has' if limit else 'has no'} --limit")
        results = []
        for case in cases:
            log(f"{case.label}: timing")
            params = case_params(case, title, identifier)
            results.append(measure_case(case, params, pin, cli, limit, work, args.repeat, args.warmup))

        duck, questions, duck_version = None, [], ""
        if not args.skip_duckdb:
            import duckdb

            duck_version = duckdb.__version__
            db = args.duckdb.resolve() if args.duckdb else work / "export.duckdb"
            log(f"DuckDB: building {db} from {args.csv}")
            duck = build_duckdb(args.csv, db)
            log(f"  built in {duck['seconds']:.1f} s")
            questions = measure_questions(db, work, args.repeat)

        with open(args.csv, "rb") as handle:  # noqa: PTH123
            csv_rows = sum(1 for _ in csv.reader(io.TextIOWrapper(handle, encoding="utf-8-sig"))) - 1
        meta = {
            "machine": benchlib.machine(),
            "load_before": load_before,
            "store": str(args.store),
            "triples": pin.build.triples,
            "build": pin.build.id,
            "csv": str(args.csv),
            "csv_rows": csv_rows,
            "csv_mb": args.csv.stat().st_size / 1e6,
            "command": shlex.join([f"bench/{Path(sys.argv[0]).name}", *sys.argv[1:]]),
            "repeat": args.repeat,
            "warmup": args.warmup,
            "rebuilds": pin.rebuilds,
            "discarded": pin.discarded,
            "duckdb": duck_version,
            "elapsed_s": time.perf_counter() - started,
        }
        print(report(meta, results, duck, questions, limit))
        if args.json:
            info = meta.pop("machine")
            meta["machine"] = {k: str(v) for k, v in vars(info).items()}
            for r in results:
                r.pop("full_output")
            for q in questions:
                q["rows"] = len(q["rows"])
            args.json.write_text(
                json.dumps(
                    {
                        **meta,
                        "cli_limit": limit,
                        "cases": results,
                        "duckdb_build": duck,
                        "questions": questions,
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
        return 0 if all(r["identical"] for r in results) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
