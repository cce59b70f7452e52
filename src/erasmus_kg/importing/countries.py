"""Country codes as the exports write them -> the country IRIs of the packaged country vocabulary
(data/countries.ttl, the EU Publications Office's country table).

The exports write EU codes (EL for Greece, UK for the United Kingdom); the table carries both those (ISG_COU)
and ISO 3166-1 alpha-2 codes (GR, GB), so either is found, and `eu_code` gives the EU form that organisation
keys use.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.importing.terms import iri
from erasmus_kg.namespaces import COUNTRY, PREFIXES

_EXTRA_COUNTRY_CODES = {"XK": "XKX"}
"""Codes the exports use that the country table does not carry as a notation. Kosovo (country:XKX) has no
alpha-2 or EU code in the table; its history note says that the user-assigned code XK is in use for it, and
the Commission's exports (the Project Results Platform, the ECHE list) write XK."""


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
        """The codes of the packaged country vocabulary (read once)."""
        notation = PREFIXES["skos"] + "notation"
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
