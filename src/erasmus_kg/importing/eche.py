"""The list of higher education institutions holding an Erasmus Charter for Higher Education (ECHE), as the
Commission publishes it: Windows-1252 text, semicolon-separated, an empty first line, then the header

    Proposal number;Erasmus Code;Pic;OID;Legal Name;Street;Post Cd;City;Country Cd;Website Url;
    Erasmus Eche Start;Erasmus Eche End

`#N/A` is an empty cell. Dates are written M/D/YYYY (1/1/2021, 12/31/2029) or DD/MM/YYYY (31/12/2029,
26/06/2024): a part above 12 is the day; a part written with a leading zero marks the DD/MM/YYYY form (the
M/D/YYYY form has none); otherwise it is M/D/YYYY (11/1/2021 is 1 November 2021).

Each institution is an ekg:Organisation (kind: higher education institution) with skos:prefLabel (legal
name), ekg:erasmusCode, ekg:pic, ekg:oid, ekg:streetAddress, ekg:postalCode, ekg:locality (city), ekg:country
and ekg:url (website); each row is an ekg:ErasmusCharter (dcterms:identifier: the proposal number;
ekg:validFrom, ekg:validUntil: xsd:date) held by it (ekg:charterHolder).

Identity. An institution is the organisation with its normalised name and country, the same IRI as a project
organisation of that name and country (`identity.organisation_iri`), so an ECHE import and a project export
meet without any lookup. Two exceptions:

- an organisation of another graph of the store with the same PIC (and country) is the same institution: its
  IRI is used (the PIC -> IRI lookup runs on the store before the import replaces anything);
- where the list itself holds different institutions (different PICs) under one name in one country (23
  "IES ..." schools in Spain, "Lycée ..." in France), the name does not identify them: each gets an IRI of
  its name, country and PIC, and none is merged with a project organisation by name.

Rows of one institution (same PIC and name, e.g. a second charter) describe one node; the list is small
(~6,000 rows), so it is grouped in memory.

Overlaps. A charter is keyed (`row_key`: the rows file, the change report of a refresh) by its Erasmus code,
else its proposal number, each run of whitespace one space (the published file writes
`A<non-breaking space> BADEN01`, a copy saved again may not): its IRI is made from the key, so one key is one
charter. A charter that several ECHE lists hold belongs to the newest of them (`importing.lists`), as a
project of several Project Results lists does: the others check its row but only record their copy as
superseded (`Importer._superseded_copy`), and the row says nothing of its institution either; an institution
whose every row is superseded is not described by that list. Which names several PICs share (and so which
institutions get IRIs of their PICs) is found over every row of the list, superseded ones included, so that
an institution's IRI does not change with the ownership of its charters. A charter that a graph taking no
part in ownership describes (imported before lists kept their files, or loaded) is a bad row.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing.countries import CountryCodes
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import organisation_iri, organisation_key, segment
from erasmus_kg.importing.importer import Importer
from erasmus_kg.importing.rows import BadRow, CsvLayout, Problem, Row, clean, header_cells
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import T, iri, literal
from erasmus_kg.namespaces import ID, PREFIXES

COLUMNS = (
    "Proposal number",
    "Erasmus Code",
    "Pic",
    "OID",
    "Legal Name",
    "Street",
    "Post Cd",
    "City",
    "Country Cd",
    "Website Url",
    "Erasmus Eche Start",
    "Erasmus Eche End",
)
(_PROPOSAL, _CODE, _PIC, _OID, _NAME, _STREET, _POSTCODE, _CITY, _COUNTRY, _WEBSITE, _START, _END) = range(12)

MISSING = "#N/A"
CHARTER = ID + "erasmus-charter/"
HIGHER_EDUCATION = iri(PREFIXES["orgkind"] + "higher-education-institution")

_DATE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_PIC_FORM = re.compile(r"^[0-9]{9}$")
_OID_FORM = re.compile(r"^E[0-9]{8}$")
_WHITESPACE = re.compile(r"\s+")
_UNLISTED = (
    "which takes no part in the ownership of lists (imported before lists kept their files, or loaded): "
    "remove it or import it again first"
)


def parse_date(text: str) -> datetime.date:
    """A date of the list (M/D/YYYY or DD/MM/YYYY, see the module docstring, or YYYY-MM-DD). ValueError."""
    if _ISO_DATE.match(text):
        return datetime.date.fromisoformat(text)
    match = _DATE.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date (M/D/YYYY or DD/MM/YYYY)")
    first, second, year = match.groups()
    a, b = int(first), int(second)
    if a > 12 or (b <= 12 and (first.startswith("0") or second.startswith("0"))):
        day, month = a, b
    else:
        month, day = a, b
    try:
        return datetime.date(int(year), month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (M/D/YYYY or DD/MM/YYYY)") from None


CSV = CsvLayout(delimiter=";", skip_blank_rows=True)
"""The list as published: semicolon-separated, blank rows (one before the header) left out; Windows-1252 as
published, UTF-8 when saved again (the encoding is found per file: `encoding.detect_encoding`)."""


def check_header(path: Path, header: list[str] | None, row: int) -> None:
    if header is None:
        raise InputFileError(path, "the file is empty: expected the header of the ECHE list")
    if not _is_header(header):
        raise InputFileError(
            path, f"the header is not that of the ECHE list (expected: {';'.join(COLUMNS)})", row
        )


def _is_header(cells: list[str]) -> bool:
    names = [cell.strip() for cell in cells]
    while names and names[-1] == "":
        names.pop()
    return tuple(names) == COLUMNS


@dataclass
class _CheckedRow:
    number: int
    values: list[str]
    charter: str
    """The charter's key (`charter_key`)."""
    key: tuple[str, str]
    """The institution's (`identity.organisation_key`)."""
    start: datetime.date | None
    end: datetime.date | None


class CharterImporter(Importer):
    """Maps the ECHE list into a `GraphSink`: every row is read and checked first, then each institution
    (all its rows) is staged and committed at once."""

    kind = "eche"
    describes = "an ECHE list"

    def __init__(
        self, path: Path, sink: GraphSink, source: str, existing: ExistingFacts, **options: Any
    ) -> None:
        super().__init__(path, sink, source, existing, **options)
        self._countries = CountryCodes.packaged()
        self._charters: dict[str, int] = {}
        """The IRI of each charter read so far -> its row number."""

    def source_title(self) -> str:
        return (
            "List of higher education institutions holding an Erasmus Charter for Higher Education "
            + self.name
        )

    def source_format(self) -> str:
        return "text/csv"

    @classmethod
    def recognises(cls, path: Path) -> bool:
        cells = header_cells(path, CSV)
        return cells is not None and _is_header(cells)

    def rows(self) -> Iterator[Row]:
        path = self.path
        return self._csv_rows(CSV, lambda header, row: check_header(path, header, row))

    def row_key(self, cells: Sequence[str]) -> str | None:
        return charter_key(
            _value(cells[_PROPOSAL]) if len(cells) > _PROPOSAL else "",
            _value(cells[_CODE]) if len(cells) > _CODE else "",
        )

    @classmethod
    def stored_key(cls, key: str) -> str:
        """Before charter keys were normalised (`charter_key`), a rows file held the code as its cell had it
        (`A\xa0 BADEN01`): the same charter as `A BADEN01`. (A row keyed by a #N/A code was keyed by its
        proposal number since; the rows file cannot tell that number, and the key stays as it is.)"""
        return charter_key("", _value(key)) or key

    def column_names(self) -> Sequence[str]:
        return COLUMNS

    def import_rows(self, rows: Iterable[Row], bad_row: Callable[[BadRow], None]) -> int:
        checked = []
        for number, cells in rows:
            try:
                checked.append(self._check(number, cells))
            except BadRow as bad:
                bad_row(bad)
        described = [row for row in checked if row.charter not in self.superseded]
        for node, institution in self._institutions(checked, described):
            self._stage_institution(node, institution)
            self._sink.commit()
        for row in checked:
            owner = self.superseded.get(row.charter)
            if owner is not None:
                self._superseded_copy(iri(_charter_iri(row.charter)), owner)
                self._sink.commit()
        return len(checked)

    def _check(self, number: int, cells: list[str]) -> _CheckedRow:
        """The values of a row, checked; BadRow names every bad cell."""
        cells = (cells + [""] * len(COLUMNS))[: len(COLUMNS)] if len(cells) != len(COLUMNS) else cells
        values = [_value(cell) for cell in cells]
        problems: list[Problem] = []

        def bad(column: int, message: str) -> None:
            problems.append(Problem(number, COLUMNS[column], message))

        if not values[_NAME]:
            bad(_NAME, "missing: every institution needs its legal name")
        if not values[_COUNTRY]:
            bad(_COUNTRY, "missing: every institution needs its country")
        elif self._countries.serialised(values[_COUNTRY]) is None:
            bad(_COUNTRY, f"unknown country code {values[_COUNTRY]!r}")
        if values[_PIC] and not _PIC_FORM.match(values[_PIC]):
            bad(_PIC, f"{values[_PIC]!r} is not a PIC (nine digits)")
        if values[_OID] and not _OID_FORM.match(values[_OID]):
            bad(_OID, f"{values[_OID]!r} is not an OID (E and eight digits)")
        charter = charter_key(values[_PROPOSAL], values[_CODE]) or ""
        node = _charter_iri(charter) if charter else ""  # A ST-POLT03 and A ST POLT03: one charter, one IRI
        if not charter:
            bad(_CODE, "missing: a charter needs its Erasmus code or its proposal number")
        elif node in self._charters:
            bad(
                _CODE,
                f"{values[_CODE] or values[_PROPOSAL]!r} is also the charter of row {self._charters[node]}",
            )
        else:
            unlisted = [g for g in self._existing.graphs_of(iri(node)) if g not in self.lists]
            if unlisted:
                bad(
                    _CODE, f"this charter is already in the store, in <{'>, <'.join(unlisted)}>, " + _UNLISTED
                )
        dates: dict[int, datetime.date | None] = {}
        for column in (_START, _END):
            dates[column] = None
            if values[column]:
                try:
                    dates[column] = parse_date(values[column])
                except ValueError as exc:
                    bad(column, str(exc))
        start, end = dates[_START], dates[_END]
        if start and end and start > end:
            bad(_END, f"the charter ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        if problems:
            raise BadRow(problems)
        self._charters[node] = number
        country = self._countries.eu_code(values[_COUNTRY])
        return _CheckedRow(number, values, charter, organisation_key(values[_NAME], country), start, end)

    def _institutions(
        self, rows: list[_CheckedRow], described: list[_CheckedRow]
    ) -> list[tuple[str, list[_CheckedRow]]]:
        """The institutions of the rows `described` (serialised IRI, their rows), in the order of their first
        row; which names are shared by several PICs is found over all the list's `rows`."""
        pics: dict[tuple[str, str], set[str]] = {}
        for row in rows:
            pics.setdefault(row.key, set()).add(row.values[_PIC])
        groups: dict[str, list[_CheckedRow]] = {}
        for row in described:
            pic = row.values[_PIC]
            country = self._countries.serialised(row.values[_COUNTRY])
            assert country is not None
            node = self._existing.organisation_with_pic(pic, country) if pic else None
            if node is None:
                shared = len(pics[row.key]) > 1
                node = iri(organisation_iri(row.key, f"pic:{pic}" if shared else ""))
            groups.setdefault(node, []).append(row)
        return list(groups.items())

    def _stage_institution(self, node: str, rows: list[_CheckedRow]) -> None:
        """Stage one institution and its charters."""
        add = self._sink.add
        self._sink.describe(node, T.organisation_class)
        first = rows[0].values
        existing_names = self._existing.values(node, T.pref_label)
        name = existing_names[0] if existing_names else literal(first[_NAME])
        add(node, T.pref_label, name)
        for label in _distinct(literal(row.values[_NAME]) for row in rows):
            if label != name:
                add(node, T.alt_label, label)
        add(node, T.organisation_kind, HIGHER_EDUCATION)
        country = self._countries.serialised(first[_COUNTRY])
        assert country is not None
        add(node, T.country, country)
        for column, predicate in ((_PIC, T.pic), (_OID, T.oid)):
            value = next((row.values[column] for row in rows if row.values[column]), "")
            if value:
                add(node, predicate, literal(value))
        for column, predicate in (
            (_CODE, T.erasmus_code),
            (_STREET, T.street_address),
            (_POSTCODE, T.postal_code),
        ):
            for value in _distinct(row.values[column] for row in rows if row.values[column]):
                add(node, predicate, literal(value))
        city = next((row.values[_CITY] for row in rows if row.values[_CITY]), "")
        if city:
            existing = self._existing.values(node, T.locality)
            add(node, T.locality, existing[0] if existing else literal(city))
        for value in _distinct(row.values[_WEBSITE] for row in rows if row.values[_WEBSITE]):
            add(node, T.url, literal(value, "anyURI"))
        add(node, T.source, self._source)
        for row in rows:
            self._charter(node, row)

    def _charter(self, holder: str, row: _CheckedRow) -> None:
        add = self._sink.add
        node = iri(_charter_iri(row.charter))
        self._sink.describe(node, T.charter_class)
        add(node, T.charter_holder, holder)
        if row.values[_PROPOSAL]:
            add(node, T.identifier, literal(row.values[_PROPOSAL]))
        if row.start:
            add(node, T.valid_from, literal(row.start.isoformat(), "date"))
        if row.end:
            add(node, T.valid_until, literal(row.end.isoformat(), "date"))
        add(node, T.source, self._source)


def charter_key(proposal: str, code: str) -> str | None:
    """What identifies a charter (cells as `_value` reads them): its Erasmus code, else its proposal number,
    each run of whitespace one space; None when the row has neither."""
    written = code or proposal
    return _WHITESPACE.sub(" ", written) if written else None


def _charter_iri(key: str) -> str:
    """id/erasmus-charter/<key with hyphens for its spaces> (A-BADEN01)."""
    return CHARTER + segment(key.replace(" ", "-"))


def _value(cell: str) -> str:
    """A cell without surrounding whitespace; non-breaking spaces are spaces; #N/A is empty."""
    value = clean(cell.replace("\xa0", " "))
    return "" if value == MISSING else value


def _distinct(values: Iterator[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen
