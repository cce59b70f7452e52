"""`import prp` derives while it reads (importing.derivation): the derived graph it loads holds exactly what
the definitions (queries/derived/*.rq) give on the built store for the import's graph, its partial statistics
are exactly the rows of queries/statistics/*.rq, and the build does not evaluate the definitions for that
graph.

Checked on the real sample and on generated exports (bench/generate.py) altered so that they hold what the
generator never writes: rows without a grant, a call year or countries, organisations without a country,
actions the vocabulary lacks (minted, some first in a row that is skipped), a grant Oxigraph cannot hold as
an xsd:decimal, and bad rows skipped with on_error="skip".
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
import pytest

from erasmus_kg.derived import cube, facts
from erasmus_kg.derived.build import DERIVED_KIND
from erasmus_kg.derived.graphs import derived_graph
from erasmus_kg.importing import prp
from erasmus_kg.importing.derivation import (
    active_years,
    decimal_text,
    decimal_units,
    follows_definitions,
)
from erasmus_kg.importing.identity import import_graph
from erasmus_kg.importing.run import ImportResult, import_file
from erasmus_kg.store.builds import DERIVED_FROM
from erasmus_kg.store.default import DefaultStore

from .import_helpers import DATA, ECHE, EKG, ID, SAMPLE, bench_generator

GRANT = prp.COLUMNS.index(prp.GRANT_COLUMN)
KEY_ACTION = prp.COLUMNS.index("Key Action")
ACTION_TYPE = prp.COLUMNS.index("Action Type")
IDENTIFIER = prp.COLUMNS.index("Project Identifier")
CALL_YEAR = prp.COLUMNS.index("Call year")
COUNTRIES = prp.COLUMNS.index("Participating countries")
COORDINATOR_COUNTRY = prp.COLUMNS.index("Coordinator's country")
UNHOLDABLE_GRANT = "1.1234567890123456789"
"""A grant the importer accepts (digits, a point, digits) but Oxigraph cannot hold (19 decimals): its sums
fail."""
DERIVE_BY_DEFINITIONS = facts.derive_source
"""The reference, kept before `no_sparql_derivation` replaces it for the builds."""


@pytest.fixture
def no_sparql_derivation(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Make the build's SPARQL derivation fail for every import graph; the graphs it was asked for."""
    asked: set[str] = set()
    reference = facts.derive_source

    def derive_source(store: ox.Store, source: str, out: BinaryIO) -> None:
        if "/graph/import/" in source:
            asked.add(source)
            raise AssertionError(f"the build derived <{source}> by SPARQL")
        reference(store, source, out)

    monkeypatch.setattr(facts, "derive_source", derive_source)
    return asked


def check_streamed(root: Path, result: ImportResult) -> int:
    """The import's derived graph and partials are what the definitions give on the store; returns how many
    derived triples it holds."""
    graph, target = result.graph, derived_graph(result.graph)
    store = DefaultStore(root)
    info = {g.iri: g for g in store.graphs()}[target]
    assert info.source == DERIVED_FROM + graph  # as the build names what it derives
    assert info.metadata["kind"] == DERIVED_KIND and info.metadata["from"] == graph
    with store.open_reader() as reader:
        loaded = {q.triple for q in reader.quads_for_pattern(None, None, None, ox.NamedNode(target))}
        out = io.BytesIO()
        DERIVE_BY_DEFINITIONS(reader, graph, out)
        expected = {q.triple for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES)}
        assert loaded == expected
        assert sorted(info.metadata["statistics"]) == sorted(cube.source_partials(reader, graph))
    assert result.derived_triples == len(loaded) > 0
    return len(loaded)


def generated_export(path: Path, projects: int, seed: int) -> Path:
    """A generated export with rows altered as the module's docstring says (about one in eight skipped)."""
    bench_generator().generate(path, projects, seed=seed)
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rng = random.Random(seed)
    novel_seen = False
    for number, row in enumerate(rows):
        draw = rng.random()
        if draw < 0.1:
            row[GRANT] = ""
        elif draw < 0.12:
            row[GRANT] = "100"  # an integer amount: still an xsd:decimal
        if rng.random() < 0.06:
            row[CALL_YEAR] = ""
        if rng.random() < 0.1:
            row[COUNTRIES] = ""
        if rng.random() < 0.08:
            row[COORDINATOR_COUNTRY] = ""
        if rng.random() < 0.08:  # an action the vocabulary lacks, under a key action it lacks
            row[IDENTIFIER] = f"{700000 + number}-EPP-1-2016-1-BE-NOVEL"
            row[KEY_ACTION] = f"Novel key action {number % 2}"
            row[ACTION_TYPE] = f"Novel action type {number % 3}"
            if not novel_seen:  # the row that would mint them first is skipped: a later row mints them
                row[GRANT] = "not an amount"
                novel_seen = True
                continue
        if rng.random() < 0.1:
            if rng.random() < 0.5:
                row[GRANT] = "12,5"
            else:
                row[COUNTRIES] = "XQ"
    rows[len(rows) // 2][GRANT] = UNHOLDABLE_GRANT
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return path


def test_the_definitions_are_those_the_importer_follows() -> None:
    assert follows_definitions()


def test_the_sample_derives_while_reading(store_copy: Path, no_sparql_derivation: set[str]) -> None:
    root = store_copy
    result = import_file("prp", SAMPLE, root=root, progress=False)
    assert not no_sparql_derivation
    assert check_streamed(root, result) > 0


def test_every_predecessor_layout_derives_while_reading(
    store_copy: Path, no_sparql_derivation: set[str]
) -> None:
    """The predecessor programmes' exports (their own action hierarchies, start and end dates, programmes),
    imported one after another into one store: each import's derived graph and statistics are what the
    definitions give, and every project has its years, countries and actions with their broader ones."""
    root = store_copy
    files = sorted((DATA / "layouts").glob("*.csv"))
    assert len(files) == 8
    for path in files:
        result = import_file("prp", path, root=root, progress=False)
        assert result.rows_imported == 1
        assert check_streamed(root, result) > 0
    assert not no_sparql_derivation
    with DefaultStore(root).open_reader() as reader:
        culture = ox.NamedNode(ID + "project/FI-CULT-2008-MOTN-01")
        years = {
            q.object.value
            for q in reader.quads_for_pattern(culture, ox.NamedNode(EKG + "activeInYear"), None)
        }
        assert years == {"2006", "2007", "2008", "2009"}
        comenius = ox.NamedNode(ID + "project/EACEA-509925")
        actions = {
            q.object.value
            for q in reader.quads_for_pattern(comenius, ox.NamedNode(EKG + "actionOrBroader"), None)
        }
        base = "https://w3id.org/erasmus-kg/vocab/action/lifelong-learning-comenius"
        assert actions == {base, base + "-accompanying-measures"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_exports_derive_while_reading(
    tmp_path: Path, store_copy: Path, seed: int, no_sparql_derivation: set[str]
) -> None:
    root = store_copy
    export = generated_export(tmp_path / f"generated-{seed}.csv", 300, seed)
    result = import_file("prp", export, root=root, progress=False, on_error="skip", report=lambda _: None)
    assert result.rows_skipped > 10 and result.rows_imported > 200
    assert not no_sparql_derivation
    check_streamed(root, result)
    with DefaultStore(root).open_reader() as reader:  # the unholdable grant makes some sums "0"
        partials = cube.source_partials(reader, result.graph)
    assert any(row[3] == "0" and row[2] > 1 for row in partials)


def test_a_second_import_reads_the_first_for_what_they_share(
    tmp_path: Path, store_copy: Path, no_sparql_derivation: set[str]
) -> None:
    """Two exports name the same organisations and mint the same actions: each import's derived graph is
    still what the definitions give on the union of the graphs, and a re-import replaces its own."""
    root = store_copy
    first = generated_export(tmp_path / "first.csv", 200, 7)
    second = generated_export(tmp_path / "second.csv", 200, 8)
    quiet = {"root": root, "progress": False, "on_error": "skip", "report": lambda _: None}
    check_streamed(root, import_file("prp", first, **quiet))  # type: ignore[arg-type]
    result = import_file("prp", second, **quiet)  # type: ignore[arg-type]
    check_streamed(root, result)
    check_streamed(root, import_file("prp", second, **quiet))  # type: ignore[arg-type]
    assert not no_sparql_derivation


def test_without_streaming_the_build_derives_the_same(
    tmp_path: Path, copy_store: Callable[[Path], Path]
) -> None:
    export = generated_export(tmp_path / "generated.csv", 150, 11)
    graphs = []
    for derive_while_reading in (True, False):
        root = copy_store(tmp_path / f"store-{derive_while_reading}")
        result = import_file(
            "prp",
            export,
            root=root,
            progress=False,
            on_error="skip",
            report=lambda _: None,
            derive_while_reading=derive_while_reading,
        )
        target = derived_graph(result.graph)
        store = DefaultStore(root)
        info = {g.iri: g for g in store.graphs()}[target]
        with store.open_reader() as reader:
            triples = {q.triple for q in reader.quads_for_pattern(None, None, None, ox.NamedNode(target))}
        graphs.append((triples, sorted(info.metadata["statistics"]), info.source))
    assert graphs[0] == graphs[1]
    assert len(graphs[0][0]) > 0


def test_the_charter_list_derives_nothing(store_copy: Path) -> None:
    """The ECHE list has no projects: its import derives nothing, and the build's derivation finds nothing."""
    root = store_copy
    result = import_file("eche", ECHE, root=root, progress=False)
    assert result.derived_triples == 0
    graphs = {g.iri for g in DefaultStore(root).graphs()}
    assert import_graph(ECHE) in graphs and derived_graph(import_graph(ECHE)) not in graphs


def test_a_skipped_row_leaves_no_derived_facts(tmp_path: Path, store_copy: Path) -> None:
    rows = list(csv.reader(SAMPLE.open(encoding="utf-8", newline="")))
    bad = list(rows[1])
    bad[IDENTIFIER] = "2099-1-BE01-KA204-999999"
    bad[COUNTRIES] = "XQ"
    export = tmp_path / "with-a-bad-row.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([*rows, bad])
    root = store_copy
    result = import_file("prp", export, root=root, progress=False, on_error="skip", report=lambda _: None)
    assert result.rows_skipped == 1
    check_streamed(root, result)
    with DefaultStore(root).open_reader() as reader:
        subjects = {q.subject.value for q in reader.quads_for_pattern(None, None, None, None)}
    assert not any("999999" in s for s in subjects)


def test_active_years_follow_the_definition() -> None:
    date = '"{}"^^<http://www.w3.org/2001/XMLSchema#date>'.format
    year = '"{}"^^<http://www.w3.org/2001/XMLSchema#gYear>'.format
    assert active_years([date("2019-03-01")], [date("2021-02-28")], [year("2018")]) == {2019, 2020, 2021}
    assert active_years([date("2019-03-01")], [], [year("2018")]) == {2019}
    assert active_years([], [], [year("2018")]) == {2018}
    assert active_years([], [], [year("1986")]) == set()
    assert active_years([date("1985-01-01")], [date("1988-01-01")], []) == {1987, 1988}
    assert active_years([date("2039-01-01")], [date("2045-01-01")], []) == {2039, 2040}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("1234.50", "1234.5"), ("100", "100"), ("0.000", "0"), ("0123.10", "123.1"), ("+1", "1"), (".5", "0.5")],
)
def test_decimals_in_oxigraphs_canonical_form(text: str, canonical: str) -> None:
    units = decimal_units(text)
    assert units is not None and decimal_text(units) == canonical
    literal = ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("x:s"), ox.NamedNode("x:p"), literal, ox.DefaultGraph()))
    (row,) = store.query("SELECT (SUM(?o) AS ?s) WHERE { ?x ?p ?o }")  # type: ignore[misc]
    assert row["s"].value == canonical


def test_decimals_oxigraph_cannot_hold() -> None:
    assert decimal_units(UNHOLDABLE_GRANT) is None
    assert decimal_units("1" * 22) is None
    assert decimal_units("abc") is None and decimal_units(".") is None
