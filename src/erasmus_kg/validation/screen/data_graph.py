"""The data graph of a batch as the screen reads it: an index of N-Triples terms, kept as strings.

Terms are never parsed into rdflib objects: a batch is split into lines and terms, and every check compares
strings. The graph also answers the SHACL class question (`is_instance`:
rdf:type, then rdfs:subClassOf transitively) and remembers, per batch, the answers of nested shapes.
"""

from __future__ import annotations

from collections.abc import Iterable

from erasmus_kg.namespaces import PREFIXES
from erasmus_kg.validation.screen.three_valued import Tri

TYPE = f"<{PREFIXES['rdf']}type>"
SUBCLASS_OF = f"<{PREFIXES['rdfs']}subClassOf>"


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
