"""Publishing the graph to a triple store over the SPARQL 1.1 Graph Store Protocol.

Each named graph of the embedded store (ontology, packaged data, loaded and imported datasets) is written to
a temporary N-Triples file by Oxigraph and sent with one `PUT ?graph=IRI` request, streamed from the file (and
read again from its start if a server's challenge makes it send the upload twice): the server replaces that
graph as a whole, so a failure halfway leaves the graph's previous content in place, and
loading twice gives the same triples as loading once. A manifest graph listing the loaded graphs is written
last; `erasmus-kg query --endpoint` reads it to query their union. `--graph IRI` sends everything to one graph
instead.

Endpoint URLs: Oxigraph server `http://host:7878/store`, Apache Jena Fuseki `http://host:3030/DATASET/data`,
GraphDB and RDF4J `http://host:7200/repositories/ID/rdf-graphs/service`.
"""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.namespaces import DCTERMS
from erasmus_kg.progress import Meter
from erasmus_kg.remote.http import DEFAULT_TIMEOUT, Credentials, Endpoint, Upload
from erasmus_kg.remote.sparql import MANIFEST_GRAPH
from erasmus_kg.store.default import DefaultStore

UPLOAD_BYTES_PER_SECOND = 1_000_000
"""Without a --timeout, an upload may take DEFAULT_TIMEOUT seconds and one more per this many bytes: a slow
link or a slow server (Virtuoso indexes as it reads) still gets through a large graph, and a server that never
answers fails within a bounded time (a 10 MB graph: 40 s), not within an hour."""


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
    timeout: float | None = None,
    auth: str = "auto",
    allow_insecure_auth: bool = False,
) -> list[PublishedGraph]:
    """Send the embedded store's graphs to the Graph Store Protocol endpoint `url`; `progress` shows a meter
    per graph (None: when stderr is a terminal). `timeout` bounds each request as a whole, each upload
    included (None: DEFAULT_TIMEOUT, and for an upload one second more per UPLOAD_BYTES_PER_SECOND bytes);
    `auth` and `allow_insecure_auth` say how the credentials are sent (`remote.http`)."""
    endpoint = Endpoint(
        url,
        credentials,
        timeout=timeout or DEFAULT_TIMEOUT,
        auth=auth,
        allow_insecure_auth=allow_insecure_auth,
    )
    if graph is not None:
        ox.NamedNode(graph)  # a ValueError names a bad IRI before anything is sent
    store = DefaultStore(root)
    store.ensure()
    graphs = store.graphs()
    counts = {g.iri: g.triples for g in graphs}
    published: list[PublishedGraph] = []
    with (
        contextlib.closing(endpoint),
        store.open_reader() as reader,
        tempfile.TemporaryDirectory(prefix="erasmus-kg-publish-") as tmp,
    ):
        batches = [(graph, [g.iri for g in graphs])] if graph else [(g.iri, [g.iri]) for g in graphs]
        for target_graph, sources in batches:
            path = Path(tmp) / "graph.nt"
            _dump(reader, sources, path)
            triples = sum(counts[iri] for iri in sources)
            size = path.stat().st_size
            with Meter(target_graph, unit="bytes", total=size, enabled=progress) as meter:
                _put(endpoint, target_graph, Upload(path, meter), _upload_time(timeout, size))
            published.append(PublishedGraph(target_graph, triples, size))
        manifest = _manifest([p.graph for p in published])
        _put(endpoint, MANIFEST_GRAPH, manifest, _upload_time(timeout, len(manifest)))
    return published


def _upload_time(timeout: float | None, size: int) -> float:
    """The seconds one upload of `size` bytes may take: --timeout when given, else the default scaled."""
    return timeout if timeout is not None else DEFAULT_TIMEOUT + size / UPLOAD_BYTES_PER_SECOND


def _dump(store: ox.Store, graphs: list[str], path: Path) -> None:
    with path.open("wb") as out:
        for iri in graphs:
            store.dump(out, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))


def _put(endpoint: Endpoint, graph: str, body: bytes | Upload, seconds: float) -> None:
    endpoint.request(
        "PUT",
        params=[("graph", graph)],
        body=body,
        headers={"Content-Type": "application/n-triples"},
        timeout=seconds,
    )


def _manifest(graphs: list[str]) -> bytes:
    subject = ox.NamedNode(MANIFEST_GRAPH)
    has_part = ox.NamedNode(DCTERMS + "hasPart")
    triples = [ox.Triple(subject, has_part, ox.NamedNode(g)) for g in sorted(graphs)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
