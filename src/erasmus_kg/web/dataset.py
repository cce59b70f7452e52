"""The description of the dataset: `/void.ttl` (VoID and DCAT) and `/sitemap.xml`.

`/void.ttl` describes what this server serves: the dataset's title and description in nl and en, its URI
space and SPARQL endpoint, example resources, the number of triples, and each named graph of the store as a
subset with its source, when it was loaded and its triples (from the build's manifest, the same facts as
`erasmus-kg sources`). A source's licence is given where the data states one (the EU country table, the
ontology); the brochure states none, so none is invented.

`/sitemap.xml` lists the page of every project, organisation, concept and country (the sitemaps protocol:
at most 50,000 URLs per file). A larger store is answered by a sitemap index of `/sitemap.xml?part=N`.
"""

from __future__ import annotations

import io
from pathlib import PurePath
from xml.sax.saxutils import escape

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from erasmus_kg.namespaces import BASE, DCAT, DCTERMS, EKG, ID, PREFIXES, RDF, SKOS, VOID, XSD
from erasmus_kg.web import links

DATASET = BASE + "dataset"
SITEMAP_URLS = 50_000
_PAGES = f"""SELECT ?resource WHERE {{
  VALUES ?type {{ <{EKG}Project> <{EKG}Organisation> <{SKOS}Concept> }}
  ?resource a ?type
}} ORDER BY ?resource"""
_LICENCES = f"SELECT ?graph ?licence WHERE {{ GRAPH ?graph {{ ?s <{DCTERMS}license> ?licence }} }}"


def routes() -> list[BaseRoute]:
    return [
        Route("/void.ttl", void, methods=["GET", "HEAD"]),
        Route("/sitemap.xml", sitemap, methods=["GET", "HEAD"]),
    ]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def description(request: Request) -> bytes:
    """The VoID/DCAT description of the dataset as served at `request`'s address, in Turtle."""
    site = str(request.base_url).rstrip("/")
    dataset = _n(DATASET)
    triples: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triples.append(ox.Triple(s, _n(p), o))

    add(dataset, RDF + "type", _n(VOID + "Dataset"))
    add(dataset, RDF + "type", _n(DCAT + "Dataset"))
    for lang, title in (
        ("nl", "Erasmus+-projecten rond keuzebegeleiding"),
        ("en", "Erasmus+ projects in career guidance"),
    ):
        add(dataset, DCTERMS + "title", ox.Literal(title, language=lang))
    add(
        dataset,
        DCTERMS + "description",
        ox.Literal(
            "Een kennisgraaf van Erasmus+-projecten: de Vlaamse brochure over keuzebegeleiding, de Project "
            "Results-exports en de ECHE-lijst.",
            language="nl",
        ),
    )
    add(
        dataset,
        DCTERMS + "description",
        ox.Literal(
            "A knowledge graph of Erasmus+ projects: the Flemish brochure on career guidance, the Project "
            "Results exports and the ECHE list.",
            language="en",
        ),
    )
    add(dataset, VOID + "uriSpace", ox.Literal(ID))
    add(dataset, VOID + "sparqlEndpoint", _n(site + "/sparql"))
    add(dataset, VOID + "vocabulary", _n(EKG))
    for example in ("project/goal", "organisation/de-stap"):
        add(dataset, VOID + "exampleResource", _n(ID + example))
    add(dataset, DCAT + "landingPage", _n(site + "/"))
    access = request.app.state.access
    graphs = access.graphs()
    with access.reading() as reading:
        found = reading.target.query(_LICENCES)
        licences = (
            {}
            if not isinstance(found, ox.QuerySolutions)
            else {
                row["graph"].value: row["licence"]
                for row in found
                if isinstance(row["licence"], ox.NamedNode)
            }
        )
    total = 0
    for graph in graphs:
        subset = _n(graph.iri)
        total += graph.triples
        add(dataset, VOID + "subset", subset)
        add(subset, RDF + "type", _n(VOID + "Dataset"))
        add(subset, VOID + "triples", ox.Literal(str(graph.triples), datatype=_n(XSD + "integer")))
        add(subset, DCTERMS + "source", ox.Literal(_source_name(graph.source)))
        add(subset, DCTERMS + "issued", ox.Literal(graph.loaded, datatype=_n(XSD + "dateTime")))
        if graph.iri in licences:
            add(subset, DCTERMS + "license", licences[graph.iri])
    if graphs:
        add(dataset, VOID + "triples", ox.Literal(str(total), datatype=_n(XSD + "integer")))
    out = io.BytesIO()
    ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes={**PREFIXES, "void": VOID, "dcat": DCAT})
    return out.getvalue()


def _source_name(source: str) -> str:
    """A source as the description names it: a file by its name alone (its folder on the server is nobody's
    business), anything else (a derived graph's "derived from <graph>") as it is."""
    return PurePath(source).name if source.startswith(("/", "./", "../")) or "\\" in source else source


async def void(request: Request) -> Response:
    body = await run_in_threadpool(description, request)
    return Response(body, media_type="text/turtle", headers={"Access-Control-Allow-Origin": "*"})


async def sitemap(request: Request) -> Response:
    site = str(request.base_url).rstrip("/")
    part_text = request.query_params.get("part")
    if part_text is not None and not part_text.isdigit():
        raise HTTPException(404)

    def read() -> list[str]:
        with request.app.state.access.reading() as reading:
            results = reading.target.query(_PAGES)
            assert isinstance(results, ox.QuerySolutions)
            return [path for row in results if (path := links.resource_path(row["resource"].value))]

    paths = await run_in_threadpool(read)
    parts = max(1, -(-len(paths) // SITEMAP_URLS))
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    if part_text is None and parts > 1:
        body = (
            head
            + f'<sitemapindex xmlns="{namespace}">\n'
            + "".join(
                f"<sitemap><loc>{escape(site)}/sitemap.xml?part={n}</loc></sitemap>\n"
                for n in range(1, parts + 1)
            )
            + "</sitemapindex>\n"
        )
        return Response(body, media_type="application/xml")
    part = int(part_text or 1)
    if part < 1 or part > parts:
        raise HTTPException(404)
    chosen = paths[(part - 1) * SITEMAP_URLS : part * SITEMAP_URLS]
    body = (
        head
        + f'<urlset xmlns="{namespace}">\n'
        + "".join(f"<url><loc>{escape(site + path)}</loc></url>\n" for path in chosen)
        + "</urlset>\n"
    )
    return Response(body, media_type="application/xml")
