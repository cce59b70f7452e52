"""The brochure's facts, project by project: what each example says, asserted on the packaged data."""

from __future__ import annotations

import pytest

from erasmus_kg.query.targets import StoreTarget

PREFIXES = """
PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX project: <https://w3id.org/erasmus-kg/id/project/>
PREFIX country: <http://publications.europa.eu/resource/authority/country/>
"""


def values(target: StoreTarget, where: str, var: str = "x") -> set[str]:
    rows = target.query(f"{PREFIXES} SELECT DISTINCT ?{var} WHERE {{ {where} }}")
    return {row[var].value for row in rows}


def countries(target: StoreTarget, project: str) -> set[str]:
    where = f"""project:{project}
        (ekg:participation/ekg:organisation/ekg:country)|ekg:participatingCountry
        |(ekg:activity/ekg:destinationCountry) ?c . BIND(STRAFTER(STR(?c), "country/") AS ?x)"""
    return values(target, where)


def with_role(target: StoreTarget, project: str, role: str) -> set[str]:
    where = f"""project:{project} ekg:participation ?p .
        ?p ekg:role <https://w3id.org/erasmus-kg/vocab/role/{role}> ;
        ekg:organisation ?o . OPTIONAL {{ ?o skos:prefLabel ?name }}
        OPTIONAL {{ ?o ekg:country ?c }}
        BIND(COALESCE(?name, CONCAT("unnamed in ", STRAFTER(STR(?c), "country/"))) AS ?x)"""
    return values(target, where)


def action(target: StoreTarget, project: str) -> str:
    (code,) = values(target, f"project:{project} ekg:action ?a . BIND(STRAFTER(STR(?a), 'action/') AS ?x)")
    return code


def test_ten_projects(target: StoreTarget) -> None:
    assert len(values(target, "?x a ekg:Project")) == 10


def test_nine_examples_and_a_project_only_mentioned(target: StoreTarget) -> None:
    """Nine projects are the brochure's examples (each described); the KA2 project VITAE is only mentioned,
    as the project the eTwinning project VITAE goes with, and the brochure's description says so."""
    described = values(target, "?x a ekg:Project ; dcterms:description ?d")
    assert len(described) == 9
    assert values(target, "?x a ekg:Project FILTER NOT EXISTS { ?x dcterms:description ?d }") == {
        "https://w3id.org/erasmus-kg/id/project/vitae-ka2"
    }
    brochure = "<https://w3id.org/erasmus-kg/id/source/brochure-keuzebegeleiding>"
    descriptions = values(target, f"{brochure} dcterms:description ?x")
    assert any("nine example projects" in d for d in descriptions)
    assert any("negen voorbeeldprojecten" in d for d in descriptions)
    assert not any("ten example" in d for d in descriptions)


def test_coaching_children(target: StoreTarget) -> None:
    assert action(target, "coaching-children") == "KA1"
    assert with_role(target, "coaching-children", "project-owner") == {
        "Basisschool GO! Schaarbeek Hendrik Conscience"
    }
    assert with_role(target, "coaching-children", "partner") == {"Centrum Tea Adema"}
    assert with_role(target, "coaching-children", "host") == {"Centrum Tea Adema"}
    assert countries(target, "coaching-children") == {"BEL", "NLD"}
    assert values(
        target, "project:coaching-children ekg:activity/ekg:activityType ?t BIND(STR(?t) AS ?x)"
    ) == {"https://w3id.org/erasmus-kg/vocab/activity-type/training"}


def test_manage_your_future(target: StoreTarget) -> None:
    assert action(target, "manage-your-future") == "KA1"
    assert with_role(target, "manage-your-future", "project-owner") == {"Sint-Anna Instituut"}
    assert values(
        target, "project:manage-your-future ekg:participation/ekg:organisation/ekg:locality ?x"
    ) == {"Eeklo"}
    assert countries(target, "manage-your-future") == {"BEL", "GBR", "GRC", "NOR"}
    # more than 35% regret their choice; 2-week internships in London, every year
    assert values(target, "project:manage-your-future ekg:figure/schema:minValue ?v BIND(STR(?v) AS ?x)") == {
        "35"
    }
    london = (
        "?a ekg:destinationCountry country:GBR ; ekg:duration ?d ; ekg:locality ?l ."
        " BIND(CONCAT(STR(?d), ' ', ?l) AS ?x)"
    )
    assert values(target, f"project:manage-your-future ekg:activity ?a . {london}") == {"P14D Londen"}


def test_adeigus(target: StoreTarget) -> None:
    assert action(target, "adeigus") == "KA2"
    assert values(target, "project:adeigus ekg:acronym ?x") == {"ADEIGUS"}
    assert with_role(target, "adeigus", "coordinator") == {"Leerwinkel West"}
    assert with_role(target, "adeigus", "partner") == {
        f"unnamed in {c}" for c in ("LTU", "FIN", "GBR", "SVN", "AUT")
    }
    assert countries(target, "adeigus") == {"LTU", "FIN", "GBR", "SVN", "AUT", "BEL"}
    assert values(target, "project:adeigus ekg:figure/schema:value ?v BIND(STR(?v) AS ?x)") == {"72"}
    assert values(target, "project:adeigus ekg:sector ?s BIND(STRAFTER(STR(?s), 'sector/') AS ?x)") == {
        "adult-education"
    }


def test_eep(target: StoreTarget) -> None:
    assert action(target, "eep") == "KA2"
    assert values(target, "project:eep ekg:acronym ?x") == {"EEP"}
    assert with_role(target, "eep", "project-owner") == {"KU Leuven", "UCLL"}
    assert with_role(target, "eep", "coordinator") == set()  # the brochure names none


def test_smart_lmi(target: StoreTarget) -> None:
    assert action(target, "smart-lmi") == "KA3"
    assert with_role(target, "smart-lmi", "project-owner") == {"WES"}
    assert with_role(target, "smart-lmi", "partner") == {
        f"unnamed in {c}" for c in ("IRL", "GBR", "GRC", "PRT")
    }
    assert values(target, "project:smart-lmi ekg:participation/ekg:organisation/ekg:locality ?x") == {
        "Brugge"
    }
    # "De link die de app legt tussen LMI en assessment van transversale vaardigheden"
    assert values(target, "project:smart-lmi ekg:theme ?t BIND(STRAFTER(STR(?t), 'theme/') AS ?x)") == {
        "labour-market-information", "career-guidance", "digital-competences", "soft-skills",
        "competence-assessment",
    }  # fmt: skip


def test_goal(target: StoreTarget) -> None:
    assert action(target, "goal") == "KA3"
    assert with_role(target, "goal", "coordinator") == {"Vlaams Ministerie van Onderwijs en Vorming"}
    assert with_role(target, "goal", "participant") == {"De Stap", "Leerwinkel West"}
    assert countries(target, "goal") == {"CZE", "ISL", "NLD", "LTU", "SVN", "BEL"}
    dates = "project:goal ekg:startDate ?s ; ekg:endDate ?e . BIND(CONCAT(STR(?s), '/', STR(?e)) AS ?x)"
    assert values(target, dates) == {"2015-02/2018-01"}
    ages = (
        "project:goal ekg:targetGroup ?g . ?g ekg:minimumAge ?min ; ekg:maximumAge ?max"
        " BIND(CONCAT(STR(?min), '-', STR(?max)) AS ?x)"
    )
    assert values(target, ages) == {"18-25"}
    interventions = (
        "project:goal ekg:activity ?a . ?a ekg:count ?n ; ekg:startDate ?s ; ekg:endDate ?e"
        " BIND(CONCAT(STR(?n), ' ', STR(?s), '/', STR(?e)) AS ?x)"
    )
    assert values(target, interventions) == {"5 2015-09/2017-04"}


def test_op_weg_naar_de_toekomst(target: StoreTarget) -> None:
    assert action(target, "op-weg-naar-de-toekomst") == "etwinning"
    titles = "project:op-weg-naar-de-toekomst dcterms:title ?t BIND(CONCAT(STR(?t), '@', LANG(?t)) AS ?x)"
    assert values(target, titles) == {"Op weg naar de toekomst!@nl", "En route pour l'avenir!@fr"}
    assert with_role(target, "op-weg-naar-de-toekomst", "partner-school") == {"unnamed in HRV"}
    assert values(
        target,
        "project:op-weg-naar-de-toekomst dcterms:language ?l BIND(STRAFTER(STR(?l), 'language/') AS ?x)",
    ) == {
        "FRA",
        "ENG",
    }
    ages = (
        "project:op-weg-naar-de-toekomst ekg:targetGroup ?g . ?g ekg:minimumAge ?min ; ekg:maximumAge ?max"
        " BIND(CONCAT(STR(?min), '-', STR(?max)) AS ?x)"
    )
    assert values(target, ages) == {"16-18"}


def test_ideal_profession(target: StoreTarget) -> None:
    assert action(target, "ideal-profession") == "etwinning"
    titles = "project:ideal-profession dcterms:title ?t BIND(CONCAT(STR(?t), '@', LANG(?t)) AS ?x)"
    assert values(target, titles) == {"The ideal profession for myself@en", "Ideal Meslegim@tr"}
    assert with_role(target, "ideal-profession", "project-owner") == {"Campus de Helix"}
    assert with_role(target, "ideal-profession", "partner-school") == {"unnamed in TUR"}
    assert values(
        target, "project:ideal-profession dcterms:language ?l BIND(STRAFTER(STR(?l), 'language/') AS ?x)"
    ) == {
        "ENG",
        "TUR",
    }


def test_vitae_two_linked_projects(target: StoreTarget) -> None:
    assert action(target, "vitae-etwinning") == "etwinning"
    assert action(target, "vitae-ka2") == "KA2"
    assert values(target, "project:vitae-etwinning ekg:relatedProject ?p BIND(STR(?p) AS ?x)") == {
        "https://w3id.org/erasmus-kg/id/project/vitae-ka2"
    }
    assert with_role(target, "vitae-etwinning", "project-owner") == {"Technisch Atheneum De Wijzer"}
    assert with_role(target, "vitae-etwinning", "partner-school") == {
        f"unnamed in {c}" for c in ("ESP", "CZE", "DEU")
    }
    # the brochure names no organisation of the KA2 project itself
    assert values(target, "project:vitae-ka2 ekg:participation ?x") == set()


@pytest.mark.parametrize(
    "project",
    [
        "coaching-children",
        "manage-your-future",
        "adeigus",
        "eep",
        "smart-lmi",
        "goal",
        "op-weg-naar-de-toekomst",
        "ideal-profession",
        "vitae-etwinning",
        "vitae-ka2",
    ],
)
def test_every_project_and_its_organisations_cite_a_brochure_section(
    target: StoreTarget, project: str
) -> None:
    where = f"""{{ BIND(project:{project} AS ?n) }}
        UNION {{ project:{project} ekg:participation/ekg:organisation ?n }}
        FILTER NOT EXISTS {{ ?n dcterms:source/dcterms:isPartOf
            <https://w3id.org/erasmus-kg/id/source/brochure-keuzebegeleiding> }}
        BIND(STR(?n) AS ?x)"""
    assert values(target, where) == set()


def test_submission_table(target: StoreTarget) -> None:
    where = """?r a ekg:SubmissionRoute ; ekg:submitTo/skos:prefLabel ?body ; ekg:forAction ?a .
        BIND(CONCAT(STRAFTER(STR(?a), 'action/'), ' -> ', ?body) AS ?x)"""
    assert values(target, where) == {
        "KA1 -> EPOS vzw",
        "strategic-partnerships -> EPOS vzw",
        "knowledge-alliances -> EACEA",
        "sector-skills-alliances -> EACEA",
        "capacity-building-higher-education -> EACEA",
        "KA1 -> JINT vzw",
        "KA2 -> JINT vzw",
        "KA3 -> EACEA",
        "etwinning -> EPOS vzw",
    }


def test_information_links(target: StoreTarget) -> None:
    assert values(target, "?r a ekg:InformationResource ; ekg:url ?u BIND(STR(?u) AS ?x)") == {
        "https://epos-vlaanderen.be",
        "https://eacea.ec.europa.eu/erasmus-plus/actions",
        "https://eacea.ec.europa.eu/erasmus-plus/actions/support-for-policy-reforms_en",
        "https://ec.europa.eu/programmes/erasmus-plus/projects",
        "https://etwinning.be",
        "https://ec.europa.eu/epale/nl",
        "https://europahuis.be/nl/ga-internationaal/subsidies",
    }


def test_platforms_funded_through_ka2(target: StoreTarget) -> None:
    where = (
        "?p a ekg:Platform ; ekg:fundedThrough <https://w3id.org/erasmus-kg/vocab/action/KA2>"
        " BIND(STRAFTER(STR(?p), 'action/') AS ?x)"
    )
    assert values(target, where) == {"etwinning", "epale"}
    assert values(
        target, "?c a ekg:CommunityOfPractice ; rdfs:label ?l FILTER(LANG(?l) = 'en') BIND(STR(?l) AS ?x)"
    ) == {"Career guidance and counseling for adults"}
