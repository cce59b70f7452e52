"""A read-only SPARQL 1.1 Protocol endpoint at `/sparql`, over the union of the graphs.

- `GET /sparql?query=...`, `POST` form-encoded (`query=...`) or `POST application/sparql-query`.
- Results by `Accept`: SPARQL JSON (the default), XML, CSV or TSV for SELECT and ASK; Turtle or N-Triples
  for CONSTRUCT and DESCRIBE. `406` for anything else, before the query runs.
- Our prefixes need no declaration (`query.adhoc.prepare`, as in `erasmus-kg sparql`). Updates are refused
  with 400 before anything runs (an `update=` parameter, an update as `query=`, or an update after a
  query), and the store is only ever opened read-only, so nothing can change it.
- The time limit (`--query-timeout`): on the embedded store the query runs in a worker process that is
  killed when it runs over (`web.query_workers`); on `--endpoint` the HTTP exchange is given up. Either way
  the answer is 503 with one line saying so (`web.sparql_runner`).
- The row limit (`--row-limit`): at most that many rows (solutions, or triples), with `X-Row-Limit: N` and
  `X-Truncated: true` when rows were left out, `false` when none were (`web.sparql_results`).
- `default-graph-uri` / `named-graph-uri` are refused with 400: the dataset is always the union of the
  graphs. `Access-Control-Allow-Origin: *` on every answer, and OPTIONS for CORS preflights.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.errors import UsageError
from erasmus_kg.query.adhoc import prepare, query_form, refuse_federation
from erasmus_kg.web.negotiation import best_media_type
from erasmus_kg.web.sparql_results import Written, media_types
from erasmus_kg.web.sparql_runner import run_sparql

_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-Row-Limit, X-Truncated",
}


def routes() -> list[BaseRoute]:
    return [Route("/sparql", sparql, methods=["GET", "POST", "OPTIONS"])]


async def _query_text(request: Request) -> str:
    params = request.query_params
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-query":
            return (await request.body()).decode("utf-8", errors="replace")
        if kind == "application/sparql-update":
            raise UsageError("this endpoint is read-only: updates are refused")
        # form-encoded, read with the standard library (Starlette's form() needs python-multipart)
        form = dict(parse_qsl((await request.body()).decode("utf-8", errors="replace")))
        if "update" in form:
            raise UsageError("this endpoint is read-only: updates are refused")
        _refuse_datasets(list(form))
        if "query" in form:
            return form["query"]
        raise UsageError("give the query as query=... (form) or as an application/sparql-query body")
    if "update" in params:
        raise UsageError("this endpoint is read-only: updates are refused")
    _refuse_datasets(list(params))
    text = params.get("query")
    if text is None:
        raise UsageError("give the query as ?query=...")
    return text


def _refuse_datasets(names: list[str]) -> None:
    if any(name in ("default-graph-uri", "named-graph-uri") for name in names):
        raise UsageError(
            "default-graph-uri and named-graph-uri are not supported: the dataset is every graph"
        )


async def sparql(request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=_CORS)
    given = await _query_text(request)
    refuse_federation(given, "query")
    text = prepare(given, "query")
    form = query_form(text)
    media = best_media_type(request.headers.get("accept"), media_types(form))
    if media is None:
        return PlainTextResponse("not available in that form\n", status_code=406, headers=_CORS)
    config = request.app.state.config

    def run() -> Written:
        with request.app.state.access.reading() as reading:
            return run_sparql(reading, request.app.state.query_workers, text, form, media, config)

    written = await run_in_threadpool(run)
    headers = {
        **_CORS,
        "X-Row-Limit": str(config.row_limit),
        "X-Truncated": "true" if written.truncated else "false",
    }
    return Response(written.body, media_type=media, headers=headers)
