"""`import prp` on generated rows (hypothesis): whatever the cells, the import never fails with anything but a
reported bad row; with `--on-error skip` it keeps exactly the good rows, each mapped as its cells say, one
node per organisation (normalised name and country), and what it writes conforms to the shapes.

Every generated cell is either good or bad by construction (the bad values are the ones issue #5 names:
unknown country codes, unparsable grants, years and flags, missing identifiers and titles), so the test knows
which rows must be skipped without repeating the importer's logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp
from erasmus_kg.importing.run import import_file

from .import_helpers import (
    COUNTRY,
    DCT,
    EKG,
    ID,
    RDF_TYPE,
    SKOS,
    objects,
    subjects,
    triples,
    write_export,
)

EU_TO_ISO3 = {"BE": "BEL", "EL": "GRC", "UK": "GBR", "CZ": "CZE", "LT": "LTU"}
BAD_COUNTRY = "XQ"

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=0, max_size=12
)
NAMES = {  # a name as it appears in a cell -> the organisation it names (within one country)
    "Acme School": "acme",
    "ACME school.": "acme",
    "  acme   SCHOOL ": "acme",
    "Zéta Université": "zeta",
    "ZETA UNIVERSITE": "zeta",
    "Kauno kolegija": "kauno",
}


@dataclass
class Row:
    cells: dict[str, str]
    bad: bool
    identifier: str
    organisations: list[tuple[str, str]] = field(default_factory=list)
    """(organisation, EU country code or "") of the named organisations."""


def pick(draw: st.DrawFn, good: list[str], bad: list[str]) -> tuple[str, bool]:
    """A good value, or (one time in six) a bad one."""
    if bad and draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(bad)), True
    return draw(st.sampled_from(good)), False


@st.composite
def rows(draw: st.DrawFn) -> Row:
    cells: dict[str, str] = {}
    bad = False

    def cell(column: str, good: list[str], wrong: list[str] | None = None) -> str:
        nonlocal bad
        value, is_bad = pick(draw, good, wrong or [])
        bad |= is_bad
        cells[column] = value
        return value

    identifier = cell(
        "Project Identifier",
        [f"2019-1-BE02-KA{k}-00000{n}" for k in (101, 201, 204) for n in range(3)] + ["JM-1 (no code)"],
        ["", "   "],
    )
    cells["Project Title"] = title = draw(TEXT)
    bad |= not title.strip()
    cell("Call year", ["", "2014", "2021"], ["14", "20x1"])
    cell(prp.GRANT_COLUMN, ["", "1000", "25000.50", "0"], ["1,000", "EUR 5", "-1"])
    for column in ("Is Good Practice", "Is Success Story", "Results Available"):
        cell(column, ["", "Yes", "No", "yes", "TRUE"], ["maybe"])
    cells["Project Website"] = draw(TEXT)
    cell("Results Platform Project Card", ["", "https://x.eu/p/1", "HTTP://X.EU"], ["www.x.eu"])
    codes = draw(st.lists(st.sampled_from([*EU_TO_ISO3, BAD_COUNTRY]), max_size=3))
    cells["Participating countries"] = ", ".join(codes)
    bad |= BAD_COUNTRY in codes
    key_action = cell("Key Action", ["", "Learning Mobility of Individuals"])
    action_type = cell("Action Type", ["", "School education staff mobility"])
    if "KA" not in identifier and not key_action and not action_type:
        bad = True  # no action at all
    row = Row(cells, bad, identifier.strip())
    for index in range(draw(st.integers(0, 3)) + 1):
        prefix = "Coordinating organisation" if index == 0 else f"Partner {index}"
        name = draw(st.sampled_from(["", *NAMES]))
        country = cell(
            "Coordinator's country" if index == 0 else f"Partner {index} country",
            ["", "BE", "EL", "LT"],
            [BAD_COUNTRY],
        )
        cells[f"{prefix} name"] = name
        cells["Coordinating organisation type" if index == 0 else f"Partner {index} organisation type"] = (
            draw(st.sampled_from(["", "Sport club", "Other"]))
        )
        if name:
            row.organisations.append((NAMES[name], country))
    row.bad = bad
    return row


def as_cells(row: Row) -> list[str]:
    return [row.cells.get(column, "") for column in prp.COLUMNS]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(rows(), min_size=1, max_size=8))
def test_generated_rows_import_as_their_cells_say(tmp_path: Path, generated: list[Row]) -> None:
    path = write_export(tmp_path / "generated.csv", [as_cells(r) for r in generated])
    out = tmp_path / "generated.nq"
    out.unlink(missing_ok=True)
    reported: list[str] = []

    # which rows are kept: the good ones, each identifier the first time a good row has it
    kept: dict[str, Row] = {}
    skipped_rows = []
    for number, row in enumerate(generated, start=2):
        if row.bad or row.identifier in kept:
            skipped_rows.append(number)
        else:
            kept[row.identifier] = row
    line = re.compile(rf"^{re.escape(str(path))}:(\d+): column '.+': .+$")
    if not kept:  # every row skipped: refused, nothing written (issue 12)
        with pytest.raises(InputFileError) as raised:
            import_file("prp", path, output=out, on_error="skip", report=reported.append, progress=False)
        assert (
            str(raised.value)
            == f"{path}: every row was skipped ({len(skipped_rows)} bad): nothing was imported"
        )
        assert not out.exists()
        assert sorted({int(line.match(text).group(1)) for text in reported}) == skipped_rows  # type: ignore[union-attr]
        return
    result = import_file("prp", path, output=out, on_error="skip", report=reported.append, progress=False)
    assert (result.rows_imported, result.rows_skipped) == (len(kept), len(skipped_rows))
    assert all(line.match(text) for text in reported)
    # union-attr: match() is Optional, and the assert above has checked that every line matches
    assert sorted({int(line.match(text).group(1)) for text in reported}) == skipped_rows  # type: ignore[union-attr]
    assert result.validation is not None and result.validation.conforms, result.validation.text()

    found = triples(out)
    projects = subjects(found, RDF_TYPE, f"<{EKG}Project>")
    assert {i for p in projects for i in objects(found, p, DCT + "identifier")} == {f'"{i}"' for i in kept}
    organisations = set()
    for row in kept.values():
        project = next(
            p for p in projects if objects(found, p, DCT + "identifier") == {f'"{row.identifier}"'}
        )
        title = row.cells["Project Title"].strip()
        assert objects(found, project, DCT + "title") == {_literal(title, "@und")}
        grant = row.cells[prp.GRANT_COLUMN]
        grants = objects(found, project, EKG + "euGrant")
        assert [Decimal(g.split('"')[1]) for g in grants] == ([Decimal(grant)] if grant else [])
        codes = {c.strip() for c in row.cells["Participating countries"].split(",") if c.strip()}
        countries = objects(found, project, EKG + "participatingCountry")
        assert countries == {f"<{COUNTRY}{EU_TO_ISO3[c]}>" for c in codes}
        participants = {
            o
            for part in objects(found, project, EKG + "participation")
            for o in objects(found, part[1:-1], EKG + "organisation")
        }
        assert len(participants) == len(set(row.organisations)) + _unnamed(row)
        organisations |= set(row.organisations)
    named = {
        s for s in subjects(found, RDF_TYPE, f"<{EKG}Organisation>") if objects(found, s, SKOS + "prefLabel")
    }
    assert len(named) == len(organisations)  # one node per (name, country), however the name is written
    assert all(s.startswith(ID + "organisation/") for s in named)


def _unnamed(row: Row) -> int:
    """Organisations of the row with details but no name: each is its own node."""
    count = 0
    for index in range(prp.PARTNERS + 1):
        prefix = "Coordinating organisation" if index == 0 else f"Partner {index}"
        country = row.cells.get("Coordinator's country" if index == 0 else f"Partner {index} country", "")
        kind = row.cells.get(
            "Coordinating organisation type" if index == 0 else f"Partner {index} organisation type", ""
        )
        if not row.cells.get(f"{prefix} name") and (country or kind):
            count += 1
    return count


def _literal(text: str, suffix: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(text, language=suffix[1:]))
