"""Every namespace and prefix the project uses, in one place.

Plain strings only, so that the query path can use them without importing rdflib. `bind_all` gives the
same prefixes to any rdflib graph that is about to be serialised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rdflib import Graph

BASE = "https://w3id.org/erasmus-kg/"

EKG = BASE + "ontology#"
"""Our ontology: classes and properties."""
VOCAB = BASE + "vocab/"
"""Our concept schemes (key actions and action types, sectors, roles, ...)."""
ID = BASE + "id/"
"""Our instance data."""
GRAPH = BASE + "graph/"
"""Named graphs, one per source."""

SHAPES = BASE + "shapes#"
"""Our SHACL shapes."""

COUNTRY = "http://publications.europa.eu/resource/authority/country/"
LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EUVOC = "http://publications.europa.eu/ontology/euvoc#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
"""The datatype of a plain string literal (one without a language)."""
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SH = "http://www.w3.org/ns/shacl#"
QB = "http://purl.org/linked-data/cube#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"

PREFIXES: dict[str, str] = {
    "ekg": EKG,
    "action": VOCAB + "action/",
    "sector": VOCAB + "sector/",
    "role": VOCAB + "role/",
    "orgkind": VOCAB + "organisation-kind/",
    "activity": VOCAB + "activity-type/",
    "theme": VOCAB + "theme/",
    "project": ID + "project/",
    "organisation": ID + "organisation/",
    "stat": ID + "statistics/",
    "ekgid": ID,
    "country": COUNTRY,
    "language": LANGUAGE,
    "eurio": "http://data.europa.eu/s66#",
    "euvoc": EUVOC,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "dcterms": DCTERMS,
    "skos": SKOS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "qb": QB,
    "ekgsh": SHAPES,
    "prov": "http://www.w3.org/ns/prov#",
    "vann": "http://purl.org/vocab/vann/",
}


def compact(iri: str) -> str | None:
    """`prefix:local` for `iri` with the longest of our namespaces it starts with, or None.

    None when no namespace matches or when the local part is empty or holds a character that a prefixed name
    cannot carry unescaped in SPARQL and Turtle (only letters, digits, `-`, `_` and inner `.`): what this
    returns can be pasted back wherever an IRI is written.
    """
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace) :]
            if local and not local.endswith(".") and all(ch.isalnum() or ch in "-_." for ch in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else None


def expand(text: str) -> str | None:
    """The full IRI of a short one with one of our prefixes (`country:LTU`, `project:goal`), or None when
    `text` is not `prefix:local` with a prefix of ours and a local part without spaces or angle brackets."""
    prefix, colon, local = text.partition(":")
    if not colon or prefix not in PREFIXES or not local or local.startswith("//"):
        return None
    if any(ch.isspace() or ch in '<>"{}|^`' for ch in local):
        return None
    return PREFIXES[prefix] + local


def bind_all(graph: Graph) -> Graph:
    """Bind every project prefix on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
