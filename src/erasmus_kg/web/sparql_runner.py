"""Where a query sent to `/sparql` runs, and for how long: on the embedded store in a worker process that is
killed at the time limit (`web.query_workers`); on a remote endpoint (`--endpoint`) over HTTP, given up at
the time limit (`Endpoint.request(within=...)`). Either way the answer is the results written and cut at
the row limit (`web.sparql_results`), or a `TimeLimitError` (503). A stored query from `/api/queries` or a
form runs on a `TimedTarget`, whose every query is one of these."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox

from erasmus_kg.errors import EndpointTimeoutError, TimeLimitError
from erasmus_kg.query.binding import MAX_SLICE
from erasmus_kg.query.targets import Results
from erasmus_kg.remote.sparql import EndpointTarget
from erasmus_kg.web.config import ServeConfig
from erasmus_kg.web.graph import Reading
from erasmus_kg.web.query_workers import Job, QueryWorkers
from erasmus_kg.web.sparql_results import Written, limited, write


def run_sparql(
    reading: Reading, workers: QueryWorkers, query: str, form: str, media: str, config: ServeConfig
) -> Written:
    """The answer to `query` (a prepared ad hoc query of `form`) on what `reading` reads, written as `media`,
    within `config`'s time and row limits."""
    return evaluate(reading, workers, limited(query, form, config.row_limit), media, config)


def evaluate(reading: Reading, workers: QueryWorkers, text: str, media: str, config: ServeConfig) -> Written:
    """The answer to `text` as it is, written as `media`, within `config`'s time limit; rows past its row
    limit are left out (`Written.truncated`) but, without a LIMIT in `text`, still evaluated."""
    if reading.build_dir is not None:
        job = Job(text, str(reading.build_dir), media, config.row_limit)
        return workers.run(job, config.query_seconds)
    target = reading.target
    if not isinstance(target, EndpointTarget):  # pragma: no cover - every Reading is one or the other
        raise RuntimeError(f"no time limit can be put on a query to {target!r}")
    try:
        results = target.query(text, within=config.query_seconds)
    except EndpointTimeoutError:
        raise TimeLimitError(
            f"{target.endpoint.url} gave no answer within {config.query_seconds:g} s, the time limit of this "
            "endpoint, so the query was given up (it may still be running there)"
        ) from None
    return write(results, media, config.row_limit)


class TimedTarget:
    """What a request's stored query runs on (`/api/queries`, the forms): the target `reading` reads, but
    every query, the parameters' lookups and the counts included, runs within `config`'s time limit (a
    `TimeLimitError` past it), as `evaluate` runs it. Its `names` and `search` are the reading's, so names and
    list pages are looked up in the build's indexes as on the command line."""

    def __init__(self, reading: Reading, workers: QueryWorkers, config: ServeConfig) -> None:
        self.reading = reading
        self.workers = workers
        self._unlimited = dataclasses.replace(config, row_limit=MAX_SLICE)
        self.names = reading.target.names
        own = getattr(reading.target, "search", None)
        self.search = reading.search if reading.search is not None else own

    def query(self, sparql: str) -> Results:
        """The solutions or the boolean of a SELECT or an ASK query (the forms a stored query takes)."""
        written = self.written(sparql, "application/sparql-results+json")
        return ox.parse_query_results(written.body, format=ox.QueryResultsFormat.JSON)

    def written(self, sparql: str, media: str) -> Written:
        """The results of `sparql` written as `media`, every row (a stored query's page is never longer than
        the row limit: its limit is at most that; the lookups and counts are as long as they are)."""
        return evaluate(self.reading, self.workers, sparql, media, self._unlimited)
