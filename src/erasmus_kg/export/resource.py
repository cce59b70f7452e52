"""The description of one resource: what its document on the web (`/doc/...`) and
`erasmus-kg export --resource IRI` hold, in every format the export writes.

Defined by `queries/internal/resource-description.rq` (the resource's own triples in every graph, and the
names of what it links to), run with the resource bound as a term, never pasted as text. The triples are
collected into an in-memory store and written by the export's own writers (`formats.export`), so a resource's
Turtle, N-Triples and JSON-LD (compacted with the published context) are what the whole export would write
for those triples.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.targets import Target


def describe(target: Target, iri: str) -> ox.Store | None:
    """The triples describing `iri` on `target`, in the default graph of a new in-memory store; None when
    the graph has no triple with `iri` as subject."""
    results = target.query(bind(internal_query("resource-description"), {"resource": [ox.NamedNode(iri)]}))
    if not isinstance(results, ox.QueryTriples):  # pragma: no cover - the query is a CONSTRUCT
        raise TypeError("resource-description is not a CONSTRUCT")
    description = ox.Store()
    description.extend(ox.Quad(t.subject, t.predicate, t.object) for t in results)
    return description if len(description) else None


def write_description(description: ox.Store, fmt: str, out: BinaryIO, *, context: str = "link") -> None:
    """Write `description` (from `describe`) to `out` as `fmt` (jsonld, turtle, ntriples)."""
    from erasmus_kg.export.formats import export

    export(description, fmt, out, context=context)
