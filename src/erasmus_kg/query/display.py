"""RDF values as people read them, in Dutch or English: for the table and Markdown formats only.

A date is written with its month's name (`1 februari 2015`, `1 February 2015`), a year and month as
`februari 2015`, a duration in words (`P14D` is `2 weken` / `2 weeks`, `P1Y6M` `1 jaar en 6 maanden` /
`1 year and 6 months`), and integers and decimals with the language's thousands separator and decimal mark
(`12.345,67` / `12,345.67`). IRIs are shortened with the project's prefixes (project:adeigus). The choice is
made by the literal's datatype, never by what its text looks like: a plain string "2015-02" stays as it is.
A value that is not valid for its datatype is shown as written.

The machine formats (CSV, TSV, JSON) never pass through here: they keep the RDF values exactly.
"""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph as ox

from erasmus_kg.namespaces import XSD, compact

_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}

_UNITS = {  # one, several
    "nl": {
        "Y": ("jaar", "jaar"),
        "M": ("maand", "maanden"),
        "W": ("week", "weken"),
        "D": ("dag", "dagen"),
        "H": ("uur", "uur"),
        "Min": ("minuut", "minuten"),
        "S": ("seconde", "seconden"),
    },
    "en": {
        "Y": ("year", "years"),
        "M": ("month", "months"),
        "W": ("week", "weeks"),
        "D": ("day", "days"),
        "H": ("hour", "hours"),
        "Min": ("minute", "minutes"),
        "S": ("second", "seconds"),
    },
}

_AND = {"nl": "en", "en": "and"}

_DATE = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)(Z|[+-]\d\d:\d\d)?")
_YEAR_MONTH = re.compile(r"(-?\d{4,})-(\d\d)(Z|[+-]\d\d:\d\d)?")
_DATE_TIME = re.compile(r"(-?\d{4,})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)?")
# xsd:duration, and the weeks of ISO 8601 (P2W), which xsd:duration lacks but people write.
_DURATION = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)
_NUMBER = re.compile(r"([+-]?)(\d+)(?:\.(\d*))?")

_INTEGERS = {
    XSD + name
    for name in [
        "integer",
        "long",
        "int",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    ]
}


def term_text(term: object, lang: str = "en") -> str:
    """How a result cell is shown to people in `lang` (nl or en; any other language is shown in English)."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) or term.value
    if isinstance(term, ox.Literal):
        return literal_text(term.value, term.datatype.value, lang)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def literal_text(value: str, datatype: str, lang: str = "en") -> str:
    """A literal's lexical `value` of `datatype` (an IRI) as people write it in `lang`."""
    language = lang if lang in _MONTHS else "en"
    shown: str | None = None
    if datatype == XSD + "date":
        shown = date_text(value, language)
    elif datatype == XSD + "gYearMonth":
        shown = year_month_text(value, language)
    elif datatype == XSD + "dateTime":
        shown = date_time_text(value, language)
    elif datatype in (XSD + "duration", XSD + "dayTimeDuration", XSD + "yearMonthDuration"):
        shown = duration_text(value, language)
    elif datatype == XSD + "decimal" or datatype in _INTEGERS:
        shown = number_text(value, language)
    # Text as it can be typed back: Unicode normal form NFKC (a ligature such as `Ĳ` is `IJ`, `ﬁ` is `fi`),
    # whatever the source wrote; csv, tsv and json keep the value as the graph holds it.
    return unicodedata.normalize("NFKC", value) if shown is None else shown


def date_text(value: str, lang: str = "en") -> str | None:
    """`2015-02-01` as `1 februari 2015` / `1 February 2015`; None when it is not an xsd:date."""
    match = _DATE.fullmatch(value.strip())
    if not match or not _valid(match[2], match[3]):
        return None
    year, month, day, zone = match.groups()
    return f"{int(day)} {_MONTHS[lang][int(month) - 1]} {int(year)}{_zone(zone)}"


def year_month_text(value: str, lang: str = "en") -> str | None:
    """`2015-02` as `februari 2015` / `February 2015`; None when it is not an xsd:gYearMonth."""
    match = _YEAR_MONTH.fullmatch(value.strip())
    if not match or not _valid(match[2]):
        return None
    year, month, zone = match.groups()
    return f"{_MONTHS[lang][int(month) - 1]} {int(year)}{_zone(zone)}"


def date_time_text(value: str, lang: str = "en") -> str | None:
    """`2015-02-01T00:00:00` as `1 februari 2015`, `2015-02-01T14:30:00Z` as `1 februari 2015 14:30 UTC`
    (seconds only when there are any); None when it is not an xsd:dateTime."""
    match = _DATE_TIME.fullmatch(value.strip())
    if not match or not _valid(match[2], match[3]):
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    date = f"{int(day)} {_MONTHS[lang][int(month) - 1]} {int(year)}"
    if hour == minute == second == "00" and not fraction and not zone:
        return date
    time = f"{hour}:{minute}" + (f":{second}{fraction or ''}" if second != "00" or fraction else "")
    return f"{date} {time}{_zone(zone)}"


def duration_text(value: str, lang: str = "en") -> str | None:
    """`P14D` as `2 weken` / `2 weeks` (whole weeks when only days are given), `P1Y6M` as
    `1 jaar en 6 maanden` / `1 year and 6 months`; None when it is not a duration, or a negative one."""
    text = value.strip()
    match = _DURATION.fullmatch(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    years, months, weeks, days, hours, minutes, seconds = match.groups()
    if (
        weeks is None
        and days is not None
        and int(days) > 0
        and int(days) % 7 == 0
        and not years
        and not months
    ):
        weeks, days = str(int(days) // 7), None
    amounts = [
        (amount, unit)
        for amount, unit in zip(
            (years, months, weeks, days, hours, minutes, seconds),
            ("Y", "M", "W", "D", "H", "Min", "S"),
            strict=True,
        )
        if amount is not None and float(amount) != 0
    ]
    if not amounts:  # P0D, PT0S: nothing, in the unit it is written in
        amounts = [("0", _zero_unit(match))]
    words = [_amount(amount, unit, lang) for amount, unit in amounts]
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {_AND[lang]} {words[-1]}"


def number_text(value: str, lang: str = "en") -> str | None:
    """`12345.67` as `12.345,67` (nl) / `12,345.67` (en), with the decimals as written; None when it is not a
    decimal number."""
    match = _NUMBER.fullmatch(value.strip())
    if not match:
        return None
    sign, whole, decimals = match.groups()
    try:
        grouped = f"{int(whole):,}"
    except ValueError:  # pragma: no cover - the pattern admits digits only
        return None
    thousands, point = (".", ",") if lang == "nl" else (",", ".")
    grouped = grouped.replace(",", thousands)
    return f"{'-' if sign == '-' else ''}{grouped}" + (f"{point}{decimals}" if decimals else "")


def _amount(amount: str, unit: str, lang: str) -> str:
    from decimal import Decimal, InvalidOperation  # only for durations: off the start-up of every table

    try:
        number = Decimal(amount)
    except InvalidOperation:  # pragma: no cover - the pattern admits numbers only
        number = Decimal(0)
    one, several = _UNITS[lang][unit]
    shown = number_text(amount, lang) or amount
    return f"{shown} {one if number == 1 else several}"


def _zero_unit(match: re.Match[str]) -> str:
    """The unit of a duration of nothing (P0D is `0 dagen`, PT0S `0 seconden`)."""
    for index, unit in enumerate(("Y", "M", "W", "D", "H", "Min", "S"), start=1):
        if match[index] is not None:
            return unit
    return "D"  # pragma: no cover - a duration with no amount is refused above


def _valid(month: str, day: str | None = None) -> bool:
    return 1 <= int(month) <= 12 and (day is None or 1 <= int(day) <= 31)


def _zone(zone: str | None) -> str:
    if not zone:
        return ""
    return " UTC" if zone in ("Z", "+00:00", "-00:00") else f" (UTC{zone})"
