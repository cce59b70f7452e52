"""The committed country vocabulary data/countries.ttl (built by scripts/build_country_vocabulary.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = REPO_ROOT / "data" / "countries.ttl"
SCRIPT = REPO_ROOT / "scripts" / "build_country_vocabulary.py"
SOURCE = REPO_ROOT.parent / "shared" / "data" / "external" / "op-country-authority-table" / "countries.ttl"

COUNTRY = "http://publications.europa.eu/resource/authority/country/"
SCHEME = pyoxigraph.NamedNode(COUNTRY.rstrip("/"))
EU_MEMBERS = pyoxigraph.NamedNode(COUNTRY + "0005")
SKOS = "http://www.w3.org/2004/02/skos/core#"
EUVOC = "http://publications.europa.eu/ontology/euvoc#"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
CONCEPT = pyoxigraph.NamedNode(SKOS + "Concept")
PREF_LABEL = pyoxigraph.NamedNode(SKOS + "prefLabel")
NOTATION = pyoxigraph.NamedNode(SKOS + "notation")
IN_SCHEME = pyoxigraph.NamedNode(SKOS + "inScheme")
ALPHA_2 = pyoxigraph.NamedNode(EUVOC + "ISO_3166_1_ALPHA_2")
ALPHA_3 = pyoxigraph.NamedNode(EUVOC + "ISO_3166_1_ALPHA_3")
ISG_COU = pyoxigraph.NamedNode(EUVOC + "ISG_COU")

CONCEPT_COUNT = 280
"""Current countries and territories of table version 20250319-0 (see the script's docstring)."""

ONLY_ENGLISH_IN_SOURCE = frozenset(
    {
        "CRQ", "XAC", "XAD", "XBH", "XCI", "XIC", "XLF", "XLI", "XLL", "XMA", "XPA", "XPM", "XSC",
        "XSL", "XSM", "XXC", "XXD", "XXE", "XXF", "XXG", "XXH", "XXR", "XXS", "XXU", "XXV",
    }
)  # fmt: skip
"""Kept concepts for which the source table gives an English prefLabel but no nl, fr or de one."""

EU_MEMBER_CODES = frozenset(
    {
        "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
        "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
    }
)  # fmt: skip


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    with VOCABULARY.open("rb") as f:
        store.bulk_load(f, format=pyoxigraph.RdfFormat.TURTLE)
    return store


def country(code: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(COUNTRY + code)


def objects(store: pyoxigraph.Store, subject, predicate) -> set:
    return {q.object for q in store.quads_for_pattern(subject, predicate, None)}


def concepts(store: pyoxigraph.Store) -> set[str]:
    return {q.subject.value[len(COUNTRY) :] for q in store.quads_for_pattern(None, RDF_TYPE, CONCEPT)}


def test_file_parses_with_oxigraph() -> None:
    with VOCABULARY.open("rb") as f:
        triples = list(pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) == 17376  # 17,334 of the table, 42 everyday names (skos:hiddenLabel)


HIDDEN_LABEL = pyoxigraph.NamedNode(SKOS + "hiddenLabel")


def test_everyday_names_are_hidden_labels_of_one_country(store: pyoxigraph.Store) -> None:
    """The alias table of the build script: names the table lacks, each with its language, as
    skos:hiddenLabel (found, never shown), none of them a label of any country of the table."""
    from erasmus_kg.derived.normal import normal

    aliases = {(q.subject.value[len(COUNTRY) :], q.object.value, q.object.language)
               for q in store.quads_for_pattern(None, HIDDEN_LABEL, None)}  # fmt: skip
    assert len(aliases) == 42
    assert {
        ("GBR", "Groot-Brittannië", "nl"), ("GBR", "Groot-Brittanië", "nl"), ("GBR", "Engeland", "nl"),
        ("GBR", "Great Britain", "en"), ("GBR", "England", "en"), ("NLD", "the Netherlands", "en"),
        ("MKD", "Macedonië", "nl"), ("BLR", "Wit-Rusland", "nl"),
    } <= aliases  # fmt: skip
    labels = {
        normal(q.object.value)
        for prop in (PREF_LABEL, pyoxigraph.NamedNode(SKOS + "altLabel"), NOTATION)
        for q in store.quads_for_pattern(None, prop, None)
    }
    assert [alias for alias in aliases if normal(alias[1]) in labels] == []


def test_lithuania(store: pyoxigraph.Store) -> None:
    labels = objects(store, country("LTU"), PREF_LABEL)
    for text, lang in [("Lithuania", "en"), ("Litouwen", "nl"), ("Lituanie", "fr"), ("Litauen", "de")]:
        assert pyoxigraph.Literal(text, language=lang) in labels
    assert objects(store, country("LTU"), NOTATION) == {
        pyoxigraph.Literal("LT", datatype=ALPHA_2),
        pyoxigraph.Literal("LTU", datatype=ALPHA_3),
        pyoxigraph.Literal("LT", datatype=ISG_COU),
    }
    assert objects(store, country("LTU"), IN_SCHEME) == {SCHEME, EU_MEMBERS}


def test_eu_codes_of_greece_and_the_united_kingdom(store: pyoxigraph.Store) -> None:
    assert objects(store, country("GRC"), NOTATION) == {
        pyoxigraph.Literal("GR", datatype=ALPHA_2),
        pyoxigraph.Literal("GRC", datatype=ALPHA_3),
        pyoxigraph.Literal("EL", datatype=ISG_COU),
    }
    assert objects(store, country("GBR"), NOTATION) == {
        pyoxigraph.Literal("GB", datatype=ALPHA_2),
        pyoxigraph.Literal("GBR", datatype=ALPHA_3),
        pyoxigraph.Literal("UK", datatype=ISG_COU),
    }
    assert objects(store, country("GBR"), IN_SCHEME) == {SCHEME}


def test_no_deprecated_or_excluded_concept(store: pyoxigraph.Store) -> None:
    present = concepts(store)
    # retired codes, the placeholder, the grouping headings, marine areas, the EU itself and XJL (which the
    # source leaves out of the main scheme)
    for code in ["1A0", "YUG", "ANT", "CSK", "SCG", "OP_DATPRO", "XDST", "XMAZ", "XHS", "XEU", "EUR", "XJL"]:
        assert code not in present
        assert not list(store.quads_for_pattern(country(code), None, None))
    deprecated = pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#deprecated")
    end_use = pyoxigraph.NamedNode("http://publications.europa.eu/ontology/authority/end.use")
    assert not list(store.quads_for_pattern(None, deprecated, None))
    assert not list(store.quads_for_pattern(None, end_use, None))


def test_concept_count_and_scheme(store: pyoxigraph.Store) -> None:
    present = concepts(store)
    assert len(present) == CONCEPT_COUNT
    assert {"XKX", "PSE", "TWN", "XIC", "XMA", "XXH"} <= present
    assert {q.subject for q in store.quads_for_pattern(None, IN_SCHEME, SCHEME)} == {
        country(code) for code in present
    }
    members = {q.subject.value[len(COUNTRY) :] for q in store.quads_for_pattern(None, IN_SCHEME, EU_MEMBERS)}
    assert members == EU_MEMBER_CODES
    assert objects(store, SCHEME, pyoxigraph.NamedNode("http://www.w3.org/2002/07/owl#versionInfo")) == {
        pyoxigraph.Literal("20250319-0")
    }
    assert objects(store, SCHEME, PREF_LABEL) == {
        pyoxigraph.Literal("Countries and territories", language="en"),
        pyoxigraph.Literal("Landen en gebieden", language="nl"),
    }


def test_every_concept_has_nl_en_fr_de_labels_except_known_gaps(store: pyoxigraph.Store) -> None:
    lacking: dict[str, set[str]] = {}
    for code in concepts(store):
        languages = {label.language for label in objects(store, country(code), PREF_LABEL)}
        missing = {"nl", "en", "fr", "de"} - languages
        if missing:
            lacking[code] = missing
    assert lacking == {code: {"nl", "fr", "de"} for code in ONLY_ENGLISH_IN_SOURCE}


def test_one_notation_per_kind(store: pyoxigraph.Store) -> None:
    for code in concepts(store):
        datatypes = [n.datatype for n in objects(store, country(code), NOTATION)]
        assert len(datatypes) == len(set(datatypes)), code
        assert set(datatypes) <= {ALPHA_2, ALPHA_3, ISG_COU}, code


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"source table not available at {SOURCE}")
def test_regenerating_from_the_source_gives_the_committed_file(tmp_path: Path) -> None:
    output = tmp_path / "countries.ttl"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--source", str(SOURCE), "--output", str(output)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert output.read_bytes() == VOCABULARY.read_bytes()
