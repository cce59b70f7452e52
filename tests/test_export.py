"""Export: every format parses back to the store's graph; JSON-LD round-trips through two independent
processors (rdflib and pyld); output is deterministic; the project frame has the brochure's structure.

Graphs are compared with rdflib.compare.isomorphic (blank nodes included) and with rdflib's literal
normalisation switched off, so that "035"^^xsd:integer and "35"^^xsd:integer count as different literals.
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic

from erasmus_kg.errors import UsageError
from erasmus_kg.export import (
    CONTEXT_URL,
    FORMATS,
    JsonLdContext,
    context_file,
    export,
    export_to_path,
    format_for_path,
    merged,
    published_context,
    write_jsonld,
)
from erasmus_kg.export.jsonld import NodeEncoder, native_value
from erasmus_kg.namespaces import EKG, PREFIXES
from erasmus_kg.query.targets import open_target

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
ID = "https://w3id.org/erasmus-kg/id/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EX = "http://example.org/"

CONTEXT_DOCUMENT = json.loads(context_file().read_text(encoding="utf-8"))

pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig"}


@pytest.fixture(autouse=True)
def exact_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    """rdflib keeps lexical forms as written ("035" stays "035"), so comparisons are exact."""
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.fixture(scope="module")
def packaged(store_root: Path) -> Iterator[ox.Store]:
    """The store built from the packaged ontology and data (read-only)."""
    with open_target(store_root) as target:
        yield target.store


@pytest.fixture(scope="module")
def packaged_exports(packaged: ox.Store) -> dict[str, bytes]:
    exports = {fmt: _export(packaged, fmt) for fmt in FORMATS}
    exports["jsonld-embed"] = _export(packaged, "jsonld", context="embed")
    exports["jsonld-frame"] = _export(packaged, "jsonld", frame="project")
    return exports


# ------------------------------------------------------------------------------------------------------------
# Helpers


def _export(store: ox.Store, fmt: str, **options: Any) -> bytes:
    out = io.BytesIO()
    export(store, fmt, out, **options)
    return out.getvalue()


def _rdflib_term(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term a Turtle parser would make of it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD + "string" else URIRef(datatype))


def _store_graph(store: ox.Store, graph: Any = None) -> Graph:
    """The union of the store's graphs (or one graph) as an rdflib Graph, built from the store directly."""
    result = Graph()
    for quad in store.quads_for_pattern(None, None, None, graph):
        result.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    return result


def _context_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader, offline: the published context URL is served from ontology/context.jsonld."""
    if url != CONTEXT_URL:
        raise AssertionError(f"pyld asked for an unexpected document: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT_DOCUMENT}


def _pyld_term(node: dict[str, str]) -> Any:
    if node["type"] == "IRI":
        return URIRef(node["value"])
    if node["type"] == "blank node":
        return BNode(node["value"][2:])
    if "language" in node:
        return Literal(node["value"], lang=node["language"])
    datatype = node.get("datatype", XSD + "string")
    return Literal(node["value"], datatype=None if datatype == XSD + "string" else URIRef(datatype))


def _pyld_graph(document: bytes | dict[str, Any]) -> Graph:
    """The graph pyld (an independent JSON-LD processor) reads from a document: its RDF dataset.

    pyld (since pyld PR #202) rewrites every xsd:double string it reads into its own canonical form ("1"
    becomes "1.0E0", "NaN" "NAN"), which the JSON-LD 1.1 algorithm does only for JSON numbers; compare
    graphs read by pyld with `_canonical_doubles` applied to the expected graph."""
    doc = json.loads(document) if isinstance(document, bytes) else document
    dataset = jsonld.to_rdf(doc, {"documentLoader": _context_loader})
    assert set(dataset) <= {"@default"}, "the export writes the merged graph only"
    result = Graph()
    for triple in dataset.get("@default", []):
        result.add(tuple(_pyld_term(triple[k]) for k in ("subject", "predicate", "object")))  # type: ignore[arg-type]
    return result


def _canonical_doubles(graph: Graph) -> Graph:
    """`graph` with xsd:double lexical forms as pyld writes them (see `_pyld_graph`)."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and str(o.datatype) == XSD + "double":
            with contextlib.suppress(ValueError):  # not a number: pyld keeps it
                o = Literal(jsonld._canonicalize_double(float(str(o))), datatype=o.datatype)
        result.add((s, p, o))
    return result


def _rdflib_jsonld_graph(document: bytes) -> Graph:
    """The graph rdflib's JSON-LD parser reads (from a document with the context embedded: rdflib would
    fetch a linked context from the network)."""
    doc = json.loads(document)
    assert isinstance(doc["@context"], dict), "give rdflib the --context embed export"
    return Graph().parse(data=json.dumps(doc), format="json-ld")


def _assert_isomorphic(actual: Graph, expected: Graph) -> None:
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(actual, expected)
        raise AssertionError(
            f"graphs differ: {len(only_actual)} triples only in the export, e.g. {sorted(only_actual)[:3]}; "
            f"{len(only_expected)} only expected, e.g. {sorted(only_expected)[:3]}"
        )


def _store(quads: list[tuple[Any, ...]]) -> ox.Store:
    store = ox.Store()
    for quad in quads:
        store.add(ox.Quad(*quad))
    return store


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=n(XSD + datatype))


# ------------------------------------------------------------------------------------------------------------
# The published context


def test_context_defines_a_term_for_every_class_and_property_of_the_ontology(packaged: ox.Store) -> None:
    """The context keeps up with the ontology: a new class or property needs its term (named as in the
    ontology) with the coercion its range calls for, in ontology/context.jsonld."""
    context = published_context()
    ontology = _store_graph(packaged, n("https://w3id.org/erasmus-kg/graph/ontology"))
    kinds = {
        OWL + "Class": "class",
        OWL + "ObjectProperty": "id",
        OWL + "DatatypeProperty": "datatype",
        OWL + "AnnotationProperty": "annotation",
    }
    problems = []
    checked = 0
    for owl_type, kind in kinds.items():
        for term in ontology.subjects(URIRef(RDF + "type"), URIRef(owl_type)):
            iri = str(term)
            if not iri.startswith(EKG):
                continue
            checked += 1
            name = iri[len(EKG) :]
            if kind == "class":
                if context.compact_vocab(iri) != name:
                    problems.append(f'"{name}": "ekg:{name}",')
                continue
            ranges = {str(r) for r in ontology.objects(term, URIRef(RDFS + "range"))}
            if kind == "id":
                wanted: tuple[str, str | None] = ("id", None)
            elif kind == "annotation" or ranges == {RDF + "langString"}:
                wanted = ("lang", None)
            elif ranges == {XSD + "string"}:
                wanted = ("plain", None)
            elif len(ranges) == 1:
                wanted = ("typed", ranges.pop())
            else:  # start and end dates: no declared range (any date precision); the context says xsd:date
                wanted = ("typed", XSD + "date")
            found = context.term(iri, *wanted)
            if found is None or found.name != name:
                definition = {"@id": f"ekg:{name}"}
                kind_of_value, datatype = wanted
                if kind_of_value == "id":
                    definition["@type"] = "@id"
                elif kind_of_value == "lang":
                    definition["@container"] = "@language"
                elif datatype:
                    definition["@type"] = context.compact_iri(datatype)
                problems.append(f'"{name}": {json.dumps(definition)},')
    assert not problems, "add to ontology/context.jsonld:\n" + "\n".join(sorted(problems))
    assert checked > 50


def test_context_has_every_namespace_of_the_namespaces_module() -> None:
    context = published_context()
    assert dict(context.prefixes).keys() >= {p for p in PREFIXES if p not in context.term_names} - {""}
    assert set(dict(context.prefixes).values()) == set(PREFIXES.values())
    for name, ns in context.prefixes:
        assert PREFIXES.get(name, ns) == ns, f"{name} names another namespace than in namespaces.py"


def test_context_terms_do_not_overlap() -> None:
    """Two terms for the same property and kind of value would make the choice arbitrary."""
    definitions = CONTEXT_DOCUMENT["@context"]
    context = JsonLdContext(definitions)
    seen: dict[tuple[str, str, str | None], str] = {}
    for name, value in definitions.items():
        if isinstance(value, dict):
            term = context._term(name, value)
            key = (term.iri, term.kind, term.datatype)
            assert key not in seen, f"{name} and {seen[key]} are the same kind of term for {term.iri}"
            seen[key] = name


def test_context_compacts_iris_with_the_longest_prefix() -> None:
    context = published_context()
    assert context.compact_iri(ID + "organisation/leerwinkel-west") == "organisations:leerwinkel-west"
    assert context.compact_iri(ID + "participation-x") == "ekgid:participation-x"
    assert context.compact_iri(COUNTRY + "BEL") == "countries:BEL"
    assert context.compact_iri(EKG) == EKG  # an empty suffix stays a full IRI
    assert context.compact_iri(ID + "//x") == ID + "//x"  # "ekgid://x" would read as an absolute IRI
    assert context.compact_vocab(EKG + "Project") == "Project"
    with pytest.raises(UsageError, match="scheme 'title' is a term"):
        context.compact_iri("title:x")


# ------------------------------------------------------------------------------------------------------------
# Round trips of the packaged graph


def test_jsonld_export_read_by_pyld_is_isomorphic_to_the_turtle_export(
    packaged_exports: dict[str, bytes],
) -> None:
    """What the issue asks to show: pyld expands the JSON-LD export to the graph of the Turtle export."""
    turtle = Graph().parse(data=packaged_exports["turtle"], format="turtle")
    assert len(turtle) > 19_000
    _assert_isomorphic(_pyld_graph(packaged_exports["jsonld"]), turtle)


def test_jsonld_export_read_by_rdflib_is_isomorphic_to_the_turtle_export(
    packaged_exports: dict[str, bytes],
) -> None:
    turtle = Graph().parse(data=packaged_exports["turtle"], format="turtle")
    _assert_isomorphic(_rdflib_jsonld_graph(packaged_exports["jsonld-embed"]), turtle)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_merged_formats_parse_back_to_the_union_of_the_graphs(
    packaged: ox.Store, packaged_exports: dict[str, bytes], fmt: str
) -> None:
    parsed = Graph().parse(data=packaged_exports[fmt], format=RDFLIB_FORMATS[fmt])
    _assert_isomorphic(parsed, _store_graph(packaged))


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_dataset_formats_keep_every_named_graph(
    packaged: ox.Store, packaged_exports: dict[str, bytes], fmt: str
) -> None:
    dataset = Dataset()
    dataset.parse(data=packaged_exports[fmt], format=RDFLIB_FORMATS[fmt])
    names = sorted(g.value for g in packaged.named_graphs())
    assert sorted(str(g.identifier) for g in dataset.graphs() if len(g)) == names
    for name in names:
        _assert_isomorphic(dataset.graph(URIRef(name)), _store_graph(packaged, n(name)))


def test_turtle_export_uses_the_project_prefixes(packaged_exports: dict[str, bytes]) -> None:
    text = packaged_exports["turtle"].decode()
    for prefix in ("ekg", "organisation", "country", "skos", "dcterms"):
        assert f"@prefix {prefix}: <{PREFIXES[prefix]}> ." in text


def test_jsonld_export_is_compact_and_readable(packaged_exports: dict[str, bytes]) -> None:
    document = json.loads(packaged_exports["jsonld"])
    assert document["@context"] == CONTEXT_URL
    nodes = {node["id"]: node for node in document["@graph"]}
    assert len(nodes) == len(document["@graph"]), "one node object per subject"
    assert nodes["ekgid:participation-adeigus-leerwinkel-west"] == {
        "id": "ekgid:participation-adeigus-leerwinkel-west",
        "type": "Participation",
        "organisation": "organisations:leerwinkel-west",
        "role": ["roles:coordinator"],
    }
    goal = nodes["project:goal"]
    assert goal["acronym"] == "GOAL"
    assert goal["title"] == {"en": "Guidance and Orientation for Adult Learners"}
    # gYearMonth under a term coerced to xsd:date: the key falls back to the compact IRI, with the datatype
    assert goal["ekg:startDate"] == {"@value": "2015-02", "@type": "xsd:gYearMonth"}
    assert "startDate" not in goal
    young_adults = nodes["ekgid:target-group-goal-young-adults"]
    assert (young_adults["minimumAge"], young_adults["maximumAge"]) == (18, 25)
    assert nodes["organisations:leerwinkel-west"]["name"] == "Leerwinkel West"
    assert nodes["ekgid:activity-manage-your-future-london"]["duration"] == "P14D"
    embedded = json.loads(packaged_exports["jsonld-embed"])
    assert embedded["@context"] == CONTEXT_DOCUMENT["@context"]
    assert embedded["@graph"] == document["@graph"]


# ------------------------------------------------------------------------------------------------------------
# Determinism


def test_exports_are_byte_identical_across_runs_and_builds(
    packaged: ox.Store, packaged_exports: dict[str, bytes], tmp_path: Path
) -> None:
    """The same store gives the same bytes; so does another store built from the same files."""
    for key, data in packaged_exports.items():
        fmt, _, variant = key.partition("-")
        options = {"": {}, "embed": {"context": "embed"}, "frame": {"frame": "project"}}[variant]
        assert _export(packaged, fmt, **options) == data, key
    with open_target(tmp_path / "other-store") as other:
        for key in ("jsonld", "turtle", "nquads", "jsonld-frame"):
            fmt, _, variant = key.partition("-")
            assert (
                _export(other.store, fmt, **({"frame": "project"} if variant else {}))
                == packaged_exports[key]
            )


def test_jsonld_keys_and_values_are_sorted(packaged_exports: dict[str, bytes]) -> None:
    for node in json.loads(packaged_exports["jsonld"])["@graph"]:
        keys = list(node)
        assert keys[0] == "id"
        rest = keys[1:] if "type" not in node else keys[2:]
        assert rest == sorted(rest)
        for value in node.values():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                assert value == sorted(value)


# ------------------------------------------------------------------------------------------------------------
# A small store with everything that is hard to get right


def _tricky_quads() -> list[tuple[Any, ...]]:
    s, p = n(EX + "s"), n(EX + "p")
    b1, b2 = ox.BlankNode("b1"), ox.BlankNode("b2")
    g1, g2 = n(EX + "g1"), n(EX + "g2")
    quads: list[tuple[Any, ...]] = [
        (s, n(RDF + "type"), n(EKG + "Project")),
        (s, n(RDF + "type"), n(EX + "Thing")),
        (s, n(RDF + "type"), b2),  # a blank node as a type: written under rdf:type, not @type
        (s, n(EKG + "count"), typed("035", "integer")),  # non-canonical: stays a string
        (s, n(EKG + "count"), typed("+7", "integer")),
        (s, n(EKG + "count"), typed("-0", "integer")),
        (s, n(EKG + "count"), typed("12", "integer")),  # canonical: a JSON number
        (s, n(EKG + "count"), typed("9007199254740993", "integer")),  # beyond 2**53: a string
        (s, n(EKG + "count"), typed("abc", "integer")),  # ill-typed, kept as it is
        (s, n(EKG + "count"), typed("1.50", "decimal")),  # another datatype: explicit value object
        (s, n(EX + "decimal"), typed("1.50", "decimal")),
        (s, n(EX + "decimal"), typed("-0.0", "decimal")),
        (s, n(EX + "double"), typed("1.0E0", "double")),
        (s, n(EX + "double"), typed("NaN", "double")),
        (s, n(EX + "boolean"), typed("true", "boolean")),
        (s, n(EX + "boolean"), typed("0", "boolean")),
        (s, n(EX + "integer"), typed("42", "integer")),
        (s, n(EX + "integer"), typed("042", "integer")),  # the same literal once in the store
        (s, n(EX + "integer"), typed(" 5", "integer")),  # ill-typed: kept as it is
        (s, n(EX + "integer"), typed("99999999999999999999999", "integer")),  # beyond 64 bits: kept
        (s, n(EKG + "startDate"), typed("2015-02-01", "date")),
        (s, n(EKG + "startDate"), typed("2015-02", "gYearMonth")),
        (s, n(EKG + "endDate"), typed("2018-01-31Z", "date")),
        (s, n(EKG + "callYear"), typed("2014", "gYear")),
        (s, n(EKG + "callYear"), typed("2014", "string")),
        (s, n(EKG + "duration"), typed("P14D", "duration")),
        (s, n(EKG + "url"), typed("https://example.org/a b", "anyURI")),
        (
            s,
            n(EX + "custom"),
            ox.Literal("x", datatype=n("http://publications.europa.eu/ontology/euvoc#ISG_COU")),
        ),
        (s, n(DCTERMS + "title"), ox.Literal("Op weg", language="nl")),
        (s, n(DCTERMS + "title"), ox.Literal("En route", language="fr")),
        (s, n(DCTERMS + "title"), ox.Literal("On the way", language="en-GB")),
        (s, n(DCTERMS + "title"), ox.Literal("Second English title", language="en-gb")),
        (s, n(DCTERMS + "title"), ox.Literal("a title without a language")),
        (s, n(SKOS + "prefLabel"), ox.Literal("Leerwinkel West")),
        (s, n(SKOS + "prefLabel"), ox.Literal("Leerwinkel", language="nl")),
        (
            s,
            n(EKG + "acronym"),
            ox.Literal('quotes " and \\ backslash\nnew line\ttab\r\u2028 ünïcödé 😀 \u0000'),
        ),
        (s, n(EKG + "acronym"), ox.Literal("a language-tagged acronym", language="en")),
        (s, n(EKG + "action"), n(PREFIXES["action"] + "KA2")),
        (s, n(EKG + "action"), ox.Literal("KA2")),  # a literal where an IRI is expected
        (s, n(EKG + "participation"), b1),
        (s, n(EKG + "participation"), n(ID + "participation-x")),
        (s, n(EX + "ref"), n("urn:isbn:0451450523")),
        (s, n(EX + "ref"), n(ID + "//odd")),
        (s, n(EX + "ref"), n(EKG)),
        (s, n(EX + "ref"), b1),
        (s, p, ox.Literal("")),
        (b1, n(RDF + "type"), n(EKG + "Participation")),
        (b1, n(EKG + "organisation"), n(ID + "organisation/o")),
        (b1, n(EKG + "role"), n(PREFIXES["role"] + "coordinator")),
        (b1, n(EX + "next"), b2),
        (b2, n(EX + "next"), b1),  # a cycle of blank nodes
        (n(EX + "only-type"), n(RDF + "type"), n(EX + "Thing")),
        # the same triples in several graphs: written once by the merged formats
        (s, n(EKG + "acronym"), ox.Literal("ADEIGUS"), g1),
        (s, n(EKG + "acronym"), ox.Literal("ADEIGUS"), g2),
        (s, n(EKG + "count"), typed("12", "integer"), g1),
        (b1, n(EKG + "role"), n(PREFIXES["role"] + "partner"), g2),
        (n(EX + "in-g2-only"), p, ox.Literal("x"), g2),
    ]
    return quads


@pytest.fixture
def tricky() -> ox.Store:
    return _store(_tricky_quads())


def test_tricky_jsonld_round_trips_through_pyld_and_rdflib(tricky: ox.Store) -> None:
    expected = _store_graph(tricky)
    turtle = Graph().parse(data=_export(tricky, "turtle"), format="turtle")
    _assert_isomorphic(turtle, expected)
    _assert_isomorphic(_pyld_graph(_export(tricky, "jsonld")), _canonical_doubles(expected))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about the ill-typed "abc"^^xsd:integer
        _assert_isomorphic(_rdflib_jsonld_graph(_export(tricky, "jsonld", context="embed")), expected)


def test_tricky_jsonld_values(tricky: ox.Store) -> None:
    """The values as written. Oxigraph stores valid numbers, booleans and dates in canonical form ("035"
    becomes "35", "1.0E0" "1", "-0.0" "0", "0"^^xsd:boolean "false": oxigraph issue #526), so only
    ill-typed or out-of-range literals keep a non-canonical form in a store."""
    document = json.loads(_export(tricky, "jsonld"))
    nodes = {node["id"]: node for node in document["@graph"]}
    s = nodes["http://example.org/s"]
    assert s["type"] == ["Project", "http://example.org/Thing"]
    assert s["rdf:type"] == {"id": "_:b2"}
    # canonical integers JSON can carry exactly are numbers; the others keep their lexical form
    assert s["count"] == [0, 12, 35, 7, "9007199254740993", "abc"]
    assert s["ekg:count"] == {"@value": "1.5", "@type": "xsd:decimal"}
    assert s["http://example.org/decimal"] == [
        {"@value": "0", "@type": "xsd:decimal"},
        {"@value": "1.5", "@type": "xsd:decimal"},
    ]
    assert s["http://example.org/integer"] == [
        {"@value": " 5", "@type": "xsd:integer"},
        42,
        {"@value": "99999999999999999999999", "@type": "xsd:integer"},
    ]
    assert s["http://example.org/boolean"] == [False, True]
    assert s["http://example.org/double"] == [
        {"@value": "1", "@type": "xsd:double"},
        {"@value": "NaN", "@type": "xsd:double"},
    ]
    assert s["http://example.org/custom"] == {"@value": "x", "@type": "euvoc:ISG_COU"}
    assert (s["startDate"], s["endDate"]) == ("2015-02-01", "2018-01-31Z")
    assert s["ekg:startDate"] == {"@value": "2015-02", "@type": "xsd:gYearMonth"}
    assert s["callYear"] == "2014"
    assert s["ekg:callYear"] == "2014"  # an xsd:string under the compact IRI: no coercion applies
    assert (s["duration"], s["url"]) == ("P14D", "https://example.org/a b")
    assert s["title"] == {"en-gb": ["On the way", "Second English title"], "fr": "En route", "nl": "Op weg"}
    assert s["dcterms:title"] == "a title without a language"
    assert s["name"] == "Leerwinkel West"
    assert s["prefLabel"] == {"nl": "Leerwinkel"}
    assert s["acronym"][0] == "ADEIGUS"
    assert s["acronym"][2] == {"@value": "a language-tagged acronym", "@language": "en"}
    assert s["action"] == "actions:KA2"
    assert s["ekg:action"] == "KA2"
    assert s["participation"] == ["_:b1", "ekgid:participation-x"]
    assert s["http://example.org/ref"] == [
        {"id": "_:b1"},
        {"id": ID + "//odd"},
        {"id": EKG},
        {"id": "urn:isbn:0451450523"},
    ]
    assert s["http://example.org/p"] == ""
    assert nodes["_:b1"]["role"] == ["roles:coordinator", "roles:partner"]
    assert nodes["http://example.org/only-type"] == {
        "id": "http://example.org/only-type",
        "type": "http://example.org/Thing",
    }


def test_non_canonical_lexical_forms_are_kept(tricky: ox.Store) -> None:
    """The writer keeps any lexical form it is given (the store normalises valid ones before it sees
    them): "035"^^xsd:integer is written as the string "035", never as the number 35."""
    encoder = NodeEncoder(published_context())
    s = n(EX + "s")
    pairs = [
        (n(EKG + "count"), typed("035", "integer")),
        (n(EKG + "count"), typed("+7", "integer")),
        (n(EKG + "goodPractice"), typed("1", "boolean")),
        (n(EKG + "euGrant"), typed("0035.10", "decimal")),
        (n(EX + "integer"), typed("-0", "integer")),
        (n(EX + "double"), typed("1.0E0", "double")),
    ]
    node = encoder.node(s, pairs)
    assert node["count"] == ["+7", "035"]
    assert node["goodPractice"] == "1"
    assert node["euGrant"] == "0035.10"
    assert node["http://example.org/integer"] == {"@value": "-0", "@type": "xsd:integer"}
    document = {"@context": CONTEXT_URL, "@graph": [node]}
    expected = Graph()
    for p, o in pairs:
        expected.add((URIRef(s.value), _rdflib_term(p), _rdflib_term(o)))
    _assert_isomorphic(_pyld_graph(document), _canonical_doubles(expected))
    embedded = {"@context": CONTEXT_DOCUMENT["@context"], "@graph": [node]}
    _assert_isomorphic(_rdflib_jsonld_graph(json.dumps(embedded).encode()), expected)


@pytest.mark.parametrize("small_graph", [0, merged.SMALL_GRAPH], ids=["index-lookups", "subject-sets"])
def test_merged_formats_write_a_triple_stated_in_several_graphs_once(
    tricky: ox.Store, monkeypatch: pytest.MonkeyPatch, small_graph: int
) -> None:
    """Both ways of telling whether a subject is in another graph: index look-ups (large graphs) and sets
    of subjects (small graphs)."""
    monkeypatch.setattr(merged, "SMALL_GRAPH", small_graph)
    _assert_isomorphic(Graph().parse(data=_export(tricky, "turtle"), format="turtle"), _store_graph(tricky))
    lines = _export(tricky, "ntriples").decode().split("\n")[:-1]  # not splitlines: a literal has U+2028
    assert len(lines) == len(set(lines)) == len(_store_graph(tricky))
    assert sum('"ADEIGUS"' in line for line in lines) == 1
    document = json.loads(_export(tricky, "jsonld"))
    ids = [node["id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids)), "a subject in several graphs is one node"
    quads = _export(tricky, "nquads").decode().split("\n")
    assert sum('"ADEIGUS"' in line for line in quads) == 2, "the dataset formats keep each graph's copy"


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig"])
def test_tricky_store_parses_back_from_every_format(tricky: ox.Store, fmt: str) -> None:
    data = _export(tricky, fmt)
    if fmt in ("turtle", "ntriples"):
        _assert_isomorphic(Graph().parse(data=data, format=RDFLIB_FORMATS[fmt]), _store_graph(tricky))
        return
    # Parsed back by pyoxigraph too: rdflib's Dataset gives blank nodes per-graph identities.
    reread = ox.Store()
    reread.load(data, format=ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG)
    assert len(reread) == len(tricky)
    for graph in [ox.DefaultGraph(), *tricky.named_graphs()]:
        _assert_isomorphic(_store_graph(reread, graph), _store_graph(tricky, graph))


def test_a_custom_context_with_every_coercion_round_trips(tricky: ox.Store) -> None:
    """Terms coerced to each datatype the writer supports, with @set and language maps."""
    definitions: dict[str, Any] = {"xsd": XSD, "ex": EX, "ekg": EKG, "Thing": "ex:Thing"}
    for datatype in ("integer", "decimal", "boolean", "double", "date", "gYear", "gYearMonth", "duration"):
        definitions[datatype] = {"@id": f"ex:{datatype}", "@type": f"xsd:{datatype}"}
    definitions["countSet"] = {"@id": "ekg:count", "@type": "xsd:integer", "@container": "@set"}
    definitions["ref"] = {"@id": "ex:ref", "@type": "@id", "@container": "@set"}
    definitions["titles"] = {"@id": "http://purl.org/dc/terms/title", "@container": "@language"}
    context = JsonLdContext(definitions)
    out = io.BytesIO()
    write_jsonld(tricky, out, jsonld_context=context)
    document = json.loads(out.getvalue())
    s = next(node for node in document["@graph"] if node["@id"] == "ex:s")
    assert s["@type"] == ["Thing", "ekg:Project"]  # no alias for @id and @type in this context
    assert s["integer"] == [" 5", 42, "99999999999999999999999"]
    assert s["boolean"] == [False, True]
    assert s["decimal"] == ["0", "1.5"]
    assert s["double"] == ["1", "NaN"]
    assert s["countSet"] == [0, 12, 35, 7, "9007199254740993", "abc"]
    assert s["ref"] == ["_:b1", ID + "//odd", EKG, "urn:isbn:0451450523"]
    _assert_isomorphic(_pyld_graph(document), _canonical_doubles(_store_graph(tricky)))


# ------------------------------------------------------------------------------------------------------------
# Property test: generated small graphs round-trip through pyld


_IRIS = [
    EX + "a",
    EX + "b",
    ID + "organisation/o1",
    ID + "participation-1",
    PREFIXES["country"] + "BEL",
    PREFIXES["role"] + "partner",
    EKG + "Project",
    EKG,
    ID + "//x",
    "urn:example:z",
]
_PREDICATES = [
    RDF + "type",
    EKG + "count",
    EKG + "callYear",
    EKG + "startDate",
    EKG + "url",
    EKG + "acronym",
    EKG + "action",
    EKG + "participation",
    EKG + "role",
    DCTERMS + "title",
    SKOS + "prefLabel",
    "https://schema.org/value",
    EX + "p",
]
_LEXICAL = {
    "integer": st.from_regex(r"[+-]?[0-9]{1,4}", fullmatch=True),
    "decimal": st.from_regex(r"[+-]?[0-9]{1,3}\.[0-9]{0,3}", fullmatch=True),
    "boolean": st.sampled_from(["true", "false", "1", "0"]),
    "double": st.sampled_from(["1.0E0", "-1.5e3", "INF", "NaN", "0.1"]),
    "date": st.sampled_from(["2015-02-01", "2015-02-01Z", "2015-02-01+02:00"]),
    "gYear": st.sampled_from(["2014", "2014Z"]),
    "gYearMonth": st.sampled_from(["2015-02"]),
    "duration": st.sampled_from(["P14D", "P1Y2M", "PT5M"]),
    "anyURI": st.sampled_from(["https://epos-vlaanderen.be", "relative/path", ""]),
}
_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)


@st.composite
def _terms(draw: st.DrawFn, blank_nodes: list[ox.BlankNode]) -> ox.NamedNode | ox.BlankNode:
    if draw(st.booleans()):
        return draw(st.sampled_from(blank_nodes))
    return n(draw(st.sampled_from(_IRIS)))


@st.composite
def _objects(draw: st.DrawFn, blank_nodes: list[ox.BlankNode]) -> Any:
    kind = draw(st.sampled_from(["node", "string", "lang", "typed"]))
    if kind == "node":
        return draw(_terms(blank_nodes))
    if kind == "string":
        return ox.Literal(draw(_TEXT))
    if kind == "lang":
        return ox.Literal(draw(_TEXT), language=draw(st.sampled_from(["en", "nl", "en-GB", "zh-Hant-TW"])))
    datatype = draw(st.sampled_from(sorted(_LEXICAL)))
    return typed(draw(_LEXICAL[datatype]), datatype)


@st.composite
def _graphs(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    blank_nodes = [ox.BlankNode(f"b{i}") for i in range(3)]
    graph_names = [None, n(EX + "g1"), n(EX + "g2")]
    quads = []
    for _ in range(draw(st.integers(min_value=1, max_value=12))):
        subject = draw(_terms(blank_nodes))
        predicate = n(draw(st.sampled_from(_PREDICATES)))
        graph = draw(st.sampled_from(graph_names))
        quad = (subject, predicate, draw(_objects(blank_nodes)))
        quads.append(quad if graph is None else (*quad, graph))
    return quads


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quads=_graphs())
def test_generated_graphs_round_trip_through_pyld_and_rdflib(quads: list[tuple[Any, ...]]) -> None:
    rdflib.NORMALIZE_LITERALS = False  # the autouse fixture does not run per example
    store = _store(quads)
    expected = _store_graph(store)
    document = _export(store, "jsonld")
    _assert_isomorphic(_pyld_graph(document), _canonical_doubles(expected))
    _assert_isomorphic(_rdflib_jsonld_graph(_export(store, "jsonld", context="embed")), expected)
    assert _export(store, "jsonld") == document


def test_native_values_only_for_canonical_forms() -> None:
    assert native_value("35", XSD + "integer") == 35
    assert native_value("-35", XSD + "integer") == -35
    assert native_value("0", XSD + "integer") == 0
    for lexical in ("035", "+35", "-0", " 35", "3.5", "", str(2**53)):
        assert native_value(lexical, XSD + "integer") is None, lexical
    assert native_value("true", XSD + "boolean") is True
    assert native_value("false", XSD + "boolean") is False
    assert native_value("1", XSD + "boolean") is None
    assert native_value("1.5", XSD + "decimal") is None
    assert native_value("1", XSD + "decimal") is None
    assert native_value("1.0E0", XSD + "double") is None


# ------------------------------------------------------------------------------------------------------------
# The project frame


def test_framed_export_has_one_nested_document_per_project(
    packaged: ox.Store, packaged_exports: dict[str, bytes]
) -> None:
    document = json.loads(packaged_exports["jsonld-frame"])
    projects = document["@graph"]
    count = next(
        iter(packaged.query(f"SELECT (COUNT(DISTINCT ?p) AS ?n) {{ GRAPH ?g {{ ?p a <{EKG}Project> }} }}"))
    )
    assert len(projects) == int(count["n"].value) >= 10
    assert all(project["type"] == "Project" for project in projects)
    assert len({project["id"] for project in projects}) == len(projects)


def test_framed_adeigus(packaged_exports: dict[str, bytes]) -> None:
    projects = {p["id"]: p for p in json.loads(packaged_exports["jsonld-frame"])["@graph"]}
    adeigus = projects["project:adeigus"]
    assert list(adeigus) == [
        "id",
        "type",
        "acronym",
        "action",
        "activity",
        "description",
        "figure",
        "participatingCountry",
        "participation",
        "sector",
        "source",
        "targetGroup",
        "theme",
        "title",
    ]
    assert adeigus["title"] == {"en": "ADult Educational Information and GUidance Service"}
    assert adeigus["action"] == {
        "id": "actions:KA2",
        "notation": "KA2",
        "prefLabel": {
            "en": "Cooperation for innovation and the exchange of good practices",
            "nl": "Samenwerking voor innovatie en uitwisseling van goede praktijken",
        },
    }
    participations = adeigus["participation"]
    assert len(participations) == 6
    summary = sorted(
        (
            p["organisation"]["id"],
            tuple(role["id"] for role in p["role"]),
            p["organisation"]["country"]["prefLabel"]["en"],
        )
        for p in participations
    )
    assert summary == [
        ("organisations:adeigus-partner-aut", ("roles:partner",), "Austria"),
        ("organisations:adeigus-partner-fin", ("roles:partner",), "Finland"),
        ("organisations:adeigus-partner-gbr", ("roles:partner",), "United Kingdom"),
        ("organisations:adeigus-partner-ltu", ("roles:partner",), "Lithuania"),
        ("organisations:adeigus-partner-svn", ("roles:partner",), "Slovenia"),
        ("organisations:leerwinkel-west", ("roles:coordinator",), "Belgium"),
    ]
    (coordinator,) = [p for p in participations if p["role"][0]["id"] == "roles:coordinator"]
    assert coordinator == {
        "id": "ekgid:participation-adeigus-leerwinkel-west",
        "type": "Participation",
        "organisation": {
            "id": "organisations:leerwinkel-west",
            "type": "Organisation",
            "country": {"id": "countries:BEL", "prefLabel": {"en": "Belgium", "nl": "België"}},
            "countryNote": {
                "en": "Belgium: it offers learning career guidance in the province of West Flanders; the "
                "brochure names the province, not the country."
            },
            "name": "Leerwinkel West",
            "organisationKind": {
                "id": "orgkind:guidance-service",
                "prefLabel": {"en": "guidance service", "nl": "begeleidingsdienst"},
            },
            "region": "West-Vlaanderen",
            "source": [
                "ekgid:source/brochure-keuzebegeleiding/ka2",
                "ekgid:source/brochure-keuzebegeleiding/ka3",
            ],
        },
        "role": [{"id": "roles:coordinator", "prefLabel": {"en": "coordinator", "nl": "coördinator"}}],
    }
    assert [a["activityType"]["id"] for a in adeigus["activity"]] == [
        "activityTypes:professional-development",
        "activityTypes:study-visit",
        "activityTypes:transnational-cooperation",
    ]
    assert [t["id"] for t in adeigus["targetGroup"]] == [
        "ekgid:target-group-adeigus-adult-learners",
        "ekgid:target-group-adeigus-professionals",
    ]
    (figure,) = adeigus["figure"]
    assert (figure["value"], figure["unitText"]) == (72, "professionals")
    assert [c["id"] for c in adeigus["participatingCountry"]] == [
        "countries:AUT",
        "countries:BEL",
        "countries:FIN",
        "countries:GBR",
        "countries:LTU",
        "countries:SVN",
    ]


def test_framed_export_states_only_triples_of_the_graph(packaged_exports: dict[str, bytes]) -> None:
    """The frame is a view: fewer triples (labels in English and Dutch only, nothing outside projects),
    repeated where an organisation is in several projects, but never a triple the graph does not hold."""
    framed = _pyld_graph(packaged_exports["jsonld-frame"])
    full = Graph().parse(data=packaged_exports["turtle"], format="turtle")
    extra = set(framed) - set(full)
    assert not extra, sorted(extra)[:5]
    assert 500 < len(framed) < len(full)


# ------------------------------------------------------------------------------------------------------------
# Options, files, errors


def test_unknown_options_are_usage_errors(tricky: ox.Store) -> None:
    with pytest.raises(UsageError, match="unknown export format 'rdfxml'"):
        export(tricky, "rdfxml", io.BytesIO())
    with pytest.raises(UsageError, match="unknown context mode"):
        export(tricky, "jsonld", io.BytesIO(), context="inline")
    with pytest.raises(UsageError, match="JSON-LD view"):
        export(tricky, "turtle", io.BytesIO(), frame="project")
    with pytest.raises(UsageError, match="unknown frame"):
        export(tricky, "jsonld", io.BytesIO(), frame="organisation")


def test_export_to_path_writes_atomically(tricky: ox.Store, tmp_path: Path) -> None:
    target = tmp_path / "kg.jsonld"
    export_to_path(tricky, "jsonld", target)
    assert target.read_bytes() == _export(tricky, "jsonld")
    previous = target.read_bytes()
    broken = _store([(n(EX + "s"), n(EX + "p"), n("title:not-writable"))])
    with pytest.raises(UsageError, match="scheme 'title' is a term"):
        export_to_path(broken, "jsonld", target)
    assert target.read_bytes() == previous, "a failed export leaves the previous file as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.jsonld"], "and no partial file"
    with pytest.raises(UsageError, match="cannot write here"):
        export_to_path(tricky, "turtle", tmp_path / "missing" / "kg.ttl")


def test_format_for_path() -> None:
    assert format_for_path("kg.jsonld") == "jsonld"
    assert format_for_path(Path("out/KG.TTL")) == "turtle"
    assert format_for_path("kg.nq") == "nquads"
    assert format_for_path("kg.rdf") is None


def test_empty_store_exports(tmp_path: Path) -> None:
    store = ox.Store()
    assert json.loads(_export(store, "jsonld")) == {"@context": CONTEXT_URL, "@graph": []}
    assert json.loads(_export(store, "jsonld", frame="project"))["@graph"] == []
    assert _export(store, "ntriples") == b""


# ------------------------------------------------------------------------------------------------------------
# The command line (runs once `erasmus-kg export` is in cli.py)


def _cli_with(command: str) -> Any:
    from erasmus_kg.cli import cli

    if command not in cli.commands:
        pytest.skip(f"cli.py has no `{command}` command yet")
    return cli


def test_cli_export_jsonld_to_a_file_round_trips(
    runner: Any, packaged_exports: dict[str, bytes], tmp_path: Path
) -> None:
    """What the issue asks to show: `erasmus-kg export --format jsonld -o kg.jsonld` gives a file that pyld
    expands to a graph isomorphic to the Turtle export."""
    cli = _cli_with("export")
    jsonld_file, turtle_file = tmp_path / "kg.jsonld", tmp_path / "kg.ttl"
    result = runner.invoke(
        cli, ["export", "--format", "jsonld", "-o", str(jsonld_file)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    data = jsonld_file.read_bytes()
    result = runner.invoke(cli, ["export", "-o", str(turtle_file)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    turtle = Graph().parse(data=turtle_file.read_bytes(), format="turtle")
    assert data == packaged_exports["jsonld"]
    _assert_isomorphic(_pyld_graph(data), turtle)


def test_cli_export_to_standard_output(runner: Any, packaged_exports: dict[str, bytes]) -> None:
    cli = _cli_with("export")
    for args, key in (
        (["--format", "nquads"], "nquads"),
        (["--format", "jsonld", "--frame", "project"], "jsonld-frame"),
        (["--format", "jsonld", "--context", "embed"], "jsonld-embed"),
    ):
        result = runner.invoke(cli, ["export", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert result.stdout_bytes == packaged_exports[key]


def test_cli_export_errors_exit_2(runner: Any, tmp_path: Path) -> None:
    cli = _cli_with("export")
    cases = (
        (["export"], "give --format"),
        (["export", "-o", str(tmp_path / "kg.rdf")], "does not tell the format"),
        (["export", "--format", "turtle", "--frame", "project"], "JSON-LD view"),
        (["export", "-o", str(tmp_path / "missing" / "kg.ttl")], "cannot write here"),
    )
    for args, message in cases:
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output
    assert not (tmp_path / "missing").exists()


def test_cli_docs(runner: Any, tmp_path: Path) -> None:
    cli = _cli_with("docs")
    result = runner.invoke(cli, ["docs", "-o", str(tmp_path / "site")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()


@pytest.mark.parametrize("fmt", ["nquads", "turtle", "jsonld"])
def test_no_derived_leaves_out_exactly_the_derived_graphs(store_root: Path, fmt: str) -> None:
    from erasmus_kg.derived.graphs import is_derived
    from erasmus_kg.export import sources_only

    with open_target(store_root) as target:
        derived = [g for g in target.store.named_graphs() if is_derived(g.value)]
        assert derived  # the brochure's derived graph and the statistics
        full, sources = io.BytesIO(), io.BytesIO()
        export(target.store, fmt, full)
        export(sources_only(target.store), fmt, sources)
        derived_quads = sum(1 for g in derived for _ in target.store.quads_for_pattern(None, None, None, g))
    if fmt == "nquads":
        full_lines = set(full.getvalue().splitlines())
        source_lines = set(sources.getvalue().splitlines())
        assert source_lines < full_lines
        assert len(full_lines - source_lines) == derived_quads
        assert not any(b"/graph/derived/" in line or b"/graph/statistics>" in line for line in source_lines)
    else:
        assert b"involvesCountry" in full.getvalue()
        assert b"https://w3id.org/erasmus-kg/id/statistics/country-pairs/" not in sources.getvalue()
