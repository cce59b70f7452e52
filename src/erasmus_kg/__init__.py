"""erasmus-kg: a knowledge graph of Erasmus+ projects.

The Python API (see `erasmus_kg.api`): `erasmus_kg.open()` gives a `KnowledgeGraph` over the embedded store.
Its names are imported on first use, so that `import erasmus_kg` (and the command line) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "EndpointError",
    "ErasmusKGError",
    "InputFileError",
    "KnowledgeGraph",
    "NotConformingError",
    "ParameterError",
    "StoreError",
    "UsageError",
    "__version__",
    "open",
]

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.api import KnowledgeGraph, open
    from erasmus_kg.errors import (
        EndpointError,
        ErasmusKGError,
        InputFileError,
        NotConformingError,
        ParameterError,
        StoreError,
        UsageError,
    )

_LAZY = {
    "KnowledgeGraph": "erasmus_kg.api",
    "open": "erasmus_kg.api",
    **dict.fromkeys(
        (
            "EndpointError",
            "ErasmusKGError",
            "InputFileError",
            "NotConformingError",
            "ParameterError",
            "StoreError",
            "UsageError",
        ),
        "erasmus_kg.errors",
    ),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'erasmus_kg' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
