"""HTML documentation of the ontology, with the English and Dutch labels of every term.

`write_docs(out_dir)` writes `index.html` (one self-contained page: metadata, classes, object, datatype and
annotation properties, the labels given to reused terms, the namespaces) beside copies of the ontology
(`erasmus-kg.ttl`) and the JSON-LD context (`context.jsonld`) it links to.

Why not pyLODE: the version on PyPI (3.4.1) fails on import when installed from a wheel (it reads a
`pyproject.toml` that the wheel does not carry, pyLODE issue #260), and, patched around, it prints the
English and Dutch labels run together ("participationdeelname") with nothing to tell the languages apart.
This page is plain HTML from the standard library; every label carries its `lang` attribute, so the test
and screen readers can tell the languages apart. The output is deterministic (no dates, sorted terms).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg import __version__, resources
from erasmus_kg.errors import UsageError
from erasmus_kg.export.context import context_file
from erasmus_kg.namespaces import EKG, PREFIXES

LANGUAGES = ("en", "nl")
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
VANN = "http://purl.org/vocab/vann/"

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


@dataclass
class TermDoc:
    """What the page says about one term of our namespace."""

    iri: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    definitions: dict[str, list[str]] = field(default_factory=dict)
    comments: dict[str, list[str]] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)
    """Row heading -> IRIs (superclasses, domain, range, ...)."""
    characteristics: list[str] = field(default_factory=list)

    @property
    def local_name(self) -> str:
        return self.iri[len(EKG) :]


def write_docs(out_dir: Path) -> Path:
    """Write the documentation into `out_dir` (created if needed); return the path of index.html."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        index = out_dir / "index.html"
        index.write_text(ontology_html(), encoding="utf-8")
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
    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.terms: dict[str, list[TermDoc]] = {
            anchor: [self._term(iri, anchor) for iri in self._terms_of_type(owl_type)]
            for anchor, _, _, owl_type in SECTIONS
        }
        self.documented = {t.iri for terms in self.terms.values() for t in terms}
        self._add_inverse_relations()

    # ------------------------------------------------------------------------------------------------------
    # Reading the ontology

    def _objects(self, subject: str, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        quads = self.store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
        return [q.object for q in quads]

    def _iris(self, subject: str, predicate: str) -> list[str]:
        return sorted(o.value for o in self._objects(subject, predicate) if isinstance(o, ox.NamedNode))

    def _texts(self, subject: str, predicate: str) -> dict[str, list[str]]:
        texts: dict[str, list[str]] = {}
        for o in self._objects(subject, predicate):
            if isinstance(o, ox.Literal):
                texts.setdefault(o.language or "", []).append(o.value)
        return {lang: sorted(values) for lang, values in sorted(texts.items())}

    def _terms_of_type(self, owl_type: str) -> list[str]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(owl_type), None)
        iris = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
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
                if isinstance(target, ox.NamedNode) and target.value in by_iri and source.value in by_iri:
                    by_iri[target.value].relations.setdefault(heading, []).append(source.value)
        for term in by_iri.values():
            for values in term.relations.values():
                values.sort()

    def _reused_terms(self) -> list[TermDoc]:
        quads = self.store.quads_for_pattern(None, ox.NamedNode(RDFS + "label"), None, None)
        iris = {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}
        reused = sorted(iri for iri in iris if not iri.startswith(EKG) and iri != ONTOLOGY_IRI)
        return [TermDoc(iri, labels=self._texts(iri, RDFS + "label")) for iri in reused]

    # ------------------------------------------------------------------------------------------------------
    # Writing HTML

    def render(self) -> str:
        titles = self._texts(ONTOLOGY_IRI, DCTERMS + "title")
        title = _first(titles, "en") or "erasmus-kg ontology"
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f'<meta name="generator" content="erasmus-kg {escape(__version__)}">',
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{self._bilingual(titles)}</h1>",
            self._metadata(),
            "</header>",
            self._contents(),
            "<main>",
        ]
        for anchor, heading_en, heading_nl, _ in SECTIONS:
            parts.append(f'<section id="{anchor}">')
            parts.append(f"<h2>{self._bilingual({'en': [heading_en], 'nl': [heading_nl]})}</h2>")
            parts.extend(self._term_html(term) for term in self.terms[anchor])
            parts.append("</section>")
        parts.append(self._reused_html())
        parts.append(self._namespaces_html())
        parts += ["</main>", "</body>", "</html>", ""]
        return "\n".join(parts)

    def _bilingual(self, texts: dict[str, list[str]], css_class: str = "") -> str:
        attr = f' class="{css_class}"' if css_class else ""
        spans = [
            f'<span{attr} lang="{lang}">{escape(value)}</span>'
            for lang in LANGUAGES
            for value in texts.get(lang, [])
        ]
        spans += [
            f'<span{attr} lang="{escape(lang)}">{escape(value)}</span>' if lang else escape(value)
            for lang, values in texts.items()
            if lang not in LANGUAGES
            for value in values
        ]
        return ' <span class="sep">·</span> '.join(spans)

    def _metadata(self) -> str:
        rows = [("IRI", f"<code>{escape(ONTOLOGY_IRI)}</code>")]
        version_iris = self._iris(ONTOLOGY_IRI, OWL + "versionIRI")
        if version_iris:
            rows.append(("Version IRI", ", ".join(f"<code>{escape(v)}</code>" for v in version_iris)))
        for heading, predicate in (("Version", OWL + "versionInfo"), ("Creator", DCTERMS + "creator")):
            texts = self._texts(ONTOLOGY_IRI, predicate)
            if texts:
                rows.append((heading, escape(", ".join(v for values in texts.values() for v in values))))
        licences = self._iris(ONTOLOGY_IRI, DCTERMS + "license")
        if licences:
            rows.append(("Licence", ", ".join(f'<a href="{escape(v)}">{escape(v)}</a>' for v in licences)))
        prefix = self._texts(ONTOLOGY_IRI, VANN + "preferredNamespacePrefix")
        if prefix:
            rows.append(("Preferred prefix", f"<code>{escape(_first(prefix, '') or '')}</code>"))
        rows.append(("Namespace", f"<code>{escape(EKG)}</code>"))
        rows.append(
            (
                "Files",
                '<a href="erasmus-kg.ttl">erasmus-kg.ttl</a> (Turtle) · '
                '<a href="context.jsonld">context.jsonld</a> (JSON-LD context)',
            )
        )
        descriptions = self._texts(ONTOLOGY_IRI, DCTERMS + "description")
        paragraphs = [
            f'<p lang="{lang}">{escape(text)}</p>'
            for lang in LANGUAGES
            for text in descriptions.get(lang, [])
        ]
        return "\n".join([*paragraphs, _table(rows)])

    def _contents(self) -> str:
        items = []
        for anchor, heading_en, _, _ in SECTIONS:
            links = ", ".join(
                f'<a href="#{escape(t.local_name)}">{escape(t.local_name)}</a>' for t in self.terms[anchor]
            )
            items.append(f'<li><a href="#{anchor}">{escape(heading_en)}</a>: {links}</li>')
        items.append('<li><a href="#reused-terms">Labels of reused terms</a></li>')
        items.append('<li><a href="#namespaces">Namespaces</a></li>')
        return '<nav id="contents">\n<h2>Contents</h2>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</nav>"

    def _term_html(self, term: TermDoc) -> str:
        rows = [("IRI", f"<code>{escape(term.iri)}</code>")]
        for lang in LANGUAGES:
            if lang in term.labels:
                rows.append(
                    (f"Label ({LANGUAGE_NAMES[lang]})", self._bilingual({lang: term.labels[lang]}, "label"))
                )
        for heading, texts in (("Definition", term.definitions), ("Comment", term.comments)):
            for lang, values in texts.items():
                name = LANGUAGE_NAMES.get(lang, lang or "no language")
                rows.append((f"{heading} ({name})", self._bilingual({lang: values})))
        for heading, values in term.relations.items():
            rows.append((heading, ", ".join(self._link(v) for v in values)))
        if term.characteristics:
            rows.append(("Characteristics", escape(", ".join(term.characteristics))))
        qname = f'<code class="qname">ekg:{escape(term.local_name)}</code>'
        return (
            f'<article class="term" id="{escape(term.local_name)}">\n'
            f"<h3>{self._bilingual(term.labels, 'label')} {qname}</h3>\n"
            f"{_table(rows)}\n</article>"
        )

    def _reused_html(self) -> str:
        rows = [
            (self._link(term.iri), self._bilingual(term.labels, "label")) for term in self._reused_terms()
        ]
        return (
            '<section id="reused-terms">\n<h2><span lang="en">Labels of reused terms</span> · '
            '<span lang="nl">Labels van hergebruikte termen</span></h2>\n'
            f"{_table(rows, ('Term', 'Labels'))}\n</section>"
        )

    def _namespaces_html(self) -> str:
        rows = [
            (f"<code>{escape(prefix)}</code>", f"<code>{escape(ns)}</code>")
            for prefix, ns in PREFIXES.items()
        ]
        return (
            '<section id="namespaces">\n<h2>Namespaces</h2>\n'
            f"{_table(rows, ('Prefix', 'Namespace'))}\n</section>"
        )

    def _link(self, iri: str) -> str:
        if iri in self.documented:
            local = iri[len(EKG) :]
            return f'<a href="#{escape(local)}"><code>ekg:{escape(local)}</code></a>'
        return f'<a href="{escape(iri)}"><code>{escape(_compact(iri))}</code></a>'


def _first(texts: dict[str, list[str]], lang: str) -> str | None:
    values = texts.get(lang)
    return values[0] if values else None


def _compact(iri: str) -> str:
    best = max(
        ((prefix, ns) for prefix, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    return iri if best is None else f"{best[0]}:{iri[len(best[1]) :]}"


def _table(rows: list[tuple[str, str]], headings: tuple[str, str] | None = None) -> str:
    head = f"<thead><tr><th>{headings[0]}</th><th>{headings[1]}</th></tr></thead>\n" if headings else ""
    body = "\n".join(f"<tr><th>{heading}</th><td>{value}</td></tr>" for heading, value in rows)
    return f"<table>\n{head}<tbody>\n{body}\n</tbody>\n</table>"


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #1d1d1f; }
h1, h2, h3 { line-height: 1.25; }
h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; margin-top: 2.5rem; }
article.term { border: 1px solid #d0d7de; border-radius: 6px; padding: .25rem 1rem 1rem; margin: 1rem 0; }
article.term:target { border-color: #0969da; box-shadow: 0 0 0 2px #0969da33; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-top: 1px solid #eaeef2; }
tbody th { width: 12rem; font-weight: 600; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
code.qname { color: #57606a; font-weight: normal; margin-left: .5rem; }
.sep { color: #8c959f; }
[lang="nl"] { font-style: italic; }
h1 [lang="nl"], h2 [lang="nl"] { font-style: normal; color: #57606a; }
nav ul { padding-left: 1.2rem; }
""".strip()
