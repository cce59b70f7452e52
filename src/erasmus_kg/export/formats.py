"""`export`: the whole graph in one RDF format, streamed to a binary file.

- turtle, ntriples: the union of all graphs as one graph (set semantics: a triple in two graphs once),
  subject by subject with bounded memory (see `merged`), written by pyoxigraph's serializers with the
  project's prefixes; each subject's triples sorted.
- nquads, trig: the dataset as it is, each triple in its named graph, dumped by pyoxigraph.
- jsonld: the merged graph as compact JSON-LD with the published context (`--context link` refers to it by
  URL, `embed` copies it in); with `frame="project"` one nested node per project instead (a view, not a
  dump: see `framing`).

Every format is deterministic: the same store gives the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.export.context import (
    CONTEXT_URL,
    JsonLdContext,
    published_context,
    published_context_document,
)
from erasmus_kg.export.framing import ProjectFramer
from erasmus_kg.export.jsonld import DocumentWriter, NodeEncoder
from erasmus_kg.export.merged import merged_subjects, term_key
from erasmus_kg.export.selection import Quads, sources_only
from erasmus_kg.namespaces import PREFIXES

FORMATS = ("jsonld", "turtle", "ntriples", "nquads", "trig")
CONTEXT_MODES = ("link", "embed")
FRAMES = ("project",)
SUFFIXES = {
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".ttl": "turtle",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".trig": "trig",
}


def format_for_path(path: str | os.PathLike[str]) -> str | None:
    """The export format a file name asks for by its suffix (kg.jsonld: jsonld), or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def export(
    store: Quads,
    fmt: str,
    out: BinaryIO,
    *,
    context: str = "link",
    frame: str | None = None,
) -> int:
    """Write the graph of `store` to `out` in format `fmt`. Returns the number of subjects (merged formats
    and JSON-LD: node objects or projects) or 0 for the dataset formats, which pyoxigraph dumps in one call.
    """
    _check_options(fmt, context, frame)
    if fmt == "jsonld":
        return write_jsonld(store, out, context=context, frame=frame)
    if fmt in ("nquads", "trig"):
        rdf_format = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG
        store.dump(out, rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
        return 0
    counter = [0]
    rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
    ox.serialize(
        _merged_triples(store, counter), out, rdf_format, prefixes=PREFIXES if fmt == "turtle" else None
    )
    return counter[0]


def export_to_path(
    store: Quads, fmt: str, path: Path, *, context: str = "link", frame: str | None = None
) -> int:
    """`export` into the file `path`, atomically: a failure leaves no file (and an older file as it was)."""
    _check_options(fmt, context, frame)
    with atomic_output(path) as out:
        return export(store, fmt, out, context=context, frame=frame)


def write_jsonld(
    store: Quads,
    out: BinaryIO,
    *,
    context: str = "link",
    frame: str | None = None,
    jsonld_context: JsonLdContext | None = None,
    context_value: str | dict[str, Any] | None = None,
) -> int:
    """Compact JSON-LD. `jsonld_context`/`context_value` replace the published context (for tests)."""
    if jsonld_context is None:
        jsonld_context = published_context()
        context_value = CONTEXT_URL if context == "link" else published_context_document()["@context"]
    elif context_value is None:
        context_value = jsonld_context.definitions
    encoder = NodeEncoder(jsonld_context)
    with DocumentWriter(out, context_value) as writer:
        if frame == "project":  # what the sources say of each project, without the derived shortcuts
            sources = sources_only(store) if isinstance(store, ox.Store) else store
            for node in ProjectFramer(sources, encoder).projects():
                writer.write(node)
        else:
            for subject, pairs in merged_subjects(store):
                writer.write(encoder.node(subject, pairs))
    return writer.nodes


def _merged_triples(store: Quads, counter: list[int]) -> Iterator[ox.Triple]:
    for subject, pairs in merged_subjects(store):
        counter[0] += 1
        for predicate, obj in sorted(pairs, key=_pair_key):
            yield ox.Triple(subject, predicate, obj)


def _pair_key(pair: tuple[ox.NamedNode, object]) -> tuple[str, str]:
    return pair[0].value, term_key(pair[1])


def _check_options(fmt: str, context: str, frame: str | None) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if context not in CONTEXT_MODES:
        raise UsageError(f"unknown context mode {context!r} (one of {', '.join(CONTEXT_MODES)})")
    if frame is not None:
        if frame not in FRAMES:
            raise UsageError(f"unknown frame {frame!r} (one of {', '.join(FRAMES)})")
        if fmt != "jsonld":
            raise UsageError(f"--frame {frame} is a JSON-LD view: use it with --format jsonld")


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write here ({exc.strerror or exc})") from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
