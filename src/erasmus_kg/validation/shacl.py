"""Validate data against the SHACL shapes, with pySHACL, and report the result for people or machines.

The data graph is the data together with the ontology and the country and language vocabularies, so that
`sh:class` follows `rdfs:subClassOf` and countries are checked against the country table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from erasmus_kg import resources
from erasmus_kg.errors import InputFileError
from erasmus_kg.namespaces import PREFIXES, bind_all
from erasmus_kg.rdf_files import QUAD_FORMATS, check_readable, rdf_format, syntax_error

SH = Namespace("http://www.w3.org/ns/shacl#")

_RDFLIB_FORMATS = {
    "turtle": "ox-turtle",
    "ntriples": "ox-ntriples",
    "nquads": "ox-nquads",
    "trig": "ox-trig",
    "jsonld": "ox-json-ld",
    "rdfxml": "ox-xml",
}


@dataclass(frozen=True)
class Violation:
    focus: Node
    focus_label: str
    path: str
    value: str
    message: str
    severity: str
    component: str
    source_shape: Node | None

    def line(self) -> str:
        value = f" = {self.value}" if self.value else ""
        return f"{self.focus_label}: {self.path}{value}: {self.message} [{self.component}]"


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation]
    report_graph: Graph
    data_triples: int

    def text(self) -> str:
        if self.conforms:
            return f"The data conforms to the shapes ({self.data_triples} triples checked)."
        lines = [f"{len(self.violations)} violation(s) of the shapes ({self.data_triples} triples checked):"]
        lines += [f"- {v.line()}" for v in self.violations]
        return "\n".join(lines)

    def turtle(self) -> str:
        return bind_all(self.report_graph).serialize(format="turtle")

    def json(self) -> str:
        context = dict(PREFIXES)
        text = bind_all(self.report_graph).serialize(format="json-ld", context=context, sort_keys=True)
        return json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False)


def read_graph(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse RDF files into one rdflib graph (named graphs merged). Errors name the file and the line."""
    graph = graph if graph is not None else Graph()
    for path in paths:
        check_readable(path)
        fmt = rdf_format(path)
        try:
            if fmt in QUAD_FORMATS:
                from rdflib import Dataset

                dataset = Dataset()
                dataset.parse(str(path), format=_RDFLIB_FORMATS[fmt])
                for s, p, o, _g in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                graph.parse(str(path), format=_RDFLIB_FORMATS[fmt])
        except InputFileError:
            raise
        except Exception as exc:  # rdflib and pyoxigraph raise many kinds; each becomes one line
            raise syntax_error(path, exc) from None
    return graph


def default_data_files() -> list[Path]:
    """The ontology and the packaged data (vocabularies, countries, languages, the brochure's facts)."""
    return [resources.ontology_file(), *resources.data_files()]


def shapes_graph() -> Graph:
    return read_graph([resources.shapes_file()])


def validate_files(files: Sequence[Path] | None = None) -> ValidationResult:
    """Validate the packaged data, together with the given files when there are any.

    A file is validated in the context of the ontology, the vocabularies and the packaged data, so that it
    may refer to their terms (a country, an action type, a brochure organisation).
    """
    files = list(files or [])
    for path in files:  # report an unreadable argument before any parsing work
        check_readable(path)
    packaged = default_data_files()
    given = {path.resolve() for path in files}
    data = read_graph([*files, *(f for f in packaged if f.resolve() not in given)])
    return validate_graph(data)


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    from pyshacl import validate

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _text = validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, meta_shacl=False
    )
    assert isinstance(report, Graph)
    violations = sorted(
        (
            _violation(report, data, result)
            for top in report.subjects(RDF.type, SH.ValidationReport)
            for result in report.objects(top, SH.result)
        ),
        key=lambda v: (v.focus_label, v.path, v.value, v.message),
    )
    return ValidationResult(bool(conforms), violations, report, len(data))


def _violation(report: Graph, data: Graph, result: Node) -> Violation:
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    severity = report.value(result, SH.resultSeverity)
    component = report.value(result, SH.sourceConstraintComponent)
    return Violation(
        focus=focus,
        focus_label=describe(data, focus),
        path=_path_text(report, path),
        value=_term_text(data, value) if value is not None else "",
        message=str(message) if message is not None else "",
        severity=_compact(severity) if severity is not None else "",
        component=_compact(component) if component is not None else "",
        source_shape=report.value(result, SH.sourceShape),
    )


def describe(graph: Graph, node: Node | None) -> str:
    """A label for a node as a person would want it: its name or title, then its compact IRI."""
    if node is None:
        return "?"
    if isinstance(node, Literal):
        return _term_text(graph, node)
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        labels = list(graph.objects(node, predicate))
        if labels:
            label = _best_label(labels)
            return f"{label} ({_compact(node)})" if isinstance(node, URIRef) else label
    return _compact(node) if isinstance(node, URIRef) else f"[blank node {node}]"


def _best_label(labels: list[Node]) -> str:
    by_lang = {getattr(label, "language", None): str(label) for label in labels}
    for lang in ("en", "nl", None):
        if lang in by_lang:
            return by_lang[lang]
    return sorted(by_lang.values())[0]


def _path_text(report: Graph, path: Node | None) -> str:
    if path is None:
        return "(node)"
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_compact(inverse)}"
    return _compact(path)


def _term_text(graph: Graph, term: Node) -> str:
    if isinstance(term, Literal):
        text = json.dumps(str(term), ensure_ascii=False)
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^{_compact(term.datatype)}"
        return text
    if isinstance(term, URIRef):
        return _compact(term)
    return str(term)


def _compact(term: Node) -> str:
    iri = str(term)
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = prefix
    if best is None:
        return f"<{iri}>"
    return f"{best}:{iri[len(PREFIXES[best]) :]}"
