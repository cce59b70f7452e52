"""What queries run on: the embedded store, or anything else that answers SPARQL over its graphs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.store.default import DefaultStore

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.derived.names import NameIndex
    from erasmus_kg.derived.search_index import SearchIndex

Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Target(Protocol):
    """Something that answers SPARQL queries over the union of its graphs; `names` is the name index that
    parameter values are looked up in (None: they are resolved by SPARQL queries on the target)."""

    names: NameIndex | None

    def query(self, sparql: str) -> Results: ...


class StoreTarget:
    """A pyoxigraph store, queried over the union of its named graphs; `names` is the name index of its build,
    which parameter resolution looks names up in (None: it queries the store instead), `search` its search
    index, which gives the pages of the lists that declare a `page_index` (None: their page subqueries do).
    With `build_dir` instead of `search`, the build's search index is opened on first use: most commands
    never page a list, and opening it (importing SQLite, reading each file's layout) costs a command 11 ms."""

    def __init__(
        self,
        store: ox.Store,
        names: NameIndex | None = None,
        search: SearchIndex | None = None,
        *,
        build_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.names = names
        self._search = search
        self._build_dir = build_dir if search is None else None
        self._opened: SearchIndex | None = None

    @property
    def search(self) -> SearchIndex | None:
        if self._build_dir is not None:
            from erasmus_kg.derived.search_index import SearchIndex

            self._opened = SearchIndex(self._build_dir)
            self._search = self._opened if self._opened.available else None
            self._build_dir = None
        return self._search

    def close(self) -> None:
        """Close the search index if this target opened it."""
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def query(self, sparql: str) -> Results:
        try:
            return self.store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise UsageError(f"the SPARQL query is not valid: {exc.msg}") from None


@contextlib.contextmanager
def open_target(root: Path | None) -> Iterator[StoreTarget]:
    """A query target on the current build of the store at `root` (the default place when None)."""
    from erasmus_kg.derived.names import NameIndex

    with DefaultStore(root).open_build() as (reader, build_dir), NameIndex(build_dir) as names:
        target = StoreTarget(reader, names, build_dir=build_dir)
        try:
            yield target
        finally:
            target.close()


def solutions(target: Target, sparql: str) -> ox.QuerySolutions:
    """The rows of a SELECT query on `target`."""
    results = target.query(sparql)
    assert isinstance(results, ox.QuerySolutions)
    return results


def text_of(term: object) -> str:
    """The lexical form of a literal or the IRI of a named node; "" for anything else (unbound)."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
