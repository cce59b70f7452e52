"""The Erasmus+ Project Results Platform export ("ErasmusPlus_Projects_Overview"): CSV as downloaded (UTF-8,
comma-separated, 622 columns) or the XLSX variant with the same columns, read row by row.

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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing.concepts import Concepts
from erasmus_kg.importing.countries import CountryCodes
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import PROJECT, organisation_iri, organisation_key, segment
from erasmus_kg.importing.importer import Importer
from erasmus_kg.importing.rows import BadRow, CsvLayout, Problem, Row, clean, header_cells
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import T, iri, literal

PARTNERS = 100
GRANT_COLUMN = (
    "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is "
    "indicative. Please note that any changes made during or after the project's lifetime will not be "
    "reflected here.)"
)
PROJECT_COLUMNS = (
    "Programme",
    "Key Action",
    "Action Type",
    "Call year",
    "Project Identifier",
    "Project Title",
    "Topics",
    "Project Summary",
    "Project Status",
    GRANT_COLUMN,
    "Is Good Practice",
    "Is Success Story",
    "Project Website",
    "Results Available",
    "Results Platform Project Card",
    "Participating countries",
)
COORDINATOR_COLUMNS = (
    "Coordinating organisation name",
    "Coordinating organisation type",
    "Coordinator's address",
    "Coordinator's region",
    "Coordinator's country",
    "Coordinator's website",
)
PARTNER_FIELDS = ("name", "organisation type", "address", "region", "country", "website")


def partner_columns(number: int) -> tuple[str, ...]:
    return tuple(f"Partner {number} {field}" for field in PARTNER_FIELDS)


COLUMNS: tuple[str, ...] = (
    PROJECT_COLUMNS
    + COORDINATOR_COLUMNS
    + tuple(name for n in range(1, PARTNERS + 1) for name in partner_columns(n))
)
"""The 622 columns of the export, in its order."""

(
    _PROGRAMME, _KEY_ACTION, _ACTION_TYPE, _CALL_YEAR, _IDENTIFIER, _TITLE, _TOPICS, _SUMMARY, _STATUS,
    _GRANT, _GOOD_PRACTICE, _SUCCESS_STORY, _WEBSITE, _RESULTS, _CARD, _COUNTRIES,
) = range(len(PROJECT_COLUMNS))  # fmt: skip
_FIRST_ORGANISATION = len(PROJECT_COLUMNS)

_YEAR = re.compile(r"^[0-9]{4}$")
_AMOUNT = re.compile(r"^[0-9]+(\.[0-9]+)?$")
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


def _xlsx_rows(path: Path) -> Iterator[Row]:
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
        check_header(path, header)
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


def check_header(path: Path, header: list[str] | None) -> None:
    if not header:
        raise InputFileError(
            path, "the file is empty: expected the header of an Erasmus+ Project Results export"
        )
    names = [name.strip() for name in header]
    for index, expected in enumerate(COLUMNS):
        if index >= len(names):
            raise InputFileError(
                path, f"the header has {len(names)} columns; an Erasmus+ Project Results export has "
                f"{len(COLUMNS)} (column {index + 1} should be {expected!r})", 1
            )  # fmt: skip
        if names[index] != expected:
            raise InputFileError(
                path,
                f"column {index + 1} of the header is {names[index][:80]!r}, expected {expected[:80]!r}: "
                "not an Erasmus+ Project Results export",
                1,
            )
    if any(names[len(COLUMNS) :]):
        raise InputFileError(path, f"the header has more than the {len(COLUMNS)} columns of the export", 1)


def _is_header(cells: list[str]) -> bool:
    names = [name.strip() for name in cells]
    return tuple(names[: len(COLUMNS)]) == COLUMNS and not any(names[len(COLUMNS) :])


# ------------------------------------------------------------------------------------------------------------
# Mapping


class ProjectResultsImporter(Importer):
    """Maps the rows of one export into a `GraphSink`, one row (one project) at a time."""

    kind = "prp"
    describes = "an Erasmus+ Project Results export"
    derives_while_reading = True

    def __init__(self, path: Path, sink: GraphSink, source: str, existing: ExistingFacts) -> None:
        super().__init__(path, sink, source, existing)
        self._countries = CountryCodes.packaged()
        self._concepts = Concepts(sink, existing)
        self._projects: dict[str, int] = {}
        """Project identifier -> the row that imported it."""

    def source_title(self) -> str:
        return f"Erasmus+ Project Results Platform export {self.path.name}"

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
            return self._csv_rows(CSV, lambda header, _row: check_header(path, header))
        if suffix == ".xlsx":
            return _xlsx_rows(path)
        raise InputFileError(path, "an Erasmus+ Project Results export is a .csv or .xlsx file")

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
        problems: list[Problem] = []
        if len(cells) < len(COLUMNS):
            cells = cells + [""] * (len(COLUMNS) - len(cells))
        elif len(cells) > len(COLUMNS):
            if any(clean(cell) for cell in cells[len(COLUMNS) :]):
                problems.append(
                    Problem(
                        number, COLUMNS[-1], f"the row has {len(cells)} cells; the header has {len(COLUMNS)}"
                    )
                )
            cells = cells[: len(COLUMNS)]
        values = [clean(cell) for cell in cells]

        def bad(column: int, message: str) -> None:
            problems.append(Problem(number, COLUMNS[column], message))

        identifier = values[_IDENTIFIER]
        if not identifier:
            bad(_IDENTIFIER, "missing: every project needs its identifier")
        elif identifier in self._projects:
            bad(_IDENTIFIER, f"{identifier!r} is also the identifier of row {self._projects[identifier]}")
        project = iri(PROJECT + segment(identifier)) if identifier else ""
        if project and self._existing.graphs_of(project):
            other = ", ".join(self._existing.graphs_of(project))
            bad(
                _IDENTIFIER,
                f"project {identifier!r} is already in the store, in <{other}>; remove that first",
            )
        if not values[_TITLE]:
            bad(_TITLE, "missing: every project needs a title")
        year = values[_CALL_YEAR]
        if year and not _YEAR.match(year):
            bad(_CALL_YEAR, f"{year!r} is not a year (four digits)")
        grant = values[_GRANT]
        if grant and not _AMOUNT.match(grant):
            bad(
                _GRANT,
                f"{grant!r} is not an amount in euros (digits, optionally a decimal point and decimals)",
            )
        flags = {}
        for column in (_GOOD_PRACTICE, _SUCCESS_STORY, _RESULTS):
            if values[column]:
                flag = _BOOLEANS.get(values[column].lower())
                if flag is None:
                    bad(column, f"{values[column]!r} is not Yes or No")
                flags[column] = flag
        card = values[_CARD]
        if card:
            scheme = _HTTP.match(card)
            if scheme is None:
                bad(_CARD, f"{card!r} is not a web address (http:// or https://)")
            else:  # a scheme is case-insensitive; its canonical form (and the shapes' pattern) is lower case
                values[_CARD] = scheme.group(0).lower() + card[scheme.end() :]
        countries = []
        for written in _split(values[_COUNTRIES], ","):
            country = self._countries.serialised(written)
            if country is None:
                bad(_COUNTRIES, f"unknown country code {written!r}")
            elif country not in countries:
                countries.append(country)
        code_match = _ACTION_CODE.search(identifier)
        code = code_match.group(1) if code_match else None
        if not (values[_KEY_ACTION] or values[_ACTION_TYPE] or code):
            bad(
                _ACTION_TYPE,
                "missing: neither an action type nor a key action (nor an action code in the identifier)",
            )
        organisations = []
        for index in range(PARTNERS + 1):
            first = _FIRST_ORGANISATION + 6 * index
            block = values[first : first + 6]
            if not any(block):
                continue
            country_code = block[4]
            if country_code and self._countries.serialised(country_code) is None:
                bad(first + 4, f"unknown country code {country_code!r}")
            organisations.append((index, block))
        if problems:
            raise BadRow(problems)

        self._projects[identifier] = number
        self._project(project, identifier, values, year, grant, flags, countries, code)
        self._participations(project, identifier, organisations)

    # -- the project ----------------------------------------------------------------------------------------

    def _project(
        self,
        project: str,
        identifier: str,
        values: list[str],
        year: str,
        grant: str,
        flags: dict[int, str | None],
        countries: list[str],
        code: str | None,
    ) -> None:
        add = self._sink.add
        self._sink.describe(project, T.project)
        add(project, T.identifier, literal(identifier))
        if values[_PROGRAMME]:
            add(project, T.funding_programme, self._concepts.programme(values[_PROGRAMME]))
        action = self._concepts.action(values[_KEY_ACTION], values[_ACTION_TYPE], code)
        if action is not None:
            add(project, T.action, action)
        if year:
            add(project, T.call_year, literal(year, "gYear"))
        add(project, T.title, literal(values[_TITLE], language=TITLE_LANGUAGE))
        for topic in _split(values[_TOPICS], ";"):
            add(project, T.theme, self._concepts.topic(topic))
        if values[_SUMMARY]:
            add(project, T.description, literal(values[_SUMMARY], language=TITLE_LANGUAGE))
        if values[_STATUS]:
            add(project, T.project_status, literal(values[_STATUS]))
        if grant:
            add(project, T.eu_grant, literal(grant, "decimal"))
        for column, predicate in (
            (_GOOD_PRACTICE, T.good_practice),
            (_SUCCESS_STORY, T.success_story),
            (_RESULTS, T.results_available),
        ):
            flag = flags.get(column)
            if flag is not None:
                add(project, predicate, flag)
        if values[_WEBSITE]:
            add(project, T.url, literal(values[_WEBSITE], "anyURI"))
        if values[_CARD]:
            add(project, T.project_card, literal(values[_CARD], "anyURI"))
        for country in countries:
            add(project, T.participating_country, country)
        add(project, T.source, self._source)

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


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]
