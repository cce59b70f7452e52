"""Derived facts and statistics follow every change of the store: after a build, a load, an import, a refresh
and a remove, each derived graph holds what its definitions give on the store, and the statistics graph is
the cube recomputed from scratch."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg import resources
from erasmus_kg.derived import cube, definitions, involvement
from erasmus_kg.derived.graphs import POSITIONS, STATISTICS, derived_graph, is_derived
from erasmus_kg.derived.positions import (
    LIST_LANGUAGES,
    LIST_TITLES,
    ORGANISATION_LANGUAGES,
    SHOWN_LABELS,
    reading_order,
)
from erasmus_kg.importing.removal import remove_source
from erasmus_kg.importing.run import import_file
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import open_target
from erasmus_kg.store.default import DefaultStore
from erasmus_kg.store.loading import load_files

from .import_helpers import SAMPLE

EKG = "https://w3id.org/erasmus-kg/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
BROCHURE = "https://w3id.org/erasmus-kg/graph/brochure"
EXTRA = """@prefix ekg: <https://w3id.org/erasmus-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix action: <https://w3id.org/erasmus-kg/vocab/action/> .
<https://example.org/p1> a ekg:Project ; dcterms:title "Extra"@en ; ekg:action action:KA204 ;
    ekg:participatingCountry country:MLT, country:CYP ;
    ekg:callYear "2019"^^<http://www.w3.org/2001/XMLSchema#gYear> .
"""


def graph_triples(store: ox.Store, graph: str) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))}


def sources_of(store: ox.Store) -> list[str]:
    return sorted(
        g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode) and not is_derived(g.value)
    )


COUNTRY_CELLS = f"""SELECT ?project (COUNT(DISTINCT ?country) AS ?count)
    (GROUP_CONCAT(DISTINCT COALESCE(STRAFTER(STR(?country), "/authority/country/"), ""); separator="\\u0001")
     AS ?codes)
WHERE {{ ?project <{EKG}involvesCountry> ?country }} GROUP BY ?project"""
"""The count and codes of each project's countries as countries-per-project gave them before they were
derived: a GROUP_CONCAT (in the engine's order, here split and sorted)."""


def recomputed_country_cells(involves: list[ox.Triple]) -> set[ox.Triple]:
    """`ekg:involvedCountryCount` and `ekg:involvedCountryCodes` from the involves-country triples, by
    SPARQL's own COUNT and STRAFTER (not by `derived.country_cells`)."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object) for t in involves)
    rows = scratch.query(COUNTRY_CELLS)
    assert isinstance(rows, ox.QuerySolutions)
    found: set[ox.Triple] = set()
    for project, count, codes in rows:
        assert isinstance(project, ox.NamedNode) and isinstance(codes, ox.Literal)
        found.add(ox.Triple(project, ox.NamedNode(EKG + "involvedCountryCount"), count))
        joined = "; ".join(sorted(codes.value.split("\u0001")))
        found.add(ox.Triple(project, ox.NamedNode(EKG + "involvedCountryCodes"), ox.Literal(joined)))
    return found


def recomputed_facts(store: ox.Store, source: str) -> set[ox.Triple]:
    """The derived facts of `source` by their definitions: the CONSTRUCTs of queries/derived/, the kinds
    of the involvement nodes (`derived.involvement`, made from the country-involvement triples) and the
    projects' country cells (from the involves-country triples)."""
    found: set[ox.Triple] = set()
    for name, text in definitions.facts().items():
        results = store.query(text, use_default_graph_as_union=True, named_graphs=[ox.NamedNode(source)])
        assert isinstance(results, ox.QueryTriples)
        triples = list(results)
        found |= set(triples)
        if name == "country-involvement":
            found |= set(involvement.kind_triples(triples))
        if name == "involves-country":
            found |= recomputed_country_cells(triples)
    return found


def recomputed_cube(store: ox.Store) -> set[ox.Triple]:
    import io

    totals = cube.add_up(cube.source_partials(store, source) for source in sources_of(store))
    out = io.BytesIO()
    cube.write_cube(totals, out)
    return {q.triple for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_TRIPLES)}


def recomputed_positions(store: ox.Store) -> set[ox.Triple]:
    """The list positions, titles and shown labels by their SPARQL definitions (queries/internal/:
    list-order.rq, organisation-order.rq, shown-labels.rq), for each language."""
    found: set[ox.Triple] = set()

    def definition_rows(definition: str, language: str) -> ox.QuerySolutions:
        text = (resources.queries_dir() / "internal" / f"{definition}.rq").read_text(encoding="utf-8")
        bound = text.replace("WHERE {", f'WHERE {{ VALUES ?lang {{ "{language}" }}', 1)
        rows = store.query(bound, use_default_graph_as_union=True)
        assert isinstance(rows, ox.QuerySolutions)
        return rows

    kinds = store.query(
        f"SELECT ?kind ?way WHERE {{ ?kind a <{EKG}InvolvementKind> ; <{EKG}involvementWay> ?way }}",
        use_default_graph_as_union=True,
    )
    assert isinstance(kinds, ox.QuerySolutions)
    ways: dict[ox.Term, set[ox.Term]] = {}
    for kind, way in kinds:
        ways.setdefault(kind, set()).add(way)
    for language, name in SHOWN_LABELS.items():
        shown = {row["node"]: row["shownLabel"].value for row in definition_rows("shown-labels", language)}
        found |= {
            ox.Triple(node, ox.NamedNode(EKG + name), ox.Literal(label)) for node, label in shown.items()
        }
        # a kind of involvement: its ways' labels, each once, in reading order, joined by "; "
        for kind, of_kind in ways.items():
            labels = sorted({shown[way] for way in of_kind if way in shown}, key=reading_order)
            if labels and kind not in shown:
                found.add(ox.Triple(kind, ox.NamedNode(EKG + name), ox.Literal("; ".join(labels))))
    for definition, variable, properties in (
        ("list-order", "project", LIST_LANGUAGES),
        ("organisation-order", "organisation", ORGANISATION_LANGUAGES),
    ):
        for language, name in properties.items():
            rows = sorted(definition_rows(definition, language), key=partial(_reading_order, variable))
            for n, row in enumerate(rows, start=1):
                position = ox.Literal(str(n), datatype=INTEGER)
                found.add(ox.Triple(row[variable], ox.NamedNode(EKG + name), position))
                if variable == "project":
                    title = ox.NamedNode(EKG + LIST_TITLES[language])
                    found.add(ox.Triple(row[variable], title, ox.Literal(row["sortTitle"].value)))
    return found


def _reading_order(variable: str, row: ox.QuerySolution) -> tuple[int, str, str]:
    """The order of a row of list-order.rq or organisation-order.rq in a list: by the reading order of its
    title or name (none first), then by IRI (their ORDER BY compares code points)."""
    shown = row["sortTitle" if variable == "project" else "sortName"]
    node = row[variable]
    assert isinstance(node, ox.NamedNode)
    return (0, "", node.value) if shown is None else (1, reading_order(shown.value), node.value)


def check_derived(root: Path) -> dict[str, int]:
    """Every derived graph equals its recomputation; returns the triple count of each derived graph."""
    store = DefaultStore(root)
    counts = {}
    with store.open_reader() as reader:
        for source in sources_of(reader):
            expected = recomputed_facts(reader, source)
            assert graph_triples(reader, derived_graph(source)) == expected, source
            if expected:
                counts[source] = len(expected)
        assert graph_triples(reader, STATISTICS) == recomputed_cube(reader)
        assert graph_triples(reader, POSITIONS) == recomputed_positions(reader)
        for check in ("cube-structure-violation", "cube-observation-violation"):  # the Data Cube's ICs
            text = (resources.queries_dir() / "checks" / f"{check}.rq").read_text(encoding="utf-8")
            problems = reader.query(text, use_default_graph_as_union=True)
            assert isinstance(problems, ox.QuerySolutions)
            assert [str(row["term"]) for row in problems] == [], check
        derived = {g.value for g in reader.named_graphs() if is_derived(g.value)}
    assert derived == {derived_graph(s) for s in counts} | {STATISTICS, POSITIONS}  # no orphan derived graphs
    return counts


def project_count(root: Path, dataset: str, **dims: str) -> int:
    where = " ".join(f"?o ekg:{d} {v} ." for d, v in dims.items())
    text = (
        f"PREFIX ekg: <{EKG}> PREFIX qb: <http://purl.org/linked-data/cube#> "
        f"SELECT ?n WHERE {{ ?o qb:dataSet <https://w3id.org/erasmus-kg/id/statistics/{dataset}> ; "
        f"ekg:projectCount ?n . {where} }}"
    )
    with DefaultStore(root).open_reader() as reader:
        rows = list(reader.query(text, use_default_graph_as_union=True))  # type: ignore[arg-type]  # SELECT
    return sum(int(r["n"].value) for r in rows)


MLT = "<http://publications.europa.eu/resource/authority/country/MLT>"
CYP = "<http://publications.europa.eu/resource/authority/country/CYP>"
LTU = "<http://publications.europa.eu/resource/authority/country/LTU>"


@pytest.fixture
def root(store_copy: Path) -> Path:
    """A store of the test's own, as the first build makes it (a copy of the session store)."""
    return store_copy


def test_a_build_derives_the_brochure_and_counts_its_projects(store_root: Path) -> None:
    root = store_root  # the session store, as `DefaultStore.ensure` built it on an empty root; only read here
    counts = check_derived(root)
    assert set(counts) == {BROCHURE}
    with DefaultStore(root).open_reader() as reader:
        involved = reader.query(
            f"SELECT ?c WHERE {{ <https://w3id.org/erasmus-kg/id/project/goal> <{EKG}involvesCountry> ?c }}",
            use_default_graph_as_union=True,
        )
        assert LTU.strip("<>") in {row["c"].value for row in involved}  # type: ignore[union-attr]
    assert project_count(root, "projects-by-country", refCountry=LTU) == 2  # ADEIGUS and GOAL
    assert project_count(root, "projects-by-country", refCountry=MLT) == 0


def test_load_and_remove_change_derived_facts_and_statistics(root: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(EXTRA)
    load_files(root, [extra])
    counts = check_derived(root)
    assert counts["https://w3id.org/erasmus-kg/graph/file/extra.ttl"] > 0
    assert project_count(root, "projects-by-country", refCountry=MLT) == 1
    assert project_count(root, "country-pairs", refCountry=CYP, refPartnerCountry=MLT) == 1
    remove_source(root, "extra.ttl")
    assert set(check_derived(root)) == {BROCHURE}
    assert project_count(root, "projects-by-country", refCountry=MLT) == 0


def test_an_import_and_its_refresh_derive_and_count(root: Path) -> None:
    import_file("prp", SAMPLE, root=root, progress=False)
    counts = check_derived(root)
    graph = "https://w3id.org/erasmus-kg/graph/import/ErasmusPlus_Projects_Overview_sample.csv"
    assert counts[graph] > 0
    # statistics-by-year reads the cube: the same counts as a count over the store
    direct = (
        f"SELECT ?y (COUNT(?p) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?p a <{EKG}Project> ; "
        f"<{EKG}callYear> ?y }} }} GROUP BY ?y"
    )
    with DefaultStore(root).open_reader() as reader:
        expected = {
            (r["y"].value, r["n"].value) for r in reader.query(direct, use_default_graph_as_union=True)
        }  # type: ignore[union-attr]  # SELECT
    with open_target(root) as target:
        by_year = run_stored("statistics-by-year", {}, "en", target)
        assert isinstance(by_year, ox.QuerySolutions)
        assert {(r["year"].value, r["projects"].value) for r in by_year} == expected  # type: ignore[union-attr]
    assert len(expected) >= 2
    before = project_count(root, "projects-by-year")
    import_file("prp", SAMPLE, root=root, progress=False)  # the same file again: replaced, not added
    assert check_derived(root) == counts
    assert project_count(root, "projects-by-year") == before
    remove_source(root, SAMPLE.name)
    assert set(check_derived(root)) == {BROCHURE}


def test_a_new_index_layout_remakes_those_files_and_keeps_the_derived_graphs(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose name index is of another layout: the next command makes a build with that index made
    anew, every other file (the search index) taken over, and the derived graphs, statistics and positions
    kept as they were, not derived again."""
    from erasmus_kg.derived import names, search_index
    from erasmus_kg.derived.readonly_sqlite import file_version

    import_file("prp", SAMPLE, root=root, progress=False)
    store = DefaultStore(root)
    before = store.current_build()
    assert before is not None and before.id == store.ensure().id  # up to date: no new build

    def files(build_path: Path, folder: str) -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in sorted((build_path / folder).glob("*.sqlite"))}

    old_names, old_search = files(before.path, names.FOLDER), files(before.path, search_index.FOLDER)
    monkeypatch.setattr(names, "VERSION", 99)
    monkeypatch.setattr(definitions, "NAMES_LAYOUT", 99)
    after = DefaultStore(root).ensure()
    assert after.id != before.id
    assert after.graphs == before.graphs  # every graph kept: nothing loaded or derived again
    assert [g.loaded for g in after.graphs.values()] == [g.loaded for g in before.graphs.values()]
    new_names = files(after.path, names.FOLDER)
    assert set(new_names) == set(old_names) and len(new_names) >= 3
    assert {file_version(after.path / names.FOLDER / name) for name in new_names} == {99}
    assert not set(new_names.values()) & set(old_names.values())  # made anew
    assert files(after.path, search_index.FOLDER) == old_search  # hard-linked: the same files
    assert DefaultStore(root).ensure().id == after.id  # made once
    imported = "https://w3id.org/erasmus-kg/graph/import/ErasmusPlus_Projects_Overview_sample.csv"
    assert set(check_derived(root)) == {BROCHURE, imported}  # each derived graph as a recomputation gives
    assert project_count(root, "projects-by-country", refCountry=LTU) > 2
    with open_target(root) as target:  # the new files answer: an organisation by a part of its name
        rows = run_stored("projects-by-organisation", {"organisation": "leerwinkel"}, "en", target)
        assert isinstance(rows, ox.QuerySolutions) and len(list(rows)) > 0


def test_derived_graphs_are_not_sources(root: Path) -> None:
    from erasmus_kg.errors import UsageError

    DefaultStore(root).ensure()
    with pytest.raises(UsageError, match="no loaded source"):
        remove_source(root, derived_graph(BROCHURE))


def test_lists_are_in_reading_order() -> None:
    """Titles and names are listed as a reader looks them up: case, accents and punctuation aside ("eTwinning"
    among the E's, "Électricité" before "Energy"), not in code-point order, which puts every lower-case and
    accented initial after "Z"; the same normal form keeps one order, then the IRI decides."""
    from erasmus_kg.derived import positions

    titles = [
        "Zebra",
        "eTwinning for schools",
        "Energy",
        "Électricité",
        "'Active' learners",
        "adult",
        "ADULT",
    ]
    projects = {f"https://example.org/p{n}": [ox.Literal(t, language="en")] for n, t in enumerate(titles)}
    shown = [projects[iri][0].value for iri in positions.order(projects, "en")]
    assert shown == [
        "'Active' learners",
        "ADULT",
        "adult",
        "Électricité",
        "Energy",
        "eTwinning for schools",
        "Zebra",
    ]
    same = {"https://example.org/b": [ox.Literal("Dual")], "https://example.org/a": [ox.Literal("dual")]}
    assert positions.order(same, "nl") == [
        "https://example.org/b",
        "https://example.org/a",
    ]  # "Dual" < "dual"
    named = {
        f"https://example.org/o{n}": ([ox.Literal(t)], [])
        for n, t in enumerate(["Zuyd", "école", "Ecole 42"])
    }
    in_order = positions.organisation_order([*named, "https://example.org/unnamed"], named, "nl")
    assert in_order == [
        "https://example.org/unnamed",  # no name: first, as SPARQL sorts an unbound value
        "https://example.org/o1",  # école: "ecole" before "ecole 42"
        "https://example.org/o2",  # Ecole 42
        "https://example.org/o0",  # Zuyd
    ]
