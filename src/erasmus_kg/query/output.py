"""Write SPARQL results as a table for people, or as the standard CSV, TSV and JSON result formats.

CSV, TSV and JSON are the W3C SPARQL 1.1 Query Results formats, written by pyoxigraph as the results stream
in: the variable names as headers and every value exactly as in the graph. The table and Markdown formats are
for people: the columns are headed in the chosen language (a stored query's `columns`), IRIs are shown with
the project's prefixes (project:adeigus) and dates, durations and numbers as people write them (`display`).

The table fits the width it is given (`table_width`: the terminal's, or COLUMNS): rich wraps long cells at
spaces and folds long words such as IRIs over several lines, so nothing is cut. In rows that begin with the
same values as the row above (the facts of one project, one action type under two parents), those leading
cells are left blank. Drawing costs about 0.3 ms per row of five columns (rich measures and wraps every
cell; measured 2026-12-02): 15 ms for a page of 50 rows, 3 s for 10,000 rows, for which CSV is the format.

A table whose columns cannot all have a readable width (`READABLE_WIDTH` characters, or less where a column's
widest cell is narrower) is written one record per block instead, as `psql -x` and `mysql --vertical` do: a
line `-[ rij 3 ]---` (`row 3`), then one line per column, its heading and its value, the value wrapped and
folded in the width left beside the headings. Squeezing six columns into 80 characters gave columns of 9 to
14 characters and a project's description a hundred lines; giving rich columns a minimum width instead made
the table wider than the terminal. In a record, the leading cells that repeat the record above are left out
(as they are left blank in a table), and so are empty cells.

The table can show one page of the rows (`page_size`, 50 by default on a terminal): it then reads every row
once, formats only the page, counts the others as it passes them, and ends with a line that gives the total
and the options that show more, in English or Dutch. Reading the rows once is cheaper than asking the store
for a COUNT besides, which would evaluate the whole query a second time.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, TextIO, runtime_checkable

import pyoxigraph as ox

if TYPE_CHECKING:  # rich is imported when a table is drawn
    from rich.console import Console

FORMATS = ("table", "csv", "tsv", "json", "markdown")


@runtime_checkable
class Solutions(Protocol):
    """SELECT solutions as `write_results` reads them: pyoxigraph's, or a list's rows from the search index
    (`indexed_lists.IndexedSolutions`)."""

    @property
    def variables(self) -> list[ox.Variable]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def serialize(self, output: BinaryIO, format: ox.QueryResultsFormat) -> None: ...


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
    headings: Mapping[str, str] | None = None,
    width: int | None = None,
) -> int | None:
    """Write SELECT solutions, an ASK boolean or CONSTRUCT triples. Returns the number of rows if counted.

    With `page_size`, the table shows that many rows and a line with the total; `offset` is the query's own
    OFFSET (the rows it skipped), so that the line numbers the rows as the user asked for them, and `lang`
    (nl or en) the language of that line and of the values, and `total`, when given, the number of rows from
    `offset` on (the results then hold only the page: see `binding.count_query`). The other formats always
    write every row they are given. `headings` heads the table's and Markdown's columns (by variable; a
    variable without one is headed by its name); `width` is the table's width in characters (None: no limit).
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
    assert isinstance(results, Solutions)
    solutions = results
    if fmt in _STANDARD:
        solutions.serialize(out, _STANDARD[fmt])
        if fmt == "json":
            out.write(b"\n")
        return None
    from erasmus_kg.query.display import term_text  # tables only: CSV, TSV and JSON need none of it

    variables = [v.value for v in solutions.variables]
    heads = [(headings or {}).get(v, v) for v in variables]
    if fmt == "table" and page_size is not None:
        remaining = iter(solutions)
        rows = [
            [term_text(solution[v], lang) for v in variables] for solution in islice(remaining, page_size)
        ]
        if total is None:
            total = len(rows) + sum(1 for _ in remaining)
        footer = page_line(len(rows), total, offset, lang)
        out.write(table(heads, rows, footer, width=width, lang=lang).encode("utf-8"))
        return total
    rows = [[term_text(solution[v], lang) for v in variables] for solution in solutions]
    text = markdown(heads, rows) if fmt == "markdown" else table(heads, rows, width=width, lang=lang)
    out.write(text.encode("utf-8"))
    return len(rows)


def table_width(stream: TextIO) -> int | None:
    """The width of a table written to `stream`: COLUMNS when it is set (to a terminal or not), else the
    terminal's width, else no limit (a table sent to a file or a pipe keeps one line per row, for grep)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return None
    if not terminal:
        return None
    import shutil

    return shutil.get_terminal_size().columns


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


def row_count_line(count: int, lang: str = "en") -> str:
    """The last line of a whole table: `(20 rows)`, in Dutch `(20 rijen)`."""
    if lang == "nl":
        return f"({count:,} {'rij' if count == 1 else 'rijen'})".replace(",", ".")
    return f"({count:,} {'row' if count == 1 else 'rows'})"


def table(
    headings: list[str],
    rows: list[list[str]],
    footer: str | None = None,
    *,
    width: int | None = None,
    lang: str = "en",
) -> str:
    """Columns under `headings`, at most `width` characters wide (None: no limit), with the leading cells that
    repeat the row above left blank, and `footer` (by default the number of rows) as the last line."""
    from rich.box import Box
    from rich.table import Table
    from rich.text import Text

    shown = blank_repeats([[_one_line(c) for c in row] for row in rows])
    if width and not fits(headings, shown, width):
        return records(headings, shown, footer or row_count_line(len(rows), lang), width=width, lang=lang)
    # No edges; under the headings a line of dashes; columns two spaces apart (one of padding, one divider).
    lines = Box("    \n    \n -  \n    \n    \n    \n    \n    \n", ascii=True)
    grid = Table(
        box=lines, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0), header_style="", highlight=False
    )
    for heading, fixed in zip(headings, _unbroken_widths(headings, shown, width), strict=True):
        grid.add_column(Text(heading), overflow="fold", width=fixed)
    for row in shown:
        grid.add_row(*(Text(cell) for cell in row))
    buffer = io.StringIO()
    _console(buffer, width).print(grid)
    text = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join([*text, *_footer_lines(footer or row_count_line(len(rows), lang), width)]) + "\n"


READABLE_WIDTH = 20
"""The narrowest a column of a table may be made (unless its widest cell is narrower): at 20 characters a
title or a description wraps to two or three words a line; below it `records` are shown instead."""


def fits(headings: list[str], rows: list[list[str]], width: int) -> bool:
    """Whether a table of `rows` can give every column a readable width within `width` characters: its
    natural width (its widest cell or heading) or `READABLE_WIDTH`, whichever is less, and two characters
    between columns."""
    from rich.cells import cell_len

    natural = [max([cell_len(h)] + [cell_len(row[i]) for row in rows]) for i, h in enumerate(headings)]
    return sum(min(n, READABLE_WIDTH) for n in natural) + 2 * (len(headings) - 1) <= width


def records(headings: list[str], rows: list[list[str]], footer: str, *, width: int, lang: str = "en") -> str:
    """`rows` (with the repeated leading cells blank, see `blank_repeats`) one record per block within
    `width` characters: a line naming the record, then `heading: value` for each cell that is not blank, the
    values wrapped at spaces and long words folded beside the headings; `footer` last."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    word = "rij" if lang == "nl" else "row"
    labels = [f"{h}:" for h in headings]
    label_width = min(max(cell_len(label) for label in labels), max(width // 3, 1))
    buffer = io.StringIO()
    console = _console(buffer, width)
    for n, row in enumerate(rows, start=1):
        mark = f"-[ {word} {n} ]"
        buffer.write(mark + "-" * max(width - len(mark), 0) + "\n")
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=label_width, overflow="fold")
        grid.add_column(overflow="fold")
        for label, cell in zip(labels, row, strict=True):
            if cell:
                grid.add_row(Text(label), Text(cell))
        console.print(grid)
    text = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join([*text, *_footer_lines(footer, width)]) + "\n"


def _console(file: io.StringIO, width: int | None) -> Console:
    from rich.console import Console

    return Console(
        file=file,
        width=width or _NO_LIMIT,
        color_system=None,
        force_terminal=False,
        force_jupyter=False,
        force_interactive=False,
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _footer_lines(footer: str, width: int | None) -> list[str]:
    if width and len(footer) > width:
        import textwrap

        return textwrap.wrap(footer, width, break_long_words=False, break_on_hyphens=False)
    return [footer]


def _unbroken_widths(headings: list[str], rows: list[list[str]], width: int | None) -> list[int | None]:
    """The width of each column of single words (IRIs, codes) in a table too wide for `width`, when those
    columns take at most two thirds of it; None for the others. rich narrows the widest columns first and
    would fold `project:adeigus` while a title beside it has spaces to wrap at; a column given a width is
    left as it is unless nothing else fits."""
    from rich.cells import cell_len

    natural = [max([cell_len(h)] + [cell_len(row[i]) for row in rows]) for i, h in enumerate(headings)]
    room = (width or _NO_LIMIT) - 2 * (len(headings) - 1)
    if sum(natural) <= room:
        return [None] * len(headings)
    unbroken = [not any(" " in row[i] for row in rows) for i in range(len(headings))]
    if sum(w for w, u in zip(natural, unbroken, strict=True) if u) > room * 2 // 3:
        return [None] * len(headings)
    return [w if u else None for w, u in zip(natural, unbroken, strict=True)]


_NO_LIMIT = 1_000_000
"""The width rich is given for a table without a limit: wider than any line it draws."""


def blank_repeats(rows: list[list[str]]) -> list[list[str]]:
    """The rows with each leading cell that repeats the cell above (and whose cells to the left do so too)
    made blank: a group of rows shows what it has in common once. The last cell is always shown."""
    shown = []
    previous: list[str] | None = None
    for row in rows:
        same = 0
        if previous is not None:
            while same < len(row) - 1 and row[same] == previous[same]:
                same += 1
        shown.append([""] * same + row[same:])
        previous = row
    return shown


def markdown(variables: list[str], rows: list[list[str]]) -> str:
    def line(values: list[str]) -> str:
        return "| " + " | ".join(_one_line(v).replace("|", "\\|") for v in values) + " |"

    out = [line(variables), "|" + "|".join(" --- " for _ in variables) + "|"]
    out += [line(row) for row in rows]
    return "\n".join(out) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split()) if any(ch in text for ch in "\n\r\t") else text
