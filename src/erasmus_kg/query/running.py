"""Run stored and ad hoc SPARQL queries on a target: the embedded store or a remote endpoint.

A stored query runs in three steps, each visible to the user: its parameters are resolved with the graph's
vocabularies (`parameters`), bound as a VALUES block of RDF terms (`binding`), restricted to the rows asked
for by LIMIT/OFFSET (`binding.with_slice`), and the resulting text runs on the target. `--show-query` prints
that text instead of running it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.query.binding import Term, bind, bind_page, count_query, with_slice
from erasmus_kg.query.catalogue import StoredQuery, get_query
from erasmus_kg.query.parameters import resolve_all
from erasmus_kg.query.targets import Results, Target, solutions

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.derived.search_index import SearchIndex

LANGUAGES = ("nl", "en")


def prepare(
    name: str,
    raw_params: Mapping[str, str],
    lang: str,
    target: Target,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> str:
    """The exact SPARQL text a stored query runs with these parameters (resolved on `target`), giving at most
    `limit` rows (None: all) after the first `offset` of its ordered rows."""
    if limit is None and offset == 0:
        return _bound(name, raw_params, lang, target)[0]
    return page(name, raw_params, lang, target, limit, offset)[0]


def page(
    name: str, raw_params: Mapping[str, str], lang: str, target: Target, limit: int | None, offset: int = 0
) -> tuple[str, int | None]:
    """The text of the rows `offset`.. (at most `limit`; None: all) of a stored query, and how many rows the
    whole query gives (None when only running it tells).

    When the query declares a `page_index` and the target has a search index, the page's projects come from
    the index, in the same list order, and the text binds the page subquery to them instead of sorting every
    project of the list to cut the page (at 327,000 projects: 110,000 for Germany, about a second); the total
    is the index's count. Otherwise the page subquery is cut by LIMIT/OFFSET and counted."""
    whole, query, bindings = _bound(name, raw_params, lang, target)
    indexed = _indexed_page(query, bindings, lang, target, limit, offset) if limit is not None else None
    if indexed is not None and query.page_index is not None:
        iris, total = indexed
        nodes = [ox.NamedNode(iri) for iri in iris]
        return bind_page(query.text, bindings, query.page_index.node, nodes), total
    return with_slice(whole, limit, offset), count_rows(target, whole)


def _bound(
    name: str, raw_params: Mapping[str, str], lang: str, target: Target
) -> tuple[str, StoredQuery, dict[str, list[Term]]]:
    if lang not in LANGUAGES:
        raise UsageError(f"unknown label language {lang!r} (one of {', '.join(LANGUAGES)})")
    query = get_query(name)
    bindings = resolve_all(query, raw_params, partial(solutions, target), target.names)
    bindings["lang"] = [ox.Literal(lang)]
    return bind(query.text, bindings), query, bindings


def _indexed_page(
    query: StoredQuery, bindings: Mapping[str, list[Term]], lang: str, target: Target, limit: int, offset: int
) -> tuple[list[str], int] | None:
    if query.page_index is None:
        return None
    index: SearchIndex | None = getattr(target, "search", None)
    if index is None:
        return None
    kind, param = query.page_index.kind, query.page_index.param
    value = None
    if param is not None:
        terms = bindings.get(param) or []
        if len(terms) != 1:  # several values: a node can be in the page subquery once for each
            return None
        value = terms[0].value
    return index.in_list_order(None if kind == "all" else kind, value, lang, limit=limit, offset=offset)


def count_rows(target: Target, query: str) -> int | None:
    """How many rows `query` (bound, without a slice) gives, counted from its page subquery alone
    (`binding.count_query`); None when it has none (then only running it tells)."""
    counting = count_query(query)
    if counting is None:
        return None
    results = target.query(counting)
    assert isinstance(results, ox.QuerySolutions)
    value = next(iter(results))["rows"]
    return int(value.value) if isinstance(value, ox.Literal) else 0


def counted_page(target: Target, query: str, rows: int, offset: int) -> tuple[str, int] | None:
    """For a table that shows `rows` rows after the first `offset` of `query` (bound, without a slice) and
    says how many there are: the text of that page alone and the number of rows from `offset` on, counted
    from the page subquery; None when the query has none (then the table reads every row to count them)."""
    counted = count_rows(target, query)
    if counted is None:
        return None
    return with_slice(query, rows, offset), max(counted - offset, 0)


def run_stored(
    name: str,
    raw_params: Mapping[str, str],
    lang: str,
    target: Target,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> Results:
    return target.query(prepare(name, raw_params, lang, target, limit=limit, offset=offset))
