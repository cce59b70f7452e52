"""Run stored and ad hoc SPARQL queries on a target: the embedded store or a remote endpoint.

A stored query runs in three steps, each visible to the user: its parameters are resolved with the graph's
vocabularies (`parameters`), bound as a VALUES block of RDF terms (`binding`), restricted to the rows asked
for by LIMIT/OFFSET (`binding.with_slice`), and the resulting text runs on the target. `--show-query` prints
that text instead of running it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.query.binding import bind, count_query, with_slice
from erasmus_kg.query.catalogue import get_query
from erasmus_kg.query.parameters import resolve_all
from erasmus_kg.query.targets import Results, Target

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
    if lang not in LANGUAGES:
        raise UsageError(f"unknown label language {lang!r} (one of {', '.join(LANGUAGES)})")
    query = get_query(name)

    def select(sparql: str) -> ox.QuerySolutions:
        results = target.query(sparql)
        assert isinstance(results, ox.QuerySolutions)
        return results

    bindings = resolve_all(query, raw_params, select, target.names)
    bindings["lang"] = [ox.Literal(lang)]
    return with_slice(bind(query.text, bindings), limit, offset)


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
