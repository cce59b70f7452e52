"""The HTML documentation of the ontology lists every class and property of our namespace with its English
and Dutch labels and its definition. The page is read back with the standard library's HTML parser and
compared with the ontology as rdflib reads it (not with the code that wrote the page)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from erasmus_kg import resources
from erasmus_kg.docs.ontology import SECTIONS, ontology_html, write_docs
from erasmus_kg.errors import UsageError
from erasmus_kg.namespaces import EKG

OWL_TYPES = {
    "classes": OWL.Class,
    "object-properties": OWL.ObjectProperty,
    "datatype-properties": OWL.DatatypeProperty,
    "annotation-properties": OWL.AnnotationProperty,
}


class _TermPage(HTMLParser):
    """Collects, per <article class="term" id=...>: its section, the labels in its heading by language, and
    its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.terms: dict[str, dict] = {}
        self.section: str | None = None
        self.ids: list[str] = []
        self._term: dict | None = None
        self._in_h3 = False
        self._label_lang: str | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"] or "")
        if tag == "section":
            self.section = a.get("id")
        if tag == "article" and a.get("class") == "term":
            self._term = {"section": self.section, "labels": {}, "text": []}
            self.terms[a["id"] or ""] = self._term
        if tag == "h3" and self._term is not None:
            self._in_h3 = True
        if tag == "span" and self._in_h3 and a.get("class") == "label":
            self._label_lang = a.get("lang")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._term = None
        if tag == "h3":
            self._in_h3 = False
        if tag == "span":
            self._label_lang = None

    def handle_data(self, data: str) -> None:
        if self._term is None:
            return
        self._term["text"].append(data)
        if self._label_lang:
            self._term["labels"].setdefault(self._label_lang, []).append(data)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_file(), format="turtle")


@pytest.fixture(scope="module")
def page() -> _TermPage:
    parser = _TermPage()
    parser.feed(ontology_html())
    parser.close()
    return parser


def _labels(graph: Graph, term: URIRef, lang: str) -> list[str]:
    return sorted(str(o) for o in graph.objects(term, RDFS.label) if getattr(o, "language", None) == lang)


def test_every_class_and_property_is_listed_with_both_labels(ontology: Graph, page: _TermPage) -> None:
    expected = {}
    for section, owl_type in OWL_TYPES.items():
        for term in ontology.subjects(RDF.type, owl_type):
            if isinstance(term, URIRef) and str(term).startswith(EKG):
                expected[str(term)[len(EKG) :]] = (term, section)
    assert len(expected) > 60
    assert set(page.terms) == set(expected), "the page documents exactly the terms of our namespace"
    for name, (term, section) in expected.items():
        documented = page.terms[name]
        assert documented["section"] == section, name
        for lang in ("en", "nl"):
            labels = _labels(ontology, term, lang)
            assert labels, f"ekg:{name} has no {lang} label in the ontology"
            assert documented["labels"].get(lang) == labels, f"ekg:{name}: {lang} labels"
        text = " ".join(documented["text"])
        assert str(term) in text
        for definition in ontology.objects(term, SKOS.definition):
            assert str(definition) in text, f"ekg:{name}: the definition is missing"


def test_sections_and_anchors(page: _TermPage) -> None:
    assert [anchor for anchor, *_ in SECTIONS] == list(OWL_TYPES)
    for anchor in [*OWL_TYPES, "reused-terms", "namespaces", "contents"]:
        assert anchor in page.ids
    assert len(page.ids) == len(set(page.ids)), "ids are unique (ekg:Organisation and ekg:organisation too)"
    assert {"Organisation", "organisation", "Activity", "activity"} <= set(page.terms)


def test_page_has_bilingual_metadata_and_reused_term_labels() -> None:
    html = ontology_html()
    assert '<html lang="en">' in html
    assert '<span lang="en">erasmus-kg ontology</span>' in html
    assert '<span lang="nl">erasmus-kg-ontologie</span>' in html
    assert '<p lang="nl">Een ontologie van Erasmus+-projecten' in html
    assert '<span class="label" lang="nl">titel</span>' in html  # dcterms:title, a reused term
    assert "https://creativecommons.org/licenses/by/4.0/" in html


def test_output_is_deterministic() -> None:
    assert ontology_html() == ontology_html()


def test_text_is_escaped(tmp_path: Path) -> None:
    ontology = tmp_path / "o.ttl"
    ontology.write_text(
        f"""@prefix ekg: <{EKG}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ekg:Thing a owl:Class ; rdfs:label "a <b>bold</b> & risky label"@en, "een <script>x</script>"@nl .
        """,
        encoding="utf-8",
    )
    html = ontology_html(ontology)
    assert "<b>bold</b>" not in html and "<script>x" not in html
    assert "a &lt;b&gt;bold&lt;/b&gt; &amp; risky label" in html
    parser = _TermPage()
    parser.feed(html)
    assert parser.terms["Thing"]["labels"] == {
        "en": ["a <b>bold</b> & risky label"],
        "nl": ["een <script>x</script>"],
    }


def test_write_docs(tmp_path: Path) -> None:
    index = write_docs(tmp_path / "site" / "docs")
    assert index == tmp_path / "site" / "docs" / "index.html"
    assert index.read_text(encoding="utf-8") == ontology_html()
    assert (index.parent / "erasmus-kg.ttl").read_bytes() == resources.ontology_file().read_bytes()
    assert (index.parent / "context.jsonld").is_file()
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(UsageError, match="cannot write the documentation"):
        write_docs(blocker / "docs")


HOSTILE = "<script>alert(1)</script>"


def test_hostile_texts_come_out_escaped(tmp_path: Path) -> None:
    """Every text of the ontology that the page shows is escaped by the templates (autoescape), and an IRI
    with `'` and `&` stays one attribute value."""
    ontology = tmp_path / "hostile.ttl"
    ontology.write_text(
        f"""@prefix ekg: <{EKG}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <{EKG.rstrip("#")}> dcterms:title "{HOSTILE}"@en ; dcterms:description "{HOSTILE}"@nl ;
            owl:versionInfo "{HOSTILE}" .
        ekg:Thing a owl:Class ; rdfs:label "{HOSTILE}"@en, "{HOSTILE}"@nl ; skos:definition "{HOSTILE}"@en ;
            rdfs:comment "{HOSTILE}" ; skos:closeMatch <https://example.org/a'b&c> .
        dcterms:title rdfs:label "{HOSTILE}"@en .
        """,
        encoding="utf-8",
    )
    html = ontology_html(ontology)
    assert "<script" not in html
    # <title>, h1, description, version; the term's heading and label rows (2 + 2), definition, comment;
    # the label of the reused dcterms:title.
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 11
    assert 'href="https://example.org/a&#39;b&amp;c"' in html
    parser = _TermPage()
    parser.feed(html)
    assert parser.terms["Thing"]["labels"] == {"en": [HOSTILE], "nl": [HOSTILE]}


def test_the_stylesheet_is_written_beside_the_page(tmp_path: Path) -> None:
    index = write_docs(tmp_path)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', index.read_text(encoding="utf-8"))
    assert links == ["erasmus-kg.css"]
    assert "article.term" in (tmp_path / "erasmus-kg.css").read_text(encoding="utf-8")
