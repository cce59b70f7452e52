"""The full-text search index of a build: every project's titles, acronym and identifier, the names of its
organisations and its summaries, ranked by SQLite FTS5's BM25, with the facets a search can be narrowed by
(the countries it involves, its key actions, its action, its sectors, its call year and its organisations).
The facets also give the lists of a country's, a concept's or an organisation's projects in a few
milliseconds at any size (`SearchIndex.members`: the documents are numbered in the order lists show them).

One SQLite file per source graph (`search/<hash>.sqlite`), written before the build is published and never
changed after, like the name index (`derived.names`): a source loaded in the build gets a new file, the
others are hard-linked from the previous build. The facets are the derived facts of the source
(`ekg:involvesCountry`, `ekg:actionOrBroader`, `ekg:inSector`: their definitions are in `queries/derived/`,
so a search narrows by the same countries and sectors as the stored queries), read from the derived graph
the build is about to load.

Text is indexed by FTS5's `unicode61` tokenizer with diacritics removed, after Unicode compatibility forms
(NFKC: the ligature `Ĳ` is `IJ`), so `ijsland`, `IJsland` and `Ĳsland` are one word, as are `Tsjechie` and
`Tsjechië`; a search is those words, the last one as a prefix (people type it as they go). The index keeps
no copy of the text (FTS5 `content=''`; positions are kept, since BM25 needs them: with `detail=column`
every score is 0): a page of results shows each project's title from the store, in the page's language.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from erasmus_kg.derived import country_cells, definitions, organisation_lists
from erasmus_kg.derived.index_cells import least_literal
from erasmus_kg.derived.normal import normal
from erasmus_kg.derived.positions import reading_order, shown_title
from erasmus_kg.derived.readonly_sqlite import PerThread, file_version
from erasmus_kg.digests import blake2b
from erasmus_kg.namespaces import DCTERMS, EKG, RDF, RDFS, SKOS

if TYPE_CHECKING:  # pragma: no cover
    import sqlite3

VERSION = definitions.SEARCH_LAYOUT
"""The layout of the index files (their SQLite `user_version`). A build's files of another version are not
read; the store makes them anew on its next command (`definitions.index_layouts`)."""
FOLDER = "search"
"""The folder of a build that holds its search index: one SQLite file per source graph with projects."""

COUNTRY = "country"
KEY_ACTION = "key-action"
ACTION = "action"
SECTOR = "sector"
THEME = "theme"
YEAR = "year"
FACETS = (COUNTRY, KEY_ACTION, ACTION, SECTOR, THEME, YEAR)
"""The facets of a search, in the order a page shows them. Values are IRIs, except a year's (four digits)."""
ORGANISATION = "organisation"
ANY_ACTION = "action-or-broader"
ANY_SECTOR = "sector-or-broader"
ANY_THEME = "theme-or-broader"
ACTIVE_YEAR = "active-in-year"
PROGRAMME = "programme"
LISTS = (ORGANISATION, ANY_ACTION, ANY_SECTOR, ANY_THEME, ACTIVE_YEAR, PROGRAMME)
"""Kinds the index lists projects by (`members`) but a search does not count: a project's organisations (a
word such as "hochschule" matches 14,000 projects with 45,000 organisations, whose counting would take half
a second), every action, sector and theme it has or falls under (`skos:broader*`, as the stored queries
ask), the years it is active in (`ekg:activeInYear`) and its programmes (its `ekg:fundingProgramme`, and the
`ekg:programme` of any action it has or falls under, as `projects-by-programme` asks)."""

FACET_SAMPLE = 2_000
"""Beyond this many matches (in one file), facets are counted in an even sample of about this many and scaled
up: counting costs 3-18 µs per match (2-core machine; more when the matches are spread over the file), and a
word such as "mobility" matches most of an export."""
ANSWERS = 512
"""How many answers of `SearchIndex.search` are kept (a page of 20 projects and its facets: a few KB each)."""
RANK_ALL = 20_000
"""Up to this many matches (in one file) are all ranked by BM25; beyond, those matching in their titles,
acronyms and identifiers are ranked and come first (`SearchIndex.search`)."""
WEIGHTS = (10.0, 8.0, 3.0, 1.0)
"""BM25 weights of the columns: titles, names (acronym, identifier), organisations, summaries."""

_N = ox.NamedNode
_TYPE = _N(RDF + "type")
_PROJECT = _N(EKG + "Project")
_TITLE = _N(DCTERMS + "title")
_IDENTIFIER = _N(DCTERMS + "identifier")
_DESCRIPTION = _N(DCTERMS + "description")
_ACRONYM = _N(EKG + "acronym")
_PARTICIPATION = _N(EKG + "participation")
_ORGANISATION = _N(EKG + "organisation")
_ACTION = _N(EKG + "action")
_CALL_YEAR = _N(EKG + "callYear")
_START_DATE = _N(EKG + "startDate")
_END_DATE = _N(EKG + "endDate")
_GRANT = _N(EKG + "euGrant")
_THEME = _N(EKG + "theme")
_FUNDING_PROGRAMME = _N(EKG + "fundingProgramme")
_PROGRAMME = _N(EKG + "programme")
_BROADER = _N(SKOS + "broader")
_ORGANISATION_NAMES = (_N(SKOS + "prefLabel"), _N(SKOS + "altLabel"), _N(RDFS + "label"))
INVOLVEMENT = "involvement-kind"
"""Not a facet: the kinds of involvement (`derived.involvement`) the links of a project to a country name
(`doc_facet.detail`, the id of the kind in the facet table), which the lists of a country show."""
_COUNTRY_INVOLVEMENT = EKG + "countryInvolvement"
_INVOLVED_COUNTRY = EKG + "involvedCountry"
_INVOLVEMENT_KIND = EKG + "involvementKind"
_DERIVED_FACETS = {
    EKG + "involvesCountry": COUNTRY,
    EKG + "actionOrBroader": KEY_ACTION,  # kept when the action has no broader one (a key action)
    EKG + "inSector": SECTOR,
    EKG + "activeInYear": ACTIVE_YEAR,
}

_INVOLVEMENT_PARTS = (_COUNTRY_INVOLVEMENT, _INVOLVED_COUNTRY, _INVOLVEMENT_KIND)
_COUNTRY_CELLS = (country_cells.COUNT, country_cells.CODES)
"""Not facets: the derived count and codes of a project's countries, which `countries-per-project` shows."""

DERIVED_PREDICATES = frozenset(_DERIVED_FACETS) | frozenset(_INVOLVEMENT_PARTS) | frozenset(_COUNTRY_CELLS)
"""The derived properties the index reads."""

_SCAN_FROM = 5_000
"""From this many organisations on, their names are read in one scan of the store rather than one by one."""

_SCHEMA = """
CREATE TABLE doc (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL, year INTEGER, sort TEXT NOT NULL,
    title_nl TEXT, title_en TEXT, order_nl TEXT, order_en TEXT, rank_nl INTEGER, rank_en INTEGER,
    eu_grant TEXT, acronym TEXT, acronym_term TEXT, actions TEXT,
    start TEXT, start_term TEXT, end TEXT, end_term TEXT, call_year TEXT,
    country_count INTEGER, countries TEXT
);
CREATE TABLE facet (id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (facet, value));
CREATE TABLE doc_facet (
    doc INTEGER NOT NULL, facet INTEGER NOT NULL, rank_nl INTEGER, rank_en INTEGER, detail INTEGER,
    PRIMARY KEY (doc, facet)
) WITHOUT ROWID;
CREATE TABLE doc_list (
    doc INTEGER NOT NULL, facet INTEGER NOT NULL, rank_nl INTEGER, rank_en INTEGER, PRIMARY KEY (doc, facet)
) WITHOUT ROWID;
CREATE TABLE listed (facet INTEGER PRIMARY KEY, projects INTEGER NOT NULL);
CREATE TABLE participations (organisation TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE doc_text USING fts5(
    titles, names, organisations, summaries,
    content='', tokenize='unicode61 remove_diacritics 2'
);
"""
_AFTER_LOAD = """
CREATE INDEX doc_by_facet ON doc_facet (facet, doc);
CREATE INDEX doc_by_list ON doc_list (facet, doc);
CREATE INDEX doc_in_list_nl ON doc (rank_nl);
CREATE INDEX doc_in_list_en ON doc (rank_en);
CREATE INDEX facet_in_list_nl ON doc_facet (facet, rank_nl);
CREATE INDEX facet_in_list_en ON doc_facet (facet, rank_en);
CREATE INDEX list_in_list_nl ON doc_list (facet, rank_nl);
CREATE INDEX list_in_list_en ON doc_list (facet, rank_en);
INSERT INTO listed (facet, projects) SELECT 0, COUNT(rank_nl) FROM doc;
INSERT INTO listed (facet, projects)
    SELECT facet, COUNT(rank_nl)
    FROM (SELECT facet, rank_nl FROM doc_facet UNION ALL SELECT facet, rank_nl FROM doc_list)
    GROUP BY facet;
INSERT INTO doc_text (doc_text) VALUES ('optimize');
"""


@dataclass
class Document:
    """What the index holds of one project."""

    iri: str
    titles: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    facets: set[tuple[str, str]] = field(default_factory=set)
    title_literals: list[ox.Literal] = field(default_factory=list)
    grant: str | None = None
    acronyms: list[ox.Literal] = field(default_factory=list)
    """Its `ekg:acronym` values, as the lists show them (`SearchIndex.list_rows`)."""
    actions: list[str] = field(default_factory=list)
    """The IRIs of its own `ekg:action` values (not the broader ones)."""
    starts: list[ox.Literal] = field(default_factory=list)
    """Its `ekg:startDate` values; `ends` its `ekg:endDate` values, `call_years` its `ekg:callYear` values."""
    ends: list[ox.Literal] = field(default_factory=list)
    call_years: list[ox.Literal] = field(default_factory=list)
    involvements: dict[str, str] = field(default_factory=dict)
    """The IRI of each country it involves -> the IRI of the kind of its involvement there."""
    country_count: int | None = None
    """How many countries it involves (`ekg:involvedCountryCount`); `country_codes` their codes
    (`ekg:involvedCountryCodes`): None for a project that involves none."""
    country_codes: str | None = None

    def list_title(self, lang: str) -> str | None:
        """The title a list in `lang` shows and sorts the project by (`positions.shown_title`); None for a
        project without a title, which has no place in the lists."""
        return shown_title(self.title_literals, lang) if self.title_literals else None

    @property
    def year(self) -> int | None:
        years = [int(value) for facet, value in self.facets if facet == YEAR]
        return max(years) if years else None

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """The order of lists read from the index: newest call year first, then by title (normal forms)."""
        return (-(self.year or 0), min((normal(t) for t in self.titles), default=""), self.iri)


@dataclass
class Documents:
    """What the index of one source graph holds: its documents, in the order of `Document.sort_key`, and how
    many participations (`ekg:organisation` links) each organisation has in the graph, which the lists of
    organisations count (`derived.organisation_lists`)."""

    documents: list[Document]
    participations: dict[str, int]


def documents_in(store: ox.Store, graph: str, derived: Iterable[ox.Triple]) -> Documents:
    """The documents of the projects that graph `graph` types, with the facets of `derived` (its derived
    triples), and its organisations' participations. Organisations are named by whichever graph names
    them."""
    g = _N(graph)
    docs: dict[str, Document] = {}
    for quad in store.quads_for_pattern(None, _TYPE, _PROJECT, g):
        if isinstance(quad.subject, ox.NamedNode):
            docs[quad.subject.value] = Document(quad.subject.value)

    def values(prop: ox.NamedNode) -> Iterator[tuple[Document, object]]:
        for subject, value in _pairs(store, prop, g):
            doc = docs.get(subject.value) if isinstance(subject, ox.NamedNode) else None
            if doc is not None:
                yield doc, value

    for prop, column in ((_TITLE, "titles"), (_IDENTIFIER, "names"), (_ACRONYM, "names")):
        for doc, value in values(prop):
            if isinstance(value, ox.Literal):
                getattr(doc, column).append(value.value)
                if prop == _TITLE:
                    doc.title_literals.append(value)
                elif prop == _ACRONYM:
                    doc.acronyms.append(value)
    for doc, value in values(_DESCRIPTION):
        if isinstance(value, ox.Literal):
            doc.summaries.append(value.value)
    for doc, value in values(_GRANT):
        if isinstance(value, ox.Literal) and doc.grant is None:
            doc.grant = value.value
    for doc, value in values(_CALL_YEAR):
        if isinstance(value, ox.Literal):
            doc.call_years.append(value)
            if value.value[:4].isdigit():
                doc.facets.add((YEAR, value.value[:4]))
    for prop, dates in ((_START_DATE, "starts"), (_END_DATE, "ends")):
        for doc, value in values(prop):
            if isinstance(value, ox.Literal):
                getattr(doc, dates).append(value)
    broader = _Broader(store)
    for prop, own in ((_ACTION, ACTION), (_THEME, THEME)):
        for doc, value in values(prop):
            if isinstance(value, ox.NamedNode):
                doc.facets.add((own, value.value))
                if own == ACTION:
                    doc.actions.append(value.value)
                if own == THEME:
                    doc.facets.update((ANY_THEME, theme) for theme in broader.closure(value.value))
    # each pattern read once, in one scan (a lookup per participation or organisation costs ten times more)
    links = [
        (participation.value, organisation.value)
        for participation, organisation in _pairs(store, _ORGANISATION, g)
        if isinstance(participation, ox.NamedNode) and isinstance(organisation, ox.NamedNode)
    ]
    organisation_of = dict(links)
    participations: dict[str, int] = {}
    for _, organisation in links:
        participations[organisation] = participations.get(organisation, 0) + 1
    organisations: dict[str, list[Document]] = {}
    for doc, participation in values(_PARTICIPATION):
        linked = organisation_of.get(participation.value) if isinstance(participation, ox.NamedNode) else None
        if linked is not None:
            doc.facets.add((ORGANISATION, linked))
            organisations.setdefault(linked, []).append(doc)
    for prop in _ORGANISATION_NAMES:
        if len(organisations) < _SCAN_FROM:  # a few: looked up one by one
            found: Iterable[tuple[object, object]] = (
                (q.subject, q.object)
                for o in organisations
                for q in store.quads_for_pattern(_N(o), prop, None)
            )
        else:  # many: one scan of every name in the store
            found = _pairs(store, prop, None)
        for named, name in found:
            if isinstance(named, ox.NamedNode) and isinstance(name, ox.Literal):
                for doc in organisations.get(named.value, ()):
                    doc.organisations.append(name.value)
    # each involvement node's project, country and kind, from triples in any order
    involvement: dict[str, dict[str, str]] = {p: {} for p in _INVOLVEMENT_PARTS}
    for triple in derived:
        predicate = triple.predicate.value
        if predicate in _INVOLVEMENT_PARTS:
            if isinstance(triple.subject, ox.NamedNode) and isinstance(triple.object, ox.NamedNode):
                # keyed by the node: a project's link is (project, node), the node's facts (node, value)
                key, value = (
                    (triple.object, triple.subject)
                    if predicate == _COUNTRY_INVOLVEMENT
                    else (triple.subject, triple.object)
                )
                involvement[predicate][key.value] = value.value
            continue
        facet = _DERIVED_FACETS.get(predicate)
        subject = docs.get(triple.subject.value) if isinstance(triple.subject, ox.NamedNode) else None
        if predicate in _COUNTRY_CELLS:
            if subject is not None and isinstance(triple.object, ox.Literal):
                if predicate == country_cells.COUNT:
                    subject.country_count = int(triple.object.value)
                else:
                    subject.country_codes = triple.object.value
            continue
        if facet is None or subject is None:
            continue
        if facet == ACTIVE_YEAR:
            if isinstance(triple.object, ox.Literal):
                subject.facets.add((ACTIVE_YEAR, triple.object.value))
            continue
        if not isinstance(triple.object, ox.NamedNode):
            continue
        value = triple.object.value
        if facet == KEY_ACTION:
            subject.facets.add((ANY_ACTION, value))
            if not broader.is_top(value):
                continue
        if facet == SECTOR:
            subject.facets.update((ANY_SECTOR, sector) for sector in broader.closure(value))
        subject.facets.add((facet, value))
    countries, kinds = involvement[_INVOLVED_COUNTRY], involvement[_INVOLVEMENT_KIND]
    for node, project in involvement[_COUNTRY_INVOLVEMENT].items():
        involved, country, kind = docs.get(project), countries.get(node), kinds.get(node)
        if involved is not None and country is not None and kind is not None:
            involved.involvements[country] = kind
    for doc, value in values(_FUNDING_PROGRAMME):
        if isinstance(value, ox.NamedNode):
            doc.facets.add((PROGRAMME, value.value))
    for doc in docs.values():
        actions = [value for facet, value in doc.facets if facet == ANY_ACTION]
        doc.facets.update(
            (PROGRAMME, programme) for action in actions for programme in broader.programmes(action)
        )
    return Documents(sorted(docs.values(), key=lambda doc: doc.sort_key), participations)


def _pairs(
    store: ox.Store, prop: ox.NamedNode, graph: ox.NamedNode | None
) -> Iterator[tuple[object, object]]:
    """(subject, object) of every `prop` triple of `graph` (None: of every graph, once per graph that holds
    it). A SPARQL SELECT of the two terms, not `quads_for_pattern`: two terms a row instead of a quad of four
    (8 against 12-24 µs a triple on the loaded 2-core machine). The documents of 30,000 projects are read
    5-15% faster for it (bench/search_index.py, old and new code alternated: 13.1 -> 11.1 s, 9.5 -> 8.9 s):
    the rest is the Python that puts them together."""
    pattern = f"{{ ?s {prop} ?o }}"
    query = (
        f"SELECT ?s ?o WHERE {{ GRAPH {graph} {pattern} }}"
        if graph
        else f"SELECT ?s ?o WHERE {{ GRAPH ?g {pattern} }}"
    )
    results = store.query(query)
    assert isinstance(results, ox.QuerySolutions)
    for row in results:
        yield row[0], row[1]


class _Broader:
    """`skos:broader` over the whole store, each concept's read once (and each action's programmes)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self._parents: dict[str, list[str]] = {}
        self._closures: dict[str, frozenset[str]] = {}
        self._programmes: dict[str, list[str]] = {}

    def parents(self, concept: str) -> list[str]:
        found = self._parents.get(concept)
        if found is None:
            found = self._parents[concept] = self._objects(concept, _BROADER)
        return found

    def programmes(self, action: str) -> list[str]:
        """The programmes an action names (`ekg:programme`: a key action names its programme)."""
        found = self._programmes.get(action)
        if found is None:
            found = self._programmes[action] = self._objects(action, _PROGRAMME)
        return found

    def _objects(self, subject: str, predicate: ox.NamedNode) -> list[str]:
        """The IRIs `subject` has for `predicate`, in any graph, sorted."""
        return sorted(
            {
                q.object.value
                for q in self._store.quads_for_pattern(_N(subject), predicate, None)
                if isinstance(q.object, ox.NamedNode)
            }
        )

    def is_top(self, concept: str) -> bool:
        return not self.parents(concept)

    def closure(self, concept: str) -> frozenset[str]:
        """The concept and every concept above it (`skos:broader*`)."""
        found = self._closures.get(concept)
        if found is None:
            seen = {concept}
            todo = [concept]
            while todo:
                for parent in self.parents(todo.pop()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._closures[concept] = frozenset(seen)
        return found


def participation_counts(build_dir: Path) -> dict[str, int]:
    """How many participations each organisation has in the sources of a build, summed over its index files
    (a participation is described by the one source of its project)."""
    from erasmus_kg.derived.readonly_sqlite import open_readonly

    counts: dict[str, int] = {}
    for path in sorted((build_dir / FOLDER).glob("*.sqlite")):
        db = open_readonly(path)
        try:
            for organisation, count in db.execute("SELECT organisation, count FROM participations"):
                counts[organisation] = counts.get(organisation, 0) + int(count)
        finally:
            db.close()
    return counts


def index_file(build_dir: Path, source: str) -> Path:
    """Where the search index of source graph `source` is in a build."""
    return build_dir / FOLDER / (blake2b(source.encode(), digest_size=10).hexdigest() + ".sqlite")


def write_build_index(
    store: ox.Store,
    sources: Iterable[str],
    changed: frozenset[str],
    derived: Callable[[str], Iterable[ox.Triple]],
    build_dir: Path,
    previous: Path | None,
) -> None:
    """The search index of a new build: a file made anew for each of `sources` loaded in this build
    (`changed`), with the derived triples `derived(source)` gives, and taken over (hard-linked) from the
    previous build for the others, unless it has none (then it is made too)."""
    (build_dir / FOLDER).mkdir(exist_ok=True)
    for source in sources:
        target = index_file(build_dir, source)
        kept = index_file(previous, source) if previous is not None and source not in changed else None
        if kept is not None and kept.exists() and file_version(kept) == VERSION:
            try:
                os.link(kept, target)
            except OSError:
                shutil.copyfile(kept, target)
            continue
        found = documents_in(store, source, derived(source))
        write_index(target, found.documents, found.participations)


def write_index(
    path: Path, documents: Iterable[Document], participations: Mapping[str, int] | None = None
) -> int:
    """Write the index of `documents` and the organisations' `participations` to a new file `path` (none
    when there are no documents); returns how many documents it holds."""
    import sqlite3

    connection = sqlite3.connect(path)
    count = 0
    facet_ids: dict[tuple[str, str], int] = {}
    try:
        connection.executescript(
            f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA user_version = {VERSION};" + _SCHEMA
        )
        docs = list(documents)
        titles = [(doc.list_title("nl"), doc.list_title("en")) for doc in docs]
        orders = [tuple(None if t is None else reading_order(t) for t in pair) for pair in titles]
        ranks = _ranks(docs, orders)
        # each table's rows gathered, then inserted by one executemany (a call a row cost a third of the file)
        doc_rows: list[tuple[object, ...]] = []
        text_rows: list[tuple[object, ...]] = []
        links: dict[str, list[tuple[object, ...]]] = {"doc_facet": [], "doc_list": []}
        for count, doc in enumerate(docs, 1):
            rank = ranks[count - 1]
            doc_rows.append(
                (
                    count,
                    doc.iri,
                    doc.year,
                    doc.sort_key[1],
                    *titles[count - 1],
                    *orders[count - 1],
                    *rank,
                    doc.grant,
                    *least_literal(doc.acronyms),
                    "\n".join(sorted(set(doc.actions))) or None,
                    *least_literal(doc.starts),
                    *least_literal(doc.ends),
                    # the call year the lists show, for a project without a start date only
                    None if doc.starts or not doc.call_years else min(c.value for c in doc.call_years),
                    doc.country_count,
                    doc.country_codes,
                )
            )
            columns = (doc.titles, doc.names, doc.organisations, doc.summaries)
            text_rows.append((count, *(_text(column) for column in columns)))
            for key in sorted(doc.facets):
                kind = doc.involvements.get(key[1]) if key[0] == COUNTRY else None
                link = (count, _facet_id(facet_ids, key), *rank)
                if _table(key[0]) == "doc_list":
                    links["doc_list"].append(link)
                else:  # a country link also names the kind of the involvement
                    detail = None if kind is None else _facet_id(facet_ids, (INVOLVEMENT, kind))
                    links["doc_facet"].append((*link, detail))
        connection.executemany(
            "INSERT INTO doc (id, iri, year, sort, title_nl, title_en, order_nl, order_en, rank_nl, "
            "rank_en, eu_grant, acronym, acronym_term, actions, start, start_term, end, end_term, "
            "call_year, country_count, countries) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            doc_rows,
        )
        connection.executemany(
            "INSERT INTO doc_text (rowid, titles, names, organisations, summaries) VALUES (?, ?, ?, ?, ?)",
            text_rows,
        )
        connection.executemany(
            "INSERT INTO facet (id, facet, value) VALUES (?, ?, ?)",
            [(n, *key) for key, n in facet_ids.items()],
        )
        connection.executemany(
            "INSERT INTO doc_facet (doc, facet, rank_nl, rank_en, detail) VALUES (?, ?, ?, ?, ?)",
            links["doc_facet"],
        )
        connection.executemany(
            "INSERT INTO doc_list (doc, facet, rank_nl, rank_en) VALUES (?, ?, ?, ?)",
            links["doc_list"],
        )
        connection.executemany(
            "INSERT INTO participations (organisation, count) VALUES (?, ?)",
            sorted((participations or {}).items()),
        )
        if count:
            connection.executescript(_AFTER_LOAD)
        connection.commit()
    finally:
        connection.close()
    if not count:
        path.unlink()
    return count


def _ranks(docs: list[Document], orders: list[tuple[str | None, ...]]) -> list[tuple[int | None, int | None]]:
    """Each document's place in the file's list in Dutch and in English (by its list title's reading order,
    then its IRI; None without a title): the link tables hold them too, so that a page of the projects of a
    country or an action is one range of an index, not a sort of every one of them."""
    places: list[dict[int, int]] = []
    for language in range(2):
        keyed = sorted((order[language], docs[n].iri, n) for n, order in enumerate(orders) if order[language])
        places.append({n: place for place, (_, _, n) in enumerate(keyed, 1)})
    return [(places[0].get(n), places[1].get(n)) for n in range(len(docs))]


def _stored_facet(db: sqlite3.Connection, kind: str, value: str | None) -> tuple[int] | None:
    """The row id (as a one-value row, the form queries take it in) of `value` of `kind` in one index file."""
    found = db.execute("SELECT id FROM facet WHERE facet = ? AND value = ?", (kind, value)).fetchone()
    return None if found is None else (int(found[0]),)


def _table(kind: str) -> str:
    """The table linking documents to values of `kind`: counted by searches, or only listed."""
    return "doc_list" if kind in LISTS else "doc_facet"


def _facet_id(known: dict[tuple[str, str], int], key: tuple[str, str]) -> int:
    """The id of a facet's value in the file: the next free one the first time it is met."""
    found = known.get(key)
    if found is None:
        found = known[key] = len(known) + 1
    return found


def _text(parts: list[str]) -> str:
    return unicodedata.normalize("NFKC", "\n".join(parts))


STOP_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or"),
        *("the", "to", "with"),  # English
        *(
            "de",
            "het",
            "een",
            "en",
            "van",
            "op",
            "te",
            "voor",
            "met",
            "aan",
            "bij",
            "door",
            "om",
            "tot",
            "uit",
        ),
        *("der", "die", "das", "und", "im", "von", "zu", "mit", "fur", "den", "dem", "des", "ein", "eine"),
        *("le", "la", "les", "du", "et", "un", "une", "pour", "au", "aux", "sur", "dans"),  # French
    }
)
"""Words left out of a search that has others ("mobility of learners" is "mobility learners"): they are in
nearly every summary, and requiring them costs more than they narrow (the 327,000 summaries' "of": 60 ms)."""


def match_expression(text: str) -> str | None:
    """The FTS5 query for what a person typed: its words (normal forms) but the stop words (unless it has
    only those), all of them, the last as a prefix; None when it has no word. Every word is quoted, so
    nothing typed is FTS5 syntax."""
    words = normal(text).split()[:32]
    if not words:
        return None
    words = [w for w in words[:-1] if w not in STOP_WORDS] + words[-1:] if len(words) > 1 else words
    if len(words) > 1 and words[-1] in STOP_WORDS:
        words = words[:-1]
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


@dataclass(frozen=True)
class Hits:
    """One page of a search: the projects (IRIs, best first), how many match in all, and per facet the
    values of the matching projects with their counts (most first)."""

    projects: list[str]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    estimated: bool = False
    """Whether the facet counts are estimates (from a sample of `FACET_SAMPLE` matches, scaled up)."""


class SearchIndex:
    """The search index of a build (every file of its search folder), opened read-only."""

    def __init__(self, build_dir: Path) -> None:
        self.folder = build_dir / FOLDER
        self.organisations = organisation_lists.OrganisationLists(build_dir)
        self._opened = PerThread(lambda: sorted(self.folder.glob("*.sqlite")))
        self._answers = functools.lru_cache(maxsize=ANSWERS)(self._search)

    @property
    def _dbs(self) -> list[sqlite3.Connection]:
        """The files, opened on first use, by each thread its own (`readonly_sqlite`)."""
        return self._opened.connections()

    @property
    def available(self) -> bool:
        """Whether the build has a search index of this version (builds made before it have none)."""
        return self.folder.is_dir() and all(file_version(p) == VERSION for p in self.folder.glob("*.sqlite"))

    def close(self) -> None:
        self._opened.close()
        self.organisations.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self, facet: str, value: str) -> int:
        """How many projects have `value` for `facet`."""
        return sum(
            int(
                db.execute(
                    f"SELECT COUNT(*) FROM {_table(facet)} WHERE facet = "
                    "(SELECT id FROM facet WHERE facet = ? AND value = ?)",
                    (facet, value),
                ).fetchone()[0]
            )
            for db in self._dbs
        )

    def members(self, facet: str, value: str, *, limit: int = 20, offset: int = 0) -> tuple[list[str], int]:
        """The projects with `value` for `facet`, newest call year first, then by title: `limit` of them after
        the first `offset`, and how many there are."""
        found: list[tuple[int, str, str]] = []
        total = 0
        for db in self._dbs:
            facet_id = _stored_facet(db, facet, value)
            if facet_id is None:
                continue
            rows = db.execute(
                f"SELECT -COALESCE(doc.year, 0), doc.sort, doc.iri FROM {_table(facet)} AS link "
                "JOIN doc ON doc.id = link.doc WHERE link.facet = ? ORDER BY link.doc LIMIT ?",
                (facet_id[0], limit + offset),
            )
            found.extend((int(year), sort, iri) for year, sort, iri in rows)
            counting = f"SELECT COUNT(*) FROM {_table(facet)} WHERE facet = ?"
            total += int(db.execute(counting, facet_id).fetchone()[0])
        found.sort()
        return [iri for _, _, iri in found[offset : offset + limit]], total

    def totals(self) -> tuple[int, int, str | None]:
        """How many projects the index holds, how many countries they involve, and the sum of their EU grants
        (euros, a decimal as the graph writes it; None when none gives one): the home page's counts, without
        a pass over the store."""
        from decimal import Decimal, InvalidOperation

        grants: dict[str, str | None] = {}
        countries: set[str] = set()
        for db in self._dbs:
            grants.update(db.execute("SELECT iri, eu_grant FROM doc"))
            countries.update(
                value for (value,) in db.execute("SELECT value FROM facet WHERE facet = ?", (COUNTRY,))
            )
        total = Decimal(0)
        for amount in grants.values():
            try:
                total += Decimal(amount) if amount else 0
            except InvalidOperation:  # pragma: no cover - the importer writes decimals only
                continue
        given = any(amount for amount in grants.values())
        return len(grants), len(countries), format(total, "f") if given else None

    def in_list_order(
        self, kind: str | None, value: str | None, lang: str, *, limit: int, offset: int = 0
    ) -> tuple[list[str], int] | None:
        """The projects with `value` for `kind` (every project when `kind` is None) in the order of the stored
        queries' lists in `lang` (`ekg:listPositionNl/En`: by the list title in reading order, then by IRI),
        `limit` of them after the first `offset`, and how many there are (one range of an index on each
        file's places, `_ranks`, and a stored count); for kind `organisation-country`, the organisations of
        the country `value` (`derived.organisation_lists`). None when the build has no such list."""
        if kind == organisation_lists.KIND:
            if value is None or not self.organisations.available:
                return None
            return self.organisations.in_list_order(value, lang, limit=limit, offset=offset)
        order, rank = ("order_nl", "rank_nl") if lang == "nl" else ("order_en", "rank_en")
        found: list[tuple[str, str]] = []
        total = 0
        for db in self._dbs:
            # a project without a title has no list position (no rank), so no place in the stored query's list
            if kind is None:
                rows = db.execute(
                    f"SELECT {order}, iri FROM doc WHERE {rank} IS NOT NULL ORDER BY {rank} LIMIT ?",
                    (limit + offset,),
                )
                facet = (0,)  # `listed` counts every project under facet 0
            else:
                stored = _stored_facet(db, kind, value)
                if stored is None:
                    continue
                facet = stored
                rows = db.execute(
                    f"SELECT doc.{order}, doc.iri FROM {_table(kind)} AS link JOIN doc ON doc.id = link.doc "
                    f"WHERE link.facet = ? AND link.{rank} IS NOT NULL ORDER BY link.{rank} LIMIT ?",
                    (facet[0], limit + offset),
                )
            found.extend(rows)
            total += int(db.execute("SELECT projects FROM listed WHERE facet = ?", facet).fetchone()[0])
        found.sort()
        return [iri for _, iri in found[offset : offset + limit]], total

    def list_rows(
        self,
        kind: str | None,
        value: str | None,
        lang: str,
        *,
        limit: int | None = None,
        dates: bool = True,
        countries: bool = True,
    ) -> list[tuple[Any, ...]] | None:
        """The projects with `value` for `kind` (every project when `kind` is None) in the order of the
        stored queries' lists in `lang`, as `in_list_order` gives them (the first `limit`; None: all), each
        with what the list's row shows of it: a tuple of (a key only this method uses, IRI, list title,
        acronym, acronym_term, actions, start, start_term, end, end_term, call year, involvement, country
        count, country codes): the
        acronym, start and end the least of their values as `index_cells.least_literal` keeps them (a
        string's value, else its `_term`), the actions the IRIs of its own, one a line, the call year the
        least, for a project without a start date only, the involvement the IRI of the kind of its
        involvement of the country (`derived.involvement`; for kind `country` only), the count and codes of
        the countries it involves (`derived.country_cells`); None for none. The
        files' lists, each one range of an index, merged. None when the build has no such list (a kind that
        only the organisations' lists hold). Without `dates` the start, end and call year are None, without
        `countries` the count and codes: a list that does not show them does not read them (at 123,000 rows
        each column read costs SQLite about 10 ms, five of them a tenth of the list's time)."""
        if kind == organisation_lists.KIND:
            return None
        order, rank, title = (
            ("order_nl", "rank_nl", "title_nl") if lang == "nl" else ("order_en", "rank_en", "title_en")
        )
        lists: list[tuple[int, sqlite3.Connection, tuple[int]]] = []
        for db in self._dbs:
            facet = (0,) if kind is None else _stored_facet(db, kind, value)  # `listed` counts all under 0
            if facet is not None:
                (count,) = db.execute("SELECT projects FROM listed WHERE facet = ?", facet).fetchone()
                lists.append((int(count), db, facet))
        if not lists:
            return []
        lists.sort(key=lambda listed: -listed[0])
        cut = -1 if limit is None else limit  # SQLite: a negative LIMIT is none

        def rows(db: sqlite3.Connection, facet: tuple[int], first: str) -> list[tuple[Any, ...]]:
            shown = f"doc.{first}, doc.iri, doc.{title}, doc.acronym, doc.acronym_term, doc.actions, " + (
                "doc.start, doc.start_term, doc.end, doc.end_term, doc.call_year"
                if dates
                else "NULL, NULL, NULL, NULL, NULL"
            )
            cells = "doc.country_count, doc.countries" if countries else "NULL, NULL"
            if kind is None:
                query = (
                    f"SELECT {shown}, NULL, {cells} FROM doc WHERE {rank} IS NOT NULL ORDER BY {rank} LIMIT ?"
                )
                return db.execute(query, (cut,)).fetchall()
            if kind == COUNTRY:
                detail, joined = "detail.value", "LEFT JOIN facet AS detail ON detail.id = link.detail "
            else:
                detail, joined = "NULL", ""
            query = (
                f"SELECT {shown}, {detail}, {cells} "
                f"FROM {_table(kind)} AS link JOIN doc ON doc.id = link.doc {joined}"
                f"WHERE link.facet = ? AND link.{rank} IS NOT NULL ORDER BY link.{rank} LIMIT ?"
            )
            return db.execute(query, (*facet, cut)).fetchall()

        # The largest list is read without its rows' places (their reading-order keys: a third of the
        # reading); each row of the others is put in by a binary search that reads the places it compares.
        _, base_db, base_facet = lists[0]
        found = rows(base_db, base_facet, "id")
        places: dict[int, str] = {}

        def place(row: tuple[Any, ...]) -> tuple[str, str]:
            if not isinstance(row[0], int):
                return row[0], row[1]
            if row[0] not in places:
                places[row[0]] = base_db.execute(
                    f"SELECT {order} FROM doc WHERE id = ?", (row[0],)
                ).fetchone()[0]
            return places[row[0]], row[1]

        for _, db, facet in lists[1:]:
            for row in rows(db, facet, order):
                found.insert(bisect.bisect_left(found, (row[0], row[1]), key=place), row)
        return found if limit is None else found[:limit]

    def links_in_list_order(
        self, kind: str, values: list[str], lang: str, *, limit: int
    ) -> list[tuple[str, str]]:
        """The first `limit` projects (in the list order of `lang`, as `in_list_order`) that have any of
        `values` for `kind`, each with those of `values` it has: (project IRI, value) pairs, in list order,
        then by value. For a list with a row per project and value (`projects-by-organisation`, whose text
        can name 262 organisations): its page is among the rows of these projects."""
        order, rank = ("order_nl", "rank_nl") if lang == "nl" else ("order_en", "rank_en")
        found: list[tuple[str, str, str]] = []
        wanted = json.dumps(values)
        facets = "(SELECT id FROM facet WHERE facet = ? AND value IN (SELECT value FROM json_each(?)))"
        for db in self._dbs:
            first = (
                f"SELECT link.doc FROM {_table(kind)} AS link WHERE link.facet IN {facets} "
                f"AND link.{rank} IS NOT NULL GROUP BY link.doc ORDER BY MIN(link.{rank}) LIMIT ?"
            )
            found.extend(
                db.execute(
                    f"SELECT doc.{order}, doc.iri, facet.value FROM {_table(kind)} AS link "
                    f"JOIN doc ON doc.id = link.doc JOIN facet ON facet.id = link.facet "
                    f"WHERE link.doc IN ({first}) AND link.facet IN {facets}",
                    (kind, wanted, limit, kind, wanted),
                )
            )
        found.sort()
        projects: set[str] = set()
        links = []
        for _, project, value in found:
            if project not in projects:
                if len(projects) == limit:
                    break
                projects.add(project)
            links.append((project, value))
        return links

    def search(
        self,
        text: str,
        filters: Mapping[str, str] | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        facet_values: int = 12,
    ) -> Hits:
        """The projects matching the words of `text` and every facet value of `filters`, best first, `limit`
        of them after the first `offset`, and the `facet_values` most frequent values of each facet among
        all the matches.

        Up to `RANK_ALL` matches (in one file) are ranked by BM25, equal scores in list order (newest call
        year, then title). Beyond, ranking every match costs a quarter of a second (a word such as "mobility"
        matches 300,000 projects): the projects that match in their titles, acronyms and identifiers come
        first, ranked, then the others in list order. Facets are counted over every match up to
        `FACET_SAMPLE` matches, beyond in an even sample of them (every k-th), scaled up, and said to be
        estimates.

        The last `ANSWERS` answers are kept (the index never changes): the same words asked again, in any
        case or accents, narrowed the same way, for the same page, are answered from there."""
        expression = match_expression(text)
        if expression is None:
            return Hits([], 0, {})
        return self._answers(expression, tuple(sorted((filters or {}).items())), limit, offset, facet_values)

    def _search(
        self,
        expression: str,
        filters: tuple[tuple[str, str], ...],
        limit: int,
        offset: int,
        facet_values: int,
    ) -> Hits:
        """`search` for the FTS5 query `expression` (`match_expression`), `filters` as (facet, value)
        pairs. Per file: one pass over the matches gives their document numbers (how many, and the sample the
        facets are counted in), one more ranks them."""
        narrowing = ""
        narrowing_args: list[object] = []
        for facet, value in filters:
            narrowing += (
                f" AND doc_text.rowid IN (SELECT doc FROM {_table(facet)} WHERE facet = "
                "(SELECT id FROM facet WHERE facet = ? AND value = ?))"
            )
            narrowing_args += [facet, value]
        weights = ", ".join(map(str, WEIGHTS))
        wanted = limit + offset
        ranked: list[tuple[tuple[object, ...], str]] = []
        total = 0
        estimated = False
        counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}

        def ranking(db: sqlite3.Connection, match: str, first: int) -> list[tuple[tuple[object, ...], str]]:
            # the best `first` by number (ties in list order), then their IRIs: not a lookup per match
            rows = db.execute(
                "SELECT best.score, -COALESCE(doc.year, 0), doc.sort, doc.iri FROM (SELECT "
                f"bm25(doc_text, {weights}) AS score, doc_text.rowid AS id FROM doc_text WHERE doc_text "
                f"MATCH ?{narrowing} ORDER BY score, id LIMIT ?) AS best JOIN doc ON doc.id = best.id",
                [match, *narrowing_args, first],
            )
            return [((0, float(score), year, sort), iri) for score, year, sort, iri in rows]

        for db in self._dbs:
            numbers = db.execute(
                f"SELECT group_concat(doc_text.rowid) FROM doc_text WHERE doc_text MATCH ?{narrowing}",
                [expression, *narrowing_args],
            ).fetchone()[0]
            matched = numbers.split(",") if numbers else []
            total += len(matched)
            if not matched:
                continue
            if len(matched) <= RANK_ALL:
                ranked += ranking(db, expression, wanted)
            else:
                titled = f"{{titles names}} : ({expression})"
                first = ranking(db, titled, wanted)
                ranked += first
                if len(first) < wanted:  # the page reaches past the title matches: the others, in list order
                    rest = db.execute(
                        "SELECT -COALESCE(doc.year, 0), doc.sort, doc.iri FROM doc_text "
                        f"JOIN doc ON doc.id = doc_text.rowid WHERE doc_text MATCH ?{narrowing} "
                        "AND doc_text.rowid NOT IN (SELECT rowid FROM doc_text WHERE doc_text MATCH ?) "
                        "ORDER BY doc_text.rowid LIMIT ?",
                        [expression, *narrowing_args, titled, wanted - len(first)],
                    )
                    ranked += [((1, year, sort), iri) for year, sort, iri in rest]
            step = -(-len(matched) // FACET_SAMPLE)  # beyond the sample, every step-th match, scaled up
            estimated = estimated or step > 1
            for facet, value, count in db.execute(
                "SELECT facet.facet, facet.value, counted.n FROM facet JOIN (SELECT facet, COUNT(*) AS n "
                "FROM doc_facet WHERE doc IN (SELECT value FROM json_each(?)) GROUP BY facet) AS counted "
                "ON facet.id = counted.facet",
                ["[" + ",".join(matched[::step]) + "]"],
            ):
                counts[facet][value] = counts[facet].get(value, 0) + int(count) * step
        ranked.sort()
        projects: list[str] = []
        for _, iri in ranked:
            if iri not in projects:
                projects.append(iri)
        facets = {
            facet: sorted(found.items(), key=lambda item: (-item[1], item[0]))[:facet_values]
            for facet, found in counts.items()
            if found
        }
        return Hits(projects[offset : offset + limit], total, facets, estimated)
