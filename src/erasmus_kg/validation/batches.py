"""Validation of large graphs (an import of 15 million triples) with the same shapes and the same report as
`validation.validate_graph`, batch by batch, in worker processes.

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
- the rdf:type, rdfs:subClassOf and skos:inScheme triples of the packaged ontology and data (the context).

Only results whose focus node belongs to the batch are kept (the context's own nodes, validated in every
batch, belong to none), so every result of the whole graph is reported once. tests/test_batch_validation.py
shows on invalid imports that the batched report equals pySHACL's report on the whole graph.

Within a batch, pySHACL sees only the focus nodes that the screen (`screening`, the shapes compiled to fast
checks) cannot show to conform: none, for valid data, which is what keeps a full export's validation in the
time of its load.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.importing.sink import Batch
from erasmus_kg.namespaces import PREFIXES

CONTEXT_PREDICATES = frozenset(
    {PREFIXES["rdf"] + "type", PREFIXES["rdfs"] + "subClassOf", PREFIXES["skos"] + "inScheme"}
)
"""What the shapes look at on nodes outside a focus node's own triples (see the module docstring)."""


@cache
def packaged_context() -> str:
    """N-Triples: the rdf:type, rdfs:subClassOf and skos:inScheme triples of the packaged ontology and
    data."""
    paths = [resources.ontology_file(), *resources.data_files()]
    lines = []
    for path in paths:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate.value in CONTEXT_PREDICATES:
                lines.append(f"{triple.subject} {triple.predicate} {triple.object} .\n")
    return "".join(sorted(set(lines)))


# ------------------------------------------------------------------------------------------------------------
# One batch (runs in a worker process)


@dataclass(frozen=True)
class BatchReport:
    """What a worker sends back: the violations of the batch's focus nodes and their report triples."""

    violations: list  # list[validation.Violation]
    report: str
    """N-Triples: every sh:result of these violations with what it points to (blank nodes of this batch)."""
    triples: int


def validate_batch(text: str, focus: Iterable[str], triples: int | None = None) -> BatchReport:
    """Validate one batch (N-Triples `text`) and keep the results of its `focus` nodes.
    `triples`: how many of the batch's triples are its own (not context), for the report's count.

    The screen (`screening`) first finds the focus nodes that may violate a shape; pySHACL validates only
    those (none, for valid data), so the results are pySHACL's."""
    from rdflib import RDF, Graph, URIRef
    from rdflib.namespace import SH

    from erasmus_kg.validation.screen import packaged_screen
    from erasmus_kg.validation.shacl import _violation

    if triples is None:
        triples = _own_triples(text)
    suspects = packaged_screen().suspects(text, focus)
    if not suspects:
        return BatchReport([], "", triples)
    data = Graph()
    data.parse(data=packaged_context(), format="ox-ntriples")
    data.parse(data=text.encode("utf-8"), format="ox-ntriples")
    owned = {URIRef(node) for node in suspects}
    report = _run_pyshacl(data, owned)
    kept = [
        node
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(top, SH.result)
        if report.value(node, SH.focusNode) in owned
    ]
    out = Graph()
    for node in kept:
        _copy_description(report, node, out)
    violations = [_violation(report, data, node) for node in kept]
    return BatchReport(violations, out.serialize(format="nt"), triples)


def _own_triples(text: str) -> int:
    """How many distinct triples of `text` are not in the packaged context."""
    context = _context_lines()
    return sum(1 for line in set(text.split("\n")) if line and line[0] != "#" and line not in context)


@cache
def _context_lines() -> frozenset[str]:
    return frozenset(packaged_context().split("\n"))


_STATE: dict = {}
"""Per process: the shapes graph (rdflib) and pySHACL's ShapesGraph made from it, kept across batches."""

_ACTIVE_FOCUS: list[frozenset | None] = [None]
"""The focus nodes of the batch being validated in this process (None: no restriction)."""

_NESTED: list[dict | None] = [None]
"""(node shape, value node) -> pySHACL's (conforms, results), for the batch being validated."""


def _run_pyshacl(data, focus):  # type: ignore[no-untyped-def]
    """pySHACL's `validate` with the options of `validation.validate_graph`, its shapes' targets restricted to
    the batch's `focus` nodes.

    pySHACL's own `focus_nodes` option cannot be used: it also filters the value nodes of nested shapes
    (sh:node, sh:or, qualified value shapes), so that a country outside the table passes ekgsh:CountryShape.
    Here only the targets of each top-level shape are restricted (`Shape.focus_nodes`, the method that finds
    them), while this process validates a batch; everything else is pySHACL's evaluation, unchanged.
    """
    from pyshacl import Validator
    from pyshacl.graph_abstraction import DataGraph

    if not _STATE:
        _prepare_process()
    options = {"inference": "none", "advanced": False, "allow_warnings": True, "inplace": True}
    validator = Validator(DataGraph.from_rdflib(data), shacl_graph=_STATE["shapes"], options=options)
    if "harvested" in _STATE:
        validator.shacl_graph = _STATE["harvested"]
    else:
        _STATE["harvested"] = validator.shacl_graph
    _ACTIVE_FOCUS[0] = frozenset(focus)
    _NESTED[0] = {}
    try:
        _conforms, report, _text = validator.run()
    finally:
        _ACTIVE_FOCUS[0] = None
        _NESTED[0] = None
    return report


def _prepare_process() -> None:
    from pyshacl import shape as pyshacl_shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.monkey import apply_patches
    from pyshacl.validator import assign_baked_in
    from rdflib.term import IdentifiedNode, Literal

    from erasmus_kg.validation.shacl import shapes_graph

    apply_patches()
    assign_baked_in()
    _STATE["shapes"] = shapes_graph()
    # pySHACL looks up, for every shape it evaluates (once per value node for nested shapes), which of the
    # shape's predicates are constraint parameters, by membership in a list that it caches in this module
    # attribute; a frozenset gives the same answers a quarter faster.
    pyshacl_shape.CONSTRAINT_PARAMS = (frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    shape_class = pyshacl_shape.Shape
    if not getattr(shape_class, "_erasmus_kg_focus", False):
        find_targets = shape_class.focus_nodes

        def focus_nodes(self, data_graph, debug=False):  # type: ignore[no-untyped-def]
            found = find_targets(self, data_graph, debug=debug)
            active = _ACTIVE_FOCUS[0]
            return found if active is None else {node for node in found if node in active}

        # A node shape evaluated on one value node (sh:node, sh:or, sh:qualifiedValueShape: a country against
        # ekgsh:CountryShape, a source against [ sh:class ekg:SourceDocument ]) gives the same answer every
        # time within one batch (the data graph does not change; no rules run): it is evaluated once per
        # batch. The results it returns are only read by the constraint that asked.
        validate_shape = shape_class.validate

        def validate(self, executor, target_graph, focus=None, _evaluation_path=None):  # type: ignore[no-untyped-def]
            nested = _NESTED[0]
            if nested is None or self.is_property_shape or not isinstance(focus, IdentifiedNode | Literal):
                return validate_shape(self, executor, target_graph, focus, _evaluation_path)
            key = (self.node, focus)
            found = nested.get(key)
            if found is None:
                found = nested[key] = validate_shape(self, executor, target_graph, focus, _evaluation_path)
            return found

        shape_class.focus_nodes = focus_nodes
        shape_class.validate = validate
        shape_class._erasmus_kg_focus = True


def _copy_description(source, node, target) -> None:  # type: ignore[no-untyped-def]
    """Copy `node`'s triples and, recursively, those of the blank nodes it points to."""
    from rdflib import BNode

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
    reports into one `validation.ValidationResult`. At most `pending` batches wait at a time (bounded memory).
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

    def result(self):  # type: ignore[no-untyped-def]
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


def merge_reports(reports: Iterable[BatchReport]):  # type: ignore[no-untyped-def]
    """One ValidationResult from batch reports: one sh:ValidationReport holding every batch's results."""
    from rdflib import Graph

    parts = []
    violations = []
    triples = 0
    for report in reports:
        triples += report.triples
        violations.extend(report.violations)
        part = Graph()
        part.parse(data=report.report, format="nt")
        parts.append(part)
    return _result(parts, violations, triples)


def merge_results(*results):  # type: ignore[no-untyped-def]
    """One ValidationResult from several (their results under one sh:ValidationReport)."""
    return _result(
        [r.report_graph for r in results],
        [v for r in results for v in r.violations],
        sum(r.data_triples for r in results),
    )


def _result(parts, violations, triples):  # type: ignore[no-untyped-def]
    from rdflib import RDF, BNode, Graph, Literal
    from rdflib.namespace import SH

    from erasmus_kg.validation.shacl import ValidationResult

    graph = Graph()
    top = BNode()
    for part in parts:
        for result in set(part.subjects(RDF.type, SH.ValidationResult)):
            _copy_description(part, result, graph)
            graph.add((top, SH.result, result))
    unique = {(v.focus, v.path, v.value, v.message, v.component, v.source_shape): v for v in violations}
    ordered = sorted(unique.values(), key=lambda v: (v.focus_label, v.path, v.value, v.message))
    graph.add((top, RDF.type, SH.ValidationReport))
    graph.add((top, SH.conforms, Literal(not ordered)))
    return ValidationResult(not ordered, ordered, graph, triples)


# ------------------------------------------------------------------------------------------------------------
# Batches of a store's graphs


def store_batches(store: ox.Store, graphs: list[str], batch_nodes: int = 2_000) -> Iterator[Batch]:
    """Batches covering every subject of `graphs` (typically the imported graphs of the embedded store).

    A project travels with its participations (the participation shape looks back at its project). A node's
    triples are taken from every graph of the store, so that a node described by two imports is validated as
    the union holds it; a node that several of `graphs` describe is validated once.
    """
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
            lines.append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
            if isinstance(quad.object, ox.NamedNode):
                objects.add(quad.object)

    def flush() -> Batch:
        context = []
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
        for row in store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"):
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


def imported_graphs(root) -> list[str]:  # type: ignore[no-untyped-def]
    """The graphs of the store at `root` that `erasmus-kg import` put there ([] when there is no store)."""
    from erasmus_kg.store.builds import EmbeddedStore

    store = EmbeddedStore(root)
    if store.current_build() is None:
        return []
    return [g.iri for g in store.graphs() if g.metadata.get("kind") == "import"]


def validate_imports(root, workers: int | None = None, batch_nodes: int = 2_000):  # type: ignore[no-untyped-def]
    """Validate the imported graphs of the store at `root` batch by batch (see `store_batches`); None when the
    store holds no import."""
    from erasmus_kg.store.default import DefaultStore

    store = DefaultStore(root)
    if store.current_build() is None:
        return None  # no store yet: nothing imported (and nothing is built just to validate)
    store.ensure()
    graphs = [g.iri for g in store.graphs() if g.metadata.get("kind") == "import"]
    if not graphs:
        return None
    with store.open_reader() as reader, BatchValidator(workers) as validator:
        for batch in store_batches(reader, graphs, batch_nodes):
            validator.submit(batch)
        return validator.result()


def validate_packaged_and_imports(root, workers: int | None = None):  # type: ignore[no-untyped-def]
    """`erasmus-kg validate` without files: the packaged data (whole, as `validate_files`) and every imported
    graph of the store (in batches), in one result."""
    from erasmus_kg.validation.shacl import validate_files

    packaged = validate_files([])
    imports = validate_imports(root, workers)
    return packaged if imports is None else merge_results(packaged, imports)
