"""Literals as rdflib (and so pySHACL) reads them, from their N-Triples text.

Where pySHACL's answer depends on rdflib's reading of a literal (ill-typed values, normalised lexical forms),
the screen asks rdflib itself (`_rdflib_reading`, cached); the common lexical forms (integers, decimals,
booleans, dates) are recognised here first, and the datatypes rdflib takes as they are are read from rdflib's
own tables (`patches.rdflib_literal_tables`). Comparisons (`compare`) order only numbers and dates, the
values whose order is certain to be rdflib's.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from erasmus_kg.namespaces import PREFIXES, XSD_STRING
from erasmus_kg.validation.patches import rdflib_literal_tables

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
XSD = PREFIXES["xsd"]
LANG_STRING = RDF + "langString"


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _SIMPLE_ESCAPES.get(match.group(3), match.group(3))

    return _ESCAPE.sub(one, text)


def literal_parts(term: str) -> tuple[str, str | None, str | None]:
    """(lexical form, datatype IRI or None for a plain string, language tag or None) of a literal term."""
    quote = term.rfind('"')
    raw = term[1:quote]
    lexical = _unescape(raw) if "\\" in raw else raw
    rest = term[quote + 1 :]
    if not rest:
        return lexical, None, None
    if rest[0] == "@":
        return lexical, None, rest[1:]
    return lexical, rest[3:-1], None


_CHECKED, _AS_IS = rdflib_literal_tables()
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

# pySHACL's DatatypeConstraintComponent._assert_actual_datatype: the Python type rdflib's value must have
_VALUE_TYPES: dict[str, type] = {
    XSD + "integer": int,
    XSD + "float": float,
    XSD + "decimal": Decimal,
    XSD + "boolean": bool,
    XSD + "date": date,
    XSD + "time": time,
    XSD + "dateTime": datetime,
}


@lru_cache(maxsize=1 << 16)
def _rdflib_reading(lexical: str, datatype: str) -> tuple[bool, str]:
    """(whether pySHACL's sh:datatype accepts the literal for its own datatype, rdflib's lexical form)."""
    from rdflib import Literal, URIRef

    logger = logging.getLogger("rdflib.term")
    disabled, logger.disabled = logger.disabled, True  # rdflib logs (or warns about) every ill-typed literal
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            literal = Literal(lexical, datatype=URIRef(datatype))
    finally:
        logger.disabled = disabled
    if literal.ill_typed is True:
        return False, str(literal)
    expected = _VALUE_TYPES.get(datatype)
    accepted = expected is None or isinstance(literal.value, expected)
    return accepted, str(literal)


def _typed_ok(lexical: str, datatype: str) -> bool:
    """pySHACL's sh:datatype on a literal of that same datatype: well-typed as rdflib reads it."""
    if datatype in _AS_IS or (datatype not in _CHECKED and datatype not in _VALUE_TYPES):
        return True  # rdflib neither converts nor checks: any lexical form passes
    if datatype == XSD + "integer" and _INTEGER.match(lexical):
        return True
    if datatype == XSD + "decimal" and _DECIMAL.match(lexical):
        return True
    if datatype == XSD + "boolean" and lexical in ("true", "false"):
        return True
    if datatype == XSD + "date" and _DATE.match(lexical):
        try:
            date.fromisoformat(lexical)
            return True
        except ValueError:
            return False
    return _rdflib_reading(lexical, datatype)[0]


def datatype_ok(term: str, rule: str) -> bool:
    """pySHACL's sh:datatype `rule` on `term` (an N-Triples term)."""
    if term[0] != '"':
        return False
    if rule == RDFS + "Literal":
        return True
    lexical, datatype, language = literal_parts(term)
    if language is not None:
        return rule == LANG_STRING
    if datatype is None or datatype == XSD_STRING:
        return rule == XSD_STRING
    if rule == RDFS + "Datatype":
        return True
    return datatype == rule and _typed_ok(lexical, datatype)


def text_of(term: str) -> str | None:
    """str() of the term as rdflib holds it (an IRI, or a literal's normalised lexical form); None for a
    blank node."""
    if term[0] == "<":
        return term[1:-1]
    if term[0] == "_":
        return None
    lexical, datatype, _language = literal_parts(term)
    if datatype is None or datatype == XSD_STRING or datatype in _AS_IS or datatype not in _CHECKED:
        return lexical
    return _rdflib_reading(lexical, datatype)[1]


def _normal_term(term: str) -> str:
    """A key that is equal for two terms exactly when rdflib holds them as one term."""
    if term[0] != '"' or term[-1] != ">":
        return term
    _lexical, datatype, _language = literal_parts(term)
    return f"{text_of(term)}^^{datatype}"


def distinct_count(values: Iterable[str]) -> int:
    values = list(values)
    if any(v[0] == '"' and v[-1] == ">" for v in values):
        return len({_normal_term(v) for v in values})
    return len(values)


def _number(term: str) -> Decimal | None:
    if term[0] != '"':
        return None
    lexical, datatype, _language = literal_parts(term)
    pattern = {XSD + "integer": _INTEGER, XSD + "decimal": _DECIMAL}.get(datatype or "")
    if pattern is not None and pattern.match(lexical):
        try:
            return Decimal(lexical)
        except InvalidOperation:
            return None
    return None


def _date(term: str) -> date | None:
    if term[0] != '"':
        return None
    lexical, datatype, _language = literal_parts(term)
    if datatype == XSD + "date" and _DATE.match(lexical):
        try:
            return date.fromisoformat(lexical)
        except ValueError:
            return None
    return None


def compare(left: str, right: str) -> int | None:
    """-1, 0 or 1 when both terms are numbers (xsd:integer, xsd:decimal) or both xsd:date values, as rdflib
    orders them; None otherwise (the screen cannot tell)."""
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    c, d = _date(left), _date(right)
    if c is not None and d is not None:
        return (c > d) - (c < d)
    return None
