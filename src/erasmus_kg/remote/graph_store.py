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

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.namespaces import PREFIXES
from erasmus_kg.remote.http import DEFAULT_TIMEOUT, Credentials, Endpoint, Readable
from erasmus_kg.remote.sparql import MANIFEST_GRAPH
from erasmus_kg.store.default import DefaultStore

CHUNK = 1 << 20
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
    progress: Callable[[str], None] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[PublishedGraph]:
    """Send the embedded store's graphs to the Graph Store Protocol endpoint `url`."""
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
            with path.open("rb") as body:
                _put(endpoint, target_graph, _Progress(body, size, target_graph, progress), size)
            published.append(PublishedGraph(target_graph, triples, size))
    manifest = _manifest([p.graph for p in published])
    _put(endpoint, MANIFEST_GRAPH, manifest, len(manifest))
    return published


def terminal_progress(message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[2K" + message)
        sys.stderr.flush()


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
    has_part = ox.NamedNode(PREFIXES["dcterms"] + "hasPart")
    triples = [ox.Triple(subject, has_part, ox.NamedNode(g)) for g in sorted(graphs)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class _Progress:
    """A file wrapper that reports how much of it was read (sent)."""

    def __init__(self, body: BinaryIO, size: int, graph: str, report: Callable[[str], None] | None) -> None:
        self._body = body
        self._size = size
        self._graph = graph
        self._report = report
        self._sent = 0
        self._last = 0.0

    def read(self, n: int = -1) -> bytes:
        data = self._body.read(CHUNK if n is None or n < 0 else min(n, CHUNK))
        self._sent += len(data)
        now = time.monotonic()
        if self._report and (now - self._last > 0.2 or not data):
            self._last = now
            percent = 100 * self._sent / self._size if self._size else 100
            self._report(
                f"{self._graph}: {self._sent / 1e6:.1f} of {self._size / 1e6:.1f} MB ({percent:.0f}%)"
            )
        return data
