"""Whether a query's rows come in one order only, at the level `binding.with_slice` cuts: then its pages
(LIMIT n OFFSET m, asked one after the other) put together give its whole answer, each row once.

A server that cuts an answer at its own row limit (Virtuoso's `X-SPARQL-MaxRows`) is paged that way by
`remote.sparql`, and only then: with ties in the order, the server may order tied rows differently from one
page to the next, and a row would come twice and another never. The order is total when its ORDER BY sorts by
every variable that can tell two rows apart:

- for a level that groups (GROUP BY), each of its group keys (a group is one row);
- otherwise each variable it projects (rows equal in all of them are equal rows, and their order does not
  matter);

except the variables that have one value in every row: those a VALUES block at the top of the level's group
gives one value in all its rows (a parameter bound to one value, `binding.values_block`), and those of a
block whose rows each give a different value to such a variable (`VALUES (?lang ?inListTitle) {("nl" ...)
("en" ...)}` with `?lang` bound to one value picks one row). A key counts when it is a variable (`?x`,
`ASC(?x)`, `DESC(?x)`): `STR(?x)` does not, since two values can have the same text. The level is the
query's page subquery when it has one (`binding.page_subquery`, where the slice goes), else the query itself.

The query is read by rdflib's SPARQL parser (its algebra), not by looking at its text: only when a server has
cut an answer, so the ~0.5 s of importing rdflib is paid then, beside the pages' own round trips.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from erasmus_kg.query.binding import page_subquery, tokens


def unordered(query: str) -> str | None:
    """None when the rows of `query` (bound) have one order only at the level a slice cuts; else why not, as
    words that follow "since" in a message."""
    algebra, error = _parsed(_level(query))
    if error is not None:
        return f"its order cannot be read ({error})"
    return _unordered(algebra)


def _parsed(level: str) -> tuple[Any, str | None]:
    """rdflib's algebra of `level`, or the name of the error that its parser raised.

    Parsed in a thread of its own: pyparsing keeps exceptions raised while parsing (in its packrat cache), and
    through their tracebacks every frame of the stack they were raised in, with its local variables, until the
    garbage collector frees them in whatever thread it runs; a pyoxigraph result in the caller's frames may
    only be freed in the thread that made it (pyoxigraph raises an "unsendable" error otherwise)."""
    outcome: list[tuple[Any, str | None]] = []

    def parse() -> None:
        try:
            from rdflib.plugins.sparql.algebra import translateQuery
            from rdflib.plugins.sparql.parser import parseQuery

            outcome.append((translateQuery(parseQuery(level)).algebra, None))
        except Exception as exc:  # rdflib's parser raises its own exceptions (pyparsing's, and others)
            outcome.append((None, type(exc).__name__))

    worker = threading.Thread(target=parse, name="erasmus-kg-sparql-order", daemon=True)
    worker.start()
    worker.join()
    return outcome[0] if outcome else (None, "no result")


def _level(query: str) -> str:
    """The text of the level a slice cuts: the page subquery with the query's prologue, or the query."""
    page = page_subquery(query)
    if page is None:
        return query
    select = next(start for start, word in tokens(query) if word.upper() == "SELECT")
    opened, _, close = page
    return f"{query[:select]}{query[opened + 1 : close]}\n"


def _unordered(algebra: Any) -> str | None:
    if algebra.name != "SelectQuery":
        return "it is not a SELECT query"
    node = algebra.p
    while node.name in ("Slice", "Distinct", "Reduced"):
        node = node.p
    if node.name != "Project":  # pragma: no cover - rdflib's algebra of a SELECT has one
        return "its projection cannot be read"
    projected = list(node.PV)
    node = node.p
    if node.name != "OrderBy":
        return "it has no ORDER BY"
    keys = {_variable(condition) for condition in node.expr} - {None}
    node = node.p
    while node.name == "Extend":
        node = node.p
    if node.name == "AggregateJoin":
        group = node.p
        if group.expr is None:  # aggregates without GROUP BY: one row
            return None
        if any(not _is_variable(expr) for expr in group.expr):
            return "it groups by an expression"
        required = list(group.expr)
        pattern = group.p
        what = "group key"
    else:
        if not projected:  # pragma: no cover - SELECT * is projected as its variables
            return "it projects no variables"
        required = projected
        pattern = node
        what = "projected variable"
    constant = _constants(pattern)
    missing = [str(v) for v in required if v not in keys and v not in constant]
    if not missing:
        return None
    names = ", ".join(f"?{name}" for name in missing)
    return f"its ORDER BY does not sort by the {what}{'s' if len(missing) > 1 else ''} {names}"


def _variable(condition: Any) -> Any:
    """The variable an ORDER BY condition sorts by (None for an expression)."""
    expr = getattr(condition, "expr", condition) if not _is_variable(condition) else condition
    return expr if _is_variable(expr) else None


def _is_variable(value: Any) -> bool:
    from rdflib.term import Variable

    return isinstance(value, Variable)


def _constants(pattern: Any) -> set[Any]:
    """The variables that have one value in every solution of `pattern`, from its top-level VALUES blocks."""
    blocks = [block for block in _top_values(pattern) if block]
    constant: set[Any] = set()
    changed = True
    while changed:
        changed = False
        for rows in blocks:
            variables = set().union(*(row.keys() for row in rows))
            always = {v for v in variables if all(row.get(v) is not None for row in rows)}
            same = {v for v in always if len({row[v] for row in rows}) == 1}  # one value in every row
            chosen = any(len({row[v] for row in rows}) == len(rows) for v in always & (constant | same))
            found = always if chosen else same
            if not found <= constant:
                constant |= found
                changed = True
    return constant


def _top_values(pattern: Any) -> Iterator[list[dict[Any, Any]]]:
    """The rows of each VALUES block joined at the top of `pattern` (not in an OPTIONAL's right side, a UNION,
    a MINUS or a subquery)."""
    name = getattr(pattern, "name", None)
    if name == "ToMultiSet":
        inner = pattern.p
        if getattr(inner, "name", None) == "values":
            yield [dict(row) for row in inner.res]
    elif name == "Join":
        yield from _top_values(pattern.p1)
        yield from _top_values(pattern.p2)
    elif name == "LeftJoin":
        yield from _top_values(pattern.p1)
    elif name in ("Filter", "Extend"):
        yield from _top_values(pattern.p)
