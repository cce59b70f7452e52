"""Which text encoding a source file is in: UTF-8 or Windows-1252, found by reading the whole file, never
guessed.

The Commission publishes the ECHE list in Windows-1252 and the Project Results export in UTF-8, but a file
opened and saved again in a spreadsheet comes back in the other one. Read in the wrong encoding, a UTF-8 file
decodes "cleanly" as Windows-1252 into mojibake (`NIEDERÃ–STERREICH`), so the decision is made on the whole
file before any row is read:

1. a UTF-8 byte order mark, or a file that decodes as UTF-8 from its first byte to its last, is UTF-8 (no
   Windows-1252 text with a byte above 0x7F is also valid UTF-8 in practice: its accented letters would have
   to come in exactly the lead/continuation pairs UTF-8 prescribes);
2. otherwise, a file that decodes as Windows-1252 from first to last byte (it leaves five bytes undefined:
   0x81, 0x8D, 0x8F, 0x90, 0x9D) is Windows-1252;
3. anything else, and a UTF-16 or UTF-32 file (its byte order mark), is refused with the position of the first
   byte each encoding rejects.

What was found is returned (and recorded by the import), so a reader can see how the file was read.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from erasmus_kg.errors import InputFileError

_CHUNK = 1 << 20
_UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class TextEncoding:
    """How a file's text is to be read: `codec` for Python's `open`, `name` for people."""

    codec: str
    name: str


UTF_8 = TextEncoding("utf-8-sig", "UTF-8")
"""UTF-8, with or without a byte order mark (which is then not part of the first cell)."""
WINDOWS_1252 = TextEncoding("cp1252", "Windows-1252")


@dataclass(frozen=True)
class _BadByte:
    offset: int
    line: int
    value: int

    def describe(self) -> str:
        return f"byte 0x{self.value:02X} at line {self.line}, byte offset {self.offset}"


def detect_encoding(path: Path) -> TextEncoding:
    """UTF_8 or WINDOWS_1252, whichever decodes the whole file (UTF-8 first; see the module docstring);
    InputFileError naming the first bad byte (offset and line) of each when neither does."""
    try:
        with path.open("rb") as handle:
            start = handle.read(4)
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    if start.startswith(_UTF8_BOM):
        return UTF_8
    for bom, name in _WIDE_BOMS:
        if start.startswith(bom):
            raise InputFileError(
                path, f"is {name} text (its byte order mark): save it as UTF-8 or Windows-1252"
            )
    not_utf8 = _first_bad_byte(path, "utf-8")
    if not_utf8 is None:
        return UTF_8
    not_cp1252 = _first_bad_byte(path, "cp1252")
    if not_cp1252 is None:
        return WINDOWS_1252
    raise InputFileError(
        path,
        f"is neither UTF-8 text ({not_utf8.describe()}) nor Windows-1252 text ({not_cp1252.describe()})",
    )


def _first_bad_byte(path: Path, codec: str) -> _BadByte | None:
    """Where the file stops being `codec`, or None when it all decodes (read in chunks: bounded memory)."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    offset = 0
    try:
        with path.open("rb") as handle:
            while True:
                chunk = handle.read(_CHUNK)
                final = not chunk
                try:
                    decoder.decode(chunk, final=final)
                except UnicodeDecodeError as exc:
                    # exc.start is within this chunk's input together with what the decoder held back
                    held = len(exc.object) - len(chunk)
                    bad = offset - held + exc.start
                    return _BadByte(bad, _line_at(path, bad), _byte_at(path, bad))
                if final:
                    return None
                offset += len(chunk)
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None


def _line_at(path: Path, offset: int) -> int:
    """The line (1 for the first) that holds the byte at `offset`."""
    lines, done = 1, 0
    with path.open("rb") as handle:
        while done < offset:
            chunk = handle.read(min(_CHUNK, offset - done))
            if not chunk:
                break
            lines += chunk.count(b"\n")
            done += len(chunk)
    return lines


def _byte_at(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]
