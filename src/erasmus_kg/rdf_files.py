"""Reading RDF files: format detection, and every way a file can be unreadable mapped to one clear error.

Parsing itself is pyoxigraph's (fast, and its syntax errors carry the line); this module only turns its
errors and the operating system's into `InputFileError`s that name the file and the line.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.errors import InputFileError

_SUFFIXES: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
}

OX_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

QUAD_FORMATS = frozenset({"nquads", "trig"})


def rdf_format(path: Path, explicit: str | None = None) -> str:
    """The format name of an RDF file, from `explicit` or from its suffix (`.ttl`, `.nt`, `.nq`, ...)."""
    if explicit:
        if explicit not in OX_FORMATS:
            raise InputFileError(path, f"unknown RDF format {explicit!r} (one of {', '.join(OX_FORMATS)})")
        return explicit
    name = path.name.lower()
    if name.endswith(".gz"):
        raise InputFileError(path, "compressed files are not read directly: decompress it first")
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(_SUFFIXES))
        raise InputFileError(path, f"cannot tell the RDF format from the file name (known suffixes: {known})")
    return fmt


def check_readable(path: Path) -> Path:
    """Fail with a one-line error unless `path` is an existing, readable, non-empty regular file."""
    try:
        if not path.exists():
            raise InputFileError(path, "no such file")
        if path.is_dir():
            raise InputFileError(path, "is a directory, not a file")
        with path.open("rb") as handle:
            if not handle.read(1):
                raise InputFileError(path, "the file is empty")
    except PermissionError:
        raise InputFileError(path, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    return path


def syntax_error(path: Path, exc: Exception) -> InputFileError:
    """Turn a pyoxigraph SyntaxError (or a decoding error) into an InputFileError naming file and line."""
    if isinstance(exc, SyntaxError):
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        return InputFileError(path, f"syntax error: {message}", line=exc.lineno)
    if isinstance(exc, UnicodeDecodeError):
        return InputFileError(path, "is not UTF-8 text")
    if isinstance(exc, OSError):
        return InputFileError(path, exc.strerror or str(exc))
    return InputFileError(path, str(exc))
