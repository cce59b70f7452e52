"""Published lists and their versions: which list a file is, which version of it, which list a project
belongs to when several lists hold it, and what changed between two versions of a list.

The Commission publishes the Project Results as one file per list, refreshed weekly under date-stamped names
(`ErasmusPlus_KA1_2014_..._Projects_Overview_2026-04-02.csv`). A file's *list* is its name without that
date (`ErasmusPlus_KA1_2014_..._Projects_Overview.csv`), and its graph is the list's
(`identity.import_graph`): importing next week's file replaces this week's. A name without a date is a list
of its own, dated by the day it was imported.

Every imported list keeps two files with its graph in the store's builds (`store.manifest.Source.files`): a
copy of the imported file (`IMPORTED`) and the digest of each of its rows (`ROWS`: one line per row,
`key TAB digest`). The digests give the change report of a refresh (`compare`); the copy lets a list be
imported again when which of its projects it owns changes (`ownership`).

A project that several lists hold belongs to the list of the newest date, and among lists of one date to
the one whose graph IRI sorts last (`ListVersion.rank`); the other lists record their copy as superseded
(PROV) and do not describe it, so the project is one node described by one list, and the derived facts and
statistics count it once. The same holds for the charters of ECHE lists (keyed by Erasmus code, else proposal
number). Ownership is settled among the lists of one importer (`ListVersion.kind`): a Project Results list
and an ECHE list never own each other's keys, even where a project identifier and a proposal number were
the same string, since they name different things (a project, a charter).
"""

from __future__ import annotations

import datetime
import re
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from erasmus_kg.errors import InputFileError

IMPORTED = "imported"
"""The name (plus the file's own suffix) of the kept copy of an imported file."""
ROWS = "rows.tsv"
"""The name of the row digests of an imported file."""

_DATED = re.compile(r"^(?P<stem>.*?)[_-](?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?P<suffix>\.[A-Za-z0-9]+)?$")


@dataclass(frozen=True)
class ListFile:
    """A file as a version of a list: the list's name and the version's date (ISO), None if undated."""

    name: str
    date: str | None

    @classmethod
    def of(cls, path: Path) -> ListFile:
        """`X_2026-04-02.csv` is the version of 2026-04-02 of list `X.csv`; `X.csv` is list `X.csv`,
        undated; so is a name whose date is no day of the calendar."""
        match = _DATED.match(path.name)
        if match is not None and match.group("stem"):
            try:
                date = datetime.date.fromisoformat(match.group("date")).isoformat()
            except ValueError:
                return cls(path.name, None)
            return cls(match.group("stem") + (match.group("suffix") or ""), date)
        return cls(path.name, None)


def imported_name(path: Path) -> str:
    """The name of the kept copy of `path` in the store."""
    return IMPORTED + path.suffix.lower()


@dataclass
class ListVersion:
    """One imported version of a list, as the store holds it: its graph, date, import time and row keys."""

    graph: str
    date: str | None
    imported: str
    """When this version was first imported: ISO 8601, UTC (kept when the list is imported again because
    its ownership changed)."""
    keys: frozenset[str] = field(default_factory=frozenset)
    """The keys (`Importer.row_key`: project identifiers, charter codes) of its rows, superseded ones
    included."""
    kind: str = ""
    """The importer that read it ("prp", "eche"): keys are shared only between versions of one kind."""

    @property
    def rank(self) -> tuple[str, str]:
        """Which list a shared project belongs to: the highest rank, the newest date; among lists of one date,
        the greatest graph IRI. The tie is broken by name, not by the order of imports, so that which list
        owns what follows from the versions in the store alone, and the weekly refreshes of two overlapping
        lists of one date do not hand their shared projects back and forth (each handover imports the other
        list again)."""
        return (self.date or self.imported[:10], self.graph)


def owners(lists: Sequence[ListVersion]) -> dict[str, dict[str, str]]:
    """For each list's graph, its keys that a higher-ranked list of its kind holds too -> the graph of the
    list that owns them (the highest-ranked list of that kind that holds the key). Lists that share nothing
    map to {}."""
    best: dict[tuple[str, str], ListVersion] = {}
    for version in lists:
        for key in version.keys:
            held = best.get((version.kind, key))
            if held is None or version.rank > held.rank:
                best[version.kind, key] = version
    superseded: dict[str, dict[str, str]] = {version.graph: {} for version in lists}
    for version in lists:
        lost = superseded[version.graph]
        for key in version.keys:
            owner = best[version.kind, key]
            if owner is not version:
                lost[key] = owner.graph
    return superseded


def claimed_above(lists: Iterable[ListVersion], new: ListVersion) -> dict[str, str]:
    """The keys held by lists of the kind of `new` ranked above it -> the graph of the highest-ranked one
    (what `new` does not describe)."""
    claimed: dict[str, tuple[tuple[str, str], str]] = {}
    for version in lists:
        if version.kind != new.kind or version.rank <= new.rank:
            continue
        for key in version.keys:
            held = claimed.get(key)
            if held is None or version.rank > held[0]:
                claimed[key] = (version.rank, version.graph)
    return {key: graph for key, (_, graph) in claimed.items()}


# ------------------------------------------------------------------------------------------------------------
# Row digests and the change report


def digest(cells: Sequence[str]) -> str:
    """The digest of a row's cells as the file writes them (trailing empty cells do not count)."""
    whole = "\x1f".join(cells)  # at C speed: most rows end in hundreds of empty partner cells
    joined = whole.rstrip("\x1f")
    end = len(cells) - (len(whole) - len(joined))  # each trailing empty cell leaves one separator at the end
    if not (end > 0 and cells[end - 1] and not any(cells[end:])):  # a last cell ending in U+001F, or none
        end = len(cells)
        while end and not cells[end - 1]:
            end -= 1
        joined = "\x1f".join(cells[:end])
    data = joined.encode("utf-8", "surrogatepass")
    return zlib.crc32(data).to_bytes(4, "big").hex() + f"{len(data):x}"


def column_signature(cells: Sequence[str]) -> bytes:
    """The CRC of every cell without its surrounding whitespace, compressed: enough to tell which columns of
    a changed row differ."""
    return zlib.compress(array("I", _cell_crcs(cells)))


def _cell_crcs(cells: Sequence[str]) -> Iterator[int]:
    for cell in cells:
        yield zlib.crc32(cell.strip().encode("utf-8", "surrogatepass")) if cell else _EMPTY


def _crcs(signature: bytes) -> array[int]:
    values = array("I")
    values.frombytes(zlib.decompress(signature))
    return values


def write_rows(path: Path, rows: Iterable[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for key, row_digest in rows:
            out.write(f"{key}\t{row_digest}\n")


def read_rows(path: Path) -> dict[str, str]:
    """key -> digest of every row of a rows file (`ROWS`)."""
    rows: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="\n") as lines:
        for number, line in enumerate(lines, start=1):
            key, tab, row_digest = line.rstrip("\n").rpartition("\t")
            if not tab or not key:
                raise InputFileError(path, "not a file of row digests (KEY TAB DIGEST)", number)
            rows[key] = row_digest
    return rows


@dataclass
class RowLedger:
    """What an import records of each row it reads: the key and digest of every row it imports, and, for a
    row whose key the previous version has with another digest, its column signature."""

    previous: Mapping[str, str] = field(default_factory=dict)
    rows: dict[int, tuple[str, str]] = field(default_factory=dict)
    """Row number -> (key, digest), in file order; bad rows are taken out again (`forget`)."""
    changed: dict[str, bytes] = field(default_factory=dict)
    """Key -> column signature of the rows that differ from the previous version's."""
    columns: Sequence[str] = ()

    def record(self, number: int, key: str | None, cells: Sequence[str]) -> None:
        if not key:
            return
        row_digest = digest(cells)
        self.rows[number] = (key, row_digest)
        old = self.previous.get(key)
        if old is not None and old != row_digest:
            self.changed[key] = column_signature(cells)

    def forget(self, number: int) -> None:
        found = self.rows.pop(number, None)
        if found is not None:
            self.changed.pop(found[0], None)

    def row_keys(self) -> list[str]:
        return [key for key, _ in self.rows.values()]


@dataclass(frozen=True)
class Changes:
    """What changed between two versions of a list."""

    previous: str
    """The file name of the version replaced."""
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: Mapping[str, tuple[str, ...]]
    """Key -> the names of the columns whose values changed."""

    def column_counts(self) -> list[tuple[str, int]]:
        """(column, how many changed rows changed it), most first, then by name."""
        counts: dict[str, int] = {}
        for columns in self.changed.values():
            for column in columns:
                counts[column] = counts.get(column, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def summary(self) -> str:
        counted = ", ".join(f"{column} {count}" for column, count in self.column_counts())
        changed = f"{len(self.changed)} changed" + (f" ({counted})" if counted else "")
        return f"replaces {self.previous}: {len(self.added)} added, {len(self.removed)} removed, {changed}"

    def rows(self) -> Iterator[tuple[str, str, str]]:
        """(key, "added" | "removed" | "changed", changed columns joined by "; ") for `--changes FILE`."""
        for key in self.added:
            yield key, "added", ""
        for key in self.removed:
            yield key, "removed", ""
        for key, columns in self.changed.items():
            yield key, "changed", "; ".join(columns)

    def write_csv(self, path: Path) -> None:
        import csv

        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["key", "change", "columns"])
            writer.writerows(self.rows())


def compare(
    previous_name: str,
    previous: Mapping[str, str],
    ledger: RowLedger,
    previous_rows: Callable[[], tuple[Sequence[str], Iterable[tuple[str | None, Sequence[str]]]]],
) -> Changes:
    """The changes from the previous version (its row digests, and its rows read again by `previous_rows`
    for the columns of the changed ones: (column names, (key, cells) per row)) to what `ledger` recorded."""
    keys = ledger.row_keys()
    seen = set(keys)
    added = tuple(key for key in keys if key not in previous)
    removed = tuple(key for key in previous if key not in seen)
    changed: dict[str, tuple[str, ...]] = {}
    if ledger.changed:
        new_columns = list(ledger.columns)
        old_columns, rows = previous_rows()
        position = {name: index for index, name in enumerate(old_columns)}
        for key, cells in rows:
            signature = ledger.changed.get(key) if key else None
            if signature is None or key in changed:
                continue
            assert key is not None
            new = _crcs(signature)
            old = array("I", _cell_crcs(cells))
            names = []
            for index, name in enumerate(new_columns):
                before = position.get(name)
                old_value = old[before] if before is not None and before < len(old) else _EMPTY
                new_value = new[index] if index < len(new) else _EMPTY
                if old_value != new_value:
                    names.append(name)
            for name in old_columns:
                if name not in new_columns and old[position[name]] != _EMPTY:
                    names.append(name)
            if names:  # else only the whitespace around some value changed: not a change of the data
                changed[key] = tuple(names)
        order = {key: index for index, key in enumerate(keys)}
        changed = dict(sorted(changed.items(), key=lambda item: order[item[0]]))
    return Changes(previous_name, added, removed, changed)


_EMPTY = zlib.crc32(b"")


def version_metadata(metadata: Mapping[str, Any], graph: str, keys: Iterable[str]) -> ListVersion:
    """The `ListVersion` a graph's metadata (as `importing.run` records it) describes."""
    date = metadata.get("date")
    return ListVersion(
        graph,
        date if isinstance(date, str) else None,
        str(metadata.get("imported", "")),
        frozenset(keys),
        str(metadata.get("importer", "")),
    )
