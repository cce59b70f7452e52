"""Dereferenceable IRIs: every resource of our namespace (and every country) answers with a page for people
and RDF for programs, chosen by `Accept` (the W3C's "Cool URIs for the Semantic Web", 303 variant).

- `GET /id/...`, `/vocab/...`, `/country/XXX` (the paths of `links`): `303 See Other` to the document of the
  chosen format (`/doc/<path>.html`, `.ttl`, `.jsonld`, `.nt`), `Vary: Accept`; `406` with the list of the
  formats offered when `Accept` takes none of them; `404` when the graph says nothing about the resource.
- `GET /doc/<path>.<suffix>`: the document itself. The RDF forms are the resource's description
  (`export.resource`, the same triples as `erasmus-kg export --resource IRI`); the HTML form is the resource's
  page (`resource_pages`). An `ETag` names the build and the document, so a client revalidates for free until
  the next import.
- `/ontology`: the ontology's documentation (the page of `erasmus-kg docs`, a `#Term` anchor per term) or its
  Turtle, by `Accept`. `/context.jsonld`: the JSON-LD context the documents and the export link to.

With `--base URL`, the RDF documents name our resources under URL instead of https://w3id.org/erasmus-kg/,
so a linked-data client that follows them stays on this server (the graph itself is not changed).
"""

from __future__ import annotations

import io

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from erasmus_kg import resources
from erasmus_kg.export.resource import describe, write_description
from erasmus_kg.namespaces import BASE
from erasmus_kg.query.binding import bind
from erasmus_kg.web import links
from erasmus_kg.web.negotiation import best_media_type
from erasmus_kg.web.resource_pages import resource_page

_WRITERS = {"ttl": "turtle", "jsonld": "jsonld", "nt": "ntriples"}
_OFFERS = list(links.FORMATS.values())
_SUFFIX_OF = {media: suffix for suffix, media in links.FORMATS.items()}
_EXISTS = "ASK WHERE { ?resource ?property ?value }"


def routes() -> list[BaseRoute]:
    methods = ["GET", "HEAD"]
    return [
        Route("/id/{path:path}", resource, methods=methods),
        Route("/vocab/{path:path}", resource, methods=methods),
        Route("/country/{code}", resource, methods=methods),
        Route("/doc/{path:path}", document, methods=methods),
        Route("/ontology", ontology, methods=methods),
        Route("/context.jsonld", context, methods=methods),
    ]


def _not_acceptable() -> Response:
    offered = ", ".join(_OFFERS)
    return PlainTextResponse(f"not available in that form; offered: {offered}\n", 406, {"Vary": "Accept"})


def _exists(request: Request, iri: str) -> bool:
    with request.app.state.access.reading() as reading:
        answer = reading.target.query(bind(_EXISTS, {"resource": [ox.NamedNode(iri)]}))
    return bool(answer)


async def resource(request: Request) -> Response:
    """303 from a resource's IRI to the document `Accept` chooses."""
    iri = links.iri_of_path(request.url.path)
    if iri is None or not await run_in_threadpool(_exists, request, iri):
        raise HTTPException(404)
    media = best_media_type(request.headers.get("accept"), _OFFERS)
    if media is None:
        return _not_acceptable()
    target = links.document_path(iri, _SUFFIX_OF[media])
    assert target is not None
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})


async def document(request: Request) -> Response:
    """A resource's document in the format its suffix names."""
    path, dot, suffix = request.path_params["path"].rpartition(".")
    iri = links.iri_of_path("/" + path) if dot and suffix in links.FORMATS else None
    if iri is None:
        raise HTTPException(404)
    if suffix == "html":
        return await resource_page(request, iri)
    with request.app.state.access.reading() as reading:
        build = reading.build_id or ""
        tag = f'"{build}-{suffix}"'
        if request.headers.get("if-none-match") == tag:
            return Response(status_code=304, headers={"ETag": tag})
        description = await run_in_threadpool(describe, reading.target, iri)
    if description is None:
        raise HTTPException(404)
    base = request.app.state.config.base
    if base:
        description = _rebased(description, base)
    out = io.BytesIO()
    await run_in_threadpool(write_description, description, _WRITERS[suffix], out)
    return Response(
        out.getvalue(),
        media_type=links.FORMATS[suffix],
        headers={"ETag": tag, "Access-Control-Allow-Origin": "*"},
    )


def _rebased(description: ox.Store, base: str) -> ox.Store:
    """`description` with every IRI of our namespace moved under `base`."""

    def moved(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> ox.NamedNode | ox.Literal:
        if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
            return ox.NamedNode(base + term.value[len(BASE) :])
        return term  # type: ignore[return-value]

    rebased = ox.Store()
    rebased.extend(
        ox.Quad(moved(q.subject), moved(q.predicate), moved(q.object))  # type: ignore[arg-type]
        for q in description
    )
    return rebased


async def ontology(request: Request) -> Response:
    """The ontology: its documentation page, or the Turtle file."""
    media = best_media_type(request.headers.get("accept"), ["text/html", "text/turtle"])
    if media is None:
        return _not_acceptable()
    if media == "text/turtle":
        return Response(
            resources.ontology_file().read_bytes(), media_type="text/turtle", headers={"Vary": "Accept"}
        )
    from erasmus_kg.docs.ontology import ontology_html

    html = await run_in_threadpool(ontology_html)
    return Response(html, media_type="text/html", headers={"Vary": "Accept"})


async def context(request: Request) -> Response:
    """The JSON-LD context (`ontology/context.jsonld`)."""
    path = resources.ontology_dir() / "context.jsonld"
    return Response(
        path.read_bytes(),
        media_type="application/ld+json",
        headers={"Access-Control-Allow-Origin": "*"},
    )
