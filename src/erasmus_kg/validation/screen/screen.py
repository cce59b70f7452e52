"""The screen: the shapes compiled to fast checks, run over a batch to find which of its focus nodes may
violate a shape (`Screen.suspects`). pySHACL then validates only those, so the report is pySHACL's own, while
valid data (nearly all of a real import) never reaches it.

The screen evaluates the SHACL Core constraints the shapes graph uses on the same data graph pySHACL would see
(the batch and the packaged context, see `validation.context`). It must never miss a node that pySHACL would
report, and may flag a node that pySHACL then finds valid: every check answers True, False or None
(`three_valued`), and anything the screen does not know answers None (see `compiler`).

tests/test_screening.py shows on every invalid fixture, on broken imports and on generated graphs that each
focus node pySHACL reports is flagged, and that valid data flags nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import Graph

from erasmus_kg.validation.context import packaged_context
from erasmus_kg.validation.screen.compiler import compile_shapes
from erasmus_kg.validation.screen.data_graph import TYPE, DataGraph
from erasmus_kg.validation.screen.shapes import Shape
from erasmus_kg.validation.shacl import shapes_graph


class Screen:
    """The shapes compiled for screening. `suspects(text, focus)` gives the focus nodes of a batch that may
    violate a shape."""

    def __init__(self, shapes: list[Shape], context: DataGraph) -> None:
        """`context`: the graph every batch starts from (it also says which predicates to index backwards)."""
        self.shapes = [s for s in shapes if s.has_targets and not s.deactivated]
        self._context = context
        self._by_class: dict[str, list[Shape]] = {}
        for shape in self.shapes:
            for cls in shape.target_classes:
                self._by_class.setdefault(cls, []).append(shape)
        self._other_targets = [
            s for s in self.shapes if s.target_nodes or s.target_subjects_of or s.target_objects_of
        ]

    @classmethod
    def from_graphs(cls, shapes_graph: Graph, context_text: str) -> Screen:
        """The screen of the shapes in `shapes_graph`, every batch starting from N-Triples `context_text`."""
        shapes, inverse = compile_shapes(shapes_graph)
        context = DataGraph(inverse)
        context.parse(context_text)
        return cls(shapes, context)

    def graph(self, text: str) -> tuple[DataGraph, set[str]]:
        """The data graph of a batch (the context and `text`) and the subjects `text` describes."""
        graph = self._context.copy()
        return graph, graph.parse(text)

    def suspects(self, text: str, focus: Iterable[str] | None = None) -> set[str]:
        """The nodes among `focus` (IRIs without brackets; default: every subject of `text`) that some shape
        targets and that the screen cannot show to conform."""
        graph, described = self.graph(text)
        nodes = described if focus is None else {f"<{node}>" for node in focus}
        found = set()
        for node in nodes:
            for shape in self.targeting(node, graph):
                if shape.conforms(node, graph) is not True:
                    found.add(node)
                    break
        return {node[1:-1] if node[0] == "<" else node for node in found}

    def targeting(self, node: str, graph: DataGraph) -> list[Shape]:
        """The top-level shapes whose targets include `node`, each once."""
        shapes: list[Shape] = []
        classes: set[str] = set()
        for cls in graph.objects(node, TYPE):
            classes |= graph.superclasses(cls)
        for cls in classes:
            for shape in self._by_class.get(cls, ()):
                if shape not in shapes:
                    shapes.append(shape)
        for shape in self._other_targets:
            if shape in shapes:
                continue
            if (
                node in shape.target_nodes
                or any(next(iter(graph.objects(node, p)), None) is not None for p in shape.target_subjects_of)
                or any(next(iter(graph.subjects(p, node)), None) is not None for p in shape.target_objects_of)
            ):
                shapes.append(shape)
        return shapes


@cache
def packaged_screen() -> Screen:
    """The screen of the packaged shapes, with the packaged context (built once per process)."""
    return Screen.from_graphs(shapes_graph(), packaged_context())
