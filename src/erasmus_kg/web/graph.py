"""What the web server reads: the embedded store's current build, or a remote SPARQL endpoint.

Every request reads one `Reading` for its whole duration (`GraphAccess.reading()`), so a page never mixes
two builds. On the embedded store the open build is shared by all requests: opening a read-only store costs
8-30 ms on a 327,000-project build, more than a project page may take. Each request first reads the store's
pointer (one small file); when an import or rebuild has published a new build, new requests open and read
that one, while requests already running finish on the old build, which is closed (and so released to the
store's garbage collector) when the last of them ends. No request fails because of a switch.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from erasmus_kg.derived.names import NameIndex
from erasmus_kg.derived.search_index import SearchIndex
from erasmus_kg.query.targets import StoreTarget, Target
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.manifest import GraphInfo

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.remote.http import Credentials


@dataclass
class Reading:
    """One build (or endpoint) as one request reads it. `build_dir` holds the build's side files (name
    and search indexes); it is None on a remote endpoint, which has none, as `search` is (the full-text
    index, `derived.search_index`)."""

    target: Target
    build_dir: Path | None = None
    build_id: str | None = None
    search: SearchIndex | None = None


class GraphAccess(Protocol):
    """Where a server's requests read the graph."""

    def reading(self) -> contextlib.AbstractContextManager[Reading]: ...

    def graphs(self) -> list[GraphInfo]:
        """The named graphs and where each comes from ([] when that is not known, as remotely)."""
        ...

    def close(self) -> None: ...


@dataclass
class _OpenBuild:
    reading: Reading
    stack: contextlib.ExitStack
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class EmbeddedAccess:
    """The current build of the embedded store at `root` (the default store when None), shared across
    requests and switched when a new build is published."""

    def __init__(self, root: Path | None = None) -> None:
        self.store = DefaultStore(root)
        self.store.ensure()  # build (or bring up to date) once, before the first request
        self._lock = threading.Lock()
        self._open: _OpenBuild | None = None

    def reading(self) -> contextlib.AbstractContextManager[Reading]:
        return self._reading()

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Reading]:
        opened = self._acquire()
        try:
            yield opened.reading
        finally:
            self._release(opened)

    def _acquire(self) -> _OpenBuild:
        current = self.store.builds.current_id()
        with self._lock:
            opened = self._open
            if opened is None or opened.reading.build_id != current:
                fresh = self._open_current()
                if opened is not None:
                    opened.retired = True
                    if opened.users == 0:
                        opened.stack.close()
                self._open = opened = fresh
            opened.users += 1
            return opened

    def _release(self, opened: _OpenBuild) -> None:
        with self._lock:
            opened.users -= 1
            if opened.retired and opened.users == 0:
                opened.stack.close()

    def _open_current(self) -> _OpenBuild:
        stack = contextlib.ExitStack()
        try:
            reader, build_dir = stack.enter_context(self.store.open_build())
            names = stack.enter_context(NameIndex(build_dir))
            search = stack.enter_context(SearchIndex(build_dir))
        except BaseException:
            stack.close()
            raise
        index = search if search.available else None
        reading = Reading(StoreTarget(reader, names, index), build_dir, build_dir.name, index)
        return _OpenBuild(reading, stack)

    def graphs(self) -> list[GraphInfo]:
        return self.store.graphs()

    def close(self) -> None:
        with self._lock:
            if self._open is not None:
                self._open.retired = True
                if self._open.users == 0:
                    self._open.stack.close()
                self._open = None


class EndpointAccess:
    """A remote SPARQL endpoint (`erasmus-kg load --endpoint` put the graph there): every request queries
    it; values are resolved by SPARQL, as `erasmus-kg query --endpoint` does."""

    def __init__(
        self,
        url: str,
        *,
        credentials: Credentials | None = None,
        auth: str = "auto",
        allow_insecure_auth: bool = False,
        union_default_graph: bool = False,
    ) -> None:
        from erasmus_kg.remote.sparql import open_endpoint

        self._stack = contextlib.ExitStack()
        opened = open_endpoint(
            url,
            credentials=credentials,
            auth=auth,
            allow_insecure_auth=allow_insecure_auth,
            union_default_graph=union_default_graph,
        )
        self._reading = Reading(self._stack.enter_context(opened))

    @contextlib.contextmanager
    def reading(self) -> Iterator[Reading]:
        yield self._reading

    def graphs(self) -> list[GraphInfo]:
        return []

    def close(self) -> None:
        self._stack.close()


def open_access(
    root: Path | None,
    endpoint: str | None,
    *,
    credentials: Credentials | None = None,
    auth: str = "auto",
    allow_insecure_auth: bool = False,
    union_default_graph: bool = False,
) -> GraphAccess:
    """The endpoint at `endpoint` when given (with `credentials`, sent as `auth` says: `remote.http`; its
    default graph the union of its graphs when `union_default_graph`), else the embedded store at `root`."""
    if endpoint is not None:
        return EndpointAccess(
            endpoint,
            credentials=credentials,
            auth=auth,
            allow_insecure_auth=allow_insecure_auth,
            union_default_graph=union_default_graph,
        )
    return EmbeddedAccess(root)
