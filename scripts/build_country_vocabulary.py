#!/usr/bin/env python3
"""Derive the compact country vocabulary ``data/countries.ttl`` from the EU Publications Office table.

Source: the "Countries and territories" authority table of the Publications Office (EU Vocabularies),
SKOS-core flavour, as copied to ``../shared/data/external/op-country-authority-table/countries.ttl`` (see
SOURCE.md there; table version 20250319-0: 342 concepts, 303 of them current). Concept IRIs are kept unchanged
(``http://publications.europa.eu/resource/authority/country/<code>``), so the output can be merged with any
other data that uses the authority IRIs.

What is kept (table version 20250319-0: 280 concepts)
-----------------------------------------------------
A concept of the source is kept when all of the following hold:

1. it is current: no ``at:end.use``, no ``owl:deprecated true`` and no ``at:deprecated "true"`` (drops 39
   retired codes such as ``1A0``, ``YUG``, ``ANT``, ``CSK``);
2. the source itself puts it in the main scheme ``<.../authority/country>`` (drops ``XJL`` "Latrun no man's
   land", which the table lists only in its "Territories" and "Disputed territories" sub-schemes);
3. it is not in the table's "Marine areas" scheme ``country:0002`` (drops high seas, EU and international
   waters, fisheries zones, joint maritime regimes and disputed reefs and island groups, 18 concepts, and the
   placeholder below);
4. it is not one of the entries that the table marks as something other than a country or territory
   (``EXCLUDED`` below): ``OP_DATPRO`` "Provisional data" (a placeholder without any code), ``XDST``
   "Disputed region" and ``XMAZ`` "Marine zone" (grouping headings whose ``skos:narrower`` are the individual
   disputed territories and marine areas), and ``EUR`` "European Union" (a union of countries, not a country
   or territory).

Everything else is kept: sovereign states, dependent and overseas territories, outermost regions (Azores,
Canary Islands, ...), special territories (Mount Athos, Büsingen, ...) and disputed land territories, each as
the table describes it. Kosovo is ``country:XKX``.

What is written for each concept
--------------------------------
* ``a skos:Concept ; skos:inScheme <http://publications.europa.eu/resource/authority/country>``;
* ``skos:inScheme country:0005`` when the source puts it in the "Current EU members" scheme (same property as
  the source), so that "EU member" is a plain triple pattern (27 members; the source's 28th entry is the
  ``OP_DATPRO`` placeholder, which is dropped);
* every ``skos:prefLabel`` and ``skos:altLabel`` of the source, in every language it gives (the source's
  ``skos:hiddenLabel`` search variants, notes and mapping codes are left out); 255 concepts have labels in
  at least nl, en, fr and de, the other 25 (``CRQ`` Sark and special or disputed territories with an ``X..``
  code, e.g. ``XIC`` Canary Islands, ``XMA`` Mount Athos) have only an English label in the table, and no
  label is invented for them;
* every label in Unicode normal form NFKC, so that what is printed can be typed back: the table writes the
  Dutch name of Iceland with the ligature ``Ĳ`` (U+0132), kept here as ``IJsland``;
* the everyday names that the table lacks (``ALIASES`` below: Groot-Brittannië, Engeland and Great Britain for
  the United Kingdom, Holland for the Netherlands, Macedonië for North Macedonia, ...) as ``skos:hiddenLabel``
  with their language: SKOS's label for a name that finds a concept but is not shown for it. Each alias is
  checked to be new (no label of the table has its matching form) and unambiguous (no other concept has a
  label with that form), or the build stops;
* at most three ``skos:notation`` literals, with the source's euvoc datatypes unchanged:
  ``euvoc:ISO_3166_1_ALPHA_2`` (e.g. "GR", "GB"), ``euvoc:ISO_3166_1_ALPHA_3`` (e.g. "GRC", "GBR") and
  ``euvoc:ISG_COU``, the EU inter-institutional style-guide code, which differs from alpha-2 only for Greece
  ("EL") and the United Kingdom ("UK").

The EU code (``ISG_COU``) is never invented: where the table gives none the concept simply has no ``ISG_COU``
notation, and the EU code to use is its ISO alpha-2 notation. With table version 20250319-0 that is the case
for ``BES`` (BQ), ``CRQ`` (CQ), ``PSE`` (PS) and ``XIC`` (IC); the special territories with an ``X..`` code
(and Kosovo, ``XKX``) have neither an alpha-2 nor an EU code in the table. No ``ISG_COU`` value equals another
concept's alpha-2, so looking a code up among both notations is unambiguous.

The concept scheme is described with its version (``owl:versionInfo`` of the source), its source
(``dcterms:source``, the dataset of the authority table) and the reuse terms (Decision 2011/833/EU); the
"Current EU members" scheme ``country:0005`` is declared with its English label and the same version.

Output is deterministic: subjects, predicates and objects are sorted and the Turtle is written here, not by a
serialiser, so that two runs give byte-identical files (no timestamp).

Usage::

    .venv/bin/python scripts/build_country_vocabulary.py [--source PATH] [--output PATH]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from erasmus_kg.derived.normal import normal

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared/data/external/op-country-authority-table/countries.ttl"
DEFAULT_OUTPUT = REPO_ROOT / "data" / "countries.ttl"

AUTHORITY = "http://publications.europa.eu/ontology/authority/"
EUVOC = "http://publications.europa.eu/ontology/euvoc#"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
DCTERMS = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES: dict[str, str] = {
    "country": COUNTRY,
    "dcterms": DCTERMS,
    "euvoc": EUVOC,
    "owl": str(OWL),
    "rdfs": RDFS,
    "skos": str(SKOS),
    "xsd": XSD,
}

SCHEME = URIRef(COUNTRY.rstrip("/"))
EU_MEMBERS = URIRef(COUNTRY + "0005")
MARINE_AREAS = URIRef(COUNTRY + "0002")
TABLE_DATASET = URIRef("http://publications.europa.eu/resource/dataset/country")
LICENSE = URIRef("http://data.europa.eu/eli/dec/2011/833/oj")

END_USE = URIRef(AUTHORITY + "end.use")
AT_DEPRECATED = URIRef(AUTHORITY + "deprecated")
DCT_SOURCE = URIRef(DCTERMS + "source")
DCT_LICENSE = URIRef(DCTERMS + "license")
DCT_RIGHTS = URIRef(DCTERMS + "rights")
RDFS_COMMENT = URIRef(RDFS + "comment")

NOTATION_TYPES = tuple(URIRef(EUVOC + t) for t in ("ISO_3166_1_ALPHA_2", "ISO_3166_1_ALPHA_3", "ISG_COU"))

EXCLUDED: dict[str, str] = {
    "OP_DATPRO": "placeholder 'Provisional data', no code of any kind",
    "XDST": "grouping heading 'Disputed region' (its skos:narrower are the disputed territories)",
    "XMAZ": "grouping heading 'Marine zone' (its skos:narrower are the marine areas)",
    "EUR": "'European Union', a union of countries, not a country or territory",
}

ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    # The United Kingdom: what people call it, its largest part, and the brochure's own spelling
    # ("Groot-Brittanië", with one n). England, Scotland and Wales are aliases too: projects name the United
    # Kingdom (Northern Ireland is a concept of its own in the table, XXI).
    "GBR": (
        ("Groot-Brittannië", "nl"),
        ("Groot-Brittanië", "nl"),
        ("Engeland", "nl"),
        ("Schotland", "nl"),
        ("Great Britain", "en"),
        ("Britain", "en"),
        ("England", "en"),
        ("Scotland", "en"),
        ("Wales", "en"),
        ("Grande-Bretagne", "fr"),
        ("Angleterre", "fr"),
        ("Écosse", "fr"),
        ("Großbritannien", "de"),
        ("Schottland", "de"),
    ),
    "NLD": (("the Netherlands", "en"), ("Hollande", "fr")),
    "MKD": (("Macedonië", "nl"), ("Macedonia", "en"), ("Macédoine", "fr"), ("Mazedonien", "de")),
    "BLR": (("Wit-Rusland", "nl"), ("Weißrussland", "de")),
    "USA": (("Amerika", "nl"), ("America", "en"), ("Amérique", "fr"), ("Amerika", "de")),
    "BIH": (("Bosnië", "nl"), ("Bosnia", "en"), ("Bosnie", "fr"), ("Bosnien", "de")),
    "VAT": (("Vaticaanstad", "nl"), ("Vatican City", "en"), ("Vatican", "fr"), ("Vatikanstadt", "de")),
    "CIV": (("Ivory Coast", "en"), ("Elfenbeinküste", "de")),
    "CPV": (("Cape Verde", "en"), ("Kapverden", "de")),
    "SWZ": (("Swaziland", "nl"), ("Swaziland", "en")),
    "MMR": (("Birma", "nl"), ("Burma", "en")),
}
"""Everyday names that the authority table does not give as labels, by alpha-3 code, with their language."""

RIGHTS = (
    "Derived from the Countries and territories authority table of the Publications Office of the European "
    "Union (EU Vocabularies). Reuse is authorised under Commission Decision 2011/833/EU of 12 December 2011 "
    "on the reuse of Commission documents, provided the source is acknowledged."
)


def is_current(graph: Graph, concept: URIRef) -> bool:
    """No end of use, not deprecated (either flag)."""
    if (concept, END_USE, None) in graph:
        return False
    if any(o.toPython() is True for o in graph.objects(concept, OWL.deprecated) if isinstance(o, Literal)):
        return False
    return all(str(o).lower() != "true" for o in graph.objects(concept, AT_DEPRECATED))


def selected_concepts(graph: Graph) -> list[URIRef]:
    """The concepts to keep, sorted by IRI (see the module docstring for the rules)."""
    kept = []
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        if not isinstance(concept, URIRef) or not str(concept).startswith(COUNTRY):
            continue
        if str(concept)[len(COUNTRY) :] in EXCLUDED:
            continue
        if not is_current(graph, concept):
            continue
        if (concept, SKOS.inScheme, SCHEME) not in graph or (concept, SKOS.inScheme, MARINE_AREAS) in graph:
            continue
        kept.append(concept)
    return sorted(kept, key=str)


def table_version(graph: Graph) -> str:
    versions = sorted({str(v) for v in graph.objects(SCHEME, OWL.versionInfo)})
    if len(versions) != 1:
        raise SystemExit(f"expected exactly one owl:versionInfo on {SCHEME}, found {versions}")
    return versions[0]


def build_graph(source: Graph) -> Graph:
    """The compact vocabulary as an rdflib graph."""
    version = table_version(source)
    out = Graph()
    out.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    out.add((SCHEME, SKOS.prefLabel, Literal("Countries and territories", lang="en")))
    out.add((SCHEME, SKOS.prefLabel, Literal("Landen en gebieden", lang="nl")))
    out.add((SCHEME, OWL.versionInfo, Literal(version)))
    out.add((SCHEME, DCT_SOURCE, TABLE_DATASET))
    out.add((SCHEME, DCT_LICENSE, LICENSE))
    out.add((SCHEME, DCT_RIGHTS, Literal(RIGHTS, lang="en")))
    out.add(
        (
            SCHEME,
            RDFS_COMMENT,
            Literal(
                "Generated by scripts/build_country_vocabulary.py from version "
                f"{version} of the authority table: current countries and territories only, with their "
                "preferred and alternative labels, ISO 3166-1 alpha-2 and alpha-3 codes, EU code (ISG_COU) "
                "and membership of the Current EU members scheme (country:0005).",
                lang="en",
            ),
        )
    )
    out.add((EU_MEMBERS, RDF.type, SKOS.ConceptScheme))
    for label in source.objects(EU_MEMBERS, SKOS.prefLabel):
        out.add((EU_MEMBERS, SKOS.prefLabel, label))
    out.add((EU_MEMBERS, OWL.versionInfo, Literal(version)))

    for concept in selected_concepts(source):
        out.add((concept, RDF.type, SKOS.Concept))
        out.add((concept, SKOS.inScheme, SCHEME))
        if (concept, SKOS.inScheme, EU_MEMBERS) in source:
            out.add((concept, SKOS.inScheme, EU_MEMBERS))
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in source.objects(concept, prop):
                if isinstance(label, Literal):
                    text = unicodedata.normalize("NFKC", str(label))
                    out.add((concept, prop, Literal(text, lang=label.language)))
        for notation in source.objects(concept, SKOS.notation):
            if isinstance(notation, Literal) and notation.datatype in NOTATION_TYPES:
                out.add((concept, SKOS.notation, notation))
    add_aliases(out)
    return out


def add_aliases(out: Graph) -> None:
    """The `ALIASES` as `skos:hiddenLabel`s, each checked to be new and to name one concept only."""
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation):
        for concept, label in out.subject_objects(prop):
            if isinstance(concept, URIRef):
                owners[normal(str(label))].add(concept)
    for code, aliases in sorted(ALIASES.items()):
        concept = URIRef(COUNTRY + code)
        if (concept, RDF.type, SKOS.Concept) not in out:
            raise SystemExit(f"alias of {code}: no such concept in the vocabulary")
        for text, language in aliases:
            if owners.get(normal(text)):
                named = ", ".join(sorted(str(c)[len(COUNTRY) :] for c in owners[normal(text)]))
                raise SystemExit(f"alias {text!r} of {code}: already a label of {named}")
            out.add((concept, SKOS.hiddenLabel, Literal(text, lang=language)))


# --- Turtle writer -----------------------------------------------------------------------------------------

_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _iri(term: URIRef) -> str:
    if term == RDF.type:
        return "a"
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns) and _LOCAL_NAME.match(text[len(ns) :]):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


def _literal(term: Literal) -> str:
    text = '"' + "".join(_ESCAPES.get(ch, ch) for ch in str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype and str(term.datatype) != XSD + "string":
        return f"{text}^^{_iri(term.datatype)}"
    return text


def _term(term: URIRef | Literal) -> str:
    return _literal(term) if isinstance(term, Literal) else _iri(term)


def _object_key(term: URIRef | Literal) -> tuple[int, str, str, str]:
    if isinstance(term, Literal):
        return (1, term.language or "", str(term.datatype or ""), str(term))
    return (0, "", "", str(term))


def _subject_key(subject: URIRef, graph: Graph) -> tuple[int, str]:
    """Concept schemes first, then the concepts, each by IRI."""
    return (0 if (subject, RDF.type, SKOS.ConceptScheme) in graph else 1, str(subject))


def to_turtle(graph: Graph) -> str:
    """Sorted, stable Turtle: prefixes, then one block per subject, predicates and objects sorted."""
    lines = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted(PREFIXES.items())]
    for subject in sorted(set(graph.subjects()), key=lambda s: _subject_key(s, graph)):
        by_predicate: dict[URIRef, list] = defaultdict(list)
        for predicate, obj in graph.predicate_objects(subject):
            by_predicate[predicate].append(obj)
        predicates = sorted(by_predicate, key=lambda p: (p != RDF.type, str(p)))
        lines.append("")
        lines.append(_iri(subject))
        for i, predicate in enumerate(predicates):
            objects = [_term(o) for o in sorted(by_predicate[predicate], key=_object_key)]
            end = " ." if i == len(predicates) - 1 else " ;"
            lines.append(f"    {_iri(predicate)} " + (",\n        ".join(objects)) + end)
    return "\n".join(lines) + "\n"


def build(source_path: Path) -> tuple[str, Graph]:
    source = Graph()
    source.parse(source_path, format="turtle")
    out = build_graph(source)
    return to_turtle(out), out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help=f"default: {DEFAULT_SOURCE}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"source not found: {args.source}")
    text, graph = build(args.source)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))
    concepts = sorted(set(graph.subjects(RDF.type, SKOS.Concept)))
    languages = {lab.language for lab in graph.objects(None, SKOS.prefLabel) if isinstance(lab, Literal)}
    print(
        f"{args.output}: {len(concepts)} concepts, {len(graph)} triples, "
        f"{len(languages)} prefLabel languages, {len(text.encode('utf-8'))} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
