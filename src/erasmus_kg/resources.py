"""Where the packaged ontology, data and queries are.

An installed wheel carries them as `erasmus_kg/resources/{ontology,data,queries}`; a source checkout (an
editable install, or the tests run from the repository) has them at the top of the repository. Paths never
depend on the working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_root() -> Path:
    packaged = _PACKAGE_DIR / "resources"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "ontology").is_dir() and (checkout / "queries").is_dir():
        return checkout
    raise RuntimeError(f"erasmus-kg resources not found beside {_PACKAGE_DIR}")  # a broken install


def ontology_dir() -> Path:
    return resource_root() / "ontology"


def data_dir() -> Path:
    return resource_root() / "data"


def queries_dir() -> Path:
    return resource_root() / "queries"


def ontology_file() -> Path:
    return ontology_dir() / "erasmus-kg.ttl"


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def countries_file() -> Path:
    return data_dir() / "countries.ttl"


def data_files() -> list[Path]:
    """The packaged instance data: every Turtle file under data/, countries included, sorted."""
    return sorted(data_dir().glob("*.ttl"))
