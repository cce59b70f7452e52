"""Where a query sent to `/sparql` runs, and for how long: on the embedded store in a worker process that is
killed at the time limit (`web.query_workers`); on a remote endpoint (`--endpoint`) over HTTP, given up at
the time limit (`Endpoint.request(within=...)`). Either way the answer is the results written and cut at
the row limit (`web.sparql_results`), or a `TimeLimitError` (503)."""

from __future__ import annotations

from erasmus_kg.errors import EndpointTimeoutError, TimeLimitError
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
    text = limited(query, form, config.row_limit)
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
