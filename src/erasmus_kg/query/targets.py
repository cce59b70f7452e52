"""What queries run on: the embedded store, or anything else that answers SPARQL over its graphs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.store.default import DefaultStore

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Target(Protocol):
    """Something that answers SPARQL queries over the union of its graphs."""

    def query(self, sparql: str) -> Results: ...


class StoreTarget:
    """A pyoxigraph store, queried over the union of its named graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, sparql: str) -> Results:
        try:
            return self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(f"the SPARQL query is not valid: {exc.msg}") from None


@contextlib.contextmanager
def open_target(root: Path | None) -> Iterator[StoreTarget]:
    """A query target on the current build of the store at `root` (the default place when None)."""
    with DefaultStore(root).open_reader() as reader:
        yield StoreTarget(reader)
