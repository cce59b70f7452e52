"""Hostile parameter values (tests/corpus/hostile-values.json), for every stored query and parameter, on
the embedded store and on a real `oxigraph serve`: each value is refused in one line (exit 2), or it matches,
literally, names in the graph and the query returns exactly the rows of those matches. No value changes the
store: its size after each value is its size before the first, and a hash of its sorted N-Quads is the same
before and after them all."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg.derived.normal import normal
from erasmus_kg.errors import ParameterError
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import get_query, query_names
from erasmus_kg.query.parameters import CONCEPT_SCHEMES, resolve_all
from erasmus_kg.query.running import run_stored
from erasmus_kg.query.targets import StoreTarget, Target, open_target
from erasmus_kg.remote.sparql import EndpointTarget, open_endpoint

from .servers import OxigraphServer

CORPUS = json.loads((Path(__file__).parent / "corpus" / "hostile-values.json").read_text(encoding="utf-8"))
VALUES = [entry["value"] if "value" in entry else entry["repeat"] * entry["times"] for entry in CORPUS]
IDS = [entry["why"] for entry in CORPUS]
PARAMETERISED = [(name, p.name) for name in query_names() for p in get_query(name).params]

NAMES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
SELECT ?text
WHERE { ?node skos:notation|skos:prefLabel|skos:altLabel|rdfs:label|dcterms:title|ekg:acronym ?text }
"""


def test_the_corpus_is_large_enough() -> None:
    assert len(VALUES) >= 50
    assert max(len(v) for v in VALUES) >= 1_000_000


def rows(results: object) -> set[tuple[str, ...]]:
    assert isinstance(results, ox.QuerySolutions)
    return {tuple(str(row[v]) for v in results.variables) for row in results}


def check(target: Target, name: str, param_name: str, value: str) -> None:
    query = get_query(name)
    raw = {p.name: (value if p.name == param_name else p.example) for p in query.params}
    raw = {k: v for k, v in raw.items() if v is not None}
    try:
        names = target.names  # the embedded store's name index (None remotely): as run_stored resolves
        bindings = resolve_all(query, raw, target.query, names)
    except ParameterError as error:
        message = str(error)
        assert len(message) < 400 and "\n" not in message and "\r" not in message
        return
    # Names match in their normal form with the name index (derived.normal), and concepts on every path;
    # projects and organisations without the index match literally (lower case).
    concept = query.param(param_name).type in CONCEPT_SCHEMES
    fold = normal if names is not None or concept else str.lower
    needle = fold(value.strip())
    for term in bindings[param_name]:
        if isinstance(term, ox.NamedNode) and query.param(param_name).type not in (
            "integer",
            "year",
            "string",
        ):
            texts = [fold(r["text"].value) for r in target.query(bind(NAMES, {"node": [term]}))]
            assert term.value == value.strip() or any(needle in text for text in texts), (term, value[:50])
    got = rows(run_stored(name, raw, "en", target))
    expected: set[tuple[str, ...]] = set()
    for term in bindings[param_name]:
        expected |= rows(run_stored(name, {**raw, param_name: term.value}, "en", target))
    assert got == expected


# ------------------------------------------------------------------------------------------------------------
# Embedded


@pytest.fixture(scope="module")
def target(store_root: Path) -> Iterator[StoreTarget]:
    """One read-only target on the session store for the module's cases (conftest's opens one per test)."""
    with open_target(store_root) as opened:
        yield opened


@pytest.fixture(scope="module")
def embedded_fingerprint(store_root: Path) -> Iterator[str]:
    from erasmus_kg.store.builds import EmbeddedStore

    def fingerprint() -> str:
        with EmbeddedStore(store_root).open_reader() as store:
            return _hash(store.quads_for_pattern(None, None, None, None))

    before = fingerprint()
    yield before
    assert fingerprint() == before


@pytest.mark.parametrize(("name", "param_name"), PARAMETERISED)
@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_embedded(
    target: StoreTarget, embedded_fingerprint: str, name: str, param_name: str, value: str
) -> None:
    size = len(target.store)
    check(target, name, param_name, value)
    assert len(target.store) == size


# ------------------------------------------------------------------------------------------------------------
# A real oxigraph serve


@pytest.fixture(scope="module")
def remote_size(loaded: OxigraphServer) -> int:
    """The server's size before the first value: each test asserts it is the size after its value."""
    return loaded.count()


@pytest.fixture(scope="module")
def remote(loaded: OxigraphServer, remote_size: int) -> Iterator[EndpointTarget]:
    before = _server_hash(loaded)
    with open_endpoint(f"{loaded.base}/query") as target:
        yield target
    assert _server_hash(loaded) == before


@pytest.mark.server
@pytest.mark.parametrize(("name", "param_name"), PARAMETERISED)
@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_remote(
    remote: EndpointTarget, remote_size: int, loaded: OxigraphServer, name: str, param_name: str, value: str
) -> None:
    check(remote, name, param_name, value)
    assert loaded.count() == remote_size


def _hash(quads: Iterator[ox.Quad]) -> str:
    lines = sorted(f"{q}\n" for q in quads)
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def _server_hash(server: OxigraphServer) -> str:
    request = urllib.request.Request(f"{server.base}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=60) as response:
        quads = ox.parse(response.read(), format=ox.RdfFormat.N_QUADS)
        return _hash(iter(quads))
