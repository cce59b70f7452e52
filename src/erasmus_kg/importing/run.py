"""Importing an external dataset: rows -> N-Triples in a temporary file -> validation -> the embedded store.

`import_file("prp" | "eche", FILE)` reads the file row by row (memory does not grow with its size), maps each
row to triples (`importers.prp`, `importers.eche`) written at once to a temporary file and handed, in
batches, to worker processes that validate them against the shapes (`batch_validation`) while reading goes
on. Only when every row is read and the whole import conforms does it replace the file's named graph
(graph/import/<file name>) in a new build of the store (`EmbeddedStore.replace_graphs`, atomic): nothing
half-imported or invalid ever reaches the store, and importing a file again replaces what it imported before.
With `output`, the N-Quads are written to that file instead.

A bad row (unknown country code, unparsable amount, year or date, missing identifier, ...) is reported as
`FILE:ROW: column 'NAME': message`; with on_error="fail" (the default) the first one stops the import
(`InputFileError`, exit 2, the store untouched), with "skip" the row is left out and counted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from erasmus_kg.errors import InputFileError, NotConformingError, UsageError
from erasmus_kg.importing.common import BadRow, T, import_graph, import_source_document, iri, literal
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.rdf_files import check_readable

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.store.builds import BuildInfo
    from erasmus_kg.store.default import DefaultStore
    from erasmus_kg.validation.shacl import ValidationResult

KINDS = ("prp", "eche")
ON_ERROR = ("fail", "skip")


@dataclass
class ImportResult:
    """What an import did."""

    kind: str
    path: Path
    graph: str
    rows_imported: int = 0
    rows_skipped: int = 0
    triples: int = 0
    problems: list[str] = field(default_factory=list)
    """Every bad-row line, `FILE:ROW: column 'NAME': message`."""
    validation: ValidationResult | None = None
    output: Path | None = None
    build: BuildInfo | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds: "rows" (read, map, write; validation runs alongside), "validation" (waiting for it after the
    last row), "load" (the new build of the store), "total"."""

    def summary(self) -> str:
        where = f"written to {self.output}" if self.output else f"loaded into <{self.graph}>"
        return (
            f"{self.path.name}: {self.rows_imported} rows imported, {self.rows_skipped} rows skipped; "
            f"{self.triples} triples {where}."
        )


class ImportRefused(NotConformingError):
    """The import does not conform to the shapes (exit 1); `result.validation` holds the report."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        assert result.validation is not None
        super().__init__(f"{result.path}: the import does not conform to the shapes; nothing was imported.\n"
                         f"{result.validation.text()}")  # fmt: skip


class Progress:
    """Rows read and rows per second on a terminal (stderr), updated twice a second; silent otherwise."""

    def __init__(self, label: str, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = self._stream.isatty() if enabled is None else enabled
        self._label = label
        self._start = time.monotonic()
        self._next = self._start + 0.5
        self.rows = 0

    def row(self) -> None:
        self.rows += 1
        if self._enabled and self.rows % 256 == 0:
            now = time.monotonic()
            if now >= self._next:
                self._next = now + 0.5
                self._show(now)

    def done(self) -> None:
        if self._enabled:
            self._show(time.monotonic())
            self._stream.write("\n")
            self._stream.flush()

    def _show(self, now: float) -> None:
        rate = self.rows / max(now - self._start, 1e-9)
        self._stream.write(f"\r{self._label}: {self.rows:,} rows, {rate:,.0f} rows/s   ")
        self._stream.flush()


def import_file(
    kind: str,
    path: Path,
    *,
    root: Path | None = None,
    on_error: str = "fail",
    output: Path | None = None,
    validate: bool = True,
    report: Callable[[str], None] | None = None,
    progress: bool | None = None,
    workers: int | None = None,
    batch_rows: int = 1000,
) -> ImportResult:
    """Import `path` (kind "prp" or "eche") into the store at `root` (or write it to `output`).

    `report` receives every bad-row line as it is found (default: stderr). `progress`: show rows/s on
    stderr (default: when stderr is a terminal). Raises InputFileError (a bad row with on_error="fail", an
    unreadable file) or ImportRefused (the import does not conform); either way nothing is changed.
    """
    if kind not in KINDS:
        raise UsageError(f"unknown import kind {kind!r} (one of {', '.join(KINDS)})")
    if on_error not in ON_ERROR:
        raise UsageError(f"--on-error is one of {', '.join(ON_ERROR)}, not {on_error!r}")
    check_readable(path)
    if output is not None and not output.parent.is_dir():
        raise InputFileError(output, f"cannot write: {output.parent} is not a directory")
    report = report or _to_stderr
    started = time.monotonic()
    result = ImportResult(kind, path, import_graph(path), output=output)
    from erasmus_kg.store.default import DefaultStore

    store = None if output is not None else DefaultStore(root)
    if store is not None:
        store.ensure()
    workdir = _workdir(output.parent if store is None else store.root / "imports.tmp")
    try:
        data_file = workdir / (path.name + (".nq" if output else ".nt"))
        with _existing_facts(store, result.graph) as existing, _validator(validate, workers) as validator:
            with data_file.open("w", encoding="utf-8", newline="\n") as out:
                sink = GraphSink(
                    out,
                    graph=iri(result.graph) if output else None,
                    on_batch=validator.submit if validator is not None else None,
                    batch_rows=batch_rows,
                )
                _read(kind, path, sink, existing, result, on_error, report, progress)
                sink.close()
                result.triples = sink.triples
            result.timings["rows"] = time.monotonic() - started
            if validator is not None:
                waited = time.monotonic()
                result.validation = validator.result()
                result.validation.data_triples = result.triples
                result.timings["validation"] = time.monotonic() - waited
        if result.validation is not None and not result.validation.conforms:
            raise ImportRefused(result)
        loading = time.monotonic()
        if output is not None:
            data_file.replace(output)
        else:
            from erasmus_kg.store.builds import Source

            assert store is not None
            metadata = {
                "kind": "import",
                "importer": kind,
                "file": str(path.resolve()),
                "rows": result.rows_imported,
                "skipped": result.rows_skipped,
            }
            result.build = store.replace_graphs(
                {result.graph: Source(result.graph, data_file, "ntriples")}, metadata=metadata
            )
        result.timings["load"] = time.monotonic() - loading
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.timings["total"] = time.monotonic() - started
    return result


def _read(
    kind: str,
    path: Path,
    sink: GraphSink,
    existing: ExistingFacts,
    result: ImportResult,
    on_error: str,
    report: Callable[[str], None],
    progress: bool | None,
) -> None:
    from erasmus_kg.importing.eche import CharterRows
    from erasmus_kg.importing.prp import ProjectRows

    source = iri(import_source_document(path))
    importer: ProjectRows | CharterRows = (ProjectRows if kind == "prp" else CharterRows)(
        path, sink, source, existing
    )
    sink.describe(source, T.source_document)
    sink.add(source, T.title, literal(importer.source_title(), language="en"))
    sink.add(source, T.identifier, literal(path.name))
    sink.add(source, T.format, literal(importer.source_format()))
    sink.commit()

    def bad_row(bad: BadRow) -> None:
        lines = [problem.line(path) for problem in bad.problems]
        result.problems.extend(lines)
        if on_error == "fail":
            for line in lines[1:]:
                report(line)
            first = bad.problems[0]
            raise InputFileError(path, f"column '{first.column}': {first.message}", first.row)
        for line in lines:
            report(line)
        result.rows_skipped += 1

    meter = Progress(f"import {kind} {path.name}", enabled=progress)
    try:
        if isinstance(importer, ProjectRows):
            for number, cells in importer.rows():
                meter.row()
                try:
                    importer.map(number, cells)
                except BadRow as bad:
                    sink.discard()
                    bad_row(bad)
                    continue
                sink.commit()
                result.rows_imported += 1
        else:
            checked = []
            for number, cells in importer.rows():
                meter.row()
                try:
                    checked.append(importer.check(number, cells))
                except BadRow as bad:
                    bad_row(bad)
            for node, rows in importer.group(checked):
                importer.map(node, rows)
                sink.commit()
            result.rows_imported = len(checked)
    except SyntaxError as exc:  # a malformed XML part of an .xlsx (lxml and ElementTree raise SyntaxErrors)
        what = "XLSX workbook" if path.suffix.lower() == ".xlsx" else "file"
        raise InputFileError(path, f"not a readable {what} ({getattr(exc, 'msg', None) or exc})") from None
    finally:
        meter.done()


@contextlib.contextmanager
def _existing_facts(store: DefaultStore | None, graph: str) -> Iterator[ExistingFacts]:
    """Lookups on the store when other imports are in it (the packaged graphs never describe the nodes an
    import mints: their organisations and projects have other IRIs, their concepts are reused, not minted)."""
    others = [] if store is None else [g for g in store.graphs() if g.iri != graph and not g.packaged]
    if not others:
        yield ExistingFacts()
        return
    with store.open_reader() as reader:
        yield ExistingFacts(reader, graph)


@contextlib.contextmanager
def _validator(validate: bool, workers: int | None):  # type: ignore[no-untyped-def]
    if not validate:
        yield None
        return
    from erasmus_kg.validation.batches import BatchValidator

    with BatchValidator(workers) as validator:
        yield validator


def _workdir(parent: Path) -> Path:
    """A fresh working directory for one import, named after this process; directories that killed
    imports left behind (their process is gone) are removed first."""
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f"{_WORKDIR_PREFIX}*"):
        pid = stale.name[len(_WORKDIR_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"{_WORKDIR_PREFIX}{os.getpid()}-", dir=parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_WORKDIR_PREFIX = "erasmus-kg-import-"


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
