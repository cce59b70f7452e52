"""HTML documentation of the ontology, with the English and Dutch labels of every term.

`write_docs(out_dir)` writes `index.html` (one page: metadata, classes, object, datatype and annotation
properties, the labels given to reused terms, the namespaces) beside the stylesheet it links to
(`erasmus-kg.css`) and copies of the ontology (`erasmus-kg.ttl`) and the JSON-LD context
(`context.jsonld`).

This module reads the ontology (with pyoxigraph) into plain data; the page itself is the template
`erasmus_kg/html/templates/ontology.html`, which extends the layout the web front shares, and escapes every
value (autoescape). Every label carries its `lang` attribute, so the test and screen readers can tell the
languages apart. The output is deterministic (no dates, sorted terms).

Why not pyLODE: the version on PyPI (3.4.1) fails on import when installed from a wheel (it reads a
`pyproject.toml` that the wheel does not carry, pyLODE issue #260), and, patched around, it prints the
English and Dutch labels run together ("participationdeelname") with nothing to tell the languages apart.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.errors import UsageError
from erasmus_kg.export.context import context_file
from erasmus_kg.html import copy_static, render
from erasmus_kg.namespaces import EKG, PREFIXES, compact

OWL = PREFIXES["owl"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]
VANN = PREFIXES["vann"]

ONTOLOGY_IRI = EKG.rstrip("#")

SECTIONS = (
    ("classes", "Classes", "Klassen", OWL + "Class"),
    ("object-properties", "Object properties", "Objecteigenschappen", OWL + "ObjectProperty"),
    ("datatype-properties", "Datatype properties", "Datatype-eigenschappen", OWL + "DatatypeProperty"),
    ("annotation-properties", "Annotation properties", "Annotatie-eigenschappen", OWL + "AnnotationProperty"),
)
"""(anchor, English heading, Dutch heading, OWL type) of each section of terms."""

_CHARACTERISTICS = {
    OWL + "SymmetricProperty": "symmetric",
    OWL + "TransitiveProperty": "transitive",
    OWL + "FunctionalProperty": "functional",
    OWL + "InverseFunctionalProperty": "inverse functional",
}

Texts = dict[str, list[str]]
"""Language tag ("" for none) -> texts, sorted."""


@dataclass
class TermDoc:
    """What the page says about one term of our namespace."""

    iri: str
    labels: Texts = field(default_factory=dict)
    definitions: Texts = field(default_factory=dict)
    comments: Texts = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)
    """Row heading -> IRIs (superclasses, domain, range, ...)."""
    characteristics: list[str] = field(default_factory=list)

    @property
    def local_name(self) -> str:
        return self.iri[len(EKG) :]


@dataclass
class OntologyDoc:
    """What the page says about the ontology itself (its header)."""

    iri: str
    titles: Texts
    descriptions: Texts
    version_iris: list[str]
    versions: list[str]
    creators: list[str]
    licences: list[str]
    preferred_prefix: str | None
    """The prefix without a language tag ("" if there is none), None when the ontology declares none."""
    namespace: str = EKG


@dataclass(frozen=True)
class Ref:
    """Where a link to a term goes and what it shows: an anchor on the page for our own terms, else the
    IRI itself, shown as a prefixed name (`namespaces.compact`) when it has one."""

    href: str
    text: str


@dataclass(frozen=True)
class _Section:
    anchor: str
    headings: Texts
    terms: list[TermDoc]


def write_docs(out_dir: Path) -> Path:
    """Write the documentation into `out_dir` (created if needed); return the path of index.html."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        index = out_dir / "index.html"
        index.write_text(ontology_html(), encoding="utf-8")
        copy_static(out_dir)
        shutil.copyfile(resources.ontology_file(), out_dir / "erasmus-kg.ttl")
        shutil.copyfile(context_file(), out_dir / "context.jsonld")
    except OSError as exc:
        raise UsageError(f"{out_dir}: cannot write the documentation ({exc.strerror or exc})") from None
    return index


def ontology_html(ontology_file: Path | None = None) -> str:
    """The documentation page of the ontology (the packaged one unless `ontology_file` is given)."""
    store = ox.Store()
    store.load(path=str(ontology_file or resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    return _Page(store).render()


class _Page:
    """The ontology read from a store into the data the template shows."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.terms: dict[str, list[TermDoc]] = {
            anchor: [self._term(iri, anchor) for iri in self._terms_of_type(owl_type)]
            for anchor, _, _, owl_type in SECTIONS
        }
        self.documented = {t.iri for terms in self.terms.values() for t in terms}
        self._add_inverse_relations()

    def render(self) -> str:
        ontology = self._ontology()
        return render(
            "ontology.html",
            title=_first(ontology.titles, "en") or "erasmus-kg ontology",
            ontology=ontology,
            sections=[
                _Section(anchor, {"en": [heading_en], "nl": [heading_nl]}, self.terms[anchor])
                for anchor, heading_en, heading_nl, _ in SECTIONS
            ],
            reused=self._reused_terms(),
            namespaces=PREFIXES,
            ref=self.ref,
        )

    def ref(self, iri: str) -> Ref:
        """A link to `iri`: to its entry on this page when the page documents it."""
        if iri in self.documented:
            local = iri[len(EKG) :]
            return Ref(f"#{local}", f"ekg:{local}")
        return Ref(iri, compact(iri) or iri)

    # ------------------------------------------------------------------------------------------------------
    # Reading the ontology

    def _objects(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        quads = self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
        return [q.object for q in quads if not isinstance(q.object, ox.Triple)]

    def _iris(self, subject: str, predicate: str) -> list[str]:
        return sorted(o.value for o in self._objects(subject, predicate) if isinstance(o, ox.NamedNode))

    def _texts(self, subject: str, predicate: str) -> Texts:
        texts: Texts = {}
        for o in self._objects(subject, predicate):
            if isinstance(o, ox.Literal):
                texts.setdefault(o.language or "", []).append(o.value)
        return {lang: sorted(values) for lang, values in sorted(texts.items())}

    def _named_subjects(self, predicate: str, obj: str | None = None) -> set[str]:
        """The IRIs of the subjects of the triples with `predicate` (and object `obj` when given)."""
        pattern_object = None if obj is None else ox.NamedNode(obj)
        quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), pattern_object, None)
        return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}

    def _terms_of_type(self, owl_type: str) -> list[str]:
        iris = self._named_subjects(RDF + "type", owl_type)
        return sorted((iri for iri in iris if iri.startswith(EKG)), key=lambda iri: (iri.lower(), iri))

    def _term(self, iri: str, section: str) -> TermDoc:
        doc = TermDoc(
            iri,
            labels=self._texts(iri, RDFS + "label"),
            definitions=self._texts(iri, SKOS + "definition"),
            comments=self._texts(iri, RDFS + "comment"),
        )
        if section == "classes":
            rows = [("Subclass of", RDFS + "subClassOf"), ("Close match", SKOS + "closeMatch")]
        else:
            rows = [
                ("Subproperty of", RDFS + "subPropertyOf"),
                ("Domain", RDFS + "domain"),
                ("Range", RDFS + "range"),
            ]
        for heading, predicate in rows:
            values = self._iris(iri, predicate)
            if values:
                doc.relations[heading] = values
        types = self._iris(iri, RDF + "type")
        doc.characteristics = [name for t, name in _CHARACTERISTICS.items() if t in types]
        return doc

    def _add_inverse_relations(self) -> None:
        by_iri = {t.iri: t for terms in self.terms.values() for t in terms}
        inverse = (
            ("Subclasses", RDFS + "subClassOf"),
            ("In the domain of", RDFS + "domain"),
            ("In the range of", RDFS + "range"),
            ("Subproperties", RDFS + "subPropertyOf"),
        )
        for heading, predicate in inverse:
            for quad in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                target, source = quad.object, quad.subject
                if (
                    isinstance(target, ox.NamedNode)
                    and isinstance(source, ox.NamedNode)
                    and target.value in by_iri
                    and source.value in by_iri
                ):
                    by_iri[target.value].relations.setdefault(heading, []).append(source.value)
        for term in by_iri.values():
            for values in term.relations.values():
                values.sort()

    def _ontology(self) -> OntologyDoc:
        def values(predicate: str) -> list[str]:
            return [v for texts in self._texts(ONTOLOGY_IRI, predicate).values() for v in texts]

        prefix = self._texts(ONTOLOGY_IRI, VANN + "preferredNamespacePrefix")
        return OntologyDoc(
            iri=ONTOLOGY_IRI,
            titles=self._texts(ONTOLOGY_IRI, DCTERMS + "title"),
            descriptions=self._texts(ONTOLOGY_IRI, DCTERMS + "description"),
            version_iris=self._iris(ONTOLOGY_IRI, OWL + "versionIRI"),
            versions=values(OWL + "versionInfo"),
            creators=values(DCTERMS + "creator"),
            licences=self._iris(ONTOLOGY_IRI, DCTERMS + "license"),
            preferred_prefix=(_first(prefix, "") or "") if prefix else None,
        )

    def _reused_terms(self) -> list[TermDoc]:
        iris = self._named_subjects(RDFS + "label")
        reused = sorted(iri for iri in iris if not iri.startswith(EKG) and iri != ONTOLOGY_IRI)
        return [TermDoc(iri, labels=self._texts(iri, RDFS + "label")) for iri in reused]


def _first(texts: Texts, lang: str) -> str | None:
    values = texts.get(lang)
    return values[0] if values else None
