"""Stored queries on a remote SPARQL endpoint: a query target over the SPARQL 1.1 Protocol.

The same stored queries run remotely as on the embedded store: the bound query text (a VALUES block of RDF
terms, see `erasmus_kg.query.binding`) is sent as is. The query's default graph is the union of the graphs
`erasmus-kg load` put on the server, read from the manifest graph it writes there (`MANIFEST_GRAPH`), and
passed as `default-graph-uri` parameters, so no server configuration (union default graph) is needed.
Without a manifest, or with `union_default_graph` (--union-default-graph: the server makes its default graph
the union of its graphs, which Jena answers far faster than a dataset named graph by graph), the server's own
default graph is used. An answer that is not SPARQL results is one
`EndpointError` line, like every HTTP failure (see `erasmus_kg.remote.http`).

An answer the server cut at its own row limit (Virtuoso says so only in an `X-SPARQL-MaxRows` header, and
cuts at 10,000 rows by default) is never taken for the whole answer: it is asked for again in pages of that
many rows (`binding.with_slice`, the same LIMIT/OFFSET as --limit and --offset) when the query's order makes
the pages fit together (`query.ordering`); otherwise it is an error, or a warning with the rows returned when
the query asked for a page (its own LIMIT) that the server cut. Virtuoso sorts at most MaxSortedTopRows rows
for a page (OFFSET + LIMIT; 10,000 by default, as its row limit): past it, the one-line error names both
settings.
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from erasmus_kg.errors import EndpointError, EndpointTimeoutError, UsageError
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
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples as older servers label it
}
_GRAPH_ACCEPT = (("application/n-triples", 1.0), ("text/turtle", 0.9), ("application/rdf+xml", 0.5))
_SORT_LIMIT = "SR353"
"""Virtuoso's error for a sort past its MaxSortedTopRows (OFFSET + LIMIT of a sorted query, 10,000 by
default): "SR353: Sorted TOP clause specifies more then 20000 rows to sort"."""


class EndpointTarget:
    """A query target on a SPARQL 1.1 Protocol query endpoint. `warn` is given the warnings of a query (an
    answer the server cut, where a page was asked; default: Python's `warnings`)."""

    def __init__(
        self,
        endpoint: Endpoint,
        default_graphs: list[str] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.default_graphs = default_graphs or []
        self.names: NameIndex | None = None  # no name index remotely: values are resolved by SPARQL
        self.warn = warn or _warn

    def query(
        self, sparql: str, *, within: float | None = None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The results of `sparql`; `within` (seconds) bounds the whole exchange, an EndpointTimeoutError past
        it (see `Endpoint.request`). An answer the server cut at its row limit is fetched again in pages of
        that many rows when the query's order allows it (`query.ordering`), and is otherwise an EndpointError,
        or a warning when the query asked for a page (a LIMIT) larger than the server's limit. A CONSTRUCT or
        a DESCRIBE answers its triples (`_graph`)."""
        from erasmus_kg.query.adhoc import query_form

        if query_form(sparql) in ("CONSTRUCT", "DESCRIBE"):
            return self._graph(sparql, within)
        started = time.monotonic()
        answer = self._ask(sparql, within)
        limit = _row_limit(answer.headers)
        if limit is None or answer.rows < limit:
            return answer.results()
        asked = _query_limit(sparql)
        if asked is not None and asked <= limit:
            return answer.results()
        from erasmus_kg.query.ordering import unordered

        why_not = unordered(sparql)
        if why_not is None:
            return self._pages(sparql, limit, asked, within, started)
        cut = f"the server cut the answer at its row limit of {limit:,} rows (X-SPARQL-MaxRows)"
        if asked is not None:
            self.warn(
                f"{self.endpoint.url}: {cut}: it returned {answer.rows:,} of the {asked:,} rows asked for, "
                f"and the rest cannot be fetched in pages since {why_not}; ask for pages of at most "
                f"{limit:,} rows (--limit, --offset)"
            )
            return answer.results()
        raise EndpointError(
            f"{self.endpoint.url}: {cut}, and the query asks for more, which cannot be fetched in pages "
            f"since {why_not}; ask for pages of at most {limit:,} rows (--limit, --offset) or raise the "
            "server's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)"
        )

    def _ask(self, sparql: str, within: float | None) -> _Answer:
        content_type, body, answered = self._post(
            sparql, "application/sparql-results+json, application/sparql-results+xml;q=0.9", within
        )
        result_format = _RESULT_TYPES.get(content_type)
        if result_format is None:
            raise EndpointError(
                f"{self.endpoint.url}: answered {content_type or 'no content type'}, not SPARQL results "
                "(is it the query endpoint, e.g. /query, /<dataset>/sparql or /repositories/<id>?)"
            )
        return _Answer(self.endpoint.url, body, result_format, answered)

    def _post(self, sparql: str, accept: str, within: float | None) -> tuple[str, bytes, Mapping[str, str]]:
        """One query by POST (SPARQL 1.1 Protocol, form-encoded, the loaded graphs as default graphs):
        the answer's content type, body and headers."""
        params = [("query", sparql), *(("default-graph-uri", g) for g in self.default_graphs)]
        return self.endpoint.request(
            "POST",
            body=urllib.parse.urlencode(params).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            within=within,
        )

    def _graph(self, sparql: str, within: float | None) -> ox.QueryTriples:
        """The triples a CONSTRUCT or DESCRIBE answers, as pyoxigraph's own results of one (the server's graph
        read into an in-memory store and asked for every triple: the same type as the embedded store's, so
        every caller writes them alike). A graph the server cut at its row limit is an EndpointError: a graph
        has no order to fetch it in pages by."""
        accept = ", ".join(f"{media};q={q}" if q < 1 else media for media, q in _GRAPH_ACCEPT)
        content_type, body, answered = self._post(sparql, accept, within)
        rdf_format = _GRAPH_TYPES.get(content_type)
        if rdf_format is None:
            raise EndpointError(
                f"{self.endpoint.url}: answered {content_type or 'no content type'} to a CONSTRUCT or "
                "DESCRIBE, not RDF (N-Triples, Turtle or RDF/XML)"
            )
        graph = ox.Store()
        try:
            graph.load(body, format=rdf_format)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(
                f"{self.endpoint.url}: the graph it answered cannot be read ({exc})"
            ) from None
        limit = _row_limit(answered)
        if limit is not None and len(graph) >= limit:
            raise EndpointError(
                f"{self.endpoint.url}: the server cut the graph at its row limit of {limit:,} triples "
                "(X-SPARQL-MaxRows); a narrower CONSTRUCT, or the server's limit raised (Virtuoso: "
                "ResultSetMaxRows in virtuoso.ini), gives it whole"
            )
        triples = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert isinstance(triples, ox.QueryTriples)
        return triples

    def _pages(
        self, sparql: str, size: int, asked: int | None, within: float | None, started: float
    ) -> ox.QuerySolutions:
        """The whole answer of `sparql`, asked for in pages of `size` rows (LIMIT/OFFSET by
        `binding.with_slice`, at most `asked` rows in all), each within the time left of `within`."""
        from erasmus_kg.query.binding import with_slice

        head: list[str] = []
        rows: list[object] = []
        previous: object = None
        offset = 0
        while asked is None or offset < asked:
            left = None if within is None else within - (time.monotonic() - started)
            if left is not None and left <= 0:
                raise EndpointTimeoutError(f"{self.endpoint.url}: no answer within {within:g} s")
            try:
                page = self._ask(with_slice(sparql, size, offset), left)
            except EndpointError as exc:
                if offset and _SORT_LIMIT in str(exc):
                    raise EndpointError(
                        f"{self.endpoint.url}: the server cut the answer at its row limit of {size:,} rows "
                        f"(X-SPARQL-MaxRows), and refuses to sort more than {size:,} rows for the next page "
                        f"({_SORT_LIMIT}); raise its sort limit above the rows of the whole answer "
                        "(Virtuoso: MaxSortedTopRows in the [Parameters] section of virtuoso.ini) or its "
                        "row limit (ResultSetMaxRows in [SPARQL]), or ask for at most the first "
                        f"{size:,} rows (--limit)"
                    ) from None
                raise
            head, bindings = page.bindings()
            if len(bindings) > size or (offset and bindings and bindings[0] == previous):
                raise EndpointError(
                    f"{self.endpoint.url}: the server cut the answer at its row limit of {size:,} rows "
                    "(X-SPARQL-MaxRows), and does not honour LIMIT and OFFSET, so it cannot be fetched in "
                    "pages either; raise the server's limit (Virtuoso: ResultSetMaxRows in virtuoso.ini)"
                )
            rows += bindings
            if len(bindings) < size:
                break
            previous = bindings[0]
            offset += size
        document = {"head": {"vars": head}, "results": {"bindings": rows}}
        results = ox.parse_query_results(
            json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON
        )
        assert isinstance(results, ox.QuerySolutions)
        return results


class _Answer:
    """One answer of the endpoint: SPARQL results in `result_format`, parsed once, on demand."""

    def __init__(
        self, url: str, body: bytes, result_format: ox.QueryResultsFormat, headers: Mapping[str, str]
    ) -> None:
        self.url = url
        self.body = body
        self.format = result_format
        self.headers = headers
        self._rows: int | None = None

    def results(self) -> ox.QuerySolutions | ox.QueryBoolean:
        try:
            results = ox.parse_query_results(self.body, format=self.format)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.url}: the SPARQL results cannot be read ({exc})") from None
        if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):  # pragma: no cover - defensive
            raise EndpointError(f"{self.url}: only SELECT and ASK queries run remotely")
        return results

    @property
    def rows(self) -> int:
        """How many solutions the answer holds (0 for a boolean answer)."""
        if self._rows is None:
            results = self.results()
            self._rows = sum(1 for _ in results) if isinstance(results, ox.QuerySolutions) else 0
        return self._rows

    def bindings(self) -> tuple[list[str], list[object]]:
        """The answer's variables and rows as SPARQL 1.1 Results JSON (the rows to put pages together)."""
        results = self.results()
        if not isinstance(results, ox.QuerySolutions):
            raise EndpointError(f"{self.url}: answered a boolean where rows were asked for")
        document = json.loads(results.serialize(format=ox.QueryResultsFormat.JSON) or b"{}")
        return list(document["head"]["vars"]), list(document["results"]["bindings"])


def _row_limit(answered: Mapping[str, str]) -> int | None:
    """The row limit the server says it applied (Virtuoso: `X-SPARQL-MaxRows`), None when it says none."""
    written = answered.get("x-sparql-maxrows", "").strip()
    return int(written) if written.isascii() and written.isdigit() and int(written) > 0 else None


def _warn(message: str) -> None:
    import warnings

    warnings.warn(message, stacklevel=3)


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
def open_endpoint(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    credentials: Credentials | None = None,
    auth: str = "auto",
    allow_insecure_auth: bool = False,
    union_default_graph: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Iterator[EndpointTarget]:
    """A query target on `url`, with `credentials` (default: from the environment) sent as `auth` says
    (`remote.http`), the loaded graphs as default (or the server's own default graph, the union of its
    graphs, with `union_default_graph`), and `warn` for warnings (see `EndpointTarget`)."""
    endpoint = Endpoint(
        url,
        credentials if credentials is not None else Credentials.from_environment(),
        timeout=timeout,
        auth=auth,
        allow_insecure_auth=allow_insecure_auth,
    )
    with contextlib.closing(endpoint):
        probe = EndpointTarget(endpoint, warn=warn)
        graphs = loaded_graphs(probe)
        if union_default_graph and graphs and not _default_graph_is_union(probe):
            raise UsageError(
                f"{endpoint.url}: --union-default-graph, but the server's default graph is not the union of "
                f"its graphs (the {len(graphs)} graphs `erasmus-kg load` put there are not in it): leave the "
                "option out, or make the server's default graph the union (Fuseki: tdb2:unionDefaultGraph "
                "true; oxigraph serve --union-default-graph)"
            )
        yield EndpointTarget(endpoint, [] if union_default_graph else graphs, warn=warn)


def _default_graph_is_union(target: EndpointTarget) -> bool:
    """Whether the server's default graph, as a query that names none sees it, holds the manifest graph's
    triples (the graphs `erasmus-kg load` put there are then in it: it is their union)."""
    from erasmus_kg.query.binding import bind
    from erasmus_kg.query.catalogue import internal_query

    answer = target.query(
        bind(internal_query("default-graph-is-union"), {"manifest": [ox.NamedNode(MANIFEST_GRAPH)]})
    )
    return isinstance(answer, ox.QueryBoolean) and bool(answer)
