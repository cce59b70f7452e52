"""`erasmus-kg load FILE`, validated: the files against the shapes first, then the store's load.

The files are validated together with the packaged data, exactly as `erasmus-kg validate FILE ...` validates
them (`shacl.validate_files`), before `store.loading.load_files` makes the new build; a file that does not
conform is refused (`LoadRefused`, exit 1) and nothing is written. It lives here, not in `store/`, because the
store knows nothing of validation (tests/test_import_graph.py).
"""

from __future__ import annotations

from pathlib import Path

from erasmus_kg.errors import NotConformingError
from erasmus_kg.progress import step
from erasmus_kg.store.builds import BuildInfo
from erasmus_kg.store.loading import load_files
from erasmus_kg.validation.report import ValidationResult
from erasmus_kg.validation.shacl import validate_files


class LoadRefused(NotConformingError):
    """The files to load do not conform to the shapes (exit 1); `validation` holds the report."""

    def __init__(self, files: list[Path], validation: ValidationResult) -> None:
        self.files = files
        self.validation = validation
        names = ", ".join(str(path) for path in files)
        super().__init__(f"{names}: does not conform to the shapes; nothing was loaded.\n{validation.text()}")


def load_validated(
    root: Path | None, files: list[Path], graph: str | None = None, *, validate: bool = True
) -> BuildInfo:
    """`load_files(root, files, graph)` once `files` conform to the shapes (with `validate`; without files
    there is nothing to validate: the store is only brought up to date)."""
    if validate and files:
        with step("validating against the shapes"):  # a cross on the terminal when they do not conform
            result = validate_files(files)
            if not result.conforms:
                raise LoadRefused(files, result)
    return load_files(root, files, graph)
