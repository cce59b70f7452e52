"""Shared by the import tests: the real export files, CSV writing in the export's layout, reading output."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.importing import prp

DATA = Path(__file__).resolve().parent / "data" / "imports"
SAMPLE = DATA / "ErasmusPlus_Projects_Overview_sample.csv"
ECHE = DATA / "destinations.csv"
EXPECTED = Path(__file__).resolve().parent / "expected_imports"

ID = "https://w3id.org/erasmus-kg/id/"
EKG = "https://w3id.org/erasmus-kg/ontology#"
VOCAB = "https://w3id.org/erasmus-kg/vocab/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RS_PROJECT = ID + "project/2017-1-RS01-KA101-000006"


def bench_generator():  # type: ignore[no-untyped-def]
    """bench/generate.py as a module (its `generate(path, projects, seed=...)` writes a synthetic export)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_generate", Path(__file__).resolve().parents[1] / "bench" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_rows() -> list[list[str]]:
    """The six data rows of the real sample (622 cells each)."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))[1:]


def write_export(path: Path, rows: list[list[str]]) -> Path:
    """A CSV in the export's layout (header, then the rows padded to 622 cells)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(prp.COLUMNS)
        for row in rows:
            writer.writerow(row + [""] * (len(prp.COLUMNS) - len(row)))
    return path


def set_cell(row: list[str], column: str, value: str) -> list[str]:
    """A copy of `row` with the cell of `column` (its header name) set."""
    row = list(row) + [""] * (len(prp.COLUMNS) - len(row))
    row[prp.COLUMNS.index(column)] = value
    return row


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def triples(path: Path) -> set[tuple[str, str, str]]:
    """The triples of an N-Quads file, as N-Triples term strings (graph names dropped)."""
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads(path)}


def objects(found: set[tuple[str, str, str]], subject: str, predicate: str) -> set[str]:
    return {o for s, p, o in found if s == f"<{subject}>" and p == f"<{predicate}>"}


def subjects(found: set[tuple[str, str, str]], predicate: str, obj: str) -> set[str]:
    return {s[1:-1] for s, p, o in found if p == f"<{predicate}>" and o == obj}
