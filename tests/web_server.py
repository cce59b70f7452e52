"""A real `erasmus-kg serve` process for tests, on a free port of 127.0.0.1, stopped when the test is done."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx2

from .servers import free_port

ERASMUS_KG = str(Path(sys.executable).parent / "erasmus-kg")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A query that runs for hours on the packaged data (21,581 triples, cubed: 10^13 rows to count; the square
alone takes 130 s), for the time limits of /sparql."""


class WebServer:
    def __init__(self, store: Path, args: Sequence[str] = ()) -> None:
        self.store = store
        self.args = list(args)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> WebServer:
        env = {**os.environ, "ERASMUS_KG_STORE": str(self.store)}
        self.process = subprocess.Popen(
            [ERASMUS_KG, "serve", "--port", str(self.port), *self.args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx2.get(f"{self.base}/", timeout=1)
                return self
            except httpx2.TransportError:
                if self.process.poll() is not None:
                    error = self.process.stderr.read().decode() if self.process.stderr else ""
                    raise RuntimeError(f"erasmus-kg serve exited at start: {error}") from None
                time.sleep(0.1)
        raise RuntimeError("erasmus-kg serve did not answer within 60 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def client(self) -> httpx2.Client:
        return httpx2.Client(base_url=self.base, timeout=30, follow_redirects=False)


@contextlib.contextmanager
def web_server(store: Path, args: Sequence[str] = ()) -> Iterator[WebServer]:
    server = WebServer(store, args).start()
    try:
        yield server
    finally:
        server.stop()


def worker_pids(server: WebServer) -> set[int]:
    """The query worker processes (`web.query_workers`) the server runs now: its children that run
    `erasmus_kg.web.query_workers`, read from /proc."""
    assert server.process is not None
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if (
                int(fields[1]) == server.process.pid
                and b"erasmus_kg.web.query_workers" in (stat.parent / "cmdline").read_bytes()
            ):
                found.add(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
    return found
