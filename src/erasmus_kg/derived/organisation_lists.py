"""The organisations of each country in the order of the lists (`ekg:organisationPositionNl/En`), for the
pages of `organisations-by-country` and of a country's web page: one SQLite file per build
(`organisations.sqlite`), written with the list positions (`derived.positions`), which are store-wide.

Oxigraph has no top-k: to show the first 20 of Germany's 25,000 organisations it sorts all of them (0.4 s at
327,000 projects). Here a page is one range of an index on (country, position). A row per organisation and
country, as the stored query has. The file's SQLite `user_version` is its layout (`VERSION`): a file of
another layout is not read (then the stored query cuts its page), and the next build writes it anew.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.derived import definitions
from erasmus_kg.derived.readonly_sqlite import PerThread
from erasmus_kg.namespaces import EKG

FILE = "organisations.sqlite"
VERSION = definitions.ORGANISATIONS_LAYOUT
KIND = "organisation-country"
"""The kind a stored query names in its `page_index` to take its pages from here."""

_COUNTRY = ox.NamedNode(EKG + "country")


def write(path: Path, store: ox.Store, places: Mapping[str, Mapping[str, int]]) -> int:
    """Write the file for the organisations of `places` (language -> organisation IRI -> list position) and
    their countries in `store`; returns how many rows it holds."""
    path.unlink(missing_ok=True)
    known = places.get("en", {})
    rows = [
        (quad.subject.value, quad.object.value, places["nl"][quad.subject.value], known[quad.subject.value])
        for quad in store.quads_for_pattern(None, _COUNTRY, None)
        if isinstance(quad.subject, ox.NamedNode)
        and isinstance(quad.object, ox.NamedNode)
        and quad.subject.value in known
    ]
    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA user_version = {VERSION};"
            "CREATE TABLE organisation (iri TEXT NOT NULL, country TEXT NOT NULL,"
            " position_nl INTEGER NOT NULL, position_en INTEGER NOT NULL, PRIMARY KEY (iri, country))"
            " WITHOUT ROWID;"
        )
        connection.executemany("INSERT OR IGNORE INTO organisation VALUES (?, ?, ?, ?)", rows)
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
        connection.execute("INSERT INTO meta VALUES ('organisations', ?)", (len(known),))
        connection.executescript(
            "CREATE INDEX in_list_nl ON organisation (country, position_nl);"
            "CREATE INDEX in_list_en ON organisation (country, position_en);"
        )
        connection.commit()
    finally:
        connection.close()
    return len(rows)


class OrganisationLists:
    """The file of a build, opened read-only on first use."""

    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / FILE
        self._opened = PerThread(lambda: [self.path])

    @property
    def available(self) -> bool:
        return (
            self.path.exists() and self._connection().execute("PRAGMA user_version").fetchone()[0] == VERSION
        )

    def _connection(self) -> sqlite3.Connection:
        """The file, opened on first use, by each thread its own (`readonly_sqlite`)."""
        return self._opened.connections()[0]

    def close(self) -> None:
        self._opened.close()

    def count(self) -> int:
        """How many organisations the store has (with a country or not)."""
        return int(
            self._connection().execute("SELECT value FROM meta WHERE key = 'organisations'").fetchone()[0]
        )

    def in_list_order(self, country: str, lang: str, *, limit: int, offset: int = 0) -> tuple[list[str], int]:
        """The organisations of `country` in the list order of `lang`, `limit` of them after the first
        `offset`, and how many there are."""
        column = "position_nl" if lang == "nl" else "position_en"
        db = self._connection()
        rows = db.execute(
            f"SELECT iri FROM organisation WHERE country = ? ORDER BY {column} LIMIT ? OFFSET ?",
            (country, limit, offset),
        )
        iris = [iri for (iri,) in rows]
        (total,) = db.execute("SELECT COUNT(*) FROM organisation WHERE country = ?", (country,)).fetchone()
        return iris, int(total)
