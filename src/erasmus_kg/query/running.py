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
    from erasmus_kg.query.indexed_lists import IndexedSolutions

LANGUAGES = ("nl", "en")
MAX_INDEXED_ROWS = 2_000
"""Up to this row (offset + limit) the page of a list with several rows a node is cut from the rows of its
first nodes (`_indexed_rows`); beyond, binding that many nodes costs more than the page subquery."""


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
    return page(name, raw_params, lang, target, limit, offset, counted=False)[0]


def page(
    name: str,
    raw_params: Mapping[str, str],
    lang: str,
    target: Target,
    limit: int | None,
    offset: int = 0,
    *,
    counted: bool = True,
) -> tuple[str, int | None]:
    """The text of the rows `offset`.. (at most `limit`; None: all) of a stored query, and how many rows the
    whole query gives (None when only running it tells, or when not `counted`: counting a list costs as much
    as its page when the index does not give it).

    When the query declares a `page_index` and the target has a search index, the page's projects come from
    the index, in the same list order, and the text binds the page subquery to them instead of sorting every
    project of the list to cut the page (at 327,000 projects: 110,000 for Germany, about a second); the total
    is the index's count. Otherwise the page subquery is cut by LIMIT/OFFSET and counted."""
    whole, query, bindings = _bound(name, raw_params, lang, target)
    if limit is not None and query.page_index is not None and query.page_index.rows == "several":
        cut = _indexed_rows(query, bindings, lang, target, limit, offset)
        if cut is not None:
            return cut, count_rows(target, whole) if counted else None
    indexed = _indexed_page(query, bindings, lang, target, limit, offset) if limit is not None else None
    if indexed is not None and query.page_index is not None:
        iris, total = indexed
        nodes = [(ox.NamedNode(iri),) for iri in iris]
        return bind_page(query.text, bindings, (query.page_index.node,), nodes), total
    return with_slice(whole, limit, offset), count_rows(target, whole) if counted else None


def indexed_list(
    name: str,
    raw_params: Mapping[str, str],
    lang: str,
    target: Target,
    *,
    limit: int | None = None,
    offset: int = 0,
    fmt: str | None = None,
) -> IndexedSolutions | None:
    """The rows `offset`.. (at most `limit`; None: all) of a stored query that declares `index_rows`, from
    the target's search index (`indexed_lists`): the same rows as its SPARQL, without evaluating it; None
    when the index cannot give them, or cannot write them in `fmt` (None: in any of `indexed_lists.FORMATS`)
    as pyoxigraph would; then the SPARQL runs. A query without `index_rows` costs nothing here: neither its
    parameters are resolved nor the module imported."""
    query = get_query(name)
    if not query.index_rows or getattr(target, "search", None) is None:
        return None
    from erasmus_kg.query.indexed_lists import FORMATS, list_solutions

    if fmt is not None and fmt not in FORMATS:
        return None
    _, _, bindings = _bound(name, raw_params, lang, target)
    rows = list_solutions(query, bindings, lang, target, limit, offset)
    return rows if rows is not None and (fmt is None or rows.writable(fmt)) else None


def _bound(
    name: str, raw_params: Mapping[str, str], lang: str, target: Target
) -> tuple[str, StoredQuery, dict[str, list[Term]]]:
    if lang not in LANGUAGES:
        raise UsageError(f"unknown label language {lang!r} (one of {', '.join(LANGUAGES)})")
    query = get_query(name)
    bindings = resolve_all(query, raw_params, partial(solutions, target), target.names)
    bindings["lang"] = [ox.Literal(lang)]
    return bind(query.text, bindings), query, bindings


def _indexed_rows(
    query: StoredQuery,
    bindings: Mapping[str, list[Term]],
    lang: str,
    target: Target,
    limit: int,
    offset: int,
) -> str | None:
    """The text of the rows `offset`.. (at most `limit`) of a stored query with several rows a node
    (`PageIndex.rows`), in list order: every node has a row at least, so those rows are among the rows of
    the first `offset + limit` nodes the index gives, each bound with the parameter's values it has (a few
    (project, organisation) pairs, not the 262 organisations a name can match times the page's projects),
    and LIMIT/OFFSET cut them there. None when the index cannot give them (then the page subquery is cut)."""
    index: SearchIndex | None = getattr(target, "search", None)
    page_index = query.page_index
    assert page_index is not None and page_index.param is not None  # the catalogue checks it
    values = [term.value for term in bindings.get(page_index.param) or [] if isinstance(term, ox.NamedNode)]
    if index is None or not values or offset + limit > MAX_INDEXED_ROWS:
        return None
    links = index.links_in_list_order(page_index.kind, values, lang, limit=offset + limit)
    rows = [(ox.NamedNode(node), ox.NamedNode(value)) for node, value in links]
    bound = bind_page(query.text, bindings, (page_index.node, page_index.param), rows)
    return with_slice(bound, limit, offset)


def _indexed_page(
    query: StoredQuery, bindings: Mapping[str, list[Term]], lang: str, target: Target, limit: int, offset: int
) -> tuple[list[str], int] | None:
    if query.page_index is None or query.page_index.rows != "one":
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
