"""`import prp` of every layout of the Project Results exports: one real row of each predecessor programme
(tests/data/imports/layouts/, written by scripts/build_prp_layout_samples.py from the records in
../shared/data/external/erasmus-prp-sample-records/), imported through the command line into a store of its
own, validated, and found by the stored queries."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp, prp_layouts
from erasmus_kg.importing.run import import_file

from .import_helpers import DATA, DCT, EKG, ID, SKOS, VOCAB, objects, triples

LAYOUT_FILES = DATA / "layouts"
ROOT = Path(__file__).resolve().parents[1]
ACTION = VOCAB + "action/"
PROGRAMME = ID + "programme/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_prp_layout_samples", ROOT / "scripts" / "build_prp_layout_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# (file stem, layout, project, title, a country of its coordinator, programme (en, nl), own action's label)
CASES = [
    (
        "LifeLongLearning_Projects_Overview",
        prp_layouts.LIFELONG_LEARNING,
        "EACEA-509925",
        "Positive Thinking Training",
        "RO",
        ("Lifelong Learning Programme (2007-2013)", "Programma Een leven lang leren (2007-2013)"),
        "Accompanying measures",
    ),
    (
        "YouthInAction_Projects_Overview",
        prp_layouts.LIFELONG_LEARNING,
        "HR-2-01-2009-R2",
        "DUNAVIJADA",
        "HR",
        ("Youth in Action (2007-2013)", "Jeugd in actie (2007-2013)"),
        "European Voluntary Service",
    ),
    (
        "Tempus_Projects_Overview",
        prp_layouts.EXTERNAL_PROGRAMMES,
        "EACEA-COMP-TEM-144522",
        "Modernization and Implementation of Business-Education-Programmes for Tourism in Belarus (MIBET)",
        "DE",
        ("Tempus", "Tempus"),
        "Tempus Joint Project - Curricular Reform",
    ),
    (
        "ErasmusMundus_Projects_Overview",
        prp_layouts.EXTERNAL_PROGRAMMES,
        "EACEA-159061",
        "European Masters in Clinical Linguistics",
        "DE",
        ("Erasmus Mundus", "Erasmus Mundus"),
        "Joint Programmes: Master Course",
    ),
    (
        "CoopIndustrialisedCountries_Projects_Overview",
        prp_layouts.EXTERNAL_PROGRAMMES,
        "EACEA-168191",
        "KR - EUKLA - European Korean Leadership Alliance",
        "PL",
        ("Co-operation with industrialised countries", "Samenwerking met geïndustrialiseerde landen"),
        "Co-operation with other industrialised countries",
    ),
    (
        "Culture_2007_2013_Projects_Overview",
        prp_layouts.CULTURE,
        "FI-CULT-2008-MOTN-01",
        "DEPARTS: Investing in a new dance generation",
        "BE",
        ("Culture (2007-2013)", "Cultuur (2007-2013)"),
        "Multi-annual Cooperation Projects",
    ),
    (
        "CreativeEurope_Projects_Overview",
        prp_layouts.CREATIVE_EUROPE,
        "552144-CREA-1-2014-1-AT-CULT-COOP1",
        "ELiT Literaturehouse Europe",
        "AT",
        ("Creative Europe", "Creatief Europa"),
        "Cooperation projects",
    ),
    (
        "Sports_Projects_Overview",
        prp_layouts.SPORT_PREPARATORY_ACTIONS,
        "EAC-2013-0493",
        "Networks of Knowledge",
        "UK",
        (
            "Sport: preparatory actions and special events 2009-2013",
            "Sport: voorbereidende acties en speciale evenementen 2009-2013",
        ),
        "Area 1: Strengthening of good governance and dual careers in sport through support for the mobility "
        "of volunteers, coaches, managers and staff of non-profit sport organisations",
    ),
]
IDS = [case[0] for case in CASES]


def csv_file(stem: str) -> Path:
    return LAYOUT_FILES / f"{stem}.csv"


def run(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, list(args), catch_exceptions=False)


def rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with every predecessor file imported by `erasmus-kg import prp FILE` (validated)."""
    root = tmp_path_factory.mktemp("layouts") / "store"
    runner = CliRunner()
    for stem, *_ in CASES:
        result = run(runner, "--store", str(root), "import", "prp", str(csv_file(stem)))
        assert result.exit_code == 0, result.output
        assert f"{stem}.csv: 1 rows imported, 0 rows skipped;" in result.output
    return root


def query(store: Path, lang: str, name: str, *params: str) -> list[dict[str, str]]:
    args = ["--store", str(store), "query", name, "--format", "csv", "--lang", lang]
    for param in params:
        args += ["-p", param]
    result = run(CliRunner(), *args)
    assert result.exit_code == 0, result.output
    return rows(result.output)


# ------------------------------------------------------------------------------------------------------------
# The test files and their layouts


def test_the_test_files_are_the_records_as_the_script_writes_them(tmp_path: Path) -> None:
    script = build_script()
    if not script.RECORDS.is_dir():
        pytest.skip(f"the records are not here: {script.RECORDS}")
    written = script.build(script.RECORDS, tmp_path)
    assert sorted(path.name for path in written) == sorted(path.name for path in LAYOUT_FILES.iterdir())
    for path in written:
        if path.suffix == ".csv":
            assert path.read_bytes() == (LAYOUT_FILES / path.name).read_bytes(), path.name


@pytest.mark.parametrize(("stem", "layout"), [case[:2] for case in CASES], ids=IDS)
def test_each_file_is_recognised_by_its_header(stem: str, layout: prp_layouts.Layout) -> None:
    with csv_file(stem).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert prp.check_header(csv_file(stem), header) is layout
    assert prp.ProjectResultsImporter.recognises(csv_file(stem))


def test_the_layouts_have_the_sample_files_column_counts() -> None:
    widths = {layout.name: len(layout.columns) for layout in prp_layouts.LAYOUTS}
    assert widths == {
        "Erasmus+": 622,
        "Creative Europe": 623,
        "Culture 2007-2013": 417,
        "Lifelong Learning and Youth in Action": 417,
        "Tempus, Erasmus Mundus and industrialised countries": 416,
        "Sport preparatory actions": 415,
    }
    assert prp_layouts.ERASMUS_PLUS.columns == prp.COLUMNS


def test_a_header_of_no_layout_names_the_layouts_known(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Name,Country\nx,BE\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        import_file("prp", path, output=tmp_path / "out.nq", validate=False)
    assert str(raised.value) == (
        f"{path}:1: not a Project Results export: the header matches none of the layouts (Erasmus+, "
        "Creative Europe, Culture 2007-2013, Lifelong Learning and Youth in Action, Tempus, Erasmus Mundus "
        "and industrialised countries, Sport preparatory actions)"
    )
    assert raised.value.exit_code == 2


def test_a_predecessor_header_with_a_renamed_column_names_its_layout(tmp_path: Path) -> None:
    header = list(prp_layouts.LIFELONG_LEARNING.columns)
    header[3] = "National ID"
    path = tmp_path / "renamed.csv"
    path.write_text(",".join(f'"{name}"' for name in header) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        import_file("prp", path, output=tmp_path / "out.nq", validate=False)
    assert str(raised.value) == (
        f"{path}:1: column 4 of the header is 'National ID', expected 'National Identifier': not a Lifelong "
        "Learning and Youth in Action Project Results export"
    )


# ------------------------------------------------------------------------------------------------------------
# The mapping


def export(path: Path, tmp_path: Path) -> set[tuple[str, str, str]]:
    out = tmp_path / f"{path.name}.nq"
    import_file("prp", path, output=out, validate=False, progress=False)
    return triples(out)


def test_a_lifelong_learning_row_becomes_these_project_facts(tmp_path: Path) -> None:
    found = export(csv_file("LifeLongLearning_Projects_Overview"), tmp_path)
    project = ID + "project/EACEA-509925"
    comenius = ACTION + "lifelong-learning-comenius"
    measures = comenius + "-accompanying-measures"
    assert objects(found, project, EKG + "fundingProgramme") == {f"<{PROGRAMME}lifelong-learning>"}
    assert objects(found, project, EKG + "action") == {f"<{measures}>"}
    assert objects(found, measures, SKOS + "broader") == {f"<{comenius}>"}
    assert objects(found, comenius, SKOS + "topConceptOf") == {f"<{VOCAB}action>"}
    assert objects(found, project, EKG + "externalReference") == {'"509925-LLP-1-2010-1-RO-COMENIUS-CAM"'}
    assert objects(found, project, EKG + "nationalIdentifier") == set()  # the cell is empty
    assert objects(found, project, DCT + "identifier") == {'"EACEA-509925"'}
    assert objects(found, PROGRAMME + "lifelong-learning", SKOS + "notation") == {'"LLP"'}
    assert objects(found, PROGRAMME + "lifelong-learning", SKOS + "prefLabel") == {
        '"Lifelong Learning Programme (2007-2013)"@en',
        '"Programma Een leven lang leren (2007-2013)"@nl',
    }
    # four partners of six have a Greek (EL) or other EU-style country code; all are organisations
    partners = objects(found, project, EKG + "participation")
    assert len(partners) == 7


def test_dates_of_both_forms_and_a_grant_in_eur_become_typed_literals(tmp_path: Path) -> None:
    culture = export(csv_file("Culture_2007_2013_Projects_Overview"), tmp_path)
    project = ID + "project/FI-CULT-2008-MOTN-01"
    assert objects(culture, project, EKG + "startDate") == {f'"2006-05-01"^^<{XSD}date>'}
    assert objects(culture, project, EKG + "endDate") == {f'"2009-04-30"^^<{XSD}date>'}
    creative = export(csv_file("CreativeEurope_Projects_Overview"), tmp_path)
    project = ID + "project/552144-CREA-1-2014-1-AT-CULT-COOP1"
    assert objects(creative, project, EKG + "startDate") == {f'"2015-01-01"^^<{XSD}date>'}
    assert objects(creative, project, EKG + "activityDomain") == {
        '"Creative writing, Translation, Publishing"'
    }
    assert objects(creative, project, EKG + "action") == {
        f"<{ACTION}creative-europe-culture-cooperation-projects>"
    }
    sport = export(csv_file("Sports_Projects_Overview"), tmp_path)
    assert objects(sport, ID + "project/EAC-2013-0493", EKG + "euGrant") == {f'"240000.0"^^<{XSD}decimal>'}


def test_the_xlsx_file_gives_the_same_triples_as_the_csv(tmp_path: Path) -> None:
    stem = "LifeLongLearning_Projects_Overview"

    def without_source(found: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        return {t for t in found if "/id/source/import/" not in t[0] + t[2]}

    from_xlsx = export(LAYOUT_FILES / f"{stem}.xlsx", tmp_path)
    from_csv = export(csv_file(stem), tmp_path)
    assert without_source(from_xlsx) == without_source(from_csv)
    assert len(without_source(from_csv)) > 90


@pytest.mark.parametrize(
    ("stem", "column", "value", "message"),
    [
        (
            "Culture_2007_2013_Projects_Overview",
            "Start date",
            "31/02/2006",
            "'31/02/2006' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        ),
        (
            "CreativeEurope_Projects_Overview",
            "End date",
            "2018-12",
            "'2018-12' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
        ),
        (
            "Sports_Projects_Overview",
            prp.GRANT_COLUMN,
            "240.000,0 EUR",
            "'240.000,0 EUR' is not an amount in euros (digits, optionally a decimal point and decimals)",
        ),
        ("Tempus_Projects_Overview", "Partner 3 country", "Belarus", "unknown country code 'Belarus'"),
        ("YouthInAction_Projects_Overview", "Project Title", "", "missing: every project needs a title"),
        (
            "YouthInAction_Projects_Overview",
            "Programme Funding",
            "Youth\\Youth in action (2007-2013)",
            "'Youth\\Youth in action (2007-2013)' names no action after its programme "
            "(field\\programme\\action)",
        ),
        (
            "Tempus_Projects_Overview",
            "Programme Funding",
            "",
            "missing: every project needs its programme and action (field\\programme\\action)",
        ),
    ],
)
def test_a_bad_value_in_a_predecessor_column_is_file_row_column_exit_2(
    tmp_path: Path, stem: str, column: str, value: str, message: str
) -> None:
    with csv_file(stem).open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    row[header.index(column)] = value
    path = tmp_path / f"{stem}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    result = run(CliRunner(), "--store", str(tmp_path / "store"), "import", "prp", str(path))
    assert result.exit_code == 2
    assert result.output == f"erasmus-kg: error: {path}:2: column '{column}': {message}\n"


def test_a_creative_europe_row_without_sub_programme_and_action_is_a_bad_row(tmp_path: Path) -> None:
    with csv_file("CreativeEurope_Projects_Overview").open(encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    row[header.index("Sub-programme")] = row[header.index("Action")] = ""
    path = tmp_path / "no-action.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    with pytest.raises(InputFileError) as raised:
        import_file("prp", path, output=tmp_path / "out.nq", validate=False)
    assert str(raised.value) == f"{path}:2: column 'Action': missing: neither an action nor a sub-programme"


# ------------------------------------------------------------------------------------------------------------
# In the store


@pytest.mark.parametrize(
    ("stem", "project", "title", "country", "action"),
    [(c[0], c[2], c[3], c[4], c[6]) for c in CASES],
    ids=IDS,
)
def test_projects_by_country_finds_each_predecessor_project(
    store: Path, stem: str, project: str, title: str, country: str, action: str
) -> None:
    found = {row["project"]: row for row in query(store, "en", "projects-by-country", f"country={country}")}
    row = found[ID + "project/" + project]
    assert (row["title"], row["action"]) == (title, action)
    assert "coordinator" in row["involvement"].split("; ")


@pytest.mark.parametrize(("stem", "project", "names"), [(c[0], c[2], c[5]) for c in CASES], ids=IDS)
def test_projects_by_programme_finds_each_by_its_english_and_dutch_name(
    store: Path, stem: str, project: str, names: tuple[str, str]
) -> None:
    en, nl = names
    for lang, name in (("en", en), ("nl", nl)):
        found = query(store, lang, "projects-by-programme", f"programme={name}")
        assert [row["project"] for row in found] == [ID + "project/" + project], (lang, name)


def test_every_predecessor_action_has_a_dutch_label_of_its_own(store: Path, tmp_path: Path) -> None:
    """The actions the predecessor files name (their Programme Funding paths, Creative Europe's Sub-programme
    and Action) have Dutch labels from `prp_terms.PREDECESSOR_ACTIONS`, none the English text marked
    untranslated."""
    actions = tmp_path / "actions.rq"
    actions.write_text(
        "SELECT DISTINCT ?en ?nl ?note WHERE { ?project ekg:fundingProgramme ?programme ; ekg:action ?leaf . "
        "FILTER(?programme != <https://w3id.org/erasmus-kg/id/programme/erasmus-plus>) "
        "?leaf skos:broader* ?action . ?action skos:prefLabel ?en, ?nl . "
        'FILTER(lang(?en) = "en" && lang(?nl) = "nl") OPTIONAL { ?action skos:editorialNote ?note } }\n',
        encoding="utf-8",
    )
    result = run(CliRunner(), "--store", str(store), "sparql", str(actions), "--format", "csv")
    assert result.exit_code == 0, result.output
    found = {(row["en"], row["nl"], row["note"]) for row in rows(result.output)}
    assert {
        ("COMENIUS", "Comenius", ""),
        ("Accompanying measures", "Begeleidende maatregelen", ""),
        ("European Voluntary Service", "Europees Vrijwilligerswerk", ""),
        (
            "Tempus Joint Project - Curricular Reform",
            "Tempus gezamenlijk project - hervorming van leerplannen",
            "",
        ),
        ("Joint Programmes: Master Course", "Gezamenlijke programma's: masteropleiding", ""),
        (
            "Co-operation with other industrialised countries",
            "Samenwerking met andere geïndustrialiseerde landen",
            "",
        ),
        ("Multi-annual Cooperation Projects", "Meerjarige samenwerkingsprojecten", ""),
        ("Culture", "Cultuur", ""),
        ("Cooperation projects", "Samenwerkingsprojecten", ""),
        ("Preparatory actions 2013", "Voorbereidende acties 2013", ""),
    } <= found
    assert [(en, note) for en, nl, note in found if note or nl == en] == []


def test_projects_by_programme_by_abbreviation_and_erasmus_plus_keeps_the_brochure(store: Path) -> None:
    assert [r["project"] for r in query(store, "en", "projects-by-programme", "programme=yia")] == [
        ID + "project/HR-2-01-2009-R2"
    ]
    brochure = query(store, "en", "projects-by-programme", "programme=Erasmus+")
    assert len(brochure) == 10 and all("/project/EACEA" not in row["project"] for row in brochure)


def test_a_short_dutch_name_is_found_and_a_misspelt_one_refused_with_suggestions(store: Path) -> None:
    assert [
        r["project"] for r in query(store, "nl", "projects-by-programme", "programme=Jeugd in actie")
    ] == [ID + "project/HR-2-01-2009-R2"]
    args = ["--store", str(store), "query", "projects-by-programme", "-p", "programme=Youth in Actoin"]
    result = run(CliRunner(), *args)
    assert result.exit_code == 2
    assert result.output == (
        "erasmus-kg: error: programme: no programme matches 'Youth in Actoin'. Did you mean: "
        "Youth in Action, Youth in Action (2007-2013), Jeugd in actie?\n"
    )


def test_sources_lists_every_imported_file(store: Path) -> None:
    result = run(CliRunner(), "--store", str(store), "sources")
    assert result.exit_code == 0
    for stem, *_ in CASES:
        graph = f"https://w3id.org/erasmus-kg/graph/import/{stem}.csv"
        lines = [line for line in result.output.splitlines() if line.startswith(graph + " ")]
        assert len(lines) == 1, stem
        assert lines[0].endswith(
            f"imported (prp, 1 rows, 0 skipped, read as UTF-8)  {csv_file(stem).resolve()}"
        )


def test_the_store_validates_with_every_predecessor_graph(store: Path) -> None:
    result = run(CliRunner(), "--store", str(store), "validate")
    assert result.exit_code == 0, result.output
