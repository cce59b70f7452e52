"""The embedded, persistent Oxigraph store: complete builds side by side, and a pointer to the current one.

Layout of the store root (ROOT)::

    ROOT/current              the id of the current build, one line; written to a temporary name, fsynced,
                              then os.replace'd: readers see the old build or the new one, never a mix
    ROOT/write.lock           writers (a rebuild by `ensure`, `replace_graphs`, `gc`) hold an exclusive flock
    ROOT/builds/<id>/         one complete build, never written again once it is published:
        db/                   the pyoxigraph (RocksDB) store
        manifest.json         what it holds: the packaged sources, and one entry per named graph
        reader.lock           readers hold a shared flock on it; it is deleted only under an exclusive one
        files/<hash of IRI>/  the files that travel with a graph (`Source.files`: an import's own file and
                              its row digests), hard-linked from build to build while the graph is kept
    ROOT/builds/<id>.tmp/     a build being made (garbage whenever nobody holds write.lock)
    ROOT/builds/<id>.del/     a build being deleted

A new build is made beside the current one, flushed, closed and fsynced, renamed to its final name, and only
then does the pointer switch. A writer killed at any moment leaves the old build current; the next writer
deletes what it left. Readers open the current build with `Store.read_only` (which writes nothing) under a
shared flock, so the build they read is neither written nor deleted while they read it.

Everything is loaded into named graphs; the default graph of a build is empty. Queries should use
`use_default_graph_as_union=True`.

Measured facts this module relies on (pyoxigraph 0.5.13, 2 cores):

- `Store.read_only(db).backup(target)` works, hard-links the SST files and costs ~1 ms whatever the size.
  It does NOT copy the write-ahead log: changes made by a transaction (`remove_graph`, `load`) that were not
  flushed are missing from the backup, and removed data comes back. Every build is therefore `flush()`ed
  before it is closed.
- Opening a store read-write rewrites its MANIFEST, CURRENT and log files, even with read-only handles
  open elsewhere; so a published build is never opened read-write.
- `bulk_load` from a path: 120k triples/s at 1M (0.8 GB peak), 220k/s at 5M (22.7 s, 1.7 GB peak, 518 MB
  on disk). Checking the graph names of a quad file first (`ox.parse`): ~0.5 s per million. Copying a graph
  from another store with `bulk_extend(quads_for_pattern(...))`: ~100k triples/s. Dropping a graph with
  `remove_graph` is a transaction: ~24 µs and ~1.4 KB of memory per triple (25 s and 1.4 GB for 1M). A new
  build therefore either clones the current one and drops the few triples it replaces, or starts empty
  and copies the graphs it keeps, whichever costs less (see `_choose_strategy`).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from erasmus_kg.errors import InputFileError, StoreError, UsageError, one_line
from erasmus_kg.progress import how_many, step
from erasmus_kg.rdf_files import OX_FORMATS as FORMATS
from erasmus_kg.rdf_files import QUAD_FORMATS
from erasmus_kg.store import locks
from erasmus_kg.store.durable import fsync_dir, fsync_tree, hash_file, write_file
from erasmus_kg.store.manifest import (
    LAYOUT,
    BuildInfo,
    ForeignLayout,
    GraphInfo,
    Manifest,
    Source,
    graph_files_dir,
    packaged_fingerprint,
)

__all__ = [
    "LAYOUT",
    "BuildInfo",
    "Deriver",
    "EmbeddedStore",
    "GraphInfo",
    "Source",
    "default_store_root",
    "hold_build",
]

Deriver = Callable[
    [ox.Store, Mapping[str, Mapping[str, Any]], frozenset[str], Path, Path | None, Mapping[str, Path]],
    tuple[Mapping[str, tuple[Path, str, Mapping[str, Any]]], Iterable[str]],
]
"""What a build derives from its graphs. Called with the new store (read-write) after every load and drop, the
metadata of each of its graphs, the graphs loaded or dropped in this build, a scratch directory inside the
new build (its parent is the build's directory, where files that belong to the build may be written), the
directory of the build it replaces (None for the first) and the N-Triples file each graph loaded in this
build from one was loaded from (reading a file again is three times faster than reading the graph back from
the store); it answers the graphs to load (graph ->
(N-Triples file, what it is derived from, metadata)) and the graphs to drop. It runs before the build is
published, so what it derives switches with its sources."""

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_COMPACT_AFTER = 100_000
"""A build that bulk-loaded at least this many triples is compacted before it is published: RocksDB's files
as bulk loads leave them make queries 2-5x slower (measured at 327,000 projects: one `Store.optimize()`, 25 s,
made every stored query 2-3.5x faster); a small load is not worth rewriting a large store."""
_CLONE_MAX_DROP = 2_000_000
"""Never drop more triples than this by transaction (memory: ~1.4 KB per dropped triple)."""
_DROP_COST = 2.5
"""Dropping a triple by transaction costs about 2.5 times copying one into a new store."""
_READER_ATTEMPTS = 50
DERIVED_FROM = "derived from "
"""How the manifest names the source of a graph the deriver made: "derived from <what>"."""


def default_store_root() -> Path:
    """`$ERASMUS_KG_STORE` if set, else `<user data dir>/erasmus-kg/store`."""
    env = os.environ.get("ERASMUS_KG_STORE")
    if env:
        return Path(env).expanduser()
    from erasmus_kg.user_dirs import user_dir

    return user_dir("data") / "store"


class _BuildGone(StoreError):
    """The build directory disappeared (garbage-collected) between reading the pointer and using it."""


class _CurrentUnreadable(StoreError):
    """The current build's store cannot be opened to carry its graphs over."""


class EmbeddedStore:
    """The persistent store under `root`. Cheap to construct: nothing is touched until a method is called."""

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        *,
        lock_timeout: float = 600.0,
        derive: Deriver | None = None,
        derivation: str = "",
        indexes: str = "",
    ) -> None:
        self.root = Path(root) if root is not None else default_store_root()
        self.lock_timeout = lock_timeout
        self.derive = derive
        self.derivation = derivation
        """The fingerprint of `derive` (of its definitions): builds made with another are derived anew."""
        self.indexes = indexes
        """The layouts of the index files `derive` writes: a build made with others gets them made anew."""
        self._builds = self.root / "builds"
        self._pointer = self.root / "current"
        self._write_lock_path = self.root / "write.lock"

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.root)!r})"

    # ----------------------------------------------------------------------------------------------------
    # Reading

    def current_build(self) -> BuildInfo | None:
        """The current build, or None if none was ever made. A corrupt pointer or manifest is a StoreError."""
        try:
            found = self._current()
        except ForeignLayout:
            return None
        return None if found is None else BuildInfo.of(self._builds / found[0], found[1])

    def current_id(self) -> str | None:
        """The id of the current build (None before the first), read from the pointer alone: a long-running
        reader (the web server) calls it per request to notice a new build."""
        return self._read_pointer()

    def graphs(self) -> list[GraphInfo]:
        """The named graphs of the current build, sorted by IRI ([] when there is no build)."""
        build = self.current_build()
        return [] if build is None else [build.graphs[iri] for iri in sorted(build.graphs)]

    @contextlib.contextmanager
    def open_reader(self) -> Iterator[ox.Store]:
        """A read-only Store on the current build, held (not deletable) until the context exits.

        Do not keep the Store, or anything that reads from it lazily, beyond the context.
        """
        with self.open_build() as (store, _):
            yield store

    @contextlib.contextmanager
    def open_build(self) -> Iterator[tuple[ox.Store, Path]]:
        """`open_reader`, with the directory of the build it reads (for the files a build keeps beside its
        store, such as the name index)."""
        fd, build_dir = self._lock_current_for_reading()
        try:
            store = _open_read_only(build_dir / "db")
            try:
                yield store, build_dir
            finally:
                del store
        finally:
            os.close(fd)

    # ----------------------------------------------------------------------------------------------------
    # Writing

    def ensure(self, packaged: Iterable[Source]) -> BuildInfo:
        """Make sure the current build holds exactly these packaged sources, each in its named graph.

        When the packaged files' contents are those the current build was made from, this reads two small
        files and stats the sources (no Store is opened). Otherwise it makes a new build under the write
        lock: changed packaged graphs are reloaded, packaged graphs no longer listed are dropped, every other
        (imported) graph is kept. A missing or corrupt current build is rebuilt from the packaged sources.
        """
        packaged = list(packaged)
        try:
            found = self._current()
        except StoreError:
            found = None
        if found is not None:
            bid, manifest = found
            rows, _ = packaged_fingerprint(packaged, manifest.packaged_files)
            current = (
                rows == manifest.packaged
                and manifest.derivation == self.derivation
                and manifest.indexes == self.indexes
            )
            if current and (self._builds / bid / "db").is_dir():
                self._maybe_gc(bid)
                return BuildInfo.of(self._builds / bid, manifest)
        with self._write_lock():
            cur = self._current_for_writing()
            try:
                return self._commit(cur, {}, packaged, None)
            except _CurrentUnreadable as e:
                _warn(f"{e}; rebuilding the store from the packaged sources")
                return self._commit(None, {}, packaged, None)

    def replace_graphs(
        self,
        changes: Mapping[str, Source | None],
        *,
        packaged: Iterable[Source],
        metadata: Mapping[str, Any] | None = None,
        graph_metadata: Mapping[str, Mapping[str, Any]] | None = None,
        check: Callable[[BuildInfo | None], None] | None = None,
    ) -> BuildInfo:
        """Make a new build in which each graph of `changes` is dropped and, unless its value is None,
        loaded from its source; packaged graphs are brought up to date as by `ensure`; nothing else changes.

        All or nothing: readers see the old build until the new one is complete. `metadata` (JSON values) is
        recorded with each graph loaded here (`graph_metadata[iri]`, where given, instead). Packaged graphs
        cannot be replaced this way. When nothing would
        change, the current build is returned as it is. `check`, where given, is called with the current
        build (None if none) once the write lock is held, before anything is written: what it raises
        refuses the change (a writer that planned its change on an earlier build checks that it still holds).
        """
        packaged = list(packaged)
        changes = dict(changes)
        packaged_iris = {s.graph for s in packaged}
        for iri, src in changes.items():
            if iri in packaged_iris:
                raise StoreError(f"{self.root}: graph <{iri}> holds packaged data and cannot be replaced")
            if src is not None and src.graph != iri:
                raise StoreError(f"{src.path}: source for graph <{src.graph}> given for graph <{iri}>")
            if src is None:
                try:
                    ox.NamedNode(iri)
                except ValueError as e:
                    raise UsageError(f"<{iri}> is not a valid graph IRI ({e})") from None
        meta = {iri: dict(metadata or {}) for iri in changes}
        meta.update({iri: dict(m) for iri, m in (graph_metadata or {}).items() if iri in changes})
        try:
            json.dumps(meta)
        except (TypeError, ValueError) as e:
            raise StoreError(f"{self.root}: metadata is not JSON-serialisable ({e})") from None
        with self._write_lock():
            cur = self._current_for_writing()
            if check is not None:
                check(BuildInfo.of(self._builds / cur[0], cur[1]) if cur else None)
            return self._commit(cur, changes, packaged, meta)

    def gc(self) -> list[str]:
        """Delete every build that is neither current nor held by a reader, and what killed writers left.

        Writers do this after every switch; call it to reclaim builds that readers held back then.
        Returns the ids of the builds deleted.
        """
        with self._write_lock():
            return self._gc_locked(self._read_pointer())

    # ----------------------------------------------------------------------------------------------------
    # Pointer and manifests

    def _read_pointer(self) -> str | None:
        try:
            text = self._pointer.read_bytes().decode("ascii")
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            raise StoreError(f"{self.root}: the store root or a parent is not a directory") from None
        except (OSError, UnicodeDecodeError) as e:
            raise StoreError(f"{self._pointer}: cannot read the store pointer ({one_line(e)})") from None
        bid = text.strip()
        if not _valid_id(bid):
            raise StoreError(f"{self._pointer}: corrupt store pointer ({text[:40]!r} is not a build id)")
        return bid

    def _read_manifest(self, bid: str) -> Manifest:
        build_dir = self._builds / bid
        path = build_dir / "manifest.json"
        try:
            return Manifest.read(path)
        except FileNotFoundError:
            if not build_dir.is_dir():
                raise _BuildGone(bid) from None
            raise StoreError(f"{path}: the manifest of the current build is missing") from None

    def _current(self) -> tuple[str, Manifest] | None:
        """(id, manifest) of the current build, None if there is none; StoreError if corrupt."""
        previous = None
        for _ in range(_READER_ATTEMPTS):
            bid = self._read_pointer()
            if bid is None:
                return None
            try:
                return bid, self._read_manifest(bid)
            except _BuildGone:
                if bid == previous:
                    break
                previous = bid  # maybe switched and collected meanwhile: read the pointer again
        raise StoreError(f"{self._pointer}: names build {previous}, which is missing from {self._builds}")

    def _current_for_writing(self) -> tuple[str, Manifest] | None:
        """The current build a writer builds on (lock held); a corrupt one is logged and treated as none."""
        try:
            found = self._current()
        except StoreError as e:
            _warn(f"{e}; rebuilding the store from the packaged sources")
            return None
        if found is None:
            return None
        bid = found[0]
        if not (self._builds / bid / "db").is_dir():
            _warn(f"{self._builds / bid / 'db'}: the current build's store is missing; rebuilding")
            return None
        return found

    def _write_pointer(self, bid: str) -> None:
        tmp = self.root / f".current.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, f"{bid}\n".encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        tmp.replace(self._pointer)
        fsync_dir(self.root)

    # ----------------------------------------------------------------------------------------------------
    # Locks

    def _prepare_root(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{self.root}: the store root is not a directory")
        try:
            self._builds.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise StoreError(f"{self._builds}: exists and is not a directory") from None
        except OSError as e:
            raise StoreError(f"{self.root}: cannot create the store directory ({one_line(e)})") from None
        if not os.access(self.root, os.W_OK | os.X_OK) or not os.access(self._builds, os.W_OK | os.X_OK):
            raise StoreError(f"{self.root}: the store root is not writable")

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self._prepare_root()
        with locks.exclusive(
            self._write_lock_path, self.lock_timeout, "another process is writing the store"
        ):
            yield

    def _lock_current_for_reading(self) -> tuple[int, Path]:
        """Open and share-lock the current build's reader.lock; retry if the build was collected meanwhile."""
        previous = None
        for _ in range(_READER_ATTEMPTS):
            bid = self._read_pointer()
            if bid is None:
                raise StoreError(f"{self.root}: no store has been built yet")
            build_dir = self._builds / bid
            lock = build_dir / "reader.lock"
            try:
                fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                if bid == previous:
                    break
                previous = bid
                continue
            except OSError as e:
                raise StoreError(f"{lock}: cannot open the reader lock ({one_line(e)})") from None
            try:
                locks.shared(fd)  # waits only while a collector is deleting this very build
                mine = os.fstat(fd)
                try:
                    there = lock.stat()
                    alive = (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)
                except FileNotFoundError:
                    alive = False
            except BaseException:
                os.close(fd)
                raise
            if alive:
                return fd, build_dir
            os.close(fd)
            previous = None  # it was collected: the pointer has moved on
        raise StoreError(f"{self._pointer}: names build {previous}, which is missing from {self._builds}")

    # ----------------------------------------------------------------------------------------------------
    # Garbage collection

    def _maybe_gc(self, current_id: str) -> None:
        """On the read path: collect old builds only if there are some and no writer is at work."""
        try:
            if len(os.listdir(self._builds)) <= 1:  # noqa: PTH208 - fastest
                return
            fd = os.open(self._write_lock_path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return
        try:
            try:
                if not locks.try_exclusive(fd):
                    return
            except OSError:
                return
            if self._read_pointer() == current_id:
                self._gc_locked(current_id)
        except (OSError, StoreError):
            pass  # best effort: a writer will collect later
        finally:
            os.close(fd)

    def _gc_locked(self, current_id: str | None) -> list[str]:
        """Delete non-current builds that no reader holds, and leftovers of killed writers. Lock held."""
        removed = []
        try:
            names = os.listdir(self._builds)  # noqa: PTH208
        except FileNotFoundError:
            names = []
        for name in names:
            path = self._builds / name
            if name == current_id:
                continue
            if name.endswith((".tmp", ".del")):
                _remove_tree(path)  # no writer is at work: incomplete, garbage
                continue
            if not _valid_id(name):
                continue  # not ours
            try:
                fd = os.open(path / "reader.lock", os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                fd = None  # a published build always has one: this is debris
            except OSError:
                continue
            try:
                if fd is not None and not locks.try_exclusive(fd):
                    continue  # a reader holds it
                trash = self._builds / f"{name}.del"
                try:
                    path.rename(trash)
                except OSError:
                    continue
                _remove_tree(trash)
                removed.append(name)
            finally:
                if fd is not None:
                    os.close(fd)
        with contextlib.suppress(OSError):
            for leftover in self.root.glob(".current.*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return removed

    # ----------------------------------------------------------------------------------------------------
    # Building

    def _commit(
        self,
        cur: tuple[str, Manifest] | None,
        changes: dict[str, Source | None],
        packaged: list[Source],
        metadata: dict[str, dict[str, Any]] | None,
    ) -> BuildInfo:
        """Make, publish and switch to a new build (write lock held); return the current build."""
        try:
            pointed = self._read_pointer()
        except StoreError:
            pointed = None
        self._gc_locked(pointed)  # leftovers of killed writers, builds that readers held back then
        rows, stat_cache = packaged_fingerprint(packaged, cur[1].packaged_files if cur else {})
        hashes = {graph: digest for graph, _, digest in rows}
        old: Mapping[str, GraphInfo] = cur[1].graphs if cur else {}
        by_iri = {s.graph: s for s in packaged}

        kept: dict[str, GraphInfo] = {}
        loads: dict[str, tuple[Source, str | None]] = {}  # graph -> (source, known hash if packaged)
        for iri, entry in old.items():
            if entry.packaged:
                src = by_iri.get(iri)
                if src is not None and entry.hash == hashes[iri] and entry.format == src.format:
                    kept[iri] = entry
            elif iri not in changes and iri not in by_iri:
                kept[iri] = entry
        for src in packaged:
            if src.graph not in kept:
                loads[src.graph] = (src, hashes[src.graph])
        for iri, src in changes.items():
            if src is not None:
                loads[iri] = (src, None)
        dropped = [iri for iri in old if iri not in kept]

        rederive = cur is not None and cur[1].derivation != self.derivation
        reindex = cur is not None and cur[1].indexes != self.indexes  # the deriver remakes those files only
        unchanged = not loads and not dropped and not rederive and not reindex
        if cur is not None and unchanged and rows == cur[1].packaged:
            return BuildInfo.of(self._builds / cur[0], cur[1])

        drop_triples = sum(old[iri].triples for iri in dropped)
        keep_triples = sum(entry.triples for entry in kept.values())
        strategy = _choose_strategy(cur is not None, drop_triples, keep_triples)

        bid = _new_id()
        tmp = self._builds / f"{bid}.tmp"
        final = self._builds / bid
        try:
            tmp.mkdir()
        except OSError as e:
            raise StoreError(f"{tmp}: cannot create a build directory ({one_line(e)})") from None
        try:
            entries = self._make_db(
                tmp / "db",
                self._builds / cur[0] / "db" if cur else None,
                strategy,
                kept,
                dropped,
                loads,
                metadata or {},
                rederive,
            )
            _place_graph_files(tmp, self._builds / cur[0] if cur else None, entries, loads)
            manifest = Manifest(
                id=bid,
                created=_now(),
                strategy=strategy,
                derivation=self.derivation,
                indexes=self.indexes,
                packaged=rows,
                packaged_files=stat_cache,
                graphs=entries,
            )
            fsync_tree(tmp)
            write_file(tmp / "manifest.json", manifest.to_json())
            write_file(tmp / "reader.lock", b"")
            fsync_dir(tmp)
            tmp.rename(final)
            fsync_dir(self._builds)
            self._write_pointer(bid)
        except OSError as e:
            _remove_tree(tmp)
            raise StoreError(f"{tmp}: cannot publish the build ({one_line(e)})") from None
        except BaseException:
            _remove_tree(tmp)
            raise
        self._gc_locked(bid)
        return BuildInfo.of(final, manifest)

    def _make_db(
        self,
        db: Path,
        cur_db: Path | None,
        strategy: str,
        kept: dict[str, GraphInfo],
        dropped: list[str],
        loads: dict[str, tuple[Source, str | None]],
        metadata: dict[str, dict[str, Any]],
        rederive: bool = False,
    ) -> dict[str, GraphInfo]:
        """Fill the new store at `db`; return the manifest's graph entries. The store is closed on return."""
        entries = dict(kept)
        written = 0  # triples bulk-loaded into the new store
        store: ox.Store | None = None
        source: ox.Store | None = None
        try:
            if strategy == "clone":
                assert cur_db is not None
                with step("copying the current build"):
                    try:
                        source = ox.Store.read_only(str(cur_db))
                        source.backup(str(db))
                    except (OSError, RuntimeError) as e:
                        message = f"{cur_db}: cannot back up the build ({one_line(e)})"
                        raise _CurrentUnreadable(message) from None
                    source = None
                    store = _open_rw(db)
                    for iri in dropped:
                        store.remove_graph(ox.NamedNode(iri))
            else:
                store = _open_rw(db)
                if kept:
                    assert cur_db is not None
                    with step(f"copying {how_many(len(kept), 'graph')} of the current build"):
                        try:
                            source = ox.Store.read_only(str(cur_db))
                        except (OSError, RuntimeError) as e:
                            raise _CurrentUnreadable(f"{cur_db}: cannot open ({one_line(e)})") from None
                        for iri in kept:
                            graph = ox.NamedNode(iri)
                            store.bulk_extend(source.quads_for_pattern(None, None, None, graph))
                            written += kept[iri].triples
                        source = None
            with step(f"loading {how_many(len(loads), 'graph')}" if loads else None):
                for iri, (src, known_hash) in loads.items():
                    is_packaged = known_hash is not None
                    digest, triples = _load_source(store, iri, src, known_hash)
                    written += triples
                    entries[iri] = GraphInfo(
                        iri=iri,
                        source=src.description or str(src.path),
                        format=src.format,
                        hash=digest,
                        triples=triples,
                        loaded=_now(),
                        packaged=is_packaged,
                        metadata={} if is_packaged else metadata.get(iri, {}),
                        files=tuple(name for name, _ in src.files),
                    )
            if self.derive is not None:
                previous = cur_db.parent if cur_db is not None else None
                changed = frozenset(loads) | frozenset(dropped)
                if rederive:  # derived with other definitions: every source changed
                    changed |= {iri for iri, e in entries.items() if not e.source.startswith(DERIVED_FROM)}
                files = {iri: src.path for iri, (src, _) in loads.items() if src.format == "ntriples"}
                written += self._derive(store, entries, changed, db.parent, previous, files)
            if written >= _COMPACT_AFTER:
                with step("compacting the store"):
                    store.optimize()
            stray = {str(g.value) for g in store.named_graphs()} - set(entries)
            if stray:
                raise StoreError(f"{db}: unexpected graphs after loading: {', '.join(sorted(stray))}")
            if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
                raise StoreError(f"{db}: unexpected triples in the default graph after loading")
            store.flush()  # required: a read-only backup of this build would miss what stayed in the WAL
        except (OSError, RuntimeError) as e:
            raise StoreError(f"{db}: building the store failed ({one_line(e)})") from None
        finally:
            store = source = None  # closes them (pyoxigraph has no close())
        return entries

    def _derive(
        self,
        store: ox.Store,
        entries: dict[str, GraphInfo],
        changed: frozenset[str],
        build_dir: Path,
        previous: Path | None,
        files: Mapping[str, Path],
    ) -> int:
        """Run the deriver on the new store and apply what it answers to the store and `entries`; returns
        the number of triples it loaded. `files`: the N-Triples files of the graphs loaded in this build."""
        assert self.derive is not None
        metadata = {iri: e.metadata for iri, e in entries.items()}
        scratch = build_dir / "derive.tmp"
        scratch.mkdir()
        try:
            return self._apply_derived(
                store, entries, *self.derive(store, metadata, changed, scratch, previous, files)
            )
        finally:
            _remove_tree(scratch)

    def _apply_derived(
        self,
        store: ox.Store,
        entries: dict[str, GraphInfo],
        loads: Mapping[str, tuple[Path, str, Mapping[str, Any]]],
        drops: Iterable[str],
    ) -> int:
        loaded = 0
        for iri in drops:
            store.remove_graph(ox.NamedNode(iri))
            entries.pop(iri, None)
        with step(f"loading {how_many(len(loads), 'derived graph')}" if loads else None):
            for iri, (path, origin, made) in loads.items():
                digest, triples = _load_source(store, iri, Source(iri, path, "ntriples"), None)
                loaded += triples
                entries[iri] = GraphInfo(
                    iri=iri,
                    source=DERIVED_FROM + origin,
                    format="ntriples",
                    hash=digest,
                    triples=triples,
                    loaded=_now(),
                    packaged=False,
                    metadata=dict(made),
                )
        return loaded


# --------------------------------------------------------------------------------------------------------
# Helpers


@contextlib.contextmanager
def hold_build(build_dir: Path) -> Iterator[ox.Store]:
    """A read-only Store on the published build at `build_dir` that another reader holds (the web server's
    request that hands a query to a worker process, `web.query_workers`), held by this process too until the
    context exits: its reader lock is shared, so the build is not collected while this process keeps it open,
    even after that request has ended. StoreError when the build is no longer there."""
    lock = build_dir / "reader.lock"
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
    except OSError as e:
        raise StoreError(f"{lock}: cannot open the reader lock ({one_line(e)})") from None
    try:
        locks.shared(fd)
        store = _open_read_only(build_dir / "db")
        try:
            yield store
        finally:
            del store
    finally:
        os.close(fd)


def _choose_strategy(have_current: bool, drop_triples: int, keep_triples: int) -> str:
    """ "clone" (backup + transactional drops) when dropping is cheaper than copying what is kept."""
    if not have_current or keep_triples == 0:
        return "fresh"
    if drop_triples <= _CLONE_MAX_DROP and drop_triples * _DROP_COST <= keep_triples:
        return "clone"
    return "fresh"


def _place_graph_files(
    build: Path,
    previous: Path | None,
    entries: Mapping[str, GraphInfo],
    loads: Mapping[str, tuple[Source, str | None]],
) -> None:
    """Put the files that travel with each graph into the new build: those of a loaded graph from its
    source, those of a kept graph from the previous build (hard links where the file system allows: a
    build's files are never written again)."""
    for iri, entry in entries.items():
        if not entry.files:
            continue
        target = graph_files_dir(build, iri)
        target.mkdir(parents=True, exist_ok=True)
        given = dict(loads[iri][0].files) if iri in loads else {}
        for name in entry.files:
            if name in given:
                origin = given[name]
            else:
                assert previous is not None, f"graph <{iri}> was kept from no previous build"
                origin = graph_files_dir(previous, iri) / name
            try:
                os.link(origin, target / name)
            except OSError:
                import shutil  # off the start-up path (it imports the compression modules)

                shutil.copyfile(origin, target / name)


def _open_read_only(db: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(db))
    except (OSError, RuntimeError) as e:
        raise StoreError(f"{db}: cannot open the store read-only ({one_line(e)})") from None


def _open_rw(db: Path) -> ox.Store:
    try:
        return ox.Store(str(db))
    except (OSError, RuntimeError) as e:
        raise StoreError(f"{db}: cannot create the store ({one_line(e)})") from None


def graph_size_query(iri: str) -> str:
    """The SPARQL query for the number of triples of graph `iri` (tests/test_portable_sparql.py parses it)."""
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(iri)} {{ ?s ?p ?o }} }}"


def _load_source(store: ox.Store, iri: str, src: Source, digest: str | None) -> tuple[str, int]:
    """Bulk-load `src` into graph `iri` of `store`; return its content hash (`digest` if already known)
    and the graph's triple count."""
    import concurrent.futures  # only when loading: not on the query path's start-up

    path = src.path
    if not path.is_file():
        raise InputFileError(path, "no such file")
    fmt = FORMATS[src.format]
    graph = ox.NamedNode(iri)
    # The file is hashed in a thread while pyoxigraph loads it (both release the GIL): at 100,000 projects
    # that is a second less than hashing first.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        hashing = pool.submit(hash_file, path) if digest is None else None
        try:
            if src.format in QUAD_FORMATS:
                _check_quad_graphs(path, fmt, graph)
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        except SyntaxError as e:
            raise InputFileError(path, one_line(e.msg or e), e.lineno) from None
        except ValueError as e:
            raise InputFileError(path, one_line(e)) from None
        if hashing is not None:
            try:
                digest = hashing.result()
            except OSError as e:
                raise InputFileError(path, f"cannot read: {e.strerror or e}") from None
    counted = store.query(graph_size_query(iri))
    assert isinstance(counted, ox.QuerySolutions) and digest is not None
    return digest, int(next(iter(counted))[0].value)


def _check_quad_graphs(path: Path, fmt: ox.RdfFormat, graph: ox.NamedNode) -> None:
    """Fail if a quad of the file is in a named graph other than `graph` (~0.6 s per million quads)."""
    default = ox.DefaultGraph()
    for quad in ox.parse(path=str(path), format=fmt):
        name = quad.graph_name
        if name != default and name != graph:
            raise InputFileError(
                path,
                f"a quad is in graph {name}; the quads of a file loaded into {graph} "
                "must be in the default graph or in that graph",
            )


def _remove_tree(path: Path) -> None:
    """Delete a directory tree, ignoring errors. shutil is imported here: with zlib, bz2 and lzma it costs
    every command's start-up about 3 ms, and a command that only reads removes nothing."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def _valid_id(bid: str) -> bool:
    return 0 < len(bid) <= 64 and all(c in _ID_CHARS for c in bid)


def _new_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{os.getpid()}-{os.urandom(3).hex()}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _warn(message: str) -> None:
    import logging  # ~10 ms to import: only when warning

    logging.getLogger(__name__).warning(message)
