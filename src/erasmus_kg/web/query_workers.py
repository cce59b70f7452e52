"""Queries sent to `/sparql`, evaluated on the embedded store in worker processes, so that one that runs over
its time limit can be stopped.

pyoxigraph cannot interrupt a query it is evaluating, and a thread cannot be stopped from outside; a process
can. Each worker is a Python process of its own (`python -c` running `serve()`: it inherits none of the
server's threads, sockets or open stores) that answers one job at a time: the query, the build to read it on,
the media type and the row limit; it answers the written results (`web.sparql_results.write`: the evaluation
and the writing both happen there, as pyoxigraph evaluates while results are read). Jobs and answers are
pickled over a socket pair (`_Channel`), between processes of the same program.

- A request takes an idle worker, starting one when fewer than `size` exist, and waits at most the time
  limit for one to be free; it then hands over its job and waits at most the time limit for the answer.
  Past it, the worker is killed (SIGKILL: it only reads, so there is nothing to clean up), a new one is
  started in the background, and the request gets a `TimeLimitError` (503). A request waiting for a worker
  when every one is busy gets a `TimeLimitError` at the limit, but not while a replacement is starting: that
  one is free as soon as it is ready (~0.3 s). A worker that dies otherwise (out of memory, a crash) is
  replaced the same way; its job goes to another worker, within the same time, when it had been waiting idle
  (it may have died before the job came), and is answered 500 when it died evaluating it.
- The job names the build its request reads, and the request holds that build for the job's duration. A
  worker keeps the build it last read open for its next job (opening a build of 327,000 projects costs
  8-30 ms) under a reader lock of its own (`store.builds.hold_build`), and opens the named one when a job
  names another: a rebuild or an import while serving switches the workers as it switches the requests
  (`web.graph`). A worker with no job for `IDLE_RELEASE` seconds closes its build, so that an idle worker
  does not keep a replaced build from being collected.
- Workers are started on the first query (a server that is never sent one starts none), and each counts as
  ready only once its imports are done, so that the time limit measures the query alone. `close()` (the
  application's shutdown) kills them all. Each runs in a session of its own, so that Ctrl+C in the server's
  terminal reaches the server (which ends them) and not them, half-started, with a traceback; and each
  exits within `_ORPHAN_CHECK` seconds of its server's death, even in the middle of a query (pyoxigraph
  releases the GIL while it evaluates, so a watching thread runs).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from erasmus_kg.errors import MemoryLimitError, TimeLimitError, UsageError, one_line
from erasmus_kg.web.sparql_results import Written

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

log = logging.getLogger("erasmus_kg.web")

IDLE_RELEASE = 30.0
"""Seconds without a job after which a worker closes the build it holds."""
_START_SECONDS = 60.0
"""How long a new worker may take to import what it needs and say it is ready."""
_ORPHAN_CHECK = 1.0
"""How often a worker looks whether its server is still there."""
_READY = "ready"
_ENTRY = (
    "import sys; from erasmus_kg.web.query_workers import serve; serve(int(sys.argv[1]), int(sys.argv[2]))"
)


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text that runs (prefixes declared, row limit applied), the directory of the
    build to read, the media type to write and the row limit to cut at."""

    query: str
    build_dir: str
    media: str
    row_limit: int


class QueryWorkers:
    """At most `size` worker processes, started when first needed, shared by the requests of one server."""

    def __init__(self, size: int, memory_mb: int = 0) -> None:
        if size < 1:
            raise ValueError(f"at least one query worker is needed, not {size}")
        self.size = size
        self.memory_mb = memory_mb
        """The memory each worker may use (its `RLIMIT_DATA`, in MB); 0: no limit."""
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._launched: set[_Worker] = set()
        self._starting = 0
        """Workers being started for the request that will use them."""
        self._replacing = 0
        """Workers being started in the background to replace stopped ones (idle once ready)."""
        self._closed = False

    def run(self, job: Job, seconds: float) -> Written:
        """The answer to `job` from a worker, within `seconds` of waiting for a free worker and `seconds` of
        evaluation. TimeLimitError past either; UsageError for a query the worker's store refuses.

        A worker taken idle that turns out to be gone (killed while it waited; its death is not always
        visible at once: a process whose threads are still exiting is not yet reaped) is replaced and the job
        given to another within the same time, as an HTTP client sends an idempotent request again on a
        fresh connection when a kept-alive one has closed: the job only reads."""
        deadline: float | None = None
        while True:
            worker, reused = self._take(seconds)
            if deadline is None:
                deadline = time.monotonic() + seconds  # the evaluation's time, once a worker is there
            try:
                reply = self._ask(worker, job, deadline, seconds)
                break
            except _WorkerGone as gone:
                if worker.process.returncode == -signal.SIGABRT and self.memory_mb:
                    raise self._over_memory() from None  # the allocator's abort: a Rust allocation failed
                if reused and time.monotonic() < deadline:
                    continue
                raise RuntimeError(f"the query worker ended while it evaluated the query ({gone})") from None
        assert isinstance(reply, tuple) and len(reply) == 2
        kind, value = reply
        if kind == "written":
            assert isinstance(value, Written)
            return value
        if kind == "usage":
            raise UsageError(str(value))
        if kind == "memory":
            raise self._over_memory()
        raise RuntimeError(f"the query failed in its worker: {value}")

    def _ask(self, worker: _Worker, job: Job, deadline: float, seconds: float) -> object:
        """`worker`'s reply to `job` by `deadline`; the worker given back, or killed and replaced when it
        did not answer (TimeLimitError past the deadline, _WorkerGone when it ended)."""
        finished = False
        try:
            try:
                worker.channel.send(job)
                if not worker.channel.poll(max(0.0, deadline - time.monotonic())):
                    raise TimeLimitError(
                        f"the query ran for more than {seconds:g} s, the time limit of this endpoint, and "
                        "was stopped; a narrower query (a bound value, a LIMIT) may finish in time"
                    )
                reply = worker.channel.recv()
            except (EOFError, OSError) as exc:
                raise _WorkerGone(repr(exc)) from None
            finished = True
        finally:
            if finished:
                self._give_back(worker)
            else:
                self._replace(worker)
        return reply

    def _over_memory(self) -> MemoryLimitError:
        return MemoryLimitError(
            f"the query needed more than {self.memory_mb:,} MB, the memory a query may use on this endpoint, "
            "and was stopped; a narrower query (a bound value, a LIMIT, fewer rows to sort or group) may fit"
        )

    def pids(self) -> list[int]:
        """The process ids of the workers now running (for `erasmus-kg serve`'s tests and for people)."""
        with self._changed:
            return sorted(w.process.pid for w in self._all)

    def close(self) -> None:
        """End every worker, busy or idle; a request still waiting on one gets an error."""
        with self._changed:
            self._closed = True
            idle, self._idle = self._idle, []
            busy = (self._all - set(idle)) | self._launched
            self._all.clear()
            self._changed.notify_all()
        for worker in idle:
            worker.stop()
        for worker in busy:
            worker.kill()  # its request sees the channel close, and stops it

    def _take(self, seconds: float) -> tuple[_Worker, bool]:
        """A worker for one job, and whether it was idle (rather than started for it)."""
        deadline = time.monotonic() + seconds
        with self._changed:
            while True:
                if self._closed:
                    raise RuntimeError("the query workers have been closed")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.process.poll() is None:
                        return worker, True
                    self._all.discard(worker)  # died while idle
                    worker.stop()
                if len(self._all) + self._starting + self._replacing < self.size:
                    self._starting += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._changed.wait(remaining)
                elif self._replacing:  # one will be free as soon as it has started: nobody is running it
                    self._changed.wait()
                else:
                    raise TimeLimitError(
                        f"every query worker ({self.size}) was busy for {seconds:g} s, the time limit of "
                        "this endpoint, so the query was not started"
                    )
        return self._start(replacing=False), False

    def _start(self, *, replacing: bool) -> _Worker:
        """A new worker, ready and counted in `_all` (the caller counted it in `_replacing` or `_starting`).
        While it starts it is in `_launched`, so that `close()` kills it too."""
        worker: _Worker | None = None
        try:
            with self._changed:
                if not self._closed:
                    worker = _Worker(self.memory_mb)
                    self._launched.add(worker)
            if worker is not None:
                worker.wait_ready()
        except BaseException:
            with self._changed:
                self._count_started(replacing)
                if worker is not None:
                    self._launched.discard(worker)
                self._changed.notify_all()
            if worker is not None:
                worker.stop()
            raise
        with self._changed:
            self._count_started(replacing)
            if worker is not None:
                self._launched.discard(worker)
            if worker is not None and not self._closed:
                self._all.add(worker)
                return worker
        if worker is not None:
            worker.stop()
        raise RuntimeError("the query workers have been closed")

    def _count_started(self, replacing: bool) -> None:
        if replacing:
            self._replacing -= 1
        else:
            self._starting -= 1

    def _give_back(self, worker: _Worker) -> None:
        with self._changed:
            if worker in self._all:
                self._idle.append(worker)
                self._changed.notify_all()  # those past their time limit may give up now
                return
        worker.stop()  # closed meanwhile

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and start another in the background, so that the next query need not wait for it."""
        worker.stop()
        with self._changed:
            self._all.discard(worker)
            if self._closed or len(self._all) + self._starting + self._replacing >= self.size:
                self._changed.notify_all()  # a place is free: a waiting request may start its own
                return
            self._replacing += 1
        threading.Thread(target=self._refill, name="erasmus-kg query worker start", daemon=True).start()

    def _refill(self) -> None:
        try:
            worker = self._start(replacing=True)
        except Exception as exc:  # the next request starts one itself
            if not self._closed:
                log.warning("a query worker could not be started: %s", one_line(exc))
            return
        self._give_back(worker)


class _WorkerGone(Exception):
    """A worker's channel closed before it answered: the worker has ended."""


class _Channel:
    """Pickled messages over one end of a socket pair, each sent as its length (8 bytes) and its pickle."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.sock.sendall(struct.pack("!Q", len(data)) + data)

    def poll(self, seconds: float | None) -> bool:
        """Whether a message (or the end of the channel) can be read within `seconds` (None: however long)."""
        waiting = select.poll()  # not select.select: the server may hold more than 1024 descriptors
        waiting.register(self.sock, select.POLLIN)
        return bool(waiting.poll(None if seconds is None else max(0, int(seconds * 1000))))

    def recv(self) -> object:
        """The next message; EOFError when the other end has closed."""
        (size,) = struct.unpack("!Q", self._exactly(8))
        return pickle.loads(self._exactly(size))

    def _exactly(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            piece = self.sock.recv(min(size - len(data), 1 << 20))
            if not piece:
                raise EOFError("the other end closed the channel")
            data += piece
        return bytes(data)

    def close(self) -> None:
        self.sock.close()


class _Worker:
    """One worker process (started when constructed, with at most `memory_mb` of memory; 0: no limit) and
    this end of its channel."""

    def __init__(self, memory_mb: int = 0) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _ENTRY, str(theirs.fileno()), str(memory_mb)],
                pass_fds=(theirs.fileno(),),
                env={**os.environ, "RUST_BACKTRACE": "0"},  # a failed allocation: one line, not a backtrace
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.channel = _Channel(ours)

    def wait_ready(self) -> None:
        """Wait until the worker says it is ready; RuntimeError (and the worker stopped) if it does not."""
        try:
            ready = self.channel.poll(_START_SECONDS) and self.channel.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self.process.poll()
            self.stop()
            why = f"it ended with {code}" if code is not None else f"not ready within {_START_SECONDS:g} s"
            raise RuntimeError(f"a query worker did not start ({why})")

    def kill(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.process.kill()

    def stop(self) -> None:
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self.channel.close()


def serve(fd: int, memory_mb: int = 0) -> None:
    """A worker's life (`_ENTRY`): limit its memory to `memory_mb` (0: no limit), say it is ready on the
    socket `fd`, then answer jobs until it closes.

    The limit is `RLIMIT_DATA` (the heap and private anonymous mappings, not the store's files that RocksDB
    maps), set once the imports are done. Past it, an allocation of pyoxigraph's fails and aborts the
    process (SIGABRT: Rust's handler of a failed allocation), which the server reads as a query over its
    memory; one of Python's raises MemoryError, answered the same."""
    from erasmus_kg.store.builds import hold_build  # the worker's own imports, done before it is ready
    from erasmus_kg.web.sparql_results import write

    if memory_mb:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    _exit_when_orphaned()
    channel = _Channel(socket.socket(fileno=fd))
    try:
        channel.send(_READY)
    except OSError:  # the server is gone already
        return
    held = contextlib.ExitStack()
    held_dir: str | None = None
    store: ox.Store | None = None
    try:
        while True:
            if store is not None and not channel.poll(IDLE_RELEASE):
                held.close()  # idle: let a replaced build be collected
                store, held_dir = None, None
                continue
            try:
                job = channel.recv()
            except (EOFError, OSError):  # the server closed the channel, or is gone
                return
            assert isinstance(job, Job)
            try:
                if job.build_dir != held_dir:
                    held.close()
                    store, held_dir = None, None
                    store = held.enter_context(hold_build(Path(job.build_dir)))
                    held_dir = job.build_dir
                assert store is not None
                results = store.query(job.query, use_default_graph_as_union=True)
                reply: tuple[str, object] = ("written", write(results, job.media, job.row_limit))
            except SyntaxError as exc:
                reply = ("usage", f"the SPARQL query is not valid: {one_line(exc.msg)}")
            except UsageError as exc:
                reply = ("usage", str(exc))
            except MemoryError:
                reply = ("memory", "")
            except Exception as exc:
                reply = ("failed", f"{type(exc).__name__}: {one_line(exc)}")
            try:
                channel.send(reply)
            except OSError:
                return
    finally:
        held.close()


def _exit_when_orphaned() -> None:
    """End this process when its parent (the server) is gone, whatever it is doing."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_ORPHAN_CHECK)
        os._exit(1)

    threading.Thread(target=watch, name="erasmus-kg orphan check", daemon=True).start()
