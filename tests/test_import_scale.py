"""Imports at scale (slow: `pytest -m slow`): 10,000 generated projects, and the ECHE list, validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from erasmus_kg.importing.run import import_file
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import open_target

from .import_helpers import ECHE, SAMPLE, bench_generator

pytestmark = pytest.mark.slow


def test_ten_thousand_generated_projects(tmp_path: Path) -> None:
    export = tmp_path / "prp-10k.csv"
    bench_generator().generate(export, 10_000, seed=7)
    root = tmp_path / "store"
    result = import_file("prp", export, root=root)
    assert (result.rows_imported, result.rows_skipped) == (10_000, 0)
    assert result.validation is not None and result.validation.conforms, result.validation.text()[:2000]
    assert result.validation.data_triples == result.triples
    assert 380_000 < result.triples < 500_000
    with open_target(root) as target:
        count = next(
            iter(
                target.query(
                    "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/erasmus-kg/ontology#Project> }"
                )
            )
        )
        assert int(count[0].value) == 10_000 + 10  # and the brochure's ten
        lithuania = list(run_stored("projects-by-country", {"country": "LT"}, "en", target))
        assert len(lithuania) > 100
        organisations = next(iter(target.query(
            "SELECT (COUNT(DISTINCT ?o) AS ?n) "
            "WHERE { ?o a <https://w3id.org/erasmus-kg/ontology#Organisation> }"
        )))  # fmt: skip
        participations = next(iter(target.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?x a <https://w3id.org/erasmus-kg/ontology#Participation> }"
        )))  # fmt: skip
    # organisations recur across projects: far fewer nodes than participations
    assert int(organisations[0].value) * 2 < int(participations[0].value)


def test_the_eche_list_validated_and_the_store_validated_with_it(tmp_path: Path) -> None:
    from erasmus_kg.validation.batches import validate_packaged_and_imports

    root = tmp_path / "store"
    result = import_file("eche", ECHE, root=root)
    assert result.validation is not None and result.validation.conforms
    import_file("prp", SAMPLE, root=root)
    everything = validate_packaged_and_imports(root)
    assert everything.conforms, everything.text()[:2000]
    assert everything.text().startswith("The data conforms to the shapes (")
