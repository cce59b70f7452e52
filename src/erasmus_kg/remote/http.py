"""HTTP to a remote triple store: the endpoint URL with its credentials, one request, and the mapping of
every failure to one `EndpointError` line.

Every failure (refused connection, timeout, HTTP 4xx/5xx, a broken connection) is one `EndpointError` line
that names the endpoint without its credentials (`safe_url`). Credentials come from the environment
(ERASMUS_KG_USER and ERASMUS_KG_PASSWORD, or ERASMUS_KG_TOKEN) or a prompt the caller supplies, and never
appear in output. Traffic to a loopback host never goes through a proxy.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from erasmus_kg.errors import EndpointError, EndpointTimeoutError, UsageError, one_line
from erasmus_kg.progress import Readable

DEFAULT_TIMEOUT = 30.0


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
    def from_environment(
        cls, user: str | None = None, prompt: Callable[[str], str] | None = None
    ) -> Credentials:
        """ERASMUS_KG_TOKEN, or `user` (else ERASMUS_KG_USER) with ERASMUS_KG_PASSWORD; without a password
        for a user, `prompt` (given the question to ask) supplies one."""
        token = os.environ.get("ERASMUS_KG_TOKEN") or None
        user = user or os.environ.get("ERASMUS_KG_USER") or None
        password = os.environ.get("ERASMUS_KG_PASSWORD")
        if user is not None and password is None and prompt is not None:
            password = prompt(f"Password for {user}")
        return cls(user=user, password=password, token=token)


class Answer(NamedTuple):
    """What a server answered: the media type of its body, the body, and its headers (names in lower case)."""

    content_type: str
    body: bytes
    headers: Mapping[str, str]


class Endpoint:
    """An HTTP endpoint URL with its credentials; the URL shown to people has no user information."""

    def __init__(
        self, url: str, credentials: Credentials | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{safe_url(url)} is not an http(s) URL")
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
        if is_loopback(parts.hostname):
            handlers.append(urllib.request.ProxyHandler({}))  # never send local traffic through a proxy
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def request(
        self,
        method: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: bytes | Readable | None = None,
        headers: dict[str, str] | None = None,
        length: int | None = None,
        timeout: float | None = None,
        within: float | None = None,
    ) -> Answer:
        """Send one request; return what the server answered. Any failure is an EndpointError, one that runs
        out of time an EndpointTimeoutError. `timeout` bounds each wait on the network (connecting, each
        read); `within` (seconds) bounds the whole exchange as well: the body is read in pieces and the
        request given up at the first piece past it (a server that streams its results as it computes them, as
        Oxigraph's does, never lets a per-read timeout expire)."""
        deadline = None if within is None else time.monotonic() + within
        wait = timeout or self.timeout
        if within is not None:
            wait = min(wait, within)
        url = self.url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, data=body, method=method)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        if length is not None:
            request.add_header("Content-Length", str(length))
        authorization = self.credentials.header()
        if authorization:
            request.add_unredirected_header("Authorization", authorization)
        late = EndpointTimeoutError(f"{self.url}: no answer within {within or wait:g} s")
        try:
            with self._opener.open(request, timeout=wait) as response:
                content_type = response.headers.get_content_type()
                body = _read(response, deadline, late)
                return Answer(content_type, body, {k.lower(): v for k, v in response.headers.items()})
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"{self.url}: {_http_error(exc)}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise late from None
            raise EndpointError(f"{self.url}: cannot connect ({_reason(exc.reason)})") from None
        except TimeoutError:
            raise late from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            raise EndpointError(f"{self.url}: the connection failed ({_reason(exc)})") from None


_PIECE = 1 << 16


def _read(response: http.client.HTTPResponse, deadline: float | None, late: EndpointTimeoutError) -> bytes:
    """The body of `response`, all of it, or `late` raised when `deadline` (monotonic) passes first."""
    if deadline is None:
        return response.read()
    pieces = []
    while piece := response.read1(_PIECE):
        pieces.append(piece)
        if time.monotonic() > deadline:
            raise late
    return b"".join(pieces)


def safe_url(url: str) -> str:
    """`url` without user information, query or fragment, for messages ("the URL" if it cannot be read)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "the URL"
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine: localhost or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    detail = one_line(detail)[:200]
    return f"{status}: {detail}" if detail else status


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return one_line(text)[:200]
