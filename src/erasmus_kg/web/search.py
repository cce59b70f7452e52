"""Search (`/search?q=...`): what a typed text names, and the projects of each, in sections that each tell
their real total.

The text is looked up as every kind of name the stored queries resolve (a country, a key action or action,
a sector, a theme, an organisation), by the same resolution as the CLI (`query.parameters`: normal forms,
so case, accents and ligatures do not matter, aliases such as Groot-Brittannië), and as a part of a project's
title, acronym or identifier in the build's name index (an FTS5 trigram index made with every build,
`derived.names`). Each kind that matches is one section: the first rows of its stored query (paged by the
query's own page subquery, so its total is counted, not guessed) and links to the whole list in the API,
as CSV too. Nothing is pasted into a query: values go through the same binding as the CLI's.

Not yet: ranking across kinds, summaries in the index, facets (issue #13, item 3; see its closing note).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.derived.names import PROJECT
from erasmus_kg.errors import ParameterError
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import get_query, internal_query
from erasmus_kg.query.running import counted_page, prepare
from erasmus_kg.web import links
from erasmus_kg.web.graph import Reading
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page

SECTIONS = (
    (
        "projects-by-country",
        "country",
        {"nl": "Projecten met dat land", "en": "Projects involving the country"},
    ),
    ("projects-by-key-action", "action", {"nl": "Projecten van die actie", "en": "Projects of the action"}),
    ("projects-by-sector", "sector", {"nl": "Projecten in die sector", "en": "Projects in the sector"}),
    ("projects-by-theme", "theme", {"nl": "Projecten over dat thema", "en": "Projects on the theme"}),
    (
        "projects-by-organisation",
        "organisation",
        {"nl": "Projecten van organisaties met die naam", "en": "Projects of organisations by that name"},
    ),
)
ROWS = 20
MAX_NAMED = 1000
"""Projects matched by their own names that a section lists at most (its total is still counted)."""


@dataclass
class Hit:
    title: str
    acronym: str
    href: str
    extra: str = ""


@dataclass
class Section:
    heading: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    api: str | None = None


def routes() -> list[BaseRoute]:
    return [Route("/search", search_page, methods=["GET", "HEAD"])]


def search(reading: Reading, text: str, lang: str) -> list[Section]:
    """The sections of the answer to `text` in `lang`, those without a match left out."""
    sections = []
    named = _by_project_names(reading, text, lang)
    if named is not None:
        sections.append(named)
    for name, param, headings in SECTIONS:
        try:
            whole = prepare(name, {param: text}, lang, reading.target)
        except ParameterError:
            continue
        counted = counted_page(reading.target, whole, ROWS, 0)
        if counted is None:  # pragma: no cover - every listed query marks its page
            continue
        text_of_page, total = counted
        if total == 0:
            continue
        results = reading.target.query(text_of_page)
        assert isinstance(results, ox.QuerySolutions)
        extra = "involvement" if name == "projects-by-country" else "name"
        has_extra = extra in [v.value for v in results.variables]
        hits = [
            Hit(
                _text(row["title"]),
                _text(row["acronym"]),
                links.href(_text(row["project"])),
                _text(row[extra]) if has_extra else "",
            )
            for row in results
        ]
        api = f"/api/queries/{name}?{urlencode({param: text, 'lang': lang})}"
        sections.append(Section(headings[lang], total, hits, api))
    return sections


def _by_project_names(reading: Reading, text: str, lang: str) -> Section | None:
    names = reading.target.names
    if names is None or not text.strip():
        return None
    found = names.containing(PROJECT, text)
    if not found:
        return None
    query = bind(
        internal_query("project-titles"),
        {"project": [ox.NamedNode(iri) for iri in found[:MAX_NAMED]], "lang": [ox.Literal(lang)]},
    )
    results = reading.target.query(query)
    assert isinstance(results, ox.QuerySolutions)
    hits = [
        Hit(_text(row["title"]), _text(row["acronym"]), links.href(_text(row["project"]))) for row in results
    ][:ROWS]
    heading = {"nl": "Projecten met die naam", "en": "Projects by that name"}[lang]
    return Section(heading, len(found), hits)


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""


async def search_page(request: Request) -> Response:
    lang = request_language(request)
    text = request.query_params.get("q", "").strip()[:200]

    def run() -> list[Section]:
        with request.app.state.access.reading() as reading:
            return search(reading, text, lang) if text else []

    sections = await run_in_threadpool(run)
    headings = {name: get_query(name).headings(lang) for name, _, _ in SECTIONS}
    return page(request, "search.html", lang=lang, text=text, sections=sections, headings=headings)
