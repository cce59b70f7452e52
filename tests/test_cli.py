"""The command line, through click's CliRunner on the session store (and once as a real process)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from erasmus_kg import __version__
from erasmus_kg.cli import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LTU = "http://publications.europa.eu/resource/authority/country/LTU"


def run(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert result.output == f"erasmus-kg, version {__version__}\n"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", _commands(cli), ids=lambda c: " ".join(c) or "erasmus-kg")
def test_every_command_has_help(runner: CliRunner, command: tuple[str, ...]) -> None:
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


def test_lithuania_in_english_and_dutch(runner: CliRunner) -> None:
    english = run(runner, "query", "projects-by-country", "-p", "country=Lithuania", "--format", "csv")
    dutch = run(runner, "query", "projects-by-country", "-p", "country=Litouwen", "--format", "csv")
    assert english.exit_code == dutch.exit_code == 0
    assert english.output == dutch.output
    assert [row[2] for row in csv_rows(english.output)] == ["acronym", "ADEIGUS", "GOAL"]


def test_csv_and_json_give_the_same_rows(runner: CliRunner) -> None:
    as_csv = csv_rows(
        run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "csv").output
    )
    as_json = json.loads(
        run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "json").output
    )
    variables = as_json["head"]["vars"]
    assert variables == as_csv[0]
    rows = [[b.get(v, {}).get("value", "") for v in variables] for b in as_json["results"]["bindings"]]
    assert rows == as_csv[1:]


def test_tsv_markdown_and_table(runner: CliRunner) -> None:
    tsv = run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "tsv").output
    assert tsv.splitlines()[0] == "?project\t?title\t?acronym\t?action\t?involvement"
    markdown = run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "markdown").output
    assert markdown.splitlines()[:2] == [
        "| Project | Title | Acronym | Action | Involvement |",
        "| --- | --- | --- | --- | --- |",
    ]
    table = run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "table").output
    assert "project:adeigus" in table
    assert table.rstrip().endswith("(2 rows)")


def test_table_and_markdown_headings_follow_lang_and_the_machine_formats_keep_the_variables(
    runner: CliRunner,
) -> None:
    def first_line(fmt: str, lang: str) -> str:
        args = ["query", "projects-by-country", "-p", "country=LT", "--format", fmt, "--lang", lang]
        return str(run(runner, *args).output.splitlines()[0])

    assert first_line("table", "nl").split() == ["Project", "Titel", "Acroniem", "Actie", "Betrokkenheid"]
    assert first_line("table", "en").split() == ["Project", "Title", "Acronym", "Action", "Involvement"]
    assert first_line("markdown", "nl") == "| Project | Titel | Acroniem | Actie | Betrokkenheid |"
    for lang in ("nl", "en"):
        assert first_line("csv", lang) == "project,title,acronym,action,involvement"
        assert first_line("tsv", lang) == "?project\t?title\t?acronym\t?action\t?involvement"
        as_json = json.loads(
            run(
                runner, "query", "projects-by-country", "-p", "country=LT", "--format", "json", "--lang", lang
            ).output
        )
        assert as_json["head"]["vars"] == ["project", "title", "acronym", "action", "involvement"]


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 120])
def test_the_table_fits_the_terminal_width(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    for args in (["project-details", "-p", "project=GOAL"], ["projects-by-country", "-p", "country=LT"]):
        for lang in ("nl", "en"):
            output = run(runner, "query", *args, "--format", "table", "--lang", lang).output
            assert max(len(line) for line in output.splitlines()) <= columns, (args, lang)


def test_a_narrow_table_wraps_its_cells_and_loses_nothing(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    output = run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "table").output
    assert output == (  # five columns of 20 characters do not fit in 60: one record per block
        "-[ row 1 ]--------------------------------------------------\n"
        "Project:     project:adeigus\n"
        "Title:       ADult Educational Information and GUidance\n"
        "             Service\n"
        "Acronym:     ADEIGUS\n"
        "Action:      KA2\n"
        "Involvement: participating country; partner\n"
        "-[ row 2 ]--------------------------------------------------\n"
        "Project:     project:goal\n"
        "Title:       Guidance and Orientation for Adult Learners\n"
        "Acronym:     GOAL\n"
        "Action:      KA3\n"
        "Involvement: participating country\n"
        "(2 rows)\n"
    )
    csv_text = run(runner, "query", "projects-by-country", "-p", "country=LT", "--format", "csv").output
    assert "ADult Educational Information and GUidance Service" in csv_text  # never wrapped in csv


def test_a_table_to_a_pipe_without_columns_keeps_one_line_per_row(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = run(
        runner, "query", "project-details", "-p", "project=GOAL", "--format", "table"
    ).output.splitlines()
    assert len(lines) == 2 + 20 + 1
    assert max(len(line) for line in lines) > 120


def test_the_table_shows_what_the_rows_of_a_group_share_once(runner: CliRunner) -> None:
    lines = run(
        runner, "query", "project-details", "-p", "project=GOAL", "--format", "table", "--lang", "nl"
    ).output.splitlines()
    assert lines[2].split()[:6] == ["project:goal", "Guidance", "and", "Orientation", "for", "Adult"]
    leading = [line.split("  ")[0] for line in lines[3:-1]]
    assert len(leading) >= 19 and set(leading) == {""}  # project, title and acronym once, on the first row
    countries = [line.split() for line in lines if line.split()[:2] == ["deelnemend", "land"]]
    assert countries == [["deelnemend", "land", "België"]]  # the field once per group
    assert ["Litouwen"] in [line.split() for line in lines]


def test_labels_follow_lang(runner: CliRunner) -> None:
    nl = run(
        runner, "query", "projects-by-country", "-p", "country=LT", "--lang", "nl", "--format", "csv"
    ).output
    en = run(
        runner, "query", "projects-by-country", "-p", "country=LT", "--lang", "en", "--format", "csv"
    ).output
    assert "deelnemend land" in nl and "participating country" in en


def test_where_to_submit_ka3_names_eacea(runner: CliRunner) -> None:
    result = run(runner, "query", "where-to-submit", "-p", "action=KA3", "--format", "csv")
    assert result.exit_code == 0
    rows = csv_rows(result.output)
    assert [row[rows[0].index("submitTo")] for row in rows[1:]] == ["EACEA"]


def test_show_query_prints_the_bound_sparql(runner: CliRunner) -> None:
    result = run(
        runner, "query", "projects-by-country", "-p", "country=Litouwen", "--show-query", "--lang", "nl"
    )
    assert result.exit_code == 0
    assert f'VALUES (?country ?lang) {{\n    (<{LTU}> "nl")\n  }}' in result.output
    # the printed text is the one that runs: same rows as the command
    rows = list(ox.Store.read_only(_db(runner)).query(result.output, use_default_graph_as_union=True))
    assert len(rows) == 2


def _db(runner: CliRunner) -> str:
    from erasmus_kg.store.builds import EmbeddedStore

    build = EmbeddedStore(Path(os.environ["ERASMUS_KG_STORE"])).current_build()
    assert build is not None
    return str(build.db_path)


def test_missing_parameter_exits_2_naming_it(runner: CliRunner) -> None:
    result = run(runner, "query", "projects-by-country")
    assert result.exit_code == 2
    assert "needs the parameter 'country'" in result.stderr


def test_unknown_value_exits_2_with_suggestions(runner: CliRunner) -> None:
    result = run(runner, "query", "projects-by-country", "-p", "country=Litauwen")
    assert result.exit_code == 2
    assert "Did you mean: Litauen, Litouwen" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_query_exits_2_with_suggestions(runner: CliRunner) -> None:
    result = run(runner, "query", "projects-by-countyr")
    assert result.exit_code == 2
    assert "Did you mean: projects-by-country" in result.stderr


def test_malformed_parameter_exits_2(runner: CliRunner) -> None:
    result = run(runner, "query", "projects-by-country", "-p", "Lithuania")
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.stderr


def test_query_help_describes_parameters_and_example(runner: CliRunner) -> None:
    result = run(runner, "query", "projects-by-country", "--help")
    assert "country (country, required)" in result.output
    assert "erasmus-kg query projects-by-country -p country=Lithuania" in result.output


def test_queries_lists_the_catalogue(runner: CliRunner) -> None:
    output = run(runner, "queries").output
    assert "projects-by-country" in output and "[country=<country>]" in output
    assert "where-to-submit" in output and "[action=<action>? sector=<sector>?]" in output
    listing = json.loads(run(runner, "queries", "--format", "json").output)
    assert {q["name"] for q in listing} >= {"projects-by-country", "where-to-submit", "action-types"}


def test_sparql_from_file_and_stdin(runner: CliRunner, tmp_path: Path) -> None:
    text = (
        "PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>\n"
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a ekg:Project }"
    )
    query_file = tmp_path / "count.rq"
    query_file.write_text(text, encoding="utf-8")
    assert run(runner, "sparql", str(query_file), "--format", "csv").stdout_bytes == b"n\r\n10\r\n"
    assert run(runner, "sparql", "-", "--format", "csv", input=text).stdout_bytes == b"n\r\n10\r\n"
    ask = run(runner, "sparql", "-", input="ASK { ?s ?p ?o }")
    assert ask.output == "true\n"


def test_sparql_errors_are_one_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = run(runner, "sparql", "-", input="SELECT WHERE {")
    assert (bad.exit_code, bad.stderr) == (
        2,
        "erasmus-kg: error: <stdin>:1:15: not a valid SPARQL query: expected one of REDUCED, [_]\n",
    )
    missing = run(runner, "sparql", str(tmp_path / "nope.rq"))
    assert missing.exit_code == 2 and "nope.rq: no such file" in missing.stderr


def test_sparql_syntax_errors_give_the_line_and_column_of_the_file(runner: CliRunner, tmp_path: Path) -> None:
    """The prefix line put before the query does not shift the position (the error is on line 3 of the file,
    after the missing closing brace of line 2)."""
    query_file = tmp_path / "open.rq"
    query_file.write_text("SELECT ?p\nWHERE { ?p a ekg:Project\n", encoding="utf-8")
    result = run(runner, "sparql", str(query_file))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"erasmus-kg: error: {query_file}:3:1: not a valid SPARQL query: "
        'expected one of ",", ".", ";", "{", "{|", "}", "~", [_]\n'
    )


def test_sparql_names_an_undeclared_prefix(runner: CliRunner) -> None:
    result = run(runner, "sparql", "-", input="SELECT * WHERE {\n  ?p a foo:Project }")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "erasmus-kg: error: <stdin>:2:8: not a valid SPARQL query: the prefix foo: is not declared "
        "(and not one of erasmus-kg's: ekg, action, "
    )
    assert (
        result.stderr.endswith("declare it with PREFIX foo: <...>\n") and len(result.stderr.splitlines()) == 1
    )


@pytest.mark.parametrize(
    ("text", "keyword", "position"),
    [
        ("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }", "INSERT", "1:1"),
        ("PREFIX ex: <http://e/>\n  delete where { ?s ?p ?o }", "DELETE", "2:3"),
        ("LOAD <http://example.org/data.ttl>", "LOAD", "1:1"),
        ("CLEAR ALL", "CLEAR", "1:1"),
        ("DROP GRAPH <http://e/g>", "DROP", "1:1"),
        ("BASE <http://e/> WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", "1:18"),
    ],
)
def test_sparql_refuses_an_update(runner: CliRunner, text: str, keyword: str, position: str) -> None:
    before = run(runner, "info", "--format", "json").stdout
    result = run(runner, "sparql", "-", input=text)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"erasmus-kg: error: <stdin>:{position}: this is a SPARQL update ({keyword}), and erasmus-kg sparql "
        "only reads: it runs SELECT, ASK, CONSTRUCT and DESCRIBE queries (the store changes with load, "
        "import and remove)\n",
    )
    assert run(runner, "info", "--format", "json").stdout == before


def test_sparql_knows_the_project_prefixes_unless_the_query_declares_its_own(runner: CliRunner) -> None:
    """ekg:, dcterms:, country: without PREFIX; a query's own `PREFIX ekg:` keeps its namespace."""
    ours = run(
        runner,
        "sparql",
        "-",
        "--format",
        "csv",
        input="SELECT ?acronym WHERE { ?p a ekg:Project ; ekg:acronym ?acronym ; ekg:participatingCountry "
        "country:LTU } ORDER BY ?acronym",
    )
    assert (ours.exit_code, ours.stdout_bytes) == (0, b"acronym\r\nADEIGUS\r\nGOAL\r\n")
    own = run(
        runner,
        "sparql",
        "-",
        "--format",
        "csv",
        input="PREFIX ekg: <http://example.org/other#>\nSELECT (COUNT(*) AS ?n) WHERE { ?p a ekg:Project }",
    )
    assert (own.exit_code, own.stdout_bytes) == (0, b"n\r\n0\r\n")


def test_validate_packaged_data(runner: CliRunner) -> None:
    result = run(runner, "validate")
    assert result.exit_code == 0
    assert result.output.startswith("The data conforms to the shapes")


def test_validate_invalid_file_exits_1_naming_node_and_property(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        """@prefix ekg: <https://w3id.org/erasmus-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://example.org/p> a ekg:Project ; dcterms:title "One"@en, "Two"@en ;
  ekg:action <https://w3id.org/erasmus-kg/vocab/action/KA1> ;
  dcterms:source <https://w3id.org/erasmus-kg/id/source/brochure-keuzebegeleiding> .
""",
        encoding="utf-8",
    )
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("- ")]
    assert len(lines) == 1
    assert "<https://example.org/p>" in lines[0] and "dcterms:title" in lines[0]
    assert "sh:UniqueLangConstraintComponent" in lines[0]


def test_validate_syntax_error_exits_2_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n', encoding="utf-8")
    result = run(runner, "validate", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"erasmus-kg: error: {bad}:3: syntax error")
    assert len(result.stderr.splitlines()) == 1


def test_validate_report_formats(runner: CliRunner) -> None:
    turtle = run(runner, "validate", "--format", "turtle").output
    assert "sh:conforms true" in turtle
    report = json.loads(run(runner, "validate", "--format", "json").output)
    assert "@context" in report


def test_info_counts(runner: CliRunner) -> None:
    output = run(runner, "info").output
    assert "projects:       10\n" in output
    assert "organisations:  29\n" in output
    assert "countries:      17 (of organisations, participations and destinations)\n" in output
    data = json.loads(run(runner, "info", "--format", "json").output)
    assert data["projects"] == 10
    assert {s["graph"].rsplit("/", 1)[1] for s in data["sources"]} == {
        "brochure",
        "countries",
        "cube",
        "languages",
        "ontology",
        "vocabularies",
    }


def test_load_and_remove_a_file(tmp_path: Path, store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(store_copy))
    runner = CliRunner()
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n", encoding="utf-8"
    )
    loaded = run(runner, "load", str(extra))
    assert loaded.exit_code == 0
    twice = run(runner, "load", str(extra))
    assert twice.output == loaded.output  # loading again replaces the graph: same triple count
    assert (
        "https://w3id.org/erasmus-kg/graph/file/extra.ttl  1 triples  loaded" in run(runner, "sources").output
    )
    removed = run(runner, "remove", "extra.ttl")
    assert removed.output == "Removed <https://w3id.org/erasmus-kg/graph/file/extra.ttl>.\n"
    assert "extra.ttl" not in run(runner, "sources").output
    assert run(runner, "remove", "brochure").exit_code == 2


def test_load_a_broken_file_leaves_the_store_as_it_was(
    tmp_path: Path, store_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(store_copy))
    runner = CliRunner()
    before = run(runner, "info", "--format", "json").output
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a:a> <a:b> .\n", encoding="utf-8")
    result = run(runner, "load", str(broken))
    assert result.exit_code == 2 and str(broken) in result.stderr
    assert run(runner, "info", "--format", "json").output == before


def test_installed_script_runs_from_any_directory(tmp_path: Path, store_root: Path) -> None:
    script = Path(sys.executable).parent / "erasmus-kg"
    env = {**os.environ, "ERASMUS_KG_STORE": str(store_root), "ERASMUS_KG_LANG": "en"}
    result = subprocess.run(
        [str(script), "query", "projects-by-country", "-p", "country=Litouwen", "--format", "csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("https://w3id.org/erasmus-kg/id/project/adeigus,")


def test_validate_covers_imported_data(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(store_copy))
    runner = CliRunner()
    sample = Path(__file__).parent / "data" / "imports" / "ErasmusPlus_Projects_Overview_sample.csv"
    packaged_only = run(runner, "validate")
    imported = run(runner, "import", "prp", str(sample))
    assert imported.exit_code == 0, imported.stderr
    after = run(runner, "validate")
    assert after.exit_code == 0
    count = int(packaged_only.output.split("(")[1].split()[0])
    added = 507  # the sample's own triples: its import loaded 507 (derived graphs are not validated)
    assert after.output == f"The data conforms to the shapes ({count + added} triples checked).\n"


@pytest.mark.parametrize(
    ("value", "expected"), [("nl", "nl"), ("EN", "en"), ("nl-BE", "nl"), ("en_GB.UTF-8", "en"), (" ", None)]
)
def test_erasmus_kg_lang_takes_nl_and_en_in_any_form(
    value: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from erasmus_kg.cli.options import default_language

    monkeypatch.setenv("ERASMUS_KG_LANG", value)
    monkeypatch.setenv("LC_ALL", "nl_BE.UTF-8")
    assert default_language() == (expected or "nl")  # blank: the locale decides


def test_an_unknown_erasmus_kg_lang_is_refused_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERASMUS_KG_LANG", "fr")
    result = CliRunner().invoke(cli, ["query", "action-types", "--format", "csv"])
    assert result.exit_code == 2
    assert result.stderr == "erasmus-kg: error: ERASMUS_KG_LANG: expected nl or en, not 'fr'\n"
    assert result.stdout == ""


def test_dates_and_durations_for_people_in_the_table_and_as_written_in_csv(runner: CliRunner) -> None:
    args = ["query", "projects-active-in", "-p", "year=2016", "--lang"]
    goal = [
        line for line in run(runner, *args, "nl", "--format", "table").output.splitlines() if "GOAL" in line
    ]
    assert goal[0].split()[-4:] == ["februari", "2015", "januari", "2018"]
    assert (
        "| GOAL | February 2015 | January 2018 |" in run(runner, *args, "en", "--format", "markdown").output
    )
    assert ",GOAL,2015-02,2018-01," in run(runner, *args, "nl", "--format", "csv").output
    query = 'SELECT ?d WHERE { VALUES ?d { "P14D"^^<http://www.w3.org/2001/XMLSchema#duration> } }'
    assert run(runner, "sparql", "-", "--format", "table", "--lang", "nl", input=query).output == (
        "d\n-------\n2 weken\n(1 rij)\n"
    )
    assert run(runner, "sparql", "-", "--format", "csv", input=query).output.splitlines() == ["d", "P14D"]


def _on_a_terminal(store_root: Path, columns: int, *args: str) -> str:
    """What erasmus-kg prints on a terminal `columns` wide (a pseudo-terminal, COLUMNS unset)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env |= {"ERASMUS_KG_STORE": str(store_root), "ERASMUS_KG_LANG": "nl"}
    script = Path(sys.executable).parent / "erasmus-kg"
    process = subprocess.Popen([str(script), *args], stdout=follower, stderr=subprocess.PIPE, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_on_a_terminal_the_table_is_the_terminal_s_width(store_root: Path) -> None:
    for columns in (72, 120):
        output = _on_a_terminal(store_root, columns, "query", "project-details", "-p", "project=GOAL")
        lines = output.splitlines()
        if columns == 72:  # six columns of 20 characters do not fit: one record per block
            assert lines[0].startswith("-[ rij 1 ]---")
            assert lines[1].split() == ["Project:", "project:goal"]
        else:
            assert lines[0].split() == ["Project", "Titel", "Acroniem", "Gegeven", "Waarde", "Toelichting"]
        assert max(len(line) for line in lines) <= columns
        assert max(len(line) for line in lines) > columns - 10  # the room is used
        assert lines[-1] == "(20 rijen)"


STORE_COMMANDS = [
    ["info", "--format", "json"],
    ["sources"],
    ["query", "projects", "--format", "csv"],
    ["sparql", "-", "--format", "csv"],
    ["export", "--format", "ntriples", "--no-derived"],
]


@pytest.mark.parametrize("command", STORE_COMMANDS, ids=lambda c: c[0])
def test_store_is_accepted_before_and_after_the_subcommand(
    store_root: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.delenv("ERASMUS_KG_STORE", raising=False)
    monkeypatch.setenv("ERASMUS_KG_LANG", "en")
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }" if command[0] == "sparql" else None
    runner = CliRunner()
    before = runner.invoke(cli, ["--store", str(store_root), *command], input=text)
    after = runner.invoke(cli, [*command, "--store", str(store_root)], input=text)
    both = runner.invoke(cli, ["--store", str(store_root), *command, "--store", str(store_root)], input=text)
    assert before.exit_code == after.exit_code == both.exit_code == 0, before.output + after.output
    assert before.stdout == after.stdout == both.stdout != ""


def test_store_after_the_subcommand_wins_over_the_environment(
    store_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(tmp_path / "elsewhere"))
    result = CliRunner().invoke(cli, ["info", "--format", "json", "--store", str(store_root)])
    assert result.exit_code == 0 and json.loads(result.stdout)["store"] == str(store_root)
    assert not (tmp_path / "elsewhere").exists()


def test_two_different_stores_before_and_after_are_refused(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for command in (["info"], ["query", "projects"], ["import", "eche", "x.csv"], ["load"]):
        result = CliRunner().invoke(cli, ["--store", str(one), *command, "--store", str(two)])
        assert (result.exit_code, result.stderr) == (
            2,
            f"erasmus-kg: error: --store is given twice, as {one} and as {two}: give one store\n",
        )
    assert not one.exists() and not two.exists()
