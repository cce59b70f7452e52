"""The union of a store's graphs as one graph, read subject by subject with bounded memory.

Merging the named graphs into one graph means set semantics: a triple stated in two graphs is written once.
Deduplicating with a set of every triple would hold the whole graph in memory (15 million triples at full
scale), so the store's indexes do the work instead:

- the graphs are visited in a fixed order (the default graph, then the named graphs sorted by name);
- within a graph, the store returns the quads grouped by subject (its graph-subject-predicate-object index);
- a subject is written when it is met in the first graph that holds it (one index lookup per earlier graph
  tells; for small graphs, such as the packaged vocabularies, a set of their subjects), with its triples
  from that graph and from every later graph, deduplicated in memory.

So memory holds one subject's triples at a time (and the subjects of the small graphs), and every triple is
read about once. The order of subjects
is the store's index order: stable for the same store contents, not alphabetical.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from operator import attrgetter

import pyoxigraph as ox

from erasmus_kg.export.selection import Quads

Subject = ox.NamedNode | ox.BlankNode
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An object may be a triple term (RDF 1.2); the JSON-LD writer refuses one."""
Pair = tuple[ox.NamedNode, Object]
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

_subject_of = attrgetter("subject")


def graph_order(store: Quads) -> list[GraphName]:
    """The default graph, then the named graphs sorted by name."""
    return [ox.DefaultGraph(), *sorted(store.named_graphs(), key=str)]


SMALL_GRAPH = 50_000
"""Graphs with at most this many quads have their subjects kept in a set while merging (a few hundred
kilobytes at most), so that the subjects of the large graphs are checked against them without an index
lookup each."""


def subject_of(quad: ox.Quad) -> Subject:
    """The subject of `quad`, narrowed: pyoxigraph's stubs allow a triple there (RDF-star), but RDF 1.2 and
    pyoxigraph 0.5 do not (`ox.Quad` refuses one), so the error below is never raised."""
    subject = quad.subject
    if isinstance(subject, ox.Triple):  # pragma: no cover
        raise TypeError(f"a triple term as the subject of a quad: {quad}")
    return subject


def _holds_subject(store: Quads, subject: Subject, graph: GraphName) -> bool:
    return next(iter(store.quads_for_pattern(subject, None, None, graph)), None) is not None


def _subjects_if_small(store: Quads, graph: GraphName) -> set[Subject] | None:
    """The subjects of `graph`, or None when it holds more than SMALL_GRAPH quads."""
    subjects: set[Subject] = set()
    for count, quad in enumerate(store.quads_for_pattern(None, None, None, graph)):
        if count >= SMALL_GRAPH:
            return None
        subjects.add(subject_of(quad))
    return subjects


def merged_subjects(store: Quads) -> Iterator[tuple[Subject, list[Pair]]]:
    """Every subject of the union of the store's graphs once, with its distinct (predicate, object) pairs.

    The pairs come in a deterministic order (index order, graph by graph); callers sort them as they need.
    """
    graphs = graph_order(store)
    small = [_subjects_if_small(store, graph) for graph in graphs]

    def holds(index: int, subject: Subject) -> bool:
        subjects = small[index]
        return subject in subjects if subjects is not None else _holds_subject(store, subject, graphs[index])

    for index, graph in enumerate(graphs):
        later = range(index + 1, len(graphs))
        for subject, quads in groupby(store.quads_for_pattern(None, None, None, graph), key=_subject_of):
            if any(holds(other, subject) for other in range(index)):
                continue  # written with the first graph that holds it
            pairs = dict.fromkeys((q.predicate, q.object) for q in quads)
            for other in later:
                subjects = small[other]
                if subjects is None or subject in subjects:
                    more = store.quads_for_pattern(subject, None, None, graphs[other])
                    pairs.update(dict.fromkeys((q.predicate, q.object) for q in more))
            yield subject, list(pairs)


def subject_pairs(store: Quads, subject: Subject) -> list[Pair]:
    """The distinct (predicate, object) pairs of one subject over all graphs."""
    return list(
        dict.fromkeys((q.predicate, q.object) for q in store.quads_for_pattern(subject, None, None, None))
    )


def term_key(term: object) -> str:
    """A sort key for RDF terms: their N-Triples form."""
    return str(term)
