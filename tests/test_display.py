"""RDF values for people (query.display): dates, durations and numbers in Dutch and English, exactly."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from erasmus_kg.namespaces import XSD
from erasmus_kg.query.display import literal_text, term_text


@pytest.mark.parametrize(
    ("datatype", "value", "nl", "en"),
    [
        ("date", "2015-02-01", "1 februari 2015", "1 February 2015"),
        ("date", "2021-12-31", "31 december 2021", "31 December 2021"),
        ("date", "2015-02-01Z", "1 februari 2015 UTC", "1 February 2015 UTC"),
        ("gYearMonth", "2015-02", "februari 2015", "February 2015"),
        ("gYearMonth", "2018-01", "januari 2018", "January 2018"),
        ("gYear", "2017", "2017", "2017"),
        ("dateTime", "2015-02-01T00:00:00", "1 februari 2015", "1 February 2015"),
        ("dateTime", "2015-02-01T14:30:00", "1 februari 2015 14:30", "1 February 2015 14:30"),
        ("dateTime", "2015-02-01T14:30:05Z", "1 februari 2015 14:30:05 UTC", "1 February 2015 14:30:05 UTC"),
        (
            "dateTime",
            "2015-02-01T09:00:00+02:00",
            "1 februari 2015 09:00 (UTC+02:00)",
            "1 February 2015 09:00 (UTC+02:00)",
        ),
        ("duration", "P14D", "2 weken", "2 weeks"),
        ("duration", "P2W", "2 weken", "2 weeks"),
        ("duration", "P7D", "1 week", "1 week"),
        ("duration", "P1D", "1 dag", "1 day"),
        ("duration", "P10D", "10 dagen", "10 days"),
        ("duration", "P3M", "3 maanden", "3 months"),
        ("duration", "P1M", "1 maand", "1 month"),
        ("duration", "P1Y", "1 jaar", "1 year"),
        ("duration", "P2Y", "2 jaar", "2 years"),
        ("duration", "P1Y6M", "1 jaar en 6 maanden", "1 year and 6 months"),
        ("duration", "P1Y2M3D", "1 jaar, 2 maanden en 3 dagen", "1 year, 2 months and 3 days"),
        ("duration", "PT2H30M", "2 uur en 30 minuten", "2 hours and 30 minutes"),
        ("duration", "PT1H", "1 uur", "1 hour"),
        ("duration", "PT1.5S", "1,5 seconden", "1.5 seconds"),
        ("duration", "P0D", "0 dagen", "0 days"),
        ("duration", "P1Y0M", "1 jaar", "1 year"),
        ("dayTimeDuration", "P3D", "3 dagen", "3 days"),
        ("yearMonthDuration", "P1Y6M", "1 jaar en 6 maanden", "1 year and 6 months"),
        ("decimal", "12345.67", "12.345,67", "12,345.67"),
        ("decimal", "1234567", "1.234.567", "1,234,567"),
        ("decimal", "-1000.5", "-1.000,5", "-1,000.5"),
        ("decimal", "999", "999", "999"),
        ("decimal", "0", "0", "0"),
        ("integer", "60613", "60.613", "60,613"),
        ("nonNegativeInteger", "1000", "1.000", "1,000"),
    ],
)
def test_values_for_people(datatype: str, value: str, nl: str, en: str) -> None:
    assert literal_text(value, XSD + datatype, "nl") == nl
    assert literal_text(value, XSD + datatype, "en") == en
    assert literal_text(value, XSD + datatype, "fr") == en  # another language: English


@pytest.mark.parametrize(
    ("datatype", "value"),
    [
        ("date", "2015-13-01"),  # no such month
        ("date", "1 Feb 2015"),
        ("gYearMonth", "2015-00"),
        ("duration", "-P1D"),  # negative: as written
        ("duration", "P"),
        ("duration", "PT"),
        ("duration", "P1DT"),
        ("duration", "two weeks"),
        ("decimal", "1e3"),
        ("double", "1234.5"),  # floating point: as written
        ("string", "2015-02"),  # a plain text that looks like a date stays as it is
        ("anyURI", "https://example.org/1234"),
    ],
)
def test_other_values_are_shown_as_written(datatype: str, value: str) -> None:
    assert literal_text(value, XSD + datatype, "nl") == value


def test_terms() -> None:
    assert term_text(None) == ""
    assert term_text(ox.NamedNode("https://w3id.org/erasmus-kg/id/project/goal")) == "project:goal"
    assert term_text(ox.NamedNode("https://example.org/x")) == "https://example.org/x"
    assert (
        term_text(ox.Literal("2015-02", datatype=ox.NamedNode(XSD + "gYearMonth")), "nl") == "februari 2015"
    )
    assert term_text(ox.Literal("2015-02")) == "2015-02"
    assert term_text(ox.Literal("Litouwen", language="nl"), "en") == "Litouwen"
    assert term_text(ox.BlankNode("b0")) == "_:b0"


def test_text_is_shown_in_its_normal_form() -> None:
    """What a table prints can be typed back: ligatures and compatibility forms in their NFKC form."""
    from erasmus_kg.query.display import literal_text

    string = "http://www.w3.org/2001/XMLSchema#string"
    assert literal_text("\u0132sland", string) == "IJsland"
    assert literal_text("\ufb01nance", string) == "finance"
    assert literal_text("Tsjechië", string) == "Tsjechië"
