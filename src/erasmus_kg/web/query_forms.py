"""The stored queries as forms for people: `/queries` lists them, `/queries/{name}` is a form built from the
query's `#+` header (a field per parameter, its description and example) with the results as a paged table.

Values are resolved and bound as by the CLI (`query.running.prepare`); an unknown value is shown beside its
field with the CLI's suggestions, answered 400. The table's headings are the header's columns in the page's
language, values are shown for people (`query.display`), resources linked to their pages (`links`), and the
whole answer is a CSV download through the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.derived.positions import reading_order
from erasmus_kg.errors import ParameterError
from erasmus_kg.query import running
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import StoredQuery, get_query, internal_query, load_catalogue, query_names
from erasmus_kg.query.display import term_text
from erasmus_kg.query.parameters import CONCEPT_SCHEMES
from erasmus_kg.query.targets import Target
from erasmus_kg.web import links
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page
from erasmus_kg.web.per_build import KEPT
from erasmus_kg.web.sparql_runner import TimedTarget

ROWS = 50
MAX_CHOICES = 2000
"""Values a field suggests at most (a scheme has a few hundred concepts; beyond this, typing is the way)."""


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None


@dataclass(frozen=True)
class Choice:
    """A value a field suggests (an HTML datalist option): the label lists show, and its code if any."""

    value: str
    code: str = ""


def choices(target: Target, query: StoredQuery, lang: str, build: str | None) -> dict[str, list[Choice]]:
    """The values each concept parameter of `query` suggests: the concepts of its scheme, by label. Kept per
    `build` of the embedded store (`per_build`; the country scheme's 280 labels take 0.1-0.2 s to read)."""
    found: dict[str, list[Choice]] = {}
    for param in query.params:
        scheme = CONCEPT_SCHEMES.get(param.type)
        if scheme is not None:
            found[param.name] = KEPT.get(
                build, ("choices", scheme, lang), partial(_scheme_choices, target, scheme, lang)
            )
    return found


def _scheme_choices(target: Target, scheme: str, lang: str) -> list[Choice]:
    text = bind(
        internal_query("scheme-choices"), {"scheme": [ox.NamedNode(scheme)], "lang": [ox.Literal(lang)]}
    )
    results = target.query(text)
    assert isinstance(results, ox.QuerySolutions)
    offered = [
        Choice(row["label"].value, row["code"].value if isinstance(row["code"], ox.Literal) else "")
        for row in results
        if isinstance(row["label"], ox.Literal)
    ]
    # in reading order, whatever the case and accents ('Åland' among the A's, 'gebieden' before 'Georgië'),
    # as the lists are, not the code-point order of the query's ORDER BY
    offered.sort(key=lambda choice: (reading_order(choice.value), choice.code))
    return offered[:MAX_CHOICES]


def routes() -> list[BaseRoute]:
    return [
        Route("/queries", list_page, methods=["GET", "HEAD"]),
        Route("/queries/{name}", form_page, methods=["GET", "HEAD"]),
    ]


async def list_page(request: Request) -> Response:
    return page(request, "queries.html", queries=load_catalogue())


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return max(1, min(int(text), 10**9)) if text.isdigit() else 1


async def form_page(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in query_names():
        raise HTTPException(404, f"no stored query {name!r}")
    query = get_query(name)
    lang = request_language(request)
    values = {p.name: request.query_params.get(p.name, "").strip() for p in query.params}
    given = {k: v for k, v in values.items() if v}
    asked = bool(given) or not any(p.required for p in query.params)
    number = _page_number(request)

    def run() -> tuple[list[str], list[list[Cell]], int | None, str | None, dict[str, list[Choice]]]:
        with request.app.state.access.reading() as reading:
            offered = choices(reading.target, query, lang, reading.build_id)
            if not asked:
                return [], [], None, None, offered
            target = TimedTarget(reading, request.app.state.query_workers, request.app.state.config)
            try:
                text, total = running.page(name, given, lang, target, ROWS, (number - 1) * ROWS)
            except ParameterError as exc:
                return [], [], None, str(exc), offered
            if total is None:  # a query without a page subquery: every row on one page
                text = running.prepare(name, given, lang, target)
            results = target.query(text)
            assert isinstance(results, ox.QuerySolutions)
            variables = [v.value for v in results.variables]
            rows = [[_cell(row[v], lang) for v in variables] for row in results]
            return variables, rows, total, None, offered

    variables, rows, total, error, offered = await run_in_threadpool(run)
    headings = query.headings(lang)
    kept = [*given.items(), ("lang", lang)]
    first = (number - 1) * ROWS + 1
    return page(
        request,
        "query.html",
        status_code=400 if error else 200,
        lang=lang,
        query=query,
        values=values,
        choices=offered,
        error=error,
        asked=asked and error is None,
        headings=[headings.get(v, v) for v in variables],
        rows=rows,
        total=total,
        first=first,
        last=first + len(rows) - 1,
        previous=f"?{urlencode([*kept, ('page', number - 1)])}" if number > 1 else None,
        next=f"?{urlencode([*kept, ('page', number + 1)])}"
        if total is not None and first + len(rows) - 1 < total
        else None,
        csv=f"/api/queries/{name}?{urlencode([*kept, ('format', 'csv')])}",
    )


def _cell(term: object, lang: str) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell(term_text(term, lang), links.href(term.value))
    return Cell(term_text(term, lang))
