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
several (in code-point order, the order of SPARQL's `ORDER BY` on strings). The lists are in reading order of
that title (`reading_order`: by its normal form, case, accents and punctuation aside, as a reader looks
things up; "eTwinning" among the E's, "Électricité" before "Energy", not after "Z" as code points would
put them), then by the title itself, then by the IRI. So every project has one position per language and
two builds of the same data give the same positions. `queries/internal/list-order.rq` gives the same titles
in SPARQL, and the tests check one against the other, in this order (SPARQL compares strings by code
points only).

The label every query shows for anything else it names (a country, an action, a sector, a theme, a target
group, a role, an organisation, a field of `project-details`) is derived by the same rule, as
`ekg:shownLabelNl` and `ekg:shownLabelEn` (sub-properties of `ekg:shownLabel`): for every IRI with a
`skos:prefLabel`, the `shown_title` of its prefLabels; for one with only `rdfs:label`s, of those
(`shown_label`). So a concept labelled only in English shows its English label in a Dutch list, one
labelled only in French its French one, and an organisation its name (a prefLabel without a language tag)
in both; `queries/internal/shown-labels.rq` is the same in SPARQL. A kind of country involvement
(`derived.involvement`) is labelled by its ways' shown labels, joined. They are made here rather than in each
source's derived graph because a node's labels can come from several sources (a country's names from the
country table, an imported organisation named by the Project Results export and by the ECHE list): the
shown label must be one value per node over the whole store, as a title is. Organisations are ordered by
their shown label in reading order (one without any label first, as SPARQL sorts an unbound value), then by
IRI (`queries/internal/organisation-order.rq` gives the labels); projects and organisations are numbered
separately, since no list mixes them.

A position depends on every project of the store, so the positions are one graph for the whole store
(`graphs.POSITIONS`), made anew by every build that changes a source: at 327,000 projects reading the titles,
sorting them and writing the graph take about ten seconds (the shown labels add one pass over every
prefLabel and rdfs:label of the store, of the same order as the titles).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.derived import involvement
from erasmus_kg.derived.normal import normal
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
SHOWN_LABELS = {"nl": "shownLabelNl", "en": "shownLabelEn"}
"""The property of the label a query in each language shows for a concept, an organisation or any other
labelled node."""

_TITLES = """
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?project ?title WHERE { ?project a ekg:Project ; dcterms:title ?title }
"""
_LABELS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node ?name ?label WHERE { { ?node skos:prefLabel ?name } UNION { ?node rdfs:label ?label } }
"""
_ORGANISATIONS = """
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
SELECT ?organisation WHERE { ?organisation a ekg:Organisation }
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


def reading_order(text: str) -> str:
    """The key that puts texts in reading order when keys are compared by code points (as SQLite and Python
    compare strings): the normal form (`derived.normal`: case folded, accents, ligatures and punctuation
    aside), then the text itself, so that texts of one normal form keep one order. The separator U+0000
    sorts before every character, so "ab" comes before "ab c"."""
    return f"{normal(text)}\x00{text}"


def order(projects: dict[str, list[ox.Literal]], language: str) -> list[str]:
    """The IRIs of `projects` (from `titles`) in the order of a list in `language`: by the `reading_order` of
    the title shown, then by IRI."""
    return sorted(projects, key=lambda iri: (reading_order(shown_title(projects[iri], language)), iri))


Names = dict[str, tuple[list[ox.Literal], list[ox.Literal]]]
"""A node's IRI -> (its skos:prefLabel values, its rdfs:label values)."""


def shown_label(preferred: list[ox.Literal], labels: list[ox.Literal], language: str) -> str | None:
    """The label a query in `language` shows for a node with the skos:prefLabels `preferred` and the
    rdfs:labels `labels`: the `shown_title` of its prefLabels, else of its rdfs:labels; None without
    either."""
    if preferred or labels:
        return shown_title(preferred or labels, language)
    return None


KIND_SEPARATOR = "; "
"""Between the ways of the label of a kind of country involvement."""


def kind_label(labels: Iterable[str | None]) -> str | None:
    """The label of a kind of country involvement (`derived.involvement`) whose ways have these shown labels
    (None for a way without one): the labels, each once, in reading order, joined by `KIND_SEPARATOR`; None
    when no way has a label."""
    shown = sorted({label for label in labels if label is not None}, key=reading_order)
    return KIND_SEPARATOR.join(shown) if shown else None


def labels(store: ox.Store) -> Names:
    """The skos:prefLabels and rdfs:labels of every IRI of the store that has any (blank nodes have none that
    a query shows: a derived graph could not name them)."""
    found: Names = {}
    results = store.query(_LABELS, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    for node, name, label in results:
        if not isinstance(node, ox.NamedNode):
            continue
        preferred, described = found.setdefault(node.value, ([], []))
        if isinstance(name, ox.Literal) and name not in preferred:
            preferred.append(name)
        if isinstance(label, ox.Literal) and label not in described:
            described.append(label)
    return found


def organisations(store: ox.Store) -> list[str]:
    """The IRIs of every organisation of the store."""
    results = store.query(_ORGANISATIONS, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    return sorted({o.value for (o,) in results if isinstance(o, ox.NamedNode)})


def organisation_order(iris: list[str], named: Names, language: str) -> list[str]:
    """The organisations `iris` in the order of a list in `language`, by the `reading_order` of their shown
    label (from `named`, see `labels`; one without any label first), then by IRI."""

    def key(iri: str) -> tuple[int, str, str]:
        shown = shown_label(*named.get(iri, ([], [])), language)
        return (0, "", iri) if shown is None else (1, reading_order(shown), iri)

    return sorted(iris, key=key)


def write_positions(
    store: ox.Store,
    out: BinaryIO,
    organisations_file: Path | None = None,
    kinds: Mapping[str, set[str]] | None = None,
    participations: Mapping[str, int] | None = None,
) -> int:
    """The positions of the store's projects and organisations, the titles lists show for the projects and
    the labels queries show for every labelled node, as N-Triples; returns how many projects and
    organisations have positions. With `organisations_file`, the organisations' countries and positions are
    written there too, with the organisations' `participations` (`derived.organisation_lists`). The kinds of
    involvement to label are `kinds` (the build's, some of them not loaded yet), else those of the store
    (`involvement.kinds`)."""
    datatype = f"<{XSD}integer>"
    projects = titles(store)
    named = labels(store)
    listed_organisations = organisations(store)
    for language, name in LIST_TITLES.items():
        predicate = f"<{EKG}{name}>"
        out.write(
            "".join(
                f"<{iri}> {predicate} {ox.Literal(shown_title(found, language))} .\n"
                for iri, found in sorted(projects.items())
            ).encode()
        )
    if kinds is None:
        kinds = involvement.kinds(store)
    for language, name in SHOWN_LABELS.items():
        predicate = f"<{EKG}{name}>"
        out.write(
            "".join(
                f"<{iri}> {predicate} {ox.Literal(shown)} .\n"
                for iri, (preferred, described) in sorted(named.items())
                if (shown := shown_label(preferred, described, language)) is not None
            ).encode()
        )
        # a kind of involvement: its ways' labels joined (derived.involvement), unless it has labels itself
        out.write(
            "".join(
                f"<{kind}> {predicate} {ox.Literal(shown)} .\n"
                for kind, ways in sorted(kinds.items())
                if kind not in named
                and (shown := kind_label(shown_label(*named.get(way, ([], [])), language) for way in ways))
                is not None
            ).encode()
        )
    places: dict[str, dict[str, int]] = {}
    for language in LIST_LANGUAGES:
        in_order = organisation_order(listed_organisations, named, language)
        places[language] = {iri: n for n, iri in enumerate(in_order, start=1)}
        for name, listed in (
            (LIST_LANGUAGES[language], order(projects, language)),
            (ORGANISATION_LANGUAGES[language], in_order),
        ):
            predicate = f"<{EKG}{name}>"
            out.write(
                "".join(
                    f'<{iri}> {predicate} "{n}"^^{datatype} .\n' for n, iri in enumerate(listed, start=1)
                ).encode()
            )
    if organisations_file is not None:
        from erasmus_kg.derived import organisation_lists

        def label_of(iri: str, language: str) -> str | None:
            return shown_label(*named.get(iri, ([], [])), language)

        organisation_lists.write(organisations_file, store, places, label_of, participations)
    return len(projects) + len(listed_organisations)


def _primary(language: str | None) -> str:
    return (language or "").split("-", 1)[0].lower()
