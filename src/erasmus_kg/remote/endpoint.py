"""Remote SPARQL endpoints: the HTTP client, credentials, and a query target over the SPARQL 1.1 Protocol.

The same stored queries run remotely as on the embedded store: the bound query text (a VALUES block of RDF
terms, see `binding`) is sent as is. The query's default graph is the union of the graphs `erasmus-kg load`
put on the server, read from the manifest graph it writes there, and passed as `default-graph-uri`
parameters, so no server configuration (union default graph) is needed. Without a manifest the server's own
default graph is used.

Every failure (refused connection, timeout, HTTP 4xx/5xx, an answer that is not SPARQL results) is one
`EndpointError` line that names the endpoint without its credentials. Credentials come from the environment
(ERASMUS_KG_USER and ERASMUS_KG_PASSWORD, or ERASMUS_KG_TOKEN) or a prompt, and never appear in output.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.errors import EndpointError, UsageError
from erasmus_kg.namespaces import GRAPH

MANIFEST_GRAPH = GRAPH + "manifest"
"""The graph in which `erasmus-kg load --endpoint` lists the graphs it loaded (dcterms:hasPart)."""

DEFAULT_TIMEOUT = 30.0

_RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials: basic (user and password) or a bearer token. Their repr hides the secrets."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password={'***' if self.password else None}, token=***)"

    def header(self) -> str | None:
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    @classmethod
    def from_environment(cls, user: str | None = None, prompt: bool = False) -> Credentials:
        token = os.environ.get("ERASMUS_KG_TOKEN") or None
        user = user or os.environ.get("ERASMUS_KG_USER") or None
        password = os.environ.get("ERASMUS_KG_PASSWORD")
        if user is not None and password is None and prompt:
            import click

            password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        return cls(user=user, password=password, token=token)


class Endpoint:
    """An HTTP endpoint URL with its credentials; the URL shown to people has no user information."""

    def __init__(
        self, url: str, credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{_safe(url)} is not an http(s) URL")
        credentials = credentials or Credentials()
        if parts.username is not None and credentials.user is None and credentials.token is None:
            credentials = Credentials(
                user=urllib.parse.unquote(parts.username),
                password=urllib.parse.unquote(parts.password or ""),
            )
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port:
            netloc += f":{parts.port}"
        self.url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        self.credentials = credentials
        self.timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if _is_loopback(parts.hostname):
            handlers.append(urllib.request.ProxyHandler({}))  # never send local traffic through a proxy
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def request(
        self,
        method: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: bytes | BinaryIO | None = None,
        headers: dict[str, str] | None = None,
        length: int | None = None,
        timeout: float | None = None,
    ) -> tuple[str, bytes]:
        """Send one request; return (content type, body). Any failure is an EndpointError."""
        url = self.url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, data=body, method=method)  # type: ignore[arg-type]
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if length is not None:
            request.add_header("Content-Length", str(length))
        authorization = self.credentials.header()
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                content_type = response.headers.get_content_type()
                return content_type, response.read()
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"{self.url}: {_http_error(exc)}") from None
        except urllib.error.URLError as exc:
            raise EndpointError(f"{self.url}: cannot connect ({_reason(exc.reason)})") from None
        except TimeoutError:
            raise EndpointError(f"{self.url}: no answer within {timeout or self.timeout:g} s") from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise EndpointError(f"{self.url}: the connection failed ({_reason(exc)})") from None


class EndpointTarget:
    """A query target on a SPARQL 1.1 Protocol query endpoint."""

    def __init__(self, endpoint: Endpoint, default_graphs: list[str] | None = None) -> None:
        self.endpoint = endpoint
        self.default_graphs = default_graphs or []

    def query(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean:
        params = [("query", sparql), *(("default-graph-uri", g) for g in self.default_graphs)]
        content_type, body = self.endpoint.request(
            "POST",
            body=urllib.parse.urlencode(params).encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/sparql-results+xml;q=0.9",
            },
        )
        result_format = _RESULT_TYPES.get(content_type)
        if result_format is None:
            raise EndpointError(
                f"{self.endpoint.url}: answered {content_type or 'no content type'}, not SPARQL results "
                "(is it the query endpoint, e.g. /query, /<dataset>/sparql or /repositories/<id>?)"
            )
        try:
            results = ox.parse_query_results(body, format=result_format)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"{self.endpoint.url}: the SPARQL results cannot be read ({exc})") from None
        if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):  # pragma: no cover - defensive
            raise EndpointError(f"{self.endpoint.url}: only SELECT and ASK queries run remotely")
        return results


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


def _http_error(exc: urllib.error.HTTPError) -> str:
    status = f"HTTP {exc.code} {exc.reason}".rstrip()
    if exc.code in (401, 403):
        return (
            f"{status}: check the credentials (ERASMUS_KG_USER and ERASMUS_KG_PASSWORD, or ERASMUS_KG_TOKEN)"
        )
    try:
        detail = exc.read(500).decode("utf-8", "replace")
    except OSError:
        detail = ""
    detail = " ".join(detail.split())[:200]
    return f"{status}: {detail}" if detail else status


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return " ".join(str(text).split())[:200]


def _safe(url: str) -> str:
    """A URL with any user information removed, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "the URL"
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
