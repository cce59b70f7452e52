"""The countries a project involves as one cell: their number and their codes (`ekg:involvedCountryCount`,
`ekg:involvedCountryCodes`).

`countries-per-project` shows, per project, how many countries it involves and which. In SPARQL alone that is
a GROUP_CONCAT over a row per country, whose order the standard leaves to the engine (Oxigraph's is the order
of its internal term ids): no index and no other store could give the same cell, and the aggregate over all
327,000 projects took 37 s. So both are derived, per project that involves a country, from its
`ekg:involvesCountry` values: the number of distinct values, and the code of each (the part of its IRI after
/authority/country/, as STRAFTER gives it: empty for any other value), distinct, in code-point order, joined
by "; ". The query reads them, with 0 and "" for a project without a country.

Both derivations make them here in Python: the build's (`derived.facts`, from the triples of
queries/derived/involves-country.rq) and the importer's (`importing.derivation`, from the countries it
derives while rows stream).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from erasmus_kg.namespaces import EKG, XSD

COUNT = EKG + "involvedCountryCount"
CODES = EKG + "involvedCountryCodes"
INVOLVES_COUNTRY = EKG + "involvesCountry"

_CODE_AFTER = "/authority/country/"
_INTEGER = ox.NamedNode(XSD + "integer")

Country = ox.NamedNode | ox.Literal | ox.BlankNode
"""A value of ekg:involvesCountry (an IRI, as every source gives; the definitions do not insist)."""


def code(country: Country) -> str:
    """A country's code as the query's STRAFTER(STR(?country), "/authority/country/") gives it: the part of
    its IRI (or lexical form) after the first "/authority/country/", "" without one (or for a blank node,
    whose STR is an error, made "" by the query's COALESCE)."""
    if isinstance(country, ox.BlankNode):
        return ""
    _, found, after = country.value.partition(_CODE_AFTER)
    return after if found else ""


def codes_cell(countries: Iterable[Country]) -> str:
    """The distinct codes of `countries`, in code-point order, joined by "; "."""
    return "; ".join(sorted({code(country) for country in countries}))


def project_triples(project: ox.NamedNode, countries: Iterable[Country]) -> list[ox.Triple]:
    """The count and the codes of a project that involves `countries` (none for a project without one)."""
    distinct = set(countries)
    if not distinct:
        return []
    return [
        ox.Triple(project, ox.NamedNode(COUNT), ox.Literal(str(len(distinct)), datatype=_INTEGER)),
        ox.Triple(project, ox.NamedNode(CODES), ox.Literal(codes_cell(distinct))),
    ]


def cell_triples(involves: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The counts and codes of the projects of `involves` (the triples of queries/derived/involves-country.rq:
    `?project ekg:involvesCountry ?country`), in the order of the projects' IRIs."""
    countries: dict[ox.NamedNode, set[Country]] = {}
    for triple in involves:
        subject, country = triple.subject, triple.object
        if (
            triple.predicate.value == INVOLVES_COUNTRY
            and isinstance(subject, ox.NamedNode)
            and isinstance(country, ox.NamedNode | ox.Literal | ox.BlankNode)
        ):
            countries.setdefault(subject, set()).add(country)
    found: list[ox.Triple] = []
    for project, of_project in sorted(countries.items(), key=lambda item: item[0].value):
        found += project_triples(project, of_project)
    return found
