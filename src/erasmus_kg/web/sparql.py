"""A read-only SPARQL 1.1 Protocol endpoint at `/sparql`, over the union of the graphs.

- `GET /sparql?query=...`, `POST` form-encoded (`query=...`) or `POST application/sparql-query`.
- Results by `Accept`: SPARQL JSON (the default), XML, CSV or TSV for SELECT and ASK; Turtle or N-Triples
  for CONSTRUCT and DESCRIBE. `406` for anything else.
- Our prefixes need no declaration (`query.adhoc.prepare`, as in `erasmus-kg sparql`). Updates are refused
  with 400 before anything runs (an `update=` parameter, an update as `query=`, or an update after a
  query), and the store is only ever opened read-only, so nothing can change it.
- The row limit (`--row-limit`, ServeConfig.row_limit) is applied as a LIMIT on the query (merged with the
  query's own, `binding.with_slice`); the answer then has `X-Row-Limit` with the limit, so that a client
  that got exactly that many rows knows there may be more.
- The time limit (`--query-timeout`) is given to an endpoint behind `--endpoint` as the HTTP timeout. The
  embedded store cannot stop a query it is evaluating (pyoxigraph has no cancellation): a query that runs
  over on it is not cut off yet (see the closing note of issue #13: a pool of worker processes that can be
  killed is the design that would).
- `default-graph-uri` / `named-graph-uri` are refused with 400: the dataset is always the union of the
  graphs. `Access-Control-Allow-Origin: *` on every answer, and OPTIONS for CORS preflights.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.errors import UsageError
from erasmus_kg.query.adhoc import prepare
from erasmus_kg.query.binding import with_slice
from erasmus_kg.web.negotiation import best_media_type

_SOLUTIONS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
_GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
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
    text = prepare(await _query_text(request), "query")
    limit = request.app.state.config.row_limit
    limited = with_slice(text, limit)

    def run() -> tuple[bytes, str] | None:
        with request.app.state.access.reading() as reading:
            results = reading.target.query(limited)
            out = io.BytesIO()
            accept = request.headers.get("accept")
            if isinstance(results, ox.QueryTriples):
                media = best_media_type(accept, list(_GRAPHS))
                if media is None:
                    return None
                ox.serialize(results, out, _GRAPHS[media])
            else:
                media = best_media_type(accept, list(_SOLUTIONS))
                if media is None:
                    return None
                results.serialize(out, _SOLUTIONS[media])
            return out.getvalue(), media

    answer = await run_in_threadpool(run)
    if answer is None:
        return PlainTextResponse("not available in that form\n", status_code=406, headers=_CORS)
    body, media = answer
    return Response(body, media_type=media, headers={**_CORS, "X-Row-Limit": str(limit)})
