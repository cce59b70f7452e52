"""HTML rendering shared by the ontology documentation and, next, the web front."""

from erasmus_kg.html.rendering import (
    LANGUAGE_NAMES,
    LANGUAGES,
    STYLESHEET,
    by_language,
    copy_static,
    environment,
    render,
)

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "STYLESHEET",
    "by_language",
    "copy_static",
    "environment",
    "render",
]
