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
import dataclasses
import io
import itertools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from erasmus_kg.derived.graphs import derived_graph
from erasmus_kg.errors import InputFileError, NotConformingError, StoreError, UsageError
from erasmus_kg.importing.derivation import StreamingDerivation, follows_definitions
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import IMPORT_SOURCE, import_graph, import_source_document
from erasmus_kg.importing.lists import (
    ROWS,
    Changes,
    ListFile,
    ListVersion,
    RowLedger,
    claimed_above,
    compare,
    imported_name,
    owners,
    read_rows,
    version_metadata,
    write_rows,
)
from erasmus_kg.importing.registry import IMPORTERS, check_kind, importer_for
from erasmus_kg.importing.rows import BadRow, Row
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import iri
from erasmus_kg.progress import Meter, step
from erasmus_kg.rdf_files import check_readable
from erasmus_kg.store.manifest import BuildInfo, GraphInfo, Source

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.importing.importer import Importer
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
    rows_superseded: int = 0
    """Rows imported as superseded copies: their projects belong to a newer list (`lists`)."""
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
    date: str | None = None
    """The date of the list version the file is (from its name), if dated."""
    changes: Changes | None = None
    """What changed since the version of the list the import replaced (None: no earlier version)."""
    reimported: dict[str, int] = field(default_factory=dict)
    """Other lists imported again because which of their projects they own changed -> how many of their rows
    are now superseded."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds: "rows" (read, map, write; validation runs alongside), "validation" (waiting for it after the
    last row), "load" (the new build of the store), "total"."""

    def summary(self) -> str:
        where = f"written to {self.output}" if self.output else f"loaded into <{self.graph}>"
        read_as = f" (read as {self.encoding})" if self.encoding else ""
        superseded = (
            f" ({self.rows_superseded} of them superseded by newer lists)" if self.rows_superseded else ""
        )
        lines = [
            f"{self.path.name}: {self.rows_imported} rows imported{superseded}, {self.rows_skipped} rows "
            f"skipped; {self.triples} triples {where}{read_as}."
        ]
        if self.changes is not None:
            lines.append(f"{self.path.name} {self.changes.summary()}.")
        for graph, superseded_rows in self.reimported.items():
            lines.append(
                f"<{graph}> imported again from its file: {superseded_rows} of its rows now superseded by "
                "newer lists."
            )
        return "\n".join(lines)


class ImportRefused(NotConformingError):
    """The import does not conform to the shapes (exit 1); `result.validation` holds the report."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        assert result.validation is not None
        super().__init__(f"{result.path}: the import does not conform to the shapes; nothing was imported.\n"
                         f"{result.validation.text()}")  # fmt: skip


@dataclass
class _Options:
    """How the files of one import are read (the file given, and the lists imported again with it)."""

    on_error: str
    report: Callable[[str], None]
    progress: bool | None
    validate: bool
    workers: int | None
    batch_rows: int
    derive: bool


@dataclass
class _Reading:
    """One file read: its graph's sources (the data, its derived graph) and their metadata."""

    result: ImportResult
    sources: dict[str, Source] = field(default_factory=dict)
    graph_metadata: dict[str, dict[str, object]] = field(default_factory=dict)
    ledger: RowLedger = field(default_factory=RowLedger)


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
    force: bool = False,
    changes_file: Path | None = None,
) -> ImportResult:
    """Import `path` (kind "prp" or "eche") into the store at `root` (or write it to `output`).

    `report` receives every bad-row line as it is found (default: stderr). `progress`: show rows/s on
    stderr (default: when stderr is a terminal). `derive_while_reading=False` leaves the derived facts and
    statistics to the build (to compare the two ways). A dated version of a list older than the one in the
    store is refused unless `force`; `changes_file` receives the change report of a refresh as CSV. Raises
    InputFileError (a bad row with on_error="fail", an unreadable file, an older version) or ImportRefused
    (the import does not conform); either way nothing is changed.
    """
    importer_class = importer_for(kind)
    if on_error not in ON_ERROR:
        raise UsageError(f"--on-error is one of {', '.join(ON_ERROR)}, not {on_error!r}")
    check_readable(path)
    check_kind(kind, path)
    for target in (output, changes_file):
        if target is not None and not target.parent.is_dir():
            raise InputFileError(target, f"cannot write: {target.parent} is not a directory")
    options = _Options(
        on_error,
        report or _to_stderr,
        progress,
        validate,
        workers,
        batch_rows,
        output is None
        and derive_while_reading
        and importer_class.derives_while_reading
        and follows_definitions(),
    )
    started = time.monotonic()
    listed = ListFile.of(path)
    result = ImportResult(kind, path, import_graph(path), output=output, date=listed.date)
    if output is not None:
        workdir = _workdir(output.parent)
        try:
            reading = _read_file(importer_class, path, path.name, result, None, workdir, options, {})
            reading.sources[result.graph].path.replace(output)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        result.timings["total"] = time.monotonic() - started
        return result

    from erasmus_kg.store.default import DefaultStore

    store = DefaultStore(root)
    store.ensure()
    workdir = _workdir(store.root / "imports.tmp")
    try:
        held = _ListsInStore.read(store.current_build(), workdir)
        previous = held.versions.get(result.graph)
        if previous is not None:
            _check_newer(path, listed, previous, held.entries[result.graph], force)
        version = ListVersion(result.graph, listed.date, _now(), kind=kind)
        others = [v for graph, v in held.versions.items() if graph != result.graph]
        superseded = claimed_above(others, version)
        ledger = RowLedger(previous=held.rows.get(result.graph, {}))
        revision_of = None
        if previous is not None and held.entries[result.graph].metadata.get("file_name") != path.name:
            revision_of = iri(
                import_source_document(Path(str(held.entries[result.graph].metadata["file_name"])))
            )
        reading = _read_file(
            importer_class, path, path.name, result, store, workdir, options, superseded,
            lists=held.graphs_of_kind(kind), ledger=ledger, issued=listed.date, revision_of=revision_of,
        )  # fmt: skip
        version.keys = frozenset(ledger.row_keys())
        if previous is not None and result.graph in held.rows:
            result.changes = _changes(importer_class, held, result.graph, reading)
        loading = time.monotonic()
        changes: dict[str, Source | None] = dict(reading.sources)
        graph_metadata = dict(reading.graph_metadata)
        graph_metadata[result.graph].update(
            {"date": listed.date, "imported": version.imported, "file_name": path.name,
             "revision_of": revision_of}
        )  # fmt: skip
        reading.sources[result.graph] = _with_files(reading, path, workdir)
        changes[result.graph] = reading.sources[result.graph]
        before = owners([*others, *([previous] if previous is not None else [])])
        after = owners([*others, version])
        for other in others:
            if before[other.graph] != after[other.graph]:
                again = _read_again(
                    importer_class, held, other.graph, store, workdir, options, after[other.graph]
                )
                changes.update(again.sources)
                graph_metadata.update(again.graph_metadata)
                result.reimported[other.graph] = again.result.rows_superseded
        in_play = version.keys.union(*(held.versions[graph].keys for graph in result.reimported))
        result.build = store.replace_graphs(
            changes, graph_metadata=graph_metadata, check=held.still_holds(kind, in_play, path)
        )
        if changes_file is not None and result.changes is not None:
            _write_atomically(changes_file, result.changes.write_csv)
        result.timings["load"] = time.monotonic() - loading
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.timings["total"] = time.monotonic() - started
    return result


def remove_list(store: DefaultStore, graph: str) -> dict[str, int]:
    """Remove an imported graph in one new build, with every other list whose projects it owned imported again
    so that they describe those projects; returns those lists -> how many of their rows stay superseded."""
    workdir = _workdir(store.root / "imports.tmp")
    try:
        held = _ListsInStore.read(store.current_build(), workdir)
        changes: dict[str, Source | None] = {graph: None}
        graph_metadata: dict[str, dict[str, object]] = {}
        again_counts: dict[str, int] = {}
        if graph in held.versions:
            others = [v for g, v in held.versions.items() if g != graph]
            before = owners(list(held.versions.values()))
            after = owners(others)
            options = _Options("skip", _silent, False, True, None, 1000, follows_definitions())
            for other in others:
                if before[other.graph] != after[other.graph]:
                    kind = str(held.entries[other.graph].metadata.get("importer", ""))
                    again = _read_again(importer_for(kind), held, other.graph, store, workdir, options,
                                        after[other.graph], removed=frozenset({graph}))  # fmt: skip
                    changes.update(again.sources)
                    graph_metadata.update(again.graph_metadata)
                    again_counts[other.graph] = again.result.rows_superseded
        removed = held.versions.get(graph)
        in_play = removed.keys if removed is not None else frozenset()
        in_play = in_play.union(*(held.versions[other].keys for other in again_counts))
        kind = removed.kind if removed is not None else ""
        store.replace_graphs(
            changes, graph_metadata=graph_metadata, check=held.still_holds(kind, in_play, graph)
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return again_counts


def _read_file(
    importer_class: type[Importer],
    path: Path,
    name: str,
    result: ImportResult,
    store: DefaultStore | None,
    workdir: Path,
    options: _Options,
    superseded: Mapping[str, str],
    *,
    lists: frozenset[str] = frozenset(),
    ledger: RowLedger | None = None,
    issued: str | None = None,
    revision_of: str | None = None,
    removed: frozenset[str] = frozenset(),
) -> _Reading:
    """Read, map and validate one file into N-Triples files in `workdir` (N-Quads without a store), with its
    derived facts when the options derive while reading and the importer can (`derives_while_reading`);
    `superseded` and `lists` as `Importer` takes them; what the store holds in the graphs `removed` (by the
    same switch) is not looked up. Raises InputFileError or ImportRefused."""
    started = time.monotonic()
    reading = _Reading(result, ledger=ledger or RowLedger())
    output = store is None
    data_file = _fresh(workdir, name + (".nq" if output else ".nt"))
    derived_file = data_file.with_suffix(".derived.nt")
    derivation: StreamingDerivation | None = None
    with (
        _existing_facts(store, frozenset({result.graph, *removed})) as existing,
        _validator(options.validate, options.workers) as validator,
    ):
        with contextlib.ExitStack() as files:
            out = files.enter_context(data_file.open("w", encoding="utf-8", newline="\n"))
            if options.derive and importer_class.derives_while_reading:
                derived_out = files.enter_context(derived_file.open("w", encoding="utf-8", newline="\n"))
                derivation = StreamingDerivation(derived_out, existing)
            sink = GraphSink(
                out,
                graph=iri(result.graph) if output else None,
                on_batch=validator.submit if validator is not None else None,
                batch_rows=options.batch_rows,
                follower=derivation,
            )
            source = iri(import_source_document(Path(name)))
            importer = importer_class(
                path, sink, source, existing, name=name, superseded=superseded, lists=lists
            )
            importer.issued, importer.revision_of = issued, revision_of
            _read(importer, result, options, reading.ledger)
            if result.rows_skipped and not result.rows_imported:
                skipped = result.rows_skipped
                raise InputFileError(path, f"every row was skipped ({skipped} bad): nothing was imported")
            sink.close()
            result.triples = sink.triples
            result.rows_superseded = sum(1 for key in reading.ledger.row_keys() if key in superseded)
            if derivation is not None:
                result.derived_triples = derivation.triples
        result.timings["rows"] = time.monotonic() - started
        if validator is not None:
            waited = time.monotonic()
            with step("validating against the shapes"):  # what the workers have not validated yet
                result.validation = validator.result()
                result.validation.data_triples = result.triples
                result.timings["validation"] = time.monotonic() - waited
                if not result.validation.conforms:  # a cross on the terminal
                    raise ImportRefused(result)
    if output:
        reading.sources[result.graph] = Source(result.graph, data_file, "nquads")
        return reading
    from erasmus_kg.derived.build import DERIVED_KIND
    from erasmus_kg.store.builds import DERIVED_FROM

    reading.sources[result.graph] = Source(result.graph, data_file, "ntriples")
    reading.graph_metadata[result.graph] = {
        "kind": "import",
        "importer": importer_class.kind,
        "file": str(result.path.resolve()),
        "rows": result.rows_imported,
        "skipped": result.rows_skipped,
        "superseded": result.rows_superseded,
        "encoding": result.encoding,
    }
    partials = derivation.partials() if derivation is not None else []
    if derivation is not None and (derivation.triples or partials):  # no projects: nothing derived
        target = derived_graph(result.graph)
        reading.sources[target] = Source(target, derived_file, "ntriples", DERIVED_FROM + result.graph)
        reading.graph_metadata[target] = {"kind": DERIVED_KIND, "from": result.graph, "statistics": partials}
    return reading


def _read(importer: Importer, result: ImportResult, options: _Options, ledger: RowLedger) -> None:
    """Read every row of the importer's file into its sink, counting (and reporting) the bad rows, and
    recording each row's key and digest in `ledger`."""
    path = importer.path
    importer.describe_source()

    def bad_row(bad: BadRow) -> None:
        lines = [problem.line(path) for problem in bad.problems]
        result.problems.extend(lines)
        ledger.forget(bad.problems[0].row)
        if options.on_error == "fail":
            for line in lines[1:]:
                options.report(line)
            first = bad.problems[0]
            raise InputFileError(path, f"column '{first.column}': {first.message}", first.row)
        for line in lines:
            options.report(line)
        result.rows_skipped += 1

    def recorded(rows: Iterable[Row]) -> Iterator[Row]:
        for number, cells in rows:
            ledger.record(number, importer.row_key(cells), cells)
            yield number, cells

    with Meter(f"import {result.kind} {path.name}", enabled=options.progress) as meter:
        rows = importer.rows()
        result.encoding = importer.encoding.name if importer.encoding else None
        result.rows_imported = importer.import_rows(recorded(meter.track(rows)), bad_row)
        ledger.columns = tuple(importer.column_names())


@dataclass
class _ListsInStore:
    """The imported lists of the current build: their entries, versions (with their row keys) and digests."""

    build: BuildInfo | None
    workdir: Path
    entries: dict[str, GraphInfo] = field(default_factory=dict)
    versions: dict[str, ListVersion] = field(default_factory=dict)
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, build: BuildInfo | None, workdir: Path) -> _ListsInStore:
        held = cls(build, workdir)
        if build is None:
            return held
        for graph, entry in build.graphs.items():
            rows_file = build.graph_file(graph, ROWS)
            if entry.metadata.get("kind") != "import" or rows_file is None:
                continue  # a graph imported before lists kept their files takes no part in ownership
            importer = IMPORTERS.get(str(entry.metadata.get("importer", "")))
            rows = read_rows(held._link(rows_file, graph))
            if importer is not None:  # the keys as the importer writes them today
                rows = {importer.stored_key(key): digest for key, digest in rows.items()}
            held.entries[graph] = entry
            held.rows[graph] = rows
            held.versions[graph] = version_metadata(entry.metadata, graph, rows)
        return held

    def graphs_of_kind(self, kind: str) -> frozenset[str]:
        """The graphs of the lists of importer `kind` (the lists that own each other's shared keys)."""
        return frozenset(graph for graph, version in self.versions.items() if version.kind == kind)

    def still_holds(
        self, kind: str, keys: frozenset[str], what: object
    ) -> Callable[[BuildInfo | None], None]:
        """A check for `replace_graphs`: that no list of importer `kind` holding any of `keys` was imported,
        refreshed or removed since these lists were read (by another process, meanwhile); otherwise
        StoreError, nothing written. Lists of another kind never share keys with these (`ListVersion.kind`):
        a charter code that reads like a project identifier is not a conflict."""

        def check(build: BuildInfo | None) -> None:
            graphs = build.graphs if build is not None else {}
            lists = {g for g, e in graphs.items() if e.metadata.get("kind") == "import"}
            for graph in sorted(lists | set(self.entries)):
                before, now = self.entries.get(graph), graphs.get(graph)
                if before is not None and now is not None and before.hash == now.hash:
                    continue
                entry = now if now is not None else before
                if entry is not None and entry.metadata.get("importer") != kind:
                    continue
                theirs: set[str] = set(self.versions[graph].keys) if graph in self.versions else set()
                rows = build.graph_file(graph, ROWS) if build is not None else None
                if rows is not None:
                    theirs |= read_rows(rows).keys()
                if not theirs.isdisjoint(keys):
                    raise StoreError(
                        f"{what}: <{graph}> changed while this ran (another import or removal) and shares "
                        "projects with the lists changed here; nothing was changed: run the command again"
                    )

        return check

    def kept_file(self, graph: str) -> Path:
        """The store's copy of the file the list was imported from, linked into the working directory."""
        entry = self.entries[graph]
        assert self.build is not None
        name = imported_name(Path(str(entry.metadata.get("file_name", ""))))
        kept = self.build.graph_file(graph, name)
        if kept is None:
            raise StoreError(f"{self.build.path}: the file of <{graph}> is missing from the store")
        return self._link(kept, graph)

    def _link(self, path: Path, graph: str) -> Path:
        """A hard link (else a copy) of a build's file in the working directory, so that the file outlives
        the build if another writer switches the store while this import reads it."""
        target = _fresh(self.workdir, f"kept-{path.name}")
        try:
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
        except OSError as exc:
            raise StoreError(
                f"{path}: the store changed while reading the files of <{graph}> ({exc.strerror}); "
                "run the command again"
            ) from None
        return target


def _check_newer(path: Path, listed: ListFile, previous: ListVersion, entry: GraphInfo, force: bool) -> None:
    """Refuse (InputFileError) a version of a list dated before the version in the store, unless `force`."""
    if force or listed.date is None or previous.date is None or listed.date >= previous.date:
        return
    held = entry.metadata.get("file_name", listed.name)
    raise InputFileError(
        path,
        f"an older version of list {listed.name}: the store holds the version of {previous.date} ({held}), "
        f"this file is the version of {listed.date}; --force imports it anyway",
    )


def _changes(importer_class: type[Importer], held: _ListsInStore, graph: str, reading: _Reading) -> Changes:
    """The change report of a refresh: the previous version's digests against the rows just read."""
    entry = held.entries[graph]
    previous_name = str(entry.metadata.get("file_name", ""))

    def previous_rows() -> tuple[Sequence[str], Iterator[tuple[str | None, list[str]]]]:
        importer = importer_class(
            held.kept_file(graph), GraphSink(io.StringIO()), iri(IMPORT_SOURCE), ExistingFacts(),
            name=previous_name,
        )  # fmt: skip
        rows = importer.rows()
        first = next(rows, None)
        columns = tuple(importer.column_names())

        def keyed() -> Iterator[tuple[str | None, list[str]]]:
            for _, cells in itertools.chain([first] if first is not None else [], rows):
                yield importer.row_key(cells), cells

        return columns, keyed()

    return compare(previous_name, held.rows[graph], reading.ledger, previous_rows)


def _with_files(reading: _Reading, path: Path, workdir: Path) -> Source:
    """The graph's source with the files that travel with it: a copy of the imported file, its row digests."""
    source = reading.sources[reading.result.graph]
    copy = workdir / f"copy-{path.name}"
    try:
        shutil.copyfile(path, copy)
    except OSError as exc:
        raise InputFileError(path, f"cannot keep a copy in the store ({exc.strerror})") from None
    rows = workdir / f"rows-{path.name}.tsv"
    write_rows(rows, reading.ledger.rows.values())
    return dataclasses.replace(source, files=((imported_name(path), copy), (ROWS, rows)))


def _read_again(
    importer_class: type[Importer],
    held: _ListsInStore,
    graph: str,
    store: DefaultStore,
    workdir: Path,
    options: _Options,
    superseded: Mapping[str, str],
    removed: frozenset[str] = frozenset(),
) -> _Reading:
    """Import a list in the store again from its kept file, with the projects newer lists own (`superseded`)
    recorded as superseded: what its graph and derived graph become in the same build, where the graphs
    `removed` are gone (their names and organisations are not taken over)."""
    entry = held.entries[graph]
    metadata = dict(entry.metadata)
    name = str(metadata.get("file_name", ""))
    date = metadata.get("date")
    revision_of = metadata.get("revision_of")
    kind = str(metadata.get("importer", importer_class.kind))
    result = ImportResult(kind, Path(str(metadata.get("file", name))), graph)
    kept = held.kept_file(graph)
    quiet = dataclasses.replace(options, on_error="skip", report=_silent)
    reading = _read_file(
        importer_for(kind), kept, name, result, store, workdir, quiet, superseded,
        lists=held.graphs_of_kind(kind), issued=date if isinstance(date, str) else None,
        revision_of=revision_of if isinstance(revision_of, str) else None, removed=removed,
    )  # fmt: skip
    metadata["superseded"] = result.rows_superseded
    reading.graph_metadata[graph] = metadata
    rows = _fresh(workdir, "rows-again.tsv")
    write_rows(rows, reading.ledger.rows.values())
    reading.sources[graph] = dataclasses.replace(
        reading.sources[graph], files=((imported_name(Path(name)), kept), (ROWS, rows))
    )
    return reading


def _fresh(workdir: Path, name: str) -> Path:
    """A path in the import's working directory that no other file of this import has (several lists may be
    read in one import, and their files share names)."""
    return workdir / f"{next(_FILE_NUMBERS)}-{name}"


_FILE_NUMBERS = itertools.count(1)


def _write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write `path` through a temporary file beside it: a failed write leaves no half-written file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(temporary)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputFileError(path, f"cannot write ({exc.strerror})") from None


def _now() -> str:
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds")


def _silent(line: str) -> None:
    """Bad rows of a list imported again were reported (or refused) when it was first imported."""


@contextlib.contextmanager
def _existing_facts(store: DefaultStore | None, ignored: frozenset[str]) -> Iterator[ExistingFacts]:
    """Lookups on the store, ignoring the graphs `ignored`, when other imports are in it (the packaged graphs
    never describe the nodes an import mints: their organisations and projects have other IRIs, their concepts
    are reused, not minted; nor do the derived graphs and the statistics, which hold none of the facts looked
    up)."""
    from erasmus_kg.derived.graphs import is_derived

    others = (g for g in store.graphs() if not g.packaged and not is_derived(g.iri)) if store else ()
    if store is None or not any(g.iri not in ignored for g in others):
        yield ExistingFacts()
        return
    with store.open_reader() as reader:
        yield ExistingFacts(reader, ignored)


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
