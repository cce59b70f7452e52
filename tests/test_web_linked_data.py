"""Dereferenceable IRIs on a real server: 303 by Accept, the documents in every format holding exactly the
triples of `erasmus-kg export --resource`, 406 and 404, the ontology and the context, hostile paths."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli

from .test_hostile_values import IDS, VALUES
from .web_server import WebServer

RESOURCES = {
    "project": ("/id/project/goal", "https://w3id.org/erasmus-kg/id/project/goal"),
    "organisation": ("/id/organisation/de-stap", "https://w3id.org/erasmus-kg/id/organisation/de-stap"),
    "concept": ("/vocab/action/KA3", "https://w3id.org/erasmus-kg/vocab/action/KA3"),
    "country": ("/country/LTU", "http://publications.europa.eu/resource/authority/country/LTU"),
}
MEDIA = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
}


def _exported(store: Path, iri: str) -> set[ox.Triple]:
    """What `erasmus-kg export --resource IRI` writes (through CliRunner, in-process)."""
    done = CliRunner().invoke(
        cli,
        ["--store", str(store), "export", "--format", "ntriples", "--resource", iri],
        catch_exceptions=False,
    )
    assert done.exit_code == 0, done.output
    return set(ox.parse(done.stdout_bytes, format=ox.RdfFormat.N_TRIPLES))


@pytest.mark.parametrize("kind", sorted(RESOURCES))
@pytest.mark.parametrize("media", sorted(MEDIA))
def test_an_iri_answers_303_to_the_document_accept_chooses(kind: str, media: str, web: WebServer) -> None:
    path, _ = RESOURCES[kind]
    with web.client() as client:
        response = client.get(path, headers={"Accept": media})
        assert response.status_code == 303
        assert response.headers["vary"] == "Accept"
        location = response.headers["location"]
        suffix = MEDIA[media]
        expected_doc = "/doc/" + path.lstrip("/") + "." + suffix
        assert location == expected_doc
        document = client.get(location)
    assert document.status_code == 200
    assert document.headers["content-type"].split(";")[0] == media


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_the_rdf_documents_hold_the_triples_of_export(kind: str, web: WebServer, store_root: Path) -> None:
    path, iri = RESOURCES[kind]
    expected = _exported(store_root, iri)
    assert any(t.subject == ox.NamedNode(iri) for t in expected)
    with web.client() as client:
        turtle = client.get(f"/doc/{path.lstrip('/')}.ttl").content
        ntriples = client.get(f"/doc/{path.lstrip('/')}.nt").content
        jsonld = client.get(f"/doc/{path.lstrip('/')}.jsonld").content
    assert set(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == expected
    assert set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)) == expected
    document = json.loads(jsonld)
    assert document["@context"] == "https://w3id.org/erasmus-kg/context.jsonld"


def test_the_jsonld_document_expands_to_the_same_triples(web: WebServer, store_root: Path) -> None:
    from pyld import jsonld

    _, iri = RESOURCES["project"]
    with web.client() as client:
        document = client.get("/doc/id/project/goal.jsonld").json()
        context = client.get("/context.jsonld").json()
    document["@context"] = context["@context"]
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert set(ox.parse(nquads.encode(), format=ox.RdfFormat.N_TRIPLES)) == _exported(store_root, iri)


def test_406_and_404(web: WebServer) -> None:
    with web.client() as client:
        refused = client.get("/id/project/goal", headers={"Accept": "image/png"})
        assert refused.status_code == 406
        assert "text/turtle" in refused.text
        assert client.get("/id/project/no-such-project").status_code == 404
        assert client.get("/doc/id/project/no-such-project.ttl").status_code == 404
        assert client.get("/doc/id/project/goal.pdf").status_code == 404
        assert client.get("/country/XYZ").status_code == 404


def test_the_resource_page_names_things_in_the_language(web: WebServer) -> None:
    with web.client() as client:
        dutch = client.get("/doc/id/project/goal.html?lang=nl").text
        english = client.get("/doc/id/project/goal.html?lang=en").text
    assert "<h1>Guidance and Orientation for Adult Learners</h1>" in dutch
    assert '<a href="/country/LTU">Litouwen</a>' in dutch
    assert '<a href="/country/LTU">Lithuania</a>' in english
    assert '<a href="/ontology#startDate">begindatum</a>' in dutch
    assert "februari 2015" in dutch and "February 2015" in english
    assert 'href="/doc/id/project/goal.ttl"' in dutch


def test_an_etag_saves_the_second_download(web: WebServer) -> None:
    with web.client() as client:
        first = client.get("/doc/id/project/goal.ttl")
        again = client.get("/doc/id/project/goal.ttl", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_the_ontology_and_the_context(web: WebServer) -> None:
    with web.client() as client:
        page = client.get("/ontology", headers={"Accept": "text/html"})
        turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
        context = client.get("/context.jsonld")
    assert page.status_code == 200 and 'id="Project"' in page.text
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert ox.NamedNode("https://w3id.org/erasmus-kg/ontology#Project") in {
        t.subject for t in ox.parse(turtle.content, format=ox.RdfFormat.TURTLE)
    }
    assert context.headers["content-type"] == "application/ld+json"
    assert "@context" in context.json()


def test_base_moves_our_iris_onto_the_server(store_root: Path) -> None:
    from .web_server import web_server

    with web_server(store_root, ["--base", "http://127.0.0.1:1/"]) as server, server.client() as client:
        turtle = client.get("/doc/id/project/goal.ttl").content
    subjects = {t.subject for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE)}
    assert ox.NamedNode("http://127.0.0.1:1/id/project/goal") in subjects
    assert ox.NamedNode("https://w3id.org/erasmus-kg/id/project/goal") not in subjects


@pytest.mark.parametrize(
    "path",
    [
        "/doc/../../etc/passwd",
        "/id/%2e%2e/%2e%2e/etc/passwd",
        "/doc/id/a%3Eb.ttl",
        "/id/a%20b",
        "/id/a%0Ab",
        "/id/%22x%22",
        "/vocab/",
        "/id/",
        "/doc/",
        "/country/..%2F",
    ],
)
def test_hostile_paths_are_404(path: str, web_client) -> None:
    assert web_client.get(path).status_code in (400, 404, 307)  # 307: a trailing slash taken off


@pytest.mark.parametrize(
    "value",
    [v for v in VALUES if len(v) < 4000],
    ids=[i for v, i in zip(VALUES, IDS, strict=True) if len(v) < 4000],
)
def test_hostile_values_as_path_segments(value: str, web_client) -> None:
    from urllib.parse import quote

    for prefix in ("/id/project/", "/doc/id/project/", "/country/", "/vocab/action/"):
        response = web_client.get(prefix + quote(value, safe=""), headers={"Accept": "text/html"})
        assert response.status_code in (400, 404, 303), (prefix, response.status_code)
        assert "<script" not in response.text
