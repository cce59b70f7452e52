"""The derived facts and the partial statistics of an import's graph, made while its rows are read.

A build derives, for every source graph, the triples of the definitions in queries/derived/*.rq and the rows
of the aggregate queries in queries/statistics/*.rq (`derived.facts`, `derived.cube`). Evaluated by SPARQL
over a whole Project Results export (13.7 million triples) that second pass costs minutes (the
involves-country CONSTRUCT alone took 177 s), more than the import itself. An importer whose rows each
describe one project completely knows, when it commits a row, everything those definitions read about the
project: so `StreamingDerivation` follows the committed rows (the sink hands it the triples of each row whose
predicate it watches), writes the derived triples of each project as N-Triples and sums its partial
statistics, and the import loads them as the graph's derived graph; the build does not derive it again.

The definitions stay the reference: this module gives exactly their triples and rows (the tests compare the
two on the sample export and on generated ones), and `follows_definitions` tells whether the definitions are
still the ones it knows (a new one: the import leaves the derivation to the build). What it relies on:

- a project is typed ekg:Project in its row, and its participations and activities are described in its row
  (each row is one project; its participation nodes are minted under the project's IRI);
- an organisation or a concept is described completely in the row where it first appears (the sink's rule),
  so its country, its broader concepts and its sectors are known when a later row refers to it;
- the definitions read the union of all graphs for the facts besides the project's own: the packaged data
  (the action hierarchy and the sectors of data/vocabularies.ttl) and the other graphs of the store (through
  `ExistingFacts`, which leaves out the graph being replaced) are read as well;
- literals are compared in the form the importer writes them, which is Oxigraph's canonical form for the
  values the importers write (four-digit years, decimal amounts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TextIO
from urllib.parse import quote

import pyoxigraph as ox

from erasmus_kg.derived import country_cells, cube, definitions, involvement
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.terms import T, iri
from erasmus_kg.namespaces import EKG, XSD
from erasmus_kg.rdf_files import OX_FORMATS

DERIVED_DEFINITIONS = frozenset(
    {
        "action-or-broader",
        "active-in-year",
        "country-involvement",
        "in-sector",
        "involves-country",
        "serves-target-group",
    }
)
"""The definitions of queries/derived/ that `StreamingDerivation` follows."""
STATISTICS_DEFINITIONS = frozenset(
    {
        "country-pairs",
        "projects-by-action",
        "projects-by-country",
        "projects-by-country-and-year",
        "projects-by-programme",
        "projects-by-sector",
        "projects-by-year",
    }
)
"""The data sets of queries/statistics/ that `StreamingDerivation` sums."""

FIRST_YEAR, LAST_YEAR = 1987, 2040
"""The years ekg:activeInYear can take (queries/derived/active-in-year.rq lists them)."""

_ACTIVITY = iri(EKG + "activity")
_DESTINATION_COUNTRY = iri(EKG + "destinationCountry")
_TARGET_GROUP = iri(EKG + "targetGroup")
_START_DATE = iri(EKG + "startDate")
_END_DATE = iri(EKG + "endDate")
_INVOLVES_COUNTRY = iri(EKG + "involvesCountry")
_ACTION_OR_BROADER = iri(EKG + "actionOrBroader")
_IN_SECTOR = iri(EKG + "inSector")
_SERVES_TARGET_GROUP = iri(EKG + "servesTargetGroup")
_ACTIVE_IN_YEAR = iri(EKG + "activeInYear")
_INTEGER = iri(XSD + "integer")
_COUNTRY_INVOLVEMENT = iri(EKG + "countryInvolvement")
_INVOLVED_COUNTRY = iri(EKG + "involvedCountry")
_INVOLVED_AS = iri(EKG + "involvedAs")
_INVOLVEMENT_KIND = iri(involvement.INVOLVEMENT_KIND)
_COUNTRY_COUNT = iri(country_cells.COUNT)
_COUNTRY_CODES = iri(country_cells.CODES)
_EU_COUNTRY = "<http://publications.europa.eu/resource/authority/country/"

_SHARED = frozenset({T.country, T.broader, T.sector})
"""Facts about nodes that later rows refer to (organisations, concepts): kept for the whole import."""
WATCHED = _SHARED | frozenset(
    {
        T.type,
        T.participation,
        T.organisation,
        T.role,
        T.participating_country,
        _ACTIVITY,
        _DESTINATION_COUNTRY,
        T.action,
        _TARGET_GROUP,
        _START_DATE,
        _END_DATE,
        T.call_year,
        T.eu_grant,
        T.funding_programme,
    }
)
"""The predicates whose triples the derivation reads (serialised IRIs)."""

_XSD_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")
_XSD_DECIMAL = re.compile(r"^([+-]?)([0-9]*)(?:\.([0-9]*))?$")
_DECIMAL_DIGITS = 18
_UNIT: int = 10**_DECIMAL_DIGITS
_DECIMAL_MAX = 2**127 - 1
"""Oxigraph's xsd:decimal: a 128-bit integer of 10^-18 units. A value it cannot hold makes SUM an error."""

Key = tuple[str, tuple[tuple[str, str], ...]]
"""(data set, ((dimension, N-Triples term), ...) in the order of the query's variables)."""


def follows_definitions() -> bool:
    """Whether the definitions are those this module derives (by name: the tests check their content)."""
    return (
        frozenset(definitions.facts()) == DERIVED_DEFINITIONS
        and frozenset(definitions.statistics()) == STATISTICS_DEFINITIONS
    )


class StreamingDerivation:
    """The derived triples (written to `out` as N-Triples) and the partial statistics of the projects of the
    committed rows of one import (see the module's docstring for what it relies on)."""

    watched = WATCHED

    def __init__(self, out: TextIO, existing: ExistingFacts) -> None:
        self._out = out
        self._existing = existing
        self.triples = 0
        """Derived triples written."""
        self._facts: dict[str, dict[str, frozenset[str]]] = {p: {} for p in _SHARED}
        """Shared predicate -> node -> its objects in this import's graph and in the other graphs."""
        self._sets: dict[frozenset[str], frozenset[str]] = {}
        """One copy of each set of objects (most organisations of a country share one)."""
        self._ancestors: dict[str, frozenset[str]] = {}
        """Concept -> itself and every concept broader than it (skos:broader*)."""
        self._totals: dict[Key, list[int]] = {}
        """Per data set and dimension values: [project count, grant sum in 10^-18 euros, 1 if the sum is
        valid]."""
        self._kinds: dict[frozenset[str], str] = {}
        """Each set of ways (serialised IRIs) met so far -> the IRI of its kind (serialised): each kind is
        described once, where it is first met."""

    # -- rows -----------------------------------------------------------------------------------------------

    def commit(self, triples: Iterable[tuple[str, str, str]]) -> None:
        """Derive the projects of one committed row from its watched triples (serialised terms)."""
        projects: list[str] = []
        row: dict[str, dict[str, list[str]]] = {}
        shared: dict[str, dict[str, set[str]]] = {}
        for s, p, o in triples:
            if p == T.type:
                if o == T.project:
                    projects.append(s)
            elif p in _SHARED:
                shared.setdefault(p, {}).setdefault(s, set()).add(o)
            else:
                row.setdefault(p, {}).setdefault(s, []).append(o)
        for p, by_node in shared.items():
            known = self._facts[p]
            for node, objects in by_node.items():
                old = known.get(node)
                if old is None:
                    old = self._other_graphs(node, p)
                known[node] = self._one_copy(old | objects)
        for project in projects:
            self._project(project, row)

    def _project(self, project: str, row: dict[str, dict[str, list[str]]]) -> None:
        def objects(predicate: str, subject: str) -> list[str]:
            return row.get(predicate, {}).get(subject, [])

        activities = objects(_ACTIVITY, project)
        countries = set(objects(T.participating_country, project))
        involved: dict[str, set[str]] = {c: {T.participating_country} for c in countries}
        for participation in objects(T.participation, project):
            roles = objects(T.role, participation)
            for organisation in objects(T.organisation, participation):
                for country in self._shared(T.country, organisation):
                    countries.add(country)
                    if roles:
                        involved.setdefault(country, set()).update(roles)
        for activity in activities:
            for country in objects(_DESTINATION_COUNTRY, activity):
                countries.add(country)
                involved.setdefault(country, set()).add(_DESTINATION_COUNTRY)
        actions: set[str] = set()
        for own in objects(T.action, project):
            actions |= self._ancestors_of(own)
        sectors = set(self._facts[T.sector].pop(project, frozenset()))
        for action in actions:
            sectors |= self._shared(T.sector, action)
        groups = set(objects(_TARGET_GROUP, project))
        for activity in activities:
            groups.update(objects(_TARGET_GROUP, activity))
        call_years = set(objects(T.call_year, project))
        years = active_years(objects(_START_DATE, project), objects(_END_DATE, project), call_years)

        lines = [f"{project} {_INVOLVES_COUNTRY} {c} .\n" for c in countries]
        if countries:
            codes = country_cells.codes_cell(ox.Literal(lexical(c)) for c in countries)
            lines.append(f'{project} {_COUNTRY_COUNT} "{len(countries)}"^^{_INTEGER} .\n')
            lines.append(f"{project} {_COUNTRY_CODES} {ox.Literal(codes)} .\n")
        for country, ways in involved.items():
            if not country.startswith("<"):
                continue  # FILTER(ISIRI(?country))
            node = involvement_node(project, country)
            lines.append(f"{project} {_COUNTRY_INVOLVEMENT} {node} .\n")
            lines.append(f"{node} {_INVOLVED_COUNTRY} {country} .\n")
            lines += [f"{node} {_INVOLVED_AS} {how} .\n" for how in ways]
            lines.append(f"{node} {_INVOLVEMENT_KIND} {self._kind(frozenset(ways), lines)} .\n")
        lines += [f"{project} {_ACTION_OR_BROADER} {a} .\n" for a in actions]
        lines += [f"{project} {_IN_SECTOR} {s} .\n" for s in sectors]
        lines += [f"{project} {_SERVES_TARGET_GROUP} {g} .\n" for g in groups]
        lines += [f'{project} {_ACTIVE_IN_YEAR} "{y}"^^{_INTEGER} .\n' for y in sorted(years)]
        self._out.write("".join(lines))
        self.triples += len(lines)

        grants = set(objects(T.eu_grant, project))
        rows = max(1, len(grants))  # OPTIONAL { ?project ekg:euGrant ?grant }: one row per grant
        grant, valid = 0, True
        for value in grants:
            units = decimal_units(lexical(value))
            if units is None:
                valid = False
            else:
                grant += units
        count = self._count
        for country in countries:
            count("projects-by-country", (("refCountry", country),), rows, grant, valid)
            for year in call_years:
                count(
                    "projects-by-country-and-year",
                    (("refCountry", country), ("refCallYear", year)),
                    rows,
                    grant,
                    valid,
                )
            for partner in countries:
                if country[1:-1] < partner[1:-1]:  # FILTER(STR(?refCountry) < STR(?refPartnerCountry))
                    count(
                        "country-pairs",
                        (("refCountry", country), ("refPartnerCountry", partner)),
                        rows,
                        grant,
                        valid,
                    )
        for action in actions:
            count("projects-by-action", (("refAction", action),), rows, grant, valid)
        for sector in sectors:
            count("projects-by-sector", (("refSector", sector),), rows, grant, valid)
        for programme in set(objects(T.funding_programme, project)):
            count("projects-by-programme", (("refProgramme", programme),), rows, grant, valid)
        for year in call_years:
            count("projects-by-year", (("refCallYear", year),), rows, grant, valid)

    def _kind(self, ways: frozenset[str], lines: list[str]) -> str:
        """The kind of a node with `ways` (`involvement.kind_iri`); its description is added to `lines` the
        first time."""
        kind = self._kinds.get(ways)
        if kind is None:
            made = involvement.kind_iri(way[1:-1] for way in ways)
            kind = self._kinds[ways] = f"<{made}>"
            lines += [str(triple) + " .\n" for triple in involvement.described(made, (w[1:-1] for w in ways))]
        return kind

    def _count(
        self, name: str, dims: tuple[tuple[str, str], ...], rows: int, grant: int, valid: bool
    ) -> None:
        total = self._totals.get((name, dims))
        if total is None:
            total = self._totals[(name, dims)] = [0, 0, 1]
        total[0] += rows
        total[1] += grant  # SUM adds each grant once per combination
        if not valid:
            total[2] = 0

    # -- what the rows refer to -----------------------------------------------------------------------------

    def _shared(self, predicate: str, node: str) -> frozenset[str]:
        """The objects of `node predicate` in the union of the graphs (this import's committed rows, the
        packaged data, the store's other graphs)."""
        known = self._facts[predicate]
        found = known.get(node)
        if found is None:
            found = known[node] = self._other_graphs(node, predicate)
        return found

    def _other_graphs(self, node: str, predicate: str) -> frozenset[str]:
        packaged = packaged_facts().get(predicate, {}).get(node, frozenset())
        return self._one_copy(packaged | frozenset(self._existing.values(node, predicate)))

    def _ancestors_of(self, concept: str) -> frozenset[str]:
        found = self._ancestors.get(concept)
        if found is None:
            seen = {concept}
            todo = [concept]
            while todo:
                for broader in self._shared(T.broader, todo.pop()):
                    if broader not in seen:
                        seen.add(broader)
                        todo.append(broader)
            found = self._ancestors[concept] = frozenset(seen)
        return found

    def _one_copy(self, objects: frozenset[str]) -> frozenset[str]:
        return self._sets.setdefault(objects, objects)

    # -- results --------------------------------------------------------------------------------------------

    def partials(self) -> list[cube.Partial]:
        """The statistics rows of the projects derived so far, as `cube.source_partials` gives them."""
        rows: list[cube.Partial] = []
        for (name, dims), (count, grant, valid) in sorted(self._totals.items()):
            valid_sum = valid and -_DECIMAL_MAX - 1 <= grant <= _DECIMAL_MAX
            total = decimal_text(grant) if valid_sum else "0"  # an error: grantSum unbound, counted as 0
            rows.append([name, [[d, v] for d, v in dims], count, total])
        return rows


def involvement_node(project: str, country: str) -> str:
    """The node of ekg:countryInvolvement (queries/derived/country-involvement.rq) for a project and a
    country (serialised IRIs): the project's IRI with /involvement/ and the country's code in the EU country
    table, or its whole IRI encoded as ENCODE_FOR_URI does."""
    if country.startswith(_EU_COUNTRY):
        code = country[len(_EU_COUNTRY) : -1]
    else:
        code = quote(country[1:-1], safe="-._~")
    return f"<{project[1:-1]}/involvement/{code}>"


def active_years(starts: Iterable[str], ends: Iterable[str], call_years: Iterable[str]) -> set[int]:
    """The years of ekg:activeInYear (queries/derived/active-in-year.rq) for a project's start dates, end
    dates and call years (serialised literals): from the year of a start to the year of an end (the start
    year when an end has none or there is none), else the call year; within 1987-2040."""
    years: set[int] = set()
    starts, ends = list(starts), list(ends)
    if starts:
        lasts = [xsd_integer(lexical(end)[:4]) for end in ends] or [None]
        for start in starts:
            first = xsd_integer(lexical(start)[:4])
            if first is None:
                continue
            for last in lasts:
                end = first if last is None else last
                years.update(range(max(first, FIRST_YEAR), min(end, LAST_YEAR) + 1))
        return years
    for call_year in call_years:
        year = xsd_integer(lexical(call_year))
        if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
            years.add(year)
    return years


def lexical(term: str) -> str:
    """STR() of a serialised term: the lexical form of a literal, the IRI of an IRI."""
    if term.startswith("<"):
        return term[1:-1]
    if not term.startswith('"'):
        return term
    text = term[1 : term.rindex('"')]
    if "\\" in text:  # escaped: let the N-Triples parser read it
        parsed = next(iter(ox.parse(f"<x:s> <x:p> {term} .", format=ox.RdfFormat.N_TRIPLES))).object
        return parsed.value if isinstance(parsed, ox.Literal) else text
    return text


def xsd_integer(text: str) -> int | None:
    """xsd:integer(text), None when the cast fails."""
    return int(text) if _XSD_INTEGER.match(text) else None


def decimal_units(text: str) -> int | None:
    """An xsd:decimal's value in 10^-18 units, None when Oxigraph cannot hold it (too many decimals, too
    large, not a decimal)."""
    match = _XSD_DECIMAL.match(text)
    if match is None:
        return None
    sign, whole, fraction = match.group(1), match.group(2), (match.group(3) or "").rstrip("0")
    if not (whole or match.group(3)) or len(fraction) > _DECIMAL_DIGITS:
        return None
    units = int(whole or "0") * _UNIT + int(fraction.ljust(_DECIMAL_DIGITS, "0") or "0")
    if units > _DECIMAL_MAX:
        return None
    return -units if sign == "-" else units


def decimal_text(units: int) -> str:
    """A sum in 10^-18 units in Oxigraph's canonical form ("12.5", "100", "0")."""
    whole, fraction = divmod(abs(units), _UNIT)
    text = str(whole)
    if fraction:
        text += "." + str(fraction).rjust(_DECIMAL_DIGITS, "0").rstrip("0")
    return "-" + text if units < 0 else text


@cache
def packaged_facts() -> dict[str, dict[str, frozenset[str]]]:
    """skos:broader, ekg:sector and ekg:country in the packaged sources (the ontology and data/): shared
    predicate -> subject -> objects, all serialised. Read once per process."""
    from erasmus_kg.store.default import packaged_sources

    found: dict[str, dict[str, set[str]]] = {p: {} for p in _SHARED}
    for source in packaged_sources():
        for triple in ox.parse(path=str(source.path), format=OX_FORMATS[source.format]):
            predicate = str(triple.predicate)
            if predicate in found and isinstance(triple.subject, ox.NamedNode):
                found[predicate].setdefault(str(triple.subject), set()).add(str(triple.object))
    return {p: {s: frozenset(o) for s, o in by_subject.items()} for p, by_subject in found.items()}
