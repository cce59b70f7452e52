"""The page for people about one resource of the graph (`/doc/....html`): its name, its facts, each property
and value named in the page's language (the shown labels every list uses), values that are resources linked
to their own pages, literals shown as people write them (`query.display`), and the lists that lead from it
(`resource_lists`: a project's organisations with their roles; the projects of an organisation, a country,
an action, a sector or a theme; a country's organisations), paged, with totals and CSV.

Every resource gets this page: projects, organisations, countries, concepts, participations, activities,
sources, statistics. A project's facts come in the order a reader looks for them (what it is, who, where,
when, how much; its summary as a paragraph), those of other resources by their property's name. 404 when
the graph says nothing about the resource.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from erasmus_kg.namespaces import COUNTRY as COUNTRY_NAMESPACE
from erasmus_kg.namespaces import DCTERMS, EKG, RDF, SKOS, VOCAB
from erasmus_kg.namespaces import compact as _compact
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.display import term_text
from erasmus_kg.query.targets import Target
from erasmus_kg.web import links
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page
from erasmus_kg.web.per_build import KEPT
from erasmus_kg.web.resource_lists import PROJECT_CLASS, ResourceList, lists_for, page_numbers

_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    iri: str | None = None


@dataclass
class Fact:
    property: Value
    values: list[Value]
    iri: str = ""
    other_languages: list[Value] = field(default_factory=list)
    """Values in languages other than the page's (folded away on the page)."""


@dataclass
class Description:
    """What the page of a resource shows of its own facts."""

    label: str | None
    facts: list[Fact]
    types: set[str] = field(default_factory=set)
    schemes: set[str] = field(default_factory=set)
    summary: list[Value] = field(default_factory=list)


_HUBS = (COUNTRY_NAMESPACE, VOCAB)
"""The IRIs whose pages are kept per build: countries and concepts (what many visitors open)."""

PROJECT_ORDER = tuple(
    EKG + name if ":" not in name else name
    for name in (
        DCTERMS + "identifier",
        "externalReference",
        "nationalIdentifier",
        "acronym",
        "fundingProgramme",
        "action",
        "activityDomain",
        "sector",
        "theme",
        "callYear",
        "startDate",
        "endDate",
        "projectStatus",
        "euGrant",
        "participatingCountry",
        "activity",
        "targetGroup",
        DCTERMS + "language",
        "figure",
        "url",
        "projectCard",
        "goodPractice",
        "successStory",
        "resultsAvailable",
        "relatedProject",
        DCTERMS + "source",
    )
)
"""The order of a project's facts on its page; facts of other properties follow, by name."""
_ON_A_PROJECT_PAGE_ELSEWHERE = {
    EKG + "participation",  # the list of organisations
    DCTERMS + "title",  # the heading
    DCTERMS + "description",  # the summary
    RDF + "type",  # a project
    *(EKG + name for name in ("actionOrBroader", "inSector", "servesTargetGroup", "countryInvolvement")),
}
"""Not in a project's table of facts: shown elsewhere on its page, or derived shortcuts that repeat its own
facts (its action's broader ones, its sectors, its target groups, its countries by kind of involvement)."""


def describe(target: Target, iri: str, lang: str) -> Description:
    """The resource's label in `lang`, its facts grouped by property in the page's order, its types and
    concept schemes."""
    label, found = facts(target, iri, lang)
    for fact in found:
        _fold_languages(fact, lang)
    described = Description(label, found)
    for fact in found:
        if fact.iri == RDF + "type":
            described.types = {v.iri for v in fact.values if v.iri}
        if fact.iri == SKOS + "inScheme":
            described.schemes = {v.iri for v in fact.values if v.iri}
    if PROJECT_CLASS in described.types:
        rank = {prop: n for n, prop in enumerate(PROJECT_ORDER)}
        summary = [f for f in found if f.iri == DCTERMS + "description"]
        described.summary = summary[0].values if summary else []
        described.facts = sorted(
            (f for f in found if f.iri not in _ON_A_PROJECT_PAGE_ELSEWHERE),
            key=lambda f: (rank.get(f.iri, len(rank)), f.property.text),
        )
    return described


def _fold_languages(fact: Fact, lang: str) -> None:
    """Keep in view the values in the page's language (else English, else Dutch, else all) and those without
    a language; fold the others away (a country has names in 40 languages)."""
    tagged = [v for v in fact.values if v.lang and v.lang != "und"]
    if len(tagged) < 2:
        return
    for wanted in (lang, "en", "nl"):
        if any(v.lang == wanted for v in tagged):
            break
    else:
        return
    fact.other_languages = [v for v in tagged if v.lang != wanted]
    fact.values = [v for v in fact.values if v not in fact.other_languages]


def facts(target: Target, iri: str, lang: str) -> tuple[str | None, list[Fact]]:
    """The resource's label in `lang` and its facts, grouped by property in the page's order."""
    query = bind(
        internal_query("resource-facts"), {"resource": [ox.NamedNode(iri)], "lang": [ox.Literal(lang)]}
    )
    results = target.query(query)
    assert isinstance(results, ox.QuerySolutions)
    label: str | None = None
    grouped: dict[str, Fact] = {}
    for row in results:
        for name in ("title", "label"):
            if label is None and isinstance(row[name], ox.Literal):
                label = row[name].value
        prop = row["property"]
        value = row["value"]
        assert isinstance(prop, ox.NamedNode)
        fact = grouped.get(prop.value)
        if fact is None:
            name = row["propertyLabel"]
            fact = grouped[prop.value] = Fact(
                Value(
                    name.value if isinstance(name, ox.Literal) else compact(prop.value),
                    links.href(prop.value),
                ),
                [],
                prop.value,
            )
        fact.values.append(_value(value, row["valueLabel"], lang))
    return label, list(grouped.values())


def compact(iri: str) -> str:
    """`iri` with one of our prefixes, else as it is."""
    return _compact(iri) or iri


def _value(value: object, name: object, lang: str) -> Value:
    if isinstance(value, ox.NamedNode):
        text = name.value if isinstance(name, ox.Literal) else compact(value.value)
        return Value(text, links.href(value.value), iri=value.value)
    if isinstance(value, ox.Literal):
        if value.datatype.value == _INTEGER and value.value.isdigit() and len(value.value) <= 4:
            return Value(value.value)  # a year or a small count: 2015, not 2.015
        return Value(term_text(value, lang), None, value.language)
    return Value(str(value))


async def resource_page(request: Request, iri: str) -> Response:
    """The HTML page describing `iri` (404 when the graph says nothing about it)."""
    lang = request_language(request)

    pages = page_numbers(request.query_params)
    address = (request.url.path, [(k, v) for k, v in request.query_params.multi_items()])

    def read() -> tuple[Description, list[ResourceList]]:
        with request.app.state.access.reading() as reading:

            def made() -> tuple[Description, list[ResourceList]]:
                described = describe(reading.target, iri, lang)
                if not described.facts and not described.types:
                    return described, []
                return described, lists_for(
                    reading, iri, described.types, described.schemes, lang, pages, address
                )

            if not iri.startswith(_HUBS):  # one of 327,000 projects or 200,000 organisations: made each time
                return made()
            # a country or a concept, which many visitors open: kept per build (`per_build`)
            key = ("resource", iri, lang, tuple(sorted(pages.items())), address[0], tuple(address[1]))
            return KEPT.get(reading.build_id, key, made)

    described, lists = await run_in_threadpool(read)
    if not described.facts and not described.types:
        raise HTTPException(404)
    documents = [(suffix, links.document_path(iri, suffix)) for suffix in links.FORMATS if suffix != "html"]
    return page(
        request,
        "resource.html",
        lang=lang,
        iri=iri,
        label=described.label,
        facts=described.facts,
        summary=described.summary,
        lists=lists,
        documents=documents,
        statistics=links.statistics_path(iri),
    )
