"""The ontology quality checks, queries/checks/*-violation.rq (ROBOT style: zero rows means pass).

Each check runs over the union of the ontology and the packaged data in an Oxigraph store. It must return no
rows there, and it must be able to fail: tests/fixtures/checks/<check>.ttl holds a bad snippet, added to the
store as one more named graph, for which the check must name exactly the terms the snippet's header lists
(`# expect-term: <IRI>` lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg import resources
from erasmus_kg.query.catalogue import read_header
from erasmus_kg.validation.shacl import default_data_files

CHECKS = sorted((resources.queries_dir() / "checks").glob("*-violation.rq"))
BAD_SNIPPETS = Path(__file__).resolve().parent / "fixtures" / "checks"
BAD_GRAPH = ox.NamedNode("urn:x-erasmus-kg-test:bad-snippet")
ONTOLOGY = ox.NamedNode("https://w3id.org/erasmus-kg/ontology")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"

REQUIRED_CHECKS = {
    "missing-english-label-violation",
    "missing-dutch-label-violation",
    "missing-definition-violation",
    "duplicate-label-violation",
    "label-whitespace-violation",
    "undeclared-term-violation",
    "missing-superclass-violation",
    "ontology-header-violation",
    "concept-without-scheme-violation",
    "concept-missing-label-violation",
}
_EXPECT_TERM = re.compile(r"^#\s*expect-term:\s*(\S+)\s*$")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*-violation$")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The ontology and every packaged data file, each in its own named graph."""
    store = ox.Store()
    for path in default_data_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(path.resolve().as_uri()))
    return store


@contextmanager
def _with_snippet(store: ox.Store, path: Path) -> Iterator[ox.Store]:
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=BAD_GRAPH)
    try:
        yield store
    finally:
        store.remove_graph(BAD_GRAPH)


def _run(store: ox.Store, check: Path) -> list[dict[str, str]]:
    solutions = store.query(check.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions), f"{check.name} is not a SELECT query"
    names = [v.value for v in solutions.variables]
    return [{n: _text(row[n]) for n in names if row[n] is not None} for row in solutions]


def _text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _table(rows: list[dict[str, str]]) -> str:
    return "\n".join("  " + " | ".join(f"{k}={v}" for k, v in row.items()) for row in rows)


def _expected_terms(path: Path) -> set[str]:
    return {
        m.group(1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if (m := _EXPECT_TERM.match(line))
    }


# ------------------------------------------------------------------------------------------------------------


def test_the_checks_are_all_there() -> None:
    names = {check.stem for check in CHECKS}
    assert sorted(REQUIRED_CHECKS - names) == []


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_is_well_formed(check: Path) -> None:
    """A kebab-case name, a `#+` header saying what it checks, and ?term and ?problem columns."""
    assert _KEBAB.match(check.stem)
    header = read_header(check)
    assert header.get("summary") and header.get("description") and "checks" in header.get("tags", [])
    text = check.read_text(encoding="utf-8")
    select = text[text.index("SELECT") : text.index("WHERE")]
    assert "?term" in select and "?problem" in select, "each row names the offending term and the problem"
    assert "ORDER BY" in text, "stable output"


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_passes_on_the_packaged_ontology_and_data(store: ox.Store, check: Path) -> None:
    rows = _run(store, check)
    assert not rows, f"{check.name} found {len(rows)} problem(s):\n{_table(rows)}"


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_names_the_terms_of_a_bad_snippet(store: ox.Store, check: Path) -> None:
    snippet = BAD_SNIPPETS / f"{check.stem}.ttl"
    assert snippet.is_file(), f"every check has a bad snippet that makes it fail: {snippet} is missing"
    expected = _expected_terms(snippet)
    assert expected, f"{snippet.name} lists the terms the check must name (# expect-term: <IRI>)"
    with _with_snippet(store, snippet):
        rows = _run(store, check)
    assert rows, f"{check.name} found nothing in {snippet.name}"
    assert {row["term"] for row in rows} == expected, f"{check.name} on {snippet.name}:\n{_table(rows)}"
    assert all(row.get("problem") for row in rows), "every row says what the problem is"


def test_bad_snippets_belong_to_checks() -> None:
    stems = {check.stem for check in CHECKS}
    assert sorted(p.name for p in BAD_SNIPPETS.glob("*.ttl") if p.stem not in stems) == []


def test_the_bad_snippet_is_gone_afterwards(store: ox.Store) -> None:
    assert BAD_GRAPH not in set(store.named_graphs())


def test_ontology_header(store: ox.Store) -> None:
    """The ontology has a title and a description in English and Dutch, a licence and a version."""
    graph = ox.NamedNode(resources.ontology_file().resolve().as_uri())

    def values(predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return [q.object for q in store.quads_for_pattern(ONTOLOGY, ox.NamedNode(predicate), None, graph)]

    assert ox.Quad(ONTOLOGY, RDF_TYPE, ox.NamedNode(OWL + "Ontology"), graph) in store
    for predicate in (DCTERMS + "title", DCTERMS + "description"):
        languages = {v.language for v in values(predicate) if isinstance(v, ox.Literal)}
        assert {"en", "nl"} <= languages, f"{predicate} in English and Dutch, found {languages}"
    licences = values(DCTERMS + "license")
    assert len(licences) == 1 and isinstance(licences[0], ox.NamedNode), "dcterms:license: one licence IRI"
    versions = values(OWL + "versionInfo")
    assert len(versions) == 1 and re.fullmatch(r"\d+\.\d+\.\d+", versions[0].value), versions
