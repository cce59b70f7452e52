"""Run stored and ad hoc SPARQL queries on a target: the embedded store or a remote endpoint.

A stored query runs in three steps, each visible to the user: its parameters are resolved with the graph's
vocabularies (`parameters`), bound as a VALUES block of RDF terms (`binding`), and the resulting text runs on
the target. `--show-query` prints that text instead of running it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pyoxigraph as ox

from .binding import bind
from .catalogue import get_query
from .errors import UsageError
from .parameters import resolve_all

LANGUAGES = ("nl", "en")

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


def prepare(name: str, raw_params: Mapping[str, str], lang: str, target: Target) -> str:
    """The exact SPARQL text a stored query runs with these parameters (resolved on `target`)."""
    if lang not in LANGUAGES:
        raise UsageError(f"unknown label language {lang!r} (one of {', '.join(LANGUAGES)})")
    query = get_query(name)

    def select(sparql: str) -> ox.QuerySolutions:
        results = target.query(sparql)
        assert isinstance(results, ox.QuerySolutions)
        return results

    bindings = resolve_all(query, raw_params, select)
    bindings["lang"] = [ox.Literal(lang)]
    return bind(query.text, bindings)


def run_stored(name: str, raw_params: Mapping[str, str], lang: str, target: Target) -> Results:
    return target.query(prepare(name, raw_params, lang, target))
