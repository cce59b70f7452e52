"""The name index of a build: every project title, acronym and identifier, every organisation name and every
concept label or notation, in their normal form (`normal.normal`), in SQLite with an FTS5 trigram index.

Parameter resolution looks values up here instead of scanning every literal of the store with CONTAINS:
an exact name is one B-tree lookup, a part of a name one trigram query (parts shorter than three characters,
which trigrams cannot index, scan the names of that kind in SQLite, still without touching the store). The
index is a file of the build (`names.sqlite`), written before the build is published, never changed after.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.derived.normal import normal
from erasmus_kg.namespaces import DCTERMS, EKG, RDF, SKOS

FILE_NAME = "names.sqlite"

PROJECT = "project"
ORGANISATION = "organisation"
"""Kinds of names besides concepts, whose kind is the IRI of their concept scheme."""

_SKOS = SKOS
_DCTERMS = DCTERMS
_RDF_TYPE = ox.NamedNode(RDF + "type")

# (property, rank): a lower rank is a better match when one value matches several ways
_PROJECT_NAMES = ((_DCTERMS + "identifier", 1), (_DCTERMS + "title", 2), (EKG + "acronym", 3))
_ORGANISATION_NAMES = ((_SKOS + "prefLabel", 2), (_SKOS + "altLabel", 3))
_CONCEPT_NAMES = ((_SKOS + "notation", 1), (_SKOS + "prefLabel", 2), (_SKOS + "altLabel", 3))

_SCHEMA = """
CREATE TABLE name (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    iri TEXT NOT NULL,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    normal TEXT NOT NULL
);
CREATE VIRTUAL TABLE name_text USING fts5(normal, content='name', content_rowid='id', tokenize='trigram');
"""
_AFTER_LOAD = """
CREATE INDEX name_exact ON name (kind, normal);
INSERT INTO name_text (name_text) VALUES ('rebuild');
INSERT INTO name_text (name_text) VALUES ('optimize');
"""


@dataclass(frozen=True)
class Name:
    kind: str
    iri: str
    rank: int
    text: str


def names_in(store: ox.Store) -> Iterator[Name]:
    """Every name of the store, from all its graphs."""
    seen: set[tuple[str, str, int, str]] = set()

    def once(name: Name) -> Iterator[Name]:
        key = (name.kind, name.iri, name.rank, name.text)
        if key not in seen:
            seen.add(key)
            yield name

    typed = {
        PROJECT: ox.NamedNode(EKG + "Project"),
        ORGANISATION: ox.NamedNode(EKG + "Organisation"),
    }
    for kind, properties in ((PROJECT, _PROJECT_NAMES), (ORGANISATION, _ORGANISATION_NAMES)):
        cls = typed[kind]
        for prop, rank in properties:
            for quad in store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                subject, value = quad.subject, quad.object
                if not isinstance(subject, ox.NamedNode) or not isinstance(value, ox.Literal):
                    continue
                if next(store.quads_for_pattern(subject, _RDF_TYPE, cls, None), None) is None:
                    continue
                yield from once(Name(kind, subject.value, rank, value.value))
    in_scheme = ox.NamedNode(_SKOS + "inScheme")
    for quad in store.quads_for_pattern(None, in_scheme, None, None):
        concept, scheme = quad.subject, quad.object
        if not isinstance(concept, ox.NamedNode) or not isinstance(scheme, ox.NamedNode):
            continue
        for prop, rank in _CONCEPT_NAMES:
            for label in store.quads_for_pattern(concept, ox.NamedNode(prop), None, None):
                if isinstance(label.object, ox.Literal):
                    yield from once(Name(scheme.value, concept.value, rank, label.object.value))


def write_index(path: Path, names: Iterable[Name]) -> int:
    """Write the index of `names` to a new file `path`; returns how many names it holds."""
    connection = sqlite3.connect(path)
    try:
        connection.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
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
    """A build's name index, opened read-only. Values are normalised before they are looked up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> NameIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exact(self, kind: str, text: str) -> list[tuple[str, int]]:
        """(IRI, best rank) of every name of `kind` whose normal form is that of `text`, best rank first."""
        rows = self._db.execute(
            "SELECT iri, MIN(rank) AS r FROM name WHERE kind = ? AND normal = ? GROUP BY iri ORDER BY r, iri",
            (kind, normal(text)),
        )
        return [(iri, int(rank)) for iri, rank in rows]

    def containing(self, kind: str, text: str) -> list[str]:
        """The IRIs of `kind` with a name containing `text` (normal forms), sorted."""
        needle = normal(text)
        if not needle:
            return []
        if len(needle) >= 3:
            phrase = '"' + needle.replace('"', '""') + '"'
            rows = self._db.execute(
                "SELECT DISTINCT name.iri FROM name_text JOIN name ON name.id = name_text.rowid "
                "WHERE name_text MATCH ? AND name.kind = ? ORDER BY name.iri",
                (f"normal : {phrase}", kind),
            )
        else:
            rows = self._db.execute(
                "SELECT DISTINCT iri FROM name WHERE kind = ? AND instr(normal, ?) > 0 ORDER BY iri",
                (kind, needle),
            )
        return [iri for (iri,) in rows]

    def names(self, kind: str, limit: int = 20_000) -> list[str]:
        """Up to `limit` names of `kind` as written (to suggest the closest to a value that matched none)."""
        rows = self._db.execute("SELECT DISTINCT text FROM name WHERE kind = ? LIMIT ?", (kind, limit))
        return [text for (text,) in rows]

    def count(self) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM name").fetchone()
        return int(n)
