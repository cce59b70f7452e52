"""Batched validation reports exactly what pySHACL reports on the whole graph (invalid imports, two ways)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg import resources
from erasmus_kg.errors import UnsupportedLibraryError
from erasmus_kg.importing.countries import CountryCodes
from erasmus_kg.importing.run import ImportRefused, import_file
from erasmus_kg.importing.terms import T, iri
from erasmus_kg.namespaces import COUNTRY
from erasmus_kg.validation import batches as batch_validation
from erasmus_kg.validation import patches
from erasmus_kg.validation.context import CONTEXT_PREDICATES, packaged_context
from erasmus_kg.validation.report import ValidationResult, Violation
from erasmus_kg.validation.shacl import default_data_files, read_graph, validate_graph

from .import_helpers import SAMPLE

GRAPH = "https://w3id.org/erasmus-kg/graph/import/ErasmusPlus_Projects_Overview_sample.csv"


def key(v: Violation) -> tuple[str, ...]:
    """A violation without the blank-node labels of the shapes graph (each process parses its own)."""
    shape = (
        str(v.source_shape) if v.source_shape is not None and not str(v.source_shape).startswith("N") else ""
    )
    return (str(v.focus), v.path, v.value, v.message, v.component, shape if "://" in shape else "_:blank")


def whole_graph(nquads: Path) -> ValidationResult:
    """pySHACL on everything at once: the packaged data and the import."""
    return validate_graph(read_graph([*default_data_files(), nquads]))


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the importer write invalid data of three kinds, on three kinds of nodes: titles without a language
    (projects), partners in a role that is no role (participations), Czechia as a country outside the table
    (organisations and projects)."""
    from erasmus_kg.importing import prp

    monkeypatch.setattr(prp, "TITLE_LANGUAGE", None)
    monkeypatch.setattr(T, "partner", iri("https://example.org/not-a-role"))
    codes = CountryCodes.packaged()
    monkeypatch.setitem(codes._by_code, "CZ", COUNTRY + "CZZ")
    monkeypatch.setattr(codes, "_serialised", {})


def test_the_importers_batches_report_what_the_whole_graph_reports(broken: None, tmp_path: Path) -> None:
    nquads = tmp_path / "broken.nq"
    import_file("prp", SAMPLE, output=nquads, validate=False)
    whole = whole_graph(nquads)
    with pytest.raises(ImportRefused) as raised:
        # two rows per batch: organisations and concepts are referred to across batches; workers validate
        import_file("prp", SAMPLE, output=tmp_path / "refused.nq", batch_rows=2, workers=2)
    batched = raised.value.result.validation
    assert batched is not None
    assert not (tmp_path / "refused.nq").exists()
    assert sorted(map(key, batched.violations)) == sorted(map(key, whole.violations))
    assert [v.line() for v in batched.violations] == [v.line() for v in whole.violations]
    components = {(v.path, v.component) for v in whole.violations}
    assert components == {
        ("dcterms:title", "sh:DatatypeConstraintComponent"),
        ("dcterms:description", "sh:DatatypeConstraintComponent"),
        ("ekg:role", "sh:ClassConstraintComponent"),
        ("ekg:country", "sh:NodeConstraintComponent"),
        ("ekg:participatingCountry", "sh:NodeConstraintComponent"),
    }
    assert len(whole.violations) == 6 + 6 + 16 + 1 + 1  # titles, summaries, partners, the Czech school twice


def test_the_store_batches_report_what_the_whole_graph_reports(broken: None, tmp_path: Path) -> None:
    nquads = tmp_path / "broken.nq"
    import_file("prp", SAMPLE, output=nquads, validate=False)
    whole = whole_graph(nquads)
    store = ox.Store()
    for path in default_data_files():
        store.load(
            path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:packaged:" + path.name)
        )
    store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    reports = [
        batch_validation.validate_batch(b.text, b.focus, b.triples)
        for b in batch_validation.store_batches(store, [GRAPH], batch_nodes=7)
    ]
    assert len(reports) > 5
    batched = batch_validation.merge_reports(reports)
    assert sorted(map(key, batched.violations)) == sorted(map(key, whole.violations))
    assert [v.line() for v in batched.violations] == [v.line() for v in whole.violations]
    assert batched.data_triples == 507


def test_a_valid_import_conforms_both_ways(tmp_path: Path) -> None:
    nquads = tmp_path / "sample.nq"
    result = import_file("prp", SAMPLE, output=nquads, batch_rows=1, workers=1)
    assert result.validation is not None and result.validation.conforms
    assert result.validation.text() == "The data conforms to the shapes (507 triples checked)."
    assert whole_graph(nquads).conforms


def test_the_context_is_types_subclasses_and_schemes_of_the_packaged_files() -> None:
    context = list(ox.parse(packaged_context(), format=ox.RdfFormat.N_TRIPLES))
    assert {t.predicate.value for t in context} == set(CONTEXT_PREDICATES)
    packaged = {
        (t.subject, t.predicate, t.object)
        for path in [resources.ontology_file(), *resources.data_files()]
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        if t.predicate.value in CONTEXT_PREDICATES
    }
    assert {(t.subject, t.predicate, t.object) for t in context} == packaged


@pytest.mark.parametrize(
    ("distribution", "version"),
    [
        ("rdflib", "7.7.0"),
        ("rdflib", "7.2.1"),
        ("rdflib", "8.0.0a1"),
        ("pyshacl", "0.41.0rc1"),
        ("pyshacl", "0.31.0"),
    ],
)
def test_the_patches_refuse_a_library_version_they_were_not_written_for(
    monkeypatch: pytest.MonkeyPatch, distribution: str, version: str
) -> None:
    installed = patches.installed_version
    monkeypatch.setattr(
        patches, "installed_version", lambda name: version if name == distribution else installed(name)
    )
    with pytest.raises(UnsupportedLibraryError, match=f"{distribution} {version} is installed"):
        patches.check_versions()


def test_the_patches_accept_the_installed_libraries() -> None:
    patches.check_versions()
    assert patches.release("0.40.1") == (0, 40, 1)
    assert patches.release("7.6.0.post1") == (7, 6, 0)
