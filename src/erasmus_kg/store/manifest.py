"""What a build holds, as typed records: its sources, its named graphs, and the manifest written beside it.

A build's `manifest.json` is a `Manifest`: the packaged fingerprint (which packaged files, with which content,
the build was made from), a stat cache that spares hashing unchanged packaged files, and one `GraphInfo` per
named graph. Records are parsed strictly: anything missing or of the wrong type is a corrupt manifest
(`StoreError`), never a half-read dict.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox

from erasmus_kg.errors import InputFileError, StoreError, UsageError, one_line
from erasmus_kg.rdf_files import OX_FORMATS
from erasmus_kg.store.durable import hash_file

LAYOUT = "erasmus-kg-store/2"
"""The layout version written in every manifest. A build of another layout is rebuilt. 2: every build holds
the derived graphs of its sources and the statistics of them all."""

RACY_WINDOW_NS = 2_000_000_000
"""A cached content hash is trusted on an unchanged stat only if the file had not been changed for this long
before it was hashed: a change within the same timestamp tick as the hashing would not show in the stat."""

PackagedRow = tuple[str, str, str]
"""(graph IRI, format, content hash) of one packaged source."""

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Source:
    """An RDF file to load into one named graph.

    Triple formats are loaded into `graph`. For quad formats (nquads, trig) the quads in the file's default
    graph go into `graph`, quads already in `graph` stay there, and a quad in any other graph makes the load
    fail: an import file is written with its quads in the default graph or in `graph`.
    """

    graph: str
    path: Path
    format: str
    description: str | None = None
    """What the manifest records as the graph's source (`GraphInfo.source`); None: the path."""
    files: tuple[tuple[str, Path], ...] = ()
    """Files that travel with the graph (name, path): placed in the build (`BuildInfo.graph_file`) and
    carried into every later build that keeps the graph; an import keeps its file and its row digests so."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        if self.format not in OX_FORMATS:
            raise UsageError(
                f"{self.path}: unknown RDF format {self.format!r} (expected one of {', '.join(OX_FORMATS)})"
            )
        try:
            ox.NamedNode(self.graph)
        except ValueError as e:
            raise UsageError(f"{self.path}: <{self.graph}> is not a valid graph IRI ({e})") from None
        object.__setattr__(self, "files", tuple((name, Path(path)) for name, path in self.files))
        for name, _ in self.files:
            if not _plain_file_name(name):
                raise UsageError(f"{self.path}: {name!r} is not a plain file name")


@dataclass(frozen=True)
class GraphInfo:
    """One named graph of a build, as its manifest records it."""

    iri: str
    source: str
    """The source path as it was given when the graph was loaded, or the source's description (a derived
    graph: "derived from <what>")."""
    format: str
    hash: str
    """`blake2b:<hex>` of the source file's bytes, computed when it was loaded."""
    triples: int
    loaded: str
    """When it was loaded: ISO 8601, UTC."""
    packaged: bool
    metadata: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """What `replace_graphs(..., metadata=...)` was given when this graph was loaded ({} for packaged)."""
    files: tuple[str, ...] = ()
    """The names of the files that travel with the graph (`Source.files`)."""

    def to_json(self) -> JsonObject:
        entry: JsonObject = {
            "source": self.source,
            "format": self.format,
            "hash": self.hash,
            "triples": self.triples,
            "loaded": self.loaded,
            "packaged": self.packaged,
            "metadata": dict(self.metadata),
        }
        if self.files:
            entry["files"] = list(self.files)
        return entry

    @classmethod
    def from_json(cls, iri: str, entry: object) -> GraphInfo:
        if not isinstance(entry, dict):
            raise TypeError(f"graph {iri} is not an object")
        metadata = entry.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise TypeError(f"the metadata of graph {iri} is not an object")
        files = entry.get("files") or []
        if not isinstance(files, list) or not all(_plain_file_name(name) for name in files):
            raise TypeError(f"the files of graph {iri} are not a list of file names")
        return cls(
            iri=iri,
            source=str(entry["source"]),
            format=str(entry["format"]),
            hash=str(entry["hash"]),
            triples=int(entry["triples"]),
            loaded=str(entry["loaded"]),
            packaged=bool(entry["packaged"]),
            metadata=metadata,
            files=tuple(files),
        )


# FileStat, Manifest and BuildInfo are NamedTuples, not frozen dataclasses: a frozen dataclass compiles six
# methods when it is defined (~0.6 ms a class on the 2-core machine), and this module is on the start-up of
# every command (docs/benchmarks.md, "The CLI's own cost"). Source (it checks its values) and GraphInfo (its
# metadata is left out of comparisons) need what only a dataclass does.
class FileStat(NamedTuple):
    """A packaged file's identity when it was hashed, and the hash: the stat cache of a manifest."""

    device: int
    inode: int
    size: int
    mtime_ns: int
    ctime_ns: int
    digest: str
    hashed_at_ns: int

    def same_file(self, st: Any) -> bool:
        """Whether `st` (an os.stat_result) is this unchanged file, and it was hashed safely after its last
        change (see RACY_WINDOW_NS)."""
        return (self.device, self.inode, self.size, self.mtime_ns, self.ctime_ns) == (
            st.st_dev,
            st.st_ino,
            st.st_size,
            st.st_mtime_ns,
            st.st_ctime_ns,
        ) and max(st.st_mtime_ns, st.st_ctime_ns) < self.hashed_at_ns - RACY_WINDOW_NS

    def to_json(self) -> list[int | str]:
        return [
            self.device,
            self.inode,
            self.size,
            self.mtime_ns,
            self.ctime_ns,
            self.digest,
            self.hashed_at_ns,
        ]

    @classmethod
    def from_json(cls, record: object) -> FileStat | None:
        """The record, or None when it is not one (a stale or foreign cache entry is ignored, not read)."""
        if not isinstance(record, list) or len(record) != 7:
            return None
        device, inode, size, mtime, ctime, digest, hashed_at = record
        numbers = (device, inode, size, mtime, ctime, hashed_at)
        if not all(isinstance(n, int) for n in numbers) or not isinstance(digest, str):
            return None
        return cls(device, inode, size, mtime, ctime, digest, hashed_at)


class Manifest(NamedTuple):
    """The manifest of one build (`manifest.json`)."""

    id: str
    created: str
    strategy: str
    """How it was made: "fresh" (an empty store, kept graphs copied in) or "clone" (a backup of the previous
    build, replaced graphs dropped)."""
    packaged: tuple[PackagedRow, ...]
    """The packaged fingerprint: sorted (graph IRI, format, content hash) of the packaged sources."""
    packaged_files: Mapping[str, FileStat]
    graphs: Mapping[str, GraphInfo]
    derivation: str = ""
    """The fingerprint of what the build derived its derived graphs with ("" for none): a build of another is
    derived anew."""
    indexes: str = ""
    """The layouts of the index files it wrote beside its store ("" for none known): a build of others gets
    them made anew, its derived graphs kept."""
    layout: str = LAYOUT

    def to_json(self) -> bytes:
        return json.dumps(
            {
                "layout": self.layout,
                "derivation": self.derivation,
                "indexes": self.indexes,
                "id": self.id,
                "created": self.created,
                "strategy": self.strategy,
                "packaged": [list(row) for row in self.packaged],
                "packaged_files": {path: stat.to_json() for path, stat in self.packaged_files.items()},
                "graphs": {iri: info.to_json() for iri, info in self.graphs.items()},
            },
            indent=1,
            sort_keys=True,
        ).encode()

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest in `path`; FileNotFoundError if there is none, StoreError if it is corrupt or of
        another layout (`ForeignLayout`)."""
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as e:
            raise StoreError(f"{path}: corrupt manifest ({one_line(e)})") from None
        if not isinstance(data, dict) or not isinstance(data.get("graphs"), dict):
            raise StoreError(f"{path}: corrupt manifest (no graphs table)")
        if data.get("layout") != LAYOUT:
            raise ForeignLayout(f"{path.parent}: layout {data.get('layout')!r} is not {LAYOUT}")
        try:
            files = data.get("packaged_files")
            stats = {
                str(k): FileStat.from_json(v) for k, v in (files if isinstance(files, dict) else {}).items()
            }
            return cls(
                id=str(data["id"]),
                created=str(data["created"]),
                strategy=str(data.get("strategy", "")),
                derivation=str(data.get("derivation", "")),
                indexes=str(data.get("indexes", "")),
                packaged=tuple((str(g), str(f), str(h)) for g, f, h in data["packaged"]),
                packaged_files={k: v for k, v in stats.items() if v is not None},
                graphs={str(iri): GraphInfo.from_json(str(iri), e) for iri, e in data["graphs"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise StoreError(f"{path}: corrupt manifest ({type(e).__name__}: {one_line(e)})") from None


class ForeignLayout(StoreError):
    """A build written in another layout: it is rebuilt, not read."""


class BuildInfo(NamedTuple):
    """One complete build."""

    id: str
    path: Path
    """The build directory; the pyoxigraph store is `db_path`."""
    created: str
    strategy: str
    """How it was made: "fresh" or "clone" (see `Manifest.strategy`)."""
    packaged: tuple[PackagedRow, ...]
    """The packaged fingerprint: sorted (graph IRI, format, content hash) of the packaged sources."""
    graphs: Mapping[str, GraphInfo]

    @classmethod
    def of(cls, path: Path, manifest: Manifest) -> BuildInfo:
        return cls(manifest.id, path, manifest.created, manifest.strategy, manifest.packaged, manifest.graphs)

    @property
    def db_path(self) -> Path:
        return self.path / "db"

    @property
    def triples(self) -> int:
        return sum(g.triples for g in self.graphs.values())

    def graph_file(self, iri: str, name: str) -> Path | None:
        """The file `name` that travels with graph `iri` (`Source.files`) in this build, or None."""
        graph = self.graphs.get(iri)
        if graph is None or name not in graph.files:
            return None
        return graph_files_dir(self.path, iri) / name


def graph_files_dir(build: Path, iri: str) -> Path:
    """Where the files that travel with graph `iri` lie in the build directory `build`."""
    from erasmus_kg.digests import blake2b

    return build / "files" / blake2b(iri.encode("utf-8"), digest_size=8).hexdigest()


def _plain_file_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name


def packaged_fingerprint(
    packaged: list[Source], cache: Mapping[str, FileStat]
) -> tuple[tuple[PackagedRow, ...], dict[str, FileStat]]:
    """The packaged fingerprint (sorted (graph, format, content hash)) and the stat cache to record.

    A file's hash is taken from the cache when its (device, inode, size, mtime, ctime) are those recorded
    and it had not changed for `RACY_WINDOW_NS` before it was hashed; otherwise the file is hashed. Any
    write to a file changes its ctime (which cannot be set back), so no content change is missed.
    """
    rows: list[PackagedRow] = []
    new_cache: dict[str, FileStat] = {}
    seen: set[str] = set()
    for src in packaged:
        if src.graph in seen:
            raise StoreError(f"{src.path}: graph <{src.graph}> is given twice among the packaged sources")
        seen.add(src.graph)
        key = str(src.path.absolute())
        started = time.time_ns()
        try:
            st = src.path.stat()
        except OSError as e:
            raise InputFileError(src.path, f"cannot read: {e.strerror or e}") from None
        rec = cache.get(key)
        if rec is None or not rec.same_file(st):
            try:
                digest = hash_file(key)
            except OSError as e:
                raise InputFileError(src.path, f"cannot read: {e.strerror or e}") from None
            rec = FileStat(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, digest, started)
        new_cache[key] = rec
        rows.append((src.graph, src.format, rec.digest))
    rows.sort()
    return tuple(rows), new_cache
