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
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from erasmus_kg.derived import definitions
from erasmus_kg.derived.index_cells import least_literal
from erasmus_kg.derived.readonly_sqlite import PerThread
from erasmus_kg.namespaces import EKG

FILE = "organisations.sqlite"
VERSION = definitions.ORGANISATIONS_LAYOUT
KIND = "organisation-country"
"""The kind a stored query names in its `page_index` to take its pages from here."""

_COUNTRY = ox.NamedNode(EKG + "country")
_KIND = ox.NamedNode(EKG + "organisationKind")
_LOCALITY = ox.NamedNode(EKG + "locality")


ShownLabel = Callable[[str, str], str | None]
"""The shown label of an IRI in a language (`positions.shown_label`), None without one."""


def write(
    path: Path,
    store: ox.Store,
    places: Mapping[str, Mapping[str, int]],
    shown: ShownLabel | None = None,
    participations: Mapping[str, int] | None = None,
) -> int:
    """Write the file for the organisations of `places` (language -> organisation IRI -> list position) and
    their countries in `store`, with what a row of `organisations-by-country` shows of each: its shown
    label and its kind's in each language (`shown`), its locality and its `participations` (summed
    over the build's search index files, `search_index.participation_counts`); returns how many rows it
    holds."""
    path.unlink(missing_ok=True)
    label: ShownLabel = shown or (lambda iri, lang: None)
    counts = participations or {}
    known = places.get("en", {})

    kinds: dict[str, list[str]] = {}
    for quad in store.quads_for_pattern(None, _KIND, None):
        subject, kind = quad.subject, quad.object
        if isinstance(subject, ox.NamedNode) and isinstance(kind, ox.NamedNode) and subject.value in known:
            kinds.setdefault(subject.value, []).append(kind.value)
    localities: dict[str, list[ox.Literal]] = {}
    for quad in store.quads_for_pattern(None, _LOCALITY, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            found = localities.setdefault(quad.subject.value, [])
            if quad.object not in found:
                found.append(quad.object)

    def kind_label(iri: str, lang: str) -> str | None:
        labels = [found for kind in kinds.get(iri, ()) if (found := label(kind, lang)) is not None]
        return min(labels) if labels else None

    rows = []
    for quad in store.quads_for_pattern(None, _COUNTRY, None):
        organisation, country = quad.subject, quad.object
        if not isinstance(organisation, ox.NamedNode) or not isinstance(country, ox.NamedNode):
            continue
        iri = organisation.value
        if iri not in known:
            continue
        rows.append(
            (
                iri,
                country.value,
                places["nl"][iri],
                known[iri],
                label(iri, "nl"),
                label(iri, "en"),
                kind_label(iri, "nl"),
                kind_label(iri, "en"),
                *least_literal(localities.get(iri, [])),
                counts.get(iri, 0),
            )
        )
    connection = sqlite3.connect(path)
    try:
        connection.executescript(
            f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA user_version = {VERSION};"
            "CREATE TABLE organisation (iri TEXT NOT NULL, country TEXT NOT NULL,"
            " position_nl INTEGER NOT NULL, position_en INTEGER NOT NULL, name_nl TEXT, name_en TEXT,"
            " kind_nl TEXT, kind_en TEXT, locality TEXT, locality_term TEXT, participations INTEGER NOT NULL,"
            " PRIMARY KEY (iri, country)) WITHOUT ROWID;"
        )
        connection.executemany(
            "INSERT OR IGNORE INTO organisation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
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

    def list_rows(self, country: str, lang: str, *, limit: int | None = None) -> list[tuple[Any, ...]]:
        """The organisations of `country` in the list order of `lang` (the first `limit`; None: all), each as
        what a row of `organisations-by-country` shows of it: (IRI, shown label, its kind's shown label, the
        least locality as `index_cells.least_literal` keeps it (value, term), participations)."""
        suffix = "nl" if lang == "nl" else "en"
        query = (
            f"SELECT iri, name_{suffix}, kind_{suffix}, locality, locality_term, participations "
            f"FROM organisation WHERE country = ? ORDER BY position_{suffix} LIMIT ?"
        )
        return self._connection().execute(query, (country, -1 if limit is None else limit)).fetchall()
