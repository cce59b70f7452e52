"""Whole lists from the search index (query.indexed_lists): for every stored query that declares `index_rows`,
every value of its parameter in the store, both languages, whole and sliced, the rows are byte for byte what
its SPARQL gives on the embedded store in CSV, TSV and JSON; the writers are pyoxigraph's to the byte on
hostile values; the CLI takes this path and gives the SPARQL's bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from erasmus_kg.cli import cli
from erasmus_kg.query.catalogue import load_catalogue
from erasmus_kg.query.indexed_lists import IndexedSolutions
from erasmus_kg.query.running import indexed_list, prepare
from erasmus_kg.query.targets import StoreTarget, open_target

INDEXED = sorted(q.name for q in load_catalogue() if q.index_rows)
FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}
ACTIONS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?value WHERE { ?value skos:inScheme <https://w3id.org/erasmus-kg/vocab/action> }"""
PROGRAMMES = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
SELECT DISTINCT ?value WHERE { ?value a ekg:Programme }"""
COUNTRIES = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
SELECT DISTINCT ?value WHERE { ?project ekg:involvesCountry ?value }"""
SLICES = [(None, 0), (1, 0), (3, 2), (50, 0), (2, 10_000)]


@pytest.fixture
def target(either_target: StoreTarget) -> StoreTarget:
    """The brochure store, then the imported one (conftest's `imported_store`)."""
    return either_target


def _values(target: StoreTarget, query: str) -> list[str]:
    results = target.query(query)
    assert isinstance(results, ox.QuerySolutions)
    return sorted(str(row["value"].value) for row in results)  # type: ignore[union-attr]


def _sparql_bytes(target: StoreTarget, text: str, fmt: str) -> bytes:
    out = io.BytesIO()
    results = target.query(text)
    assert isinstance(results, ox.QuerySolutions)
    results.serialize(out, FORMATS[fmt])
    return out.getvalue()


def _index_bytes(solutions: IndexedSolutions, fmt: str) -> bytes:
    out = io.BytesIO()
    solutions.serialize(out, FORMATS[fmt])
    return out.getvalue()


ORGANISATION_COUNTRIES = """PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
SELECT DISTINCT ?value WHERE { ?organisation a ekg:Organisation ; ekg:country ?value }"""


def test_the_lists_with_one_row_a_project_or_an_organisation_declare_their_rows() -> None:
    assert INDEXED == [
        "countries-per-project",
        "organisations-by-country",
        "projects",
        "projects-active-in",
        "projects-by-country",
        "projects-by-key-action",
        "projects-by-programme",
    ]


def test_every_list_from_the_index_is_the_sparqls_answer(target: StoreTarget) -> None:
    cases: list[tuple[str, dict[str, str]]] = [("projects", {}), ("countries-per-project", {})]
    cases += [("projects-by-key-action", {"action": v}) for v in _values(target, ACTIONS)]
    cases += [("projects-by-programme", {"programme": v}) for v in _values(target, PROGRAMMES)]
    cases += [("projects-by-country", {"country": v}) for v in _values(target, COUNTRIES)]
    cases += [("organisations-by-country", {"country": v}) for v in _values(target, ORGANISATION_COUNTRIES)]
    assert len(cases) >= 35  # every action, programme and country of the store
    checked = rows = 0
    for name, params in cases:
        for lang in ("nl", "en"):
            for limit, offset in SLICES:
                solutions = indexed_list(name, params, lang, target, limit=limit, offset=offset)
                assert solutions is not None, (name, params)
                text = prepare(name, params, lang, target, limit=limit, offset=offset)
                for fmt in FORMATS:
                    assert _index_bytes(solutions, fmt) == _sparql_bytes(target, text, fmt), (
                        name,
                        params,
                        lang,
                    )
                checked += 1
                rows += len(solutions)
    assert checked == len(cases) * 2 * len(SLICES) and rows > 0


def test_a_parameter_with_several_values_or_no_index_takes_the_sparql(store_root: Path) -> None:
    with open_target(store_root) as opened:
        bare = StoreTarget(opened.store, opened.names)  # no search index
        assert indexed_list("projects-by-key-action", {"action": "KA2"}, "en", bare) is None
        # a query without `index_rows`
        assert indexed_list("projects-by-sector", {"sector": "adult education"}, "en", opened) is None
        assert indexed_list("projects-by-key-action", {"action": "KA2"}, "en", opened) is not None


def test_the_cli_writes_the_index_rows_as_the_sparql_gives_them(imported_store: Path) -> None:
    runner = CliRunner()
    for fmt in FORMATS:
        args = [
            "--store",
            str(imported_store),
            "query",
            "projects-by-key-action",
            "-p",
            "action=KA2",
            "--format",
            fmt,
        ]
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        with open_target(imported_store) as opened:
            text = prepare("projects-by-key-action", {"action": "KA2"}, "en", opened)
            expected = _sparql_bytes(opened, text, fmt)
        assert result.stdout_bytes == expected + (b"\n" if fmt == "json" else b"")
        assert result.stdout_bytes.count(b"KA2") > 10


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["http://x/a", "http://x/a,b", "http://x/a%22q", "http://x/é?a=1&b"]),
            TEXT,
            st.one_of(
                st.none(),
                TEXT,
                st.builds(ox.Literal, TEXT, language=st.just("nl-be")),
                st.builds(ox.Literal, TEXT, datatype=st.just(ox.NamedNode("http://x/code"))),
                st.builds(  # a count (organisations-by-country's projects), which TSV writes short
                    ox.Literal,
                    st.integers(min_value=-(10**12), max_value=10**12).map(str),
                    datatype=st.just(ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ),
            ),
        ),
        max_size=4,
    )
)
def test_the_writers_write_what_pyoxigraph_writes(
    rows: list[tuple[str, str, str | ox.Literal | None]],
) -> None:
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], []]
    solutions = IndexedSolutions(["project", "title", "acronym"], columns, iris=["project"])
    terms = [
        (ox.NamedNode(iri), ox.Literal(title), ox.Literal(other) if isinstance(other, str) else other)
        for iri, title, other in rows
    ]
    assert [tuple(solution.values()) for solution in solutions] == terms
    values = " ".join(
        "(" + " ".join("UNDEF" if cell is None else str(cell) for cell in row) + ")" for row in terms
    )
    sparql = f"SELECT ?project ?title ?acronym WHERE {{ VALUES (?project ?title ?acronym) {{ {values} }} }}"
    store = ox.Store()
    for fmt, standard in FORMATS.items():
        assert solutions.writable(fmt)
        out = io.BytesIO()
        store.query(sparql).serialize(out, standard)  # type: ignore[union-attr]
        assert _index_bytes(solutions, fmt) == out.getvalue(), fmt
