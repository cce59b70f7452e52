"""Definitions of our own concept schemes: one in English and one in Dutch for every scheme and concept.

Asserted on the packaged data (the session store). The Dutch definitions are the brochure's sentences where
the brochure has them; a few of those are checked word for word.
"""

from __future__ import annotations

import pytest

from erasmus_kg.query.targets import StoreTarget

VOCAB = "https://w3id.org/erasmus-kg/vocab/"
SCHEMES = ("action", "activity-type", "organisation-kind", "programme", "role", "sector", "theme")

PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def definitions(target: StoreTarget, subject: str) -> dict[str, list[str]]:
    """The skos:definition texts of `subject` by language tag (distinct literals)."""
    rows = target.query(f"{PREFIXES} SELECT DISTINCT ?d WHERE {{ <{subject}> skos:definition ?d }}")
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["d"].language or "", []).append(row["d"].value)
    return found


def concepts(target: StoreTarget, scheme: str) -> set[str]:
    rows = target.query(f"{PREFIXES} SELECT DISTINCT ?c WHERE {{ ?c skos:inScheme <{VOCAB}{scheme}> }}")
    return {row["c"].value for row in rows}


def problems(target: StoreTarget, subject: str) -> list[str]:
    found = definitions(target, subject)
    wrong = []
    for language in ("en", "nl"):
        texts = found.get(language, [])
        if len(texts) != 1:
            wrong.append(f"{subject}: {len(texts)} definitions in {language}")
            continue
        text = texts[0]
        if not text.strip():
            wrong.append(f"{subject}: empty definition in {language}")
        elif not text.endswith("."):
            wrong.append(f"{subject}: the {language} definition does not end with a full stop: {text!r}")
    other = sorted(set(found) - {"en", "nl"})
    if other:
        wrong.append(f"{subject}: definitions in other languages or untagged: {other}")
    return wrong


def test_our_schemes_are_the_seven(target: StoreTarget) -> None:
    rows = target.query(
        f"{PREFIXES} SELECT DISTINCT ?s WHERE {{ ?s a skos:ConceptScheme "
        f'FILTER(STRSTARTS(STR(?s), "{VOCAB}")) }}'
    )
    assert {row["s"].value for row in rows} == {VOCAB + scheme for scheme in SCHEMES}


def test_every_concept_in_our_schemes_is_in_a_scheme_we_check(target: StoreTarget) -> None:
    rows = target.query(
        f'{PREFIXES} SELECT DISTINCT ?s WHERE {{ ?c skos:inScheme ?s FILTER(STRSTARTS(STR(?c), "{VOCAB}")) }}'
    )
    assert {row["s"].value for row in rows} <= {VOCAB + scheme for scheme in SCHEMES}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_scheme_has_one_definition_per_language(target: StoreTarget, scheme: str) -> None:
    assert problems(target, VOCAB + scheme) == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_concept_has_one_definition_per_language(target: StoreTarget, scheme: str) -> None:
    members = concepts(target, scheme)
    assert members, f"no concepts in {scheme}"
    assert [problem for concept in sorted(members) for problem in problems(target, concept)] == []


BROCHURE_DEFINITIONS = {
    # "(1)  Strategische Partnerschappen die de uitwisseling van goede praktijken ondersteunen (domeinen:
    # ...)"
    "action/strategic-partnerships-good-practice": (
        "Strategische partnerschappen die de uitwisseling van goede praktijken ondersteunen (domeinen: "
        "schoolonderwijs KA201, beroepsonderwijs en -opleiding KA202, volwasseneneducatie KA204)."
    ),
    # "(2)  Strategische Partnerschappen die innovatie ondersteunen (domeinen: ...)"
    "action/strategic-partnerships-innovation": (
        "Strategische partnerschappen die innovatie ondersteunen (domeinen: schoolonderwijs KA201, "
        "beroepsonderwijs en -opleiding KA202, hoger onderwijs KA203, volwasseneneducatie KA204)."
    ),
    # VITAE: "rond de soft skills - vaardigheden die niet vakspecifiek zijn, maar wel essentieel bij het
    # vinden van een job."
    "theme/soft-skills": (
        "Vaardigheden die niet vakspecifiek zijn, maar wel essentieel bij het vinden van een job."
    ),
    # GOAL: "... om de opleiding te vinden die het best aansluit bij hun leernoden."
    "theme/learning-career-guidance": (
        "Begeleiding van (volwassen) lerenden bij het vinden en volgen van de opleiding die het best "
        "aansluit bij hun leernoden."
    ),
    # Coaching children: "het welzijn en het schools presteren van de leerlingen" ... "(in samenwerking met de
    # ouders)"
    "theme/pupil-wellbeing": (
        "Zorg voor het welzijn en het schools presteren van leerlingen, in samenwerking met de ouders."
    ),
    # KA1: "het uitvoeren van lesopdrachten"
    "activity-type/teaching-assignment": (
        "Het uitvoeren van een lesopdracht bij een organisatie in het buitenland."
    ),
    # KA3: "in de sectoren onderwijs, opleiding en jeugd"
    "sector": "De sectoren onderwijs, opleiding en jeugd waarop acties en projecten zich richten.",
}


@pytest.mark.parametrize("concept", sorted(BROCHURE_DEFINITIONS))
def test_dutch_definition_from_the_brochure(target: StoreTarget, concept: str) -> None:
    assert definitions(target, VOCAB + concept).get("nl") == [BROCHURE_DEFINITIONS[concept]]
