"""`import eche`: the list of Erasmus Charter holders (Windows-1252, semicolons, #N/A, two date formats)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing.eche import parse_date
from erasmus_kg.importing.identity import organisation_iri, organisation_key
from erasmus_kg.importing.run import import_file

from .import_helpers import (
    COUNTRY,
    DCT,
    ECHE,
    EKG,
    ID,
    RDF_TYPE,
    SKOS,
    VOCAB,
    objects,
    subjects,
    triples,
)

XSD_DATE = "^^<http://www.w3.org/2001/XMLSchema#date>"


@pytest.fixture(scope="module")
def eche(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str]]:
    out = tmp_path_factory.mktemp("eche") / "destinations.nq"
    result = import_file("eche", ECHE, output=out, validate=False)
    assert (result.rows_imported, result.rows_skipped) == (5912, 0)
    return triples(out)


def test_every_row_is_a_charter_of_an_institution(eche: set) -> None:
    charters = subjects(eche, RDF_TYPE, f"<{EKG}ErasmusCharter>")
    institutions = subjects(eche, RDF_TYPE, f"<{EKG}Organisation>")
    assert len(charters) == 5912
    # LCI Barcelona holds two charters (same PIC, same name): one institution
    assert len(institutions) == 5911
    assert {o for s, p, o in eche if p == f"<{EKG}charterHolder>"} == {f"<{i}>" for i in institutions}
    assert subjects(
        eche, EKG + "organisationKind", f"<{VOCAB}organisation-kind/higher-education-institution>"
    ) == (institutions)


def test_exactly_34_lithuanian_institutions(eche: set) -> None:
    lithuanian = subjects(eche, EKG + "country", f"<{COUNTRY}LTU>")
    assert len(lithuanian) == 34
    vilnius = organisation_iri(organisation_key("VILNIAUS UNIVERSITETAS", "LT"))
    assert vilnius in lithuanian
    assert objects(eche, vilnius, SKOS + "prefLabel") == {'"VILNIAUS UNIVERSITETAS"'}
    assert objects(eche, vilnius, EKG + "locality") == {'"VILNIUS"'}


def test_the_first_institution_with_every_column(eche: set) -> None:
    node = organisation_iri(organisation_key("PAEDAGOGISCHE HOCHSCHULE NIEDERÖSTERREICH", "AT"))
    facts = {(p, o) for s, p, o in eche if s == f"<{node}>"}
    assert facts == {
        (f"<{RDF_TYPE}>", f"<{EKG}Organisation>"),
        (f"<{SKOS}prefLabel>", '"PAEDAGOGISCHE HOCHSCHULE NIEDERÖSTERREICH"'),
        (f"<{EKG}organisationKind>", f"<{VOCAB}organisation-kind/higher-education-institution>"),
        (f"<{EKG}country>", f"<{COUNTRY}AUT>"),
        (f"<{EKG}pic>", '"948821603"'),
        (f"<{EKG}oid>", '"E10054064"'),
        (f"<{EKG}erasmusCode>", '"A  BADEN01"'),  # the non-breaking space of the file is a space
        (f"<{EKG}streetAddress>", '"Mühlgasse 67"'),
        (f"<{EKG}postalCode>", '"2500"'),
        (f"<{EKG}locality>", '"Baden"'),
        (f"<{EKG}url>", '"www.ph-noe.ac.at"^^<http://www.w3.org/2001/XMLSchema#anyURI>'),
        (f"<{DCT}source>", f"<{ID}source/import/destinations.csv>"),
    }
    charter = ID + "erasmus-charter/A-BADEN01"
    assert {(p, o) for s, p, o in eche if s == f"<{charter}>"} == {
        (f"<{RDF_TYPE}>", f"<{EKG}ErasmusCharter>"),
        (f"<{EKG}charterHolder>", f"<{node}>"),
        (f"<{DCT}identifier>", '"101012444"'),
        (f"<{EKG}validFrom>", '"2021-01-01"' + XSD_DATE),
        (f"<{EKG}validUntil>", '"2029-12-31"' + XSD_DATE),
        (f"<{DCT}source>", f"<{ID}source/import/destinations.csv>"),
    }


def test_na_cells_are_absent(eche: set) -> None:
    assert not [t for t in eche if "#N/A" in t[2] or "\xa0" in t[2]]
    # 4,985 rows have an OID (4,984 distinct: two institutions share E10009980); LCI's second row has #N/A
    assert len([t for t in eche if t[1] == f"<{EKG}oid>"]) == 4985
    lci = organisation_iri(organisation_key("LCI BARCELONA ESCUELA SUPERIOR S.L.U", "ES"))
    assert objects(eche, lci, EKG + "oid") == {'"E10102167"'}  # its other row says #N/A
    assert objects(eche, lci, EKG + "erasmusCode") == {'"E  BARCELO280"', '"E  BARCELO33"'}


def test_both_date_formats(eche: set) -> None:
    def charter(code: str) -> tuple[set, set]:
        node = ID + "erasmus-charter/" + code
        return objects(eche, node, EKG + "validFrom"), objects(eche, node, EKG + "validUntil")

    assert charter("E-BARCELO280") == ({'"2024-06-26"' + XSD_DATE}, {'"2029-12-31"' + XSD_DATE})  # DD/MM/YYYY
    assert charter("E-BARCELO33") == ({'"2021-01-01"' + XSD_DATE}, {'"2029-12-31"' + XSD_DATE})  # M/D/YYYY
    assert charter("E-CADIZ17") == ({'"2021-11-01"' + XSD_DATE}, {'"2029-12-31"' + XSD_DATE})  # 11/1/2021


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("1/1/2021", datetime.date(2021, 1, 1)),
        ("12/31/2029", datetime.date(2029, 12, 31)),
        ("31/12/2029", datetime.date(2029, 12, 31)),
        ("26/06/2024", datetime.date(2024, 6, 26)),
        ("30/06/2023", datetime.date(2023, 6, 30)),
        ("6/30/2023", datetime.date(2023, 6, 30)),
        ("10/26/2022", datetime.date(2022, 10, 26)),
        ("11/1/2021", datetime.date(2021, 11, 1)),
        ("2/1/2024", datetime.date(2024, 2, 1)),
        ("01/02/2024", datetime.date(2024, 2, 1)),
        ("2024-02-01", datetime.date(2024, 2, 1)),
    ],
)
def test_dates_are_read_in_both_formats(text: str, date: datetime.date) -> None:
    assert parse_date(text) == date


@pytest.mark.parametrize("text", ["31/31/2029", "13/13/2020", "2029", "1.1.2021", "2/30/2024"])
def test_a_date_that_is_neither_format_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


def test_one_name_shared_by_different_institutions_in_a_country_is_not_merged(eche: set) -> None:
    machado = subjects(eche, SKOS + "prefLabel", '"IES ANTONIO MACHADO"') | subjects(
        eche, SKOS + "prefLabel", '"IES Antonio Machado"'
    )
    assert len(machado) == 4  # Cádiz, Alcalá de Henares, Sevilla, Soria: four PICs
    assert organisation_iri(organisation_key("IES ANTONIO MACHADO", "ES")) not in machado
    cities = {next(iter(objects(eche, node, EKG + "locality"))) for node in machado}
    assert cities == {'"La Línea de la Concepción"', '"ALCALÁ DE HENARES - MADRID"', '"Sevilla"', '"Soria"'}


def test_an_institution_that_is_also_a_project_organisation_is_the_same_node(
    eche: set, tmp_path: Path
) -> None:
    from .import_helpers import SAMPLE

    out = tmp_path / "sample.nq"
    import_file("prp", SAMPLE, output=out, validate=False)
    projects = triples(out)
    alicante = organisation_iri(organisation_key("UNIVERSIDAD DE ALICANTE", "ES"))
    assert objects(projects, alicante, RDF_TYPE) == {f"<{EKG}Organisation>"}  # coordinator of the KA3 project
    assert objects(eche, alicante, EKG + "pic") == {'"999895886"'}  # and an ECHE holder: one IRI


def test_bad_rows_of_the_list(tmp_path: Path) -> None:
    lines = ECHE.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b";AT;", b";ZZ;")
    lines[3] = lines[3].replace(b"1/1/2021", b"31/31/2021")
    lines[4] = lines[4].replace(b"879130401", b"12345")
    path = tmp_path / "destinations.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputFileError) as raised:
        import_file("eche", path, output=tmp_path / "out.nq", validate=False)
    assert str(raised.value) == f"{path}:3: column 'Country Cd': unknown country code 'ZZ'"
    reported: list[str] = []
    result = import_file(
        "eche", path, output=tmp_path / "out.nq", validate=False, on_error="skip", report=reported.append
    )
    assert (result.rows_imported, result.rows_skipped) == (5909, 3)
    assert reported == [
        f"{path}:3: column 'Country Cd': unknown country code 'ZZ'",
        f"{path}:4: column 'Erasmus Eche Start': '31/31/2021' is not a date (M/D/YYYY or DD/MM/YYYY)",
        f"{path}:5: column 'Pic': '12345' is not a PIC (nine digits)",
    ]


def test_a_code_written_with_a_space_for_its_hyphen_is_the_same_charter(tmp_path: Path) -> None:
    """`A  ST POLT03` and `A  ST-POLT03` name one charter (one IRI, A-ST-POLT03): a second row of it is a bad
    row, as any charter twice in a list, not a second description of the same node."""
    header, rows = ECHE.read_bytes().split(b"\n")[:2], ECHE.read_bytes().split(b"\n")[2:]
    (hyphen,) = [row for row in rows if row and row.split(b";")[1].decode("cp1252") == "A\xa0 ST-POLT03"]
    space = hyphen.replace(b"ST-POLT03", b"ST POLT03").replace(hyphen.split(b";")[0], b"999999999", 1)
    path = tmp_path / "spaced.csv"
    path.write_bytes(b"\n".join([*header, hyphen, space, b""]))
    with pytest.raises(InputFileError) as raised:
        import_file("eche", path, output=tmp_path / "out.nq", validate=False)
    expected = "column 'Erasmus Code': 'A  ST POLT03' is also the charter of row 3"
    assert str(raised.value) == f"{path}:4: {expected}"


def test_an_institution_is_found_by_its_pic_in_another_import(tmp_path: Path) -> None:
    """A second list that names Vilnius University differently but with its PIC: the node of the first."""
    root = tmp_path / "store"
    import_file("eche", ECHE, root=root, validate=False)
    vilnius = organisation_iri(organisation_key("VILNIAUS UNIVERSITETAS", "LT"))
    header = ECHE.read_bytes().split(b"\n")[:2]
    row = "999;LT VILNIUS01;999893170;E10209082;Vilnius University;Universiteto g. 3;01513;Vilnius;LT;;"
    other = tmp_path / "renamed.csv"
    other.write_bytes(b"\n".join([*header, row.encode("cp1252") + b"1/1/2030;12/31/2031", b""]))
    from erasmus_kg.store.builds import EmbeddedStore

    with EmbeddedStore(root).open_reader() as reader:
        pic = ox.NamedNode(EKG + "pic")
        pics = [str(q.object) for q in reader.quads_for_pattern(ox.NamedNode(vilnius), pic, None, None)]
    assert pics == ['"999893170"']
    out = tmp_path / "renamed.nq"
    again = import_file("eche", other, root=root, validate=False)
    # both undated, so dated by today: of one date, renamed.csv sorts last and owns LT VILNIUS01
    assert again.reimported == {"https://w3id.org/erasmus-kg/graph/import/destinations.csv": 1}
    import_file("eche", other, output=out, validate=False)  # without the store: found by name only
    with EmbeddedStore(root).open_reader() as reader:
        graph = ox.NamedNode("https://w3id.org/erasmus-kg/graph/import/renamed.csv")
        found = {
            (str(q.subject), str(q.predicate), str(q.object))
            for q in reader.quads_for_pattern(None, None, None, graph)
        }
    assert objects(found, vilnius, SKOS + "prefLabel") == {'"VILNIAUS UNIVERSITETAS"'}  # the store's name
    assert objects(found, vilnius, SKOS + "altLabel") == {'"Vilnius University"'}
    assert objects(found, vilnius, EKG + "locality") == {'"VILNIUS"'}
    alone = triples(out)
    assert subjects(alone, RDF_TYPE, f"<{EKG}Organisation>") == {
        organisation_iri(organisation_key("Vilnius University", "LT"))
    }


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig"])
def test_a_utf8_copy_imports_the_same_triples(eche: set, tmp_path: Path, codec: str) -> None:
    """Regression (issue 12): a UTF-8 copy was read as Windows-1252, 700 rows of mojibake
    (NIEDERÃ–STERREICH) and then a failure on line 783. The copy keeps the file name, so the graph and the
    source document are the same."""
    copy = tmp_path / ECHE.name
    copy.write_bytes(ECHE.read_bytes().decode("cp1252").encode(codec))
    out = tmp_path / "copy.nq"
    result = import_file("eche", copy, output=out, validate=False)
    assert (result.rows_imported, result.rows_skipped, result.encoding) == (5912, 0, "UTF-8")
    assert result.summary().endswith("(read as UTF-8).")
    assert triples(out) == eche
    node = organisation_iri(organisation_key("PAEDAGOGISCHE HOCHSCHULE NIEDERÖSTERREICH", "AT"))
    assert objects(triples(out), node, SKOS + "prefLabel") == {'"PAEDAGOGISCHE HOCHSCHULE NIEDERÖSTERREICH"'}


def test_the_list_as_published_is_read_as_windows_1252(tmp_path: Path) -> None:
    result = import_file("eche", ECHE, output=tmp_path / "out.nq", validate=False)
    assert result.encoding == "Windows-1252"
    assert result.summary().endswith("(read as Windows-1252).")


def test_a_file_in_neither_encoding_is_refused_before_any_row_is_read(tmp_path: Path) -> None:
    """The bad byte is near the end: the whole file is decoded before the first row is imported."""
    data = ECHE.read_bytes()
    path = tmp_path / "destinations.csv"
    path.write_bytes(data[:-10] + b"\x81" + data[-10:])
    out = tmp_path / "out.nq"
    reported: list[str] = []
    with pytest.raises(InputFileError) as raised:
        import_file("eche", path, output=out, validate=False, on_error="skip", report=reported.append)
    lines = data[:-10].count(b"\n") + 1
    first = data.index(b"\xa0")  # the non-breaking space of A\xa0 BADEN01, the first byte above 0x7F
    assert max(data[:first]) < 0x80
    assert str(raised.value) == (
        f"{path}: is neither UTF-8 text (byte 0xA0 at line 3, byte offset {first}) "
        f"nor Windows-1252 text (byte 0x81 at line {lines}, byte offset {len(data) - 10})"
    )
    assert reported == [] and not out.exists()


def test_an_import_where_every_row_is_skipped_is_refused(tmp_path: Path) -> None:
    lines = ECHE.read_bytes().split(b"\n")
    path = tmp_path / "destinations.csv"
    path.write_bytes(b"\n".join([*lines[:2], lines[2].replace(b";AT;", b";ZZ;"), b""]))
    root = tmp_path / "store"
    reported: list[str] = []
    with pytest.raises(InputFileError) as raised:
        import_file("eche", path, root=root, validate=False, on_error="skip", report=reported.append)
    assert str(raised.value) == f"{path}: every row was skipped (1 bad): nothing was imported"
    assert reported == [f"{path}:3: column 'Country Cd': unknown country code 'ZZ'"]
    from erasmus_kg.store.default import DefaultStore

    assert not [g for g in DefaultStore(root).graphs() if g.metadata.get("kind") == "import"]
