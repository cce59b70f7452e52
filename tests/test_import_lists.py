"""Lists as they are published (importing.lists): dated versions of a list replace each other with an exact
change report, an older version is refused unless forced, and a project that several lists hold is one node
described by the newest list, whatever the order of imports and removals; the derived facts and statistics
equal their recomputation after every step."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from erasmus_kg.cli import cli
from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp
from erasmus_kg.importing.identity import import_source_document
from erasmus_kg.importing.lists import ListFile, ListVersion, claimed_above, owners
from erasmus_kg.importing.removal import remove_source
from erasmus_kg.importing.run import import_file
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import describe_source

from .import_helpers import DCT, EKG, ID, sample_rows, set_cell, write_export
from .test_derived import check_derived, project_count

PROV = "http://www.w3.org/ns/prov#"
GRAPH = "https://w3id.org/erasmus-kg/graph/import/"
KA1 = "ErasmusPlus_KA1_LearningMobilityOfIndividuals_Projects_Overview"
KA2 = "ErasmusPlus_KA2_Cooperation_Projects_Overview"
IDS = [row[prp.COLUMNS.index("Project Identifier")] for row in sample_rows()]
TITLE = "Project Title"
STATUS = "Project Status"


def export(folder: Path, name: str, rows: list[list[str]]) -> Path:
    return write_export(folder / name, rows)


def titles(root: Path, identifier: str) -> list[tuple[str, str]]:
    """(title, graph) of a project, in every graph of the store."""
    project = ox.NamedNode(ID + "project/" + identifier)
    with DefaultStore(root).open_reader() as reader:
        found = reader.quads_for_pattern(project, ox.NamedNode(DCT + "title"), None, None)
        return sorted((q.object.value, q.graph_name.value) for q in found)  # type: ignore[union-attr]


def objects(root: Path, subject: str, predicate: str) -> set[str]:
    with DefaultStore(root).open_reader() as reader:
        found = reader.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
        return {str(q.object) for q in found}


def superseded_copies(root: Path) -> set[tuple[str, str, str]]:
    """(project, graph holding the copy, graph that supersedes it) of every superseded copy."""
    with DefaultStore(root).open_reader() as reader:
        rows = reader.query(
            f"SELECT ?project ?g ?owner WHERE {{ GRAPH ?g {{ ?copy a <{PROV}Entity> ; "
            f"<{PROV}specializationOf> ?project ; <{EKG}supersededIn> ?owner }} }}"
        )
        return {(r["project"].value, r["g"].value, r["owner"].value) for r in rows}  # type: ignore[union-attr]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "store"


# ------------------------------------------------------------------------------------------------------------
# Names and ownership


@pytest.mark.parametrize(
    ("name", "list_name", "date"),
    [
        (f"{KA1}_2026-04-02.csv", f"{KA1}.csv", "2026-04-02"),
        (f"{KA1}-2026-04-02.xlsx", f"{KA1}.xlsx", "2026-04-02"),
        (f"{KA1}.csv", f"{KA1}.csv", None),
        (f"{KA1}_2026-02-30.csv", f"{KA1}_2026-02-30.csv", None),  # no such day: not a date
        ("2026-04-02.csv", "2026-04-02.csv", None),  # nothing but a date: the name is the list
        ("ErasmusPlus_Projects_Overview_sample.csv", "ErasmusPlus_Projects_Overview_sample.csv", None),
    ],
)
def test_a_dated_name_is_a_version_of_its_list(name: str, list_name: str, date: str | None) -> None:
    assert ListFile.of(Path(name)) == ListFile(list_name, date)


def test_a_shared_key_belongs_to_the_newest_list_then_the_greatest_graph() -> None:
    older = ListVersion("a", "2026-04-02", "2026-04-10T00:00:00", frozenset({"1", "2"}))
    newer = ListVersion("b", "2026-04-09", "2026-04-11T00:00:00", frozenset({"2", "3"}))
    same_date = ListVersion("c", "2026-04-09", "2026-04-03T00:00:00", frozenset({"3", "4"}))  # imported first
    undated = ListVersion("d", None, "2026-04-05T00:00:00", frozenset({"1"}))  # dated by its import day
    assert owners([older, newer, same_date, undated]) == {
        "a": {"1": "d", "2": "b"},
        "b": {"3": "c"},  # of one date: "c" sorts after "b", whichever came first
        "c": {},
        "d": {},
    }
    assert owners([same_date, newer]) == owners([newer, same_date])
    assert claimed_above([older, newer, same_date], newer) == {"3": "c", "4": "c"}


def test_lists_of_different_importers_never_own_each_others_keys() -> None:
    """A charter's proposal number and some project's identifier could be one string: they name different
    things, so an ECHE list and a Project Results list holding it both describe theirs."""
    projects = ListVersion("p", "2026-04-02", "2026-04-10T00:00:00", frozenset({"1", "2"}), "prp")
    charters = ListVersion("e", "2026-04-09", "2026-04-11T00:00:00", frozenset({"2", "3"}), "eche")
    more = ListVersion("f", "2026-04-16", "2026-04-12T00:00:00", frozenset({"3"}), "eche")
    assert owners([projects, charters, more]) == {"p": {}, "e": {"3": "f"}, "f": {}}
    earlier_projects = ListVersion("q", "2026-04-01", "", frozenset(), "prp")
    assert claimed_above([projects, charters, more], earlier_projects) == {"1": "p", "2": "p"}
    assert claimed_above([projects, charters, more], charters) == {"3": "f"}


# ------------------------------------------------------------------------------------------------------------
# Refreshes


def two_versions(folder: Path) -> tuple[Path, Path]:
    rows = sample_rows()
    first = export(folder, f"{KA1}_2026-04-02.csv", rows[:5])
    changed = set_cell(set_cell(rows[1], STATUS, "Closed"), prp.GRANT_COLUMN, "2700.00")
    retitled = set_cell(rows[3], TITLE, "Community Education, second edition")
    spaced = set_cell(rows[2], TITLE, rows[2][prp.COLUMNS.index(TITLE)] + "  ")  # the same value
    second = export(folder, f"{KA1}_2026-04-09.csv", [changed, spaced, retitled, rows[4], rows[5]])
    return first, second


def test_a_refresh_replaces_its_list_and_reports_exactly_what_changed(root: Path, tmp_path: Path) -> None:
    first, second = two_versions(tmp_path)
    one = import_file("prp", first, root=root, progress=False)
    changes_file = tmp_path / "changes.csv"
    two = import_file("prp", second, root=root, progress=False, changes_file=changes_file)

    graph = GRAPH + f"{KA1}.csv"
    assert one.graph == two.graph == graph
    assert one.changes is None and two.changes is not None
    assert two.changes.added == (IDS[5],)
    assert two.changes.removed == (IDS[0],)
    assert dict(two.changes.changed) == {IDS[1]: (STATUS, prp.GRANT_COLUMN), IDS[3]: (TITLE,)}
    assert two.summary().splitlines()[1] == (
        f"{second.name} replaces {first.name}: 1 added, 1 removed, 2 changed "
        f"({prp.GRANT_COLUMN} 1, {STATUS} 1, {TITLE} 1)."
    )
    with changes_file.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["key", "change", "columns"],
            [IDS[5], "added", ""],
            [IDS[0], "removed", ""],
            [IDS[1], "changed", f"{STATUS}; {prp.GRANT_COLUMN}"],
            [IDS[3], "changed", TITLE],
        ]

    store = DefaultStore(root)
    imported = [g for g in store.graphs() if g.metadata.get("kind") == "import"]
    assert [g.iri for g in imported] == [graph]  # one list, one graph
    assert describe_source(imported[0]) == (
        f"imported (prp, 5 rows, 0 skipped, read as UTF-8, version of 2026-04-09)  {second.resolve()}"
    )
    assert titles(root, IDS[0]) == []  # removed from the list: gone from the store
    assert titles(root, IDS[3]) == [("Community Education, second edition", graph)]
    project = ID + "project/" + IDS[1]
    assert objects(root, project, EKG + "euGrant") == {'"2700"^^<http://www.w3.org/2001/XMLSchema#decimal>'}
    source = import_source_document(second)
    assert objects(root, source, DCT + "issued") == {'"2026-04-09"^^<http://www.w3.org/2001/XMLSchema#date>'}
    assert objects(root, source, PROV + "wasRevisionOf") == {f"<{import_source_document(first)}>"}
    assert objects(root, import_source_document(first), DCT + "identifier") == set()  # replaced
    counts = check_derived(root)
    assert graph in counts
    assert project_count(root, "projects-by-year") == 5  # the list's five (the brochure has no call years)


def test_an_older_version_is_refused_unless_forced(root: Path, tmp_path: Path) -> None:
    first, second = two_versions(tmp_path)
    import_file("prp", second, root=root, progress=False)
    before = DefaultStore(root).current_build()
    assert before is not None
    with pytest.raises(InputFileError) as refused:
        import_file("prp", first, root=root, progress=False)
    assert str(refused.value) == (
        f"{first}: an older version of list {KA1}.csv: the store holds the version of 2026-04-09 "
        f"({second.name}), this file is the version of 2026-04-02; --force imports it anyway"
    )
    after = DefaultStore(root).current_build()
    assert after is not None and after.id == before.id  # nothing written
    forced = import_file("prp", first, root=root, progress=False, force=True)
    assert forced.changes is not None and forced.changes.added == (IDS[0],)
    graph = DefaultStore(root).current_build().graphs[GRAPH + f"{KA1}.csv"]  # type: ignore[union-attr]
    assert graph.metadata["date"] == "2026-04-02"


def test_the_cli_reports_a_refresh_and_refuses_an_older_version(root: Path, tmp_path: Path) -> None:
    first, second = two_versions(tmp_path)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, ["--store", str(root), *args], catch_exceptions=False)

    assert run("import", "prp", str(first)).exit_code == 0
    changes = tmp_path / "out" / "changes.csv"
    changes.parent.mkdir()
    refreshed = run("import", "prp", str(second), "--changes", str(changes))
    assert refreshed.exit_code == 0
    assert refreshed.stdout.splitlines()[-1] == (
        f"{second.name} replaces {first.name}: 1 added, 1 removed, 2 changed "
        f"({prp.GRANT_COLUMN} 1, {STATUS} 1, {TITLE} 1)."
    )
    assert changes.read_text(encoding="utf-8").splitlines()[0] == "key,change,columns"
    refused = run("import", "prp", str(first))
    assert refused.exit_code == 2
    assert refused.stderr.splitlines() == [
        f"erasmus-kg: error: {first}: an older version of list {KA1}.csv: the store holds the version of "
        f"2026-04-09 ({second.name}), this file is the version of 2026-04-02; --force imports it anyway"
    ]
    sources = run("sources")
    assert sources.exit_code == 0 and "version of 2026-04-09" in sources.stdout


# ------------------------------------------------------------------------------------------------------------
# Overlaps


def overlapping(folder: Path, first_date: str, second_date: str) -> tuple[Path, Path]:
    """A KA1 list with the sample's rows 0-3 and a KA2 list with rows 2-5, where row 2 has another title."""
    rows = sample_rows()
    ka1 = export(folder, f"{KA1}_{first_date}.csv", rows[:4])
    ka2 = export(folder, f"{KA2}_{second_date}.csv", [set_cell(rows[2], TITLE, "Newer title"), *rows[3:]])
    return ka1, ka2


def test_the_newest_list_describes_a_shared_project_and_removal_hands_it_back(
    root: Path, tmp_path: Path
) -> None:
    ka1, ka2 = overlapping(tmp_path, "2026-04-02", "2026-04-09")
    g1, g2 = GRAPH + f"{KA1}.csv", GRAPH + f"{KA2}.csv"
    old_title = sample_rows()[2][prp.COLUMNS.index(TITLE)].strip()
    import_file("prp", ka1, root=root, progress=False)
    result = import_file("prp", ka2, root=root, progress=False)  # newer: takes rows 2 and 3 over
    assert result.rows_superseded == 0 and result.reimported == {g1: 2}
    assert result.summary().splitlines()[1] == (
        f"<{g1}> imported again from its file: 2 of its rows now superseded by newer lists."
    )
    assert titles(root, IDS[2]) == [("Newer title", g2)]  # one node, described once
    project = ID + "project/" + IDS[2]
    assert superseded_copies(root) == {(project, g1, g2), (ID + "project/" + IDS[3], g1, g2)}
    check_derived(root)
    assert (
        project_count(root, "projects-by-year") == 6
    )  # each shared project counted once (the brochure has no call years)
    graphs = DefaultStore(root).current_build().graphs  # type: ignore[union-attr]
    assert graphs[g1].metadata["superseded"] == 2 and graphs[g2].metadata["superseded"] == 0

    remove_source(root, ka2.name)  # the KA1 list describes its projects again
    assert titles(root, IDS[2]) == [(old_title, g1)]
    assert superseded_copies(root) == set()
    check_derived(root)
    assert project_count(root, "projects-by-year") == 4


def test_an_older_list_imported_later_leaves_shared_projects_to_the_newer(root: Path, tmp_path: Path) -> None:
    ka1, ka2 = overlapping(tmp_path, "2026-04-16", "2026-04-09")  # KA1 is the newer one now
    g1, g2 = GRAPH + f"{KA1}.csv", GRAPH + f"{KA2}.csv"
    import_file("prp", ka1, root=root, progress=False)
    result = import_file("prp", ka2, root=root, progress=False)
    assert result.rows_superseded == 2 and result.reimported == {}
    assert result.summary().splitlines()[0].startswith(f"{ka2.name}: 4 rows imported (2 of them superseded")
    assert titles(root, IDS[2]) == [(sample_rows()[2][prp.COLUMNS.index(TITLE)].strip(), g1)]
    assert {(p, g, o) for p, g, o in superseded_copies(root)} == {
        (ID + "project/" + IDS[2], g2, g1),
        (ID + "project/" + IDS[3], g2, g1),
    }
    check_derived(root)
    remove_source(root, ka1.name)  # now the KA2 list's copies are the only ones
    assert titles(root, IDS[2]) == [("Newer title", g2)]
    assert superseded_copies(root) == set()
    check_derived(root)
    assert project_count(root, "projects-by-year") == 4


def test_a_refresh_that_drops_a_shared_project_hands_it_back(root: Path, tmp_path: Path) -> None:
    ka1, ka2 = overlapping(tmp_path, "2026-04-02", "2026-04-09")
    g1, g2 = GRAPH + f"{KA1}.csv", GRAPH + f"{KA2}.csv"
    import_file("prp", ka1, root=root, progress=False)
    import_file("prp", ka2, root=root, progress=False)
    rows = sample_rows()
    refreshed = export(tmp_path, f"{KA2}_2026-04-16.csv", rows[3:])  # row 2 left out
    result = import_file("prp", refreshed, root=root, progress=False)
    assert result.changes is not None and result.changes.removed == (IDS[2],)
    assert result.reimported == {g1: 1}
    assert titles(root, IDS[2]) == [(rows[2][prp.COLUMNS.index(TITLE)].strip(), g1)]
    assert titles(root, IDS[3]) == [(rows[3][prp.COLUMNS.index(TITLE)].strip(), g2)]
    assert superseded_copies(root) == {(ID + "project/" + IDS[3], g1, g2)}
    check_derived(root)


def test_an_overlapping_import_that_lands_meanwhile_refuses_the_switch(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process imports an overlapping list while this import reads its file: this import's plan of
    who owns what is stale, so it changes nothing and says to run it again."""
    from erasmus_kg.errors import StoreError
    from erasmus_kg.importing import run

    ka1, ka2 = overlapping(tmp_path, "2026-04-02", "2026-04-09")
    keep = run._with_files

    def meanwhile(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(run, "_with_files", keep)
        import_file("prp", ka1, root=root, progress=False)  # lands between this import's read and switch
        return keep(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_with_files", meanwhile)
    with pytest.raises(StoreError, match=r"changed while this ran .* run the command again"):
        import_file("prp", ka2, root=root, progress=False)
    imported = [g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"]
    assert imported == [GRAPH + f"{KA1}.csv"]  # the other import only
    assert import_file("prp", ka2, root=root, progress=False).reimported == {GRAPH + f"{KA1}.csv": 2}
