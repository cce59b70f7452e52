"""How the index files keep a literal a list's row shows (an acronym, a locality): a string as its value, any
other literal as JSON of its value, language and datatype, so that the row gives back the same term. One of
several values is the least, by N-Triples form in code-point order, where the stored query SAMPLEs one."""

from __future__ import annotations

import json

import pyoxigraph as ox

from erasmus_kg.namespaces import XSD_STRING


def least_literal(literals: list[ox.Literal]) -> tuple[str | None, str | None]:
    """The least of `literals` as the index keeps it: (its value, None) for a string, (None, JSON [value,
    language, datatype]) for any other literal; (None, None) for none."""
    if not literals:
        return None, None
    least = min(literals, key=str)
    if least.language is None and least.datatype.value == XSD_STRING:
        return least.value, None
    datatype = None if least.language is not None else least.datatype.value
    return None, json.dumps([least.value, least.language, datatype], ensure_ascii=False)


def kept_literal(value: str | None, term: str | None) -> str | ox.Literal | None:
    """The literal `least_literal` kept: a string's value as it is, another literal as a term; None for
    none."""
    if term is None:
        return value
    text, language, datatype = json.loads(term)
    if language is not None:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(datatype))
