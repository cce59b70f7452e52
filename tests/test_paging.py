"""--limit, --offset, the paged table (--page-size; 50 rows on a terminal) and --timeout, on the brochure
data.

`projects` has 10 rows (tests/expected/projects-en.csv); the paged and limited outputs are slices of them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.cli.options import PAGE_SIZE, rows_per_page
from erasmus_kg.errors import UsageError
from erasmus_kg.query.binding import with_slice
from erasmus_kg.query.catalogue import get_query, query_names
from erasmus_kg.query.output import page_line
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import StoreTarget

from .servers import OxigraphServer

EXPECTED = Path(__file__).resolve().parent / "expected"
PROJECTS = list(csv.reader(io.StringIO((EXPECTED / "projects-en.csv").read_text(encoding="utf-8"))))
HEADER, ROWS = PROJECTS[0], PROJECTS[1:]
ERASMUS_KG = Path(sys.executable).parent / "erasmus-kg"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def table_lines(runner: CliRunner, *args: str) -> list[str]:
    result = run(runner, "query", "projects", "--format", "table", *args)
    assert result.exit_code == 0, result.stderr
    lines: list[str] = result.output.splitlines()
    return lines


def test_the_expected_file_has_ten_projects() -> None:
    assert len(ROWS) == 10


# ------------------------------------------------------------------------------------------------------------
# --limit and --offset


@pytest.mark.parametrize(
    ("limit", "offset"),
    [(3, 0), (3, 2), (None, 7), (0, 4), (5, 8), (2, 10), (4, 20), (0, 0), (10, 0), (1, 9)],
)
def test_limit_and_offset_are_slices_of_the_rows(runner: CliRunner, limit: int | None, offset: int) -> None:
    args = ["query", "projects", "--format", "csv", "--offset", str(offset)]
    if limit is not None:
        args += ["--limit", str(limit)]
    result = run(runner, *args)
    assert result.exit_code == 0, result.stderr
    end = None if not limit else offset + limit  # --limit 0: every row
    assert csv_rows(result.output) == [HEADER, *ROWS[offset:end]]


def test_json_with_limit_is_sparql_results_json(runner: CliRunner) -> None:
    result = run(runner, "query", "projects", "--format", "json", "--limit", "2", "--offset", "1")
    data = json.loads(result.output)
    assert data["head"]["vars"] == HEADER
    assert [b["project"]["value"] for b in data["results"]["bindings"]] == [row[0] for row in ROWS[1:3]]


def test_tsv_and_markdown_to_a_pipe_give_every_row(runner: CliRunner) -> None:
    tsv = run(runner, "query", "projects", "--format", "tsv").output
    assert len(tsv.splitlines()) == 1 + len(ROWS)
    markdown = run(runner, "query", "projects", "--format", "markdown", "--limit", "3").output
    assert len(markdown.splitlines()) == 2 + 3


def test_show_query_cuts_the_page_in_the_page_subquery(runner: CliRunner, store_root: Path) -> None:
    organisation = ["-p", "organisation=https://w3id.org/erasmus-kg/id/organisation/centrum-tea-adema"]
    args = ["--show-query", "--limit", "4", "--offset", "3"]
    shown = run(runner, "query", "projects-by-organisation", *organisation, *args).output
    assert "    ORDER BY ?position ?name ?role ?project ?roleConcept LIMIT 4 OFFSET 3\n  }\n" in shown
    # a list the search index pages (page_index): the page's projects bound, nothing cut
    indexed = run(runner, "query", "projects", *args).output
    page = indexed.split("# page:")[1].split("ORDER BY ?position")[0]
    assert page.count("<https://w3id.org/erasmus-kg/id/project/") == 4 and "LIMIT" not in indexed
    assert indexed.endswith("GROUP BY ?project ?position ?title\nORDER BY ?position\n")
    offset_only = run(runner, "query", "projects", "--show-query", "--offset", "3").output
    assert "    ORDER BY ?position ?project OFFSET 3\n  }\n" in offset_only
    plain = run(runner, "query", "projects", "--show-query", "--limit", "0").output
    assert "LIMIT" not in plain and "OFFSET" not in plain
    # a query without a page subquery takes the slice at its end
    actions = run(runner, "query", "action-types", "--show-query", "--limit", "2").output
    assert actions.endswith("\nLIMIT 2\n")
    # the printed text is the one that runs: the same rows
    from erasmus_kg.store.builds import EmbeddedStore

    build = EmbeddedStore(store_root).current_build()
    assert build is not None
    solutions = ox.Store.read_only(str(build.db_path)).query(indexed, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [s["project"].value for s in solutions] == [row[0] for row in ROWS[3:7]]


def test_sparql_takes_limit_and_offset_merged_with_its_own(runner: CliRunner) -> None:
    text = (
        "PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>\n"
        "SELECT ?p WHERE { ?p a ekg:Project } ORDER BY ?p LIMIT 6 OFFSET 2"
    )
    everything = csv_rows(
        run(runner, "sparql", "-", "--format", "csv", input=text.rsplit("LIMIT", 1)[0]).output
    )
    result = run(runner, "sparql", "-", "--format", "csv", "--limit", "3", "--offset", "2", input=text)
    assert csv_rows(result.output) == [["p"], *everything[1:][4:7]]
    beyond = run(runner, "sparql", "-", "--format", "csv", "--offset", "6", input=text)
    assert csv_rows(beyond.output) == [["p"]]


BAD_VALUES = [
    ("--limit", "-1", "--limit: expected a whole number of rows, 0 or more, not '-1'"),
    ("--limit", "x", "--limit: expected a whole number of rows, 0 or more, not 'x'"),
    ("--limit", "2.5", "--limit: expected a whole number of rows, 0 or more, not '2.5'"),
    ("--limit", str(2**63), f"--limit: expected a whole number of rows, 0 or more, not '{2**63}'"),
    ("--offset", "-3", "--offset: expected a whole number of rows, 0 or more, not '-3'"),
    ("--offset", "", "--offset: expected a whole number of rows, 0 or more, not ''"),
    ("--page-size", "-1", "--page-size: expected a whole number of rows, 0 or more, not '-1'"),
    ("--timeout", "0", "--timeout: expected a number of seconds greater than 0, not '0'"),
    ("--timeout", "-2", "--timeout: expected a number of seconds greater than 0, not '-2'"),
    ("--timeout", "nan", "--timeout: expected a number of seconds greater than 0, not 'nan'"),
    ("--timeout", "inf", "--timeout: expected a number of seconds greater than 0, not 'inf'"),
    ("--timeout", "soon", "--timeout: expected a number of seconds greater than 0, not 'soon'"),
]


@pytest.mark.parametrize(("option", "value", "message"), BAD_VALUES, ids=lambda v: str(v)[:20])
def test_bad_values_exit_2_in_one_line(runner: CliRunner, option: str, value: str, message: str) -> None:
    for command in (["query", "projects"], ["sparql", "-"]):
        result = run(runner, *command, option, value, input="ASK {}")
        assert result.exit_code == 2
        assert result.stderr == f"erasmus-kg: error: {message}\n"
        assert result.stdout == ""


def test_page_size_with_another_format_is_refused(runner: CliRunner) -> None:
    result = run(runner, "query", "projects", "--format", "csv", "--page-size", "3")
    assert result.exit_code == 2
    assert result.stderr == (
        "erasmus-kg: error: --page-size pages the table format, not csv (add --format table)\n"
    )


# ------------------------------------------------------------------------------------------------------------
# The paged table


def test_page_in_english(runner: CliRunner) -> None:
    lines = table_lines(runner, "--page-size", "4")
    assert [line.split()[0] for line in lines[2:-1]] == [
        "project:adeigus",
        "project:coaching-children",
        "project:eep",
        "project:goal",
    ]
    assert lines[-1] == "Showing rows 1-4 of 10. See more: --offset 4, or all: --limit 0 / --format csv"


def test_page_in_dutch(runner: CliRunner) -> None:
    lines = table_lines(runner, "--page-size", "4", "--offset", "2", "--lang", "nl")
    assert len(lines) == 2 + 4 + 1
    assert lines[-1] == "Rijen 3-6 van 10. Meer: --offset 6, of alle: --limit 0 / --format csv"


def test_last_page_and_beyond(runner: CliRunner) -> None:
    last = table_lines(runner, "--page-size", "4", "--offset", "8")
    assert [line.split()[0] for line in last[2:-1]] == ["project:vitae-ka2", "project:vitae-etwinning"]
    assert last[-1] == "Showing rows 9-10 of 10."
    beyond = table_lines(runner, "--page-size", "4", "--offset", "12")
    assert beyond[2:] == ["No rows after row 12 (--offset 12)."]
    assert table_lines(runner, "--page-size", "4", "--offset", "12", "--lang", "nl")[-1] == (
        "Geen rijen na rij 12 (--offset 12)."
    )


def test_a_page_that_holds_every_row_says_only_the_count(runner: CliRunner) -> None:
    assert table_lines(runner, "--page-size", "10")[-1] == "(10 rows)"
    assert table_lines(runner, "--page-size", "0")[-1] == "(10 rows)"
    assert len(table_lines(runner, "--page-size", "0")) == 2 + 10 + 1


def test_table_to_a_pipe_shows_every_row(runner: CliRunner) -> None:
    lines = table_lines(runner)
    assert len(lines) == 2 + 10 + 1 and lines[-1] == "(10 rows)"
    assert table_lines(runner, "--limit", "3")[-1] == "(3 rows)"


def test_rows_per_page() -> None:
    assert rows_per_page("table", None, None, terminal=True) == PAGE_SIZE == 50
    assert rows_per_page("table", None, 20, terminal=True) is None  # --limit given: every row of it
    assert rows_per_page("table", None, 0, terminal=True) is None  # --limit 0: every row
    assert rows_per_page("table", None, None, terminal=False) is None
    assert rows_per_page("markdown", None, None, terminal=True) is None
    assert rows_per_page("table", 7, None, terminal=False) == 7
    assert rows_per_page("table", 0, None, terminal=True) is None
    with pytest.raises(UsageError, match="--page-size pages the table format, not json"):
        rows_per_page("json", 7, None, terminal=True)


def test_page_line_numbers_in_english_and_dutch() -> None:
    assert page_line(50, 60613) == (
        "Showing rows 1-50 of 60,613. See more: --offset 50, or all: --limit 0 / --format csv"
    )
    assert page_line(50, 59613, 1000, "nl") == (
        "Rijen 1.001-1.050 van 60.613. Meer: --offset 1050, of alle: --limit 0 / --format csv"
    )
    assert page_line(7, 7) is None


# ------------------------------------------------------------------------------------------------------------
# with_slice


ORDERED = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize(
    ("query", "limit", "offset", "tail"),
    [
        (ORDERED, 5, 0, "ORDER BY ?s\nLIMIT 5\n"),
        (ORDERED, None, 3, "ORDER BY ?s\nOFFSET 3\n"),
        (ORDERED + "\n# a comment with LIMIT 2", 5, 1, "# a comment with LIMIT 2\nLIMIT 5 OFFSET 1\n"),
        (ORDERED + " LIMIT 20000", 10, 19995, "ORDER BY ?s\nLIMIT 5 OFFSET 19995\n"),
        (ORDERED + " LIMIT 20000", None, 30000, "ORDER BY ?s\nLIMIT 0 OFFSET 30000\n"),
        (ORDERED + " offset 3 # c\n limit 10", 5, 7, "ORDER BY ?s\nLIMIT 3 OFFSET 10\n"),
        (ORDERED + " OFFSET 4", 2, 0, "ORDER BY ?s\nLIMIT 2 OFFSET 4\n"),
        ('SELECT ?s WHERE { ?s ?p "LIMIT 5" }', 1, 0, '"LIMIT 5" }\nLIMIT 1\n'),
    ],
)
def test_with_slice(query: str, limit: int | None, offset: int, tail: str) -> None:
    assert with_slice(query, limit, offset).endswith(tail)


def test_with_slice_without_a_slice_leaves_the_text() -> None:
    assert with_slice(ORDERED + " LIMIT 3") == ORDERED + " LIMIT 3"


def test_with_slice_refuses_a_trailing_values_clause_and_bad_numbers() -> None:
    with pytest.raises(UsageError, match="--limit/--offset cannot be added to this query"):
        with_slice("SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://ex/a> }", 5)
    with pytest.raises(UsageError, match=r"^the SPARQL query is not valid: error at 1:"):
        with_slice("SELECT WHERE {", 5)
    for bad in (-1, True, 2**63):
        with pytest.raises(ValueError, match="limit must be an integer"):
            with_slice(ORDERED, bad)


# ------------------------------------------------------------------------------------------------------------
# --timeout


def erasmus_kg(store_root: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ERASMUS_KG_LANG": "en"}
    env.pop("ERASMUS_KG_STORE", None)
    return subprocess.run(
        [str(ERASMUS_KG), "--store", str(store_root), *args],
        input=input,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_timeout_stops_a_slow_query_in_one_line_with_no_output(store_root: Path) -> None:
    for fmt in ("csv", "table"):
        result = erasmus_kg(
            store_root, "sparql", "-", "--timeout", "0.3", "--format", fmt, input=CROSS_PRODUCT
        )
        assert result.returncode == 2
        assert result.stderr == "erasmus-kg: error: the query took longer than 0.3 s (--timeout)\n"
        assert result.stdout == ""


def test_a_query_within_its_timeout_gives_every_row(store_root: Path) -> None:
    result = erasmus_kg(store_root, "query", "projects", "--timeout", "60", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert csv_rows(result.stdout) == PROJECTS


def test_timeout_in_process_leaves_the_output_whole(runner: CliRunner) -> None:
    result = run(runner, "query", "projects", "--timeout", "60", "--format", "csv", "--limit", "2")
    assert csv_rows(result.output) == [HEADER, *ROWS[:2]]


def test_timeout_with_an_endpoint_is_its_http_timeout(runner: CliRunner) -> None:
    from .servers import answer, stub_server

    with stub_server(answer(200, b"{}", "application/sparql-results+json", delay=3)) as base:
        result = run(runner, "query", "projects", "--endpoint", f"{base}/query", "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr.startswith("erasmus-kg: error: ") and "no answer within 0.5 s" in result.stderr
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.server
def test_limit_and_offset_on_an_endpoint(runner: CliRunner, loaded: OxigraphServer) -> None:
    result = run(
        runner, "query", "projects", "--endpoint", f"{loaded.base}/query", "--limit", "3", "--offset", "6"
    )
    assert result.exit_code == 0, result.stderr
    assert csv_rows(result.output) == [HEADER, *ROWS[6:9]]


@pytest.mark.parametrize("name", query_names())
def test_every_stored_query_takes_a_slice(name: str, target: StoreTarget) -> None:
    query = get_query(name)
    params = {p.name: p.example for p in query.params if p.example is not None}
    everything = target.query(prepare(name, params, "en", target))
    assert isinstance(everything, ox.QuerySolutions)
    rows = [tuple(s) for s in everything]
    text = prepare(name, params, "en", target, limit=2, offset=1)
    if query.page_index is not None and query.page_index.rows == "several":  # pairs bound, then cut
        assert re.search(r"VALUES \(\?project \?organisation\b", text.split("# page:")[1])
        assert re.search(r"ORDER BY \?position[^\n]* LIMIT 2 OFFSET 1\n  }", text)
    elif query.page_index is not None:  # the search index's page bound in the page subquery
        assert (
            re.search(r"VALUES \([^)]*\?(project|organisation)\b", text.split("# page:")[1])
            and "LIMIT" not in text
        )
    elif "# page:" in query.text:  # cut in the page subquery, whose rows are the query's rows one for one
        assert re.search(r"ORDER BY \?position[^\n]* LIMIT 2 OFFSET 1\n  }", text)
    else:
        assert text.endswith("\nLIMIT 2 OFFSET 1\n")
    sliced = target.query(text)
    assert isinstance(sliced, ox.QuerySolutions)
    assert [tuple(s) for s in sliced] == rows[1:3]


@pytest.mark.parametrize("name", [n for n in query_names() if "# page:" in get_query(n).text])
def test_the_count_from_the_page_subquery_is_the_number_of_rows(name: str, target: StoreTarget) -> None:
    from erasmus_kg.query.running import count_rows

    query = get_query(name)
    params = {p.name: p.example for p in query.params if p.example is not None}
    text = prepare(name, params, "nl", target)
    everything = target.query(text)
    assert isinstance(everything, ox.QuerySolutions)
    assert count_rows(target, text) == len(list(everything)) > 0


def test_a_query_without_a_page_is_not_counted_ahead(target: StoreTarget) -> None:
    from erasmus_kg.query.running import count_rows

    assert count_rows(target, prepare("action-types", {}, "en", target)) is None
