"""A fast first pass over a batch: which of its focus nodes may violate the shapes. pySHACL then validates
only those, so the report is pySHACL's own, while valid data (nearly all of a real import) never reaches it.

The screen is compiled from the same shapes graph (ontology/shapes.ttl) and evaluates the SHACL Core
constraints that graph uses on the same data graph pySHACL would see (the batch and the packaged context, see
`batch_validation`), with terms kept as N-Triples strings. It must never miss a node that pySHACL would
report, and may flag a node that pySHACL then finds valid. Every check therefore answers True (surely
satisfied), False (surely violated) or None (cannot tell: pySHACL decides). Anything the screen does not
know answers None: a constraint component it does not implement, a SPARQL constraint other than the one it
knows, a comparison of values it cannot order exactly as rdflib does. Where pySHACL's answer depends on
rdflib's reading of a literal (ill-typed values, normalised lexical forms), the screen asks rdflib itself.

tests/test_screening.py shows on every invalid fixture, on broken imports and on generated graphs that each
focus node pySHACL reports is flagged, and that valid data flags nothing.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from erasmus_kg.namespaces import PREFIXES

SH = "http://www.w3.org/ns/shacl#"
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]

TYPE = f"<{RDF}type>"
SUBCLASS_OF = f"<{RDFS}subClassOf>"
XSD_STRING = XSD + "string"
LANG_STRING = RDF + "langString"

Tri = bool | None
"""True: surely satisfied; False: surely violated; None: the screen cannot tell."""


def all_of(results: Iterable[Tri]) -> Tri:
    """Three-valued AND."""
    unknown = False
    for result in results:
        if result is False:
            return False
        if result is None:
            unknown = True
    return None if unknown else True


def any_of(results: Iterable[Tri]) -> Tri:
    """Three-valued OR."""
    unknown = False
    for result in results:
        if result is True:
            return True
        if result is None:
            unknown = True
    return None if unknown else False


# ------------------------------------------------------------------------------------------------------------
# The data graph of a batch


class DataGraph:
    """Subject -> predicate -> objects (dict keys: a set in insertion order), terms as N-Triples strings.
    Objects of the predicates in `inverse` are also indexed the other way (for `sh:inversePath` and
    `sh:targetObjectsOf`)."""

    __slots__ = ("_inverse", "_supers", "inv", "memo", "out")

    def __init__(self, inverse: frozenset[str] = frozenset()) -> None:
        self.out: dict[str, dict[str, dict[str, None]]] = {}
        self.inv: dict[str, dict[str, dict[str, None]]] = {p: {} for p in inverse}
        self._inverse = inverse
        self._supers: dict[str, frozenset[str]] = {}
        self.memo: dict[tuple[int, str], Tri] = {}
        """(nested shape, value node) -> its answer, for this batch."""

    def copy(self) -> DataGraph:
        other = DataGraph(self._inverse)
        other.out = {s: {p: dict(objects) for p, objects in ps.items()} for s, ps in self.out.items()}
        other.inv = {p: {o: dict(subjects) for o, subjects in os_.items()} for p, os_ in self.inv.items()}
        return other

    def parse(self, text: str) -> set[str]:
        """Add the triples of N-Triples `text`; returns the subjects it describes."""
        out = self.out
        inv = self.inv
        subjects: set[str] = set()
        for line in text.split("\n"):  # not splitlines(): N-Triples leaves U+2028 and the like unescaped
            if not line or line[0] == "#":
                continue
            s, p, rest = line.split(" ", 2)
            o = rest[:-2] if rest.endswith(" .") else rest.rstrip().removesuffix(".").rstrip()
            if o[0] == '"' and o[-1] != '"' and o[-1] != ">":
                # a language tag: rdflib compares them case-insensitively and Oxigraph writes them lower-cased
                quote = o.rfind('"')
                o = o[: quote + 1] + o[quote + 1 :].lower()
            subjects.add(s)
            ps = out.get(s)
            if ps is None:
                ps = out[s] = {}
            objects = ps.get(p)
            if objects is None:
                ps[p] = {o: None}
            else:
                objects[o] = None
            if p in inv:
                by_object = inv[p]
                found = by_object.get(o)
                if found is None:
                    by_object[o] = {s: None}
                else:
                    found[s] = None
        return subjects

    def objects(self, node: str, predicate: str) -> Iterable[str]:
        ps = self.out.get(node)
        if ps is None:
            return ()
        return ps.get(predicate, ())

    def subjects(self, predicate: str, node: str) -> Iterable[str]:
        return self.inv[predicate].get(node, ())

    def superclasses(self, cls: str) -> frozenset[str]:
        """`cls` and every class it is an rdfs:subClassOf, transitively, in this graph."""
        found = self._supers.get(cls)
        if found is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for parent in self.objects(todo.pop(), SUBCLASS_OF):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._supers[cls] = frozenset(seen)
        return found

    def is_instance(self, node: str, cls: str) -> bool:
        """SHACL instance: `node rdf:type/rdfs:subClassOf* cls`."""
        return any(cls in self.superclasses(t) for t in self.objects(node, TYPE))


# ------------------------------------------------------------------------------------------------------------
# Literals as rdflib (and so pySHACL) reads them

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _SIMPLE_ESCAPES.get(match.group(3), match.group(3))

    return _ESCAPE.sub(one, text)


def literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """(lexical form, datatype IRI or None for a plain string, language tag or None) of a literal term."""
    quote = term.rfind('"')
    raw = term[1:quote]
    lexical = _unescape(raw) if "\\" in raw else raw
    rest = term[quote + 1 :]
    if not rest:
        return lexical, None, None
    if rest[0] == "@":
        return lexical, None, rest[1:]
    return lexical, rest[3:-1], None


def _rdflib_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(datatypes rdflib converts or checks, datatypes whose every lexical form rdflib takes as is)."""
    try:
        from rdflib.term import _check_well_formed_types, _toPythonMapping
    except ImportError:  # another rdflib: every typed literal goes through rdflib itself
        return frozenset(), frozenset()
    checked = frozenset(str(k) for k in _toPythonMapping if k is not None)
    as_is = frozenset(
        str(k)
        for k, convert in _toPythonMapping.items()
        if k is not None and convert is None and k not in _check_well_formed_types
    )
    return checked, as_is


_CHECKED, _AS_IS = _rdflib_tables()
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

# pySHACL's DatatypeConstraintComponent._assert_actual_datatype: the Python type rdflib's value must have
_VALUE_TYPES: dict[str, type] = {
    XSD + "integer": int,
    XSD + "float": float,
    XSD + "decimal": Decimal,
    XSD + "boolean": bool,
    XSD + "date": date,
    XSD + "time": time,
    XSD + "dateTime": datetime,
}


@lru_cache(maxsize=1 << 16)
def _rdflib_reading(lexical: str, datatype: str) -> tuple[bool, str]:
    """(whether pySHACL's sh:datatype accepts the literal for its own datatype, rdflib's lexical form)."""
    from rdflib import Literal, URIRef

    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True  # rdflib logs (or warns about) every ill-typed literal
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            literal = Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.disabled = disabled
    if literal.ill_typed is True:
        return False, str(literal)
    expected = _VALUE_TYPES.get(datatype)
    accepted = expected is None or isinstance(literal.value, expected)
    return accepted, str(literal)


def _typed_ok(lexical: str, datatype: str) -> bool:
    """pySHACL's sh:datatype on a literal of that same datatype: well-typed as rdflib reads it."""
    if datatype in _AS_IS or (datatype not in _CHECKED and datatype not in _VALUE_TYPES):
        return True  # rdflib neither converts nor checks: any lexical form passes
    if datatype == XSD + "integer" and _INTEGER.match(lexical):
        return True
    if datatype == XSD + "decimal" and _DECIMAL.match(lexical):
        return True
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return True
    if datatype == XSD + "date" and _DATE.match(lexical):
        try:
            date.fromisoformat(lexical)
            return True
        except ValueError:
            return False
    return _rdflib_reading(lexical, datatype)[0]


def datatype_ok(term: str, rule: str) -> bool:
    """pySHACL's sh:datatype `rule` on `term` (an N-Triples term)."""
    if term[0] != '"':
        return False
    if rule == RDFS + "Literal":
        return True
    lexical, datatype, language = literal_parts(term)
    if language is not None:
        return rule == LANG_STRING
    if datatype is None or datatype == XSD_STRING:
        return rule == XSD_STRING
    if rule == RDFS + "Datatype":
        return True
    return datatype == rule and _typed_ok(lexical, datatype)


def text_of(term: str) -> str | None:
    """str() of the term as rdflib holds it (an IRI, or a literal's normalised lexical form); None for a
    blank node."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == "_":
        return None
    lexical, datatype, _language = literal_parts(term)
    if datatype is None or datatype == XSD_STRING or datatype in _AS_IS or datatype not in _CHECKED:
        return lexical
    return _rdflib_reading(lexical, datatype)[1]


def _normal_term(term: str) -> str:
    """A key that is equal for two terms exactly when rdflib holds them as one term."""
    if term[0] != '"' or term[-1] != ">":
        return term
    _lexical, datatype, _language = literal_parts(term)
    return f"{text_of(term)}^^{datatype}"


def distinct_count(values: Iterable[str]) -> int:
    values = list(values)
    if any(v[0] == '"' and v[-1] == ">" for v in values):
        return len({_normal_term(v) for v in values})
    return len(values)


def _number(term: str) -> Decimal | None:
    if term[0] != '"':
        return None
    lexical, datatype, _language = literal_parts(term)
    pattern = {XSD + "integer": _INTEGER, XSD + "decimal": _DECIMAL}.get(datatype or "")
    if pattern is not None and pattern.match(lexical):
        try:
            return Decimal(lexical)
        except InvalidOperation:
            return None
    return None


def _date(term: str) -> date | None:
    if term[0] != '"':
        return None
    lexical, datatype, _language = literal_parts(term)
    if datatype == XSD + "date" and _DATE.match(lexical):
        try:
            return date.fromisoformat(lexical)
        except ValueError:
            return None
    return None


def compare(left: str, right: str) -> int | None:
    """-1, 0 or 1 when both terms are numbers (xsd:integer, xsd:decimal) or both xsd:date values, as rdflib
    orders them; None otherwise (the screen cannot tell)."""
    a, b = _number(left), _number(right)
    if a is None or b is None:
        a, b = _date(left), _date(right)  # type: ignore[assignment]
        if a is None or b is None:
            return None
    return (a > b) - (a < b)  # type: ignore[operator]


# ------------------------------------------------------------------------------------------------------------
# Shapes, compiled

Check = Callable[[str, list[str], DataGraph], Tri]
"""One constraint of a shape: (focus node, value nodes, graph) -> Tri."""

ValueTest = Callable[[str, DataGraph], Tri]
"""A constraint on one value node: (value node, graph) -> Tri."""

START_NOT_AFTER_END = """
    SELECT $this ?value WHERE {
        $this $PATH ?value ; <https://w3id.org/erasmus-kg/ontology#endDate> ?end .
        FILTER(SUBSTR(STR(?value), 1, STRLEN(STR(?end))) > SUBSTR(STR(?end), 1, STRLEN(STR(?value))))
    }
"""
"""The one SPARQL constraint the screen knows (ekgsh:StartNotAfterEnd); any other text is left to pySHACL."""

# Shape parameters that constrain nothing, or that the compiler reads on its own
_NOT_CONSTRAINTS = {
    SH + name
    for name in (
        *("message", "severity", "name", "description", "order", "group", "defaultValue", "deactivated"),
        *("path", "property", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"),
        *("qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "declare", "prefixes"),
        "flags",
    )
}


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
    def from_graphs(cls, shapes_graph, context_text: str) -> Screen:  # type: ignore[no-untyped-def]
        compiler = _Compiler(shapes_graph)
        shapes = compiler.top_level()
        context = DataGraph(frozenset(compiler.inverse))
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


class _Compiler:
    """Reads shapes from an rdflib graph into `Shape`s (each shape node once, nested shapes shared)."""

    def __init__(self, graph) -> None:  # type: ignore[no-untyped-def]
        self.graph = graph
        self.shapes: dict[object, Shape] = {}
        self.inverse: set[str] = set()

    def top_level(self) -> list[Shape]:
        from rdflib import RDF as R
        from rdflib import URIRef

        g = self.graph
        roots = set()
        for name in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
            roots |= set(g.subjects(URIRef(SH + name), None))
        # implicit class targets: a shape that is also a class
        for cls in (URIRef(RDFS + "Class"), URIRef(PREFIXES["owl"] + "Class")):
            for node in g.subjects(R.type, cls):
                if (node, R.type, URIRef(SH + "NodeShape")) in g:
                    roots.add(node)
        return [self.shape(node) for node in sorted(roots, key=str)]

    def shape(self, node) -> Shape:  # type: ignore[no-untyped-def]
        found = self.shapes.get(node)
        if found is not None:
            return found
        from rdflib import RDF as R
        from rdflib import Literal, URIRef

        g = self.graph
        shape = self.shapes[node] = Shape(len(self.shapes), str(node))

        def objects(name: str) -> list:
            return list(g.objects(node, URIRef(SH + name)))

        deactivated = objects("deactivated")
        shape.deactivated = any(isinstance(d, Literal) and d.value is True for d in deactivated)
        shape.target_classes = [f"<{c}>" for c in objects("targetClass")]
        shape.target_nodes = [_nt(n) for n in objects("targetNode")]
        shape.target_subjects_of = [f"<{p}>" for p in objects("targetSubjectsOf")]
        shape.target_objects_of = [f"<{p}>" for p in objects("targetObjectsOf")]
        self.inverse.update(shape.target_objects_of)
        if any((node, R.type, URIRef(c)) in g for c in (RDFS + "Class", PREFIXES["owl"] + "Class")):
            shape.target_classes.append(f"<{node}>")
        paths = objects("path")
        if paths:
            shape.path = self.path(paths[0]) if len(paths) == 1 else None
            if shape.path is None:
                shape.checks.append(_unknown)
                return shape
        shape.properties = [self.shape(p) for p in objects("property")]
        for predicate, value in g.predicate_objects(node):
            if not str(predicate).startswith(SH) or predicate in {URIRef(n) for n in _NOT_CONSTRAINTS}:
                continue
            shape.checks.append(self.check(node, shape, str(predicate)[len(SH) :], value))
        qualified = objects("qualifiedValueShape")
        if qualified:
            shape.checks.append(self.qualified(node, shape, qualified))
        if shape.properties and shape.path is not None:
            shape.checks.append(_unknown)  # sh:property on a property shape: not used, left to pySHACL
            shape.properties = []
        shape.checks_without_values = [c for c in shape.checks if c not in _HOLD_WITHOUT_VALUES]
        return shape

    def path(self, path) -> tuple[str, bool] | None:  # type: ignore[no-untyped-def]
        from rdflib import BNode, URIRef

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

    def items(self, head) -> list:  # type: ignore[no-untyped-def]
        from rdflib.collection import Collection

        return list(Collection(self.graph, head))

    def check(self, node, shape: Shape, name: str, value) -> Check:  # type: ignore[no-untyped-def]
        from rdflib import Literal, URIRef

        per_value = _PER_VALUE.get(name)
        if per_value is not None:
            test = per_value(self, value)
            if test is None:
                return _unknown
            return _each(test)
        if name == "minCount" and isinstance(value, Literal):
            least = int(value)
            return lambda _focus, values, _graph: distinct_count(values) >= least
        if name == "maxCount" and isinstance(value, Literal):
            most = int(value)
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

    def pattern(self, node, value) -> Check:  # type: ignore[no-untyped-def]
        from rdflib import URIRef

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

    def qualified(self, node, shape: Shape, qualified: list) -> Check:  # type: ignore[no-untyped-def]
        from rdflib import Literal, URIRef

        disjoint = list(self.graph.objects(node, URIRef(SH + "qualifiedValueShapesDisjoint")))
        if len(qualified) != 1 or any(isinstance(d, Literal) and d.value is True for d in disjoint):
            return _unknown
        inner = self.shape(qualified[0])
        least = [int(v) for v in self.graph.objects(node, URIRef(SH + "qualifiedMinCount"))]
        most = [int(v) for v in self.graph.objects(node, URIRef(SH + "qualifiedMaxCount"))]

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

    def sparql(self, shape: Shape, constraint) -> Check:  # type: ignore[no-untyped-def]
        from rdflib import URIRef

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
        end = "<https://w3id.org/erasmus-kg/ontology#endDate>"

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


def _nt(term) -> str:  # type: ignore[no-untyped-def]
    """An rdflib term as pyoxigraph writes it in N-Triples."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

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


# Constraints on each value node on its own: parameter name -> (compiler, parameter value) -> test or None


def _class(_c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    cls = _nt(value)
    return lambda v, graph: v[0] != '"' and graph.is_instance(v, cls)


def _datatype(_c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
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


def _node_kind(_c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    kinds = _NODE_KINDS.get(str(value).removeprefix(SH))
    if kinds is None or not str(value).startswith(SH):
        return None
    return lambda v, _graph: v[0] in kinds


def _length(least: bool):  # type: ignore[no-untyped-def]
    def compile_(_c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
        bound = int(value)

        def test(v: str, _graph: DataGraph) -> Tri:
            text = text_of(v)
            if text is None:
                return False
            return len(text) >= bound if least else len(text) <= bound

        return test

    return compile_


def _range(kind: str):  # type: ignore[no-untyped-def]
    def compile_(_c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
        bound = _nt(value)

        def test(v: str, _graph: DataGraph) -> Tri:
            order = compare(v, bound)
            if order is None:
                return None
            return {"min": order >= 0, "max": order <= 0, "minEx": order > 0, "maxEx": order < 0}[kind]

        return test

    return compile_


def _node(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    inner = c.shape(value)
    return inner.conforms_memo


def _or(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    members = [c.shape(m) for m in c.items(value)]
    return lambda v, graph: any_of(m.conforms_memo(v, graph) for m in members)


def _and(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    members = [c.shape(m) for m in c.items(value)]
    return lambda v, graph: all_of(m.conforms_memo(v, graph) for m in members)


def _not(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    inner = c.shape(value)

    def test(v: str, graph: DataGraph) -> Tri:
        answer = inner.conforms_memo(v, graph)
        return None if answer is None else not answer

    return test


def _in(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    allowed = {_nt(m) for m in c.items(value)}
    # a literal outside the list may still equal a member as rdflib compares them
    return lambda v, _graph: True if v in allowed else (None if v[0] == '"' else False)


def _language_in(c: _Compiler, value) -> ValueTest | None:  # type: ignore[no-untyped-def]
    wanted = {str(m).lower() for m in c.items(value)}

    def test(v: str, _graph: DataGraph) -> Tri:
        if v[0] != '"' or v[-1] == '"' or v[-1] == ">":
            return False
        language = v[v.rfind('"') + 2 :].lower()
        return "*" in wanted or language in wanted or language.split("-")[0] in wanted

    return test


_PER_VALUE: dict[str, Callable] = {
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


@cache
def packaged_screen() -> Screen:
    """The screen of the packaged shapes, with the packaged context (built once per process)."""
    from erasmus_kg.validation.batches import packaged_context
    from erasmus_kg.validation.shacl import shapes_graph

    return Screen.from_graphs(shapes_graph(), packaged_context())
