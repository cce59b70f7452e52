"""The lists a resource's page shows besides its own facts: the projects of an organisation, a country, an
action, a sector or a theme, the organisations of a country, and those of a project with their roles. Each
list says its real total, is paged by a parameter named after it (`?projects=2`, `?organisations=3`), and
links to the same list as CSV through the query API (the stored query that asks the same question:
`projects-by-country`, `projects-by-organisation`, ...).

The projects come from the build's search index (`derived.search_index`: `SearchIndex.members`), which holds
each project's countries, actions, sectors, themes and organisations as the derived facts give them, in the
order lists show them (newest call year first, then by title): one indexed lookup whatever the size of the
graph, where the stored query would sort every project of Germany to show twenty. On a remote endpoint (no
index) the stored query gives the page, with its counted total, instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox

from erasmus_kg.derived.search_index import ANY_ACTION, ANY_SECTOR, ANY_THEME, COUNTRY, ORGANISATION
from erasmus_kg.namespaces import COUNTRY as COUNTRY_NAMESPACE
from erasmus_kg.namespaces import EKG, compact
from erasmus_kg.query import running
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.parameters import CONCEPT_SCHEMES
from erasmus_kg.query.targets import Target, solutions, text_of
from erasmus_kg.web import links
from erasmus_kg.web.graph import Reading
from erasmus_kg.web.pages import page_number

ROWS = 20
"""Rows per page of a list."""
CSV_ROWS = 10_000
"""At most this many rows in a list's CSV (the API's row limit by default)."""
MAX_PAGE = 10_000

PROJECT_CLASS = EKG + "Project"
ORGANISATION_CLASS = EKG + "Organisation"
_BY_SCHEME = {
    CONCEPT_SCHEMES["action"]: ("projects-by-key-action", "action", ANY_ACTION),
    CONCEPT_SCHEMES["sector"]: ("projects-by-sector", "sector", ANY_SECTOR),
    CONCEPT_SCHEMES["theme"]: ("projects-by-theme", "theme", ANY_THEME),
}
_TEXTS = {
    "projects": {"nl": "Projecten", "en": "Projects"},
    "organisations": {"nl": "Organisaties", "en": "Organisations"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "acronym": {"nl": "Acroniem", "en": "Acronym"},
    "title": {"nl": "Titel", "en": "Title"},
    "role": {"nl": "Rol", "en": "Role"},
    "kind": {"nl": "Soort", "en": "Kind"},
    "country": {"nl": "Land", "en": "Country"},
    "locality": {"nl": "Plaats", "en": "Locality"},
    "count": {"nl": "Projecten", "en": "Projects"},
}


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


@dataclass
class ResourceList:
    """One list of a page: its rows on this page (cells under `columns`), how many there are in all, and
    where the other pages and the whole list are."""

    name: str
    heading: str
    columns: list[str]
    total: int = 0
    rows: list[list[Cell]] = field(default_factory=list)
    page: int = 1
    pages: int = 1
    previous: str | None = None
    next: str | None = None
    csv: str | None = None
    csv_rows: int = CSV_ROWS
    paged: bool = True


def page_numbers(params: Mapping[str, str]) -> dict[str, int]:
    """The page of each list an address asks for (`projects=2`): 1 for those it does not name."""
    return {
        name: page_number(name, params[name], MAX_PAGE)
        for name in ("projects", "organisations")
        if name in params
    }


def lists_for(
    reading: Reading,
    iri: str,
    types: set[str],
    schemes: set[str],
    lang: str,
    pages: Mapping[str, int],
    address: tuple[str, list[tuple[str, str]]],
) -> list[ResourceList]:
    """The lists of the page of `iri` (of rdf:types `types`, in the concept schemes `schemes`), each at the
    page `pages` names; `address` is the page's path and parameters (for the links to other pages)."""
    found: list[ResourceList] = []
    if PROJECT_CLASS in types:
        found.append(_project_organisations(reading.target, iri, lang))
    if ORGANISATION_CLASS in types:
        found.append(
            _projects(reading, iri, ORGANISATION, "projects-by-organisation", "organisation", lang, pages)
        )
    if iri.startswith(COUNTRY_NAMESPACE):
        found.append(_projects(reading, iri, COUNTRY, "projects-by-country", "country", lang, pages))
        found.append(_country_organisations(reading.target, iri, lang, pages.get("organisations", 1)))
    for scheme in sorted(schemes & set(_BY_SCHEME)):
        query, param, facet = _BY_SCHEME[scheme]
        found.append(_projects(reading, iri, facet, query, param, lang, pages))
    for made in found:
        _links(made, address)
    return found


def _projects(
    reading: Reading,
    iri: str,
    facet: str,
    query: str,
    param: str,
    lang: str,
    pages: Mapping[str, int],
) -> ResourceList:
    value = compact(iri) or iri
    made = ResourceList(
        "projects",
        _TEXTS["projects"][lang],
        [_TEXTS["title"][lang], _TEXTS["acronym"][lang]],
        page=pages.get("projects", 1),
        csv=_csv(query, {param: value}, lang),
    )
    offset = (made.page - 1) * ROWS
    if reading.search is not None:
        iris, made.total = reading.search.members(facet, iri, limit=ROWS, offset=offset)
        made.rows = project_rows(reading.target, iris, lang)
        return made
    text, total = running.page(query, {param: value}, lang, reading.target, ROWS, offset)
    if total is not None:
        made.total = total
        made.rows = [
            [Cell(text_of(row["title"]), links.href(text_of(row["project"]))), Cell(text_of(row["acronym"]))]
            for row in solutions(reading.target, text)
        ]
    return made


def project_rows(target: Target, iris: list[str], lang: str) -> list[list[Cell]]:
    """A row (title linked to its page, acronym) for each project of `iris`, in that order."""
    if not iris:
        return []
    query = bind(
        internal_query("project-titles"),
        {"project": [ox.NamedNode(iri) for iri in iris], "lang": [ox.Literal(lang)]},
    )
    found = {
        text_of(row["project"]): [
            Cell(text_of(row["title"]), links.href(text_of(row["project"]))),
            Cell(text_of(row["acronym"])),
        ]
        for row in solutions(target, query)
    }
    return [found.get(iri, [Cell(iri, links.href(iri)), Cell("")]) for iri in iris]


def _project_organisations(target: Target, iri: str, lang: str) -> ResourceList:
    """The organisations of a project: one row each, with its roles (not paged: a project has few)."""
    made = ResourceList(
        "organisations",
        _TEXTS["organisations"][lang],
        [_TEXTS[c][lang] for c in ("organisation", "role", "kind", "country")],
        csv=_csv("project-details", {"project": compact(iri) or iri}, lang),
        paged=False,
    )
    query = bind(
        internal_query("project-organisations"), {"project": [ox.NamedNode(iri)], "lang": [ox.Literal(lang)]}
    )
    rows: dict[str, list[Cell]] = {}
    roles: dict[str, list[str]] = {}
    for row in solutions(target, query):
        organisation = text_of(row["organisation"])
        if organisation not in rows:
            country = text_of(row["country"])
            rows[organisation] = [
                Cell(text_of(row["name"]) or organisation, links.href(organisation)),
                Cell(""),
                Cell(text_of(row["kindLabel"])),
                Cell(text_of(row["countryLabel"]) or country, links.href(country) if country else None),
            ]
        role = text_of(row["roleLabel"])
        if role and role not in roles.setdefault(organisation, []):
            roles[organisation].append(role)
    for organisation, cells in rows.items():
        cells[1] = Cell(", ".join(roles.get(organisation, [])))
    made.rows = list(rows.values())
    made.total = len(made.rows)
    return made


def _country_organisations(target: Target, iri: str, lang: str, page: int) -> ResourceList:
    value = compact(iri) or iri
    made = ResourceList(
        "organisations",
        _TEXTS["organisations"][lang],
        [_TEXTS[c][lang] for c in ("organisation", "kind", "locality", "count")],
        page=page,
        csv=_csv("organisations-by-country", {"country": value}, lang),
    )
    text, total = running.page(
        "organisations-by-country", {"country": value}, lang, target, ROWS, (page - 1) * ROWS
    )
    made.total = total or 0
    made.rows = [
        [
            Cell(
                text_of(row["name"]) or text_of(row["organisation"]), links.href(text_of(row["organisation"]))
            ),
            Cell(text_of(row["kind"])),
            Cell(text_of(row["locality"])),
            Cell(text_of(row["projects"])),
        ]
        for row in solutions(target, text)
    ]
    return made


def _links(made: ResourceList, address: tuple[str, list[tuple[str, str]]]) -> None:
    """The numbers of pages of `made` and the addresses of its previous and next ones."""
    path, params = address
    made.pages = max(1, -(-made.total // ROWS)) if made.paged else 1

    def at(number: int) -> str:
        kept = [(k, v) for k, v in params if k != made.name]
        return f"{path}?{urlencode([*kept, (made.name, str(number))] if number > 1 else kept)}".rstrip("?")

    if made.page > 1:
        made.previous = at(made.page - 1)
    if made.page < made.pages:
        made.next = at(made.page + 1)


def _csv(query: str, params: dict[str, str], lang: str) -> str:
    """The address of the whole list (its first `CSV_ROWS` rows) as CSV, in the query API."""
    return f"/api/queries/{query}?{urlencode({**params, 'format': 'csv', 'limit': CSV_ROWS, 'lang': lang})}"
