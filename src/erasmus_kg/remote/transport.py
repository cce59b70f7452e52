"""The HTTP client under `remote.http`: httpx2 (HTTP/1.1 by h11, TLS with the system's certificates), with
every network wait bounded by the time left to the request as a whole, and the authentication flows.

Written for httpx2 / httpcore2 2.16 and only through their public extension points: an `httpx2.Auth` flow, an
`httpx2.BaseTransport` over an `httpcore2.ConnectionPool` (or `HTTPProxy`) whose `network_backend` is ours.

- **A deadline for the whole request.** httpx's timeouts bound each wait on the network (connecting, each
  write, each read), so an upload to a server that reads a little at a time, or an answer trickled a few bytes
  a second, never ends (a 2 GB upload at 100 kB/s: 6 hours, whatever the timeout). `deadline` (a context
  variable set by `Endpoint.request` for its exchange, so concurrent requests of `serve` each have their own)
  is checked by every network operation of `_DeadlineStream`, which gives each operation only the time left,
  and sends in pieces on the socket itself so that one slow write cannot outlast it.
- **Credentials by challenge.** `ChallengeAuth` sends the first request without credentials and answers the
  challenge the server gives (`WWW-Authenticate: Digest` by httpx2's `DigestAuth`, `Basic` by `BasicAuth`),
  then sends that answer up front with every later request (Digest: the server's nonce with the next nonce
  count), so that an upload is sent once, not twice. Virtuoso's `/sparql-graph-crud-auth` gives no challenge
  when a Basic header came first: sending nothing first is what makes it answer with its Digest challenge.
- **An early answer.** A server that answers 401 or 413 before it has read the upload and closes the
  connection: httpcore stops writing at the broken pipe and reads the answer the server sent (if any), so the
  user sees the server's status, not "broken pipe".
"""

from __future__ import annotations

import contextvars
import re
import socket
import ssl
import time
import urllib.parse
import urllib.request
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import httpcore2
import httpx2

deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("erasmus_kg_deadline", default=None)
"""The monotonic time by which the current request must be done (None: no limit beyond each timeout)."""

_PIECE = 16_384
"""Bytes sent per system call: a piece takes at most the time left, however slowly the server reads."""


def _bounded(timeout: float | None, timed_out: type[Exception]) -> float | None:
    """`timeout`, shortened to the time left before the deadline; `timed_out` raised when none is left."""
    end = deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise timed_out("the request ran out of time")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    def __init__(self, stream: httpcore2.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore2.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        sock = self._stream.get_extra_info("socket")
        if not isinstance(sock, socket.socket):  # TLS inside a proxy's TLS: no socket of its own
            view = memoryview(buffer)
            for start in range(0, len(view), _PIECE):
                self._stream.write(
                    bytes(view[start : start + _PIECE]), _bounded(timeout, httpcore2.WriteTimeout)
                )
            return
        view = memoryview(buffer)
        while view:
            sock.settimeout(_bounded(timeout, httpcore2.WriteTimeout))
            try:
                sent = sock.send(view[:_PIECE])
            except TimeoutError as exc:
                raise httpcore2.WriteTimeout(exc) from exc
            except OSError as exc:
                raise httpcore2.WriteError(exc) from exc
            view = view[sent:]

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore2.NetworkStream:
        bounded = _bounded(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore2.NetworkBackend):
    def __init__(self) -> None:
        self._backend = httpcore2.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        bounded = _bounded(timeout, httpcore2.ConnectTimeout)
        return _DeadlineStream(self._backend.connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:  # pragma: no cover - endpoints are URLs
        return _DeadlineStream(self._backend.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:  # pragma: no cover - no retries are configured
        self._backend.sleep(seconds)


class _Body(httpx2.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class Transport(httpx2.BaseTransport):
    """httpx2's transport, on our network backend: a connection pool, through the environment's proxy
    (http_proxy, https_proxy, no_proxy) unless `direct` (loopback traffic never goes through one)."""

    def __init__(self, url: str, *, direct: bool) -> None:
        parts = urllib.parse.urlsplit(url)
        context = httpx2.create_ssl_context() if parts.scheme == "https" else None
        proxy = None if direct else _proxy_for(parts.scheme, parts.hostname or "")
        pool: httpcore2.ConnectionPool
        if proxy is None:
            pool = httpcore2.ConnectionPool(ssl_context=context, network_backend=_DeadlineBackend())
        else:
            proxy_parts = urllib.parse.urlsplit(proxy)
            auth = None
            if proxy_parts.username is not None:
                auth = (
                    urllib.parse.unquote(proxy_parts.username),
                    urllib.parse.unquote(proxy_parts.password or ""),
                )
            netloc = proxy_parts.hostname or ""
            if proxy_parts.port:
                netloc += f":{proxy_parts.port}"
            pool = httpcore2.HTTPProxy(
                proxy_url=urllib.parse.urlunsplit((proxy_parts.scheme or "http", netloc, "/", "", "")),
                proxy_auth=auth,
                ssl_context=context,
                network_backend=_DeadlineBackend(),
            )
        self._pool = pool

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        assert isinstance(request.stream, Iterable)
        core = httpcore2.Request(
            method=request.method,
            url=httpcore2.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        answer = self._pool.handle_request(core)
        assert isinstance(answer.stream, Iterable)
        return httpx2.Response(
            status_code=answer.status,
            headers=answer.headers,
            stream=_Body(answer.stream),
            extensions=answer.extensions,
        )

    def close(self) -> None:
        self._pool.close()


def _proxy_for(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme` (http_proxy, https_proxy), unless no_proxy exempts
    `host`."""
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    return proxy if "://" in proxy else f"http://{proxy}"


class Refused(Exception):
    """The auth flow will not send the credentials the server asks for; `reason` says why (for one line)."""

    def __init__(self, reason: str, *, usage: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage
        """Whether the user can change it by an option (an insecure scheme): a usage error."""


class ChallengeAuth(httpx2.Auth):
    """User and password sent as the server asks. `scheme`: "auto" (Digest or Basic, as the challenge says;
    Digest when both are offered), "digest" (only Digest) or "basic" (Basic up front, no challenge awaited).
    `clear_ok`: whether Basic may be sent (https, a loopback host, --allow-insecure-auth); otherwise a Basic
    challenge is `Refused` before anything is sent. After the first challenge answered, `scheme_used` names
    the scheme and every later request carries it up front."""

    def __init__(self, user: str, password: str, scheme: str, *, clear_ok: bool) -> None:
        self._user = user
        self._password = password
        self._scheme = scheme
        self._clear_ok = clear_ok
        self._chosen: httpx2.Auth | None = httpx2.BasicAuth(user, password) if scheme == "basic" else None
        self.scheme_used: str | None = "Basic" if scheme == "basic" else None
        self.challenge_seen = False
        """Whether the server answered 401 with a challenge (for the message of a final 401)."""

    def auth_flow(self, request: httpx2.Request) -> Generator[httpx2.Request, httpx2.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = _schemes(response)
        self.challenge_seen = bool(offered)
        if "digest" in offered:
            digest = httpx2.DigestAuth(self._user, self._password)
            self._chosen, self.scheme_used = digest, "Digest"
            flow = digest.auth_flow(request)
            next(flow)  # without a challenge yet: the request as it was
            try:
                request = flow.send(response)
            except StopIteration:  # pragma: no cover - DigestAuth answers every Digest challenge
                return
            while True:
                response = yield request
                try:
                    request = flow.send(response)
                except StopIteration:
                    return
        if "basic" in offered:
            if self._scheme == "digest":
                raise Refused(
                    "the server asks for Basic authentication, and --auth digest sends only Digest "
                    "(use --auth basic or --auth auto to send Basic)",
                    usage=True,
                )
            if not self._clear_ok:
                raise Refused(INSECURE_BASIC, usage=True)
            self._chosen, self.scheme_used = httpx2.BasicAuth(self._user, self._password), "Basic"
            yield from self._chosen.auth_flow(request)
            return
        if offered:
            names = ", ".join(sorted(offered))
            raise Refused(
                f"HTTP 401: the server asks for {names} authentication, which erasmus-kg cannot give"
            )


INSECURE_BASIC = (
    "Basic authentication would send the password in clear over plain http to a host other than this "
    "machine: use an https URL, --auth digest if the server takes it, or --allow-insecure-auth to send it "
    "anyway"
)


def _schemes(response: httpx2.Response) -> set[str]:
    """The authentication schemes a 401 offers (lower case): the first word of each challenge."""
    offered = set()
    for header in response.headers.get_list("www-authenticate"):
        for part in header.split(","):
            words = part.strip().split(None, 1)
            if words and _TOKEN.fullmatch(words[0]):  # not a parameter (`nonce="..."`) of the challenge
                offered.add(words[0].lower())
    return offered


_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
