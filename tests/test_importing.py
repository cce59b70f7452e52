"""Imports into the embedded store: validated before anything is replaced; named graphs, re-import, remove."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from erasmus_kg.derived.graphs import is_derived
from erasmus_kg.errors import InputFileError, UsageError
from erasmus_kg.importing.removal import remove_source
from erasmus_kg.importing.run import ImportRefused, import_file
from erasmus_kg.importing.terms import T, iri
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import open_target
from erasmus_kg.store.builds import EmbeddedStore
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import describe_source

from .import_helpers import ECHE, ID, RS_PROJECT, SAMPLE, sample_rows, set_cell, write_export

SAMPLE_GRAPH = "https://w3id.org/erasmus-kg/graph/import/ErasmusPlus_Projects_Overview_sample.csv"
ECHE_GRAPH = "https://w3id.org/erasmus-kg/graph/import/destinations.csv"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the sample export (validated) and the ECHE list imported."""
    root = tmp_path_factory.mktemp("imports") / "store"
    result = import_file("prp", SAMPLE, root=root)
    assert result.validation is not None and result.validation.conforms
    import_file("eche", ECHE, root=root, validate=False)  # validated in tests/test_import_scale.py (slow)
    return root


def query(root: Path, name: str, **params: str) -> list[dict[str, str]]:
    with open_target(root) as target:
        rows = run_stored(name, params, "en", target)
        names = [v.value for v in rows.variables]
        return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in rows]


def graph_state(root: Path) -> tuple[str, dict[str, tuple[str, int]]]:
    build = EmbeddedStore(root).current_build()
    assert build is not None
    return build.id, {iri: (g.hash, g.triples) for iri, g in build.graphs.items()}


def test_projects_by_country_finds_the_imported_serbian_czech_project(root: Path) -> None:
    rows = {row["project"]: row for row in query(root, "projects-by-country", country="CZ")}
    assert rows[RS_PROJECT]["title"] == (
        "Internationalization of the school through innovative methods and greater use of ICT in teaching"
    )
    assert rows[RS_PROJECT]["action"] == "KA101"
    assert set(rows[RS_PROJECT]["involvement"].split("; ")) == {"participating country", "partner"}


def test_organisations_by_country_lists_the_34_lithuanian_institutions(root: Path) -> None:
    rows = query(root, "organisations-by-country", country="LT")
    institutions = [row for row in rows if row["kind"] == "higher education institution"]
    assert len(institutions) == 34
    assert "VILNIAUS UNIVERSITETAS" in {row["name"] for row in institutions}
    # and the brochure's unnamed ADEIGUS partner and the three Lithuanian organisations of the sample
    assert len(rows) == 38


def test_stored_queries_work_on_imported_data(root: Path) -> None:
    by_action = {row["project"] for row in query(root, "projects-by-key-action", action="KA1")}
    assert {RS_PROJECT, ID + "project/2014-1-DE03-KA101-000001"} <= by_action
    by_theme = query(root, "projects-by-theme", theme="ICT - new technologies - digital competences")
    assert [row["project"] for row in by_theme] == [RS_PROJECT]
    by_organisation = query(root, "projects-by-organisation", organisation="Nada Popovic")
    assert [(row["project"], row["role"]) for row in by_organisation] == [(RS_PROJECT, "coordinator")]
    active = {row["project"] for row in query(root, "projects-active-in", year="2017")}
    assert RS_PROJECT in active


def test_validation_covers_the_imported_graphs(root: Path) -> None:
    from erasmus_kg.validation.batches import validate_imports

    imported = [g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"]
    assert imported == [SAMPLE_GRAPH, ECHE_GRAPH]
    result = validate_imports(root)
    assert result is not None
    assert result.conforms, result.text()
    assert result.data_triples == 105_232 + 507  # the data (the derived graphs are not validated)


def test_sources_lists_imports_with_the_imported_file(root: Path) -> None:
    graphs = {g.iri: g for g in EmbeddedStore(root).graphs()}
    assert (
        describe_source(graphs[SAMPLE_GRAPH])
        == f"imported (prp, 6 rows, 0 skipped, read as UTF-8)  {SAMPLE.resolve()}"
    )
    assert graphs[SAMPLE_GRAPH].triples == 507
    assert graphs[ECHE_GRAPH].metadata["rows"] == 5912
    assert graphs[ECHE_GRAPH].metadata["encoding"] == "Windows-1252"


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "store"
    import_file("prp", SAMPLE, root=root, validate=False)
    yield root


def test_reimporting_a_file_replaces_its_graph(small_store: Path, tmp_path: Path) -> None:
    changed = tmp_path / "again" / SAMPLE.name
    changed.parent.mkdir()
    rows = sample_rows()
    write_export(changed, [set_cell(rows[2], "Project Title", "A new title"), *rows[3:]])
    import_file("prp", changed, root=small_store)
    projects = {row["project"]: row["title"] for row in query(small_store, "projects")}
    assert projects[RS_PROJECT] == "A new title"
    assert ID + "project/2014-1-DE03-KA101-000001" not in projects  # not in the new file
    assert [
        g.iri for g in EmbeddedStore(small_store).graphs() if not g.packaged and not is_derived(g.iri)
    ] == [SAMPLE_GRAPH]


def test_remove_takes_an_import_out_by_file_name(small_store: Path) -> None:
    assert remove_source(small_store, "ErasmusPlus_Projects_Overview_sample.csv") == SAMPLE_GRAPH
    assert [g for g in EmbeddedStore(small_store).graphs() if not g.packaged and not is_derived(g.iri)] == []
    assert RS_PROJECT not in {row["project"] for row in query(small_store, "projects")}


def test_a_bad_row_leaves_the_store_untouched(small_store: Path, tmp_path: Path) -> None:
    before = graph_state(small_store)
    rows = sample_rows()
    path = write_export(tmp_path / SAMPLE.name, [*rows[:5], set_cell(rows[5], "Call year", "2014/15")])
    with pytest.raises(InputFileError) as raised:
        import_file("prp", path, root=small_store)
    assert str(raised.value) == f"{path}:7: column 'Call year': '2014/15' is not a year (four digits)"
    assert graph_state(small_store) == before


def test_a_non_conforming_import_is_refused_with_the_report(
    small_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = graph_state(small_store)
    monkeypatch.setattr(T, "partner", iri("https://example.org/not-a-role"))
    with pytest.raises(ImportRefused) as raised:
        import_file("prp", SAMPLE, root=small_store)
    assert raised.value.exit_code == 1
    result = raised.value.result
    assert result.validation is not None and not result.validation.conforms
    assert len(result.validation.violations) == 16  # every partner participation of the sample
    assert {v.component for v in result.validation.violations} == {"sh:ClassConstraintComponent"}
    assert str(raised.value).splitlines()[:2] == [
        f"{SAMPLE}: the import does not conform to the shapes; nothing was imported.",
        "16 violation(s) of the shapes (507 triples checked):",
    ]
    assert graph_state(small_store) == before


def test_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown import kind 'cordis'"):
        import_file("cordis", SAMPLE)
    with pytest.raises(UsageError, match="--on-error is one of fail, skip, not 'ignore'"):
        import_file("prp", SAMPLE, on_error="ignore")
    with pytest.raises(InputFileError, match="no such file"):
        import_file("prp", Path("/nonexistent/export.csv"))
    with pytest.raises(InputFileError, match="cannot write: /nonexistent is not a directory"):
        import_file("prp", SAMPLE, output=Path("/nonexistent/out.nq"))
