"""What `/sparql` answers with: the media types each query form can be had in, the query restricted to one
row more than the row limit, and its results written in the chosen format and cut at the limit, saying
whether anything was cut.

The row limit is `--row-limit` rows (solutions of a SELECT, triples of a CONSTRUCT or DESCRIBE; an ASK has
none). A SELECT is sent with LIMIT one more than that (merged with a LIMIT of its own, `binding.with_slice`),
so that neither the store nor a remote endpoint makes or sends more than one row too many, and the row past
the limit, when it comes, is the proof that the results were cut. A CONSTRUCT or DESCRIBE is not changed (a
LIMIT counts its solutions, not its triples): its triples are read one by one and no further than one past
the limit.

pyoxigraph writes a whole `QuerySolutions` or nothing, so a SELECT's rows are first written as SPARQL TSV,
which has exactly one line per row (every term in its N-Triples form, line breaks and tabs in literals
escaped), cut after the limit's line, and, for any other format, read back and written again: TSV carries
every term exactly (IRIs, blank node labels, literals with their language or datatype, triple terms), so the
rows written are the rows the query gave.

Nothing here imports Starlette: the worker processes (`web.query_workers`) import this module.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from erasmus_kg.query.binding import MAX_SLICE, with_slice

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.query.targets import Results

SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
"""What a SELECT or an ASK can be had in, the default first."""
GRAPH_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
"""What a CONSTRUCT or a DESCRIBE can be had in, the default first."""


@dataclass(frozen=True)
class Written:
    """The body of an answer, and whether rows past the row limit were left out of it."""

    body: bytes
    truncated: bool


def media_types(form: str) -> list[str]:
    """The media types the results of a query of `form` (`adhoc.query_form`) can be written in."""
    return list(GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_TYPES)


def limited(query: str, form: str, row_limit: int) -> str:
    """The text that runs for `query`: a SELECT with a LIMIT of one row past `row_limit` (or its own smaller
    one), any other form as it is."""
    if form != "SELECT":
        return query
    return with_slice(query, min(row_limit + 1, MAX_SLICE))


def write(results: Results, media: str, row_limit: int) -> Written:
    """`results` written as `media` (one of `media_types` of their form), at most `row_limit` rows."""
    if isinstance(results, ox.QueryTriples):
        triples = list(itertools.islice(results, row_limit + 1))
        out = io.BytesIO()
        ox.serialize(triples[:row_limit], out, GRAPH_TYPES[media])
        return Written(out.getvalue(), len(triples) > row_limit)
    if isinstance(results, ox.QueryBoolean):
        return Written(_serialized(results, SOLUTION_TYPES[media]), False)
    tsv = _serialized(results, ox.QueryResultsFormat.TSV)
    lines = tsv.split(b"\n")  # the header, one line per row, and "" after the last line's end
    truncated = len(lines) - 2 > row_limit
    if truncated:
        tsv = b"\n".join(lines[: row_limit + 1]) + b"\n"
    chosen = SOLUTION_TYPES[media]
    if chosen == ox.QueryResultsFormat.TSV:
        return Written(tsv, truncated)
    again = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert isinstance(again, ox.QuerySolutions)
    return Written(_serialized(again, chosen), truncated)


def _serialized(results: ox.QuerySolutions | ox.QueryBoolean, fmt: ox.QueryResultsFormat) -> bytes:
    out = io.BytesIO()
    results.serialize(out, fmt)
    return out.getvalue()
