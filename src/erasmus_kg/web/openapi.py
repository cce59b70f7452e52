"""`/openapi.json`: an OpenAPI 3.1 description of the query API, generated from the stored queries' `#+`
headers (`query.catalogue`), so it can never disagree with them.

Each stored query is a path `/api/queries/{name}` with its parameters (type, required, description,
example) and the controls every query takes (`limit`, `offset`, `lang`, `format`); its answers are SPARQL
JSON, CSV or TSV, paged with `X-Total-Count` and `Link`. Unlike grlc, which pastes parameter values into the
query text, every value is resolved and bound as a term (see `query.binding`).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from erasmus_kg import __version__
from erasmus_kg.query.catalogue import StoredQuery, load_catalogue

_SCHEMAS = {"integer": {"type": "integer"}, "year": {"type": "integer", "minimum": 1000, "maximum": 9999}}
_RESULTS = {
    "application/sparql-results+json": {"schema": {"type": "object"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},
}


def routes() -> list[BaseRoute]:
    return [Route("/openapi.json", openapi_route, methods=["GET", "HEAD"])]


def _controls(row_limit: int) -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "description": f"Rows to return, at most {row_limit} (the default).",
            "schema": {"type": "integer", "minimum": 0, "maximum": row_limit},
        },
        {
            "name": "offset",
            "in": "query",
            "description": "Rows of the ordered answer to skip.",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        {
            "name": "lang",
            "in": "query",
            "description": "The language of titles and labels (else Accept-Language, else nl).",
            "schema": {"type": "string", "enum": ["nl", "en"]},
        },
        {
            "name": "format",
            "in": "query",
            "description": "The results format, instead of Accept.",
            "schema": {"type": "string", "enum": ["json", "csv", "tsv"]},
        },
    ]


def _operation(query: StoredQuery, row_limit: int) -> dict[str, Any]:
    parameters = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": p.description,
            "schema": _SCHEMAS.get(p.type, {"type": "string"}),
            **({"example": p.example} if p.example is not None else {}),
        }
        for p in query.params
    ]
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "parameters": [*parameters, *_controls(row_limit)],
        "responses": {
            "200": {
                "description": "The rows, in the query's order.",
                "headers": {
                    "X-Total-Count": {
                        "description": "The rows of the whole answer.",
                        "schema": {"type": "integer"},
                    },
                    "Link": {
                        "description": "first, prev, next and last pages (RFC 8288).",
                        "schema": {"type": "string"},
                    },
                },
                "content": _RESULTS,
            },
            "400": {
                "description": "A value that cannot be resolved, in one line with suggestions.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "406": {"description": "None of the formats Accept asks for."},
        },
    }


def openapi(row_limit: int) -> dict[str, Any]:
    """The OpenAPI document of the query API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "erasmus-kg stored queries",
            "version": __version__,
            "description": "The stored SPARQL queries of erasmus-kg, their parameters bound as RDF terms.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "paths": {f"/api/queries/{q.name}": {"get": _operation(q, row_limit)} for q in load_catalogue()},
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
                    "required": ["error", "status"],
                }
            }
        },
    }


async def openapi_route(request: Request) -> Response:
    return JSONResponse(
        openapi(request.app.state.config.row_limit), headers={"Access-Control-Allow-Origin": "*"}
    )
