"""The importers by kind: what `erasmus-kg import KIND FILE` and `import_file(KIND, ...)` accept."""

from __future__ import annotations

from erasmus_kg.errors import UsageError
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
