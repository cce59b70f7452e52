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
from erasmus_kg.derived import names
from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp
from erasmus_kg.importing.identity import import_source_document
from erasmus_kg.importing.lists import ROWS, ListFile, ListVersion, claimed_above, owners
from erasmus_kg.importing.removal import remove_source
from erasmus_kg.importing.run import import_file
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import describe_source
from erasmus_kg.store.manifest import Source

from .import_helpers import DCT, ECHE, EKG, ID, RDF_TYPE, quads, sample_rows, set_cell, write_export
from .test_derived import check_derived, project_count, sources_of

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


def test_a_list_imported_again_by_a_removal_takes_no_name_from_the_removed_list(
    root: Path, tmp_path: Path
) -> None:
    """An organisation two lists name differently (the same normal form): the newer list, imported first,
    names it; the older list takes that name and keeps its own as an alternative. Removing the newer list
    imports the older one again, which then names the organisation as it alone would, not by the name of the
    list being removed."""
    rows = sample_rows()
    coordinator, country = "Coordinating organisation name", "Coordinator's country"
    assert (rows[0][prp.COLUMNS.index(coordinator)], rows[0][prp.COLUMNS.index(country)]) == (
        "ANKARA YILDIRIM BEYAZIT UNIVERSITESI",
        "TR",
    )
    ka1 = export(tmp_path, f"{KA1}_2026-04-16.csv", rows[:4])  # the newer list
    row4 = set_cell(set_cell(rows[4], coordinator, "Ankara Yildirim Beyazit Universitesi"), country, "TR")
    ka2 = export(tmp_path, f"{KA2}_2026-04-09.csv", [*rows[2:4], row4, rows[5]])
    import_file("prp", ka1, root=root, progress=False)
    import_file("prp", ka2, root=root, progress=False)  # rows 2 and 3 superseded by the KA1 list
    with DefaultStore(root).open_reader() as reader:
        found = reader.query(
            f"SELECT DISTINCT ?o WHERE {{ <{ID}project/{IDS[0]}> "
            f"<{EKG}participation>/<{EKG}organisation> ?o }}",
            use_default_graph_as_union=True,
        )
        (organisation,) = [row["o"].value for row in found]  # type: ignore[index,union-attr]
    label, alt = (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2004/02/skos/core#altLabel",
    )
    assert objects(root, organisation, label) == {'"ANKARA YILDIRIM BEYAZIT UNIVERSITESI"'}
    assert objects(root, organisation, alt) == {'"Ankara Yildirim Beyazit Universitesi"'}
    assert remove_source(root, ka1.name)
    assert objects(root, organisation, label) == {'"Ankara Yildirim Beyazit Universitesi"'}
    assert objects(root, organisation, alt) == set()
    checked(root)


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


# ------------------------------------------------------------------------------------------------------------
# ECHE lists: their charters are owned like projects


ECHE_HEADER = ECHE.read_bytes().split(b"\n")[:2]
CHARTER = ID + "erasmus-charter/"
XSD_DATE = "^^<http://www.w3.org/2001/XMLSchema#date>"
OLDER_ECHE, NEWER_ECHE = "ECHE-list", "ECHE-HEI"
G_OLDER, G_NEWER = GRAPH + f"{OLDER_ECHE}.csv", GRAPH + f"{NEWER_ECHE}.csv"


def eche_row(code: str) -> bytes:
    """The row of the real list (Windows-1252 bytes) whose Erasmus code is `code` (its spaces as written)."""
    for line in ECHE.read_bytes().split(b"\n")[2:]:
        if line.split(b";")[1].decode("cp1252").replace("\xa0", " ") == code:
            return line
    raise AssertionError(code)


def eche_list(folder: Path, name: str, rows: list[bytes]) -> Path:
    path = folder / name
    path.write_bytes(b"\n".join([*ECHE_HEADER, *rows, b""]))
    return path


def overlapping_eche(folder: Path, older_date: str, newer_date: str) -> tuple[Path, Path]:
    """An older ECHE list with six charters (two of LCI Barcelona) and a newer one of another name with five:
    A EISENST01 (valid a year longer), A EISENST02 (its non-breaking space a space: the same key) and
    E BARCELO33 (valid until 30 June 2030) are in both."""
    eisenst01, eisenst02, barcelo33 = (
        eche_row("A  EISENST01"),
        eche_row("A  EISENST02"),
        eche_row("E  BARCELO33"),
    )
    older = eche_list(
        folder,
        f"{OLDER_ECHE}_{older_date}.csv",
        [
            eche_row("A  BADEN01"),
            eche_row("A  DORNBIR01"),
            eisenst01,
            eisenst02,
            eche_row("E  BARCELO280"),
            barcelo33,
        ],
    )
    newer = eche_list(
        folder,
        f"{NEWER_ECHE}_{newer_date}.csv",
        [
            eisenst01.replace(b"12/31/2029", b"12/31/2030"),
            eisenst02.replace(b"\xa0", b" "),
            eche_row("A  EISENST05"),
            eche_row("A  FELDKIR01"),
            barcelo33.replace(b"12/31/2029", b"6/30/2030"),
        ],
    )
    return older, newer


def facts(root: Path, subject: str) -> set[tuple[str, str, str]]:
    """(predicate, object, graph) of every triple of `subject` in the store's named graphs."""
    with DefaultStore(root).open_reader() as reader:
        found = reader.quads_for_pattern(ox.NamedNode(subject), None, None, None)
        return {(q.predicate.value, str(q.object), q.graph_name.value) for q in found}  # type: ignore[union-attr]


def charter_facts(
    graph: str, proposal: str, start: str, end: str, holder: str, source: Path
) -> set[tuple[str, str, str]]:
    """The facts of a charter as `facts` gives them, all in `graph`."""
    return {
        (RDF_TYPE, f"<{EKG}ErasmusCharter>", graph),
        (EKG + "charterHolder", f"<{holder}>", graph),
        (DCT + "identifier", f'"{proposal}"', graph),
        (EKG + "validFrom", f'"{start}"{XSD_DATE}', graph),
        (EKG + "validUntil", f'"{end}"{XSD_DATE}', graph),
        (DCT + "source", f"<{import_source_document(source)}>", graph),
    }


def holder(root: Path, code: str) -> str:
    (found,) = {o for p, o, _ in facts(root, CHARTER + code) if p == EKG + "charterHolder"}
    return found[1:-1]


def check_names(root: Path) -> None:
    """Every source graph's name index equals its recomputation from the store (`names.names_in`)."""
    import sqlite3

    store = DefaultStore(root)
    build = store.current_build()
    assert build is not None
    with store.open_reader() as reader:
        for source in sources_of(reader):
            expected = sorted(names.names_in(reader, source))
            path = names.index_file(build.path, source)
            stored = []
            if path.exists():
                connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                try:
                    stored = sorted(
                        names.Name(*row)
                        for row in connection.execute("SELECT kind, iri, rank, text FROM name")
                    )
                finally:
                    connection.close()
            assert stored == expected, source


def conforms(root: Path) -> None:
    """`erasmus-kg validate` of the whole store conforms (exit 0)."""
    result = CliRunner().invoke(cli, ["--store", str(root), "validate"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def checked(root: Path) -> None:
    conforms(root)
    check_derived(root)
    check_names(root)


def test_the_newest_eche_list_describes_a_shared_charter_and_removal_hands_it_back(
    root: Path, tmp_path: Path
) -> None:
    older, newer = overlapping_eche(tmp_path, "2026-04-02", "2026-04-09")
    first = import_file("eche", older, root=root, progress=False)
    assert (first.rows_imported, first.rows_superseded, first.reimported) == (6, 0, {})
    checked(root)
    eisenst01 = holder(root, "A-EISENST01")
    lci = holder(root, "E-BARCELO33")
    assert facts(root, CHARTER + "A-EISENST01") == charter_facts(
        G_OLDER, "101012465", "2021-01-01", "2029-12-31", eisenst01, older
    )

    second = import_file("eche", newer, root=root, progress=False)  # newer: takes the three shared charters
    assert (second.rows_imported, second.rows_superseded, second.reimported) == (5, 0, {G_OLDER: 3})
    assert second.summary().splitlines()[1] == (
        f"<{G_OLDER}> imported again from its file: 3 of its rows now superseded by newer lists."
    )
    assert facts(root, CHARTER + "A-EISENST01") == charter_facts(  # one node, described by the newer list
        G_NEWER, "101012465", "2021-01-01", "2030-12-31", eisenst01, newer
    )
    assert facts(root, CHARTER + "E-BARCELO33") == charter_facts(
        G_NEWER, "101048420", "2021-01-01", "2030-06-30", lci, newer
    )
    assert superseded_copies(root) == {
        (CHARTER + code, G_OLDER, G_NEWER) for code in ("A-EISENST01", "A-EISENST02", "E-BARCELO33")
    }
    copy = CHARTER + "A-EISENST01/copy/eche-list-csv"
    assert facts(root, copy) == {
        (RDF_TYPE, f"<{PROV}Entity>", G_OLDER),
        (PROV + "specializationOf", f"<{CHARTER}A-EISENST01>", G_OLDER),
        (PROV + "hadPrimarySource", f"<{import_source_document(older)}>", G_OLDER),
        (EKG + "supersededIn", f"<{G_NEWER}>", G_OLDER),
    }
    described_in = {g for _, _, g in facts(root, eisenst01) if g.startswith(GRAPH)}
    assert described_in == {G_NEWER}  # every row of the older list superseded: it does not describe it
    codes = {(o, g) for p, o, g in facts(root, lci) if p == EKG + "erasmusCode"}
    assert codes == {('"E  BARCELO280"', G_OLDER), ('"E  BARCELO33"', G_NEWER)}  # each from its own rows
    graphs = DefaultStore(root).current_build().graphs  # type: ignore[union-attr]
    assert graphs[G_OLDER].metadata["superseded"] == 3 and graphs[G_NEWER].metadata["superseded"] == 0
    sources = CliRunner().invoke(cli, ["--store", str(root), "sources"], catch_exceptions=False)
    assert sources.exit_code == 0
    assert (
        "imported (eche, 6 rows, 0 skipped, read as Windows-1252, 3 superseded by newer lists, version of "
        f"2026-04-02)  {older.resolve()}"
    ) in sources.stdout
    checked(root)

    remove_source(root, newer.name)  # the older list describes its charters again
    assert facts(root, CHARTER + "A-EISENST01") == charter_facts(
        G_OLDER, "101012465", "2021-01-01", "2029-12-31", eisenst01, older
    )
    assert facts(root, CHARTER + "A-EISENST05") == set()
    assert superseded_copies(root) == set()
    codes = {(o, g) for p, o, g in facts(root, lci) if p == EKG + "erasmusCode"}
    assert codes == {('"E  BARCELO280"', G_OLDER), ('"E  BARCELO33"', G_OLDER)}
    assert DefaultStore(root).current_build().graphs[G_OLDER].metadata["superseded"] == 0  # type: ignore[union-attr]
    checked(root)


def test_an_older_eche_list_imported_later_leaves_shared_charters_and_its_removal_leaves_the_newer(
    root: Path, tmp_path: Path
) -> None:
    older, newer = overlapping_eche(tmp_path, "2026-04-02", "2026-04-09")
    import_file("eche", newer, root=root, progress=False)
    before = {code: facts(root, CHARTER + code) for code in ("A-EISENST01", "A-EISENST02", "E-BARCELO33")}
    result = import_file("eche", older, root=root, progress=False)
    assert (result.rows_imported, result.rows_superseded, result.reimported) == (6, 3, {})
    assert (
        result.summary()
        .splitlines()[0]
        .startswith(f"{older.name}: 6 rows imported (3 of them superseded by newer lists), 0 rows skipped;")
    )
    assert {code: facts(root, CHARTER + code) for code in before} == before  # the newer list's, untouched
    assert facts(root, CHARTER + "A-EISENST01") == charter_facts(
        G_NEWER, "101012465", "2021-01-01", "2030-12-31", holder(root, "A-EISENST01"), newer
    )
    assert superseded_copies(root) == {
        (CHARTER + code, G_OLDER, G_NEWER) for code in ("A-EISENST01", "A-EISENST02", "E-BARCELO33")
    }
    assert {g for _, _, g in facts(root, CHARTER + "A-BADEN01")} == {G_OLDER}
    checked(root)

    remove_source(root, older.name)  # the newer list owned every shared charter: nothing to hand back
    assert {code: facts(root, CHARTER + code) for code in before} == before
    assert facts(root, CHARTER + "A-BADEN01") == set()
    assert superseded_copies(root) == set()
    imported = [g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"]
    assert imported == [G_NEWER]
    checked(root)


def test_a_refresh_of_an_eche_list_reports_its_charters_by_code(root: Path, tmp_path: Path) -> None:
    baden, dornbirn, eisenst01 = eche_row("A  BADEN01"), eche_row("A  DORNBIR01"), eche_row("A  EISENST01")
    first = eche_list(tmp_path, "ECHE-list_2026-04-02.csv", [baden, dornbirn, eisenst01])
    second = eche_list(
        tmp_path,
        "ECHE-list_2026-04-09.csv",
        [
            dornbirn.replace(b";2500;", b";2500 ;"),  # the same values
            eisenst01.replace(b"12/31/2029", b"12/31/2030"),
            eche_row("A  FELDKIR01"),
        ],
    )
    import_file("eche", first, root=root, progress=False)
    changes_file = tmp_path / "changes.csv"
    result = import_file("eche", second, root=root, progress=False, changes_file=changes_file)
    assert result.graph == G_OLDER and result.reimported == {}
    assert result.changes is not None
    assert (result.changes.added, result.changes.removed) == (("A FELDKIR01",), ("A BADEN01",))
    assert dict(result.changes.changed) == {"A EISENST01": ("Erasmus Eche End",)}
    assert result.summary().splitlines()[1] == (
        f"{second.name} replaces {first.name}: 1 added, 1 removed, 1 changed (Erasmus Eche End 1)."
    )
    with changes_file.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["key", "change", "columns"],
            ["A FELDKIR01", "added", ""],
            ["A BADEN01", "removed", ""],
            ["A EISENST01", "changed", "Erasmus Eche End"],
        ]
    assert facts(root, CHARTER + "A-BADEN01") == set()
    until = {o for p, o, _ in facts(root, CHARTER + "A-EISENST01") if p == EKG + "validUntil"}
    assert until == {f'"2030-12-31"{XSD_DATE}'}
    assert [g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"] == [G_OLDER]
    checked(root)


def test_a_refresh_of_an_eche_list_imported_before_keys_were_normalised_reports_the_same(
    root: Path, tmp_path: Path
) -> None:
    """A list imported before charter keys were normalised keeps each code in its rows file as the cell had it
    (`A\xa0 BADEN01`); a refresh compares it with today's keys (`A BADEN01`) and reports exactly what
    changed, not every charter removed and added again."""
    baden, dornbirn, eisenst01 = eche_row("A  BADEN01"), eche_row("A  DORNBIR01"), eche_row("A  EISENST01")
    first = eche_list(tmp_path, "ECHE-list_2026-04-02.csv", [baden, dornbirn, eisenst01])
    second = eche_list(
        tmp_path, "ECHE-list_2026-04-09.csv", [dornbirn, eisenst01.replace(b"12/31/2029", b"12/31/2030")]
    )
    import_file("eche", first, root=root, progress=False)
    build = DefaultStore(root).current_build()
    assert build is not None
    rows_file = build.graph_file(G_OLDER, ROWS)
    assert rows_file is not None
    lines = rows_file.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["A BADEN01", "A DORNBIR01", "A EISENST01"]
    rows_file.write_text(  # as the importer wrote it before: the code's cell, its non-breaking space kept
        "".join(line.replace(" ", "\xa0 ", 1) + "\n" for line in lines), encoding="utf-8"
    )
    result = import_file("eche", second, root=root, progress=False)
    assert result.changes is not None
    assert (result.changes.added, result.changes.removed) == ((), ("A BADEN01",))
    assert dict(result.changes.changed) == {"A EISENST01": ("Erasmus Eche End",)}
    checked(root)


def test_a_project_list_and_an_eche_list_never_own_each_others_keys(root: Path, tmp_path: Path) -> None:
    """Charters keyed by proposal numbers that are the identifiers of two projects: a charter is no project,
    whichever list is newer."""
    g_prp = GRAPH + f"{KA1}.csv"
    projects = export(tmp_path, f"{KA1}_2026-04-09.csv", sample_rows()[:2])

    def by_proposal(proposal: str) -> bytes:
        cells = eche_row("A  BADEN01").split(b";")
        cells[0], cells[1] = proposal.encode(), b""
        return b";".join(cells)

    older = eche_list(tmp_path, f"{OLDER_ECHE}_2026-04-02.csv", [by_proposal(IDS[0])])
    newer = eche_list(tmp_path, f"{NEWER_ECHE}_2026-04-16.csv", [by_proposal(IDS[1])])
    import_file("prp", projects, root=root, progress=False)
    for path in (older, newer):
        result = import_file("eche", path, root=root, progress=False)
        assert (result.rows_imported, result.rows_superseded, result.reimported) == (1, 0, {})
    assert superseded_copies(root) == set()
    graphs = DefaultStore(root).current_build().graphs  # type: ignore[union-attr]
    assert [graphs[g].metadata["superseded"] for g in (g_prp, G_OLDER, G_NEWER)] == [0, 0, 0]
    for identifier in IDS[:2]:
        assert len(titles(root, identifier)) == 1 and titles(root, identifier)[0][1] == g_prp
    assert {g for _, _, g in facts(root, CHARTER + IDS[0])} == {G_OLDER}
    assert {g for _, _, g in facts(root, CHARTER + IDS[1])} == {G_NEWER}
    later = import_file(
        "prp", export(tmp_path, f"{KA1}_2026-04-23.csv", sample_rows()[:2]), root=root, progress=False
    )
    assert later.reimported == {} and later.rows_superseded == 0
    checked(root)


def test_an_eche_list_that_lands_meanwhile_does_not_stop_a_project_list(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ECHE list whose charter key reads like a project identifier of this import lands while it reads
    its file: lists of different importers share no keys, so the switch goes ahead."""
    from erasmus_kg.importing import run

    projects = export(tmp_path, f"{KA1}_2026-04-09.csv", sample_rows()[:2])
    cells = eche_row("A  BADEN01").split(b";")
    cells[0], cells[1] = IDS[0].encode(), b""
    charters = eche_list(tmp_path, f"{OLDER_ECHE}_2026-04-02.csv", [b";".join(cells)])
    keep = run._with_files

    def meanwhile(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(run, "_with_files", keep)
        import_file("eche", charters, root=root, progress=False)  # lands between the read and the switch
        return keep(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_with_files", meanwhile)
    result = import_file("prp", projects, root=root, progress=False)
    assert (result.rows_imported, result.rows_superseded, result.reimported) == (2, 0, {})
    imported = sorted(g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import")
    assert imported == [G_OLDER, GRAPH + f"{KA1}.csv"]
    assert {g for _, _, g in facts(root, CHARTER + IDS[0])} == {G_OLDER}
    checked(root)


def test_a_charter_of_a_graph_that_takes_no_part_in_ownership_is_refused(root: Path, tmp_path: Path) -> None:
    """A graph imported before lists kept their files (no rows file) cannot be imported again: a charter it
    describes is a bad row, which names it. Regression: the check looked the charter up by a malformed IRI
    and never refused anything, so two lists described one charter twice."""
    old = GRAPH + "destinations-before-lists.csv"
    out = tmp_path / "old.nq"
    import_file(
        "eche", eche_list(tmp_path, "destinations-before-lists.csv", [eche_row("A  BADEN01")]), output=out
    )
    data = tmp_path / "old.nt"
    ox.serialize([q.triple for q in quads(out)], str(data), ox.RdfFormat.N_TRIPLES)
    DefaultStore(root).replace_graphs(
        {old: Source(old, data, "ntriples")},
        graph_metadata={
            old: {"kind": "import", "importer": "eche", "file_name": "destinations-before-lists.csv"}
        },
    )
    path = eche_list(tmp_path, "ECHE-list_2026-04-02.csv", [eche_row("A  DORNBIR01"), eche_row("A  BADEN01")])
    with pytest.raises(InputFileError) as refused:
        import_file("eche", path, root=root, progress=False)
    assert str(refused.value) == (
        f"{path}:4: column 'Erasmus Code': this charter is already in the store, in <{old}>, which takes no "
        "part in the ownership of lists (imported before lists kept their files, or loaded): remove it or "
        "import it again first"
    )
    assert [g.iri for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"] == [old]
