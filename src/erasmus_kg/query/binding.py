"""Bind parameter values into a SPARQL query as a VALUES block of RDF terms.

Values are never pasted as text: each is a pyoxigraph term (an IRI checked by pyoxigraph, a literal whose
lexical form, language tag and datatype pyoxigraph validates) and is written with pyoxigraph's own
N-Triples serialisation, which escapes every character that could end the term. The block goes at the
start of the query's outermost group graph pattern (`WHERE {`), so that the values are in scope for every
pattern, FILTER and OPTIONAL of the query, as if they were bound before evaluation. A parameter that has no
value is bound to UNDEF (it stays unbound). The same text runs on the embedded store and on any SPARQL 1.1
endpoint, and is what `--show-query` prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

Term = ox.NamedNode | ox.Literal

_PARAM_COMMENT = "# parameters bound by erasmus-kg"


def values_block(bindings: Mapping[str, Sequence[Term]]) -> str:
    """A VALUES block binding each variable to one of its values (the rows are the cross product).

    An empty sequence binds the variable to UNDEF.
    """
    names = sorted(bindings)
    if not names:
        return ""
    rows: list[list[str]] = [[]]
    for name in names:
        terms = [_term_text(t) for t in bindings[name]] or ["UNDEF"]
        rows = [[*row, term] for row in rows for term in terms]
    head = " ".join(f"?{_check_variable(n)}" for n in names)
    body = "\n".join(f"    ({' '.join(row)})" for row in rows)
    return f"  {_PARAM_COMMENT}\n  VALUES ({head}) {{\n{body}\n  }}\n"


def bind(query: str, bindings: Mapping[str, Sequence[Term]]) -> str:
    """The query with a VALUES block for `bindings` at the start of its outermost group."""
    block = values_block(bindings)
    if not block:
        return query
    position = outer_group_start(query)
    return f"{query[:position]}\n{block}{query[position:]}"


def outer_group_start(query: str) -> int:
    """The index just after the `{` that opens the query's WHERE clause.

    A small lexer skips comments, string literals and IRIs, so that a `{` inside any of them is not taken
    for the group. The stored queries keep expressions with `<` out of their SELECT clause, so an `<` before
    the group always opens an IRI.
    """
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            i = _skip_string(query, i)
        elif c == "<":
            end = query.find(">", i)
            if end < 0:
                break
            i = end + 1
        elif c == "{":
            return i + 1
        else:
            i += 1
    raise ValueError("the query has no group graph pattern ({ ... }) to bind parameters in")


def _skip_string(query: str, i: int) -> int:
    quote = query[i]
    if query.startswith(quote * 3, i):
        end = query.find(quote * 3, i + 3)
        return len(query) if end < 0 else end + 3
    j = i + 1
    while j < len(query):
        if query[j] == "\\":
            j += 2
            continue
        if query[j] == quote or query[j] == "\n":
            return j + 1
        j += 1
    return j


def _term_text(term: Term) -> str:
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise TypeError(f"only IRIs and literals can be bound, not {type(term).__name__}")
    return str(term)


def _check_variable(name: str) -> str:
    if not name or not all(ch.isalnum() or ch == "_" for ch in name):
        raise ValueError(f"invalid SPARQL variable name {name!r}")
    return name
