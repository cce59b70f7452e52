"""The SHACL shapes, tested with example files: one test per file in tests/fixtures/{valid,invalid}.

A valid fixture must conform. An invalid fixture must not, and its header says which violation(s) it causes,
in machine-readable comment lines, one group per expected violation (a new group starts at `expect-focus`):

    # expect-focus: https://example.org/project
    # expect-path: dcterms:title
    # expect-shape: ekgsh:ProjectShape-title
    # expect-component: sh:UniqueLangConstraintComponent

`expect-path` is a property (`dcterms:title`), an inverse path (`^ekg:participation`) or `(node)` for a
constraint of the node shape itself. `expect-shape` is the `sh:sourceShape`: a named property shape, or, for
a blank property shape, the node shape that holds it. An optional `expect-message` (the exact
`sh:resultMessage`) tells apart two blank property shapes with the same path and component. Compact IRIs use
the project prefixes (`erasmus_kg.namespaces`) plus `ekgsh:` and `ex:` (https://example.org/). The report must
hold exactly the expected violations, no more: the packaged data, validated with every fixture, must stay
conforming.

A fixture is validated with the ontology and all packaged data, as `validate_files([fixture])` does; to keep
the suite fast the packaged graph is parsed once and each fixture's triples are added to it and taken out
again (`_validate_fixture`, checked against `validate_files` by `test_fixture_helper_matches_validate_files`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from erasmus_kg import resources
from erasmus_kg.namespaces import BASE, EKG, PREFIXES
from erasmus_kg.validation.report import ValidationResult, Violation
from erasmus_kg.validation.shacl import (
    default_data_files,
    read_graph,
    shapes_graph,
    validate_files,
    validate_graph,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))

SH = Namespace(PREFIXES["sh"])
OWL = Namespace(PREFIXES["owl"])
EKGSH = BASE + "shapes#"
HEADER_PREFIXES = {**PREFIXES, "ekgsh": EKGSH, "ex": "https://example.org/"}
_EXPECT = re.compile(r"^#\s*expect-(focus|path|shape|component|message):\s*(.+?)\s*$")
_FILE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\.ttl$")

NODE_PATH = "(node)"
"""`expect-path` of a constraint on the node shape itself (the report has no sh:resultPath)."""


# ------------------------------------------------------------------------------------------------------------
# Helpers


@dataclass(frozen=True, order=True)
class Expected:
    """One violation: the focus node, the path, the source shape and the constraint component (full IRIs)."""

    focus: str
    path: str
    shape: str
    component: str
    message: str | None = None

    def __str__(self) -> str:
        text = f"focus <{self.focus}>, path {self.path}, shape <{self.shape}>, component <{self.component}>"
        return text + (f", message {self.message!r}" if self.message is not None else "")


def expand(text: str) -> str:
    """A compact IRI (`dcterms:title`), an IRI in angle brackets or a full IRI, as a full IRI string."""
    if text.startswith("^"):
        return "^" + expand(text[1:])
    if text == NODE_PATH:
        return text
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    prefix, sep, local = text.partition(":")
    if not sep or prefix not in HEADER_PREFIXES:
        raise ValueError(f"unknown prefix in {text!r}; use a full IRI or one of {sorted(HEADER_PREFIXES)}")
    return HEADER_PREFIXES[prefix] + local


def read_expectations(path: Path) -> list[Expected]:
    """The `# expect-...` groups of a fixture's header, in order."""
    groups: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "focus":
            groups.append({})
        if not groups:
            raise ValueError(f"{path.name}: expect-{key} before the first expect-focus")
        if key in groups[-1]:
            raise ValueError(f"{path.name}: two expect-{key} lines in one group")
        groups[-1][key] = value if key == "message" else expand(value)
    for group in groups:
        missing = {"focus", "path", "shape", "component"} - group.keys()
        if missing:
            raise ValueError(f"{path.name}: an expectation lacks expect-{', expect-'.join(sorted(missing))}")
    return [Expected(**group) for group in groups]


@cache
def _packaged() -> Graph:
    """The ontology and all packaged data, parsed once. Tests add a fixture to it and take it out again."""
    return read_graph(default_data_files())


@cache
def _shapes() -> Graph:
    return shapes_graph()


@contextmanager
def _with_fixture(path: Path) -> Iterator[Graph]:
    """The packaged graph with a fixture's triples added for the duration of the block."""
    base = _packaged()
    added = [triple for triple in read_graph([path]) if triple not in base]
    for triple in added:
        base.add(triple)
    try:
        yield base
    finally:
        for triple in added:
            base.remove(triple)


def _validate_fixture(path: Path) -> ValidationResult:
    with _with_fixture(path) as data:
        return validate_graph(data, _shapes())


def _shape_matches(expected: str, actual: Node | None) -> bool:
    """The source shape is the expected one, or a blank property shape held by the expected node shape."""
    if actual is None:
        return False
    if actual == URIRef(expected):
        return True
    return isinstance(actual, BNode) and (URIRef(expected), SH.property, actual) in _shapes()


def _path_iri(violation: Violation) -> str:
    return expand(violation.path) if violation.path != NODE_PATH else NODE_PATH


def _matches(expected: Expected, violation: Violation) -> bool:
    return (
        str(violation.focus) == expected.focus
        and _path_iri(violation) == expected.path
        and expand(violation.component) == expected.component
        and _shape_matches(expected.shape, violation.source_shape)
        and (expected.message is None or violation.message == expected.message)
    )


def _describe(violations: list[Violation]) -> str:
    return "\n".join(f"  - {v.line()} (source shape {v.source_shape})" for v in violations) or "  (none)"


def _node_shapes() -> set[URIRef]:
    return {s for s in _shapes().subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}


def _owner(shape: Node) -> Node:
    """The node shape that holds a property shape (the shape itself for a node shape)."""
    return next(iter(_shapes().subjects(SH.property, shape)), shape)


def _subclasses(cls: Node) -> set[Node]:
    return set(_packaged().transitive_subjects(RDFS.subClassOf, cls))


def _shapes_exercised_by_valid(path: Path) -> set[Node]:
    """The node shapes a valid fixture exercises: those whose target the fixture has (an instance of the
    target class or a subclass, a subject or object of the target property, the target node), and the
    untargeted shapes (`sh:node` helpers) that apply to a value the fixture gives."""
    shapes = _shapes()
    fixture = read_graph([path])
    exercised: set[Node] = set()
    for shape in _node_shapes():
        classes = {c for t in shapes.objects(shape, SH.targetClass) for c in _subclasses(t)}
        if (
            any((None, RDF.type, c) in fixture for c in classes)
            or any((None, p, None) in fixture for p in shapes.objects(shape, SH.targetSubjectsOf))
            or any((None, p, None) in fixture for p in shapes.objects(shape, SH.targetObjectsOf))
            or any((n, None, None) in fixture for n in shapes.objects(shape, SH.targetNode))
        ):
            exercised.add(shape)
    for prop, helper in shapes.subject_objects(SH.node):
        predicate = shapes.value(prop, SH.path)
        if _owner(prop) in exercised and isinstance(predicate, URIRef) and (None, predicate, None) in fixture:
            exercised.add(helper)
    return exercised


def _shapes_exercised_by_invalid(path: Path) -> set[Node]:
    """The node shapes an invalid fixture's expected violations come from (an `sh:node` helper counts when
    the violation is of `sh:node` with that helper)."""
    shapes = _shapes()
    exercised: set[Node] = set()
    for expected in read_expectations(path):
        shape = URIRef(expected.shape)
        exercised.add(_owner(shape))
        if expected.component == str(SH.NodeConstraintComponent):
            named = list(shapes.objects(shape, SH.node))
            blank = [n for p in shapes.objects(shape, SH.property) for n in shapes.objects(p, SH.node)]
            exercised.update(named or blank)
    return exercised


# ------------------------------------------------------------------------------------------------------------
# One test per fixture


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_conforms(path: Path) -> None:
    assert not read_expectations(path), f"{path.name}: a valid fixture has no expect- lines"
    result = _validate_fixture(path)
    assert result.conforms, f"{path.name} should conform but has violations:\n{_describe(result.violations)}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_reports_exactly_the_expected_violations(path: Path) -> None:
    expected = read_expectations(path)
    assert expected, f"{path.name}: an invalid fixture names its expected violations (# expect-focus: ...)"
    result = _validate_fixture(path)
    assert not result.conforms, f"{path.name} should not conform"
    unmatched = list(result.violations)
    missing = []
    for want in expected:
        found = next((v for v in unmatched if _matches(want, v)), None)
        if found is None:
            missing.append(want)
        else:
            unmatched.remove(found)
    assert not missing and not unmatched, (
        f"{path.name}:\nexpected but not reported:\n"
        + ("\n".join(f"  - {m}" for m in missing) or "  (none)")
        + f"\nreported but not expected:\n{_describe(unmatched)}"
    )


# ------------------------------------------------------------------------------------------------------------
# The fixtures as a whole


def test_fixture_helper_matches_validate_files() -> None:
    """The fast path (a fixture added to the cached packaged graph) finds what validate_files finds, and
    leaves the packaged graph as it was."""
    path = FIXTURES / "invalid" / "project-two-coordinators.ttl"
    slow = validate_files([path])
    fast = _validate_fixture(path)
    assert [v.line() for v in fast.violations] == [v.line() for v in slow.violations]
    assert (fast.conforms, fast.data_triples) == (slow.conforms, slow.data_triples)
    assert len(_packaged()) == len(read_graph(default_data_files())), "the fixture was left behind"


def test_fixture_file_names_are_kebab_case_and_distinct() -> None:
    names = [p.name for p in VALID + INVALID]
    assert all(_FILE_NAME.match(n) for n in names), [n for n in names if not _FILE_NAME.match(n)]
    assert len(set(names)) == len(names), "a name is both a valid and an invalid fixture"


def test_fixtures_use_example_iris_for_their_own_nodes() -> None:
    """Fixtures describe nodes of https://example.org/ (or blank nodes), never packaged ones: they may refer
    to packaged terms, but not add statements about them."""
    offenders = {}
    for path in VALID + INVALID:
        subjects = {s for s in read_graph([path]).subjects() if isinstance(s, URIRef)}
        foreign = sorted(str(s) for s in subjects if not str(s).startswith(HEADER_PREFIXES["ex"]))
        if foreign:
            offenders[path.name] = foreign
    assert not offenders, (
        f"fixtures that add statements about nodes outside https://example.org/: {offenders}"
    )


def test_every_node_shape_has_a_valid_and_an_invalid_fixture() -> None:
    node_shapes = _node_shapes()
    valid = set().union(*(_shapes_exercised_by_valid(p) for p in VALID))
    invalid = set().union(*(_shapes_exercised_by_invalid(p) for p in INVALID))
    assert sorted(map(str, node_shapes - valid)) == [], "node shapes without a valid fixture"
    assert sorted(map(str, node_shapes - invalid)) == [], "node shapes without an invalid fixture"


def test_expected_shapes_exist() -> None:
    """Every expect-shape names a shape of shapes.ttl, so a renamed shape cannot leave a fixture stale."""
    shapes = _shapes()
    known = set(shapes.subjects(SH.path, None)) | set(shapes.subjects(RDF.type, SH.NodeShape))
    unknown = {
        (p.name, e.shape) for p in INVALID for e in read_expectations(p) if URIRef(e.shape) not in known
    }
    assert not unknown


# ------------------------------------------------------------------------------------------------------------
# The shapes graph and the packaged data


def test_packaged_data_conforms() -> None:
    result = validate_files()
    assert result.conforms, result.text()


def test_shapes_pass_meta_shacl() -> None:
    """The shapes graph conforms to the SHACL-SHACL shapes (pySHACL raises when it does not)."""
    try:
        conforms, _report, text = pyshacl.validate(Graph(), shacl_graph=_shapes(), meta_shacl=True)
    except ReportableRuntimeError as exc:
        pytest.fail(str(exc))
    assert conforms, text


def test_meta_shacl_rejects_a_broken_shape() -> None:
    """The meta-SHACL check can fail: a property shape with a non-integer sh:minCount is rejected."""
    broken = Graph()
    shape = URIRef(EKGSH + "BrokenShape")
    broken.add((shape, RDF.type, SH.NodeShape))
    broken.add((shape, SH.targetClass, URIRef(EKG + "Project")))
    broken.add((shape, SH.property, URIRef(EKGSH + "BrokenShape-title")))
    broken.add((URIRef(EKGSH + "BrokenShape-title"), SH.path, URIRef("http://purl.org/dc/terms/title")))
    broken.add((URIRef(EKGSH + "BrokenShape-title"), SH.minCount, Literal("one")))
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        pyshacl.validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_shapes_refer_only_to_declared_terms() -> None:
    """Every term of our namespace that a shape targets, requires or walks is declared in the ontology."""
    shapes = _shapes()
    ontology = read_graph([resources.ontology_file()])
    declared = {
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in ontology.subjects(RDF.type, kind)
    }
    used = {
        o
        for p in (
            SH.targetClass,
            SH.targetSubjectsOf,
            SH.targetObjectsOf,
            SH.path,
            SH.inversePath,
            SH["class"],
            SH.lessThanOrEquals,
        )
        for o in shapes.objects(None, p)
        if isinstance(o, URIRef) and str(o).startswith(EKG)
    }
    assert used, "the shapes use no term of our namespace?"
    assert sorted(map(str, used - declared)) == []
