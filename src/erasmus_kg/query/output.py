"""Write SPARQL results as a table for people, or as the standard CSV, TSV and JSON result formats.

CSV, TSV and JSON are the W3C SPARQL 1.1 Query Results formats, written by pyoxigraph as the results stream
in. The table and Markdown formats show IRIs with the project's prefixes (project:adeigus) and literals by
their text.

The table can show one page of the rows (`page_size`, 50 by default on a terminal): it then reads every row
once, formats only the page, counts the others as it passes them, and ends with a line that gives the total
and the options that show more, in English or Dutch. Reading the rows once is cheaper than asking the store
for a COUNT besides, which would evaluate the whole query a second time.
"""

from __future__ import annotations

from itertools import islice
from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.namespaces import compact

FORMATS = ("table", "csv", "tsv", "json", "markdown")

_STANDARD = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


def write_results(
    results: object,
    fmt: str,
    out: BinaryIO,
    *,
    page_size: int | None = None,
    offset: int = 0,
    lang: str = "en",
    total: int | None = None,
) -> int | None:
    """Write SELECT solutions, an ASK boolean or CONSTRUCT triples. Returns the number of rows if counted.

    With `page_size`, the table shows that many rows and a line with the total; `offset` is the query's own
    OFFSET (the rows it skipped), so that the line numbers the rows as the user asked for them, and `lang`
    (nl or en) the language of that line, and `total`, when given, the number of rows from `offset` on (the
    results then hold only the page: see `binding.count_query`). The other formats always write every row
    they are given.
    """
    if isinstance(results, ox.QueryBoolean):
        if fmt == "json":
            results.serialize(out, _STANDARD[fmt])
            out.write(b"\n")
        else:
            out.write(b"true\n" if bool(results) else b"false\n")
        return None
    if isinstance(results, ox.QueryTriples):
        out.write(ox.serialize(results, format=ox.RdfFormat.N_TRIPLES) or b"")
        return None
    assert isinstance(results, ox.QuerySolutions)
    if fmt in _STANDARD:
        results.serialize(out, _STANDARD[fmt])
        if fmt == "json":
            out.write(b"\n")
        return None
    variables = [v.value for v in results.variables]
    if fmt == "table" and page_size is not None:
        solutions = iter(results)
        rows = [[cell_text(solution[v]) for v in variables] for solution in islice(solutions, page_size)]
        if total is None:
            total = len(rows) + sum(1 for _ in solutions)
        footer = page_line(len(rows), total, offset, lang)
        out.write(table(variables, rows, footer).encode("utf-8"))
        return total
    rows = [[cell_text(solution[v]) for v in variables] for solution in results]
    text = markdown(variables, rows) if fmt == "markdown" else table(variables, rows)
    out.write(text.encode("utf-8"))
    return len(rows)


def page_line(shown: int, total: int, offset: int = 0, lang: str = "en") -> str | None:
    """The line under one page of a table: which rows it shows of how many, and how to see the others.

    `total` counts the rows from `offset` on (those the query returned). None when the page is all of them.
    """
    if shown == total and offset == 0:
        return None
    dutch = lang == "nl"

    def number(n: int) -> str:
        return f"{n:,}".replace(",", ".") if dutch else f"{n:,}"

    if shown == 0:
        if dutch:
            return f"Geen rijen na rij {number(offset)} (--offset {offset})."
        return f"No rows after row {number(offset)} (--offset {offset})."
    first, last, of = number(offset + 1), number(offset + shown), number(offset + total)
    if shown == total:
        return f"Rijen {first}-{last} van {of}." if dutch else f"Showing rows {first}-{last} of {of}."
    more = offset + shown
    if dutch:
        return f"Rijen {first}-{last} van {of}. Meer: --offset {more}, of alle: --limit 0 / --format csv"
    return f"Showing rows {first}-{last} of {of}. See more: --offset {more}, or all: --limit 0 / --format csv"


def cell_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) or term.value
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def table(variables: list[str], rows: list[list[str]], footer: str | None = None) -> str:
    """Aligned columns, and `footer` (by default the number of rows) as the last line."""
    cells = [[_one_line(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(footer or f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def markdown(variables: list[str], rows: list[list[str]]) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(_one_line(v).replace("|", "\\|") for v in values) + " |"

    out = [line(variables), "|" + "|".join(" --- " for _ in variables) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()) if any(ch in text for ch in "\n\r\t") else text
