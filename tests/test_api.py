"""The public Python API, used the way the README shows it: stored queries, SPARQL, the rdflib view."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import erasmus_kg
from erasmus_kg.cli import cli

PROJECTS = "SELECT ?p WHERE { ?p a <https://w3id.org/erasmus-kg/ontology#Project> } ORDER BY ?p"


def cli_rows(runner: CliRunner, *args: str) -> list[dict[str, str]]:
    result = runner.invoke(cli, [*args, "--format", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_stored_query_gives_the_rows_of_the_cli(store_root: Path, runner: CliRunner) -> None:
    kg = erasmus_kg.open(store_root)
    rows = kg.query("projects-by-country", country="Lithuania")
    assert [row["acronym"] for row in rows] == ["ADEIGUS", "GOAL"]
    assert rows[0]["project"] == "https://w3id.org/erasmus-kg/id/project/adeigus"
    expected = cli_rows(runner, "query", "projects-by-country", "-p", "country=Lithuania", "--lang", "en")
    assert [{k: "" if v is None else str(v) for k, v in row.items()} for row in rows] == expected


def test_parameters_are_resolved_and_bound_as_on_the_command_line(store_root: Path) -> None:
    kg = erasmus_kg.open(store_root)
    assert kg.query("projects-by-country", country="Litouwen", lang="nl") == kg.query(
        "projects-by-country", country="LT", lang="nl"
    )
    with pytest.raises(erasmus_kg.ParameterError, match="no country matches 'Litauwen'"):
        kg.query("projects-by-country", country="Litauwen")


def test_literals_come_back_as_python_values(store_root: Path) -> None:
    rows = erasmus_kg.open(store_root).sparql(
        'SELECT ?n ?d ?b ?s WHERE { VALUES (?n ?d ?b ?s) { (17 "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
        ' true "x") } }'
    )
    assert rows == [{"n": 17, "d": Decimal("2.50"), "b": True, "s": "x"}]


def test_the_rdflib_view_answers_as_the_cli(store_root: Path, runner: CliRunner, tmp_path: Path) -> None:
    query_file = tmp_path / "projects.rq"
    query_file.write_text(PROJECTS)
    expected = [row["p"] for row in cli_rows(runner, "sparql", str(query_file))]
    assert len(expected) == 10  # the brochure's ten projects
    with erasmus_kg.open(store_root).rdflib() as dataset:
        assert [str(row[0]) for row in dataset.query(PROJECTS)] == expected
    assert [row["p"] for row in erasmus_kg.open(store_root).sparql(PROJECTS)] == expected


def test_ask_gives_a_bool(store_root: Path) -> None:
    kg = erasmus_kg.open(store_root)
    assert kg.sparql("ASK { ?p a <https://w3id.org/erasmus-kg/ontology#Project> }") is True


def test_dataframe_has_the_columns_of_the_query(store_root: Path) -> None:
    pytest.importorskip("pandas")  # an optional extra; installed with the test extra
    frame = erasmus_kg.open(store_root).dataframe("projects-by-country", country="Japan")
    rows = erasmus_kg.open(store_root).query("projects-by-country", country="Japan")
    assert list(frame.columns) == ["project", "title", "acronym", "action", "involvement"]
    assert frame.to_dict("records") == rows


def test_an_empty_result_still_has_its_columns(store_root: Path) -> None:
    pytest.importorskip("pandas")
    frame = erasmus_kg.open(store_root).dataframe("projects-for-age", age=99)
    assert frame.empty
    assert list(frame.columns) == list(_header(store_root))


def _header(store_root: Path) -> list[str]:
    runner = CliRunner(env={"ERASMUS_KG_STORE": str(store_root)})
    result = runner.invoke(cli, ["query", "projects-for-age", "-p", "age=17", "--format", "csv"])
    return result.stdout.splitlines()[0].split(",")


def test_sources_validate_and_export(store_root: Path, tmp_path: Path) -> None:
    kg = erasmus_kg.open(store_root)
    assert "https://w3id.org/erasmus-kg/graph/brochure" in {g.iri for g in kg.sources()}
    assert kg.validate().conforms
    out = kg.export(tmp_path / "kg.nt")
    assert out.read_text().count("\n") == sum(g.triples for g in kg.sources())
