"""`project-details` of an imported project, found by its Project Identifier: every fact the graph holds."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli

from .import_helpers import SAMPLE

PROJECT = "https://w3id.org/erasmus-kg/id/project/2017-1-RS01-KA101-000006"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, copy_store: Callable[[Path], Path]) -> Path:
    root = copy_store(tmp_path_factory.mktemp("details") / "store")
    result = CliRunner().invoke(cli, ["--store", str(root), "import", "prp", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return root


def details(store: Path, project: str, lang: str) -> list[tuple[str, str, str]]:
    args = ["--store", str(store), "query", "project-details", "-p", f"project={project}"]
    result = CliRunner().invoke(cli, [*args, "--format", "csv", "--lang", lang])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {row["project"] for row in rows} == {PROJECT}
    return [(row["field"], row["value"], row["detail"]) for row in rows]


def test_found_by_its_identifier_in_any_case(store: Path) -> None:
    lower = details(store, "2017-1-rs01-ka101-000006", "en")
    assert lower == details(store, "2017-1-RS01-KA101-000006", "en")


def test_every_fact_of_an_imported_project_is_a_row(store: Path) -> None:
    rows = details(store, "2017-1-RS01-KA101-000006", "en")
    fields = [field for field, _, _ in rows]
    assert fields == [
        "identifier", "funding programme", "action", "theme", "theme", "theme", "organisation",
        "organisation", "participating country", "participating country", "call year", "project status",
        "EU grant", "description", "URL", "project card", "source",
    ]  # fmt: skip
    facts = {(field, value) for field, value, _ in rows}
    assert ("identifier", "2017-1-RS01-KA101-000006") in facts
    assert ("funding programme", "Erasmus+") in facts
    assert ("project status", "ongoing") in facts
    assert ("EU grant", "13190") in facts
    assert ("URL", "http://nadausavrsavanje.weebly.com") in facts
    card = "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/2017-1-RS01-KA101-000006"
    assert ("project card", card) in facts
    coordinator = [detail for field, value, detail in rows if value == 'OS "Nada Popovic"']
    assert coordinator == [
        "coordinator, School/Institute/Educational centre – General education (primary level), "
        "Lomničke borbe 7, 37000, Kruševac, Serbia, http://www.nadapopovic.edu.rs/"
    ]


def test_in_dutch_the_fields_are_dutch(store: Path) -> None:
    fields = [field for field, _, _ in details(store, "2017-1-RS01-KA101-000006", "nl")]
    assert fields[:3] == ["identificatiecode", "financieringsprogramma", "actie"]
    assert "EU-subsidie" in fields and "projectstatus" in fields and "projectfiche" in fields


def test_info_names_the_imported_file_not_its_temporary_copy(store: Path) -> None:
    import json

    result = CliRunner().invoke(cli, ["--store", str(store), "info", "--format", "json"])
    assert result.exit_code == 0, result.output
    imported = [s for s in json.loads(result.stdout)["sources"] if "/graph/import/" in s["graph"]]
    assert [s["source"] for s in imported] == [str(SAMPLE.resolve())]


def test_a_duration_is_a_row_of_its_own_shown_for_people_in_tables(runner: CliRunner) -> None:
    """The brochure's internship of P14D: its own row under the activity, a typed xsd:duration that tables
    and Markdown write as people do and csv/json keep as the graph holds it."""
    args = ["query", "project-details", "-p", "project=manage your future"]

    def lines(fmt: str, lang: str) -> list[str]:
        result = runner.invoke(cli, [*args, "--format", fmt, "--lang", lang])
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()

    markdown_nl = [line for line in lines("markdown", "nl") if "| duur |" in line]
    assert markdown_nl == ["| project:manage-your-future | Manage your future |  | duur | 2 weken |  |"]
    markdown_en = [line for line in lines("markdown", "en") if "| duration |" in line]
    assert markdown_en == ["| project:manage-your-future | Manage your future |  | duration | 2 weeks |  |"]
    table_en = lines("table", "en")
    [row] = [line for line in table_en if " duration " in line]
    assert row.split() == ["duration", "2", "weeks"]  # the project's cells are blank: the same as above
    above = table_en[table_en.index(row) - 1]
    assert "2-week internships in companies in London" in above and "internship, United Kingdom" in above
    assert "P14D" not in "\n".join(table_en)
    csv_en = lines("csv", "en")
    project = "https://w3id.org/erasmus-kg/id/project/manage-your-future"
    assert f"{project},Manage your future,,duration,P14D," in csv_en
    result = runner.invoke(cli, [*args, "--format", "json"])
    bindings = json.loads(result.stdout)["results"]["bindings"]
    [duration] = [b["value"] for b in bindings if b["field"]["value"] == "duration"]
    assert duration == {
        "type": "literal",
        "value": "P14D",
        "datatype": "http://www.w3.org/2001/XMLSchema#duration",
    }
