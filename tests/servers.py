"""Servers for tests, all on 127.0.0.1: a real `oxigraph serve`, stub endpoints, and a proxy that cuts
uploads. Each starts itself on a free port and stops when its test is done."""

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

OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    def __init__(self, location: Path, port: int | None = None) -> None:
        self.location = location
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return self
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None:
                    raise RuntimeError("oxigraph serve exited at start") from None
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not answer within 20 s")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def count(self, graph: str | None = None) -> int:
        pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        query = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"})
        request = urllib.request.Request(f"{self.base}/query?{query}", headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.read().decode().split()[1])


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(location).start()
    try:
        yield server
    finally:
        server.stop()


class _QuietServer(http.server.ThreadingHTTPServer):
    """A stub server that says nothing when a client goes away mid-answer (the timeout and cut tests do so on
    purpose): socketserver would print the traceback to stderr from its thread, possibly during a later test
    that compares stderr exactly."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]  # socketserver's own types


@contextlib.contextmanager
def stub_server(handle: Callable[[http.server.BaseHTTPRequestHandler], None]) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 whose every request is answered by `handle`; yields its base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            handle(self)

        do_POST = do_PUT = do_GET

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
