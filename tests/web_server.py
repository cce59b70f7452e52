"""A real `erasmus-kg serve` process for tests, on a free port of 127.0.0.1, stopped when the test is done."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import httpx2

from .servers import ServerProcess, free_port

ERASMUS_KG = str(Path(sys.executable).parent / "erasmus-kg")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
"""A query that runs for hours on the packaged data (21,581 triples, cubed: 10^13 rows to count; the square
alone takes 130 s), for the time limits of /sparql."""


class WebServer(ServerProcess):
    """`erasmus-kg serve` on a free port of 127.0.0.1 over the store in `store`, with more options in `args`;
    its stderr goes to a log file of its own (a pipe nobody reads would block a server that writes more than
    the pipe holds), whose last lines name why a start failed. The file is removed when the server stops."""

    name = "erasmus-kg serve"
    start_timeout = 60.0

    def __init__(self, store: Path, args: Sequence[str] = ()) -> None:
        super().__init__()
        self.store = store
        self.args = list(args)
        self.port = free_port()
        self._log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def probe_url(self) -> str:
        return f"{self.base}/"

    @property
    def log(self) -> Path | None:
        return self._log

    def launch(self) -> subprocess.Popen[bytes]:
        env = {**os.environ, "ERASMUS_KG_STORE": str(self.store)}
        handle, name = tempfile.mkstemp(prefix="erasmus-kg-serve-", suffix=".log")
        self._log = Path(name)
        with os.fdopen(handle, "wb") as log:
            return subprocess.Popen(
                [ERASMUS_KG, "serve", "--port", str(self.port), *self.args],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def released(self) -> None:
        """The pipes, and the log file, which has said what it could (`ServerProcess.start`'s error)."""
        super().released()
        if self._log is not None:
            self._log.unlink(missing_ok=True)
            self._log = None

    def client(self) -> httpx2.Client:
        return httpx2.Client(base_url=self.base, timeout=30, follow_redirects=False)


def web_server(store: Path, args: Sequence[str] = ()) -> WebServer:
    """A `WebServer` for `with`: started on entering, stopped on leaving."""
    return WebServer(store, args)


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
