"""The importers by kind: what `erasmus-kg import KIND FILE` and `import_file(KIND, ...)` accept."""

from __future__ import annotations

from pathlib import Path

from erasmus_kg.errors import InputFileError, UsageError
from erasmus_kg.importing.eche import CharterImporter
from erasmus_kg.importing.importer import Importer
from erasmus_kg.importing.prp import ProjectResultsImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer for importer in (ProjectResultsImporter, CharterImporter)
}
KINDS = tuple(IMPORTERS)


def importer_for(kind: str) -> type[Importer]:
    """The importer of `kind`; UsageError for a kind no importer has."""
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise UsageError(f"unknown import kind {kind!r} (one of {', '.join(KINDS)})") from None


def check_kind(kind: str, path: Path) -> None:
    """InputFileError `this looks like an ECHE list: use erasmus-kg import eche` when `path` is not a file of
    `kind` but starts with the header of another importer's source (read from the start of the file only,
    before anything else is done). A file that is no source's is left to its importer's own errors."""
    own = importer_for(kind)
    if own.recognises(path):
        return
    for other in IMPORTERS.values():
        if other is not own and other.recognises(path):
            hint = f"this looks like {other.describes}: use erasmus-kg import {other.kind}"
            raise InputFileError(path, hint)
