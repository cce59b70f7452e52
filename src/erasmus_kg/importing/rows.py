"""The rows of a source file: reading a CSV file row by row with its errors mapped to `FILE:ROW: message`
(`read_csv`), and what is wrong with one row (`Problem`, `BadRow`).

Rows are numbered as a spreadsheet numbers them: the first line of the file is row 1.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from erasmus_kg.errors import InputFileError
from erasmus_kg.importing.encoding import TextEncoding

Row = tuple[int, list[str]]
"""A data row of a source file: its number as a spreadsheet shows it and its cells."""

_FIELD_SIZE_LIMIT = 1 << 28
"""Bytes a cell may hold (csv's default, 128 KiB, is less than some project summaries)."""


@dataclass(frozen=True)
class CsvLayout:
    """How a source writes its CSV files (the encoding is found per file: `encoding.detect_encoding`)."""

    delimiter: str = ","
    skip_blank_rows: bool = False
    """Leave out blank rows, before the header and after it. Otherwise the header is the first row and a
    blank row is a row of empty cells."""
    first_data_row: int = 1
    """The first row that can hold data, where the layout fixes it (the Project Results export's header is
    always row 1, so 2): an error found while reading the header is reported at this row, not before it."""


def read_csv(
    path: Path,
    layout: CsvLayout,
    encoding: TextEncoding,
    check_header: Callable[[list[str] | None, int], None],
) -> Iterator[Row]:
    """(row number, cells) for each data row of a CSV file in `encoding` (as `detect_encoding` found it).

    The header (the first row, or the first that is not blank) is given to `check_header` with its row
    number, None when the file has no row; it raises InputFileError when the header is not the expected
    one. A file that cannot be decoded or parsed raises InputFileError naming the row after the last one
    read (the decoder reads ahead, so the bad bytes may be a few rows further).
    """
    csv.field_size_limit(_FIELD_SIZE_LIMIT)
    number = 0
    try:
        with path.open(encoding=encoding.codec, newline="") as handle:
            reader = csv.reader(handle, delimiter=layout.delimiter)
            header = None
            for number, cells in enumerate(reader, start=1):  # noqa: B007 - used after the loop
                if layout.skip_blank_rows and not any(cell.strip() for cell in cells):
                    continue
                header = cells
                break
            header_row = number
            check_header(header, header_row)
            for number, cells in enumerate(reader, start=header_row + 1):
                if layout.skip_blank_rows and not any(cell.strip() for cell in cells):
                    continue
                yield number, cells
    except UnicodeDecodeError:  # the file changed after its encoding was found
        raise InputFileError(path, f"is not {encoding.name} text", _row(number, layout)) from None
    except csv.Error as exc:
        raise InputFileError(path, f"not a readable CSV file ({exc})", _row(number, layout)) from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None


def header_cells(path: Path, layout: CsvLayout) -> list[str] | None:
    """The cells of the file's first row that is not blank, for telling which source a file is from (see
    `registry.check_kind`); None when the file has no such row in its first MiB.

    Cheap: only the start of the file is read, decoded as Windows-1252 after a UTF-8 byte order mark is
    dropped (headers are ASCII, and any byte decodes: what is not ASCII only has to differ from them)."""
    try:
        with path.open("rb") as handle:
            start = handle.read(_HEADER_BYTES)
    except OSError:
        return None
    text = start.removeprefix(codecs.BOM_UTF8).decode("cp1252", errors="replace")
    for line in text.splitlines():
        if line.strip(" \t;,"):
            return next(csv.reader([line], delimiter=layout.delimiter), None)
    return None


_HEADER_BYTES = 1 << 20


def _row(last_read: int, layout: CsvLayout) -> int:
    return max(last_read + 1, layout.first_data_row)


@dataclass(frozen=True)
class Problem:
    """One bad cell: the row as a spreadsheet numbers it (the header is row 1), the column, what is wrong."""

    row: int
    column: str
    message: str

    def line(self, path: Path) -> str:
        """`FILE:ROW: column 'NAME': message`."""
        return f"{path}:{self.row}: column '{self.column}': {self.message}"


@dataclass
class BadRow(Exception):
    """A row that cannot be imported; `problems` names every bad cell."""

    problems: list[Problem] = field(default_factory=list)


def clean(value: object) -> str:
    """A cell as text without surrounding whitespace ("" for an empty cell)."""
    if value is None:
        return ""
    return str(value).strip()
