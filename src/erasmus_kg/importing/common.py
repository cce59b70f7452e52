"""What every importer shares: RDF terms serialised once, names normalised, IRIs minted, country codes looked
up in the packaged country vocabulary, and the errors of a bad row.

Terms are serialised by pyoxigraph (`str(NamedNode(...))`, `str(Literal(...))`), which escapes them as
N-Triples requires; the IRIs and literals that recur (predicates, classes, countries, concepts) are serialised
once and cached.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.namespaces import COUNTRY, EKG, GRAPH, ID, PREFIXES, VOCAB

RDF_TYPE = PREFIXES["rdf"] + "type"
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]
RDFS = PREFIXES["rdfs"]

IMPORT_GRAPH = GRAPH + "import/"
"""Each imported file goes into the named graph graph/import/<file name>."""
IMPORT_SOURCE = ID + "source/import/"
"""Each imported file is described by the ekg:SourceDocument id/source/import/<file name>."""
ORGANISATION = ID + "organisation/"
PROJECT = ID + "project/"

_EXTRA_COUNTRY_CODES = {"XK": "XKX"}
"""Codes the exports use that the country table does not carry as a notation. Kosovo (country:XKX) has no
alpha-2 or EU code in the table; its history note says that the user-assigned code XK is in use for it, and
the Commission's exports (the Project Results Platform, the ECHE list) write XK."""


# ------------------------------------------------------------------------------------------------------------
# Serialised terms


@lru_cache(maxsize=16_384)
def iri(value: str) -> str:
    """`<value>` as N-Triples (pyoxigraph checks and escapes it). ValueError for an invalid IRI."""
    return str(ox.NamedNode(value))


@cache
def _datatype(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def literal(value: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal as N-Triples: a plain string, a typed literal (`datatype`: an xsd local name such as
    "decimal") or a language-tagged string."""
    if language is not None:
        return str(ox.Literal(value, language=language))
    if datatype is not None:
        return str(ox.Literal(value, datatype=_datatype(datatype)))
    return str(ox.Literal(value))


class T:
    """The serialised IRIs the importers write, each made once."""

    type = iri(RDF_TYPE)
    pref_label = iri(SKOS + "prefLabel")
    alt_label = iri(SKOS + "altLabel")
    notation = iri(SKOS + "notation")
    in_scheme = iri(SKOS + "inScheme")
    top_concept_of = iri(SKOS + "topConceptOf")
    broader = iri(SKOS + "broader")
    definition = iri(SKOS + "definition")
    editorial_note = iri(SKOS + "editorialNote")
    concept_scheme = iri(SKOS + "ConceptScheme")
    rdfs_label = iri(RDFS + "label")
    title = iri(DCTERMS + "title")
    description = iri(DCTERMS + "description")
    identifier = iri(DCTERMS + "identifier")
    source = iri(DCTERMS + "source")
    format = iri(DCTERMS + "format")
    # classes
    project = iri(EKG + "Project")
    participation_class = iri(EKG + "Participation")
    organisation_class = iri(EKG + "Organisation")
    source_document = iri(EKG + "SourceDocument")
    programme_class = iri(EKG + "Programme")
    action_class = iri(EKG + "Action")
    action_type_class = iri(EKG + "ActionType")
    theme_class = iri(EKG + "Theme")
    organisation_kind_class = iri(EKG + "OrganisationKind")
    charter_class = iri(EKG + "ErasmusCharter")
    # properties
    action = iri(EKG + "action")
    sector = iri(EKG + "sector")
    theme = iri(EKG + "theme")
    funding_programme = iri(EKG + "fundingProgramme")
    call_year = iri(EKG + "callYear")
    eu_grant = iri(EKG + "euGrant")
    good_practice = iri(EKG + "goodPractice")
    success_story = iri(EKG + "successStory")
    results_available = iri(EKG + "resultsAvailable")
    project_status = iri(EKG + "projectStatus")
    project_card = iri(EKG + "projectCard")
    url = iri(EKG + "url")
    participating_country = iri(EKG + "participatingCountry")
    participation = iri(EKG + "participation")
    organisation = iri(EKG + "organisation")
    role = iri(EKG + "role")
    country = iri(EKG + "country")
    organisation_kind = iri(EKG + "organisationKind")
    address = iri(EKG + "address")
    street_address = iri(EKG + "streetAddress")
    postal_code = iri(EKG + "postalCode")
    locality = iri(EKG + "locality")
    region = iri(EKG + "region")
    erasmus_code = iri(EKG + "erasmusCode")
    pic = iri(EKG + "pic")
    oid = iri(EKG + "oid")
    charter_holder = iri(EKG + "charterHolder")
    valid_from = iri(EKG + "validFrom")
    valid_until = iri(EKG + "validUntil")
    # concepts
    coordinator = iri(VOCAB + "role/coordinator")
    partner = iri(VOCAB + "role/partner")
    true = literal("true", "boolean")
    false = literal("false", "boolean")


# ------------------------------------------------------------------------------------------------------------
# Names, slugs, IRIs

_PUNCTUATION = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """The form of an organisation's name that identifies it within its country: Unicode-compatibility
    folded, accents removed, case folded, every run of punctuation and whitespace one space.

    "Universidad de Alcalá", "UNIVERSIDAD DE ALCALA" and "Universidad  de Alcalá." are one name.
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _PUNCTUATION.sub(" ", folded.casefold()).strip()


def slug(text: str, limit: int = 80) -> str:
    """A readable IRI segment: ASCII letters and digits in lower case, runs of anything else one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return value[:limit].rstrip("-") or "x"


def short_hash(*parts: str) -> str:
    """20 hex digits (80 bits) of a BLAKE2b hash of the parts: collisions are negligible at any data size."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=10)
    return digest.hexdigest()


def organisation_key(name: str, country_code: str | None) -> tuple[str, str]:
    """What identifies a named organisation: its normalised name and its (EU) country code, "" if unknown."""
    return normalise_name(name), country_code or ""


def organisation_iri(key: tuple[str, str], qualifier: str = "") -> str:
    """id/organisation/<country>-<hash of normalised name + country>; the same name in another country is
    another organisation. `qualifier` (e.g. a PIC) separates organisations that share a name in one
    country."""
    name, country = key
    parts = (country, name, qualifier) if qualifier else (country, name)
    return f"{ORGANISATION}{(country or 'xx').lower()}-{short_hash(*parts)}"


def segment(value: str) -> str:
    """A source identifier as one IRI path segment (percent-encoded where needed)."""
    return quote(value, safe="-._~")


def import_graph(path: Path) -> str:
    """The named graph of an imported file: graph/import/<file name>."""
    return IMPORT_GRAPH + segment(path.name)


def import_source_document(path: Path) -> str:
    return IMPORT_SOURCE + segment(path.name)


# ------------------------------------------------------------------------------------------------------------
# Countries


class CountryCodes:
    """Two-letter country codes as the exports write them (EU style: EL, UK) -> country IRIs, from the
    packaged country vocabulary: its EU (ISG_COU) codes first, then ISO 3166-1 alpha-2 (GR and GB are found
    too, and name the same countries as EL and UK)."""

    def __init__(self, by_code: dict[str, str], eu_codes: dict[str, str]) -> None:
        self._by_code = by_code
        self._eu_code_of = eu_codes
        self._serialised: dict[str, str] = {}

    @classmethod
    @cache
    def packaged(cls) -> CountryCodes:
        notation = SKOS + "notation"
        eu_codes: dict[str, str] = {}
        alpha2: dict[str, str] = {}
        for triple in ox.parse(path=str(resources.countries_file()), format=ox.RdfFormat.TURTLE):
            if triple.predicate.value != notation or not isinstance(triple.object, ox.Literal):
                continue
            kind = triple.object.datatype.value.rsplit("#", 1)[-1]
            if kind == "ISG_COU":
                eu_codes[triple.object.value] = triple.subject.value
            elif kind == "ISO_3166_1_ALPHA_2":
                alpha2[triple.object.value] = triple.subject.value
        by_code = {**alpha2, **eu_codes}
        for code, alpha3 in _EXTRA_COUNTRY_CODES.items():
            by_code.setdefault(code, COUNTRY + alpha3)
        eu_code_of = {country: code for code, country in sorted(alpha2.items())}
        eu_code_of.update({country: code for code, country in eu_codes.items()})
        for code, alpha3 in _EXTRA_COUNTRY_CODES.items():
            eu_code_of.setdefault(COUNTRY + alpha3, code)
        return cls(by_code, eu_code_of)

    def iri(self, code: str) -> str | None:
        """The country IRI of a code (any case), None when the vocabulary does not know it."""
        return self._by_code.get(code.strip().upper())

    def serialised(self, code: str) -> str | None:
        """The country IRI as N-Triples, None when unknown."""
        key = code.strip().upper()
        found = self._serialised.get(key)
        if found is None:
            value = self._by_code.get(key)
            if value is None:
                return None
            found = self._serialised[key] = iri(value)
        return found

    def eu_code(self, code: str) -> str:
        """The EU code of a known code (GR -> EL, GB -> UK, el -> EL): the country in organisation keys."""
        key = code.strip().upper()
        country = self._by_code.get(key)
        return key if country is None else self._eu_code_of.get(country, key)


# ------------------------------------------------------------------------------------------------------------
# Bad rows


@dataclass(frozen=True)
class Problem:
    """One bad cell: the row as a spreadsheet numbers it (the header is row 1), the column, what is wrong."""

    row: int
    column: str
    message: str

    def line(self, path: Path) -> str:
        return f"{path}:{self.row}: column '{self.column}': {self.message}"


@dataclass
class BadRow(Exception):
    """A row that cannot be imported; `problems` names every bad cell."""

    problems: list[Problem] = field(default_factory=list)


def clean(value: object) -> str:
    """A cell as text without surrounding whitespace ("" for an empty cell)."""
    if value is None:
        return ""
    return str(value).strip()
