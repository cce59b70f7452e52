"""The full-text search index of a build (derived/search_index.py): what people type finds what it should,
ranked, with facets that count what the stored queries count, and it follows every import and removal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.derived import search_index
from erasmus_kg.derived.search_index import COUNTRY, KEY_ACTION, YEAR, SearchIndex, match_expression
from erasmus_kg.importing.run import import_file
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import open_target
from erasmus_kg.store.default import DefaultStore

from .import_helpers import SAMPLE, bench_generator
from .test_hostile_values import VALUES

ID = "https://w3id.org/erasmus-kg/id/project/"
COUNTRIES = "http://publications.europa.eu/resource/authority/country/"
VOCAB = "https://w3id.org/erasmus-kg/vocab/"


@pytest.fixture
def index(store_root: Path) -> Iterator[SearchIndex]:
    with DefaultStore(store_root).open_build() as (_, build_dir), SearchIndex(build_dir) as opened:
        yield opened


def projects(index: SearchIndex, text: str, **filters: str) -> list[str]:
    return [iri.removeprefix(ID) for iri in index.search(text, filters, limit=100).projects]


@pytest.mark.parametrize("typed", ["IJsland", "ijsland", "ĲSLAND", "Ĳsland"])
def test_case_and_ligatures_do_not_matter(index: SearchIndex, typed: str) -> None:
    assert projects(index, typed) == ["goal"]


def test_accents_do_not_matter(index: SearchIndex) -> None:
    assert projects(index, "orientación") == projects(index, "orientacion")


def test_the_last_word_is_a_prefix(index: SearchIndex) -> None:
    assert projects(index, "guidan") == projects(index, "guidance")
    assert sorted(projects(index, "guidance")) == ["adeigus", "goal"]
    assert projects(index, "guidan service") == []  # only the last word is a prefix
    assert projects(index, "guidance servi") == ["adeigus"]


def test_every_word_must_match(index: SearchIndex) -> None:
    assert sorted(projects(index, "adult guidance")) == ["adeigus", "goal"]
    assert projects(index, "adult guidance zzzqqq") == []


def test_a_title_match_ranks_above_a_summary_match(index: SearchIndex) -> None:
    # "toekomst" is in the title of "Op weg naar de toekomst"; in the summaries of the others ("toekomstige")
    found = projects(index, "toekomst")
    assert found[0] == "op-weg-naar-de-toekomst"
    assert sorted(found[1:]) == ["coaching-children", "ideal-profession", "manage-your-future"]


def test_an_acronym_or_identifier_finds_its_project(index: SearchIndex) -> None:
    assert projects(index, "ADEIGUS") == ["adeigus"]
    assert projects(index, "smart lmi")[0] == "smart-lmi"


def test_paging_and_totals(index: SearchIndex) -> None:
    everything = index.search("begeleiding", limit=100)
    assert everything.total == len(everything.projects) == 3
    pages = [index.search("begeleiding", limit=1, offset=n).projects for n in range(4)]
    assert [p for page in pages for p in page] == everything.projects and pages[3] == []


def test_facets_narrow_and_count_what_the_stored_queries_count(index: SearchIndex, target) -> None:
    hits = index.search("begeleid", limit=100)
    countries = dict(hits.facets[COUNTRY])
    assert countries[COUNTRIES + "GBR"] == 3
    narrowed = projects(index, "begeleid", country=COUNTRIES + "GBR")
    assert sorted(narrowed) == ["adeigus", "manage-your-future", "smart-lmi"]
    assert projects(
        index, "begeleid", country=COUNTRIES + "GBR", sector=VOCAB + "sector/adult-education"
    ) == ["adeigus"]
    # every project of a country, by the index and by the stored query
    for code in ("BEL", "LTU", "GBR", "ISL"):
        rows = run_stored("projects-by-country", {"country": code}, "en", target)
        assert isinstance(rows, ox.QuerySolutions)
        assert index.count(COUNTRY, COUNTRIES + code) == len({r["project"] for r in rows})
    assert {value for value, _ in hits.facets[KEY_ACTION]} <= {VOCAB + f"action/KA{n}" for n in (1, 2, 3)}
    assert not hits.estimated


def test_counts_beyond_the_sample_are_estimates(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    exact = index.search("begeleid", limit=100)
    monkeypatch.setattr(search_index, "FACET_SAMPLE", 2)
    with SearchIndex(index.folder.parent) as fresh:  # not the answer `index` keeps
        estimate = fresh.search("begeleid", limit=100)
    assert estimate.estimated and estimate.total == exact.total == 7 and estimate.projects == exact.projects
    # every 4th match (7 matches, a sample of about 2) counted 4 times
    assert estimate.facets and all(n % 4 == 0 for values in estimate.facets.values() for _, n in values)
    assert estimate.facets != exact.facets


def test_an_answer_asked_again_is_the_one_kept(index: SearchIndex) -> None:
    """The same words (in any case or accents), narrowed the same way, for the same page: the kept answer;
    another page or another narrowing is another answer."""
    first = index.search("Begeleiding", limit=2)
    assert index.search("begeleiding", limit=2) is first
    assert index.search("BEGELEIDING ", limit=2) is first
    assert index.search("begeleiding", limit=2, offset=1) is not first
    narrowed = index.search("begeleiding", {COUNTRY: COUNTRIES + "GBR"}, limit=2)
    assert narrowed is not first
    assert index.search("begeleiding", {COUNTRY: COUNTRIES + "GBR"}, limit=2) is narrowed


@pytest.mark.parametrize(
    "typed", ['"', "*", "NEAR(a b)", "a OR b", "-", "^x", "title: x", "AND", "(", "'", *VALUES[:20]]
)
def test_nothing_typed_is_fts_syntax(index: SearchIndex, typed: str) -> None:
    index.search(typed)  # no sqlite3.OperationalError
    expression = match_expression(typed)
    assert expression is None or all(part.startswith('"') for part in expression.split(" AND "))


def test_the_index_follows_imports_and_removals(tmp_path: Path, store_copy: Path) -> None:
    root = store_copy
    export = tmp_path / "generated.csv"
    bench_generator().generate(export, 120, seed=5)
    import_file("prp", SAMPLE, root=root, progress=False)
    store = DefaultStore(root)
    with store.open_build() as (_, first_build), SearchIndex(first_build) as index:
        sample = projects(index, "2017-1-RS01-KA101-000006")
        first_files = {p.name: p.stat().st_ino for p in (first_build / search_index.FOLDER).iterdir()}
    assert sample == ["2017-1-RS01-KA101-000006"]
    result = import_file("prp", export, root=root, progress=False, on_error="skip", report=lambda _: None)
    with store.open_build() as (reader, build_dir), SearchIndex(build_dir) as index:
        files = {p.name: p.stat().st_ino for p in (build_dir / search_index.FOLDER).iterdir()}
        assert set(first_files) < set(files)
        assert all(files[name] == inode for name, inode in first_files.items())  # taken over, not made again
        imported = {
            q.subject.value
            for q in reader.quads_for_pattern(
                None,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/erasmus-kg/ontology#Project"),
                ox.NamedNode(result.graph),
            )
        }
        some = sorted(imported)[0]
        assert projects(index, some.removeprefix(ID)) == [some.removeprefix(ID)]
        years = dict(index.search(some.removeprefix(ID)).facets[YEAR])
        with open_target(root) as target:
            rows = run_stored("project-details", {"project": some}, "en", target)
            assert isinstance(rows, ox.QuerySolutions)
    assert len(years) == 1
    removed = CliRunner().invoke(cli, ["--store", str(root), "remove", export.name], catch_exceptions=False)
    assert removed.exit_code == 0, removed.output
    with store.open_build() as (_, build_dir), SearchIndex(build_dir) as index:
        assert projects(index, some.removeprefix(ID)) == []
        assert projects(index, "2017-1-RS01-KA101-000006") == ["2017-1-RS01-KA101-000006"]


def test_an_index_of_another_layout_is_neither_read_nor_taken_over(tmp_path: Path, store_copy: Path) -> None:
    import sqlite3

    root = store_copy
    import_file("prp", SAMPLE, root=root, progress=False)
    store = DefaultStore(root)
    with store.open_build() as (_, build_dir):
        files = sorted((build_dir / search_index.FOLDER).glob("*.sqlite"))
        for path in files:  # as an older erasmus-kg wrote them
            with sqlite3.connect(path) as connection:
                connection.execute("PRAGMA user_version = 0")
        with SearchIndex(build_dir) as index:
            assert not index.available
    export = tmp_path / "generated.csv"
    bench_generator().generate(export, 20, seed=3)
    import_file("prp", export, root=root, progress=False, on_error="skip", report=lambda _: None)
    with store.open_build() as (_, build_dir), SearchIndex(build_dir) as index:
        assert index.available  # the sample's file was made again, not linked
        assert projects(index, "2017-1-RS01-KA101-000006") == ["2017-1-RS01-KA101-000006"]


def test_beyond_rank_all_title_matches_come_first(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = set(projects(index, "toekomst"))
    monkeypatch.setattr(search_index, "RANK_ALL", 2)
    with SearchIndex(index.folder.parent) as fresh:  # not the answers the fixture's index keeps
        found = projects(fresh, "toekomst")
        pages = [fresh.search("toekomst", limit=1, offset=n).projects for n in range(5)]
    assert set(found) == everything and len(found) == len(everything) == 4
    assert found[0] == "op-weg-naar-de-toekomst"  # the one with the word in its title
    assert [ID + p for p in found] == [iri for page in pages for iri in page] and pages[4] == []


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("mobility of learners", '"mobility" AND "learners"*'),
        ("Op weg naar de toekomst", '"weg" AND "naar" AND "toekomst"*'),
        ("school in", '"school"*'),
        ("of", '"of"*'),  # only stop words: kept
        ("für die Zukunft", '"zukunft"*'),
    ],
)
def test_stop_words_are_left_out_when_there_are_other_words(typed: str, expression: str) -> None:
    assert match_expression(typed) == expression
