"""`import prp`: the Erasmus+ Project Results export mapped to the ontology, on the real sample rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp
from erasmus_kg.importing.identity import normalise_name, organisation_iri, organisation_key
from erasmus_kg.importing.run import import_file

from .import_helpers import (
    COUNTRY,
    DCT,
    EKG,
    EXPECTED,
    ID,
    RDF_TYPE,
    RS_PROJECT,
    SAMPLE,
    SKOS,
    VOCAB,
    objects,
    quads,
    sample_rows,
    set_cell,
    subjects,
    triples,
    write_export,
)

GRANT = prp.GRANT_COLUMN


def export(path: Path, out: Path | None = None, **options) -> set[tuple[str, str, str]]:
    """Import `path` to N-Quads (no store, no validation: the mapping only) and return its triples."""
    out = out or path.with_suffix(".nq")
    import_file("prp", path, output=out, validate=False, progress=False, **options)
    return triples(out)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    return export(SAMPLE, tmp_path_factory.mktemp("sample") / "sample.nq")


# ------------------------------------------------------------------------------------------------------------
# The real sample


def test_the_serbian_czech_school_project_is_exactly_these_triples(sample: set) -> None:
    """Every triple of the 2017 KA101 project, its two participations, its two organisations and its (new)
    action type, compared as graphs with tests/expected_imports/."""
    expected_path = EXPECTED / "project-2017-1-RS01-KA101-000006.nt"
    expected = triples(expected_path)
    described = {s[1:-1] for s, _, _ in expected}
    assert described == {
        RS_PROJECT,
        RS_PROJECT + "/participation/rs-9be7e0465ad0d00c7361",
        RS_PROJECT + "/participation/cz-ebc751ef654ff6c0f5ae",
        ID + "organisation/rs-9be7e0465ad0d00c7361",
        ID + "organisation/cz-ebc751ef654ff6c0f5ae",
        VOCAB + "action/KA101",
    }
    actual = {t for t in sample if t[0][1:-1] in described}
    assert actual == expected


def test_every_project_column_of_a_full_record_becomes_a_fact(sample: set) -> None:
    def one(predicate: str) -> str:
        (value,) = objects(sample, RS_PROJECT, predicate)
        return value

    assert one(EKG + "fundingProgramme") == f"<{ID}erasmus-plus>"  # Programme
    assert one(EKG + "action") == f"<{VOCAB}action/KA101>"  # Key Action, Action Type
    assert one(EKG + "callYear") == '"2017"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert one(DCT + "identifier") == '"2017-1-RS01-KA101-000006"'
    assert one(DCT + "title") == (
        '"Internationalization of the school through innovative methods and greater use of ICT in '
        'teaching"@und'
    )
    assert objects(sample, RS_PROJECT, EKG + "theme") == {
        f"<{VOCAB}topic/key-competences-incl-mathematics-and-literacy-basic-skills>",
        f"<{VOCAB}topic/ict-new-technologies-digital-competences>",
        f"<{VOCAB}topic/international-cooperation-international-relations-development-cooperation>",
    }
    assert one(DCT + "description").startswith('"As a leading city school, we put emphasis  on our teachers')
    assert one(EKG + "projectStatus") == '"ongoing"'
    assert one(EKG + "euGrant") == '"13190.00"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    boolean_false = '"false"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    assert one(EKG + "goodPractice") == boolean_false
    assert one(EKG + "successStory") == boolean_false
    assert one(EKG + "resultsAvailable") == boolean_false
    assert (
        one(EKG + "url") == '"http://nadausavrsavanje.weebly.com"^^<http://www.w3.org/2001/XMLSchema#anyURI>'
    )
    assert one(EKG + "projectCard") == (
        '"https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/'
        '2017-1-RS01-KA101-000006"^^<http://www.w3.org/2001/XMLSchema#anyURI>'
    )
    assert objects(sample, RS_PROJECT, EKG + "participatingCountry") == {f"<{COUNTRY}SRB>", f"<{COUNTRY}CZE>"}
    assert one(DCT + "source") == f"<{ID}source/import/ErasmusPlus_Projects_Overview_sample.csv>"


def test_all_six_rows_become_projects_under_the_right_actions(sample: set) -> None:
    projects = subjects(sample, RDF_TYPE, f"<{EKG}Project>")
    assert projects == {
        ID + "project/553065-EPP-1-2014-1-TR-EPPJMO-CHAIR",
        ID + "project/2014-1-DE03-KA101-000001",
        RS_PROJECT,
        ID + "project/2014-1-LI01-KA200-000005",
        ID + "project/562155-EPP-1-2015-1-ES-EPPKA3-PI-FORWARD",
        ID + "project/556927-EPP-1-2014-1-LT-SPO-SCP",
    }
    actions = {p: objects(sample, p, EKG + "action") for p in projects}
    assert actions[ID + "project/553065-EPP-1-2014-1-TR-EPPJMO-CHAIR"] == {
        f"<{VOCAB}action/jean-monnet-chairs>"
    }
    assert actions[ID + "project/2014-1-LI01-KA200-000005"] == {f"<{VOCAB}action/KA200>"}
    assert actions[ID + "project/562155-EPP-1-2015-1-ES-EPPKA3-PI-FORWARD"] == {
        f"<{VOCAB}action/forward-looking-cooperation-projects>"
    }
    assert actions[ID + "project/556927-EPP-1-2014-1-LT-SPO-SCP"] == {
        f"<{VOCAB}action/collaborative-partnerships>"
    }
    # new action types hang under the row's key action, or under the vocabulary's strategic partnerships
    broader = {
        "jean-monnet-chairs": f"<{VOCAB}action/jean-monnet-activities>",
        "KA200": f"<{VOCAB}action/strategic-partnerships>",
        "forward-looking-cooperation-projects": f"<{VOCAB}action/KA3>",
        "collaborative-partnerships": f"<{VOCAB}action/sport>",
        "KA101": f"<{VOCAB}action/KA1>",
    }
    for local, parent in broader.items():
        assert objects(sample, VOCAB + "action/" + local, SKOS + "broader") == {parent}
    assert objects(sample, VOCAB + "action/KA200", SKOS + "notation") == {'"KA200"'}
    assert objects(sample, VOCAB + "action/jean-monnet-chairs", SKOS + "notation") == set()
    assert objects(sample, VOCAB + "action/jean-monnet-activities", SKOS + "prefLabel") == {
        '"Jean Monnet Activities"@en',
        '"Jean Monnet-activiteiten"@nl',
    }


def test_eu_country_codes_el_and_uk_name_greece_and_the_united_kingdom(sample: set, tmp_path: Path) -> None:
    greek = (
        ID
        + "organisation/"
        + organisation_iri(organisation_key("UNIVERSITY OF PIRAEUS RESEARCH CENTER", "EL")).rsplit("/", 1)[1]
    )
    assert objects(sample, greek, EKG + "country") == {f"<{COUNTRY}GRC>"}
    assert f"<{COUNTRY}GRC>" in objects(
        sample, ID + "project/562155-EPP-1-2015-1-ES-EPPKA3-PI-FORWARD", EKG + "participatingCountry"
    )
    row = sample_rows()[2]
    row = set_cell(row, "Participating countries", "RS,CZ,UK,GB")
    row = set_cell(row, "Partner 2 name", "University of Leeds")
    row = set_cell(row, "Partner 2 country", "UK")
    row = set_cell(row, "Partner 3 name", "UNIVERSITY OF LEEDS")
    row = set_cell(row, "Partner 3 country", "GB")  # the ISO code of the same country: the same organisation
    found = export(write_export(tmp_path / "uk.csv", [row]))
    assert objects(found, RS_PROJECT, EKG + "participatingCountry") == {
        f"<{COUNTRY}SRB>",
        f"<{COUNTRY}CZE>",
        f"<{COUNTRY}GBR>",
    }
    leeds = organisation_iri(organisation_key("University of Leeds", "UK"))
    assert leeds.startswith(ID + "organisation/uk-")
    assert objects(found, leeds, EKG + "country") == {f"<{COUNTRY}GBR>"}
    assert objects(found, leeds, SKOS + "prefLabel") == {'"University of Leeds"'}
    assert objects(found, RS_PROJECT + "/participation/" + leeds.rsplit("/", 1)[1], EKG + "role") == {
        f"<{VOCAB}role/partner>"
    }


def test_empty_cells_are_absent_facts_not_empty_strings(sample: set) -> None:
    assert not [t for t in sample if t[2].startswith('""')]
    chair = ID + "project/553065-EPP-1-2014-1-TR-EPPJMO-CHAIR"
    assert objects(sample, chair, EKG + "url") == set()  # no Project Website
    assert objects(sample, chair, EKG + "participation") == {
        f"<{chair}/participation/"
        + organisation_iri(organisation_key("ANKARA YILDIRIM BEYAZIT UNIVERSITESI", "TR")).rsplit("/", 1)[1]
        + ">"
    }
    # CESIE (partner 2 of the KA3 project) has no website in the export
    cesie = organisation_iri(organisation_key("CESIE", "IT"))
    assert objects(sample, cesie, EKG + "url") == set()
    assert objects(sample, cesie, EKG + "region") == {'"Sicilia"'}


# ------------------------------------------------------------------------------------------------------------
# Organisations


def test_one_organisation_in_several_rows_and_roles_is_one_node(tmp_path: Path) -> None:
    rows = sample_rows()
    first = set_cell(rows[2], "Partner 1 name", "Universidad de Alcalá")
    first = set_cell(first, "Partner 1 country", "ES")
    second = set_cell(rows[4], "Partner 2 name", "UNIVERSIDAD  DE ALCALA.")  # case, accents, spaces, dot
    second = set_cell(second, "Partner 2 country", "ES")
    second = set_cell(second, "Partner 3 name", "Universidad de Alcalá")  # the same name in Portugal
    second = set_cell(second, "Partner 3 country", "PT")
    second = set_cell(second, "Partner 4 name", "UNIVERSIDAD DE ALICANTE")  # the coordinator again
    second = set_cell(second, "Partner 4 country", "ES")
    found = export(write_export(tmp_path / "dedup.csv", [first, second]))

    alcala = organisation_iri(organisation_key("Universidad de Alcalá", "ES"))
    assert alcala == organisation_iri(organisation_key("UNIVERSIDAD  DE ALCALA.", "ES"))
    assert normalise_name("UNIVERSIDAD  DE ALCALA.") == "universidad de alcala"
    organisations = subjects(found, RDF_TYPE, f"<{EKG}Organisation>")
    assert alcala in organisations
    assert objects(found, alcala, SKOS + "prefLabel") == {'"Universidad de Alcalá"'}  # the first spelling
    assert objects(found, alcala, RDF_TYPE) == {f"<{EKG}Organisation>"}
    in_portugal = organisation_iri(organisation_key("Universidad de Alcalá", "PT"))
    assert in_portugal != alcala
    assert objects(found, in_portugal, EKG + "country") == {f"<{COUNTRY}PRT>"}
    used_by = {s for s, p, o in found if p == f"<{EKG}organisation>" and o == f"<{alcala}>"}
    assert len(used_by) == 2  # one participation in each project
    # the coordinator named again as partner 4: one participation with both roles
    project = ID + "project/562155-EPP-1-2015-1-ES-EPPKA3-PI-FORWARD"
    alicante = organisation_iri(organisation_key("UNIVERSIDAD DE ALICANTE", "ES"))
    participation = f"{project}/participation/{alicante.rsplit('/', 1)[1]}"
    assert objects(found, participation, EKG + "role") == {
        f"<{VOCAB}role/coordinator>",
        f"<{VOCAB}role/partner>",
    }
    assert len(objects(found, project, EKG + "participation")) == 4  # Alicante, FONDO, Alcalá ES, Alcalá PT


def test_an_organisation_without_a_name_is_described_in_its_row(tmp_path: Path) -> None:
    row = set_cell(sample_rows()[2], "Partner 1 name", "")
    found = export(write_export(tmp_path / "unnamed.csv", [row]))
    unnamed = RS_PROJECT + "/organisation/partner-1"
    assert objects(found, unnamed, "http://www.w3.org/2000/01/rdf-schema#label") == {
        '"The partner 1 of project 2017-1-RS01-KA101-000006 (name not given)"@en',
        '"De partner 1 van project 2017-1-RS01-KA101-000006 (naam niet vermeld)"@nl',
    }
    assert objects(found, unnamed, EKG + "country") == {f"<{COUNTRY}CZE>"}


# ------------------------------------------------------------------------------------------------------------
# Bad rows


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Participating countries", "RS,ZZ", "unknown country code 'ZZ'"),
        ("Partner 1 country", "XY", "unknown country code 'XY'"),
        ("Coordinator's country", "Serbia", "unknown country code 'Serbia'"),
        (
            GRANT,
            "13.190,00",
            "'13.190,00' is not an amount in euros (digits, optionally a decimal point and decimals)",
        ),
        (
            GRANT,
            "EUR 5000",
            "'EUR 5000' is not an amount in euros (digits, optionally a decimal point and decimals)",
        ),
        ("Call year", "2O17", "'2O17' is not a year (four digits)"),
        ("Project Identifier", "", "missing: every project needs its identifier"),
        ("Is Good Practice", "Maybe", "'Maybe' is not Yes or No"),
    ],
)
def test_a_bad_row_stops_the_import_naming_file_row_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    rows = sample_rows()
    rows[2] = set_cell(rows[2], column, value)
    path = write_export(tmp_path / "bad.csv", rows)
    with pytest.raises(InputFileError) as raised:
        export(path)
    assert str(raised.value) == f"{path}:4: column '{column}': {message}"
    assert raised.value.exit_code == 2
    assert not (tmp_path / "bad.nq").exists()


def test_with_skip_bad_rows_are_reported_and_left_out(tmp_path: Path) -> None:
    rows = sample_rows()
    rows[0] = set_cell(rows[0], "Call year", "fourteen")
    rows[3] = set_cell(set_cell(rows[3], GRANT, "n/a"), "Partner 2 country", "ZZ")
    path = write_export(tmp_path / "skip.csv", rows)
    reported: list[str] = []
    out = tmp_path / "skip.nq"
    result = import_file("prp", path, output=out, validate=False, on_error="skip", report=reported.append)
    assert (result.rows_imported, result.rows_skipped) == (4, 2)
    assert (
        result.summary()
        == f"skip.csv: 4 rows imported, 2 rows skipped; {result.triples} triples written to {out} "
        "(read as UTF-8)."
    )
    assert (
        reported
        == result.problems
        == [
            f"{path}:2: column 'Call year': 'fourteen' is not a year (four digits)",
            f"{path}:5: column '{GRANT}': 'n/a' is not an amount in euros "
            "(digits, optionally a decimal point and decimals)",
            f"{path}:5: column 'Partner 2 country': unknown country code 'ZZ'",
        ]
    )
    found = triples(out)
    projects = subjects(found, RDF_TYPE, f"<{EKG}Project>")
    assert ID + "project/553065-EPP-1-2014-1-TR-EPPJMO-CHAIR" not in projects
    assert ID + "project/2014-1-LI01-KA200-000005" not in projects
    assert len(projects) == 4
    # an organisation first named in a skipped row is described by the next row that names it, or not at all
    assert not [t for t in found if "Diakonisches" in t[2]]


def test_a_project_identifier_twice_in_one_file_is_a_bad_row(tmp_path: Path) -> None:
    rows = sample_rows()
    path = write_export(tmp_path / "twice.csv", [*rows, rows[2]])
    with pytest.raises(InputFileError) as raised:
        export(path)
    assert str(raised.value) == (
        f"{path}:8: column 'Project Identifier': '2017-1-RS01-KA101-000006' is also the identifier of row 4"
    )


def test_a_file_that_is_not_the_export_is_refused_at_its_header(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Programme,Key Action\nErasmus+,KA1\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        export(path)
    assert str(raised.value) == (
        f"{path}:1: the header has 2 columns; an Erasmus+ Project Results export has 622 (column 3 should be "
        "'Action Type')"
    )


# ------------------------------------------------------------------------------------------------------------
# XLSX


def test_the_xlsx_variant_gives_the_same_triples_as_the_csv(sample: set, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Projects")
    sheet.append(list(prp.COLUMNS))
    numeric = {prp.COLUMNS.index("Call year"): int, prp.COLUMNS.index(GRANT): float}
    for row in sample_rows():
        sheet.append([numeric[i](v) if i in numeric and v else (v or None) for i, v in enumerate(row)])
    path = tmp_path / "ErasmusPlus_Projects_Overview_sample.xlsx"
    workbook.save(path)
    found = export(path)

    def comparable(found: set) -> set:
        """Without the file's own source document; a grant as the workbook's number (50000.00 -> 50000)."""
        kept = set()
        for s, p, o in found:
            if "/id/source/import/" in s + o:
                continue
            if p == f"<{EKG}euGrant>":
                amount = prp.cell_text(float(o.split('"')[1]))
                o = f'"{amount}"^^<http://www.w3.org/2001/XMLSchema#decimal>'
            kept.add((s, p, o))
        return kept

    assert comparable(found) == comparable(sample)
    assert objects(found, ID + "project/2014-1-LI01-KA200-000005", EKG + "euGrant") == {
        '"112527.93"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    }
    assert objects(found, ID + "source/import/ErasmusPlus_Projects_Overview_sample.xlsx", DCT + "format") == {
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"'
    }


# ------------------------------------------------------------------------------------------------------------
# The output


def test_output_is_n_quads_in_the_files_graph(tmp_path: Path) -> None:
    out = tmp_path / "out.nq"
    import_file("prp", SAMPLE, output=out, validate=False)
    graphs = {q.graph_name.value for q in quads(out)}
    assert graphs == {"https://w3id.org/erasmus-kg/graph/import/ErasmusPlus_Projects_Overview_sample.csv"}
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]  # no temporary file left behind


def test_a_project_card_with_an_upper_case_scheme_is_written_lower_case_and_conforms(tmp_path: Path) -> None:
    """Regression (found by tests/test_importers_prp_generated.py): "HTTP://..." passed the importer's check
    but not the shapes' pattern, so the whole import was refused."""
    rows = sample_rows()
    rows[2] = set_cell(rows[2], "Results Platform Project Card", "HTTPS://erasmus-plus.ec.europa.eu/p/X")
    path = write_export(tmp_path / "card.csv", rows)
    out = tmp_path / "card.nq"
    result = import_file("prp", path, output=out, progress=False)
    assert result.validation is not None and result.validation.conforms
    assert objects(triples(out), RS_PROJECT, EKG + "projectCard") == {
        '"https://erasmus-plus.ec.europa.eu/p/X"^^<http://www.w3.org/2001/XMLSchema#anyURI>'
    }


def test_an_action_type_without_key_action_or_code_is_an_action_of_its_own(tmp_path: Path) -> None:
    """Regression (found by tests/test_importers_prp_generated.py): an action type that no key action and no
    action code places was minted as an ekg:ActionType without skos:broader, and the import was refused."""
    rows = sample_rows()
    row = set_cell(set_cell(rows[0], "Key Action", ""), "Action Type", "Mobility of Youth Workers (pilot)")
    path = write_export(tmp_path / "type.csv", [set_cell(row, "Project Identifier", "JM-1")])
    out = tmp_path / "type.nq"
    result = import_file("prp", path, output=out, progress=False)
    assert result.validation is not None and result.validation.conforms
    found = triples(out)
    action = VOCAB + "action/mobility-of-youth-workers-pilot"
    assert objects(found, ID + "project/JM-1", EKG + "action") == {f"<{action}>"}
    assert objects(found, action, RDF_TYPE) == {f"<{EKG}Action>"}
    assert objects(found, action, SKOS + "topConceptOf") == {f"<{VOCAB}action>"}
    assert objects(found, action, SKOS + "broader") == set()


def test_an_export_saved_as_windows_1252_imports_the_same_triples(tmp_path: Path) -> None:
    """A spreadsheet may save the export again in Windows-1252: found, not guessed, and read the same. The
    sample rows that Windows-1252 can write (the others hold Greek, Cyrillic, Lithuanian letters) are
    written once in each encoding, under the same file name."""
    rows = [row for row in sample_rows() if all(_cp1252(cell) for cell in row)]
    assert len(rows) >= 2 and any(not "".join(row).isascii() for row in rows)
    outputs = {}
    for codec in ("utf-8", "cp1252"):
        folder = tmp_path / codec
        folder.mkdir()
        path = write_export(folder / "export.csv", rows)
        path.write_bytes(path.read_text(encoding="utf-8").encode(codec))
        result = import_file("prp", path, output=folder / "out.nq", validate=False)
        assert result.rows_imported == len(rows)
        outputs[result.encoding] = triples(folder / "out.nq")
    assert set(outputs) == {"UTF-8", "Windows-1252"}
    assert outputs["UTF-8"] == outputs["Windows-1252"]


def _cp1252(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True
