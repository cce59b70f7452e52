"""The home page: what the graph holds (its headline counts, `statistics.headline`), the search box and the
stored queries."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.query.catalogue import load_catalogue
from erasmus_kg.web import statistics
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page


def routes() -> list[BaseRoute]:
    return [Route("/", home, name="home")]


async def home(request: Request) -> Response:
    lang = request_language(request)
    queries = await run_in_threadpool(load_catalogue)
    counts = await statistics.read_headline(request)
    return page(request, "home.html", lang=lang, queries=queries, headline=counts.items(lang))
