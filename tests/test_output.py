"""The table and Markdown formats (query.output): width, wrapping, repeated cells, headings, the footer."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest

from erasmus_kg.query.output import blank_repeats, markdown, table, table_width, write_results


def test_a_table_without_a_width_keeps_one_line_per_row() -> None:
    assert table(["Project", "Title"], [["project:a", "A long title " * 20], ["project:b", "B"]]) == (
        "Project    Title\n"
        + "---------- "
        + "-" * 260
        + "\n"
        + "project:a  "
        + ("A long title " * 20).rstrip()
        + "\n"
        + "project:b  B\n"
        + "(2 rows)\n"
    )


def test_a_table_wraps_at_spaces_and_folds_long_words_within_its_width() -> None:
    iri = "https://w3id.org/erasmus-kg/id/organisation/a-very-long-organisation-name"
    text = table(["Organisation", "Name"], [[iri, "A rather long name of an organisation"]], width=42)
    assert text == (
        "Organisation          Name\n"
        "--------------------- --------------------\n"
        "https://w3id.org/era  A rather long name\n"
        "smus-kg/id/organisat  of an organisation\n"
        "ion/a-very-long-orga\n"
        "nisation-name\n"
        "(1 row)\n"
    )
    assert "".join(line[:20].rstrip() for line in text.splitlines()[2:6]) == iri  # folded, nothing cut


def test_markup_and_tabs_in_values_are_shown_as_they_are() -> None:
    assert (
        table(["a"], [["[bold]x[/bold]\tand\nmore"]])
        == "a\n-----------------------\n[bold]x[/bold] and more\n(1 row)\n"
    )


def test_repeated_leading_cells_are_blank() -> None:
    rows = [
        ["project:goal", "GOAL", "country", "België"],
        ["project:goal", "GOAL", "country", "Litouwen"],
        ["project:goal", "GOAL", "source", "brochure"],
        ["project:eep", "GOAL", "country", "België"],  # the same acronym, another project: shown
        ["project:eep", "GOAL", "country", "België"],  # a row like the one above: its last cell stays
    ]
    assert blank_repeats(rows) == [
        ["project:goal", "GOAL", "country", "België"],
        ["", "", "", "Litouwen"],
        ["", "", "source", "brochure"],
        ["project:eep", "GOAL", "country", "België"],
        ["", "", "", "België"],
    ]


def test_the_footer_is_wrapped_to_the_width() -> None:
    footer = "Showing rows 1-50 of 60,613. See more: --offset 50, or all: --limit 0 / --format csv"
    lines = table(["a"], [["x"]], footer, width=60).splitlines()
    assert lines[2:] == [
        "x",
        "Showing rows 1-50 of 60,613. See more: --offset 50, or all:",
        "--limit 0 / --format csv",
    ]
    assert table(["a"], [["x"]], footer, width=100).splitlines()[-1] == footer


@pytest.mark.parametrize(
    ("columns", "terminal", "expected"),
    [("72", True, 72), ("72", False, 72), ("", False, None), ("wide", False, None), ("0", False, None)],
)
def test_table_width(
    monkeypatch: pytest.MonkeyPatch, columns: str, terminal: bool, expected: int | None
) -> None:
    monkeypatch.setenv("COLUMNS", columns)

    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return terminal

    assert table_width(Stream()) == expected


def test_without_columns_a_terminal_gives_its_own_width(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda: os.terminal_size((93, 20)))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert table_width(Terminal()) == 93


def _solutions() -> ox.QuerySolutions:
    results = ox.Store().query(
        "SELECT ?project ?start WHERE { VALUES (?project ?start) { "
        '(<https://w3id.org/erasmus-kg/id/project/goal> "2015-02"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>)'
        " } }"
    )
    assert isinstance(results, ox.QuerySolutions)
    return results


@pytest.mark.parametrize(
    ("fmt", "lang", "expected"),
    [
        (
            "table",
            "nl",
            "Project       Begin\n------------- -------------\nproject:goal  februari 2015\n(1 rij)\n",
        ),
        ("markdown", "en", "| Project | Start |\n| --- | --- |\n| project:goal | February 2015 |\n"),
        ("csv", "nl", "project,start\r\nhttps://w3id.org/erasmus-kg/id/project/goal,2015-02\r\n"),
    ],
)
def test_people_formats_use_headings_and_display_values_and_csv_keeps_both(
    fmt: str, lang: str, expected: str
) -> None:
    out = io.BytesIO()
    headings = {"project": "Project", "start": "Begin" if lang == "nl" else "Start"}
    write_results(_solutions(), fmt, out, lang=lang, headings=headings, width=80)
    assert out.getvalue().decode("utf-8") == expected


def test_markdown_has_no_width_and_no_blank_cells() -> None:
    assert (
        markdown(["a", "b"], [["x", "1"], ["x", "2"]]) == "| a | b |\n| --- | --- |\n| x | 1 |\n| x | 2 |\n"
    )


def test_the_row_count_line_is_in_the_language_of_the_table() -> None:
    from erasmus_kg.query.output import row_count_line

    assert [row_count_line(n, "nl") for n in (0, 1, 20, 60613)] == [
        "(0 rijen)", "(1 rij)", "(20 rijen)", "(60.613 rijen)"
    ]  # fmt: skip
    assert [row_count_line(n, "en") for n in (1, 20, 60613)] == ["(1 row)", "(20 rows)", "(60,613 rows)"]


_HEADINGS = ["Project", "Titel", "Acroniem", "Gegeven", "Waarde", "Toelichting"]
_TITLE = "Guidance and Orientation for Adult Learners"
_DETAIL = "coördinator, overheid, Koning Albert II-laan 15, 1210 Brussel, Vlaanderen, België"
_ROWS = [
    ["project:goal", _TITLE, "GOAL", "organisatie", "Vlaams Ministerie van Onderwijs en Vorming", _DETAIL],
    ["project:goal", _TITLE, "GOAL", "deelnemend land", "IJsland", ""],
    ["project:goal", _TITLE, "GOAL", "duur", "2 weken", ""],
]
_RECORDS = [
    "-[ rij 1 ]-",
    "Project:     project:goal",
    "Titel:       Guidance and Orientation for Adult Learners",
    "Acroniem:    GOAL",
    "Gegeven:     organisatie",
    "Waarde:      Vlaams Ministerie van Onderwijs en Vorming",
    "Toelichting: " + _DETAIL,
    "-[ rij 2 ]-",
    "Gegeven:     deelnemend land",
    "Waarde:      IJsland",
    "-[ rij 3 ]-",
    "Gegeven:     duur",
    "Waarde:      2 weken",
    "(3 rijen)",
]


def _records_at(width: int) -> list[str]:
    """_RECORDS with the record lines drawn to `width`."""
    return [line + "-" * (width - len(line)) if line.startswith("-[") else line for line in _RECORDS]


def test_a_table_too_narrow_for_readable_columns_is_written_one_record_per_block() -> None:
    """Six columns (project-details) cannot each have 20 characters in 80 or 100: one record per block, the
    headings in the table's language, the repeated leading cells and the empty ones left out, long values
    wrapped beside the headings."""
    at_80 = _records_at(80)
    detail = at_80.index("Toelichting: " + _DETAIL)
    at_80[detail : detail + 1] = [
        "Toelichting: coördinator, overheid, Koning Albert II-laan 15, 1210 Brussel,",
        "             Vlaanderen, België",
    ]
    assert table(_HEADINGS, _ROWS, width=80, lang="nl").splitlines() == at_80
    assert table(_HEADINGS, _ROWS, width=100, lang="nl").splitlines() == _records_at(100)
    assert all(len(line) <= 80 for line in at_80)


def test_a_table_with_room_for_readable_columns_stays_a_table() -> None:
    assert table(_HEADINGS, _ROWS, width=120, lang="nl").splitlines() == [
        "Project       Titel                      Acroniem  Gegeven          Waarde                    "
        "Toelichting",
        "------------- -------------------------- --------- ---------------- ------------------------- "
        "--------------------------",
        "project:goal  Guidance and Orientation   GOAL      organisatie      Vlaams Ministerie van     "
        "coördinator, overheid,",
        "              for Adult Learners                                    Onderwijs en Vorming      "
        "Koning Albert II-laan 15,",
        "                                                                                              "
        "1210 Brussel, Vlaanderen,",
        "                                                                                              "
        "België",
        "                                                   deelnemend land  IJsland",
        "                                                   duur             2 weken",
        "(3 rijen)",
    ]


def test_records_are_headed_in_english_and_keep_a_page_footer() -> None:
    footer = "Showing rows 1-3 of 60. See more: --offset 3, or all: --limit 0 / --format csv"
    lines = table(["Project", "Title", "A", "Field", "Value", "Detail"], _ROWS, footer, width=80, lang="en")
    assert lines.splitlines()[0] == "-[ row 1 ]" + "-" * 70
    assert lines.splitlines()[1:3] == ["Project: project:goal", "Title:   " + _TITLE]
    assert lines.splitlines()[-1] == footer
    assert table(_HEADINGS, _ROWS).startswith("Project ")  # without a width limit (a pipe): always a table
