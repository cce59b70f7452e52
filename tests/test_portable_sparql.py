"""Every SPARQL query erasmus-kg has or sends is SPARQL 1.1 by a strict parser (Jena ARQ's) and stays in the
subset that Oxigraph, Jena and Virtuoso evaluate alike (queries/README.md, "Portable SPARQL"): each file of
queries/ as it is, each stored query as it is sent (its parameters bound, a page cut, its rows counted), each
lookup that resolves a parameter as it is sent, and the SPARQL text built in src/. The check runs once, in one
JVM (tests/jena/CheckQueries.java), and each subject is a test of its own; the fixtures of
tests/fixtures/non-portable-sparql/ show that each check fails when it should.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg import resources
from erasmus_kg.derived import positions
from erasmus_kg.errors import ParameterError
from erasmus_kg.query.binding import bind, count_query
from erasmus_kg.query.catalogue import Parameter, get_query, load_catalogue, query_names
from erasmus_kg.query.parameters import CONCEPT_SCHEMES, resolve
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import StoreTarget, open_target, solutions
from erasmus_kg.store.builds import graph_size_query
from erasmus_kg.validation.batches import subjects_query
from erasmus_kg.validation.screen.compiler import START_NOT_AFTER_END
from erasmus_kg.web import dataset, linked_data

from .jena_launcher import check_queries, missing

QUERIES = resources.queries_dir()
FILES = sorted(p.relative_to(QUERIES).as_posix() for p in QUERIES.rglob("*.rq"))
FIXTURES = sorted((Path(__file__).resolve().parent / "fixtures" / "non-portable-sparql").glob("*.rq"))
LOOKUP_KINDS = sorted([*CONCEPT_SCHEMES, "organisation", "project"])
NO_SUCH = "zz no such name zz"
"""A value no lookup finds: it takes every lookup of its kind (exact names, the scan, the suggestions)."""
SH_SELECT = ox.NamedNode("http://www.w3.org/ns/shacl#select")


def built_in() -> dict[str, str]:
    """The SPARQL text built in src/, by name."""
    texts = {
        "derived.positions titles": positions._TITLES,
        "derived.positions labels": positions._LABELS,
        "derived.positions organisations": positions._ORGANISATIONS,
        "web.dataset pages": dataset._PAGES,
        "web.dataset licences": dataset._LICENCES,
        "web.linked_data exists": bind(
            linked_data._EXISTS, {"resource": [ox.NamedNode("https://example.org/r")]}
        ),
        "validation.screen start-not-after-end": START_NOT_AFTER_END,
        "validation.batches subjects": subjects_query(ox.NamedNode("https://example.org/graph")),
        "store.builds graph size": graph_size_query("https://example.org/graph"),
    }
    shapes = ox.parse(path=str(resources.shapes_file()), format=ox.RdfFormat.TURTLE)
    for n, quad in enumerate(q for q in shapes if q.predicate == SH_SELECT):
        texts[f"ontology/shapes.ttl sh:select {n + 1}"] = quad.object.value
    return texts


BUILT_IN = sorted(built_in())


def sent_texts(target: StoreTarget, name: str) -> list[str]:
    """A stored query as erasmus-kg sends it: with every parameter's example (and with the required ones
    only), a page of it (from the search index where the query declares one), and the count of its rows."""
    query = get_query(name)
    every = {p.name: p.example for p in query.params if p.example is not None}
    required = {p.name: p.example for p in query.params if p.required and p.example is not None}
    texts = [prepare(name, every, "en", target), prepare(name, required, "nl", target)]
    texts.append(prepare(name, every, "en", target, limit=10, offset=20))
    counted = count_query(texts[0])
    return texts + ([counted] if counted else [])


def lookup_texts(target: StoreTarget, kind: str) -> list[str]:
    """The lookups that resolve a parameter of `kind` as they are sent to an endpoint (no name index): for an
    example value, an IRI and a value that matches nothing."""
    sent: list[str] = []

    def select(text: str) -> ox.QuerySolutions:
        sent.append(text)
        return solutions(target, text)

    examples = {p.example for q in load_catalogue() for p in q.params if p.type == kind and p.example}
    param = Parameter(name=kind, type=kind, required=True, description="")
    for value in [*sorted(examples), "https://w3id.org/erasmus-kg/id/none", NO_SUCH]:
        with contextlib.suppress(ParameterError):  # no match: the lookups were sent all the same
            resolve(param, value, select)
    return sent


@pytest.fixture(scope="session")
def subjects(store_root: Path) -> dict[str, list[str]]:
    """The texts to check, by subject."""
    found: dict[str, list[str]] = {f"file {f}": [(QUERIES / f).read_text(encoding="utf-8")] for f in FILES}
    found |= {f"fixture {f.name}": [f.read_text(encoding="utf-8")] for f in FIXTURES}
    found |= {f"built-in {name}": [text] for name, text in built_in().items()}
    with open_target(store_root) as target:
        found |= {f"sent {name}": sent_texts(target, name) for name in query_names()}
        found |= {f"lookup {kind}": lookup_texts(target, kind) for kind in LOOKUP_KINDS}
    return found


@pytest.fixture(scope="session")
def problems(
    subjects: dict[str, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """The problems found in each subject's texts, by subject: all found by one run of CheckQueries.java."""
    reason = missing()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("portable-sparql")
    files: dict[Path, tuple[str, int]] = {}
    for subject, texts in subjects.items():
        for n, text in enumerate(texts):
            path = folder / f"{re.sub(r'[^A-Za-z0-9.-]+', '_', subject)}.{n}.rq"
            path.write_text(text, encoding="utf-8")
            files[path] = (subject, n)
    found: dict[str, list[str]] = {subject: [] for subject in subjects}
    for path, messages in check_queries(list(files), folder).items():
        subject, n = files[path]
        found[subject] += [f"[text {n}] {message}" for message in messages]
    return found


@pytest.mark.parametrize("name", FILES)
def test_every_query_file_is_portable_sparql(problems: dict[str, list[str]], name: str) -> None:
    assert problems[f"file {name}"] == []


@pytest.mark.parametrize("name", query_names())
def test_every_stored_query_is_portable_as_sent(problems: dict[str, list[str]], name: str) -> None:
    assert problems[f"sent {name}"] == []


@pytest.mark.parametrize("kind", LOOKUP_KINDS)
def test_every_lookup_is_portable_as_sent(problems: dict[str, list[str]], kind: str) -> None:
    assert problems[f"lookup {kind}"] == []


@pytest.mark.parametrize("name", BUILT_IN)
def test_the_sparql_built_in_src_is_portable(problems: dict[str, list[str]], name: str) -> None:
    assert problems[f"built-in {name}"] == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_a_non_portable_query_is_refused(problems: dict[str, list[str]], fixture: Path) -> None:
    """Each fixture names, in its first line, the problem the check must find in it (and only that one)."""
    expected = fixture.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
    found = problems[f"fixture {fixture.name}"]
    assert len(found) == 1 and expected in found[0], found


def test_the_old_where_to_submit_is_rejected_by_the_strict_parser(problems: dict[str, list[str]]) -> None:
    """Issue 15: Jena refused where-to-submit, `Variable used when already in-scope: ?body in ((AGG ?.4
    SAMPLE(?body)) AS ?body)`, a SPARQL 1.1 error that Oxigraph accepts."""
    old = "fixture where-to-submit-rebinding-body.rq"
    assert problems[old] == [
        "[text 0] Variable used when already in-scope: ?body in ((AGG ?.4 SAMPLE(?body)) AS ?body)"
    ]


def test_every_lookup_query_is_checked_as_sent(subjects: dict[str, list[str]]) -> None:
    """Each internal query that resolves a parameter is among the lookups checked as sent."""
    sent = [text for subject, texts in subjects.items() if subject.startswith("lookup ") for text in texts]
    lookups = {"concept-by-iri", "concept-exact", "concept-labels", "organisation", "organisation-by-iri"}
    lookups |= {"organisation-names", "project", "project-by-iri", "project-exact", "project-names"}
    for name in sorted(lookups):
        head = (QUERIES / "internal" / f"{name}.rq").read_text(encoding="utf-8").splitlines()[0]
        assert any(text.startswith(head) for text in sent), name
