"""The screen flags every focus node that pySHACL reports (so the batched report stays pySHACL's), and flags
nothing on valid data (so valid imports never reach pySHACL).

Three sources of invalid data: every invalid fixture (its header names the foci pySHACL reports, which
tests/test_shapes.py holds exact), imports broken on purpose (tests/test_batch_validation.py compares their
batched report with pySHACL's on the whole graph), and hypothesis mutations of a real import batch, each
checked against pySHACL on the same batch.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from erasmus_kg.importing.run import import_file
from erasmus_kg.validation import batches as batch_validation
from erasmus_kg.validation.context import packaged_context
from erasmus_kg.validation.screen import Screen, packaged_screen
from erasmus_kg.validation.screen.literals import (
    XSD,
    _rdflib_reading,
    compare,
    datatype_ok,
    literal_parts,
    text_of,
)
from erasmus_kg.validation.shacl import default_data_files, shapes_graph

from .budget import examples
from .import_helpers import SAMPLE
from .test_shapes import INVALID, VALID, read_expectations


def n_triples(paths: list[Path]) -> str:
    return "".join(
        f"{t.subject} {t.predicate} {t.object} .\n"
        for path in paths
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    )


@cache
def packaged_text() -> str:
    return n_triples(default_data_files())


@cache
def whole_graph_screen() -> Screen:
    """The screen with no context: the data given to `suspects` is the whole graph."""
    return Screen.from_graphs(shapes_graph(), "")


# ------------------------------------------------------------------------------------------------------------
# The fixtures


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_the_screen_flags_every_focus_of_an_invalid_fixture(path: Path) -> None:
    expected = {e.focus for e in read_expectations(path)}
    suspects = whole_graph_screen().suspects(packaged_text() + n_triples([path]))
    assert expected <= suspects
    assert suspects == expected  # and, on the fixtures, nothing else (pySHACL reports exactly `expected`)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_the_screen_flags_nothing_in_a_valid_fixture(path: Path) -> None:
    assert whole_graph_screen().suspects(packaged_text() + n_triples([path])) == set()


def test_the_packaged_data_is_not_flagged() -> None:
    assert whole_graph_screen().suspects(packaged_text()) == set()


def test_a_screen_without_the_datatype_checks_misses_fixtures() -> None:
    """The fixture test above can fail: a screen compiled without sh:datatype misses datatype violations."""
    weakened = Graph()
    for triple in shapes_graph():
        if triple[1] != URIRef("http://www.w3.org/ns/shacl#datatype"):
            weakened.add(triple)
    screen = Screen.from_graphs(weakened, "")
    missed = [
        path.name
        for path in INVALID
        if not {e.focus for e in read_expectations(path)}
        <= screen.suspects(packaged_text() + n_triples([path]))
    ]
    assert "project-title-without-language.ttl" in missed
    assert len(missed) >= 10


def test_an_unknown_constraint_leaves_every_target_to_pyshacl() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:equals <urn:q> ] .
        """,
        format="turtle",
    )
    screen = Screen.from_graphs(shapes, "")
    data = "<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <urn:C> .\n<urn:b> <urn:p> <urn:x> .\n"
    assert screen.suspects(data) == {"urn:a"}


def test_another_sparql_constraint_is_left_to_pyshacl() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetSubjectsOf <urn:p> ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this <urn:p> ?x }" ] .
        """,
        format="turtle",
    )
    assert Screen.from_graphs(shapes, "").suspects("<urn:a> <urn:p> <urn:b> .\n") == {"urn:a"}


# ------------------------------------------------------------------------------------------------------------
# Mutated import batches, against pySHACL on the same batch


@cache
def sample_batch() -> tuple[str, ...]:
    """The lines of the sample export's import as one batch (N-Triples), focus: every IRI subject."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sample.nt"
        import_file("prp", SAMPLE, output=out, validate=False)
        return tuple(
            f"{q.subject} {q.predicate} {q.object} .\n"
            for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)
        )


def pyshacl_foci(text: str, focus: set[str]) -> set[str]:
    """The focus nodes pySHACL reports on the batch `text` with the packaged context."""
    from rdflib.namespace import SH

    data = Graph()
    data.parse(data=packaged_context(), format="ox-ntriples")
    data.parse(data=text.encode("utf-8"), format="ox-ntriples")
    report = batch_validation.run_pyshacl(data, {URIRef(f) for f in focus})
    return {str(report.value(r, SH.focusNode)) for r in report.subjects(SH.focusNode, None)} & focus


def subjects(lines: list[str]) -> set[str]:
    return {line.split(" ", 1)[0][1:-1] for line in lines if line.startswith("<")}


ODD_OBJECTS = [
    '""',
    '"x"',
    '"x"@en',
    '"x"@EN-gb',
    '"-1"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"1.5"^^<http://www.w3.org/2001/XMLSchema#integer>',
    '"abc"^^<http://www.w3.org/2001/XMLSchema#decimal>',
    '"2020-02-30"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"2021-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
    '"1999"^^<http://www.w3.org/2001/XMLSchema#gYear>',
    '"maybe"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    '"ftp://x"^^<http://www.w3.org/2001/XMLSchema#anyURI>',
    '"12345678"',
    '"E1234567"',
    "<https://example.org/nothing>",
    "<http://publications.europa.eu/resource/authority/country/CZE>",
    "<http://publications.europa.eu/resource/authority/country/BEL>",
    "<https://w3id.org/erasmus-kg/vocab/role/coordinator>",
    "<https://w3id.org/erasmus-kg/vocab/action/KA2>",
    "_:b0",
]


@st.composite
def mutated_batches(draw: st.DrawFn) -> list[str]:
    """The sample batch with a few lines dropped, objects replaced or lines duplicated with another object."""
    lines = list(sample_batch())
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        s, p, _rest = lines[index].split(" ", 2)
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        new = f"{s} {p} {draw(st.sampled_from(ODD_OBJECTS))} .\n"
        if action == "drop":
            del lines[index]
        elif action == "replace":
            lines[index] = new
        else:
            lines.append(new)
    return lines


@settings(
    max_examples=examples(12, thorough=40),  # pyshacl on each, ~0.2 s: 40 in the slow run (tests/budget.py)
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(mutated_batches())
def test_the_screen_flags_every_node_pyshacl_reports_in_a_mutated_import(lines: list[str]) -> None:
    text = "".join(lines)
    focus = subjects(lines)
    reported = pyshacl_foci(text, focus)
    assert reported <= packaged_screen().suspects(text, focus)


def test_the_unmutated_import_batch_is_not_flagged() -> None:
    lines = list(sample_batch())
    assert packaged_screen().suspects("".join(lines), subjects(lines)) == set()


# ------------------------------------------------------------------------------------------------------------
# Literals, as rdflib reads them

LEXICAL = st.one_of(
    st.from_regex(r"[+-]?[0-9]{1,6}(\.[0-9]{0,3})?", fullmatch=True),
    st.from_regex(r"-?[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?", fullmatch=True),
    st.sampled_from(["true", "false", "1", "0", "TRUE", "", " 1", "1e3", "NaN", "P2W", "2020-02-29"]),
    st.text(max_size=6),
)
DATATYPES = ["integer", "decimal", "boolean", "date", "gYear", "anyURI", "duration", "string"]


@settings(max_examples=400, deadline=None)
@given(LEXICAL, st.sampled_from(DATATYPES))
def test_the_fast_datatype_checks_agree_with_rdflib(lexical: str, datatype: str) -> None:
    term = str(ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype)))
    if datatype == "string":
        assert datatype_ok(term, XSD + "string")
    else:
        assert datatype_ok(term, XSD + datatype) == _rdflib_reading(lexical, XSD + datatype)[0]
    assert not datatype_ok(term, XSD + ("gYear" if datatype != "gYear" else "date"))


def test_literal_parts_unescapes_as_n_triples_does() -> None:
    term = str(ox.Literal('a "quoted"\tline\n\u00e9\U0001f600', language="nl-be"))
    assert literal_parts(term) == ('a "quoted"\tline\n\u00e9\U0001f600', None, "nl-be")
    assert text_of('"+01"^^<http://www.w3.org/2001/XMLSchema#integer>') == "1"  # rdflib normalises it
    assert text_of("_:b1") is None


@pytest.mark.parametrize(
    ("left", "right", "order"),
    [
        (
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"1.0"^^<http://www.w3.org/2001/XMLSchema#decimal>',
            0,
        ),
        (
            '"12"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"130"^^<http://www.w3.org/2001/XMLSchema#integer>',
            -1,
        ),
        (
            '"2020-01-02"^^<http://www.w3.org/2001/XMLSchema#date>',
            '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
            1,
        ),
        (
            '"2020"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>',
            None,
        ),
        ('"1"', '"2"', None),
        (
            '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
            '"2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date>',
            None,
        ),
    ],
)
def test_compare_orders_numbers_and_dates_only(left: str, right: str, order: int | None) -> None:
    assert compare(left, right) == order


def test_a_literal_holding_a_line_separator_is_one_triple() -> None:
    """Regression (found by tests/test_importers_prp_generated.py): N-Triples leaves U+2028, U+0085 and the
    like unescaped, so the batch is split at newlines only, not at every line boundary Python knows."""
    term = str(ox.Literal("one\u2028two\x85three\x1cfour", language="und"))
    text = f"<urn:a> <http://purl.org/dc/terms/title> {term} .\n"
    graph, described = Screen.from_graphs(shapes_graph(), "").graph(text)
    assert described == {"<urn:a>"}
    assert list(graph.objects("<urn:a>", "<http://purl.org/dc/terms/title>")) == [term]
