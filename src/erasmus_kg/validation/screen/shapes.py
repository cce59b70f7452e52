"""A shape compiled for the screen, and how it is evaluated on a focus node: its value nodes, then every
check (three-valued), then its property shapes. `compiler` makes them from the shapes graph."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from erasmus_kg.validation.screen.data_graph import DataGraph
from erasmus_kg.validation.screen.three_valued import Tri

Check = Callable[[str, list[str], DataGraph], Tri]
"""One constraint of a shape: (focus node, value nodes, graph) -> Tri."""

ValueTest = Callable[[str, DataGraph], Tri]
"""A constraint on one value node: (value node, graph) -> Tri."""


@dataclass(eq=False)  # shapes compare by identity
class Shape:
    """A node shape or a property shape. `path` is (predicate, inverse) for a property shape."""

    index: int
    name: str
    path: tuple[str, bool] | None = None
    checks: list[Check] = field(default_factory=list)
    checks_without_values: list[Check] = field(default_factory=list)
    """The checks that may fail when the path has no value (sh:minCount, sh:hasValue, ...)."""
    properties: list[Shape] = field(default_factory=list)
    target_classes: list[str] = field(default_factory=list)
    target_nodes: list[str] = field(default_factory=list)
    target_subjects_of: list[str] = field(default_factory=list)
    target_objects_of: list[str] = field(default_factory=list)
    deactivated: bool = False

    @property
    def has_targets(self) -> bool:
        targets = (self.target_classes, self.target_nodes, self.target_subjects_of, self.target_objects_of)
        return any(targets)

    def values(self, focus: str, graph: DataGraph) -> list[str]:
        if self.path is None:
            return [focus]
        predicate, inverse = self.path
        found = graph.subjects(predicate, focus) if inverse else graph.objects(focus, predicate)
        return list(found) if found else []

    def conforms(self, focus: str, graph: DataGraph) -> Tri:
        if self.deactivated:
            return True
        values = self.values(focus, graph)
        result: Tri = True
        for check in self.checks if values else self.checks_without_values:
            answer = check(focus, values, graph)
            if answer is False:
                return False
            if answer is None:
                result = None
        for prop in self.properties:
            answer = prop.conforms(focus, graph)
            if answer is False:
                return False
            if answer is None:
                result = None
        return result

    def conforms_memo(self, node: str, graph: DataGraph) -> Tri:
        """`conforms` for a value node checked against a nested shape (the same country again and again)."""
        key = (self.index, node)
        memo = graph.memo
        if key in memo:
            return memo[key]
        answer = memo[key] = self.conforms(node, graph)
        return answer
