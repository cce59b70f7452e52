"""Where each project and each organisation stands in the lists: `ekg:listPositionNl` and
`ekg:listPositionEn` for projects, `ekg:organisationPositionNl` and `ekg:organisationPositionEn` for
organisations (sub-properties of `ekg:listPosition`), 1 for the first project in title order (the first
organisation in name order) when the list is shown in Dutch, or in English.

The stored queries that list projects order them by this number instead of by their titles. At 327,000
projects that is the difference between a list that comes back in seconds and one that takes a minute:
Oxigraph sorts by reading every title it compares back from its dictionary (about 10 µs a read, n log n
reads), and cannot return the first page before it has sorted the whole list, while an integer is compared
in place and a page of the list is cut before any title is looked up (queries/README.md, "the page").

The title a list shows for a project is derived here too, as `ekg:listTitleNl` and `ekg:listTitleEn`
(sub-properties of `ekg:listTitle`), so that every query shows the same title and finds it by one lookup: the
project's title in the list's language, else in English, else in Dutch, else its title in the source's own
language (the Project Results export does not say which: `@und`); the smallest of them where there are
several (in code-point order, the order of SPARQL's `ORDER BY` on strings). The lists are in the order of
that title, and then of the IRI. So every project has one position per
language and two builds of the same data give the same positions. `queries/internal/list-order.rq` says the
same in SPARQL, and the tests check one against the other. Organisations are ordered the same way by their
name (`skos:prefLabel`, else their `rdfs:label` in the list's language; one without a name first, as SPARQL
sorts an unbound value), then by IRI (`queries/internal/organisation-order.rq`); projects and organisations
are numbered separately, since no list mixes them.

A position depends on every project of the store, so the positions are one graph for the whole store
(`graphs.POSITIONS`), made anew by every build that changes a source: at 327,000 projects reading the titles,
sorting them and writing the graph take about ten seconds.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.namespaces import EKG, XSD

LIST_LANGUAGES = {"nl": "listPositionNl", "en": "listPositionEn"}
"""The languages lists are shown in (`--lang`), with the property of the projects' positions in each."""
LIST_TITLES = {"nl": "listTitleNl", "en": "listTitleEn"}
"""The property of the title a list in each language shows for a project."""
TITLE_FALLBACK = ("en", "nl")
"""The languages a title is taken in when a project has none in the list's language, in this order."""
ORGANISATION_LANGUAGES = {"nl": "organisationPositionNl", "en": "organisationPositionEn"}
"""The same for the organisations' positions (their own properties: a list of projects finds its positions
by the property alone, without testing each node's type)."""

_TITLES = """
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?project ?title WHERE { ?project a ekg:Project ; dcterms:title ?title }
"""
_NAMES = """
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?organisation ?name ?label WHERE {
  ?organisation a ekg:Organisation .
  OPTIONAL { ?organisation skos:prefLabel ?name }
  OPTIONAL { ?organisation rdfs:label ?label }
}
"""


def shown_title(titles: list[ox.Literal], language: str) -> str:
    """The title a list in `language` shows for a project with `titles`, and sorts it by: in `language`, else
    in English, else in Dutch, else any (see the module's documentation)."""
    for wanted in (language, *TITLE_FALLBACK):
        tagged = [t.value for t in titles if _primary(t.language) == wanted]
        if tagged:
            return min(tagged)
    return min(t.value for t in titles)


def titles(store: ox.Store) -> dict[str, list[ox.Literal]]:
    """The titles of every project of the store, by the project's IRI."""
    found: dict[str, list[ox.Literal]] = {}
    results = store.query(_TITLES, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    for project, title in results:
        if isinstance(project, ox.NamedNode) and isinstance(title, ox.Literal):
            found.setdefault(project.value, []).append(title)
    return found


def order(projects: dict[str, list[ox.Literal]], language: str) -> list[str]:
    """The IRIs of `projects` (from `titles`) in the order of a list in `language`."""
    return sorted(projects, key=lambda iri: (shown_title(projects[iri], language), iri))


Names = dict[str, tuple[list[ox.Literal], list[ox.Literal]]]
"""An organisation's IRI -> (its skos:prefLabel values, its rdfs:label values)."""


def names(store: ox.Store) -> Names:
    """The names of every organisation of the store."""
    found: Names = {}
    results = store.query(_NAMES, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    for organisation, name, label in results:
        if not isinstance(organisation, ox.NamedNode):
            continue
        preferred, labels = found.setdefault(organisation.value, ([], []))
        if isinstance(name, ox.Literal) and name not in preferred:
            preferred.append(name)
        if isinstance(label, ox.Literal) and label not in labels:
            labels.append(label)
    return found


def organisation_order(organisations: Names, language: str) -> list[str]:
    """The IRIs of `organisations` (from `names`) in the order of a list in `language`."""

    def key(iri: str) -> tuple[int, str, str]:
        preferred, labels = organisations[iri]
        shown = [n.value for n in preferred] or [n.value for n in labels if _primary(n.language) == language]
        return (1, min(shown), iri) if shown else (0, "", iri)

    return sorted(organisations, key=key)


def write_positions(store: ox.Store, out: BinaryIO) -> int:
    """The positions of the store's projects and organisations, and the titles lists show for the projects,
    as N-Triples; returns how many projects and organisations have them."""
    datatype = f"<{XSD}integer>"
    projects = titles(store)
    organisations = names(store)
    for language, name in LIST_TITLES.items():
        predicate = f"<{EKG}{name}>"
        out.write(
            "".join(
                f"<{iri}> {predicate} {ox.Literal(shown_title(found, language))} .\n"
                for iri, found in sorted(projects.items())
            ).encode()
        )
    for language in LIST_LANGUAGES:
        for name, listed in (
            (LIST_LANGUAGES[language], order(projects, language)),
            (ORGANISATION_LANGUAGES[language], organisation_order(organisations, language)),
        ):
            predicate = f"<{EKG}{name}>"
            out.write(
                "".join(
                    f'<{iri}> {predicate} "{n}"^^{datatype} .\n' for n, iri in enumerate(listed, start=1)
                ).encode()
            )
    return len(projects) + len(organisations)


def _primary(language: str | None) -> str:
    return (language or "").split("-", 1)[0].lower()
