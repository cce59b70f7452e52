"""Where an importer puts its triples: row by row into an N-Triples (or N-Quads) file, and batch by batch
into validation.

An importer stages the triples of one row; `commit()` writes them and adds them to the current validation
batch, `discard()` forgets them (a bad row leaves nothing behind). Every node an importer describes is
described completely in the row where it first appears (later rows only refer to it), so a batch holds every
triple of the nodes it describes: those are the batch's focus nodes. For the nodes a batch only refers to
(an organisation or a concept described in an earlier batch), the batch carries their rdf:type, which is all
the shapes look at beyond a focus node's own triples (see `validation.batches`).

A `RowFollower` (the derivation of derived facts while the rows are read, `derivation.StreamingDerivation`)
receives, at each commit, the row's triples whose predicate it watches: a discarded row never reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TextIO

from erasmus_kg.importing.terms import T
from erasmus_kg.validation.batch import Batch


class RowFollower(Protocol):
    """What follows the committed rows of an import."""

    @property
    def watched(self) -> frozenset[str]:
        """The predicates (serialised IRIs) whose triples it reads."""

    def commit(self, triples: list[tuple[str, str, str]]) -> None:
        """The watched triples of one committed row (serialised terms)."""


class GraphSink:
    """Stages, writes and batches the triples of one import.

    `graph` (an N-Triples IRI) makes the file N-Quads with every triple in that graph; without it the file is
    N-Triples. `on_batch` receives a `Batch` every `batch_rows` committed rows (and at `close`); `follower`
    the watched triples of every committed row.
    """

    def __init__(
        self,
        out: TextIO,
        *,
        graph: str | None = None,
        on_batch: Callable[[Batch], None] | None = None,
        batch_rows: int = 500,
        follower: RowFollower | None = None,
    ) -> None:
        self._out = out
        self._graph = f" {graph} .\n" if graph else None
        self._on_batch = on_batch
        self._batch_rows = batch_rows
        self._follower = follower
        self._watched = follower.watched if follower is not None else frozenset()
        self._types: dict[str, str] = {}
        """Every node described so far (committed) -> its class (serialised IRIs)."""
        self.triples = 0
        # the row being staged: N-Triples (for validation), N-Quads when a graph is given (for the file)
        self._lines: list[str] = []
        self._quad_lines: list[str] = []
        self._subjects: set[str] = set()
        self._objects: set[str] = set()
        self._staged_types: dict[str, str] = {}
        self._followed: list[tuple[str, str, str]] = []
        # the batch being collected
        self._batch_lines: list[str] = []
        self._batch_subjects: set[str] = set()
        self._batch_objects: set[str] = set()
        self._batch_row_count = 0

    # -- staging a row --------------------------------------------------------------------------------------

    def add(self, s: str, p: str, o: str) -> None:
        """Stage one triple (terms already serialised as N-Triples)."""
        self._lines.append(f"{s} {p} {o} .\n")
        if self._graph is not None:
            self._quad_lines.append(f"{s} {p} {o}{self._graph}")
        self._subjects.add(s)
        if o[0] == "<":
            self._objects.add(o)
        if p in self._watched:
            self._followed.append((s, p, o))

    def describe(self, node: str, cls: str) -> None:
        """Stage `node rdf:type cls` and remember that `node` is described in this import."""
        self.add(node, T.type, cls)
        self._staged_types[node] = cls

    def known(self, node: str) -> bool:
        """Whether `node` is described already (in this import, including the row being staged)."""
        return node in self._types or node in self._staged_types

    def commit(self) -> None:
        """Write the staged row and add it to the current batch."""
        self._out.write("".join(self._lines if self._graph is None else self._quad_lines))
        self.triples += len(self._lines)
        if self._follower is not None:
            self._follower.commit(self._followed)
        if self._on_batch is not None:
            self._batch_lines.extend(self._lines)
            self._batch_subjects |= self._subjects
            self._batch_objects |= self._objects
            self._batch_row_count += 1
        self._types.update(self._staged_types)
        self._clear_row()
        if self._on_batch is not None and self._batch_row_count >= self._batch_rows:
            self._flush_batch()

    def discard(self) -> None:
        """Forget the staged row."""
        self._clear_row()

    def close(self) -> None:
        """Hand over the last batch."""
        if self._on_batch is not None and self._batch_lines:
            self._flush_batch()

    # -- internals ------------------------------------------------------------------------------------------

    def _clear_row(self) -> None:
        self._lines = []
        self._quad_lines = []
        self._subjects = set()
        self._objects = set()
        self._staged_types = {}
        self._followed = []

    def _flush_batch(self) -> None:
        assert self._on_batch is not None
        context = [
            f"{node} {T.type} {self._types[node]} .\n"
            for node in sorted(self._batch_objects - self._batch_subjects)
            if node in self._types
        ]
        text = "".join(self._batch_lines) + "".join(context)
        focus = tuple(sorted(s[1:-1] for s in self._batch_subjects if s[0] == "<"))
        batch = Batch(text, focus, len(self._batch_lines))
        self._batch_lines = []
        self._batch_subjects = set()
        self._batch_objects = set()
        self._batch_row_count = 0
        self._on_batch(batch)
