"""Search (`/search?q=...`): projects ranked by how well their titles, acronyms, organisations and summaries
match what was typed, paged, with facets to narrow them; and what the text names besides (a country, an
action, a sector, a theme, organisations).

- **Projects** come from the build's full-text index (`derived.search_index`, SQLite FTS5, BM25): whatever
  the case, accents or ligatures, the last word as a prefix. The facets are counted over every match, so
  each count says how many projects a click on it leaves; a facet value given in the address
  (`country=country:LTU`, `year=2016`, ...) narrows the search, and each active one has a link that takes
  it off again.
- **Names**: the text is looked up as a country, action, sector or theme by the same resolution as the CLI
  (`query.parameters`: aliases such as Groot-Brittannië, notations such as LT or KA2), each with a link to its
  page and its number of projects; organisations whose name contains the text are listed too.

On a remote endpoint (`serve --endpoint`) there is no full-text index: only the names are looked up (by
SPARQL), and the page says so. Nothing typed reaches a query as text: the words are quoted FTS5 terms, values
are bound parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.derived import names as name_index
from erasmus_kg.derived.search_index import (
    ACTION,
    ANY_ACTION,
    ANY_SECTOR,
    ANY_THEME,
    COUNTRY,
    FACETS,
    KEY_ACTION,
    SECTOR,
    THEME,
    YEAR,
)
from erasmus_kg.errors import ParameterError, UsageError
from erasmus_kg.namespaces import compact, expand
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import get_query, internal_query
from erasmus_kg.query.parameters import CONCEPT_SCHEMES, resolve
from erasmus_kg.query.targets import Target, solutions, text_of
from erasmus_kg.web import links
from erasmus_kg.web.graph import Reading
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page, page_number
from erasmus_kg.web.resource_lists import project_rows

ROWS = 20
"""Projects per page."""
MAX_PAGE = 500
"""The last page a search goes to (10,000 projects): beyond it, narrowing is the way."""
ORGANISATIONS = 10
"""Organisations named by the text that a page lists (it says how many there are)."""
MAX_TEXT = 200

FACET_HEADINGS = {
    COUNTRY: {"nl": "Land", "en": "Country"},
    KEY_ACTION: {"nl": "Kernactie", "en": "Key action"},
    ACTION: {"nl": "Actie", "en": "Action"},
    SECTOR: {"nl": "Sector", "en": "Sector"},
    THEME: {"nl": "Thema", "en": "Theme"},
    YEAR: {"nl": "Oproepjaar", "en": "Call year"},
}
NAMED_KINDS = (
    # (stored query, its parameter, the kind of the index counting its projects as the stored query and the
    # page of the concept do, what a match is called)
    ("projects-by-country", "country", COUNTRY, {"nl": "Land", "en": "Country"}),
    ("projects-by-key-action", "action", ANY_ACTION, {"nl": "Actie", "en": "Action"}),
    ("projects-by-sector", "sector", ANY_SECTOR, {"nl": "Sector", "en": "Sector"}),
    ("projects-by-theme", "theme", ANY_THEME, {"nl": "Thema", "en": "Theme"}),
)
_YEAR = re.compile(r"\d{4}\Z")


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    detail: str = ""


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    heading: str
    values: list[FacetValue]


@dataclass
class Answer:
    """Everything a search page shows."""

    text: str
    indexed: bool = True
    total: int = 0
    projects: list[Link] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    filters: list[Link] = field(default_factory=list)
    named: list[Link] = field(default_factory=list)
    organisations: list[Link] = field(default_factory=list)
    organisation_total: int = 0
    estimated: bool = False
    page: int = 1
    pages: int = 0
    previous: str | None = None
    next: str | None = None


def routes() -> list[BaseRoute]:
    return [Route("/search", search_page, methods=["GET", "HEAD"])]


def read_filters(params: dict[str, str]) -> dict[str, str]:
    """The facet values the address narrows by (short IRIs expanded; years of four digits)."""
    found = {}
    for facet in FACETS:
        value = params.get(facet, "").strip()[:MAX_TEXT]
        if not value:
            continue
        if facet == YEAR:
            if not _YEAR.match(value):
                raise UsageError(f"{facet}: {value!r} is not a year (four digits, e.g. 2016)")
            found[facet] = value
        else:
            found[facet] = expand(value) or value
            try:
                ox.NamedNode(found[facet])
            except ValueError:
                raise UsageError(f"{facet}: {value[:60]!r} is not an IRI (e.g. country:LTU)") from None
    return found


def search(reading: Reading, text: str, lang: str, filters: dict[str, str], number: int) -> Answer:
    """The answer to `text` narrowed by `filters`, page `number`, in `lang`."""
    answer = Answer(text, indexed=reading.search is not None, page=number)
    if not text:
        return answer
    answer.named = _named(reading, text, lang)
    _organisations(reading, text, lang, answer)
    if reading.search is None:
        return answer
    hits = reading.search.search(text, filters, limit=ROWS, offset=(number - 1) * ROWS)
    answer.total = hits.total
    answer.estimated = hits.estimated
    answer.pages = min(-(-hits.total // ROWS), MAX_PAGE)
    labels = _labels(
        reading.target,
        {v for values in hits.facets.values() for v, _ in values} | set(filters.values()),
        lang,
    )
    answer.projects = _projects(reading.target, hits.projects, lang)

    def address(changed: dict[str, str], number: int = 1) -> str:
        params = [("q", text)] + [(f, _short(changed[f])) for f in FACETS if f in changed]
        if number > 1:
            params.append(("page", str(number)))
        return "/search?" + urlencode([*params, ("lang", lang)])

    for facet in FACETS:
        values = hits.facets.get(facet, [])
        if facet == YEAR:
            values = sorted(values, key=lambda item: item[0], reverse=True)
        shown = [
            FacetValue(
                labels.get(value, value),
                count,
                address({**filters, facet: value}),
                filters.get(facet) == value,
            )
            for value, count in values
        ]
        if shown:
            answer.facets.append(Facet(facet, FACET_HEADINGS[facet][lang], shown))
    answer.filters = [
        Link(
            labels.get(value, value),
            address({f: v for f, v in filters.items() if f != facet}),
            FACET_HEADINGS[facet][lang],
        )
        for facet, value in filters.items()
    ]
    if number > 1:
        answer.previous = address(filters, number - 1)
    if number < answer.pages:
        answer.next = address(filters, number + 1)
    return answer


def _short(value: str) -> str:
    return compact(value) or value


def _named(reading: Reading, text: str, lang: str) -> list[Link]:
    """The countries, actions, sectors and themes `text` names, with their pages and numbers of projects: by
    the name index (exact names, whatever the case or accents), else (on an endpoint) by the CLI's
    resolution."""
    found = []
    names = reading.target.names
    for query, param_name, facet, kind in NAMED_KINDS:
        param = next(p for p in get_query(query).params if p.name == param_name)
        if names is not None:  # no suggestions: a search is not a mistyped parameter
            exact = names.exact(CONCEPT_SCHEMES[param.type], text)
            iris = [iri for iri, rank in exact if rank == exact[0][1]]
        else:
            try:
                terms = resolve(param, text, lambda sparql: solutions(reading.target, sparql), None)
            except ParameterError:
                continue
            iris = [t.value for t in terms if isinstance(t, ox.NamedNode)]
        labels = _labels(reading.target, set(iris), lang)
        for iri in iris:
            detail = kind[lang]
            if facet is not None and reading.search is not None:
                count = reading.search.count(facet, iri)
                detail += f" · {count} " + ("projecten" if lang == "nl" else "projects")
            found.append(Link(labels.get(iri, iri), links.href(iri), detail))
    return found


def _organisations(reading: Reading, text: str, lang: str, answer: Answer) -> None:
    index = reading.target.names
    if index is None or len(text) < 3:
        return
    found = index.containing(name_index.ORGANISATION, text)  # (counting and cutting it in SQLite is slower)
    answer.organisation_total = len(found)
    shown = found[:ORGANISATIONS]
    labels = _labels(reading.target, set(shown), lang)
    answer.organisations = [Link(labels.get(iri, iri), links.href(iri)) for iri in shown]


def _projects(target: Target, iris: list[str], lang: str) -> list[Link]:
    """The projects `iris` in that order, with their titles in `lang` and acronyms."""
    return [
        Link(title.text, title.href or "", acronym.text)
        for title, acronym in project_rows(target, iris, lang)
    ]


def _labels(target: Target, iris: set[str], lang: str) -> dict[str, str]:
    """The shown labels in `lang` of those of `iris` that are IRIs with one."""
    nodes = [ox.NamedNode(iri) for iri in sorted(iris) if iri.startswith(("http://", "https://"))]
    if not nodes:
        return {}
    query = bind(internal_query("labels-of"), {"node": nodes, "lang": [ox.Literal(lang)]})
    return {text_of(row["node"]): text_of(row["label"]) for row in solutions(target, query)}


async def search_page(request: Request) -> Response:
    lang = request_language(request)
    params = dict(request.query_params)
    text = params.get("q", "").strip()[:MAX_TEXT]
    filters = read_filters(params)
    raw_page = params.get("page")
    number = page_number("page", raw_page, MAX_PAGE) if raw_page else 1

    def run() -> Answer:
        with request.app.state.access.reading() as reading:
            return search(reading, text, lang, filters, number)

    answer = await run_in_threadpool(run)
    return page(request, "search.html", lang=lang, answer=answer, rows=ROWS)
