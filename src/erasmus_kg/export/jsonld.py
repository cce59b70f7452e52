"""Compact JSON-LD, written node by node with the published context.

Each subject of the merged graph becomes one node object, one per line, inside `{"@context": ..., "@graph":
[...]}`. For every (property, value) the key is a term of the context whose coercion matches the value, or
else the property's uncoerced term or compact IRI with an explicit value object, so that any JSON-LD
processor expands the document to exactly the triples of the store:

- IRIs and blank nodes: a string under an `@type: @id` term, else `{"id": ...}`;
- language-tagged strings: a language map term, else `{"@value": ..., "@language": ...}`;
- xsd:string: a plain JSON string under an uncoerced term or a compact IRI key;
- other datatypes: the lexical form under a term coerced to that datatype, else
  `{"@value": ..., "@type": ...}`; xsd:integer and xsd:boolean values in canonical form (and integers
  JSON can carry exactly) are native JSON numbers and booleans, since they expand to the same literal.
  Decimals and doubles are never JSON numbers.

Output is deterministic: `id`, `type`, then keys in sorted order; values sorted; nodes in store order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.export.context import RDF_LANG_STRING, JsonLdContext
from erasmus_kg.export.merged import Pair, Subject
from erasmus_kg.namespaces import RDF, XSD, XSD_STRING

RDF_TYPE = RDF + "type"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"

_CANONICAL_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_MAX_EXACT_INTEGER = 2**53 - 1
"""Larger integers are written as strings: JavaScript processors would round them."""

_FLUSH_AT = 1 << 16

Nested = Callable[[ox.NamedNode, ox.NamedNode | ox.BlankNode], dict[str, Any] | None]
"""For framing: a node object to write in place of a reference, or None for the reference."""


def native_value(lexical: str, datatype: str) -> int | bool | None:
    """The JSON number or boolean that expands to exactly this literal, if there is one."""
    if datatype == XSD_INTEGER:
        if _CANONICAL_INTEGER.match(lexical) and lexical != "-0":
            number = int(lexical)
            if abs(number) <= _MAX_EXACT_INTEGER:
                return number
    elif datatype == XSD_BOOLEAN and lexical in ("true", "false"):
        return lexical == "true"
    return None


class NodeEncoder:
    """Turns a subject and its (predicate, object) pairs into a compact node object."""

    def __init__(self, context: JsonLdContext) -> None:
        self.context = context
        self.id_key = context.id_alias
        self.type_key = context.type_alias

    def reference(self, term: ox.NamedNode | ox.BlankNode) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return self.context.compact_iri(term.value)

    def node(self, subject: Subject, pairs: Iterable[Pair], nested: Nested | None = None) -> dict[str, Any]:
        ctx = self.context
        values: dict[str, list[tuple[tuple[str, ...], Any]]] = {}
        sets: set[str] = set()
        language_maps: dict[str, dict[str, list[str]]] = {}
        types: set[str] = set()
        value: Any  # a JSON value: a string, a number, a boolean or an object

        for predicate, obj in pairs:
            piri = predicate.value
            if isinstance(obj, ox.Literal):
                lexical = obj.value
                language = obj.language
                if language:
                    if obj.datatype.value != RDF_LANG_STRING:
                        raise UsageError(
                            f"a literal with a base direction cannot be written as JSON-LD: {obj}"
                        )
                    term = ctx.term(piri, "lang")
                    if term is not None:
                        language_maps.setdefault(term.name, {}).setdefault(language, []).append(lexical)
                    else:
                        key = ctx.property_key(piri)
                        value = {"@value": lexical, "@language": language}
                        values.setdefault(key, []).append((("2", lexical, language), value))
                    continue
                datatype = obj.datatype.value
                if datatype == XSD_STRING:
                    values.setdefault(ctx.property_key(piri), []).append((("1", lexical, ""), lexical))
                    continue
                native = native_value(lexical, datatype)
                term = ctx.term(piri, "typed", datatype)
                if term is not None:
                    key = term.name
                    value = lexical if native is None else native
                    if term.is_set:
                        sets.add(key)
                else:
                    key = ctx.property_key(piri)
                    if native is None:
                        value = {"@value": lexical, "@type": ctx.compact_vocab(datatype)}
                    else:
                        value = native
                values.setdefault(key, []).append((("1", lexical, datatype), value))
            elif isinstance(obj, (ox.NamedNode, ox.BlankNode)):
                if piri == RDF_TYPE and isinstance(obj, ox.NamedNode):
                    types.add(ctx.compact_vocab(obj.value))
                    continue
                ref = self.reference(obj)
                embedded = nested(predicate, obj) if nested is not None else None
                term = ctx.term(piri, "id")
                if term is not None:
                    key = term.name
                    value = ref if embedded is None else embedded
                    if term.is_set:
                        sets.add(key)
                else:
                    key = ctx.property_key(piri)
                    value = {self.id_key: ref} if embedded is None else embedded
                values.setdefault(key, []).append((("0", ref), value))
            else:
                raise UsageError(f"a triple term cannot be written as JSON-LD: {obj}")

        node: dict[str, Any] = {self.id_key: self.reference(subject)}
        if types:
            ordered = sorted(types)
            node[self.type_key] = ordered[0] if len(ordered) == 1 else ordered
        for key in sorted(values.keys() | language_maps.keys()):
            if key in language_maps:
                node[key] = {
                    language: texts[0] if len(texts) == 1 else sorted(texts)
                    for language, texts in sorted(language_maps[key].items())
                }
                continue
            entries = sorted(values[key], key=_first)
            if len(entries) == 1 and key not in sets:
                node[key] = entries[0][1]
            else:
                node[key] = [value for _, value in entries]
        return node


def _first(entry: tuple[tuple[str, ...], Any]) -> tuple[str, ...]:
    return entry[0]


class DocumentWriter:
    """Writes `{"@context": ..., "@graph": [node, ...]}` to a binary stream, one node per line."""

    def __init__(self, out: BinaryIO, context_value: str | dict[str, Any]) -> None:
        self.out = out
        self.context_value = context_value
        self._chunks: list[str] = []
        self._size = 0
        self._first = True
        self.nodes = 0

    def __enter__(self) -> DocumentWriter:
        context = json.dumps(
            self.context_value, ensure_ascii=False, indent=2 if isinstance(self.context_value, dict) else None
        )
        self._write('{"@context": ' + context + ',\n"@graph": [\n')
        return self

    def write(self, node: dict[str, Any]) -> None:
        text = json.dumps(node, ensure_ascii=False)
        self._write(text if self._first else ",\n" + text)
        self._first = False
        self.nodes += 1

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self._write("\n]}\n" if not self._first else "]}\n")
        self.flush()

    def _write(self, text: str) -> None:
        self._chunks.append(text)
        self._size += len(text)
        if self._size >= _FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        if self._chunks:
            self.out.write("".join(self._chunks).encode("utf-8"))
            self._chunks.clear()
            self._size = 0
