"""Whole lists from the search index: the rows of a stored query that declares `index_rows`, for the embedded
store, without evaluating its SPARQL.

A list of the projects of a key action, of a programme or of the whole store shows for each project its
title, acronym and action, in list order. Oxigraph looks each of them up row by row, about 25 µs a lookup
with the string read back from its dictionary: 123,000 projects of KA2 took 12.8 s at 327,000 projects, of
which 3.3 s to find and sort them and 3 to 4 s for each column. The build's search index holds the same
values per project (`derived.search_index`: the list title, the acronyms, the project's own actions) in
each file's list order, so the whole list is one range of an index per file, merged: under a second for the
same rows. The action's name (its code, else its label in the list's language) is looked up once per
action, in the store, by one query: the labels are the store's, whatever graph gave them. So is the label of
the kind of a project's involvement of a country (`derived.involvement`), in the lists of a country.

The rows are the stored query's answer, not an approximation of it: tests/test_indexed_lists.py holds every
such query, every value of its parameter and both languages to the bytes its SPARQL gives on the embedded
store, and the writers to pyoxigraph's own CSV, TSV and JSON (`serialize`), hostile values included. Where
the SPARQL picks one of several values with SAMPLE (a project with two acronyms, or two actions), the index
gives the least (in code-point order), one of those SAMPLE may give. The SPARQL stays what `--show-query`
prints and what every other store runs (`--endpoint`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, BinaryIO, cast

import pyoxigraph as ox

from erasmus_kg.derived import organisation_lists
from erasmus_kg.derived.index_cells import kept_literal
from erasmus_kg.namespaces import EKG, SKOS, XSD, XSD_STRING
from erasmus_kg.query.binding import Term, values_block
from erasmus_kg.query.catalogue import StoredQuery

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.derived.search_index import SearchIndex
    from erasmus_kg.query.targets import Target

_DATE_COLUMNS = frozenset({"start", "end", "callYear"})
"""The values of `index_rows` that `SearchIndex.list_rows` reads only when asked for `dates`;
`_COUNTRY_COLUMNS` those it reads when asked for `countries`."""
_COUNTRY_COLUMNS = frozenset({"countryCount", "countryCodes"})

FORMATS = ("csv", "tsv", "json")
"""The formats the rows are written in here (the tables for people take the SPARQL's pages)."""

_SHORT_IN_TSV = frozenset(XSD + name for name in ("integer", "decimal", "double", "boolean"))
"""Datatypes that TSV may write in Turtle's short form (1, true): such a value is left to the SPARQL."""

Cell = str | ox.Literal | None
"""A value of a row: a string (an IRI in the IRI columns, else a literal of type xsd:string), any other
literal, or nothing (unbound). Plain strings, not pyoxigraph terms: making a term costs about a microsecond,
a list of 123,000 rows four times over."""


class IndexedSolutions:
    """The rows of a list from the index, held column by column, with the variables of the stored query and
    which of them hold IRIs: iterated as pyoxigraph's solutions are (`solution[variable]`, as terms), and
    written as pyoxigraph writes them (`serialize`)."""

    def __init__(
        self, variables: Sequence[str], columns: Sequence[Sequence[Cell]], iris: Sequence[str] = ()
    ) -> None:
        self.variables = [ox.Variable(name) for name in variables]
        self._names = list(variables)
        self._iris = [name in iris for name in variables]
        self.columns = columns
        self._length = len(columns[0]) if columns else 0

    @property
    def rows(self) -> Iterator[tuple[Cell, ...]]:
        return zip(*self.columns, strict=True)

    def __iter__(self) -> Iterator[dict[str, ox.NamedNode | ox.Literal | None]]:
        for row in self.rows:
            yield {
                name: _term(cell, iri) for name, cell, iri in zip(self._names, row, self._iris, strict=True)
            }

    def __len__(self) -> int:
        return self._length

    def _written(
        self, iri: Callable[[Cell], str], literal: Callable[[Cell], str], *, csv: bool = False
    ) -> Iterator[tuple[str, ...]]:
        """The rows, each cell written (`iri` for the IRI columns, `literal` for the others) column by
        column: a function mapped over a column runs at C speed between its calls. In CSV a column of
        strings that need no quotes (codes, acronyms, IRIs) is written as it is (`_plain`)."""
        written = [
            (_plain(column, quoted=not is_iri) if csv else None)
            or list(map(iri if is_iri else literal, column))
            for is_iri, column in zip(self._iris, self.columns, strict=True)
        ]
        return zip(*written, strict=True)

    def writable(self, fmt: str) -> bool:
        """Whether `serialize` writes every value exactly as pyoxigraph would in `fmt`."""
        if fmt != "tsv":
            return fmt in FORMATS
        return not any(
            isinstance(cell, ox.Literal)
            and cell.datatype.value in _SHORT_IN_TSV
            and not _canonical_integer(cell)
            for column in self.columns
            for cell in column
        )

    def serialize(self, out: BinaryIO, fmt: ox.QueryResultsFormat) -> None:
        """Write the rows in `fmt` (CSV, TSV or JSON), byte for byte as pyoxigraph writes such solutions."""
        if fmt == ox.QueryResultsFormat.CSV:
            lines = [",".join(self._names), *map(",".join, self._written(_csv_iri, _csv, csv=True)), ""]
            out.write("\r\n".join(lines).encode("utf-8"))
        elif fmt == ox.QueryResultsFormat.TSV:
            head = "\t".join(f"?{name}" for name in self._names)
            lines = [head, *map("\t".join, self._written(_tsv_iri, _tsv)), ""]
            out.write("\n".join(lines).encode("utf-8"))
        elif fmt == ox.QueryResultsFormat.JSON:
            head = json.dumps({"vars": self._names}, ensure_ascii=False, separators=(",", ":"))
            keys = [
                (n, json.dumps(name, ensure_ascii=False), iri)
                for n, (name, iri) in enumerate(zip(self._names, self._iris, strict=True))
            ]
            bindings = ",".join(
                "{"
                + ",".join([f"{key}:{_json(row[n], iri)}" for n, key, iri in keys if row[n] is not None])
                + "}"
                for row in self.rows
            )
            out.write(f'{{"head":{head},"results":{{"bindings":[{bindings}]}}}}'.encode())
        else:  # pragma: no cover - the CLI asks for these three only
            raise ValueError(f"cannot write {fmt}")


def list_solutions(
    query: StoredQuery,
    bindings: Mapping[str, list[Term]],
    lang: str,
    target: Target,
    limit: int | None,
    offset: int,
) -> IndexedSolutions | None:
    """The rows `offset`.. (at most `limit`; None: all) of `query` with these bindings, from the target's
    search index; None when they cannot come from there (the query declares no `index_rows`, the target has
    no search index, or the parameter has several values)."""
    page_index = query.page_index
    index: SearchIndex | None = getattr(target, "search", None)
    if not query.index_rows or page_index is None or index is None:
        return None
    value = None
    if page_index.param is not None:
        terms = bindings.get(page_index.param) or []
        if len(terms) != 1 or not isinstance(terms[0], ox.NamedNode | ox.Literal):
            return None
        value = terms[0].value  # an IRI, or a year as the index keeps it (four digits)
    kind = None if page_index.kind == "all" else page_index.kind
    if kind == organisation_lists.KIND:
        return _organisation_rows(query, value, lang, target, index, limit, offset)
    wanted = {what for _, what in query.index_rows}
    dates, countries = bool(wanted & _DATE_COLUMNS), bool(wanted & _COUNTRY_COLUMNS)
    listed = index.list_rows(
        kind, value, lang, limit=None if limit is None else offset + limit, dates=dates, countries=countries
    )
    if listed is None:
        return None
    rows = listed[offset:] if limit is None else listed[offset : offset + limit]
    values: dict[str, list[Cell]] = {  # each column whole: one comprehension a column, not a call a cell
        "project": [row[1] for row in rows],
        "title": [row[2] for row in rows],
        "acronym": [row[3] if row[4] is None else kept_literal(row[3], row[4]) for row in rows],
    }
    if "action" in wanted:
        combinations = {row[5] for row in rows}
        actions = {a for combination in combinations if combination for a in combination.split("\n")}
        named = _NamedActions(_action_names(target, actions, lang))
        values["action"] = [named.of(row[5]) for row in rows]
    if dates:
        values["start"] = [row[6] if row[7] is None else kept_literal(row[6], row[7]) for row in rows]
        values["end"] = [row[8] if row[9] is None else kept_literal(row[8], row[9]) for row in rows]
        values["callYear"] = [row[10] for row in rows]
    if countries:
        values["countryCount"] = [_integer(0 if row[12] is None else row[12]) for row in rows]
        values["countryCodes"] = ["" if row[13] is None else row[13] for row in rows]
    if "involvement" in wanted:
        kinds = _shown_labels(target, {row[11] for row in rows if row[11] is not None}, lang)
        values["involvement"] = [None if row[11] is None else kinds.get(row[11]) for row in rows]
    return _solutions(query, values, iris=("project",))


def _organisation_rows(
    query: StoredQuery,
    country: str | None,
    lang: str,
    target: Target,
    index: SearchIndex,
    limit: int | None,
    offset: int,
) -> IndexedSolutions | None:
    """The rows of a list of the organisations of a country (`OrganisationLists.list_rows`), the country's
    name looked up in the store."""
    if country is None or not index.organisations.available:
        return None
    listed = index.organisations.list_rows(country, lang, limit=None if limit is None else offset + limit)
    rows = listed[offset:] if limit is None else listed[offset : offset + limit]
    country_name = _shown_labels(target, {country}, lang).get(country)
    values: dict[str, list[Cell]] = {
        "organisation": [row[0] for row in rows],
        "name": [row[1] for row in rows],
        "country": [country] * len(rows),
        "countryName": [country_name] * len(rows),
        "kind": [row[2] for row in rows],
        "locality": [row[3] if row[4] is None else kept_literal(row[3], row[4]) for row in rows],
        "projects": [_integer(row[5]) for row in rows],
    }
    return _solutions(query, values, iris=("organisation", "country"))


def _solutions(
    query: StoredQuery, values: Mapping[str, list[Cell]], iris: tuple[str, ...]
) -> IndexedSolutions:
    """The query's variables (`index_rows`), in order, with the column of the value each maps to; those
    mapped to one of `iris` hold IRIs."""
    columns = [values[what] for _, what in query.index_rows]
    variables = [variable for variable, _ in query.index_rows]
    return IndexedSolutions(variables, columns, [v for v, what in query.index_rows if what in iris])


_INTEGER = ox.NamedNode(XSD + "integer")


@cache
def _integer(value: int) -> ox.Literal:
    """An xsd:integer cell (kept per value: a column of counts has a few dozen)."""
    return ox.Literal(str(value), datatype=_INTEGER)


class _NamedActions:
    """A project's action as its list shows it (COALESCE of code and label, SAMPLEd): the least code of its
    actions, else the least of their labels; None when they have neither. Kept per set of actions (a list
    has a few hundred)."""

    def __init__(self, names: Mapping[str, tuple[list[ox.Literal], list[ox.Literal]]]) -> None:
        self._names = names
        self._shown: dict[str | None, Cell] = {None: None}

    def of(self, actions: str | None) -> Cell:
        if actions not in self._shown:
            named = [self._names[a] for a in str(actions).split("\n") if a in self._names]
            codes = [code for found, _ in named for code in found]
            shown = codes or [label for _, found in named for label in found]
            least = min(shown, key=str) if shown else None
            self._shown[actions] = None if least is None else _cell(least)
        return self._shown[actions]


def _term(cell: Cell, iri: bool) -> ox.NamedNode | ox.Literal | None:
    if cell is None or isinstance(cell, ox.Literal):
        return cell
    return ox.NamedNode(cell) if iri else ox.Literal(cell)


_ACTION_NAMES = f"""PREFIX skos: <{SKOS}>
PREFIX ekg: <{EKG}>
SELECT ?action ?code ?label WHERE {{
%s
  OPTIONAL {{ ?action skos:notation ?code }}
  OPTIONAL {{ ?action ekg:%s ?label }}
}}"""


def _action_names(
    target: Target, actions: set[str], lang: str
) -> dict[str, tuple[list[ox.Literal], list[ox.Literal]]]:
    """Each action's codes (`skos:notation`) and shown labels in `lang` (`ekg:shownLabelNl/En`, derived), as
    the stored queries look them up; one query for them all, the actions bound as values."""
    if not actions:
        return {}
    from erasmus_kg.derived.positions import SHOWN_LABELS

    block = values_block({"action": [ox.NamedNode(a) for a in sorted(actions)]})
    results = target.query(_ACTION_NAMES % (block, SHOWN_LABELS[lang]))
    assert isinstance(results, ox.QuerySolutions)
    codes: dict[str, list[ox.Literal]] = {}
    labels: dict[str, list[ox.Literal]] = {}
    for solution in results:
        action, code, label = solution["action"], solution["code"], solution["label"]
        if not isinstance(action, ox.NamedNode):
            continue
        if isinstance(code, ox.Literal):
            codes.setdefault(action.value, []).append(code)
        if isinstance(label, ox.Literal):
            labels.setdefault(action.value, []).append(label)
    return {action: (codes.get(action, []), labels.get(action, [])) for action in actions}


_SHOWN_LABELS = f"""PREFIX ekg: <{EKG}>
SELECT ?node ?label WHERE {{
%s
  ?node ekg:%s ?label
}}"""


def _shown_labels(target: Target, nodes: set[str], lang: str) -> dict[str, Cell]:
    """Each node's shown label in `lang` (`ekg:shownLabelNl/En`, derived: one a node), as a cell; one query
    for them all, the nodes bound as values. A node without one has none in the result."""
    if not nodes:
        return {}
    from erasmus_kg.derived.positions import SHOWN_LABELS

    block = values_block({"node": [ox.NamedNode(n) for n in sorted(nodes)]})
    results = target.query(_SHOWN_LABELS % (block, SHOWN_LABELS[lang]))
    assert isinstance(results, ox.QuerySolutions)
    found: dict[str, Cell] = {}
    for node, label in results:
        if isinstance(node, ox.NamedNode) and isinstance(label, ox.Literal):
            found[node.value] = _cell(label)
    return found


def _cell(literal: ox.Literal) -> Cell:
    """A literal as a cell: a string as its value (a plain cell), any other literal as it is."""
    if literal.language is None and literal.datatype.value == XSD_STRING:
        return literal.value
    return literal


def _plain(column: Sequence[Cell], *, quoted: bool) -> list[str] | None:
    """The column as CSV writes it when every cell is a string (an IRI, or a literal that needs no quotes
    when `quoted`: one test of the whole column, not one a cell), an unbound cell as ""; None otherwise."""
    kinds = set(map(type, column))  # at C speed: a comprehension a column cost a tenth of a long list
    if not kinds <= {str, type(None)}:
        return None
    strings = cast("list[str]", [cell or "" for cell in column] if type(None) in kinds else list(column))
    if quoted:
        joined = "".join(strings)
        if '"' in joined or "," in joined or "\n" in joined or "\r" in joined:
            return None
    return strings


def _csv_iri(cell: Cell) -> str:
    return "" if cell is None else cell if isinstance(cell, str) else cell.value


def _csv(cell: Cell) -> str:
    if cell is None:
        return ""
    value = cell if isinstance(cell, str) else cell.value
    if '"' in value or "," in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_iri(cell: Cell) -> str:
    return "" if cell is None else f"<{cell if isinstance(cell, str) else cell.value}>"


def _canonical_integer(cell: ox.Literal) -> bool:
    """An xsd:integer in its canonical form (a count), which TSV writes as it is (`1`, `-3`)."""
    return cell.datatype.value == _INTEGER.value and _CANONICAL_INTEGER.fullmatch(cell.value) is not None


_CANONICAL_INTEGER = re.compile(r"0|-?[1-9][0-9]*")


def _tsv(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return '"' + cell.translate(_TSV_ESCAPES) + '"'
    if _canonical_integer(cell):
        return cell.value
    text = '"' + cell.value.translate(_TSV_ESCAPES) + '"'
    if cell.language is not None:
        return f"{text}@{cell.language}"
    datatype = cell.datatype.value
    return text if datatype == XSD_STRING else f"{text}^^<{datatype}>"


def _json(cell: Cell, iri: bool) -> str:
    if isinstance(cell, str):
        kind = "uri" if iri else "literal"
        return f'{{"type":"{kind}","value":' + json.dumps(cell, ensure_ascii=False) + "}"
    assert cell is not None
    text = '{"type":"literal","value":' + json.dumps(cell.value, ensure_ascii=False)
    if cell.language is not None:
        return text + ',"xml:lang":' + json.dumps(cell.language, ensure_ascii=False) + "}"
    datatype = cell.datatype.value
    return text + ("}" if datatype == XSD_STRING else ',"datatype":' + json.dumps(datatype) + "}")
