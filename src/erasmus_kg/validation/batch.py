"""`Batch`: the unit validation consumes, a piece of a large graph with the focus nodes it reports on.

Importers (`importing.sink`) and the store (`batches.store_batches`) make batches; `batches` validates
them. Kept apart from `batches` so that making a batch loads neither rdflib nor pySHACL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Batch:
    """Triples to validate together: `text` is N-Triples (or N-Quads; graph names are ignored), `focus` the
    IRIs whose validation results the batch reports."""

    text: str
    focus: tuple[str, ...]
    triples: int
    """How many triples are the batch's own (the rest, the types of nodes it refers to, are context)."""
