"""Publishing the graph to a triple store over the SPARQL 1.1 Graph Store Protocol.

Each named graph of the embedded store (ontology, packaged data, loaded and imported datasets) is written to
a temporary N-Triples file by Oxigraph and sent with one `PUT ?graph=IRI` request, streamed from the file: the
server replaces that graph as a whole, so a failure halfway leaves the graph's previous content in place, and
loading twice gives the same triples as loading once. A manifest graph listing the loaded graphs is written
last; `erasmus-kg query --endpoint` reads it to query their union. `--graph IRI` sends everything to one graph
instead.

Endpoint URLs: Oxigraph server `http://host:7878/store`, Apache Jena Fuseki `http://host:3030/DATASET/data`,
GraphDB and RDF4J `http://host:7200/repositories/ID/rdf-graphs/service`.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.namespaces import DCTERMS
from erasmus_kg.progress import Meter, Readable
from erasmus_kg.remote.http import DEFAULT_TIMEOUT, Credentials, Endpoint
from erasmus_kg.remote.sparql import MANIFEST_GRAPH
from erasmus_kg.store.default import DefaultStore

PUT_TIMEOUT = 3600.0
"""Seconds a server may take to accept one graph (large graphs are large uploads)."""


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    triples: int
    size: int


def publish(
    root: Path | None,
    url: str,
    *,
    graph: str | None = None,
    credentials: Credentials | None = None,
    progress: bool | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[PublishedGraph]:
    """Send the embedded store's graphs to the Graph Store Protocol endpoint `url`; `progress` shows a meter
    per graph (None: when stderr is a terminal)."""
    endpoint = Endpoint(url, credentials, timeout=timeout)
    if graph is not None:
        ox.NamedNode(graph)  # a ValueError names a bad IRI before anything is sent
    store = DefaultStore(root)
    store.ensure()
    graphs = store.graphs()
    counts = {g.iri: g.triples for g in graphs}
    published: list[PublishedGraph] = []
    with store.open_reader() as reader, tempfile.TemporaryDirectory(prefix="erasmus-kg-publish-") as tmp:
        batches = [(graph, [g.iri for g in graphs])] if graph else [(g.iri, [g.iri]) for g in graphs]
        for target_graph, sources in batches:
            path = Path(tmp) / "graph.nt"
            _dump(reader, sources, path)
            triples = sum(counts[iri] for iri in sources)
            size = path.stat().st_size
            with (
                path.open("rb") as body,
                Meter(target_graph, unit="bytes", total=size, enabled=progress) as meter,
            ):
                _put(endpoint, target_graph, meter.reader(body), size)
            published.append(PublishedGraph(target_graph, triples, size))
    manifest = _manifest([p.graph for p in published])
    _put(endpoint, MANIFEST_GRAPH, manifest, len(manifest))
    return published


def _dump(store: ox.Store, graphs: list[str], path: Path) -> None:
    with path.open("wb") as out:
        for iri in graphs:
            store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))


def _put(endpoint: Endpoint, graph: str, body: bytes | Readable, size: int) -> None:
    endpoint.request(
        "PUT",
        params=[("graph", graph)],
        body=body,
        length=size,
        headers={"Content-Type": "application/n-triples"},
        timeout=max(endpoint.timeout, PUT_TIMEOUT),
    )


def _manifest(graphs: list[str]) -> bytes:
    subject = ox.NamedNode(MANIFEST_GRAPH)
    has_part = ox.NamedNode(DCTERMS + "hasPart")
    triples = [ox.Triple(subject, has_part, ox.NamedNode(g)) for g in sorted(graphs)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
