"""Servers for tests, all on 127.0.0.1: a real `oxigraph serve`, stub endpoints, and a proxy that cuts
uploads. Each starts itself on a free port and stops when its test is done. `ServerProcess` starts, waits for
and stops every server the tests run as a process (this `oxigraph serve`, and Virtuoso, Jena and
`erasmus-kg serve` in their own modules)."""

from __future__ import annotations

import contextlib
import http.server
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_Server = TypeVar("_Server", bound="ServerProcess")


class ServerProcess:
    """A server the tests run as a process of its own: `start` launches it and waits until it answers (within
    `start_timeout` seconds), `stop` ends it (SIGTERM, then SIGKILL when it has not ended within
    `stop_timeout` seconds), and `with` does both (a server not yet started is started on entering). A
    subclass says what to launch (`launch`) and where it answers (`probe_url`, or `answers` when it is asked
    otherwise), and may do more once it answers (`ready`). A start that fails kills the process and says
    why, with the last lines of the server's `log` where it keeps one."""

    name = "server"
    """How errors name the server ("oxigraph serve")."""
    start_timeout = 20.0
    stop_timeout = 10.0

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def probe_url(self) -> str:
        """A URL that answers 200 once the server is up."""
        raise NotImplementedError

    @property
    def log(self) -> Path | None:
        """The file the server writes its errors to (None: it keeps none)."""
        return None

    def launch(self) -> subprocess.Popen[bytes]:
        """The server's process, just launched."""
        raise NotImplementedError

    def answers(self) -> bool:
        """Whether the server answers now: a GET of `probe_url` that succeeds."""
        try:
            urllib.request.urlopen(self.probe_url, timeout=2).read()
        except (urllib.error.URLError, OSError):
            return False
        return True

    def ready(self) -> None:
        """What to do once the server answers, before `start` returns (nothing here)."""

    def start(self: _Server) -> _Server:
        self.process = self.launch()
        try:
            self._wait(self.process)
            self.ready()
        except BaseException:
            self.kill()
            raise
        return self

    def _wait(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.answers():
                return
            if process.poll() is not None:
                raise RuntimeError(self._why(f"{self.name} exited at start"))
            time.sleep(0.1)
        raise RuntimeError(self._why(f"{self.name} did not answer within {self.start_timeout:g} s"))

    def _why(self, message: str) -> str:
        tail = self.log_tail()
        return message if tail is None else f"{message}: {tail}"

    def log_tail(self) -> str | None:
        """The last lines of `log` on one line, for the error of a failed start (None: the server keeps no
        log)."""
        if self.log is None:
            return None
        try:
            return " | ".join(self.log.read_text("utf-8", "replace").splitlines()[-5:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.released()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.released()

    def released(self) -> None:
        """What the ended process leaves behind, let go (by `kill` and `stop`): its pipes; a subclass adds its
        own."""
        if self.process:
            for pipe in (self.process.stdout, self.process.stderr):
                if pipe:
                    pipe.close()

    def __enter__(self: _Server) -> _Server:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OxigraphServer(ServerProcess):
    """`oxigraph serve` on 127.0.0.1 (a free port unless `port` is given), its database in `location`; with
    `union_default_graph`, its default graph is the union of its graphs (`--union-default-graph`)."""

    name = "oxigraph serve"

    def __init__(self, location: Path, port: int | None = None, *, union_default_graph: bool = False) -> None:
        super().__init__()
        self.location = location
        self.port = port or free_port()
        self.union_default_graph = union_default_graph

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def probe_url(self) -> str:
        return f"{self.query_url}?query=ASK%7B%7D"

    def launch(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                *(OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"),
                *(["--union-default-graph"] if self.union_default_graph else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def count(self, graph: str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"})
        request = urllib.request.Request(f"{self.base}/query?{query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.read().decode().split()[1])


def oxigraph_server(location: Path) -> OxigraphServer:
    """An `OxigraphServer` for `with`: started on entering, stopped on leaving."""
    return OxigraphServer(location)


class _QuietServer(http.server.ThreadingHTTPServer):
    """A stub server that says nothing when a client goes away mid-answer (the timeout and cut tests do so on
    purpose): socketserver would print the traceback to stderr from its thread, possibly during a later test
    that compares stderr exactly."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]  # socketserver's own types


@contextlib.contextmanager
def stub_server(
    handle: Callable[[http.server.BaseHTTPRequestHandler], None], *, keep_alive: bool = False
) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 whose every request is answered by `handle`; yields its base URL. With
    `keep_alive`, it speaks HTTP/1.1 and keeps the connection open, as real servers do (the answer to a
    challenge reuses it), and HEAD requests are handled too."""

    class Handler(http.server.BaseHTTPRequestHandler):
        if keep_alive:
            protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            handle(self)

        do_POST = do_PUT = do_GET
        if keep_alive:
            do_HEAD = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answer(  # type: ignore[no-untyped-def]
    status: int,
    body: bytes = b"",
    content_type: str = "text/plain",
    delay: float = 0.0,
    headers: dict[str, str] | None = None,
):
    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        if length:
            request.rfile.read(length)
        if delay:
            time.sleep(delay)
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        if status == 401:
            request.send_header("WWW-Authenticate", 'Basic realm="test"')
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    return handle


@contextlib.contextmanager
def cutting_proxy(
    target_port: int, cut_after: int, on_cut: Callable[[], None] | None = None
) -> Iterator[int]:
    """A TCP proxy to 127.0.0.1:target_port that closes both sides once a request has sent `cut_after`
    bytes (a server that dies mid-upload, as the client sees it). Yields the proxy's port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def pipe(source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        sent = 0
        try:
            while not stop.is_set():
                data = source.recv(65536)
                if not data:
                    break
                if limit is not None and sent + len(data) > limit:
                    sink.sendall(data[: max(0, limit - sent)])
                    if on_cut:
                        on_cut()
                    break
                sink.sendall(data)
                sent += len(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            upstream = socket.create_connection(("127.0.0.1", target_port))
            threading.Thread(target=pipe, args=(client, upstream, cut_after), daemon=True).start()
            threading.Thread(target=pipe, args=(upstream, client, None), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(5)


# Stub servers for credentials, time limits and row limits (issue 15, parts 3 and 4).


class DigestServer:
    """What `digest_server` records: each request as (method, path with query, how it was authorised: "none",
    "basic", "digest", "bad"), the bodies of the PUTs it accepted by graph, and the bytes of every body it
    read (a PUT sent twice shows twice)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[tuple[str, str, str]] = []
        self.graphs: dict[str, bytes] = {}
        self.read: list[int] = []


@contextlib.contextmanager
def digest_server(
    user: str,
    password: str,
    *,
    basic_trap: bool = False,
    answer_early: bool = False,
    anonymous_head: bool = False,
    realm: str = "erasmus-kg test",
) -> Iterator[DigestServer]:
    """A Graph Store Protocol and SPARQL endpoint on 127.0.0.1 that takes only HTTP Digest (MD5, qop=auth):
    a 401 with its challenge and a text reason (`SQ110: Permission denied`, as Virtuoso says) for anything
    else. `basic_trap`: a Basic header gets a 401 with no challenge at all (Virtuoso 7.2.5's
    /sparql-graph-crud-auth). `answer_early`: a refused request is answered before its body is read and the
    connection closed, as a server does that will not read an upload it refuses. `anonymous_head`: HEAD needs
    no credentials (so an upload meets the challenge itself). An authorised PUT stores its body (204), an
    authorised POST answers an empty SELECT, a HEAD 200."""
    import hashlib
    import json
    import secrets as random
    import urllib.parse as parse

    nonce = random.token_hex(16)

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def verdict(request: http.server.BaseHTTPRequestHandler) -> str:
        header = request.headers.get("Authorization") or ""
        if not header:
            return "none"
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "basic":
            return "basic"
        if scheme.lower() != "digest":
            return "bad"
        fields = dict(urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)))
        expected = md5(
            ":".join(
                [
                    md5(f"{user}:{realm}:{password}"),
                    fields.get("nonce", ""),
                    fields.get("nc", ""),
                    fields.get("cnonce", ""),
                    fields.get("qop", ""),
                    md5(f"{request.command}:{fields.get('uri', '')}"),
                ]
            )
        )
        good = fields.get("username") == user and fields.get("nonce") == nonce
        return "digest" if good and fields.get("response") == expected else "bad"

    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        how = verdict(request)
        recorded.requests.append((request.command, request.path, how))
        length = int(request.headers.get("Content-Length") or 0)
        if how != "digest" and not (anonymous_head and request.command == "HEAD"):
            if not answer_early and length:
                recorded.read.append(len(request.rfile.read(length)))
            body = b"SQ110: Permission denied for the SPARQL user (<b>nobody</b>)\n"
            request.send_response(401)
            if not (basic_trap and how == "basic"):
                request.send_header(
                    "WWW-Authenticate", f'Digest realm="{realm}", nonce="{nonce}", qop="auth", algorithm=MD5'
                )
            request.send_header("Content-Type", "text/plain")
            request.send_header("Content-Length", str(len(body)))
            if answer_early:
                request.send_header("Connection", "close")
            request.end_headers()
            if request.command != "HEAD":
                request.wfile.write(body)
            if answer_early:
                request.close_connection = True
            return
        data = request.rfile.read(length) if length else b""
        if length:
            recorded.read.append(len(data))
        if request.command == "PUT":
            graph = parse.parse_qs(parse.urlsplit(request.path).query).get("graph", [""])[0]
            recorded.graphs[graph] = data
            request.send_response(204)
            request.end_headers()
            return
        answer_body = b""
        if request.command == "POST":
            answer_body = json.dumps({"head": {"vars": ["graph"]}, "results": {"bindings": []}}).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/sparql-results+json")
        request.send_header("Content-Length", str(len(answer_body)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(answer_body)

    with stub_server(handle, keep_alive=True) as base:
        recorded = DigestServer(base)
        yield recorded


@contextlib.contextmanager
def slow_server(*, read_rate: int = 0, trickle: float = 0.0, stall: float = 0.0) -> Iterator[str]:
    """A server that takes its time: `read_rate` > 0 reads a request body at about that many bytes a second
    (an upload to a server that reads slowly); `trickle` > 0 answers 200 with SPARQL results one byte every
    `trickle` seconds; `stall` answers nothing for that long. Each stops at its client's going away."""

    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        if read_rate:
            piece = max(read_rate // 20, 1)
            while length > 0:
                data = request.rfile.read(min(piece, length))
                if not data:
                    return
                length -= len(data)
                time.sleep(0.05)
        elif length:
            request.rfile.read(length)
        if stall:
            time.sleep(stall)
        body = b'{"head": {"vars": []}, "boolean": true}'
        request.send_response(200 if request.command != "PUT" else 204)
        request.send_header("Content-Type", "application/sparql-results+json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        if trickle:
            for byte in body:
                request.wfile.write(bytes([byte]))
                request.wfile.flush()
                time.sleep(trickle)
        else:
            request.wfile.write(body)

    with stub_server(handle) as base:
        yield base


class RowLimitProxy:
    """What `row_limit_proxy` records: the text of each query it passed on."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.queries: list[str] = []


@contextlib.contextmanager
def row_limit_proxy(target: str, max_rows: int) -> Iterator[RowLimitProxy]:
    """A SPARQL endpoint in front of `target` (a real query endpoint, e.g. oxigraph serve's /query) that cuts
    every SELECT answer at `max_rows` rows and says so only in an `X-SPARQL-MaxRows` header, as Virtuoso does
    at its ResultSetMaxRows; LIMIT and OFFSET are evaluated by the real server behind it."""
    import json
    import urllib.parse as parse

    def handle(request: http.server.BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        recorded.queries.append(parse.parse_qs(body.decode()).get("query", [""])[0])
        forwarded = urllib.request.Request(
            target,
            data=body,
            headers={
                "Content-Type": request.headers.get("Content-Type", "application/x-www-form-urlencoded"),
                "Accept": "application/sparql-results+json",
            },
        )
        with urllib.request.urlopen(forwarded, timeout=30) as response:
            document = json.loads(response.read())
        if "results" in document:
            document["results"]["bindings"] = document["results"]["bindings"][:max_rows]
        answer_body = json.dumps(document).encode()
        request.send_response(200)
        request.send_header("Content-Type", "application/sparql-results+json")
        request.send_header("Content-Length", str(len(answer_body)))
        request.send_header("X-SPARQL-MaxRows", str(max_rows))
        request.end_headers()
        request.wfile.write(answer_body)

    with stub_server(handle) as base:
        recorded = RowLimitProxy(base)
        yield recorded
