"""Stored queries on a remote SPARQL endpoint: a query target over the SPARQL 1.1 Protocol.

The same stored queries run remotely as on the embedded store: the bound query text (a VALUES block of RDF
terms, see `erasmus_kg.query.binding`) is sent as is. The query's default graph is the union of the graphs
`erasmus-kg load` put on the server, read from the manifest graph it writes there (`MANIFEST_GRAPH`), and
passed as `default-graph-uri` parameters, so no server configuration (union default graph) is needed.
Without a manifest the server's own default graph is used. An answer that is not SPARQL results is one
`EndpointError` line, like every HTTP failure (see `erasmus_kg.remote.http`).
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from erasmus_kg.errors import EndpointError
from erasmus_kg.namespaces import GRAPH
from erasmus_kg.remote.http import DEFAULT_TIMEOUT, Credentials, Endpoint

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.derived.names import NameIndex

MANIFEST_GRAPH = GRAPH + "manifest"
"""The graph in which `erasmus-kg load --endpoint` lists the graphs it loaded (dcterms:hasPart)."""

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


class EndpointTarget:
    """A query target on a SPARQL 1.1 Protocol query endpoint."""

    def __init__(self, endpoint: Endpoint, default_graphs: list[str] | None = None) -> None:
        self.endpoint = endpoint
        self.default_graphs = default_graphs or []
        self.names: NameIndex | None = None  # no name index remotely: values are resolved by SPARQL

    def query(self, sparql: str, *, within: float | None = None) -> ox.QuerySolutions | ox.QueryBoolean:
        """The results of `sparql`; `within` (seconds) bounds the whole exchange, an EndpointTimeoutError past
        it (see `Endpoint.request`)."""
        params = [("query", sparql), *(("default-graph-uri", g) for g in self.default_graphs)]
        content_type, body, answered = self.endpoint.request(
            "POST",
            body=urllib.parse.urlencode(params).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
            },
            within=within,
        )
        result_format = _RESULT_TYPES.get(content_type)
        if result_format is None:
            raise EndpointError(
                f"{self.endpoint.url}: answered {content_type or 'no content type'}, not SPARQL results "
                "(is it the query endpoint, e.g. /query, /<dataset>/sparql or /repositories/<id>?)"
            )
        _check_row_limit(self.endpoint.url, sparql, answered, body, result_format)
        try:
            results = ox.parse_query_results(body, format=result_format)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.endpoint.url}: the SPARQL results cannot be read ({exc})") from None
        if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):  # pragma: no cover - defensive
            raise EndpointError(f"{self.endpoint.url}: only SELECT and ASK queries run remotely")
        return results


def _check_row_limit(
    url: str, sparql: str, answered: Mapping[str, str], body: bytes, result_format: ox.QueryResultsFormat
) -> None:
    """EndpointError when the server cut the results at its own row limit (Virtuoso says so only in an
    `X-SPARQL-MaxRows` header): as many rows as the limit, where the query asked for more (no LIMIT of its
    own, or a greater one). An answer cut without a word would be taken for the whole answer."""
    written = answered.get("x-sparql-maxrows", "").strip()
    if not written.isdigit():
        return
    limit = int(written)
    if _rows_in(body, result_format) < limit:
        return
    asked = _query_limit(sparql)
    if asked is not None and asked <= limit:
        return
    raise EndpointError(
        f"{url}: the server cut the answer at its row limit of {limit} rows (X-SPARQL-MaxRows), and the "
        f"query asks for more; ask for pages of at most {limit} rows (--limit, --offset) or raise the "
        "server's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)"
    )


def _rows_in(body: bytes, result_format: ox.QueryResultsFormat) -> int:
    """How many solutions a SPARQL results document holds (0 for a boolean answer)."""
    results = ox.parse_query_results(body, format=result_format)
    return sum(1 for _ in results) if isinstance(results, ox.QuerySolutions) else 0


def _query_limit(sparql: str) -> int | None:
    """The LIMIT of the query's outermost level (the last LIMIT of its text), None without one."""
    from erasmus_kg.query.binding import tokens

    words = [word for _, word in tokens(sparql)]
    for keyword, value in zip(reversed(words[:-1]), reversed(words[1:]), strict=True):
        if keyword.upper() == "LIMIT" and value.isdigit():
            return int(value)
    return None


def loaded_graphs(target: EndpointTarget) -> list[str]:
    """The graphs `erasmus-kg load` listed in the manifest graph on the server ([] when there is none)."""
    from erasmus_kg.query.binding import bind
    from erasmus_kg.query.catalogue import internal_query

    results = target.query(
        bind(internal_query("loaded-graphs"), {"manifest": [ox.NamedNode(MANIFEST_GRAPH)]})
    )
    assert isinstance(results, ox.QuerySolutions)
    return [row["graph"].value for row in results]


@contextlib.contextmanager
def open_endpoint(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[EndpointTarget]:
    """A query target on `url`, with credentials from the environment and the loaded graphs as default."""
    endpoint = Endpoint(url, Credentials.from_environment(), timeout=timeout)
    probe = EndpointTarget(endpoint)
    yield EndpointTarget(endpoint, loaded_graphs(probe))
