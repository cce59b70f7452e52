"""Statistics for people (`/statistics`, `/statistics/{code}`) and the home page's headline counts, read from
the statistics cube (`derived.cube`, made with every build) through the stored queries that read it.

- `/statistics`: the whole graph: projects per call year (`statistics-by-year`), per action at every level
  (`statistics-by-action`), the countries with most projects (`statistics-by-country`) and the pairs of
  countries that share most projects (`country-collaborations`).
- `/statistics/XXX` (the code of `/country/XXX`): one country's totals, its projects per call year and the
  countries it shares most projects with (the same queries with `country` bound to its IRI); 404 when the
  graph does not know the country.

Each chart is drawn on the server as inline SVG by `templates/web/charts.html`, with its numbers as a table
and a link to the same rows as CSV through `/api/queries`. The queries run by the same path as the CLI's
(`query.running.prepare`): values are bound, never pasted. The home page's counts (`headline`) are kept per
build: they count every project and organisation of the graph, which the cube does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.errors import ParameterError
from erasmus_kg.html.rendering import number
from erasmus_kg.namespaces import EKG
from erasmus_kg.query.binding import values_block
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.display import number_text
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import Target, text_of
from erasmus_kg.web import links
from erasmus_kg.web.graph import Reading
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page
from erasmus_kg.web.per_build import KEPT
from erasmus_kg.web.resource_pages import facts

TOP = 20
"""Bars a chart of countries or pairs shows at most (its CSV has every row)."""

_TEXTS = {
    "years": {
        "nl": ("Projecten per oproepjaar", "Oproepjaar"),
        "en": ("Projects per call year", "Call year"),
    },
    "actions": {
        "nl": ("Projecten per actie", "Actie"),
        "en": ("Projects per action", "Action"),
    },
    "countries": {
        "nl": ("Landen met de meeste projecten", "Land"),
        "en": ("Countries with most projects", "Country"),
    },
    "pairs": {
        "nl": ("Landen die het vaakst samenwerken", "Landen"),
        "en": ("Countries working together most", "Countries"),
    },
    "partners": {
        "nl": ("Landen waarmee het het vaakst samenwerkt", "Partnerland"),
        "en": ("Countries it works with most", "Partner country"),
    },
}
_PROJECTS = {"nl": "Projecten", "en": "Projects"}
_DESCRIPTIONS = {
    "bar": {
        "nl": "Staafdiagram: het aantal projecten per {what}, grootste eerst; de getallen staan in de tabel.",
        "en": "Bar chart: the number of projects per {what}, largest first; the numbers are in the table.",
    },
    "column": {
        "nl": "Kolomdiagram: het aantal projecten per {what}; de getallen staan in de tabel.",
        "en": "Column chart: the number of projects per {what}; the numbers are in the table.",
    },
}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its number and that number as people read it, and where its label links."""

    label: str
    value: int
    shown: str
    href: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart and its table: `kind` is "bar" (horizontal bars) or "column" (one column per year); `bars`
    are the first of `total` rows; `csv` is the same data (every row) as CSV through the API."""

    id: str
    kind: str
    title: str
    description: str
    headings: tuple[str, str]
    bars: list[Bar]
    total: int
    csv: str

    @property
    def maximum(self) -> int:
        return max((bar.value for bar in self.bars), default=0)

    def scaled(self, value: int, length: float) -> float:
        """The length of a bar of `value` when the largest bar is `length` long (at least 1 for a value above
        zero, so that every counted row shows)."""
        if self.maximum <= 0 or value <= 0:
            return 0.0
        return max(round(value / self.maximum * length, 1), 1.0)


@dataclass(frozen=True)
class Headline:
    """The graph's counts: projects, organisations, countries that projects involve, and the sum of the
    projects' EU grants (euros, as the graph writes a decimal; None when no project gives one)."""

    projects: int
    organisations: int
    countries: int
    grants: str | None

    def items(self, lang: str) -> list[tuple[str, str]]:
        """(label, number as people read it) in `lang`."""
        labels = {
            "nl": ("Projecten", "Organisaties", "Landen", "EU-subsidies"),
            "en": ("Projects", "Organisations", "Countries", "EU grants"),
        }[lang]
        numbers = [
            number(self.projects, lang),
            number(self.organisations, lang),
            number(self.countries, lang),
        ]
        return list(zip(labels, [*numbers, euros(self.grants, lang)], strict=True))


@dataclass(frozen=True)
class CountryStatistics:
    iri: str
    name: str
    projects: int
    grants: str | None
    """As the headline's: None when no project of the country gives a grant."""
    partners: int
    charts: list[Chart]


def routes() -> list[BaseRoute]:
    return [
        Route("/statistics", statistics_page, methods=["GET", "HEAD"]),
        Route("/statistics/{code}", country_page, methods=["GET", "HEAD"]),
    ]


NOT_GIVEN = {"nl": "niet opgegeven", "en": "not given"}
"""What a sum of grants shows when no project gives a grant: not "€ 0", which reads as "no funding"."""


def euros(amount: str | None, lang: str) -> str:
    """An amount in euros as people write it in `lang` (€ 1.234,5 / €1,234.5); `NOT_GIVEN` for None."""
    if amount is None:
        return NOT_GIVEN[lang]
    try:
        text = format(Decimal(amount), "f")
    except InvalidOperation:
        text = amount
    shown = number_text(text, lang) or amount
    return f"€ {shown}" if lang == "nl" else f"€{shown}"


def _rows(target: Target, name: str, params: dict[str, str], lang: str) -> list[dict[str, str]]:
    """Every row of stored query `name` with `params` (bound by the CLI's path), as the values of its
    variables ("" for an unbound one)."""
    results = target.query(prepare(name, params, lang, target))
    assert isinstance(results, ox.QuerySolutions)
    variables = [v.value for v in results.variables]
    return [{v: text_of(row[v]) for v in variables} for row in results]


def _csv(name: str, params: dict[str, str], lang: str) -> str:
    return f"/api/queries/{name}?{urlencode({**params, 'lang': lang, 'format': 'csv'})}"


def _chart(
    chart_id: str, kind: str, lang: str, bars: list[Bar], total: int, csv: str, what: dict[str, str]
) -> Chart:
    title, heading = _TEXTS[chart_id][lang]
    description = _DESCRIPTIONS[kind][lang].format(what=what[lang])
    return Chart(chart_id, kind, title, description, (heading, _PROJECTS[lang]), bars, total, csv)


def _years(target: Target, lang: str, params: dict[str, str]) -> Chart:
    rows = _rows(target, "statistics-by-year", params, lang)
    bars = [Bar(row["year"], int(row["projects"]), number(int(row["projects"]), lang)) for row in rows]
    what = {"nl": "oproepjaar", "en": "call year"}
    return _chart("years", "column", lang, bars, len(rows), _csv("statistics-by-year", params, lang), what)


def _actions(target: Target, lang: str) -> Chart:
    rows = _rows(target, "statistics-by-action", {}, lang)
    bars = [
        Bar(
            f"{row['code']} · {row['name']}" if row["code"] and row["code"] != row["name"] else row["name"],
            int(row["projects"]),
            number(int(row["projects"]), lang),
            links.href(row["action"]),
        )
        for row in rows
    ]
    what = {
        "nl": "actie (een kernactie telt de projecten van de acties eronder mee)",
        "en": "action (a key action counts the projects of the actions below it)",
    }
    return _chart("actions", "bar", lang, bars, len(rows), _csv("statistics-by-action", {}, lang), what)


def _countries(target: Target, lang: str) -> Chart:
    rows = _rows(target, "statistics-by-country", {}, lang)
    bars = [
        Bar(
            row["name"],
            int(row["projects"]),
            number(int(row["projects"]), lang),
            links.statistics_path(row["country"]),
        )
        for row in rows[:TOP]
    ]
    what = {"nl": "land", "en": "country"}
    return _chart("countries", "bar", lang, bars, len(rows), _csv("statistics-by-country", {}, lang), what)


def _pairs(target: Target, lang: str) -> Chart:
    rows = _rows(target, "country-collaborations", {}, lang)
    bars = [
        Bar(f"{row['name1']} – {row['name2']}", int(row["projects"]), number(int(row["projects"]), lang))
        for row in rows[:TOP]
    ]
    what = {"nl": "paar landen", "en": "pair of countries"}
    return _chart("pairs", "bar", lang, bars, len(rows), _csv("country-collaborations", {}, lang), what)


def overview(reading: Reading, lang: str) -> list[Chart]:
    """The charts of the whole graph, in `lang` (kept per build)."""
    target = reading.target
    return KEPT.get(
        reading.build_id,
        ("statistics", lang),
        lambda: [
            _years(target, lang, {}),
            _actions(target, lang),
            _countries(target, lang),
            _pairs(target, lang),
        ],
    )


def country(reading: Reading, iri: str, lang: str) -> CountryStatistics | None:
    """The statistics of the country `iri`, in `lang` (kept per build); None when the graph does not know it
    as a country."""
    return KEPT.get(reading.build_id, ("statistics", lang, iri), lambda: _country(reading.target, iri, lang))


def _country(target: Target, iri: str, lang: str) -> CountryStatistics | None:
    params = {"country": iri}
    try:
        years = _years(target, lang, params)
    except ParameterError:
        return None
    pairs = _rows(target, "country-collaborations", params, lang)
    partners = []
    for row in pairs:
        first = row["country1"] != iri
        partner, name = (row["country1"], row["name1"]) if first else (row["country2"], row["name2"])
        partners.append(
            Bar(
                name, int(row["projects"]), number(int(row["projects"]), lang), links.statistics_path(partner)
            )
        )
    partners.sort(key=lambda bar: (-bar.value, bar.label))  # the query orders pairs by their first country
    what = {"nl": "partnerland", "en": "partner country"}
    partner_chart = _chart(
        "partners",
        "bar",
        lang,
        partners[:TOP],
        len(pairs),
        _csv("country-collaborations", params, lang),
        what,
    )
    own = [row for row in _rows(target, "statistics-by-country", {}, lang) if row["country"] == iri]
    if own:
        name, projects = own[0]["name"], int(own[0]["projects"])
        grants: str | None = own[0]["grants"]
        if _zero(grants) and not _any_grant(target, iri):  # the cube sums no grant as 0
            grants = None
    else:  # a country no project involves
        label, _ = facts(target, iri, lang)
        name, projects, grants = label or iri, 0, None
    return CountryStatistics(iri, name, projects, grants, len(pairs), [years, partner_chart])


def _zero(amount: str | None) -> bool:
    try:
        return amount is not None and Decimal(amount or "0") == 0
    except InvalidOperation:
        return False


_ANY_GRANT = f"""PREFIX ekg: <{EKG}>
ASK {{
%s
  ?project ekg:involvesCountry ?country ; ekg:euGrant ?grant
}}"""


def _any_grant(target: Target, country: str) -> bool:
    """Whether any project that involves `country` gives an EU grant (asked only when their sum is 0)."""
    answer = target.query(_ANY_GRANT % values_block({"country": [ox.NamedNode(country)]}))
    return bool(answer)


def headline(reading: Reading) -> Headline:
    """The graph's counts, kept per build of the embedded store (`per_build`): from its indexes (at 327,000
    projects the SPARQL count takes 15 s); counted by SPARQL on a remote endpoint, anew each time, since it
    may change under us."""
    return KEPT.get(reading.build_id, ("headline",), lambda: _counted(reading))


def _counted(reading: Reading) -> Headline:
    index = reading.search
    if index is not None and index.organisations.available:  # the build's indexes: no pass over the store
        projects, countries, grants = index.totals()
        return Headline(projects, index.organisations.count(), countries, grants)
    results = reading.target.query(internal_query("headline-counts"))
    assert isinstance(results, ox.QuerySolutions)
    row = next(iter(results))
    return Headline(
        int(text_of(row["projects"]) or 0),
        int(text_of(row["organisations"]) or 0),
        int(text_of(row["countries"]) or 0),
        (text_of(row["grants"]) or "0") if int(text_of(row["granted"]) or 0) else None,
    )


async def read_headline(request: Request) -> Headline:
    """The counts of the graph that `request` reads (for the home page)."""

    def run() -> Headline:
        with request.app.state.access.reading() as reading:
            return headline(reading)

    return await run_in_threadpool(run)


async def statistics_page(request: Request) -> Response:
    lang = request_language(request)

    def run() -> tuple[Headline, list[Chart]]:
        with request.app.state.access.reading() as reading:
            return headline(reading), overview(reading, lang)

    counts, charts = await run_in_threadpool(run)
    return page(
        request, "statistics.html", lang=lang, headline=counts.items(lang), charts=charts, country=None
    )


async def country_page(request: Request) -> Response:
    lang = request_language(request)
    iri = links.iri_of_path(links.COUNTRY_PATH + request.path_params["code"])
    if iri is None:
        raise HTTPException(404)

    def run() -> CountryStatistics | None:
        with request.app.state.access.reading() as reading:
            return country(reading, iri, lang)

    found = await run_in_threadpool(run)
    if found is None:
        raise HTTPException(404)
    totals = [
        (_PROJECTS[lang], number(found.projects, lang)),
        ("EU-subsidies" if lang == "nl" else "EU grants", euros(found.grants, lang)),
        ("Partnerlanden" if lang == "nl" else "Partner countries", number(found.partners, lang)),
    ]
    return page(
        request,
        "statistics.html",
        lang=lang,
        headline=totals,
        charts=found.charts,
        country=found,
        country_href=links.href(found.iri),
    )
