"""The name index of a build: every project title, acronym and identifier, every organisation name and every
concept label or notation, in their normal form (`normal.normal`), in SQLite with FTS5 trigram indexes, one
for the names of projects, one for those of organisations and one for the labels of concepts (a part of an
organisation's name is not looked for among 650,000 project names).

Parameter resolution looks values up here instead of scanning every literal of the store with CONTAINS:
an exact name is one B-tree lookup, a part of a name one trigram query (parts shorter than three characters,
which trigrams cannot index, scan the names of that kind in SQLite, still without touching the store). The
index is a file per source graph of the build (`names/<hash>.sqlite`), written before the build is
published, never changed after; its SQLite `user_version` is its layout (`definitions.NAMES_LAYOUT`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import pyoxigraph as ox

from erasmus_kg.derived import definitions
from erasmus_kg.derived.normal import normal
from erasmus_kg.derived.readonly_sqlite import PerThread, file_version
from erasmus_kg.digests import blake2b

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3
from erasmus_kg.namespaces import DCTERMS, EKG, RDF, SKOS

FOLDER = "names"
"""The folder of a build that holds its name index: one SQLite file per source graph."""
VERSION = definitions.NAMES_LAYOUT

PROJECT = "project"
ORGANISATION = "organisation"
"""Kinds of names besides concepts, whose kind is the IRI of their concept scheme."""

_SKOS = SKOS
_DCTERMS = DCTERMS
_RDF_TYPE = ox.NamedNode(RDF + "type")

# (property, rank): a lower rank is a better match when one value matches several ways
_PROJECT_NAMES = ((_DCTERMS + "identifier", 1), (_DCTERMS + "title", 2), (EKG + "acronym", 3))
_ORGANISATION_NAMES = ((_SKOS + "prefLabel", 2), (_SKOS + "altLabel", 3))
_CONCEPT_NAMES = (
    (_SKOS + "notation", 1),
    (_SKOS + "prefLabel", 2),
    (_SKOS + "altLabel", 3),
    (_SKOS + "hiddenLabel", 4),
)

_SCHEMA = """
CREATE TABLE name (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    iri TEXT NOT NULL,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    normal TEXT NOT NULL
);
CREATE VIRTUAL TABLE project_text USING fts5(normal, content='', tokenize='trigram');
CREATE VIRTUAL TABLE organisation_text USING fts5(normal, content='', tokenize='trigram');
CREATE VIRTUAL TABLE concept_text USING fts5(normal, content='', tokenize='trigram');
"""
_AFTER_LOAD = """
CREATE INDEX name_exact ON name (kind, normal);
INSERT INTO project_text (rowid, normal) SELECT id, normal FROM name WHERE kind = 'project';
INSERT INTO organisation_text (rowid, normal) SELECT id, normal FROM name WHERE kind = 'organisation';
INSERT INTO concept_text (rowid, normal)
    SELECT id, normal FROM name WHERE kind NOT IN ('project', 'organisation');
INSERT INTO project_text (project_text) VALUES ('optimize');
INSERT INTO organisation_text (organisation_text) VALUES ('optimize');
INSERT INTO concept_text (concept_text) VALUES ('optimize');
"""
_TEXT = {PROJECT: "project_text", ORGANISATION: "organisation_text"}
"""The trigram index of each kind of name; the labels of concepts (whose kind is their scheme) are in
`concept_text`."""


class Name(NamedTuple):
    """A name of a resource in the index (a NamedTuple: a frozen dataclass costs every query's start-up
    ~0.6 ms to define)."""

    kind: str
    iri: str
    rank: int
    text: str


def names_in(store: ox.Store, graph: str) -> Iterator[Name]:
    """Every name that graph `graph` gives to a project, an organisation or a concept it types there."""
    g = ox.NamedNode(graph)

    def typed(cls: str) -> set[str]:
        return {
            q.subject.value
            for q in store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(EKG + cls), g)
            if isinstance(q.subject, ox.NamedNode)
        }

    for kind, members, properties in (
        (PROJECT, typed("Project"), _PROJECT_NAMES),
        (ORGANISATION, typed("Organisation"), _ORGANISATION_NAMES),
    ):
        if not members:
            continue
        for prop, rank in properties:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, g):
                subject, value = quad.subject, quad.object
                if (
                    isinstance(value, ox.Literal)
                    and isinstance(subject, ox.NamedNode)
                    and subject.value in members
                ):
                    yield Name(kind, subject.value, rank, value.value)
    for quad in store.quads_for_pattern(None, ox.NamedNode(_SKOS + "inScheme"), None, g):
        concept, scheme = quad.subject, quad.object
        if not isinstance(concept, ox.NamedNode) or not isinstance(scheme, ox.NamedNode):
            continue
        for prop, rank in _CONCEPT_NAMES:
            for label in store.quads_for_pattern(concept, ox.NamedNode(prop), None, g):
                if isinstance(label.object, ox.Literal):
                    yield Name(scheme.value, concept.value, rank, label.object.value)


def index_file(build_dir: Path, source: str) -> Path:
    """Where the name index of source graph `source` is in a build."""
    return build_dir / FOLDER / (blake2b(source.encode(), digest_size=10).hexdigest() + ".sqlite")


def write_build_index(
    store: ox.Store, sources: list[str], changed: frozenset[str], build_dir: Path, previous: Path | None
) -> None:
    """The name index of a new build: one file per source graph with names, made anew for the sources loaded
    in this build and taken over (hard-linked: they are never written again) from the previous build for the
    others."""
    (build_dir / FOLDER).mkdir(exist_ok=True)
    for source in sources:
        target = index_file(build_dir, source)
        kept = index_file(previous, source) if previous is not None and source not in changed else None
        if kept is not None and kept.exists() and file_version(kept) == VERSION:
            try:
                os.link(kept, target)
            except OSError:
                import shutil  # here: off the start-up of every query (with zlib, bz2 and lzma)

                shutil.copyfile(kept, target)
            continue
        found = list(names_in(store, source))
        if found:
            write_index(target, found)


def write_index(path: Path, names: Iterable[Name]) -> int:
    """Write the index of `names` to a new file `path`; returns how many names it holds."""
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA user_version = {VERSION};" + _SCHEMA
        )
        rows = ((n.kind, n.iri, n.rank, n.text, normal(n.text)) for n in names)
        connection.executemany(
            "INSERT INTO name (kind, iri, rank, text, normal) VALUES (?, ?, ?, ?, ?)", rows
        )
        connection.executescript(_AFTER_LOAD)
        connection.commit()
        (count,) = connection.execute("SELECT COUNT(*) FROM name").fetchone()
    finally:
        connection.close()
    return int(count)


class NameIndex:
    """The name index of a build (every file of its names folder), opened read-only. Values are normalised
    before they are looked up."""

    def __init__(self, build_dir: Path) -> None:
        self.folder = build_dir / FOLDER
        self._opened = PerThread(lambda: self.files)

    @property
    def files(self) -> list[Path]:
        return sorted(self.folder.glob("*.sqlite"))

    @property
    def _dbs(self) -> list[sqlite3.Connection]:
        """The files, opened on the first lookup (most queries look nothing up), by each thread its own."""
        return self._opened.connections()

    def close(self) -> None:
        self._opened.close()

    def __enter__(self) -> NameIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exact(self, kind: str, text: str) -> list[tuple[str, int]]:
        """(IRI, best rank) of every name of `kind` whose normal form is that of `text`, best rank first."""
        best: dict[str, int] = {}
        for db in self._dbs:
            rows = db.execute(
                "SELECT iri, MIN(rank) FROM name WHERE kind = ? AND normal = ? GROUP BY iri",
                (kind, normal(text)),
            )
            for iri, rank in rows:
                best[iri] = min(int(rank), best.get(iri, int(rank)))
        return sorted(best.items(), key=lambda item: (item[1], item[0]))

    def containing(self, kind: str, text: str) -> list[str]:
        """The IRIs of `kind` with a name containing `text` (normal forms), sorted."""
        needle = normal(text)
        found: set[str] = set()
        for db in self._dbs if needle else []:
            found.update(iri for (iri,) in db.execute(*_containing(kind, needle)))
        return sorted(found)

    def names(self, kind: str, limit: int = 20_000) -> list[str]:
        """Up to `limit` names of `kind` as written (to suggest the closest to a value that matched none)."""
        found: list[str] = []
        for db in self._dbs:
            rows = db.execute(
                "SELECT DISTINCT text FROM name WHERE kind = ? LIMIT ?", (kind, limit - len(found))
            )
            found.extend(text for (text,) in rows)
            if len(found) >= limit:
                break
        return found

    def count(self) -> int:
        return sum(int(db.execute("SELECT COUNT(*) FROM name").fetchone()[0]) for db in self._dbs)


def _containing(kind: str, needle: str) -> tuple[str, tuple[str, ...]]:
    """The query (and its arguments) for the IRIs of the names of `kind` containing `needle` (a normal form).

    The trigram match of the kind's index first, then each matching name by its row id, its kind tested there
    (the concepts' index holds every scheme): CROSS JOIN makes SQLite keep that order. Left to its planner, it
    walks every name of the kind by the (kind, normal) index and tests each against the matches: 21 ms for a
    text that matches nothing among 206,000 organisations (0.02 ms so), 36 ms for "hochschule" (0.6 ms), and
    26 s written as a plain join."""
    if len(needle) >= 3:
        phrase = '"' + needle.replace('"', '""') + '"'
        table = _TEXT.get(kind, "concept_text")
        return (
            f"SELECT name.iri FROM (SELECT rowid AS id FROM {table} WHERE {table} MATCH ?) AS matched "
            "CROSS JOIN name ON name.id = matched.id WHERE name.kind = ?",
            (f"normal : {phrase}", kind),
        )
    # trigrams need three characters: a scan of the names of the kind
    return "SELECT iri FROM name WHERE kind = ? AND instr(normal, ?) > 0", (kind, needle)
