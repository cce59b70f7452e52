"""The stored queries as a web API: `GET /api/queries/{name}?param=value&limit=&offset=&lang=`.

Parameters are resolved and bound exactly as by `erasmus-kg query` (`query.running.prepare`: the same
names, codes and IRIs, the same one-line errors with suggestions, answered 400 in the form `Accept` asks:
JSON, text or a page); the rows are those of the CLI's `--format csv|tsv|json`, in the same order. Results
as SPARQL JSON (the default), CSV or TSV, by `Accept` or `format=json|csv|tsv`. `limit` is at most the
server's row limit (its default); the number of rows of the whole answer is in `X-Total-Count` when the
query marks its page (`binding.count_query`), and `Link` (RFC 8288) gives the `first`, `prev`, `next` and
`last` pages. Every query of a request (the lookups, the count, the page) runs within the server's time
limit (`sparql_runner.TimedTarget`: 503 past it). `GET /api/queries` lists the queries.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.errors import UsageError
from erasmus_kg.query.catalogue import get_query, load_catalogue, query_names
from erasmus_kg.query.running import page
from erasmus_kg.web.negotiation import best_media_type, request_language
from erasmus_kg.web.sparql_runner import TimedTarget

_FORMATS = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values"}
_BY_MEDIA = {media: name for name, media in _FORMATS.items()} | {"application/json": "json"}
_CONTROLS = ("limit", "offset", "format", "lang")
_CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Link, X-Total-Count"}


def routes() -> list[BaseRoute]:
    return [
        Route("/api/queries", list_queries, methods=["GET", "HEAD"]),
        Route("/api/queries/{name}", run_query, methods=["GET", "HEAD"]),
    ]


async def list_queries(request: Request) -> Response:
    queries = [
        {
            "name": q.name,
            "summary": q.summary,
            "tags": list(q.tags),
            "parameters": [p.to_json() for p in q.params],
            "href": f"/api/queries/{q.name}",
        }
        for q in load_catalogue()
    ]
    return JSONResponse(queries, headers=_CORS)


def _integer(request: Request, name: str, default: int, maximum: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit():
        raise UsageError(f"{name}: expected a whole number, not {text[:40]!r}")
    return min(int(text), maximum)


async def run_query(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in query_names():
        raise HTTPException(404, f"no stored query {name!r} (GET /api/queries lists them)")
    query = get_query(name)
    row_limit = request.app.state.config.row_limit
    limit = _integer(request, "limit", row_limit, row_limit)
    offset = _integer(request, "offset", 0, 2**62)
    asked = request.query_params.get("format")
    if asked is not None and asked not in _FORMATS:
        raise UsageError(f"format: one of {', '.join(_FORMATS)}, not {asked[:40]!r}")
    chosen = best_media_type(request.headers.get("accept"), list(_BY_MEDIA))
    fmt = asked or _BY_MEDIA.get(chosen or "")
    if fmt is None:
        raise HTTPException(406, "offered: " + ", ".join(_BY_MEDIA))
    lang = request_language(request)
    raw = {k: v for k, v in request.query_params.items() if k not in _CONTROLS}
    for key in raw:
        if query.param(key) is None:
            known = ", ".join(p.name for p in query.params) or "none"
            raise UsageError(f"{name} has no parameter {key!r} (its parameters: {known})")

    def run() -> tuple[bytes, int | None]:
        with request.app.state.access.reading() as reading:
            target = TimedTarget(reading, request.app.state.query_workers, request.app.state.config)
            text, total = page(name, raw, lang, target, limit, offset)
            return target.written(text, _FORMATS[fmt]).body, total

    body, total = await run_in_threadpool(run)
    headers = {**_CORS, "Vary": "Accept"}
    if total is not None:
        headers["X-Total-Count"] = str(total)
        headers["Link"] = _links(request, limit, offset, total)
    media = chosen if asked is None and chosen == "application/json" else _FORMATS[fmt]
    return Response(body, media_type=media, headers=headers)


def _links(request: Request, limit: int, offset: int, total: int) -> str:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "offset")]

    def url(start: int) -> str:
        return f"<{request.url.path}?{urlencode([*kept, ('limit', limit), ('offset', start)])}>"

    last = max(0, (total - 1) // limit * limit) if limit else 0
    parts = [f'{url(0)}; rel="first"', f'{url(last)}; rel="last"']
    if offset > 0:
        parts.append(f'{url(max(0, offset - limit))}; rel="prev"')
    if offset + limit < total:
        parts.append(f'{url(offset + limit)}; rel="next"')
    return ", ".join(parts)
