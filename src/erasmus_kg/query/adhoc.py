"""Ad hoc SPARQL (`erasmus-kg sparql`, `KnowledgeGraph.sparql`): the text as the user wrote it, with the
project's prefixes declared where it does not declare them itself, refused when it is an update, and its
syntax errors given with the line and column of the text as written.

Prefixes: every prefix of `namespaces.PREFIXES` that the query does not declare is declared on one line put
before it (a prefix the query declares keeps the query's own namespace); nothing in the query itself is
changed. That line shifts the parser's positions by one line, which `check_syntax` takes back.

pyoxigraph's parser says where it stopped (`error at LINE:COLUMN: expected ...`); an update sent to the
read-only `sparql` is told apart before it is parsed: after its prologue (BASE and PREFIX declarations) an
update starts with one of `UPDATE_KEYWORDS`, a query never does.
"""

from __future__ import annotations

import itertools
import re

import pyoxigraph as ox

from erasmus_kg.errors import InputFileError, one_line
from erasmus_kg.namespaces import PREFIXES
from erasmus_kg.query.binding import tokens

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
"""The words a SPARQL 1.1 Update operation starts with (after its prologue)."""

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_PREFIXED_NAME = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*)?:")


def prepare(text: str, origin: str, *, check_syntax: bool = True) -> str:
    """The text that runs for the ad hoc query `text` read from `origin` (a file name, `<stdin>`): with the
    project's prefixes it does not declare. InputFileError naming `origin` (line and column) when it is an
    update or, with `check_syntax` (the embedded store; another store may take syntax pyoxigraph does not),
    when pyoxigraph's parser refuses it."""
    refuse_update(text, origin)
    full, added = with_prefixes(text)
    if check_syntax:
        _check_syntax(full, added, text, origin)
    return full


def declared_prefixes(text: str) -> set[str]:
    """The prefixes the query's PREFIX declarations name ("" for the empty prefix `:`)."""
    words = [word for _, word in tokens(text)]
    return {
        name[:-1]
        for keyword, name in itertools.pairwise(words)
        if keyword.upper() == "PREFIX" and name.endswith(":")
    }


def with_prefixes(text: str) -> tuple[str, int]:
    """`text` after one line declaring each prefix of the project that it does not declare, and how many
    lines were put before it (0 or 1)."""
    declared = declared_prefixes(text)
    missing = [
        f"PREFIX {name}: <{namespace}>" for name, namespace in PREFIXES.items() if name not in declared
    ]
    if not missing:
        return text, 0
    return " ".join(missing) + "\n" + text, 1


QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
"""The words a SPARQL 1.1 query starts with (after its prologue): its form."""


def query_form(text: str) -> str:
    """The form of the query `text` (one of `QUERY_FORMS`), read from its first word after the prologue; ""
    when that word is none of them (an update, or not SPARQL)."""
    first = _first_word(text)
    word = first[1].upper() if first is not None else ""
    return word if word in QUERY_FORMS else ""


def refuse_update(text: str, origin: str) -> None:
    """InputFileError when `text` is a SPARQL update (its first word after the prologue is an update's)."""
    first = _first_word(text)
    if first is not None and first[1].upper() in UPDATE_KEYWORDS:
        start, word = first
        line, column = _position(text, start)
        raise InputFileError(
            origin,
            f"this is a SPARQL update ({word.upper()}), and erasmus-kg sparql only reads: it runs SELECT, "
            "ASK, CONSTRUCT and DESCRIBE queries (the store changes with load, import and remove)",
            line,
            column,
        )


def refuse_federation(text: str, origin: str) -> None:
    """InputFileError when `text` asks another SPARQL service (SERVICE): a public endpoint must not fetch
    addresses its callers name (pyoxigraph would send the HTTP request to any of them)."""
    for start, word in tokens(text):
        if word.upper() == "SERVICE":
            line, column = _position(text, start)
            raise InputFileError(
                origin,
                "SERVICE is not allowed here: this endpoint answers from its own graph and asks no other "
                "service (run federated queries with erasmus-kg sparql on your own machine)",
                line,
                column,
            )


def _first_word(text: str) -> tuple[int, str] | None:
    """The first token of `text` after its prologue (BASE and PREFIX declarations), with its position."""
    words = tokens(text)
    i = 0
    while i < len(words) and words[i][1].upper() in ("BASE", "PREFIX"):
        i += 3 if words[i][1].upper() == "PREFIX" else 2
    return words[i] if i < len(words) else None


def _check_syntax(full: str, added: int, text: str, origin: str) -> None:
    try:
        ox.Store().query(full)  # parsed at once; an empty store evaluates nothing until results are read
    except SyntaxError as exc:
        message = exc.msg
        match = _POSITION.match(message)
        if match is None:
            raise InputFileError(origin, f"not a valid SPARQL query: {one_line(message)}") from None
        line, column, detail = int(match[1]) - added, int(match[2]), match[3]
        unknown = _undeclared_prefix(text) if "Prefix not found" in detail else None
        if unknown is not None:  # at the name that uses it (the parser stops after it)
            prefix, (line, column) = unknown[0], _position(text, unknown[1])
            detail = (
                f"the prefix {prefix}: is not declared (and not one of erasmus-kg's: "
                f"{', '.join(PREFIXES)}); declare it with PREFIX {prefix}: <...>"
            )
        raise InputFileError(origin, f"not a valid SPARQL query: {one_line(detail)}", line, column) from None


def _undeclared_prefix(text: str) -> tuple[str, int] | None:
    """The first prefix a prefixed name of `text` uses that neither the query nor the project declares, and
    where that name starts."""
    known = declared_prefixes(text) | set(PREFIXES)
    for start, word in tokens(text):
        match = _PREFIXED_NAME.match(word)
        if match is not None and (match[1] or "") not in known:
            return match[1] or "", start
    return None


def _position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in characters) of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
