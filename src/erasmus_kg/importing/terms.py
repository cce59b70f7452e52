"""The RDF terms the importers write, serialised as N-Triples once: `iri`, `literal` and the table `T` of the
predicates, classes and concepts that recur in every row.

Terms are serialised by pyoxigraph (`str(NamedNode(...))`, `str(Literal(...))`), which escapes them as
N-Triples requires; the IRIs that recur are serialised once (`T`, and `iri`'s cache).
"""

from __future__ import annotations

from functools import cache, lru_cache

import pyoxigraph as ox

from erasmus_kg.namespaces import EKG, PREFIXES

RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD = PREFIXES["xsd"]
_SKOS = PREFIXES["skos"]
_DCTERMS = PREFIXES["dcterms"]
_RDFS = PREFIXES["rdfs"]
_ROLE = PREFIXES["role"]
_PROV = PREFIXES["prov"]


@lru_cache(maxsize=16_384)
def iri(value: str) -> str:
    """`<value>` as N-Triples (pyoxigraph checks and escapes it). ValueError for an invalid IRI."""
    return str(ox.NamedNode(value))


@cache
def _datatype(name: str) -> ox.NamedNode:
    return ox.NamedNode(_XSD + name)


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
    pref_label = iri(_SKOS + "prefLabel")
    alt_label = iri(_SKOS + "altLabel")
    notation = iri(_SKOS + "notation")
    in_scheme = iri(_SKOS + "inScheme")
    top_concept_of = iri(_SKOS + "topConceptOf")
    broader = iri(_SKOS + "broader")
    editorial_note = iri(_SKOS + "editorialNote")
    concept_scheme = iri(_SKOS + "ConceptScheme")
    rdfs_label = iri(_RDFS + "label")
    title = iri(_DCTERMS + "title")
    description = iri(_DCTERMS + "description")
    identifier = iri(_DCTERMS + "identifier")
    issued = iri(_DCTERMS + "issued")
    prov_entity = iri(_PROV + "Entity")
    specialization_of = iri(_PROV + "specializationOf")
    had_primary_source = iri(_PROV + "hadPrimarySource")
    was_revision_of = iri(_PROV + "wasRevisionOf")
    superseded_in = iri(EKG + "supersededIn")
    source = iri(_DCTERMS + "source")
    format = iri(_DCTERMS + "format")
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
    start_date = iri(EKG + "startDate")
    end_date = iri(EKG + "endDate")
    external_reference = iri(EKG + "externalReference")
    national_identifier = iri(EKG + "nationalIdentifier")
    activity_domain = iri(EKG + "activityDomain")
    # concepts
    coordinator = iri(_ROLE + "coordinator")
    partner = iri(_ROLE + "partner")
    true = literal("true", "boolean")
    false = literal("false", "boolean")
