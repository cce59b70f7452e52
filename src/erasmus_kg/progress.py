"""A progress line on the terminal, drawn by rich (`rich.progress`): rows read and rows per second for an
import, bytes sent of a total for an upload.

A meter is shown only when its stream (stderr by default) is a terminal, or when it is forced with
`enabled=True`; otherwise nothing is printed and rich is not even imported. rich is imported when a meter is
first shown, never at import time, so no command pays for it at start-up (`erasmus-kg query` never does).

    with Meter("import prp export.csv") as meter:      # rows, rows/s
        for row in meter.track(rows): ...

    with Meter(graph, unit="bytes", total=size) as meter, path.open("rb") as body:
        send(meter.reader(body))                       # bytes of the total, %, MB/s, time left

The steps of a long command that counts nothing (the build after an import's rows are read: loading,
deriving, indexing) are lines of their own, each with a spinner while it runs and its time when done. The
library names its steps where the work is done (`step`); a command shows them by running inside `Steps`:

    with Steps():                                      # e.g. in the `import` command
        ...
        with step("building the search index"):        # e.g. in `derived.build`: a no-op outside `Steps`
            ...
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from contextvars import ContextVar, Token
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol, TextIO, TypeVar

if TYPE_CHECKING:  # pragma: no cover
    from rich.progress import Progress, ProgressColumn, TaskID

Unit = Literal["rows", "bytes"]
_Item = TypeVar("_Item")

REFRESHES_PER_SECOND = 2


class Readable(Protocol):
    """What `Meter.reader` wraps and what it is: a binary stream that can be read."""

    def read(self, size: int = -1, /) -> bytes: ...


class Meter:
    """One progress line: `label`, then what was done so far (`advance`), until `done` (or the end of a
    `with` block).

    `unit` "rows" shows the count and the rate; "bytes" with a `total` shows a bar, the bytes done of the
    total, the percentage, the rate and the time left. `stream` defaults to stderr; `enabled` None shows the
    meter when the stream is a terminal, True forces it, False hides it. `count` is what was done, shown or
    not.
    """

    def __init__(
        self,
        label: str,
        *,
        unit: Unit = "rows",
        total: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.label = label
        self.count = 0
        stream = stream if stream is not None else sys.stderr
        shown = stream.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        if shown:
            self._progress = _progress(unit, stream)
            self._task = self._progress.add_task(label, total=total)
            self._progress.start()

    def advance(self, amount: int = 1) -> None:
        """Count `amount` more rows (or bytes)."""
        self.count += amount
        if self._progress is not None:
            assert self._task is not None
            self._progress.advance(self._task, amount)

    def restart(self) -> None:
        """Start counting again from 0 (an upload sent again from its start)."""
        self.count = 0
        if self._progress is not None:
            assert self._task is not None
            self._progress.reset(self._task)

    def track(self, items: Iterable[_Item]) -> Iterator[_Item]:
        """The items, counting one row for each as it is taken."""
        for item in items:
            self.advance()
            yield item

    def reader(self, body: Readable) -> MeteredReader:
        """`body`, counting the bytes read from it."""
        return MeteredReader(body, self)

    def done(self) -> None:
        """Draw the line a last time and leave it on the terminal (a second call does nothing)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self) -> Meter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.done()


class Steps:
    """Where the steps (`step`) of the code run inside it are shown: one line each on `stream` (stderr by
    default), when it is a terminal or `enabled` is True; otherwise nothing is printed. rich is imported when
    the first step starts, never before."""

    def __init__(self, *, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._shown = self._stream.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        self._running = 0
        self._token: Token[Steps | None] | None = None
        self.done: list[str] = []
        """The steps finished so far, shown or not."""

    @contextlib.contextmanager
    def run(self, description: str) -> Iterator[None]:
        """One step: its line while it runs, its time when it ends (also when it fails). Lines are drawn only
        while a step runs, so that a `Meter` may be shown between two steps (rich draws one at a time)."""
        task = None
        if self._shown:
            if self._progress is None:
                self._progress = _steps_progress(self._stream)
                self._progress.start()
            task = self._progress.add_task(description, total=1)
        self._running += 1
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            self._running -= 1
            if self._progress is not None and task is not None:
                self._progress.update(task, completed=1, failed=failed)
                self._progress.stop_task(task)
                if not self._running:  # the lines stay on the terminal as they are
                    self._progress.stop()
                    self._progress = None
            self.done.append(description)

    def __enter__(self) -> Steps:
        self._token = _STEPS.set(self)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._token is not None:
            _STEPS.reset(self._token)
            self._token = None
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


_STEPS: ContextVar[Steps | None] = ContextVar("erasmus_kg_steps", default=None)
"""The `Steps` the current code runs inside, if any."""


@contextlib.contextmanager
def step(description: str | None) -> Iterator[None]:
    """A step of the command that runs this code: shown by the `Steps` it runs inside; outside, nothing. None:
    a step with nothing to do this time (no graph to load), not shown either."""
    steps = _STEPS.get()
    if steps is None or description is None:
        yield
    else:
        with steps.run(description):
            yield


def how_many(count: int, what: str) -> str:
    """A count in a step's description: "1 graph", "11 graphs" (`what` takes an s)."""
    return f"{count:,} {what}" + ("" if count == 1 else "s")


class MeteredReader:
    """A binary stream that advances a meter by the bytes read from it."""

    def __init__(self, body: Readable, meter: Meter) -> None:
        self._body = body
        self._meter = meter

    def read(self, size: int = -1, /) -> bytes:
        data = self._body.read(size)
        self._meter.advance(len(data))
        return data


def _progress(unit: Unit, stream: TextIO) -> Progress:
    """A rich `Progress` drawing on `stream` (taken as a terminal: the caller decided that it is one)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns: tuple[str | ProgressColumn, ...]
    if unit == "bytes":
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TaskProgressColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
    else:
        columns = (
            TextColumn("{task.description}: {task.completed:,.0f} rows,"),
            _rows_per_second(),
            TimeElapsedColumn(),
        )
    return Progress(
        *columns,
        console=Console(file=stream, force_terminal=True),
        refresh_per_second=REFRESHES_PER_SECOND,
        redirect_stdout=False,
        # Lines written to stderr while the meter is shown (bad rows) are printed above it, not through it.
        redirect_stderr=stream is sys.stderr,
    )


def _steps_progress(stream: TextIO) -> Progress:
    """A rich `Progress` for `Steps`: a spinner (once done a tick, or a cross for a step that failed), the
    step, its time."""
    from rich.console import Console, RenderableType
    from rich.progress import Progress, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
    from rich.text import Text

    class Outcome(SpinnerColumn):
        def render(self, task: Task) -> RenderableType:
            if task.finished and task.fields.get("failed"):
                return Text("✗", style="red")
            return super().render(task)

    return Progress(
        Outcome(finished_text="✓"),
        TextColumn("{task.description}", markup=False),  # a description is text, never rich markup
        TimeElapsedColumn(),
        console=Console(file=stream, force_terminal=True),
        refresh_per_second=REFRESHES_PER_SECOND,
        redirect_stdout=False,
        redirect_stderr=stream is sys.stderr,
    )


def _rows_per_second() -> ProgressColumn:
    from rich.progress import ProgressColumn, Task
    from rich.text import Text

    class RowsPerSecond(ProgressColumn):
        """The rate over the last 30 seconds (rich's estimate), "… rows/s"."""

        def render(self, task: Task) -> Text:
            speed = task.speed
            return Text("" if speed is None else f"{speed:,.0f} rows/s", style="progress.data.speed")

    return RowsPerSecond()
