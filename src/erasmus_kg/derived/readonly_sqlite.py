"""Read-only SQLite files of a build (the name index, the search index, the organisation lists), opened on
first use with one connection per file for each thread that reads them.

A build's files never change (a rebuild makes new files in a new build), so they are opened `immutable`: no
locks, no journal. One connection per thread, not one shared by all: Python's sqlite3 serialises every
statement of a connection behind its mutex, so the web server's threads, sharing one, searched one at a time
and used one core of two (`erasmus-kg serve` at 327,000 projects: 41 searches/s; see docs/benchmarks.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3


def open_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to the immutable file at `path` (closed by any thread)."""
    import sqlite3

    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def file_version(path: Path) -> int:
    """The layout version of the file at `path` (its SQLite `user_version`)."""
    connection = open_readonly(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


class PerThread:
    """Connections to the files `paths()` names (listed once, on first use), a list of them per thread;
    `close` closes every one that any thread opened."""

    def __init__(self, paths: Callable[[], list[Path]]) -> None:
        self._paths = paths
        self._listed: list[Path] | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []

    def connections(self) -> list[sqlite3.Connection]:
        """This thread's connections, one per file, in the order of `paths()`."""
        mine: list[sqlite3.Connection] | None = getattr(self._local, "connections", None)
        if mine is None:
            with self._lock:
                if self._listed is None:
                    self._listed = self._paths()
                mine = [open_readonly(path) for path in self._listed]
                self._all += mine
            self._local.connections = mine
        return mine

    def close(self) -> None:
        with self._lock:
            for connection in self._all:
                connection.close()
            self._all = []
            self._listed = None
            self._local = threading.local()
