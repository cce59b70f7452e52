"""Names as people type them (issue #12): every variant a counsellor may type resolves to the right country,
through the build's name index (the embedded store) and through queries alone (a remote endpoint), and a
near miss is refused with the names closest to it."""

from __future__ import annotations

import pytest

from erasmus_kg.errors import ParameterError
from erasmus_kg.query.catalogue import get_query
from erasmus_kg.query.parameters import resolve_all
from erasmus_kg.query.targets import StoreTarget

COUNTRY = "http://publications.europa.eu/resource/authority/country/"

TYPED: list[tuple[str, str]] = [
    # Dutch names, with and without their accents, ligatures and hyphens
    ("IJsland", "ISL"),
    ("Ĳsland", "ISL"),
    ("ijsland", "ISL"),
    ("Tsjechië", "CZE"),
    ("Tsjechie", "CZE"),
    ("tsjechie", "CZE"),
    ("Slovenië", "SVN"),
    ("Slovenie", "SVN"),
    ("België", "BEL"),
    ("Belgie", "BEL"),
    ("Litouwen", "LTU"),
    ("Oostenrijk", "AUT"),
    ("Noorwegen", "NOR"),
    ("Groot-Brittannië", "GBR"),
    ("Groot-Brittanië", "GBR"),  # the brochure's own spelling
    ("Groot Brittannie", "GBR"),
    ("groot-brittannie", "GBR"),
    ("Verenigd Koninkrijk", "GBR"),
    ("Engeland", "GBR"),
    ("Schotland", "GBR"),
    ("Noord-Macedonië", "MKD"),
    ("Noord Macedonie", "MKD"),
    ("Macedonië", "MKD"),
    ("Wit-Rusland", "BLR"),
    ("Turkije", "TUR"),
    ("Kaapverdië", "CPV"),
    ("Ivoorkust", "CIV"),
    ("Amerika", "USA"),
    ("Verenigde Staten", "USA"),
    ("Griekenland", "GRC"),
    # English
    ("Great Britain", "GBR"),
    ("Britain", "GBR"),
    ("England", "GBR"),
    ("Wales", "GBR"),
    ("United Kingdom", "GBR"),
    ("the Netherlands", "NLD"),
    ("Netherlands", "NLD"),
    ("Holland", "NLD"),
    ("Czechia", "CZE"),
    ("Czech Republic", "CZE"),
    ("North Macedonia", "MKD"),
    ("Turkey", "TUR"),
    ("Türkiye", "TUR"),
    ("Turkiye", "TUR"),
    ("Ivory Coast", "CIV"),
    ("Cote d'Ivoire", "CIV"),
    ("Côte d’Ivoire", "CIV"),
    ("Cape Verde", "CPV"),
    ("Burma", "MMR"),
    ("Iceland", "ISL"),
    # French and German
    ("Lituanie", "LTU"),
    ("Grande-Bretagne", "GBR"),
    ("Royaume-Uni", "GBR"),
    ("Tchéquie", "CZE"),
    ("Tchequie", "CZE"),
    ("Großbritannien", "GBR"),
    ("Grossbritannien", "GBR"),
    ("Österreich", "AUT"),
    ("Osterreich", "AUT"),
    ("Türkei", "TUR"),
    ("Weißrussland", "BLR"),
    # codes: ISO alpha-2 and alpha-3 and the EU's own, in any case
    ("LT", "LTU"),
    ("ltu", "LTU"),
    ("EL", "GRC"),
    ("UK", "GBR"),
    ("gb", "GBR"),
    # IRIs, full and short (as the tables print them)
    ("country:LTU", "LTU"),
    ("country:ISL", "ISL"),
    (COUNTRY + "CZE", "CZE"),
]


@pytest.mark.parametrize("indexed", [True, False], ids=["name-index", "queries"])
@pytest.mark.parametrize(("typed", "code"), TYPED)
def test_typed_country_resolves(target: StoreTarget, typed: str, code: str, indexed: bool) -> None:
    names = target.names if indexed else None
    bindings = resolve_all(get_query("projects-by-country"), {"country": typed}, target.query, names)
    assert [term.value for term in bindings["country"]] == [COUNTRY + code]


def test_at_least_sixty_variants() -> None:
    assert len(TYPED) >= 60


NEAR_MISSES: list[tuple[str, str]] = [
    ("Litauwen", "Litouwen"),
    ("Ijslandd", "IJsland"),
    ("Tsjechien", "Tsjechië"),
    ("Oostenrjik", "Oostenrijk"),
    ("Groot-Britannie", "Groot-Brittannië"),
    ("Noorwegn", "Noorwegen"),
]


@pytest.mark.parametrize("indexed", [True, False], ids=["name-index", "queries"])
@pytest.mark.parametrize(("typed", "suggested"), NEAR_MISSES)
def test_near_miss_is_refused_with_a_suggestion(
    target: StoreTarget, typed: str, suggested: str, indexed: bool
) -> None:
    names = target.names if indexed else None
    with pytest.raises(ParameterError) as error:
        resolve_all(get_query("projects-by-country"), {"country": typed}, target.query, names)
    message = str(error.value)
    assert message.startswith(f"country: no country matches {typed!r}. Did you mean: ")
    assert suggested in message.split("Did you mean: ", 1)[1].rstrip("?").split(", ")


@pytest.mark.parametrize(
    ("query", "raw", "expected"),
    [
        ("project-details", {"project": "project:goal"}, "https://w3id.org/erasmus-kg/id/project/goal"),
        (
            "projects-by-key-action",
            {"action": "action:KA204"},
            "https://w3id.org/erasmus-kg/vocab/action/KA204",
        ),
        (
            "projects-by-organisation",
            {"organisation": "organisation:leerwinkel-west"},
            "https://w3id.org/erasmus-kg/id/organisation/leerwinkel-west",
        ),
    ],
)
def test_short_iris_are_accepted(target: StoreTarget, query: str, raw: dict[str, str], expected: str) -> None:
    for names in (target.names, None):
        bindings = resolve_all(get_query(query), raw, target.query, names)
        assert [term.value for term in next(iter(bindings.values()))] == [expected]


def test_a_short_iri_of_another_kind_is_refused(target: StoreTarget) -> None:
    with pytest.raises(ParameterError, match="is not a country known to the graph"):
        resolve_all(get_query("projects-by-country"), {"country": "project:goal"}, target.query, target.names)


def test_packaged_names_are_printed_as_typed(target: StoreTarget) -> None:
    """No packaged label or title is written with a compatibility character (a ligature such as `Ĳ`, a
    full-width bracket): each is in Unicode normal form NFKC, so what a table prints can be typed back."""
    import unicodedata

    names = "skos:prefLabel|skos:altLabel|skos:hiddenLabel|rdfs:label|dcterms:title|ekg:acronym|skos:notation"
    rows = target.query(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX ekg: <https://w3id.org/erasmus-kg/ontology#> "
        f"SELECT ?text WHERE {{ ?s {names} ?text }}"
    )
    texts = [row["text"].value for row in rows]
    assert len(texts) > 15_000
    assert [t for t in texts if unicodedata.normalize("NFKC", t) != t] == []
