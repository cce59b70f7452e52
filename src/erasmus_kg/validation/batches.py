"""Validation of large graphs (an import of 15 million triples) with the same shapes and the same report as
`shacl.validate_graph`, batch by batch, in worker processes.

pySHACL on the whole graph of a full export would take hours and tens of gigabytes: its cost grows with the
graph and it holds the graph in rdflib. A SHACL result, though, depends only on the focus node and on what its
constraints look at. The shapes (ontology/shapes.ttl) look at a focus node's own triples (its properties,
their values' datatypes, counts and languages), at the objects it points to only through their rdf:type (and
rdfs:subClassOf: `sh:class`) and skos:inScheme (`ekgsh:CountryShape`, `ekgsh:LanguageShape`), and at
the projects of a participation through `^ekg:participation`. So a batch is validated on:

- every triple of its focus nodes (a project with its participations; an organisation; a concept; ...), which
  the importers guarantee by describing every node completely in the row where it first appears, and the
  store batches by gathering each focus node's triples from every graph;
- the rdf:type of the nodes it refers to outside the batch;
- the rdf:type, rdfs:subClassOf and skos:inScheme triples of the packaged ontology and data (`context`).

Only results whose focus node belongs to the batch are kept (the context's own nodes, validated in every
batch, belong to none), so every result of the whole graph is reported once. tests/test_batch_validation.py
shows on invalid imports that the batched report equals pySHACL's report on the whole graph.

Within a batch, pySHACL sees only the focus nodes that the screen (`screen`, the shapes compiled to fast
checks) cannot show to conform: none, for valid data, which is what keeps a full export's validation in the
time of its load. pySHACL's targets are restricted to those nodes by `patches.RestrictedValidator`.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from erasmus_kg.namespaces import PREFIXES
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.validation.batch import Batch
from erasmus_kg.validation.context import own_triples, packaged_context
from erasmus_kg.validation.patches import RestrictedValidator
from erasmus_kg.validation.report import ValidationResult, Violation, sort_key, violation
from erasmus_kg.validation.screen import packaged_screen
from erasmus_kg.validation.shacl import (
    default_data_files,
    read_graph,
    shapes_graph,
    validate_files,
    validate_graph,
)

# ------------------------------------------------------------------------------------------------------------
# One batch (runs in a worker process)


@dataclass(frozen=True)
class BatchReport:
    """What a worker sends back: the violations of the batch's focus nodes and their report triples."""

    violations: list[Violation]
    report: str
    """N-Triples: every sh:result of these violations with what it points to (blank nodes of this batch)."""
    triples: int


def validate_batch(text: str, focus: Iterable[str], triples: int | None = None) -> BatchReport:
    """Validate one batch (N-Triples `text`) and keep the results of its `focus` nodes.
    `triples`: how many of the batch's triples are its own (not context), for the report's count.

    The screen first finds the focus nodes that may violate a shape; pySHACL validates only those (none, for
    valid data), so the results are pySHACL's."""
    if triples is None:
        triples = own_triples(text)
    suspects = packaged_screen().suspects(text, focus)
    if not suspects:
        return BatchReport([], "", triples)
    data = Graph()
    data.parse(data=packaged_context(), format="ox-ntriples")
    data.parse(data=text.encode("utf-8"), format="ox-ntriples")
    owned = {URIRef(node) for node in suspects}
    report = run_pyshacl(data, owned)
    kept = [
        node
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(top, SH.result)
        if report.value(node, SH.focusNode) in owned
    ]
    out = Graph()
    for node in kept:
        _copy_description(report, node, out)
    violations = [violation(report, data, node) for node in kept]
    return BatchReport(violations, out.serialize(format="nt"), triples)


def run_pyshacl(data: Graph, focus: Iterable[Node]) -> Graph:
    """pySHACL's report on `data` with the packaged shapes, for the targets among `focus`."""
    return _restricted_validator().report(data, focus)


@cache
def _restricted_validator() -> RestrictedValidator:
    """One per process: the packaged shapes are read and harvested by pySHACL once, kept across batches."""
    return RestrictedValidator(shapes_graph())


def _copy_description(source: Graph, node: Node, target: Graph) -> None:
    """Copy `node`'s triples and, recursively, those of the blank nodes it points to."""
    todo, seen = [node], set()
    while todo:
        subject = todo.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for p, o in source.predicate_objects(subject):
            target.add((subject, p, o))
            if isinstance(o, BNode):
                todo.append(o)


# ------------------------------------------------------------------------------------------------------------
# Many batches


class BatchValidator:
    """Validates batches in worker processes while the caller goes on producing them; `result()` merges the
    reports into one `ValidationResult`. At most `pending` batches wait at a time (bounded memory).
    """

    def __init__(self, workers: int | None = None, pending: int | None = None) -> None:
        # one worker per core beside the process that produces the batches (reading rows, or the store)
        self.workers = workers or max(1, (os.cpu_count() or 1) - 1)
        self._pending_limit = pending or 2 * self.workers
        self._pool: futures.ProcessPoolExecutor | None = None
        self._pending: list[futures.Future[BatchReport]] = []
        self._reports: list[BatchReport] = []
        self._first: Batch | None = None
        self.batches = 0

    def __enter__(self) -> BatchValidator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, batch: Batch) -> None:
        self.batches += 1
        if self._first is None and self._pool is None:
            self._first = batch  # a single batch is validated here: starting workers costs more
            return
        if self._pool is None:
            self._pool = futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
        for waiting in ([self._first] if self._first is not None else []) + [batch]:
            self._pending.append(
                self._pool.submit(validate_batch, waiting.text, waiting.focus, waiting.triples)
            )
        self._first = None
        while len(self._pending) > self._pending_limit:
            self._reports.append(self._pending.pop(0).result())

    def result(self) -> ValidationResult:
        """Wait for every batch and merge their reports (violations sorted as `validate_graph` sorts them)."""
        if self._first is not None:
            self._reports.append(validate_batch(self._first.text, self._first.focus, self._first.triples))
            self._first = None
        for future in self._pending:
            self._reports.append(future.result())
        self._pending = []
        return merge_reports(self._reports)

    def close(self) -> None:
        self._first = None
        for future in self._pending:
            future.cancel()
        self._pending = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _exit_with_parent(parent: int) -> None:
    """In a worker: end this process when `parent` (the import) is gone. A worker waiting for its next batch
    would otherwise wait forever once the import is killed: it holds the task queue's write end itself, so the
    queue never ends."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def merge_reports(reports: Iterable[BatchReport]) -> ValidationResult:
    """One ValidationResult from batch reports: one sh:ValidationReport holding every batch's results."""
    parts = []
    violations: list[Violation] = []
    triples = 0
    for report in reports:
        triples += report.triples
        violations.extend(report.violations)
        part = Graph()
        part.parse(data=report.report, format="nt")
        parts.append(part)
    return _result(parts, violations, triples)


def merge_results(*results: ValidationResult) -> ValidationResult:
    """One ValidationResult from several (their results under one sh:ValidationReport)."""
    return _result(
        [r.report_graph for r in results],
        [v for r in results for v in r.violations],
        sum(r.data_triples for r in results),
    )


def _result(parts: list[Graph], violations: list[Violation], triples: int) -> ValidationResult:
    graph = Graph()
    top = BNode()
    for part in parts:
        for result in set(part.subjects(RDF.type, SH.ValidationResult)):
            _copy_description(part, result, graph)
            graph.add((top, SH.result, result))
    unique = {(v.focus, v.path, v.value, v.message, v.component, v.source_shape): v for v in violations}
    ordered = sorted(unique.values(), key=sort_key)
    graph.add((top, RDF.type, SH.ValidationReport))
    graph.add((top, SH.conforms, Literal(not ordered)))
    return ValidationResult(not ordered, ordered, graph, triples)


# ------------------------------------------------------------------------------------------------------------
# Batches of a store's graphs


def subjects_query(graph: ox.NamedNode) -> str:
    """The SPARQL query for the subjects of `graph`, each once (tests/test_portable_sparql.py parses it)."""
    return f"SELECT DISTINCT ?s WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"


def store_batches(store: ox.Store, graphs: list[str], batch_nodes: int = 2_000) -> Iterator[Batch]:
    """Batches covering every subject of `graphs` (typically the imported graphs of the embedded store).

    A project travels with its participations (the participation shape looks back at its project). A node's
    triples are taken from every source graph of the store, so that a node described by two imports is
    validated as the union holds it; a node that several of `graphs` describe is validated once. The derived
    graphs are left out: the shapes are about the data, and what a build derives is checked against its
    definitions (tests/test_derived.py), not against the shapes (at 327,000 projects they hold 8 million
    triples about the imported nodes).
    """
    from erasmus_kg.derived.graphs import is_derived

    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    participation = ox.NamedNode(PREFIXES["ekg"] + "participation")
    graph_nodes = [ox.NamedNode(g) for g in graphs]
    lines: list[str] = []
    focus: list[str] = []
    objects: set[ox.NamedNode] = set()
    subjects: set[ox.NamedNode | ox.BlankNode] = set()

    def take(node: ox.NamedNode | ox.BlankNode) -> None:
        subjects.add(node)
        if isinstance(node, ox.NamedNode):
            focus.append(node.value)
        for quad in store.quads_for_pattern(node, None, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and is_derived(quad.graph_name.value):
                continue
            lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
            if isinstance(quad.object, ox.NamedNode):
                objects.add(quad.object)

    def flush() -> Batch:
        context: list[str] = []
        for node in sorted(objects - subjects, key=str):
            context.extend(
                f"{node} {rdf_type} {q.object} .\n"
                for q in store.quads_for_pattern(node, rdf_type, None, None)
            )
        batch = Batch("".join(lines) + "".join(context), tuple(focus), len(lines))
        lines.clear()
        focus.clear()
        objects.clear()
        subjects.clear()
        return batch

    for index, graph in enumerate(graph_nodes):
        earlier = graph_nodes[:index]
        rows = store.query(subjects_query(graph))
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            subject = row[0]
            if subject in subjects or any(_has_subject(store, subject, g) for g in earlier):
                continue  # in this batch already (a participation), or validated with an earlier graph
            if _is_participation(store, subject, participation):
                continue  # validated with its project
            take(subject)
            for part in store.quads_for_pattern(subject, participation, None, None):
                if isinstance(part.object, ox.NamedNode) and part.object not in subjects:
                    take(part.object)
            if len(focus) >= batch_nodes:
                yield flush()
    if lines:
        yield flush()


def _has_subject(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, graph: ox.NamedNode) -> bool:
    return next(iter(store.quads_for_pattern(subject, None, None, graph)), None) is not None


def _is_participation(
    store: ox.Store, node: ox.NamedNode | ox.BlankNode, participation: ox.NamedNode
) -> bool:
    """Whether a project points to `node` (which is then validated with that project)."""
    return next(iter(store.quads_for_pattern(None, participation, node, None)), None) is not None


# ------------------------------------------------------------------------------------------------------------
# The embedded store


def _loaded_data(root: Path | None) -> Graph | None:
    """The triples of the graphs `erasmus-kg load FILE` put into the store at `root`, as one rdflib graph;
    None when it holds none (or there is no store yet: nothing is built just to validate)."""
    store = DefaultStore(root)
    if store.current_build() is None:
        return None
    store.ensure()
    graphs = [g.iri for g in store.graphs() if g.metadata.get("kind") == "file"]
    if not graphs:
        return None
    data = Graph()
    with store.open_reader() as reader:
        for iri in graphs:
            dumped = reader.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
            data.parse(data=dumped, format="nt")
    return data


def _imported_graphs(store: DefaultStore) -> list[str]:
    return [g.iri for g in store.graphs() if g.metadata.get("kind") == "import"]


def validate_imports(
    root: Path | None, workers: int | None = None, batch_nodes: int = 2_000
) -> ValidationResult | None:
    """Validate the imported graphs of the store at `root` batch by batch (see `store_batches`); None when the
    store holds no import."""
    store = DefaultStore(root)
    if store.current_build() is None:
        return None  # no store yet: nothing imported (and nothing is built just to validate)
    store.ensure()
    graphs = _imported_graphs(store)
    if not graphs:
        return None
    with store.open_reader() as reader, BatchValidator(workers) as validator:
        for batch in store_batches(reader, graphs, batch_nodes):
            validator.submit(batch)
        return validator.result()


def validate_packaged_and_imports(root: Path | None, workers: int | None = None) -> ValidationResult:
    """`erasmus-kg validate` without files: the packaged data with every loaded file's graph (whole, as
    `validate_files` validates the files when `load` takes them) and every imported graph of the store (in
    batches), in one result."""
    loaded = _loaded_data(root)
    packaged = (
        validate_files([]) if loaded is None else validate_graph(read_graph(default_data_files(), loaded))
    )
    imports = validate_imports(root, workers)
    return packaged if imports is None else merge_results(packaged, imports)
