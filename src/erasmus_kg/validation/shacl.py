"""Whole-graph SHACL runs with pySHACL: reading RDF files into a graph, the packaged shapes, and validating.

The data graph is the data together with the ontology and the country and language vocabularies, so that
`sh:class` follows `rdfs:subClassOf` and countries are checked against the country table. Large graphs (an
import) are validated batch by batch instead, with the same report (`batches`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import RDF, Dataset, Graph
from rdflib.namespace import SH

from erasmus_kg import resources
from erasmus_kg.errors import InputFileError
from erasmus_kg.rdf_files import QUAD_FORMATS, check_readable, rdf_format, syntax_error
from erasmus_kg.validation.report import ValidationResult, sort_key, violation

_RDFLIB_FORMATS = {
    "turtle": "ox-turtle",
    "ntriples": "ox-ntriples",
    "nquads": "ox-nquads",
    "trig": "ox-trig",
    "jsonld": "ox-json-ld",
    "rdfxml": "ox-xml",
}
"""Our format names -> the oxrdflib parsers (pyoxigraph's, behind rdflib's interface)."""


def read_graph(paths: Iterable[Path], graph: Graph | None = None) -> Graph:
    """Parse RDF files into one rdflib graph (named graphs merged). Errors name the file and the line."""
    graph = graph if graph is not None else Graph()
    for path in paths:
        check_readable(path)
        fmt = rdf_format(path)
        try:
            if fmt in QUAD_FORMATS:
                dataset = Dataset()
                dataset.parse(str(path), format=_RDFLIB_FORMATS[fmt])
                for s, p, o, _g in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
            else:
                graph.parse(str(path), format=_RDFLIB_FORMATS[fmt])
        except InputFileError:
            raise
        except Exception as exc:  # rdflib and pyoxigraph raise many kinds; each becomes one line
            raise syntax_error(path, exc) from None
    return graph


def default_data_files() -> list[Path]:
    """The ontology and the packaged data (vocabularies, countries, languages, the brochure's facts)."""
    return [resources.ontology_file(), *resources.data_files()]


def shapes_graph() -> Graph:
    """The packaged shapes (ontology/shapes.ttl)."""
    return read_graph([resources.shapes_file()])


def validate_files(files: Sequence[Path] | None = None) -> ValidationResult:
    """Validate the packaged data, together with the given files when there are any.

    A file is validated in the context of the ontology, the vocabularies and the packaged data, so that it
    may refer to their terms (a country, an action type, a brochure organisation).
    """
    files = list(files or [])
    for path in files:  # report an unreadable argument before any parsing work
        check_readable(path)
    packaged = default_data_files()
    given = {path.resolve() for path in files}
    data = read_graph([*files, *(f for f in packaged if f.resolve() not in given)])
    return validate_graph(data)


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    """pySHACL on `data` (SHACL Core, no inference) against `shapes` (default: the packaged shapes)."""
    from pyshacl import validate

    shapes = shapes if shapes is not None else shapes_graph()
    conforms, report, _text = validate(
        data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True, meta_shacl=False
    )
    assert isinstance(report, Graph)
    violations = sorted(
        (
            violation(report, data, result)
            for top in report.subjects(RDF.type, SH.ValidationReport)
            for result in report.objects(top, SH.result)
        ),
        key=sort_key,
    )
    return ValidationResult(bool(conforms), violations, report, len(data))
