"""The dataset's description (/void.ttl) and the sitemap (/sitemap.xml): they parse, and their numbers are
the store's."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.store.default import DefaultStore
from erasmus_kg.web import dataset

VOID = "http://rdfs.org/ns/void#"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_void_gives_every_graph_with_its_triples(web_client, store_root: Path) -> None:
    response = web_client.get("/void.ttl")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(response.content, format=ox.RdfFormat.TURTLE)
    triples = {
        q.subject.value: int(q.object.value)
        for q in graph.quads_for_pattern(None, ox.NamedNode(VOID + "triples"), None)
    }
    graphs = DefaultStore(store_root).graphs()
    assert {g.iri: g.triples for g in graphs} == {k: v for k, v in triples.items() if k != dataset.DATASET}
    assert triples[dataset.DATASET] == sum(g.triples for g in graphs)
    endpoint = next(graph.quads_for_pattern(None, ox.NamedNode(VOID + "sparqlEndpoint"), None)).object
    assert endpoint == ox.NamedNode("http://testserver/sparql")
    sources = {
        q.object.value
        for q in graph.quads_for_pattern(None, ox.NamedNode("http://purl.org/dc/terms/source"), None)
    }
    assert "brochure.ttl" in sources and not any(s.startswith("/") for s in sources)  # no server paths
    licence = ox.NamedNode("http://purl.org/dc/terms/license")
    assert {q.subject.value for q in graph.quads_for_pattern(None, licence, None)} == {
        "https://w3id.org/erasmus-kg/graph/countries",  # the licences the data states, and no other
        "https://w3id.org/erasmus-kg/graph/ontology",
    }


def test_the_sitemap_lists_every_page(web_client, monkeypatch) -> None:
    root = ET.fromstring(web_client.get("/sitemap.xml").content)
    urls = [loc.text for loc in root.iter(SITEMAP + "loc")]
    assert "http://testserver/id/project/goal" in urls
    assert "http://testserver/country/LTU" in urls
    assert len(urls) == len(set(urls)) > 300
    monkeypatch.setattr(dataset, "SITEMAP_URLS", 100)  # a big store: an index of parts
    index = ET.fromstring(web_client.get("/sitemap.xml").content)
    assert index.tag == SITEMAP + "sitemapindex"
    parts = [loc.text for loc in index.iter(SITEMAP + "loc")]
    assert parts[0] == "http://testserver/sitemap.xml?part=1" and len(parts) == -(-len(urls) // 100)
    again = [
        loc.text
        for n in range(1, len(parts) + 1)
        for loc in ET.fromstring(web_client.get(f"/sitemap.xml?part={n}").content).iter(SITEMAP + "loc")
    ]
    assert again == urls
    assert web_client.get(f"/sitemap.xml?part={len(parts) + 1}").status_code == 404
    assert web_client.get("/sitemap.xml?part=x").status_code == 404
