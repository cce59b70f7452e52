"""Write SPARQL results as a table for people, or as the standard CSV, TSV and JSON result formats.

CSV, TSV and JSON are the W3C SPARQL 1.1 Query Results formats, written by pyoxigraph as the results stream
in. The table and Markdown formats show IRIs with the project's prefixes (project:adeigus) and literals by
their text.
"""

from __future__ import annotations

from typing import BinaryIO

import pyoxigraph as ox

from erasmus_kg.namespaces import compact

FORMATS = ("table", "csv", "tsv", "json", "markdown")

_STANDARD = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


def write_results(results: object, fmt: str, out: BinaryIO) -> int | None:
    """Write SELECT solutions, an ASK boolean or CONSTRUCT triples. Returns the number of rows if counted."""
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
    rows = [[cell_text(solution[v]) for v in variables] for solution in results]
    text = markdown(variables, rows) if fmt == "markdown" else table(variables, rows)
    out.write(text.encode("utf-8"))
    return len(rows)


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


def table(variables: list[str], rows: list[list[str]]) -> str:
    cells = [[_one_line(c) for c in row] for row in rows]
    widths = [max([len(v)] + [len(row[i]) for row in cells]) for i, v in enumerate(variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def markdown(variables: list[str], rows: list[list[str]]) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(_one_line(v).replace("|", "\\|") for v in values) + " |"

    out = [line(variables), "|" + "|".join(" --- " for _ in variables) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()) if any(ch in text for ch in "\n\r\t") else text
