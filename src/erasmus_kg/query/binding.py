"""Bind parameter values into a SPARQL query as a VALUES block of RDF terms.

Values are never pasted as text: each is a pyoxigraph term (an IRI checked by pyoxigraph, a literal whose
lexical form, language tag and datatype pyoxigraph validates) and is written with pyoxigraph's own
N-Triples serialisation, which escapes every character that could end the term. The block goes at the
start of the query's outermost group graph pattern (`WHERE {`), so that the values are in scope for every
pattern, FILTER and OPTIONAL of the query, as if they were bound before evaluation. A parameter that has no
value is bound to UNDEF (it stays unbound). The same text runs on the embedded store and on any SPARQL 1.1
endpoint, and is what `--show-query` prints.

`--limit` and `--offset` are applied the same way, as checked integers: `with_slice` appends `LIMIT n
OFFSET m` after the query's last solution modifier (its ORDER BY), or merges them with a LIMIT/OFFSET that is
already there.

A query that lists many rows may say where its page is cut: a subquery that follows a comment line starting
with `# page:` (see queries/README.md). The parameters are bound inside that subquery as well (a subquery does
not see the values bound outside it), and the slice goes at its end, so that a page is cut from a list of
integers before any title or label of it is looked up. Its rows must be the query's rows, one for one.
"""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from erasmus_kg.errors import UsageError, one_line

Term = ox.NamedNode | ox.Literal

MAX_SLICE = 2**63 - 1
"""The largest LIMIT or OFFSET (Oxigraph reads them as unsigned 64-bit integers; we stay within signed)."""

_PARAM_COMMENT = "# parameters bound by erasmus-kg"


Rows = tuple[tuple[str, ...], Sequence[tuple[Term, ...]]]
"""Variables and the rows of values they take together (not their cross product): a page's (project,
organisation) pairs."""


def values_block(bindings: Mapping[str, Sequence[Term]], rows: Rows | None = None) -> str:
    """A VALUES block binding each variable to one of its values (the rows are the cross product), and the
    variables of `rows` to one of those rows (the cross product with the others).

    An empty sequence binds the variable to UNDEF. A variable bound to a language-tagged literal (the
    candidate names of an exact lookup) gets a block of its own (the same rows): Virtuoso 7.2.5 matches
    nothing with a block of several variables and rows that holds one (queries/README.md, portable SPARQL).
    The other variables stay in one block, even of one row (which Virtuoso cannot always compile beside an
    OPTIONAL): Oxigraph starts from it, and a parameter in a block of its own made lists 10 to 1000 times
    slower.
    """
    together, seeds = rows if rows is not None else ((), [()])
    names = sorted(name for name in bindings if name not in together)
    if not names and not together:
        return ""
    tagged = [name for name in names if any(_is_tagged(term) for term in bindings[name])]
    groups = [*([name] for name in tagged), [name for name in names if name not in tagged]]
    blocks = [_block(group, bindings) for group in groups[:-1]]
    blocks.append(_block(groups[-1], bindings, together, seeds))
    return f"  {_PARAM_COMMENT}\n" + "".join(block for block in blocks if block)


def _block(
    names: Sequence[str],
    bindings: Mapping[str, Sequence[Term]],
    together: Sequence[str] = (),
    seeds: Sequence[tuple[Term, ...]] = ((),),
) -> str:
    if not names and not together:
        return ""
    rows: list[list[str]] = [[_term_text(t) for t in seed] for seed in seeds]
    for name in names:
        terms = [_term_text(t) for t in bindings[name]] or ["UNDEF"]
        rows = [[*row, term] for row in rows for term in terms]
    head = " ".join(f"?{_check_variable(n)}" for n in [*together, *names])
    body = "\n".join(f"    ({' '.join(row)})" for row in rows)
    return f"  VALUES ({head}) {{\n{body}\n  }}\n"


def _is_tagged(term: Term) -> bool:
    return isinstance(term, ox.Literal) and term.language is not None


PAGE_MARK = "# page:"
"""A comment line that starts with this text comes just before a query's page subquery."""


def bind(
    query: str,
    bindings: Mapping[str, Sequence[Term]],
    page: Mapping[str, Sequence[Term]] | None = None,
    page_rows: Rows | None = None,
) -> str:
    """The query with a VALUES block for `bindings` at the start of its outermost group (and of its page
    subquery's group, when it has one: a block for `page` and `page_rows` there when given)."""
    block = values_block(bindings)
    page_block = block if page is None and page_rows is None else values_block(page or {}, page_rows)
    if not block and not page_block:
        return query
    positions = [(outer_group_start(query), block)]
    if (found := page_subquery(query)) is not None:
        positions.append((found[1], page_block))
    for position, text in sorted(positions, reverse=True):
        if text:
            query = f"{query[:position]}\n{text}{query[position:]}"
    return query


def bind_page(
    query: str,
    bindings: Mapping[str, Sequence[Term]],
    variables: tuple[str, ...],
    rows: Sequence[tuple[Term, ...]],
) -> str:
    """The query bound by `bindings` and restricted to the page of `rows` (the nodes of its page subquery's
    `variables`: its projects or organisations, or (project, organisation) pairs): bound to them in its page
    subquery, in the same VALUES block as the parameters (Oxigraph then starts from the page's projects; from
    a block of its own it first evaluates the subquery's patterns for the parameters: 1.7 s instead of 2 ms
    for Germany at 327,000 projects), which keeps its ORDER BY. With the projects a LIMIT/OFFSET would have
    cut, in the same order, the rows are those of `with_slice`. No rows (a page past the end): no rows."""
    if page_subquery(query) is None:
        raise ValueError("the query has no page subquery to bind the page's projects in")
    page = [tuple(row) for row in rows] or [tuple(ox.NamedNode("urn:erasmus-kg:none") for _ in variables)]
    others = {name: terms for name, terms in bindings.items() if name not in variables}
    return bind(query, bindings, others, (variables, page))


@functools.lru_cache(maxsize=256)
def page_subquery(query: str) -> tuple[int, int, int] | None:
    """Where the page subquery is: the index of its `{`, the index just after the `{` of its WHERE clause and
    the index of its closing `}`; None when the query marks no page (`PAGE_MARK`). Remembered for the texts
    last asked about (a web front binds the same stored queries again and again; reading one costs 0.6 ms)."""
    if PAGE_MARK not in query:  # not even inside a literal: no need to read it
        return None
    words = iter(tokens(query, comments=True))
    if not any(word.startswith(PAGE_MARK) for _, word in words):
        return None
    opened = where = -1
    depth = 0
    for i, word in words:
        if word == "{":
            if opened < 0:
                opened = i
            else:
                depth += 1
                if where < 0:
                    where = i + 1
        elif word == "}" and opened >= 0:
            if depth == 0:
                if where < 0:
                    raise ValueError("the page subquery has no WHERE group")
                return opened, where, i
            depth -= 1
    raise ValueError(f"the query has a {PAGE_MARK!r} comment but no subquery after it")


def outer_group_start(query: str) -> int:
    """The index just after the `{` that opens the query's WHERE clause.

    A small lexer skips comments, string literals and IRIs, so that a `{` inside any of them is not taken
    for the group, and the template of a CONSTRUCT (the `{ ... }` right after the keyword). The stored
    queries keep expressions with `<` out of their SELECT clause, so an `<` before the group always opens an
    IRI.
    """
    i, n = 0, len(query)
    template = 0  # the depth of braces inside a CONSTRUCT template
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
            if template or query[:i].rstrip().upper().endswith("CONSTRUCT"):
                template += 1
            else:
                return i + 1
            i += 1
        elif c == "}" and template:
            template -= 1
            i += 1
        else:
            i += 1
    raise ValueError("the query has no group graph pattern ({ ... }) to bind parameters in")


def with_slice(query: str, limit: int | None = None, offset: int = 0) -> str:
    """The query restricted to `limit` rows (None: all) after the first `offset`, as its solution modifiers.

    The stored queries end with ORDER BY, so the slice is of ordered rows and the same on every run. When the
    query already ends with LIMIT and/or OFFSET (an internal query, an ad hoc one, a page already cut: at the
    end of its page subquery when it has one), the two slices are merged into one: the rows `offset`.. of the
    query's own rows, never beyond its own LIMIT. The text is checked by pyoxigraph's parser; a query that
    cannot take a slice at its end (a trailing VALUES clause) is a UsageError.
    """
    for name, value in (("limit", limit), ("offset", offset)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SLICE
        ):
            raise ValueError(f"{name} must be an integer from 0 to {MAX_SLICE}, not {value!r}")
    if limit is None and offset == 0:
        return query
    if (page := page_subquery(query)) is not None:
        close = page[2]
        cut, own_limit, own_offset = _trailing_slice(query[:close])
        limit, offset = _merged(limit, offset, own_limit, own_offset)
        return _checked(query, _slice_page(query, cut, close, limit, offset))
    cut, own_limit, own_offset = _trailing_slice(query)
    limit, offset = _merged(limit, offset, own_limit, own_offset)
    modifiers = (f"LIMIT {limit}" if limit is not None else "") + (
        f"{' ' if limit is not None else ''}OFFSET {offset}" if offset else ""
    )
    head = query[:cut].rstrip()
    return _checked(query, f"{head}\n{modifiers}\n" if modifiers else f"{head}\n")


def count_query(query: str) -> str | None:
    """A query that counts the rows of `query` (bound, without a slice) from its page subquery alone, whose
    rows are the query's rows one for one: `SELECT (COUNT(*) AS ?rows)` over it, with the query's prologue
    (its PREFIXes). None when the query has no page subquery. This is how a table on a terminal says how many
    rows there are in all without reading every row's titles and labels."""
    page = page_subquery(query)
    if page is None:
        return None
    select = next(start for start, word in tokens(query) if word.upper() == "SELECT")
    opened, _, close = page
    return f"{query[:select]}SELECT (COUNT(*) AS ?rows) WHERE {{\n  {query[opened : close + 1]}\n}}\n"


def _merged(limit: int | None, offset: int, own_limit: int | None, own_offset: int) -> tuple[int | None, int]:
    """The slice `limit`/`offset` of the rows a level's own LIMIT `own_limit` / OFFSET `own_offset` gives, as
    one LIMIT and OFFSET of that level's rows."""
    if own_limit is not None:
        remaining = max(own_limit - offset, 0)
        limit = remaining if limit is None else min(limit, remaining)
    offset += own_offset
    if offset > MAX_SLICE:
        raise UsageError(f"the offset {offset} is larger than {MAX_SLICE}")
    return limit, offset


def _slice_page(query: str, cut: int, close: int, limit: int | None, offset: int) -> str:
    """The query with LIMIT/OFFSET at the end of its page subquery (whose `}` is at `close`), in place of the
    slice it had from `cut` on."""
    modifiers = " ".join(
        ([f"LIMIT {limit}"] if limit is not None else []) + ([f"OFFSET {offset}"] if offset else [])
    )
    head = query[:cut].rstrip()
    return f"{head} {modifiers}\n  {query[close:]}"


def _checked(query: str, sliced: str) -> str:
    """`sliced`, the query with a slice added, once pyoxigraph's parser takes it."""
    empty = ox.Store()  # parses the text: an empty store answers at once, or raises SyntaxError
    try:
        empty.query(sliced)
    except SyntaxError as exc:
        try:
            empty.query(query)
        except SyntaxError as original:
            raise UsageError(f"the SPARQL query is not valid: {one_line(original.msg)}") from None
        raise UsageError(f"--limit/--offset cannot be added to this query: {one_line(exc.msg)}") from None
    return sliced


def _trailing_slice(query: str) -> tuple[int, int | None, int]:
    """Where the query's trailing LIMIT/OFFSET clauses begin (its length when there are none), with the
    values they give (None for no LIMIT, 0 for no OFFSET)."""
    last = deque(tokens(query), maxlen=4)
    found: dict[str, int] = {}
    cut = len(query)
    while len(last) >= 2:
        (start, keyword), (_, number) = last[-2], last[-1]
        keyword = keyword.upper()
        if keyword not in ("LIMIT", "OFFSET") or keyword in found or not _is_integer(number):
            break
        found[keyword] = int(number)
        cut = start
        last.pop()
        last.pop()
    return cut, found.get("LIMIT"), found.get("OFFSET", 0)


def tokens(query: str, *, comments: bool = False) -> Sequence[tuple[int, str]]:
    """The query's words (keywords, names, numbers) and other characters with their positions; a string or an
    IRI is one token ('""', '<>': their text does not matter here), a comment is left out unless `comments`
    (then it is one token, its text up to the end of the line). The one reader of SPARQL text's structure
    (here and in `adhoc`): never used to change what a query says, only to find where things are."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == "#":
            end = query.find("\n", i)
            end = n if end < 0 else end
            if comments:
                out.append((i, query[i:end]))
            i = end + 1
        elif c in "\"'":
            out.append((i, '""'))
            i = _skip_string(query, i)
        elif c == "<" and (end := _iri_end(query, i)) > 0:
            out.append((i, "<>"))
            i = end
        elif c.isalnum() or c in "_?$:":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] in "_?$:.-"):
                j += 1
            out.append((i, query[i:j].rstrip(".")))
            i = j
        else:
            out.append((i, c))
            i += 1
    return out


def _iri_end(query: str, i: int) -> int:
    """The index after the IRI that starts at `i` (an IRIREF has no spaces or `<"{}|^`\\`), or -1."""
    j = i + 1
    while j < len(query) and query[j] not in '<>"{}|^`\\' and query[j] > " ":
        j += 1
    return j + 1 if j < len(query) and query[j] == ">" else -1


def _is_integer(token: str) -> bool:
    return token.isascii() and token.isdigit()


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
