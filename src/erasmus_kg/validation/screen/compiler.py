"""The compiler of the screen: reads the shapes graph (rdflib) into `Shape`s whose checks work on N-Triples
strings.

Every SHACL Core constraint the shapes use becomes a three-valued check. Anything the compiler does not know
becomes a check that answers None, which leaves the focus node to pySHACL: a constraint component it does not
implement, a path other than a predicate or its inverse, a SPARQL constraint other than the one it knows, a
comparison of values it cannot order exactly as rdflib does.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from erasmus_kg.namespaces import EKG, PREFIXES
from erasmus_kg.validation.screen.data_graph import DataGraph
from erasmus_kg.validation.screen.literals import compare, datatype_ok, distinct_count, text_of
from erasmus_kg.validation.screen.shapes import Check, Shape, ValueTest
from erasmus_kg.validation.screen.three_valued import Tri, all_of, any_of

SH = PREFIXES["sh"]
_CLASSES = (URIRef(PREFIXES["rdfs"] + "Class"), URIRef(PREFIXES["owl"] + "Class"))

START_NOT_AFTER_END = f"""
    SELECT $this ?value WHERE {{
        $this $PATH ?value ; <{EKG}endDate> ?end .
        FILTER(SUBSTR(STR(?value), 1, STRLEN(STR(?end))) > SUBSTR(STR(?end), 1, STRLEN(STR(?value))))
    }}
"""
"""The one SPARQL constraint the screen knows (ekgsh:StartNotAfterEnd); any other text is left to pySHACL."""

_NOT_CONSTRAINTS = frozenset(
    URIRef(SH + name)
    for name in (
        *("message", "severity", "name", "description", "order", "group", "defaultValue", "deactivated"),
        *("path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"),
        *("qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "declare", "prefixes"),
        "flags",
    )
)
"""Shape parameters that constrain nothing, or that the compiler reads on its own."""


def compile_shapes(graph: Graph) -> tuple[list[Shape], frozenset[str]]:
    """The top-level shapes of `graph` (those with targets, nested shapes reached from them), and the
    predicates whose objects the data graph must index backwards (`sh:inversePath`, `sh:targetObjectsOf`)."""
    compiler = _Compiler(graph)
    shapes = compiler.top_level()
    return shapes, frozenset(compiler.inverse)


class _Compiler:
    """Reads shapes from an rdflib graph into `Shape`s (each shape node once, nested shapes shared)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        self.inverse: set[str] = set()

    def top_level(self) -> list[Shape]:
        g = self.graph
        roots: set[Node] = set()
        for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            roots |= set(g.subjects(URIRef(SH + name), None))
        # implicit class targets: a shape that is also a class
        for cls in _CLASSES:
            for node in g.subjects(RDF.type, cls):
                if (node, RDF.type, URIRef(SH + "NodeShape")) in g:
                    roots.add(node)
        return [self.shape(node) for node in sorted(roots, key=str)]

    def shape(self, node: Node) -> Shape:
        found = self.shapes.get(node)
        if found is not None:
            return found
        g = self.graph
        shape = self.shapes[node] = Shape(len(self.shapes), str(node))

        def objects(name: str) -> list[Node]:
            return list(g.objects(node, URIRef(SH + name)))

        deactivated = objects("deactivated")
        shape.deactivated = any(isinstance(d, Literal) and d.value is True for d in deactivated)
        shape.target_classes = [f"<{c}>" for c in objects("targetClass")]
        shape.target_nodes = [_nt(n) for n in objects("targetNode")]
        shape.target_subjects_of = [f"<{p}>" for p in objects("targetSubjectsOf")]
        shape.target_objects_of = [f"<{p}>" for p in objects("targetObjectsOf")]
        self.inverse.update(shape.target_objects_of)
        if any((node, RDF.type, c) in g for c in _CLASSES):
            shape.target_classes.append(f"<{node}>")
        paths = objects("path")
        if paths:
            shape.path = self.path(paths[0]) if len(paths) == 1 else None
            if shape.path is None:
                shape.checks.append(_unknown)
                return shape
        shape.properties = [self.shape(p) for p in objects("property")]
        for predicate, value in g.predicate_objects(node):
            if not str(predicate).startswith(SH) or predicate in _NOT_CONSTRAINTS:
                continue
            shape.checks.append(self.check(node, shape, str(predicate)[len(SH) :], value))
        qualified = objects("qualifiedValueShape")
        if qualified:
            shape.checks.append(self.qualified(node, qualified))
        if shape.properties and shape.path is not None:
            shape.checks.append(_unknown)  # sh:property on a property shape: not used, left to pySHACL
            shape.properties = []
        shape.checks_without_values = [c for c in shape.checks if c not in _HOLD_WITHOUT_VALUES]
        return shape

    def path(self, path: Node) -> tuple[str, bool] | None:
        if isinstance(path, URIRef):
            return f"<{path}>", False
        if isinstance(path, BNode):
            inverse = list(self.graph.objects(path, URIRef(SH + "inversePath")))
            alone = len(list(self.graph.predicates(path))) == 1
            if len(inverse) == 1 and isinstance(inverse[0], URIRef) and alone:
                predicate = f"<{inverse[0]}>"
                self.inverse.add(predicate)
                return predicate, True
        return None  # sequence, alternative and closure paths: left to pySHACL

    def items(self, head: Node) -> list[Node]:
        return list(Collection(self.graph, head))

    def check(self, node: Node, shape: Shape, name: str, value: Node) -> Check:
        per_value = _PER_VALUE.get(name)
        if per_value is not None:
            test = per_value(self, value)
            if test is None:
                return _unknown
            return _each(test)
        if name == "minCount" and isinstance(value, Literal):
            least = int(str(value))
            return lambda _focus, values, _graph: distinct_count(values) >= least
        if name == "maxCount" and isinstance(value, Literal):
            most = int(str(value))
            return _holds_without_values(
                lambda _focus, values, _graph: len(values) <= most or distinct_count(values) <= most
            )
        if name == "hasValue":
            wanted = _nt(value)
            # a literal may equal another one as rdflib compares them
            missing: Tri = None if wanted[0] == '"' else False
            return lambda _focus, values, _graph: True if wanted in values else missing
        if name == "uniqueLang" and isinstance(value, Literal):
            if value.value is not True:
                return _always
            return _holds_without_values(_unique_lang)
        if name in ("lessThanOrEquals", "lessThan") and isinstance(value, URIRef):
            other = f"<{value}>"
            strict = name == "lessThan"

            def ordered(focus: str, values: list[str], graph: DataGraph) -> Tri:
                results = []
                for v in values:
                    for w in graph.objects(focus, other):
                        order = compare(v, w)
                        results.append(None if order is None else (order < 0 if strict else order <= 0))
                return all_of(results)

            return _holds_without_values(ordered)
        if name == "pattern":
            return self.pattern(node, value)
        if name == "sparql":
            return self.sparql(shape, value)
        if name == "qualifiedValueShape":
            return _always  # read with its counts in `qualified`
        return _unknown

    def pattern(self, node: Node, value: Node) -> Check:
        flags = [str(f) for f in self.graph.objects(node, URIRef(SH + "flags"))]
        if flags not in ([], ["i"]):
            return _unknown  # pySHACL reads only some flags, and only from the first sh:flags
        options = re.IGNORECASE if flags else 0
        try:
            regex = re.compile(str(value), options)
        except re.error:
            return _unknown

        def test(v: str, _graph: DataGraph) -> Tri:
            text = text_of(v)
            return text is not None and regex.search(text) is not None

        return _each(test)

    def qualified(self, node: Node, qualified: list[Node]) -> Check:
        disjoint = list(self.graph.objects(node, URIRef(SH + "qualifiedValueShapesDisjoint")))
        if len(qualified) != 1 or any(isinstance(d, Literal) and d.value is True for d in disjoint):
            return _unknown
        inner = self.shape(qualified[0])
        least = [int(str(v)) for v in self.graph.objects(node, URIRef(SH + "qualifiedMinCount"))]
        most = [int(str(v)) for v in self.graph.objects(node, URIRef(SH + "qualifiedMaxCount"))]

        def counts(_focus: str, values: list[str], graph: DataGraph) -> Tri:
            answers = [inner.conforms_memo(v, graph) for v in values]
            surely = sum(1 for a in answers if a is True)
            maybe = surely + sum(1 for a in answers if a is None)
            results: list[Tri] = []
            for n in least:
                results.append(True if surely >= n else (False if maybe < n else None))
            for n in most:
                results.append(True if maybe <= n else (False if surely > n else None))
            return all_of(results)

        return counts

    def sparql(self, shape: Shape, constraint: Node) -> Check:
        selects = list(self.graph.objects(constraint, URIRef(SH + "select")))
        others = {
            p
            for p in self.graph.predicates(constraint)
            if str(p).startswith(SH) and str(p) not in (SH + "select", SH + "message", SH + "deactivated")
        }
        if (
            len(selects) != 1
            or others
            or str(selects[0]).split() != START_NOT_AFTER_END.split()
            or shape.path is None
            or shape.path[1]
        ):
            return _unknown
        end = f"<{EKG}endDate>"

        def start_not_after_end(focus: str, values: list[str], graph: DataGraph) -> Tri:
            for value in values:
                for other in graph.objects(focus, end):
                    start, finish = text_of(value), text_of(other)
                    if start is None or finish is None:
                        continue  # STR() of a blank node is an error: no solution
                    if start[: len(finish)] > finish[: len(start)]:
                        return False
            return True

        return _holds_without_values(start_not_after_end)


_HOLD_WITHOUT_VALUES: set[Check] = set()
"""Checks that hold whenever there is no value node (a constraint on each value, a maximum)."""


def _holds_without_values(check: Check) -> Check:
    _HOLD_WITHOUT_VALUES.add(check)
    return check


def _each(test: ValueTest) -> Check:
    """A check that applies `test` to every value node (three-valued AND, without a generator: hot path)."""

    def check(_focus: str, values: list[str], graph: DataGraph) -> Tri:
        result: Tri = True
        for value in values:
            answer = test(value, graph)
            if answer is not True:
                if answer is False:
                    return False
                result = None
        return result

    return _holds_without_values(check)


def _always(_focus: str, _values: list[str], _graph: DataGraph) -> Tri:
    return True


def _unknown(_focus: str, _values: list[str], _graph: DataGraph) -> Tri:
    return None


def _unique_lang(_focus: str, values: list[str], _graph: DataGraph) -> Tri:
    seen = set()
    for value in values:
        if value[0] == '"' and value[-1] != '"' and value[-1] != ">":
            language = value[value.rfind('"') + 2 :]
            if language in seen:
                return False
            seen.add(language)
    return True


def _nt(term: Node) -> str:
    """An rdflib term as pyoxigraph writes it in N-Triples."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    if term.language:
        return str(ox.Literal(str(term), language=term.language))
    if term.datatype is not None:
        return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
    return str(ox.Literal(str(term)))


# ------------------------------------------------------------------------------------------------------------
# Constraints on each value node on its own: parameter name -> (compiler, parameter value) -> test, or None
# when the screen cannot compile it

ValueCompiler = Callable[[_Compiler, Node], ValueTest | None]


def _class(_c: _Compiler, value: Node) -> ValueTest | None:
    cls = _nt(value)
    return lambda v, graph: v[0] != '"' and graph.is_instance(v, cls)


def _datatype(_c: _Compiler, value: Node) -> ValueTest | None:
    rule = str(value)
    return lambda v, _graph: datatype_ok(v, rule)


_NODE_KINDS = {
    "IRI": "<",
    "BlankNode": "_",
    "Literal": '"',
    "BlankNodeOrIRI": "<_",
    "BlankNodeOrLiteral": '_"',
    "IRIOrLiteral": '<"',
}


def _node_kind(_c: _Compiler, value: Node) -> ValueTest | None:
    kinds = _NODE_KINDS.get(str(value).removeprefix(SH))
    if kinds is None or not str(value).startswith(SH):
        return None
    return lambda v, _graph: v[0] in kinds


def _length(least: bool) -> ValueCompiler:
    def compile_(_c: _Compiler, value: Node) -> ValueTest | None:
        bound = int(str(value))

        def test(v: str, _graph: DataGraph) -> Tri:
            text = text_of(v)
            if text is None:
                return False
            return len(text) >= bound if least else len(text) <= bound

        return test

    return compile_


def _range(kind: str) -> ValueCompiler:
    def compile_(_c: _Compiler, value: Node) -> ValueTest | None:
        bound = _nt(value)

        def test(v: str, _graph: DataGraph) -> Tri:
            order = compare(v, bound)
            if order is None:
                return None
            return {"min": order >= 0, "max": order <= 0, "minEx": order > 0, "maxEx": order < 0}[kind]

        return test

    return compile_


def _node(c: _Compiler, value: Node) -> ValueTest | None:
    inner = c.shape(value)
    return inner.conforms_memo


def _or(c: _Compiler, value: Node) -> ValueTest | None:
    members = [c.shape(m) for m in c.items(value)]
    return lambda v, graph: any_of(m.conforms_memo(v, graph) for m in members)


def _and(c: _Compiler, value: Node) -> ValueTest | None:
    members = [c.shape(m) for m in c.items(value)]
    return lambda v, graph: all_of(m.conforms_memo(v, graph) for m in members)


def _not(c: _Compiler, value: Node) -> ValueTest | None:
    inner = c.shape(value)

    def test(v: str, graph: DataGraph) -> Tri:
        answer = inner.conforms_memo(v, graph)
        return None if answer is None else not answer

    return test


def _in(c: _Compiler, value: Node) -> ValueTest | None:
    allowed = {_nt(m) for m in c.items(value)}
    # a literal outside the list may still equal a member as rdflib compares them
    return lambda v, _graph: True if v in allowed else (None if v[0] == '"' else False)


def _language_in(c: _Compiler, value: Node) -> ValueTest | None:
    wanted = {str(m).lower() for m in c.items(value)}

    def test(v: str, _graph: DataGraph) -> Tri:
        if v[0] != '"' or v[-1] == '"' or v[-1] == ">":
            return False
        language = v[v.rfind('"') + 2 :].lower()
        return "*" in wanted or language in wanted or language.split("-")[0] in wanted

    return test


_PER_VALUE: dict[str, ValueCompiler] = {
    "class": _class,
    "datatype": _datatype,
    "nodeKind": _node_kind,
    "minLength": _length(True),
    "maxLength": _length(False),
    "minInclusive": _range("min"),
    "maxInclusive": _range("max"),
    "minExclusive": _range("minEx"),
    "maxExclusive": _range("maxEx"),
    "node": _node,
    "or": _or,
    "and": _and,
    "not": _not,
    "in": _in,
    "languageIn": _language_in,
}
