"""The label every query shows for a concept or an organisation (ekg:shownLabelNl/En, derived with the list
positions): in the language of the output, else English, else Dutch, else any, as the titles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg.derived.positions import shown_label
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import open_target
from erasmus_kg.store.loading import load_files

from .test_derived import check_derived

EX = "https://example.org/labels/"
LABELS = f"""@prefix ekg: <https://w3id.org/erasmus-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix theme: <https://w3id.org/erasmus-kg/vocab/theme/> .
@prefix role: <https://w3id.org/erasmus-kg/vocab/role/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix ex: <{EX}> .

ex:project a ekg:Project ; dcterms:title "Shown labels"@en ; ekg:acronym "LABELS" ;
    ekg:theme ex:only-english, ex:only-french, ex:both ;
    ekg:participation ex:named-participation, ex:described-participation .
ex:named-participation a ekg:Participation ; ekg:organisation ex:named ; ekg:role role:coordinator .
ex:described-participation a ekg:Participation ; ekg:organisation ex:described ; ekg:role role:partner .
ex:only-english a ekg:Theme ; skos:inScheme <https://w3id.org/erasmus-kg/vocab/theme> ;
    skos:broader theme:choice-guidance ; skos:prefLabel "only in English"@en .
ex:only-french a ekg:Theme ; skos:inScheme <https://w3id.org/erasmus-kg/vocab/theme> ;
    skos:broader theme:choice-guidance ; skos:prefLabel "seulement en français"@fr .
ex:both a ekg:Theme ; skos:inScheme <https://w3id.org/erasmus-kg/vocab/theme> ;
    skos:broader theme:choice-guidance ; skos:prefLabel "in beide talen"@nl, "in both languages"@en .
ex:named a ekg:Organisation ; skos:prefLabel "Shown Labels vzw" ; ekg:country country:MLT .
ex:described a ekg:Organisation ; rdfs:label "une organisation décrite en français"@fr ;
    ekg:country country:MLT .
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory, copy_store: Callable[[Path], Path]) -> Path:
    folder = tmp_path_factory.mktemp("shown-labels")
    data = folder / "labels.ttl"
    data.write_text(LABELS, encoding="utf-8")
    store = copy_store(folder / "store")
    load_files(store, [data])
    return store


def rows(root: Path, query: str, params: dict[str, str], lang: str) -> list[dict[str, str]]:
    with open_target(root) as target:
        results = run_stored(query, params, lang, target)
        assert isinstance(results, ox.QuerySolutions)
        names = [v.value for v in results.variables]
        return [{n: (s[n].value if s[n] is not None else "") for n in names} for s in results]


def themes(root: Path, lang: str) -> list[str]:
    found = rows(root, "projects-by-theme", {"theme": "theme:choice-guidance"}, lang)
    [row] = [r for r in found if r["project"] == EX + "project"]
    return sorted(row["themes"].split("; "))


def test_the_derived_labels_are_their_definition(root: Path) -> None:
    check_derived(root)  # ekg:shownLabelNl/En equal queries/internal/shown-labels.rq, also for these nodes


def test_a_concept_labelled_only_in_english_shows_it_in_dutch(root: Path) -> None:
    assert "only in English" in themes(root, "nl")


def test_a_concept_labelled_only_in_french_shows_its_french_label(root: Path) -> None:
    assert "seulement en français" in themes(root, "nl")
    assert "seulement en français" in themes(root, "en")


def test_a_concept_labelled_in_dutch_and_english_shows_each_in_its_language(root: Path) -> None:
    assert themes(root, "nl") == ["in beide talen", "only in English", "seulement en français"]
    assert themes(root, "en") == ["in both languages", "only in English", "seulement en français"]


def test_project_details_shows_the_same_labels_and_the_organisations_names(root: Path) -> None:
    details = rows(root, "project-details", {"project": EX + "project"}, "nl")
    shown = {(r["field"], r["value"]) for r in details}
    assert {v for f, v in shown if f == "thema"} == {
        "in beide talen",
        "only in English",
        "seulement en français",
    }
    assert {v for f, v in shown if f == "organisatie"} == {
        "Shown Labels vzw",
        "une organisation décrite en français",
    }
    coordinator = [r["detail"] for r in details if r["value"] == "Shown Labels vzw"]
    assert coordinator == ["coördinator, Malta"]


def test_organisations_are_listed_and_ordered_by_their_shown_labels(root: Path) -> None:
    for lang in ("nl", "en"):
        listed = rows(root, "organisations-by-country", {"country": "MLT"}, lang)
        assert [r["name"] for r in listed] == ["Shown Labels vzw", "une organisation décrite en français"]
        assert {r["countryName"] for r in listed} == {"Malta"}


def test_shown_label() -> None:
    def labels(*tagged: tuple[str, str | None]) -> list[ox.Literal]:
        return [ox.Literal(text, language=tag) if tag else ox.Literal(text) for text, tag in tagged]

    both = labels(("nl-label", "nl"), ("en-label", "en"), ("fr-label", "fr"))
    assert shown_label(both, [], "nl") == "nl-label"
    assert shown_label(both, [], "en") == "en-label"
    assert shown_label(labels(("fr-label", "fr"), ("nl-label", "nl-BE")), [], "en") == "nl-label"
    assert shown_label(labels(("b", "fr"), ("a", "de")), [], "nl") == "a"  # any: the smallest
    named = shown_label(labels(("Name", None)), labels(("description", "nl")), "nl")
    assert named == "Name"  # the prefLabels first
    assert shown_label([], labels(("description", "en")), "nl") == "description"
    assert shown_label([], [], "nl") is None
