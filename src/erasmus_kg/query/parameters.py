"""Resolve what a user types as a query parameter into RDF terms, with the graph's own vocabularies.

A country may be given as its name in any language of the country table, an ISO or EU code, or an IRI; an
action or a programme as its code or label; an organisation or a project as part of its name. Resolution runs
the internal queries in `queries/internal/` on the same store or endpoint as the query itself, with the typed
text bound as a literal. What cannot be resolved is a `ParameterError` (exit 2) that suggests the closest
matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from erasmus_kg.derived.normal import normal
from erasmus_kg.errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from erasmus_kg.derived.names import NameIndex
from erasmus_kg.namespaces import COUNTRY, EUVOC, LANGUAGE, VOCAB, XSD, expand
from erasmus_kg.query.binding import Term, bind
from erasmus_kg.query.catalogue import Parameter, StoredQuery, internal_query

Select = Callable[[str], ox.QuerySolutions]
"""Runs a SELECT query (text) on a store or an endpoint."""

XSD_INTEGER = ox.NamedNode(XSD + "integer")

CONCEPT_SCHEMES: dict[str, str] = {
    "country": COUNTRY.rstrip("/"),
    "language": LANGUAGE.rstrip("/"),
    "action": VOCAB + "action",
    "sector": VOCAB + "sector",
    "theme": VOCAB + "theme",
    "role": VOCAB + "role",
    "organisation-kind": VOCAB + "organisation-kind",
    "activity-type": VOCAB + "activity-type",
    "programme": VOCAB + "programme",
}
"""Parameter types whose values are concepts of a SKOS scheme."""

PARAMETER_TYPES = frozenset({*CONCEPT_SCHEMES, "organisation", "project", "integer", "year", "string"})

LABEL_LANGUAGES = (
    *("nl", "en", "fr", "de", "bg", "cs", "da", "el", "es", "et", "fi", "ga", "hr", "hu", "is", "it", "lb"),
    *("lt", "lv", "mk", "mt", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk"),
    "und",
)
"""Language tags tried for an exact label match (the EU languages and those of the country table, and "und":
the Project Results export does not say the language of its titles); a label in another language is still
found by the slower case-insensitive scan. (On the embedded store, the name index finds names in any
language.)"""

NOTATION_TYPES = tuple(
    ox.NamedNode(EUVOC + name)
    for name in ("ISO_3166_1_ALPHA_2", "ISO_3166_1_ALPHA_3", "ISG_COU", "ISO_639_1")
)

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")
_SUGGEST_LIMIT = 200
"""Values longer than this get no suggestions (comparing them would be slow and useless)."""
_EXACT_LIMIT = 1000
"""Values longer than this are not tried as exact names (each try is a literal in the query)."""
_LABEL_SEPARATOR = "\x1f"
"""Between the texts of one row of internal/concept-labels.rq (its SEPARATOR, U+001F, the unit separator)."""


def resolve_all(
    query: StoredQuery, raw: Mapping[str, str], select: Select, names: NameIndex | None = None
) -> dict[str, list[Term]]:
    """The bindings for a stored query: every parameter resolved, missing optional ones unbound. Names are
    looked up in `names` (the build's name index) when given, else by queries through `select`."""
    unknown = sorted(set(raw) - {p.name for p in query.params})
    if unknown:
        known = ", ".join(p.name for p in query.params) or "none"
        raise ParameterError(
            f"query {query.name!r} has no parameter {unknown[0]!r} (its parameters: {known})"
        )
    bindings: dict[str, list[Term]] = {}
    for param in query.params:
        value = raw.get(param.name)
        if value is not None and value.strip() == "":
            raise ParameterError(f"{param.name}: the value is empty")
        if value is None:
            if param.required:
                raise ParameterError(
                    f"query {query.name!r} needs the parameter {param.name!r} ({param.type}): "
                    f"-p {param.name}=VALUE, e.g. -p {param.name}={param.example or '...'}"
                )
            bindings[param.name] = []
            continue
        bindings[param.name] = resolve(param, value, select, names)
    return bindings


def resolve(param: Parameter, value: str, select: Select, names: NameIndex | None = None) -> list[Term]:
    """The terms a value of `param` stands for. A short IRI with one of our prefixes (`country:LTU`, as the
    tables print them) is the full IRI wherever an IRI is accepted."""
    kind = param.type
    if kind in CONCEPT_SCHEMES or kind in ("organisation", "project"):
        value = expand(value.strip()) or value
    if kind in CONCEPT_SCHEMES:
        scheme = ox.NamedNode(CONCEPT_SCHEMES[kind])
        if names is not None and not _IRI.match(value.strip()):
            return _indexed_concept(param, value, scheme, names)
        return _concept(param, value, scheme, select)
    if kind in ("organisation", "project"):
        if names is not None and not _IRI.match(value.strip()):
            return _indexed_name(param, value, names, kind)
        return _by_name(param, value, select, kind)
    if kind == "integer":
        return [_integer(param, value)]
    if kind == "year":
        if not re.fullmatch(r"\d{4}", value.strip()):
            raise ParameterError(f"{param.name}: {shorten(value)} is not a year (four digits, e.g. 2016)")
        return [ox.Literal(str(int(value.strip())), datatype=XSD_INTEGER)]
    if kind == "string":
        return [ox.Literal(value)]
    raise ParameterError(f"{param.name}: unknown parameter type {kind!r}")  # a defect of a query header


def _concept(param: Parameter, value: str, scheme: ox.NamedNode, select: Select) -> list[Term]:
    """A concept by its IRI (full or short), else by a notation or label exactly as typed (index lookups),
    else by the normal form of every label of its scheme (whatever the case, accents or punctuation)."""
    text = value.strip()
    if _IRI.match(text):
        iri = _named_node(param, text)
        rows = select(bind(internal_query("concept-by-iri"), {"concept": [iri], "scheme": [scheme]}))
        if list(rows):
            return [iri]
        raise ParameterError(f"{param.name}: {shorten(text)} is not a {param.type} known to the graph")
    texts = candidates(text, NOTATION_TYPES)
    matches = list(select(bind(internal_query("concept-exact"), {"text": [*texts]}))) if texts else []
    found = [(_term(row, "concept"), int(_value(row, "rank"))) for row in matches if row["scheme"] == scheme]
    if not found:
        labels = _concept_labels(select, scheme)
        wanted = normal(text)
        found = [(concept, rank) for concept, rank, label in labels if normal(label) == wanted]
        if not found:
            raise _unknown(param, text, [label for _, _, label in labels])
    best = min(rank for _, rank in found)
    return sorted({concept for concept, rank in found if rank == best}, key=lambda c: c.value)


def _concept_labels(select: Select, scheme: ox.NamedNode) -> list[tuple[Term, int, str]]:
    """Every notation and label of the concepts of `scheme`, with its concept and the rank of its property
    (internal/concept-labels.rq joins the texts of each concept and rank by a unit separator)."""
    labels: list[tuple[Term, int, str]] = []
    for row in select(bind(internal_query("concept-labels"), {"scheme": [scheme]})):
        concept, rank = _term(row, "concept"), int(_value(row, "rank"))
        labels += ((concept, rank, label) for label in _value(row, "texts").split(_LABEL_SEPARATOR))
    return labels


def _by_name(param: Parameter, value: str, select: Select, kind: str) -> list[Term]:
    text = value.strip()
    if _IRI.match(text):
        iri = _named_node(param, text)
        if list(select(bind(internal_query(f"{kind}-by-iri"), {kind: [iri]}))):
            return [iri]
        raise ParameterError(f"{param.name}: {shorten(text)} is not a {kind} known to the graph")
    found: list[ox.QuerySolution] = []
    texts = candidates(text)
    if kind == "project" and texts:  # an exact title or acronym first, by index lookups; parts of titles else
        exact: dict[str, list[Term]] = {"text": [*texts]}
        found = list(select(bind(internal_query("project-exact"), exact)))
    if not found:
        found = list(select(bind(internal_query(kind), {"needle": [ox.Literal(text.lower())]})))
    if found:
        return [_term(row, kind) for row in found]
    known = _texts(select(bind(internal_query(f"{kind}-names"), {})))
    raise _unknown(param, text, known)


def _term(row: ox.QuerySolution, name: str) -> Term:
    term = row[name]
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise TypeError(f"?{name} is bound to {term!r}, not an IRI or a literal")  # a defect of the query
    return term


def _value(row: ox.QuerySolution, name: str) -> str:
    return _term(row, name).value


def _indexed_concept(param: Parameter, value: str, scheme: ox.NamedNode, names: NameIndex) -> list[Term]:
    """A concept of `scheme` by its notation, preferred or alternative label (in that order of preference),
    in the name index: one lookup, whatever the case, accents or punctuation of the value."""
    text = value.strip()
    found = names.exact(scheme.value, text)
    if found:
        best = found[0][1]
        return [ox.NamedNode(iri) for iri, rank in found if rank == best]
    raise _unknown(param, text, names.names(scheme.value))


def _indexed_name(param: Parameter, value: str, names: NameIndex, kind: str) -> list[Term]:
    """Projects (by identifier, title or acronym) or organisations (by name) in the name index: those named
    exactly so (projects) or else every one whose name contains the value, in normal forms."""
    text = value.strip()
    if kind == "project":
        exact = names.exact(kind, text)
        if exact:
            return [ox.NamedNode(iri) for iri, _ in sorted(exact, key=lambda found: found[0])]
    containing = names.containing(kind, text)
    if containing:
        return [ox.NamedNode(iri) for iri in containing]
    raise _unknown(param, text, names.names(kind))


def candidates(text: str, datatypes: tuple[ox.NamedNode, ...] = ()) -> list[ox.Literal]:
    """The literals a value typed as `text` may be in the graph: as typed and in a few casings, plain, with
    each label language, and with each of `datatypes` (notations)."""
    stripped = text.strip()
    if len(stripped) > _EXACT_LIMIT:  # no name is that long: leave it to the scan, with one literal
        return []
    forms = sorted({stripped, stripped.lower(), stripped.upper(), stripped.title(), stripped.capitalize()})
    literals: list[ox.Literal] = []
    for form in forms:
        literals.append(ox.Literal(form))
        literals += [ox.Literal(form, language=language) for language in LABEL_LANGUAGES]
        literals += [ox.Literal(form, datatype=datatype) for datatype in datatypes]
    return literals


def _integer(param: Parameter, value: str) -> ox.Literal:
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise ParameterError(f"{param.name}: {shorten(value)} is not a whole number")
    return ox.Literal(str(int(text)), datatype=XSD_INTEGER)


def _named_node(param: Parameter, text: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(text)
    except ValueError as exc:
        raise ParameterError(f"{param.name}: {shorten(text)} is not a valid IRI ({exc})") from None


def _texts(rows: ox.QuerySolutions) -> list[str]:
    return [row["text"].value for row in rows]


def _unknown(param: Parameter, text: str, candidates: list[str]) -> ParameterError:
    """No match: the error, with up to five names closest to `text` in their normal forms (so `Litauwen`
    suggests Litouwen, and a suggestion is printed as the graph writes it)."""
    message = f"{param.name}: no {param.type} matches {shorten(text)}"
    if len(text) <= _SUGGEST_LIMIT and candidates:
        from difflib import get_close_matches  # only for an error: off the query path's start-up

        by_normal: dict[str, str] = {}
        for candidate in sorted(candidates):
            by_normal.setdefault(normal(candidate), candidate)
        close = get_close_matches(normal(text), list(by_normal), n=5, cutoff=0.6)
        if close:
            return ParameterError(f"{message}. Did you mean: {', '.join(by_normal[c] for c in close)}?")
    return ParameterError(message)


def shorten(value: str, limit: int = 60) -> str:
    """A value as it can safely be shown in a one-line message: quoted, escaped, cut to `limit`."""
    cut = value if len(value) <= limit else value[:limit] + "…"
    return repr(cut)
