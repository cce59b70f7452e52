"""The Project Results Platform exports ("ErasmusPlus_Projects_Overview" and those of the predecessor
programmes): CSV as downloaded (UTF-8, comma-separated) or the XLSX variant with the same columns, read row by
row. The layout is recognised from the header (`prp_layouts`: Erasmus+, 622 columns, and the predecessors'
layouts), and every layout is read by the one mapping below, through the roles of its columns.

Every column is mapped (see `COLUMNS` and the README's import section):

- Programme -> ekg:fundingProgramme; Key Action, Action Type -> ekg:action (the most specific action; the
  action code comes from the project identifier); Call year -> ekg:callYear (xsd:gYear);
- Project Identifier -> dcterms:identifier and the IRI id/project/<identifier>;
- Project Title, Project Summary -> dcterms:title, dcterms:description, tagged "und" (undetermined: the
  export does not say their language, and they are written in many);
- Topics (separated by "; ") -> ekg:theme (topic concepts); Project Status -> ekg:projectStatus;
- EU Grant award in euros -> ekg:euGrant (xsd:decimal); Is Good Practice, Is Success Story, Results
  Available -> ekg:goodPractice, ekg:successStory, ekg:resultsAvailable (xsd:boolean);
- Project Website -> ekg:url; Results Platform Project Card -> ekg:projectCard (both xsd:anyURI);
- Participating countries (separated by ",") -> ekg:participatingCountry;
- (predecessor layouts) Programme Funding, a path field\\programme\\action\\... -> ekg:fundingProgramme and
  the action chain (`Concepts.funding_path`); Creative Europe's Sub-programme and Action -> the action chain
  (`Concepts.action_path`), its Activity type -> ekg:activityDomain; Start date, End date -> ekg:startDate,
  ekg:endDate (xsd:date, from 2015-01-01 or 01/05/2006); External Reference, National Identifier ->
  ekg:externalReference, ekg:nationalIdentifier; Project Number -> as Project Identifier;
- the coordinator and partners 1 to 100 -> an ekg:Participation with role coordinator or partner, of an
  ekg:Organisation with skos:prefLabel (name), ekg:organisationKind (organisation type), ekg:address,
  ekg:region, ekg:country and ekg:url (website).

An organisation is identified by its normalised name and its country (`identity.organisation_iri`): one node
however many rows and roles name it, described by the first row that names it. One organisation named twice
in one project (coordinator and partner) has one participation with both roles. An organisation whose name
a row leaves empty is described in that row only, with a descriptive rdfs:label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing import prp_layouts as layouts
from erasmus_kg.importing.concepts import Concepts, split_funding_path
from erasmus_kg.importing.countries import CountryCodes
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import PROJECT, organisation_iri, organisation_key, segment
from erasmus_kg.importing.importer import Importer
from erasmus_kg.importing.prp_layouts import Layout
from erasmus_kg.importing.rows import BadRow, CsvLayout, Problem, Row, clean, header_cells
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import T, iri, literal

PARTNERS = layouts.PARTNERS
GRANT_COLUMN = layouts.GRANT_COLUMN
COLUMNS: tuple[str, ...] = layouts.ERASMUS_PLUS.columns
"""The 622 columns of the Erasmus+ export, in its order."""

_YEAR = re.compile(r"^[0-9]{4}$")
_AMOUNT = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(?: EUR)?$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$")
_ACTION_CODE = re.compile(r"-(KA[0-9]{3})-")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)
_BOOLEANS = {"yes": T.true, "no": T.false, "true": T.true, "false": T.false}

TITLE_LANGUAGE = "und"
"""The language tag of imported titles and summaries: undetermined (RFC 5646). The export does not say the
language of a title; they are written in every language of the programme, often two in one title."""

FORMATS = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


# ------------------------------------------------------------------------------------------------------------
# Reading


CSV = CsvLayout(first_data_row=2)
"""The CSV export as downloaded: comma-separated, the header on row 1; a blank row is a row (of empty cells).
UTF-8 (with or without a byte order mark) as downloaded, Windows-1252 when saved again by a spreadsheet (the
encoding is found per file: `encoding.detect_encoding`)."""


def _xlsx_rows(path: Path, found: Callable[[Layout], None]) -> Iterator[Row]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputFileError(path, f"not a readable XLSX workbook ({exc})") from None
    except SyntaxError as exc:  # a malformed XML part (lxml and ElementTree raise SyntaxErrors)
        raise _unreadable_xml(path, exc) from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        header = None if first is None else [cell_text(value) for value in first]
        while header and header[-1] == "":
            header.pop()
        found(check_header(path, header))
        for number, values in enumerate(rows, start=2):
            yield number, [cell_text(value) for value in values]
    except SyntaxError as exc:  # the sheet's XML is parsed as its rows are read
        raise _unreadable_xml(path, exc) from None
    finally:
        workbook.close()


def _unreadable_xml(path: Path, exc: SyntaxError) -> InputFileError:
    return InputFileError(path, f"not a readable XLSX workbook ({exc.msg or exc})")


def cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV export would write it: numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def check_header(path: Path, header: list[str] | None) -> Layout:
    """The layout (`prp_layouts.LAYOUTS`) whose columns the header is; InputFileError at line 1 naming what
    differs from the closest layout, or the layouts known when the header starts like none of them."""
    if not header:
        raise InputFileError(
            path, "the file is empty: expected the header of an Erasmus+ Project Results export"
        )
    names = [name.strip() for name in header]
    layout = layouts.matching(names)
    if layout is not None:
        return layout
    closest = layouts.closest(names)
    if closest is None:
        known = ", ".join(layout.name for layout in layouts.LAYOUTS)
        raise InputFileError(
            path, f"not a Project Results export: the header matches none of the layouts ({known})", 1
        )
    layout, index = closest
    columns = layout.columns
    if index >= len(names):
        raise InputFileError(
            path, f"the header has {len(names)} columns; {layout.describes} has {len(columns)} "
            f"(column {index + 1} should be {columns[index]!r})", 1
        )  # fmt: skip
    if index < len(columns):
        raise InputFileError(
            path,
            f"column {index + 1} of the header is {names[index][:80]!r}, expected {columns[index][:80]!r}: "
            f"not {layout.describes}",
            1,
        )
    raise InputFileError(path, f"the header has more than the {len(columns)} columns of the export", 1)


def _is_header(cells: list[str]) -> bool:
    return layouts.matching([name.strip() for name in cells]) is not None


# ------------------------------------------------------------------------------------------------------------
# Mapping


class ProjectResultsImporter(Importer):
    """Maps the rows of one export, of any layout (`prp_layouts`), into a `GraphSink`, one row (one project)
    at a time."""

    kind = "prp"
    describes = "an Erasmus+ Project Results export"
    derives_while_reading = True

    def __init__(
        self, path: Path, sink: GraphSink, source: str, existing: ExistingFacts, **options: Any
    ) -> None:
        super().__init__(path, sink, source, existing, **options)
        self._countries = CountryCodes.packaged()
        self._concepts = Concepts(sink, existing)
        self._projects: dict[str, int] = {}
        """Project identifier -> the row that imported it."""
        self.layout: Layout = layouts.ERASMUS_PLUS
        """The file's layout, as its header showed it (once `rows` has read the header)."""

    def source_title(self) -> str:
        return f"Erasmus+ Project Results Platform export {self.name}"  # the platform holds every layout

    def source_format(self) -> str:
        return FORMATS.get(self.path.suffix.lower(), "text/csv")

    @classmethod
    def recognises(cls, path: Path) -> bool:
        if path.suffix.lower() == ".xlsx":
            return False  # a workbook's header is not read cheaply; it is checked as the rows are read
        cells = header_cells(path, CSV)
        return cells is not None and _is_header(cells)

    def rows(self) -> Iterator[Row]:
        """(row number as a spreadsheet shows it, cells as text) for each data row of a CSV or XLSX export."""
        path = self.path
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return self._csv_rows(CSV, lambda header, _row: self._found(check_header(path, header)))
        if suffix == ".xlsx":
            return _xlsx_rows(path, self._found)
        raise InputFileError(path, "an Erasmus+ Project Results export is a .csv or .xlsx file")

    def _found(self, layout: Layout) -> None:
        self.layout = layout

    def row_key(self, cells: Sequence[str]) -> str | None:
        index = self.layout.roles[layouts.IDENTIFIER]
        return (clean(cells[index]) or None) if index < len(cells) else None

    def column_names(self) -> Sequence[str]:
        return self.layout.columns

    def import_rows(self, rows: Iterable[Row], bad_row: Callable[[BadRow], None]) -> int:
        imported = 0
        for number, cells in rows:
            try:
                self._stage_row(number, cells)
            except BadRow as bad:
                self._sink.discard()
                bad_row(bad)
                continue
            self._sink.commit()
            imported += 1
        return imported

    def _stage_row(self, number: int, cells: list[str]) -> None:
        """Stage the triples of one row; BadRow (nothing staged that matters) when a cell is bad."""
        layout = self.layout
        columns = layout.columns
        problems: list[Problem] = []
        if len(cells) < len(columns):
            cells = cells + [""] * (len(columns) - len(cells))
        elif len(cells) > len(columns):
            if any(clean(cell) for cell in cells[len(columns) :]):
                problems.append(
                    Problem(
                        number, columns[-1], f"the row has {len(cells)} cells; the header has {len(columns)}"
                    )
                )
            cells = cells[: len(columns)]
        try:  # 622 cells a row, most of them empty: one C-level pass (100 µs a row less than `clean` each)
            values = list(map(str.strip, cells))
        except TypeError:  # a cell that is not text (a number or an empty cell of a spreadsheet)
            values = [clean(cell) for cell in cells]
        cell = {role: values[index] for role, index in layout.roles.items()}

        def bad(role: str, message: str) -> None:
            problems.append(Problem(number, layout.column(role), message))

        identifier = cell[layouts.IDENTIFIER]
        if not identifier:
            bad(layouts.IDENTIFIER, "missing: every project needs its identifier")
        elif identifier in self._projects:
            first = self._projects[identifier]
            bad(layouts.IDENTIFIER, f"{identifier!r} is also the identifier of row {first}")
        project = iri(PROJECT + segment(identifier)) if identifier else ""
        if not cell[layouts.TITLE]:
            bad(layouts.TITLE, "missing: every project needs a title")
        year = cell.get(layouts.CALL_YEAR, "")
        if year and not _YEAR.match(year):
            bad(layouts.CALL_YEAR, f"{year!r} is not a year (four digits)")
        grant = cell[layouts.GRANT]
        if grant:
            amount = _AMOUNT.match(grant)
            if amount is None:
                bad(
                    layouts.GRANT,
                    f"{grant!r} is not an amount in euros (digits, optionally a decimal point and decimals)",
                )
            else:
                cell[layouts.GRANT] = amount.group(1)  # "240000.0 EUR" (sport preparatory actions)
        dates = {}
        for role in (layouts.START_DATE, layouts.END_DATE):
            written = cell.get(role, "")
            if written:
                date = _date(written)
                if date is None:
                    bad(role, f"{written!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
                dates[role] = date
        flags = {}
        for role in (layouts.GOOD_PRACTICE, layouts.SUCCESS_STORY, layouts.RESULTS):
            written = cell.get(role, "")
            if written:
                flag = _BOOLEANS.get(written.lower())
                if flag is None:
                    bad(role, f"{written!r} is not Yes or No")
                flags[role] = flag
        card = cell[layouts.CARD]
        if card:
            scheme = _HTTP.match(card)
            if scheme is None:
                bad(layouts.CARD, f"{card!r} is not a web address (http:// or https://)")
            else:  # a scheme is case-insensitive; its canonical form (and the shapes' pattern) is lower case
                cell[layouts.CARD] = scheme.group(0).lower() + card[scheme.end() :]
        countries = []
        for written in _split(cell[layouts.COUNTRIES], ","):
            country = self._countries.serialised(written)
            if country is None:
                bad(layouts.COUNTRIES, f"unknown country code {written!r}")
            elif country not in countries:
                countries.append(country)
        code_match = _ACTION_CODE.search(identifier)
        code = code_match.group(1) if code_match else None
        if layouts.KEY_ACTION in cell and not (cell[layouts.KEY_ACTION] or cell[layouts.ACTION_TYPE] or code):
            bad(
                layouts.ACTION_TYPE,
                "missing: neither an action type nor a key action (nor an action code in the identifier)",
            )
        funding = cell.get(layouts.FUNDING_PATH)
        if funding is not None and not (funding and split_funding_path(funding)[1]):
            bad(
                layouts.FUNDING_PATH,
                f"'{funding}' names no action after its programme (field\\programme\\action)"
                if funding
                else "missing: every project needs its programme and action (field\\programme\\action)",
            )
        if layouts.SUB_PROGRAMME in cell and not (cell[layouts.SUB_PROGRAMME] or cell[layouts.ACTION]):
            bad(layouts.ACTION, "missing: neither an action nor a sub-programme")
        organisations = []
        spans = layout.organisation_spans
        for index, positions in enumerate(layout.organisations):
            first, end = spans[index]
            if not any(values[first:end]):  # at C speed: the organisation's columns are all empty
                continue
            block = [values[p] if p is not None else "" for p in positions]
            if not any(block):
                continue
            country_code = block[layouts.COUNTRY]
            if country_code and self._countries.serialised(country_code) is None:
                position = positions[layouts.COUNTRY]
                assert position is not None  # a country was read from it
                problems.append(Problem(number, columns[position], f"unknown country code {country_code!r}"))
            organisations.append((index, block))
        if problems:
            raise BadRow(problems)

        self._projects[identifier] = number
        owner = self.superseded.get(identifier)
        if owner is not None:
            self._superseded_copy(project, owner)
            return
        self._project(project, identifier, cell, dates, flags, countries, code)
        self._participations(project, identifier, organisations)

    # -- the project ----------------------------------------------------------------------------------------

    def _project(
        self,
        project: str,
        identifier: str,
        cell: dict[str, str],
        dates: dict[str, str | None],
        flags: dict[str, str | None],
        countries: list[str],
        code: str | None,
    ) -> None:
        add = self._sink.add
        self._sink.describe(project, T.project)
        add(project, T.identifier, literal(identifier))
        programme, action = self._programme_and_action(cell, code)
        if programme is not None:
            add(project, T.funding_programme, programme)
        if action is not None:
            add(project, T.action, action)
        if cell.get(layouts.CALL_YEAR):
            add(project, T.call_year, literal(cell[layouts.CALL_YEAR], "gYear"))
        for role, predicate in ((layouts.START_DATE, T.start_date), (layouts.END_DATE, T.end_date)):
            date = dates.get(role)
            if date is not None:
                add(project, predicate, literal(date, "date"))
        for role, predicate in (
            (layouts.EXTERNAL_REFERENCE, T.external_reference),
            (layouts.NATIONAL_IDENTIFIER, T.national_identifier),
            (layouts.ACTIVITY_TYPE, T.activity_domain),
        ):
            if cell.get(role):
                add(project, predicate, literal(cell[role]))
        add(project, T.title, literal(cell[layouts.TITLE], language=TITLE_LANGUAGE))
        for topic in _split(cell.get(layouts.TOPICS, ""), ";"):
            add(project, T.theme, self._concepts.topic(topic))
        if cell[layouts.SUMMARY]:
            add(project, T.description, literal(cell[layouts.SUMMARY], language=TITLE_LANGUAGE))
        if cell.get(layouts.STATUS):
            add(project, T.project_status, literal(cell[layouts.STATUS]))
        if cell[layouts.GRANT]:
            add(project, T.eu_grant, literal(cell[layouts.GRANT], "decimal"))
        for role, predicate in (
            (layouts.GOOD_PRACTICE, T.good_practice),
            (layouts.SUCCESS_STORY, T.success_story),
            (layouts.RESULTS, T.results_available),
        ):
            flag = flags.get(role)
            if flag is not None:
                add(project, predicate, flag)
        if cell[layouts.WEBSITE]:
            add(project, T.url, literal(cell[layouts.WEBSITE], "anyURI"))
        if cell[layouts.CARD]:
            add(project, T.project_card, literal(cell[layouts.CARD], "anyURI"))
        for country in countries:
            add(project, T.participating_country, country)
        add(project, T.source, self._source)

    def _programme_and_action(self, cell: dict[str, str], code: str | None) -> tuple[str | None, str | None]:
        """The programme and the most specific action of a row (serialised IRIs, None where it names none):
        Erasmus+ from its key action and action type; Creative Europe from its sub-programme and action; a
        predecessor programme from its `Programme Funding` path."""
        concepts = self._concepts
        if layouts.FUNDING_PATH in cell:
            path = cell[layouts.FUNDING_PATH]
            return concepts.funding_path(path) if path else (None, None)
        programme = concepts.programme(cell[layouts.PROGRAMME]) if cell[layouts.PROGRAMME] else None
        if layouts.KEY_ACTION in cell:
            return programme, concepts.action(cell[layouts.KEY_ACTION], cell[layouts.ACTION_TYPE], code)
        names = [cell[role] for role in (layouts.SUB_PROGRAMME, layouts.ACTION) if cell.get(role)]
        if programme is None or not names:
            return programme, None
        return programme, concepts.action_path(programme, names)

    # -- organisations and their participations -------------------------------------------------------------

    def _participations(
        self, project: str, identifier: str, organisations: list[tuple[int, list[str]]]
    ) -> None:
        roles: dict[str, list[str]] = {}
        for index, block in organisations:
            name, country_code = block[0], block[4]
            role = T.coordinator if index == 0 else T.partner
            if name:
                country = self._countries.eu_code(country_code) if country_code else None
                key = organisation_key(name, country)
                if key[0]:
                    node = iri(organisation_iri(key))
                    if not self._sink.known(node):
                        self._organisation(node, block)
                    roles.setdefault(node, [])
                    if role not in roles[node]:
                        roles[node].append(role)
                    continue
            position = "coordinator" if index == 0 else f"partner-{index}"
            node = iri(f"{project[1:-1]}/organisation/{position}")
            self._unnamed_organisation(node, block, identifier, index)
            roles.setdefault(node, []).append(role)
        for node, node_roles in roles.items():
            participation = iri(f"{project[1:-1]}/participation/{node[1:-1].rsplit('/', 1)[-1]}")
            self._sink.add(project, T.participation, participation)
            self._sink.describe(participation, T.participation_class)
            self._sink.add(participation, T.organisation, node)
            for role in node_roles:
                self._sink.add(participation, T.role, role)

    def _organisation(self, node: str, block: list[str]) -> None:
        name, kind, address, region, country_code, website = block
        add = self._sink.add
        self._sink.describe(node, T.organisation_class)
        existing_names = self._existing.values(node, T.pref_label)
        ours = literal(name)
        if existing_names:
            add(node, T.pref_label, existing_names[0])
            if ours != existing_names[0]:
                add(node, T.alt_label, ours)
        else:
            add(node, T.pref_label, ours)
        self._details(node, kind, address, region, country_code, website)

    def _unnamed_organisation(self, node: str, block: list[str], identifier: str, index: int) -> None:
        _, kind, address, region, country_code, website = block
        self._sink.describe(node, T.organisation_class)
        who_en = "coordinator" if index == 0 else f"partner {index}"
        who_nl = "coördinator" if index == 0 else f"partner {index}"
        self._sink.add(
            node,
            T.rdfs_label,
            literal(f"The {who_en} of project {identifier} (name not given)", language="en"),
        )
        self._sink.add(
            node,
            T.rdfs_label,
            literal(f"De {who_nl} van project {identifier} (naam niet vermeld)", language="nl"),
        )
        self._details(node, kind, address, region, country_code, website)

    def _details(
        self, node: str, kind: str, address: str, region: str, country_code: str, website: str
    ) -> None:
        add = self._sink.add
        if kind:
            add(node, T.organisation_kind, self._concepts.organisation_type(kind))
        if address:
            add(node, T.address, literal(address))
        if region:
            existing = self._existing.values(node, T.region)
            if not existing or literal(region) in existing:
                add(node, T.region, literal(region))
        if country_code:
            country = self._countries.serialised(country_code)
            assert country is not None  # checked with the row
            add(node, T.country, country)
        if website:
            add(node, T.url, literal(website, "anyURI"))
        add(node, T.source, self._source)


def _date(text: str) -> str | None:
    """An xsd:date from the two forms the exports write (2015-01-01, and 01/05/2006 day first); None when
    the text is neither or no such day exists."""
    import datetime

    match = _DAY_MONTH_YEAR.match(text)
    iso = f"{match.group(3)}-{match.group(2)}-{match.group(1)}" if match else text
    if not _ISO_DATE.match(iso):
        return None
    try:
        return datetime.date.fromisoformat(iso).isoformat()
    except ValueError:
        return None


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]
