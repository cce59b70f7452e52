"""Every patch of a library's internals, and every use of a private name of rdflib or pySHACL, in one place.

Written for, and read against the sources of, rdflib 7.3.0 to 7.6.0 and pySHACL 0.40.0 and 0.40.1 (the
ranges pinned in pyproject.toml). Importing this module checks the installed versions and raises
`UnsupportedLibraryError` outside those ranges: a patch of another version's internals could fail silently
(a batch validated without its targets restricted) or report something else than pySHACL would.

pySHACL (applied once per process, by `RestrictedValidator`, while batches are validated):

1. `pyshacl.shape.Shape.focus_nodes`, wrapped: while a batch is validated, each top-level shape's targets
   are restricted to the batch's focus nodes. pySHACL's own `focus_nodes` option cannot be used: it also
   filters the value nodes of nested shapes (sh:node, sh:or, qualified value shapes), so that a country
   outside the table passes ekgsh:CountryShape.
2. `pyshacl.shape.Shape.validate`, wrapped: a node shape evaluated on one value node (a country against
   ekgsh:CountryShape, a source against [ sh:class ekg:SourceDocument ]) gives the same answer every time
   within one batch (the data graph does not change; no rules run), so it is evaluated once per batch. The
   results it returns are only read by the constraint that asked.
3. `pyshacl.shape.CONSTRAINT_PARAMS`, replaced: pySHACL looks up, for every shape it evaluates (once per value
   node for nested shapes), which of the shape's predicates are constraint parameters, by membership in a
   list that it caches in this module attribute; a frozenset gives the same answers a quarter faster.
4. `Validator.shacl_graph`, replaced on every validator but the first: the `ShapesGraph` that the first run
   harvested (its shapes parsed) is reused, instead of parsing the shapes again for every batch.
5. `pyshacl.monkey.apply_patches` and `pyshacl.validator.assign_baked_in`, called: what `pyshacl.validate`
   does before it makes a `Validator`, which is made here directly.

rdflib (read only, never changed):

6. `rdflib.term._toPythonMapping` and `rdflib.term._check_well_formed_types`: which datatypes rdflib converts
   or checks, so that the screen (`screen.literals`) knows which lexical forms rdflib takes as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import TYPE_CHECKING, Any

from erasmus_kg.errors import UnsupportedLibraryError

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph
    from rdflib.term import Node

SUPPORTED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "rdflib": ((7, 3), (7, 7)),
    "pyshacl": ((0, 40), (0, 41)),
}
"""Distribution -> (lowest supported release, first release not supported)."""


def installed_version(distribution: str) -> str:
    return metadata.version(distribution)


def release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: "7.6.0" -> (7, 6, 0), "0.41.0rc1" -> (0, 41, 0)."""
    numbers = []
    for piece in version.split("."):
        digits = re.match(r"[0-9]+", piece)
        if digits is None:
            break
        numbers.append(int(digits.group()))
        if digits.end() != len(piece):
            break
    return tuple(numbers)


def check_versions() -> None:
    """Raise `UnsupportedLibraryError` unless rdflib and pySHACL are in the versions these patches were
    written for."""
    for distribution, (lowest, beyond) in SUPPORTED.items():
        version = installed_version(distribution)
        if not lowest <= release(version) < beyond:
            wanted = f">={'.'.join(map(str, lowest))},<{'.'.join(map(str, beyond))}"
            raise UnsupportedLibraryError(
                f"{distribution} {version} is installed; erasmus-kg's validation patches its internals and "
                f"supports {distribution}{wanted} (install a version in that range)"
            )


check_versions()


# ------------------------------------------------------------------------------------------------------------
# pySHACL, restricted to a batch's focus nodes (patches 1 to 5)

_ACTIVE_FOCUS: list[frozenset[Node] | None] = [None]
"""The focus nodes of the batch being validated in this process (None: no restriction)."""

_NESTED: list[dict[tuple[Node, Node], Any] | None] = [None]
"""(node shape, value node) -> pySHACL's (conforms, results), for the batch being validated."""

_patched = False
"""Whether this process has applied patches 1, 2, 3 and 5."""


def _patch_pyshacl() -> None:
    """Patches 1, 2, 3 and 5, once per process. Without a batch being validated, patches 1 and 2 pass every
    call through unchanged."""
    from pyshacl import shape as pyshacl_shape
    from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    from pyshacl.monkey import apply_patches
    from pyshacl.validator import assign_baked_in
    from rdflib.term import IdentifiedNode, Literal

    global _patched
    if _patched:
        return
    shape_class = pyshacl_shape.Shape
    # pySHACL's functions carry no annotations: typed here by what they take and give
    prepare: list[Callable[[], object]] = [apply_patches, assign_baked_in]
    for step in prepare:
        step()
    # pySHACL creates this attribute on first use (getattr with a default): not declared in its module
    pyshacl_shape.CONSTRAINT_PARAMS = frozenset(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP  # type: ignore[attr-defined]
    find_targets: Callable[..., set[Node]] = shape_class.focus_nodes
    validate_shape: Callable[..., Any] = shape_class.validate

    def focus_nodes(self: Any, data_graph: Any, debug: bool = False) -> set[Node]:
        found = find_targets(self, data_graph, debug=debug)
        active = _ACTIVE_FOCUS[0]
        return found if active is None else {node for node in found if node in active}

    def validate(
        self: Any, executor: Any, target_graph: Any, focus: Any = None, _evaluation_path: Any = None
    ) -> Any:
        nested = _NESTED[0]
        if nested is None or self.is_property_shape or not isinstance(focus, IdentifiedNode | Literal):
            return validate_shape(self, executor, target_graph, focus, _evaluation_path)
        key = (self.node, focus)
        found = nested.get(key)
        if found is None:
            found = nested[key] = validate_shape(self, executor, target_graph, focus, _evaluation_path)
        return found

    # replacing methods of pySHACL's class is the point of patches 1 and 2
    shape_class.focus_nodes = focus_nodes  # type: ignore[method-assign]
    shape_class.validate = validate  # type: ignore[method-assign]
    _patched = True


class RestrictedValidator:
    """pySHACL's validation with the options of `shacl.validate_graph` (SHACL Core, no inference), the
    targets of its top-level shapes restricted to given focus nodes; everything else is pySHACL's evaluation,
    unchanged. One per process: it keeps the shapes pySHACL harvested across runs."""

    def __init__(self, shapes: Graph) -> None:
        _patch_pyshacl()
        self._shapes = shapes
        self._harvested: Any = None
        """pySHACL's ShapesGraph of `shapes`, from the first run (patch 4)."""

    def report(self, data: Graph, focus: Iterable[Node]) -> Graph:
        """pySHACL's report graph on `data`, for the targets among `focus`."""
        from pyshacl import Validator
        from pyshacl.graph_abstraction import DataGraph
        from rdflib import Graph

        options = {"inference": "none", "advanced": False, "allow_warnings": True, "inplace": True}
        validator = Validator(DataGraph.from_rdflib(data), shacl_graph=self._shapes, options=options)
        if self._harvested is None:
            self._harvested = validator.shacl_graph
        else:
            validator.shacl_graph = self._harvested
        run: Callable[[], tuple[bool, Graph, str]] = validator.run
        _ACTIVE_FOCUS[0] = frozenset(focus)
        _NESTED[0] = {}
        try:
            _conforms, report, _text = run()
        finally:
            _ACTIVE_FOCUS[0] = None
            _NESTED[0] = None
        assert isinstance(report, Graph)
        return report


# ------------------------------------------------------------------------------------------------------------
# rdflib's literal tables (6)


def rdflib_literal_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(datatypes rdflib converts or checks, datatypes whose every lexical form rdflib takes as is)."""
    from rdflib.term import _check_well_formed_types, _toPythonMapping

    checked = frozenset(str(k) for k in _toPythonMapping if k is not None)
    as_is = frozenset(
        str(k)
        for k, convert in _toPythonMapping.items()
        if k is not None and convert is None and k not in _check_well_formed_types
    )
    return checked, as_is
