"""The result of a validation and how a violation is described for people.

`Violation` is one sh:result of a pySHACL report, read into labels a person can follow (a project's title
rather than its IRI, compact IRIs, quoted literals); `ValidationResult` holds them with the report graph, as
text, Turtle or JSON-LD. Whole-graph runs (`shacl`) and batched runs (`batches`) both report through here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node

from erasmus_kg.namespaces import PREFIXES, bind_all, compact


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


def sort_key(v: Violation) -> tuple[str, str, str, str]:
    """The order violations are reported in (by focus label, then path, value and message)."""
    return (v.focus_label, v.path, v.value, v.message)


def violation(report: Graph, data: Graph, result: Node) -> Violation:
    """The sh:result `result` of `report`, described with the labels of `data`."""
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    severity = report.value(result, SH.resultSeverity)
    component = report.value(result, SH.sourceConstraintComponent)
    if focus is None:  # SHACL gives every result exactly one sh:focusNode
        raise ValueError(f"a validation result without sh:focusNode: {result}")
    return Violation(
        focus=focus,
        focus_label=describe(data, focus),
        path=_path_text(report, path),
        value=_term_text(value) if value is not None else "",
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
        return _term_text(node)
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


def _term_text(term: Node) -> str:
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
    """A prefixed name (`namespaces.compact`), or the IRI in angle brackets when none fits."""
    iri = str(term)
    return compact(iri) or f"<{iri}>"
