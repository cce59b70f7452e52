"""Exporting the graph: RDF formats streamed from the store, compact and framed JSON-LD."""

from erasmus_kg.export.context import CONTEXT_URL, JsonLdContext, context_file, published_context
from erasmus_kg.export.formats import (
    CONTEXT_MODES,
    FORMATS,
    FRAMES,
    SUFFIXES,
    export,
    export_to_path,
    format_for_path,
    write_jsonld,
)
from erasmus_kg.export.selection import GraphSelection, Quads, sources_only

__all__ = [
    "CONTEXT_MODES",
    "CONTEXT_URL",
    "FORMATS",
    "FRAMES",
    "SUFFIXES",
    "GraphSelection",
    "JsonLdContext",
    "Quads",
    "context_file",
    "export",
    "export_to_path",
    "format_for_path",
    "published_context",
    "sources_only",
    "write_jsonld",
]
