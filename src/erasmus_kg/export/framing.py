"""The project view: one nested JSON-LD node per project, as a web developer wants to read it.

Each project carries its participations (each with its organisation, the organisation's country and kind,
and the roles), its activities, target groups and figures embedded, and every concept it points to (action,
sector, themes, countries, roles, kinds, languages) as `{"id": ..., "prefLabel": {"en": ..., "nl": ...}}`.

This is a view, not a dump: an organisation in ten projects is written ten times, concept labels are given
in English and Dutch only, and what is not reachable from a project (the ontology, the concept schemes,
organisations without projects) is left out. Every triple it states is in the graph, so a JSON-LD processor
reads it back as a subset of the full export; use `export(..., frame=None)` for the whole graph.

Memory stays bounded: one project's tree at a time, and a bounded cache of concept summaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from erasmus_kg.export.jsonld import RDF_TYPE, NodeEncoder
from erasmus_kg.export.merged import GraphName, Pair, Subject, graph_order, subject_of, subject_pairs
from erasmus_kg.export.selection import Quads
from erasmus_kg.namespaces import DCTERMS, EKG, RDFS, SKOS, XSD_STRING

PROJECT = EKG + "Project"

EMBEDDED = frozenset(
    EKG + name for name in ("participation", "organisation", "activity", "targetGroup", "figure")
)
"""Properties whose values are written in full inside the node that points to them."""

SUMMARISED = frozenset(
    [
        *(
            EKG + name
            for name in (
                "action",
                "sector",
                "theme",
                "role",
                "country",
                "participatingCountry",
                "destinationCountry",
                "organisationKind",
                "activityType",
                "host",
                "carriedOutBy",
                "relatedProject",
            )
        ),
        DCTERMS + "language",
    ]
)
"""Properties whose values are written as their IRI with their names (labels, titles, acronym)."""

NAMING = frozenset(
    [SKOS + "prefLabel", RDFS + "label", DCTERMS + "title", EKG + "acronym", SKOS + "notation"]
)
"""The properties that name a summarised node."""

LANGUAGES = ("en", "nl")
"""The languages of the names in summaries (the graph's countries have names in 30 languages)."""

_SUMMARY_CACHE = 16_384


def project_subjects(store: Quads) -> Iterator[ox.NamedNode | ox.BlankNode]:
    """Every subject typed ekg:Project in any graph, once, in store order (bounded memory, see `merged`)."""
    rdf_type, project = ox.NamedNode(RDF_TYPE), ox.NamedNode(PROJECT)
    graphs = graph_order(store)
    for index, graph in enumerate(graphs):
        earlier = graphs[:index]
        for quad in store.quads_for_pattern(None, rdf_type, project, graph):
            subject = subject_of(quad)
            if not any(_holds(store, subject, rdf_type, project, other) for other in earlier):
                yield subject


def _holds(store: Quads, s: Subject, p: ox.NamedNode, o: ox.NamedNode, graph: GraphName) -> bool:
    return next(iter(store.quads_for_pattern(s, p, o, graph)), None) is not None


def _is_name(literal: ox.Literal) -> bool:
    if literal.language:
        return literal.language in LANGUAGES
    return literal.datatype.value == XSD_STRING  # not the coded notations (ISO codes of countries)


class ProjectFramer:
    """Builds the nested node of each project of a store."""

    def __init__(self, store: Quads, encoder: NodeEncoder) -> None:
        self.store = store
        self.encoder = encoder
        self._summary = lru_cache(maxsize=_SUMMARY_CACHE)(self._summarise)

    def projects(self) -> Iterator[dict[str, Any]]:
        for subject in project_subjects(self.store):
            yield self.describe(subject, frozenset())

    def describe(self, subject: Subject, ancestors: frozenset[Subject]) -> dict[str, Any]:
        path = ancestors | {subject}

        def nested(predicate: ox.NamedNode, obj: ox.NamedNode | ox.BlankNode) -> dict[str, Any] | None:
            if obj in path:
                return None
            if predicate.value in EMBEDDED or isinstance(obj, ox.BlankNode):
                return self.describe(obj, path)
            if predicate.value in SUMMARISED:
                return self._summary(obj)
            return None

        return self.encoder.node(subject, subject_pairs(self.store, subject), nested)

    def _summarise(self, subject: Subject) -> dict[str, Any]:
        names: list[Pair] = [
            (p, o)
            for p, o in subject_pairs(self.store, subject)
            if p.value in NAMING and isinstance(o, ox.Literal) and _is_name(o)
        ]
        return self.encoder.node(subject, names)
