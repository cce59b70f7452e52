"""The ASGI application of `erasmus-kg serve` (Starlette): the routes of every part of the web front, the
packaged static files, and the one place where an error becomes an answer.

Each part of the site is a module that lists its routes (`routes()`); this module only puts them together.
A route reads the graph through `request.app.state.access` (`web.graph`) and the settings through
`request.app.state.config` (`web.config`); `/sparql` evaluates on `request.app.state.query_workers`
(`web.query_workers`), closed with the application. Errors: an `ErasmusKGError` (a bad parameter, an unknown
name) is the client's (400, its one line, in the format asked for), but a `TimeLimitError` (a query stopped
at its time limit) is 503; an unknown path is 404; anything else is a bug, logged with its traceback and
answered 500 with one line, never the traceback.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from importlib.resources import files

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from erasmus_kg.errors import ErasmusKGError, TimeLimitError
from erasmus_kg.web import (
    dataset,
    home,
    linked_data,
    openapi,
    query_api,
    query_forms,
    search,
    sparql,
    statistics,
)
from erasmus_kg.web.config import ServeConfig
from erasmus_kg.web.graph import GraphAccess, open_access
from erasmus_kg.web.negotiation import best_media_type, request_language
from erasmus_kg.web.pages import STATIC, page
from erasmus_kg.web.query_workers import QueryWorkers

log = logging.getLogger("erasmus_kg.web")

_TITLES = {
    400: {"nl": "Dat kan zo niet", "en": "That cannot be done as asked"},
    404: {"nl": "Niet gevonden", "en": "Not found"},
    405: {"nl": "Methode niet toegestaan", "en": "Method not allowed"},
    406: {"nl": "Niet in die vorm beschikbaar", "en": "Not available in that form"},
    500: {"nl": "Er ging iets mis", "en": "Something went wrong"},
    503: {"nl": "Nu niet beschikbaar", "en": "Not available now"},
}


def routes() -> list[BaseRoute]:
    """Every route of the site."""
    static = StaticFiles(directory=str(files("erasmus_kg.html").joinpath("static")))
    return [
        *home.routes(),
        *linked_data.routes(),
        *sparql.routes(),
        *query_api.routes(),
        *search.routes(),
        *statistics.routes(),
        *query_forms.routes(),
        *openapi.routes(),
        *dataset.routes(),
        Mount(STATIC.rstrip("/"), app=static, name="static"),
    ]


def create_app(config: ServeConfig, access: GraphAccess | None = None) -> Starlette:
    """The application for `config`, reading `access` (default: the store or endpoint `config` names)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            app.state.query_workers.close()
            app.state.access.close()

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={
            HTTPException: _http_error,
            TimeLimitError: _time_limit,
            ErasmusKGError: _usage_error,
            Exception: _internal_error,
        },
    )
    app.state.config = config
    app.state.access = (
        access
        if access is not None
        else open_access(
            config.store,
            config.endpoint,
            credentials=config.credentials,
            auth=config.auth,
            allow_insecure_auth=config.allow_insecure_auth,
            union_default_graph=config.union_default_graph,
        )
    )
    app.state.query_workers = QueryWorkers(
        config.query_workers, memory_mb=config.query_memory_mb
    )  # no process starts before a query
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail), exc.headers)


async def _usage_error(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


async def _time_limit(request: Request, exc: Exception) -> Response:
    return error_response(request, 503, str(exc))


async def _internal_error(request: Request, exc: Exception) -> Response:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, f"internal error: {type(exc).__name__}")


def error_response(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    """An error answer in the form the request asks for: an HTML page, JSON (`{"error": ...}`) or plain
    text (for CSV, TSV, RDF and anything else). Every error carries `Access-Control-Allow-Origin: *`, as the
    answers of the API, /sparql and the linked data do, so that a script on another site reads why its request
    failed instead of a CORS failure."""
    headers = {**(headers or {}), "Access-Control-Allow-Origin": "*"}
    kind = best_media_type(request.headers.get("accept"), ["text/plain", "application/json", "text/html"])
    if kind == "text/html":
        lang = request_language(request)
        title = _TITLES.get(status, _TITLES[400 if status < 500 else 500])[lang]
        return page(
            request,
            "error.html",
            status_code=status,
            headers=headers,
            status=status,
            title=title,
            message=message,
        )
    if kind == "application/json":
        return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)
