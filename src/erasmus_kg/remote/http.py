"""HTTP to a remote triple store: the endpoint URL with its credentials, one request, and the mapping of
every failure to one `EndpointError` line.

Every failure (refused connection, timeout, HTTP 4xx/5xx, a broken connection) is one `EndpointError` line
that names the endpoint without its credentials (`safe_url`); a 401 or 403 gives the server's reason (its
status line and a short excerpt of its answer, sanitised: one line, printable, never a whole page, and never
the credentials). Credentials come from the environment (ERASMUS_KG_USER and ERASMUS_KG_PASSWORD, or
ERASMUS_KG_TOKEN), the URL's user information or a prompt the caller supplies, and never appear in output.

How they are sent (`auth`): "auto" sends the first request without them and answers the challenge the server
gives, Digest or Basic; "digest" answers only a Digest challenge; "basic" sends Basic up front. A password
is never sent in clear (Basic) and a token never (Bearer) over plain http to a host other than this machine
unless the user allows it (`allow_insecure_auth`, the CLI's --allow-insecure-auth); Digest sends no password
and is allowed. `timeout` bounds each request as a whole, an upload included (`remote.transport`). Traffic to
a loopback host never goes through a proxy.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from erasmus_kg.errors import EndpointError, EndpointTimeoutError, UsageError, one_line

if TYPE_CHECKING:  # pragma: no cover
    import httpx2

    from erasmus_kg.progress import Meter
    from erasmus_kg.remote.transport import ChallengeAuth

DEFAULT_TIMEOUT = 30.0
AUTH_SCHEMES = ("auto", "basic", "digest")
"""How a user and password are sent (see the module's docstring)."""


@dataclass(frozen=True)
class Credentials:
    """HTTP credentials: a user and password, or a bearer token. Their repr hides the secrets."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password={'***' if self.password else None}, token=***)"

    def secrets(self) -> list[str]:
        """Every form in which the secrets could appear in a server's answer, to blank out of messages."""
        found = [s for s in (self.password, self.token) if s]
        if self.user is not None and self.password:
            pair = f"{self.user}:{self.password}"
            found += [
                pair,
                base64.b64encode(pair.encode()).decode("ascii"),
                urllib.parse.quote(self.password),
            ]
        return sorted(set(found), key=len, reverse=True)

    @classmethod
    def from_environment(
        cls, user: str | None = None, prompt: Callable[[str], str] | None = None
    ) -> Credentials:
        """ERASMUS_KG_TOKEN, or `user` (else ERASMUS_KG_USER) with ERASMUS_KG_PASSWORD; without a password
        for a user, `prompt` (given the question to ask) supplies one."""
        import os

        token = os.environ.get("ERASMUS_KG_TOKEN") or None
        user = user or os.environ.get("ERASMUS_KG_USER") or None
        password = os.environ.get("ERASMUS_KG_PASSWORD")
        if user is not None and password is None and prompt is not None:
            password = prompt(f"Password for {user}")
        return cls(user=user, password=password, token=token)


@dataclass
class Upload:
    """A request body read from a file in pieces, from its start each time it is sent (a server's challenge
    answered sends it again), never held in memory; `meter` counts the bytes sent (restarted on a resend)."""

    path: Path
    meter: Meter | None = None
    size: int = field(init=False)
    sent: int = field(init=False, default=0)
    """Bytes handed to the connection in the current sending."""

    def __post_init__(self) -> None:
        self.size = self.path.stat().st_size

    def __iter__(self) -> Iterator[bytes]:
        if self.sent and self.meter is not None:
            self.meter.restart()
        self.sent = 0
        with self.path.open("rb") as body:
            while piece := body.read(1 << 16):
                self.sent += len(piece)
                if self.meter is not None:
                    self.meter.advance(len(piece))
                yield piece


class Answer(NamedTuple):
    """What a server answered: the media type of its body, the body, and its headers (names in lower case)."""

    content_type: str
    body: bytes
    headers: Mapping[str, str]


class Endpoint:
    """An HTTP endpoint URL with its credentials and how to send them; the URL shown to people has no user
    information. A UsageError at once for credentials that would go in clear (see the module's docstring)."""

    def __init__(
        self,
        url: str,
        credentials: Credentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        *,
        auth: str = "auto",
        allow_insecure_auth: bool = False,
    ) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - a bad port is a ValueError here, not later
        except ValueError:
            raise UsageError(f"{safe_url(url)} is not an http(s) URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"{safe_url(url)} is not an http(s) URL")
        if auth not in AUTH_SCHEMES:
            raise UsageError(f"--auth: expected one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
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
        self.auth = auth
        self._loopback = is_loopback(parts.hostname)
        clear_ok = parts.scheme == "https" or self._loopback or allow_insecure_auth
        if credentials.token:
            if auth != "auto":
                raise UsageError(
                    f"--auth {auth} sends a user and password, but ERASMUS_KG_TOKEN is set: a token is sent "
                    "as a bearer token (unset ERASMUS_KG_TOKEN to use a user and password)"
                )
            if not clear_ok:
                raise UsageError(
                    f"{self.url}: a bearer token (ERASMUS_KG_TOKEN) would be sent in clear over plain http "
                    "to a host other than this machine: use an https URL, or --allow-insecure-auth to send "
                    "it anyway"
                )
        elif credentials.user is None and auth != "auto":
            raise UsageError(
                f"--auth {auth} needs a user and password: ERASMUS_KG_USER (or --user) and "
                "ERASMUS_KG_PASSWORD"
            )
        elif credentials.user is not None and auth == "basic" and not clear_ok:
            from erasmus_kg.remote.transport import INSECURE_BASIC

            raise UsageError(f"{self.url}: {INSECURE_BASIC}")
        self._clear_ok = clear_ok
        self._client: httpx2.Client | None = None
        self._auth: ChallengeAuth | None = None

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _connect(self) -> httpx2.Client:
        if self._client is None:
            import httpx2

            from erasmus_kg.remote.transport import ChallengeAuth, Transport

            if self.credentials.user is not None and not self.credentials.token:
                self._auth = ChallengeAuth(
                    self.credentials.user, self.credentials.password or "", self.auth, clear_ok=self._clear_ok
                )
            self._client = httpx2.Client(
                transport=Transport(self.url, direct=self._loopback),
                auth=self._auth,
                follow_redirects=False,
                trust_env=False,  # the transport picks the proxy; no netrc
            )
        return self._client

    def request(
        self,
        method: str,
        *,
        params: list[tuple[str, str]] | None = None,
        body: bytes | Upload | None = None,
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        within: float | None = None,
    ) -> Answer:
        """Send one request; return what the server answered. Any failure is an EndpointError, one that runs
        out of time an EndpointTimeoutError. `timeout` (default: the endpoint's) bounds the whole exchange,
        connecting, sending, the server's work and reading its answer; `within` bounds it more tightly (the
        web server's time limit)."""
        from erasmus_kg.remote import transport

        limit = timeout or self.timeout
        if within is not None:
            limit = min(limit, within)
        url = self.url
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        sent_headers = dict(headers or {})
        if self.credentials.token:
            sent_headers["Authorization"] = f"Bearer {self.credentials.token}"
        reset = transport.deadline.set(time.monotonic() + limit)
        try:
            client = self._connect()
            if isinstance(body, Upload):
                sent_headers["Content-Length"] = str(body.size)
                self._learn_challenge(client, url, sent_headers, limit)
            request = client.build_request(
                method, url, content=body, headers=sent_headers, timeout=_timeouts(limit)
            )
            return self._exchange(client, request)
        except transport.Refused as exc:
            raise (UsageError if exc.usage else EndpointError)(f"{self.url}: {exc.reason}") from None
        except EndpointError:
            raise
        except Exception as exc:
            raise self._failure(exc, limit, body) from None
        finally:
            transport.deadline.reset(reset)

    def _learn_challenge(
        self, client: httpx2.Client, url: str, headers: dict[str, str], limit: float
    ) -> None:
        """Before an upload, when credentials go by challenge and none was answered yet: a HEAD request to the
        same URL, so that the server's challenge is answered there and the upload is sent once, with the
        answer, instead of once without it and again (a whole graph, twice). Its status does not matter, but
        for a 401 to the credentials the challenge asked for: then they are wrong, and nothing is uploaded."""
        if self._auth is None or self._auth.scheme_used is not None:
            return
        probe_headers = {
            k: v for k, v in headers.items() if k.lower() not in ("content-length", "content-type")
        }
        request = client.build_request("HEAD", url, headers=probe_headers, timeout=_timeouts(limit))
        response = client.send(request)
        response.close()
        if response.status_code == 401 and self._auth.scheme_used is not None:
            raise EndpointError(f"{self.url}: {self._http_error(response, b'')}")

    def _exchange(self, client: httpx2.Client, request: httpx2.Request) -> Answer:
        response = client.send(request, stream=True)
        try:
            if response.status_code >= 300:
                detail = b""
                for piece in response.iter_bytes():
                    detail += piece
                    if len(detail) >= _DETAIL_BYTES:
                        break
                raise EndpointError(f"{self.url}: {self._http_error(response, detail)}")
            body = b"".join(response.iter_bytes())
            content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return Answer(content_type, body, {k.lower(): v for k, v in response.headers.items()})
        finally:
            response.close()

    def _http_error(self, response: httpx2.Response, detail: bytes) -> str:
        secrets = self.credentials.secrets()
        reason = _clean(response.reason_phrase, secrets, 60)
        status = f"HTTP {response.status_code} {reason}".rstrip()
        excerpt = _excerpt(response.headers.get("content-type", ""), detail, secrets)
        code = response.status_code
        if code in (401, 403):
            said = f': the server says "{excerpt}"' if excerpt else ""
            return f"{status}{said}; {self._refusal(response)}"
        if 300 <= code < 400:
            moved = safe_url(urllib.parse.urljoin(self.url, response.headers.get("location", "")))
            where = f" to {moved}" if response.headers.get("location") else ""
            return f"{status}: the endpoint has moved{where} (give that URL; redirects are not followed)"
        if code == 413:
            return f"{status}: {excerpt + '; ' if excerpt else ''}the server refused the upload as too large"
        return f"{status}: {excerpt}" if excerpt else status

    def _refusal(self, response: httpx2.Response) -> str:
        """What a 401 or 403 means for the credentials given, and what to do."""
        give = "give ERASMUS_KG_USER and ERASMUS_KG_PASSWORD, or --user, or ERASMUS_KG_TOKEN"
        scheme = self._auth.scheme_used if self._auth is not None else None
        if self.credentials.token:
            sent: str | None = "the bearer token (ERASMUS_KG_TOKEN)"
        elif self.credentials.user is not None and scheme:
            sent = f"the user and password sent by {scheme} authentication"
        else:
            sent = None
        if response.status_code == 403:
            if sent is None and self.credentials.user is not None:  # by challenge, and none came
                return (
                    "the server refuses this without credentials and asked for none (no 401 challenge): try "
                    "--auth basic to send them up front"
                )
            if sent is None:
                return f"the server refuses this to anonymous users: {give}"
            return (
                f"the server refuses this to {sent}: check the credentials and their rights on the server "
                '(Virtuoso: GRANT SPARQL_UPDATE TO "user" for load)'
            )
        if sent is not None and scheme == "Basic" and not response.headers.get("www-authenticate"):
            return (
                f"the server refused {sent} and gave no challenge: it may take only Digest (Virtuoso's "
                "/sparql-graph-crud-auth does, and gives no challenge after a Basic header): use --auth "
                "digest or --auth auto"
            )
        if sent is not None:
            return f"the server refused {sent}: check the credentials"
        if self.credentials.user is not None:  # by challenge, and the server named no scheme
            return (
                "the server asks for credentials but names no scheme (no WWW-Authenticate): try --auth basic"
            )
        return f"the endpoint needs credentials: {give}"

    def _failure(self, exc: Exception, limit: float, body: bytes | Upload | None) -> EndpointError:
        """The one line for a failure of the exchange (not an HTTP status)."""
        import httpcore2
        import httpx2

        upload = body if isinstance(body, Upload) else None
        during = upload is not None and upload.sent < upload.size
        if isinstance(exc, httpcore2.TimeoutException | httpx2.TimeoutException):
            if upload is not None and during:
                return EndpointTimeoutError(
                    f"{self.url}: the upload was not done within {limit:g} s ({_size(upload.sent)} of "
                    f"{_size(upload.size)} sent; --timeout)"
                )
            if upload is not None:
                return EndpointTimeoutError(
                    f"{self.url}: the upload of {_size(upload.size)} was sent, and no answer came within "
                    f"{limit:g} s (--timeout)"
                )
            return EndpointTimeoutError(f"{self.url}: no answer within {limit:g} s (--timeout)")
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(exc, httpcore2.ConnectError | httpx2.ConnectError):
            return EndpointError(f"{self.url}: cannot connect ({_reason(cause)})")
        closed = isinstance(exc, httpcore2.RemoteProtocolError | httpx2.RemoteProtocolError) and (
            "disconnected" in str(exc)
        )
        reset = isinstance(cause, ConnectionError)
        if closed or reset:
            if upload is not None and during:
                return EndpointError(
                    f"{self.url}: the server closed the connection during the upload "
                    f"({_size(upload.sent)} of {_size(upload.size)} sent) without an HTTP answer"
                )
            return EndpointError(f"{self.url}: the server closed the connection without an HTTP answer")
        if isinstance(exc, OSError):
            return EndpointError(f"{self.url}: the connection failed ({_reason(exc)})")
        if isinstance(exc, httpcore2.NetworkError | httpcore2.ProtocolError | httpx2.HTTPError):
            return EndpointError(f"{self.url}: the connection failed ({_reason(cause)})")
        raise exc  # not a failure of the exchange: a bug, reported as one


_DETAIL_BYTES = 65_536
"""Bytes of an error answer read for its excerpt (an HTML page's text may come after its styles)."""
_EXCERPT = 200
"""Characters of a server's answer shown in an error line, at most."""


def _timeouts(limit: float) -> httpx2.Timeout:
    import httpx2

    return httpx2.Timeout(limit)


def _excerpt(content_type: str, body: bytes, secrets: list[str]) -> str:
    """A one-line excerpt of an error answer's text (the text of an HTML page, not its markup), "" for a body
    that is not text."""
    media, _, rest = content_type.partition(";")
    media = media.strip().lower()
    charset = "utf-8"
    for param in rest.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    try:
        text = body.decode(charset, "replace")
    except LookupError:
        text = body.decode("utf-8", "replace")
    if media in ("text/html", "application/xhtml+xml") or (not media and text.lstrip().startswith("<")):
        text = _page_text(text)
    elif not (media.startswith("text/") or media.endswith(("json", "xml")) or not media):
        return ""
    return _clean(text, secrets, _EXCERPT)


def _clean(text: str, secrets: list[str], length: int) -> str:
    """`text` as one printable line of at most `length` characters, every secret blanked out."""
    text = one_line("".join(ch if ch.isprintable() else " " for ch in text))
    for secret in secrets:
        text = text.replace(secret, "***")
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _page_text(page: str) -> str:
    """The text an HTML page shows (its title first), without markup, scripts or styles."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self._hidden = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self._hidden += tag in ("script", "style")

        def handle_endtag(self, tag: str) -> None:
            self._hidden -= tag in ("script", "style") and self._hidden > 0

        def handle_data(self, data: str) -> None:
            if not self._hidden and data.strip():
                self.parts.append(data.strip())

    reader = Text()
    reader.feed(page)
    reader.close()
    parts: list[str] = []
    for part in reader.parts:  # a page's title is often repeated as its heading
        if not parts or parts[-1] != part:
            parts.append(part)
    return " ".join(parts)


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


def safe_url(url: str) -> str:
    """`url` without user information, query or fragment, for messages ("the URL" if it cannot be read)."""
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        return "the URL"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if port:
        host += f":{port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine: localhost or a loopback address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = getattr(reason, "strerror", None) or str(reason)
    return one_line(text)[:200]
