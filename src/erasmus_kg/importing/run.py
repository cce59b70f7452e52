"""Importing an external dataset: rows -> N-Triples in a temporary file -> validation -> the embedded store.

`import_file(KIND, FILE)` reads the file row by row (memory does not grow with its size) with the importer of
that kind (`registry`: `prp`, `eche`), which maps each row to triples written at once to a temporary file
(`sink`) and handed, in batches, to worker processes that validate them against the shapes
(`validation.batches`) while reading goes on. Only when every row is read and the whole import conforms does
it replace the file's named graph (graph/import/<file name>) in a new build of the store
(`DefaultStore.replace_graphs`, atomic): nothing half-imported or invalid ever reaches the store, and
importing a file again replaces what it imported before. With `output`, the N-Quads are written to that file
instead.

An importer that derives while reading (`Importer.derives_while_reading`: prp) also writes, as it commits
each row, the derived facts of the row's project and sums its partial statistics
(`derivation.StreamingDerivation`); the import loads them as the graph's derived graph in the same build, so
the build does not evaluate the definitions over the imported graph (at 327,000 projects that second pass
took minutes).

A bad row (unknown country code, unparsable amount, year or date, missing identifier, ...) is reported as
`FILE:ROW: column 'NAME': message`; with on_error="fail" (the default) the first one stops the import
(`InputFileError`, exit 2, the store untouched), with "skip" the row is left out and counted. An import whose
every row was skipped is refused the same way (exit 2): it would leave a graph with nothing in it but its
source document.
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
from typing import TYPE_CHECKING

from erasmus_kg.errors import InputFileError, NotConformingError, UsageError
from erasmus_kg.importing.derivation import StreamingDerivation, follows_definitions
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import import_graph, import_source_document
from erasmus_kg.importing.registry import check_kind, importer_for
from erasmus_kg.importing.rows import BadRow
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import iri
from erasmus_kg.progress import Meter
from erasmus_kg.rdf_files import check_readable

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.importing.importer import Importer
    from erasmus_kg.store.builds import BuildInfo
    from erasmus_kg.store.default import DefaultStore
    from erasmus_kg.validation.batches import BatchValidator
    from erasmus_kg.validation.report import ValidationResult

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
    derived_triples: int = 0
    """Derived triples written while reading (0 when the build derives them)."""
    problems: list[str] = field(default_factory=list)
    """Every bad-row line, `FILE:ROW: column 'NAME': message`."""
    encoding: str | None = None
    """How the file's text was read ("UTF-8", "Windows-1252": `encoding.detect_encoding`); None for XLSX."""
    validation: ValidationResult | None = None
    output: Path | None = None
    build: BuildInfo | None = None
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds: "rows" (read, map, write; validation runs alongside), "validation" (waiting for it after the
    last row), "load" (the new build of the store), "total"."""

    def summary(self) -> str:
        where = f"written to {self.output}" if self.output else f"loaded into <{self.graph}>"
        read_as = f" (read as {self.encoding})" if self.encoding else ""
        return (
            f"{self.path.name}: {self.rows_imported} rows imported, {self.rows_skipped} rows skipped; "
            f"{self.triples} triples {where}{read_as}."
        )


class ImportRefused(NotConformingError):
    """The import does not conform to the shapes (exit 1); `result.validation` holds the report."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        assert result.validation is not None
        super().__init__(f"{result.path}: the import does not conform to the shapes; nothing was imported.\n"
                         f"{result.validation.text()}")  # fmt: skip


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
    derive_while_reading: bool = True,
) -> ImportResult:
    """Import `path` (kind "prp" or "eche") into the store at `root` (or write it to `output`).

    `report` receives every bad-row line as it is found (default: stderr). `progress`: show rows/s on
    stderr (default: when stderr is a terminal). `derive_while_reading=False` leaves the derived facts and
    statistics to the build (to compare the two ways). Raises InputFileError (a bad row with
    on_error="fail", an unreadable file) or ImportRefused (the import does not conform); either way nothing
    is changed.
    """
    importer_class = importer_for(kind)
    if on_error not in ON_ERROR:
        raise UsageError(f"--on-error is one of {', '.join(ON_ERROR)}, not {on_error!r}")
    check_readable(path)
    check_kind(kind, path)
    if output is not None and not output.parent.is_dir():
        raise InputFileError(output, f"cannot write: {output.parent} is not a directory")
    report = report or _to_stderr
    started = time.monotonic()
    result = ImportResult(kind, path, import_graph(path), output=output)
    from erasmus_kg.store.default import DefaultStore

    store: DefaultStore | None = None
    if output is not None:
        workdir = _workdir(output.parent)
    else:
        store = DefaultStore(root)
        store.ensure()
        workdir = _workdir(store.root / "imports.tmp")
    derives = (
        output is None
        and derive_while_reading
        and importer_class.derives_while_reading
        and follows_definitions()
    )
    derivation: StreamingDerivation | None = None
    try:
        data_file = workdir / (path.name + (".nq" if output else ".nt"))
        derived_file = workdir / (path.name + ".derived.nt")
        with _existing_facts(store, result.graph) as existing, _validator(validate, workers) as validator:
            with contextlib.ExitStack() as files:
                out = files.enter_context(data_file.open("w", encoding="utf-8", newline="\n"))
                if derives:
                    derived_out = files.enter_context(derived_file.open("w", encoding="utf-8", newline="\n"))
                    derivation = StreamingDerivation(derived_out, existing)
                sink = GraphSink(
                    out,
                    graph=iri(result.graph) if output else None,
                    on_batch=validator.submit if validator is not None else None,
                    batch_rows=batch_rows,
                    follower=derivation,
                )
                importer = importer_class(path, sink, iri(import_source_document(path)), existing)
                _read(importer, result, on_error, report, progress)
                if result.rows_skipped and not result.rows_imported:
                    skipped = result.rows_skipped
                    raise InputFileError(path, f"every row was skipped ({skipped} bad): nothing was imported")
                sink.close()
                result.triples = sink.triples
                if derivation is not None:
                    result.derived_triples = derivation.triples
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
            from erasmus_kg.derived.build import DERIVED_KIND
            from erasmus_kg.derived.graphs import derived_graph
            from erasmus_kg.store.builds import DERIVED_FROM, Source

            assert store is not None
            metadata = {
                "kind": "import",
                "importer": kind,
                "file": str(path.resolve()),
                "rows": result.rows_imported,
                "skipped": result.rows_skipped,
                "encoding": result.encoding,
            }
            changes = {result.graph: Source(result.graph, data_file, "ntriples")}
            graph_metadata: dict[str, dict[str, object]] = {}
            partials = derivation.partials() if derivation is not None else []
            if derivation is not None and (derivation.triples or partials):  # no projects: nothing derived
                target = derived_graph(result.graph)
                changes[target] = Source(target, derived_file, "ntriples", DERIVED_FROM + result.graph)
                graph_metadata[target] = {"kind": DERIVED_KIND, "from": result.graph, "statistics": partials}
            result.build = store.replace_graphs(changes, metadata=metadata, graph_metadata=graph_metadata)
        result.timings["load"] = time.monotonic() - loading
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.timings["total"] = time.monotonic() - started
    return result


def _read(
    importer: Importer,
    result: ImportResult,
    on_error: str,
    report: Callable[[str], None],
    progress: bool | None,
) -> None:
    """Read every row of the importer's file into its sink, counting (and reporting) the bad rows."""
    path = importer.path
    importer.describe_source()

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

    with Meter(f"import {result.kind} {path.name}", enabled=progress) as meter:
        rows = importer.rows()
        result.encoding = importer.encoding.name if importer.encoding else None
        result.rows_imported = importer.import_rows(meter.track(rows), bad_row)


@contextlib.contextmanager
def _existing_facts(store: DefaultStore | None, graph: str) -> Iterator[ExistingFacts]:
    """Lookups on the store when other imports are in it (the packaged graphs never describe the nodes an
    import mints: their organisations and projects have other IRIs, their concepts are reused, not minted; nor
    do the derived graphs and the statistics, which hold none of the facts looked up)."""
    from erasmus_kg.derived.graphs import is_derived

    others = (g for g in store.graphs() if not g.packaged and not is_derived(g.iri)) if store else ()
    if store is None or not any(g.iri != graph for g in others):
        yield ExistingFacts()
        return
    with store.open_reader() as reader:
        yield ExistingFacts(reader, graph)


@contextlib.contextmanager
def _validator(validate: bool, workers: int | None) -> Iterator[BatchValidator | None]:
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
