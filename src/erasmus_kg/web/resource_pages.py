"""The page for people about one resource of the graph (`/doc/....html`): its name, and its facts, each
property and value named in the page's language (the shown labels every list uses), values that are
resources linked to their own pages, literals shown as people write them (`query.display`).

Every resource gets this page: projects, organisations, countries, concepts, participations, activities,
sources, statistics. (Pages that say more for the main kinds, with paged inverse links, are still to come:
see the closing note of issue #13.) 404 when the graph says nothing about the resource.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from erasmus_kg.namespaces import compact as _compact
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.display import term_text
from erasmus_kg.query.targets import Target
from erasmus_kg.web import links
from erasmus_kg.web.negotiation import request_language
from erasmus_kg.web.pages import page

_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


@dataclass(frozen=True)
class Value:
    text: str
    href: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Fact:
    property: Value
    values: list[Value]


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
            )
        fact.values.append(_value(value, row["valueLabel"], lang))
    return label, list(grouped.values())


def compact(iri: str) -> str:
    """`iri` with one of our prefixes, else as it is."""
    return _compact(iri) or iri


def _value(value: object, name: object, lang: str) -> Value:
    if isinstance(value, ox.NamedNode):
        text = name.value if isinstance(name, ox.Literal) else compact(value.value)
        return Value(text, links.href(value.value))
    if isinstance(value, ox.Literal):
        if value.datatype.value == _INTEGER and value.value.isdigit() and len(value.value) <= 4:
            return Value(value.value)  # a year or a small count: 2015, not 2.015
        return Value(term_text(value, lang), None, value.language)
    return Value(str(value))


async def resource_page(request: Request, iri: str) -> Response:
    """The HTML page describing `iri` (404 when the graph says nothing about it)."""
    lang = request_language(request)

    def read() -> tuple[str | None, list[Fact]]:
        with request.app.state.access.reading() as reading:
            return facts(reading.target, iri, lang)

    label, found = await run_in_threadpool(read)
    if not found:
        raise HTTPException(404)
    documents = [(suffix, links.document_path(iri, suffix)) for suffix in links.FORMATS if suffix != "html"]
    return page(request, "resource.html", lang=lang, iri=iri, label=label, facts=found, documents=documents)
