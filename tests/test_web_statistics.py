"""Statistics pages (/statistics, /statistics/XXX) and the home page's counts: every chart's table holds the
rows the stored queries give through the CLI, one SVG bar per row, scaled to the largest; labels in Dutch
and English; 404 for an unknown country; nothing typed reaches the page unescaped."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.importing.run import import_file
from erasmus_kg.web.statistics import TOP

from .import_helpers import SAMPLE
from .test_hostile_values import IDS, VALUES

COUNTRY = "http://publications.europa.eu/resource/authority/country/"
BAR_LENGTH = 640 - 72
"""The longest bar of a bar chart (charts.html: the width less the room for its number)."""


def cli_rows(runner: CliRunner, name: str, lang: str, **params: str) -> list[dict[str, str]]:
    """The rows of a stored query as `erasmus-kg query ... --format csv` gives them."""
    args = ["query", name, "--lang", lang, "--format", "csv"]
    for key, value in params.items():
        args += ["-p", f"{key}={value}"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def section(page: str, chart_id: str) -> str:
    found = re.search(rf'<section class="statistics-section" id="{chart_id}">(.*?)</section>', page, re.S)
    assert found is not None, f"no section {chart_id}"
    return found.group(1)


def table(block: str) -> list[tuple[str, str]]:
    """(label, number) of every row of the section's table."""
    rows = re.findall(
        r'<tr><th>(?:<a href="[^"]*">)?(.*?)(?:</a>)?</th><td class="number">(.*?)</td></tr>', block
    )
    return [(html.unescape(label), html.unescape(shown)) for label, shown in rows]


def bars(block: str) -> list[tuple[float, str]]:
    """(length, title) of every bar of the section's SVG: its width (a bar chart) or height (columns)."""
    column = "column-chart" in block
    drawn = []
    for attributes, title in re.findall(r'<rect class="bar" ([^>]*)><title>(.*?)</title>', block):
        values = dict(re.findall(r'(\w+)="([^"]*)"', attributes))
        drawn.append((float(values["height" if column else "width"]), html.unescape(title)))
    return drawn


def totals(page: str) -> dict[str, str]:
    block = re.search(r'<section class="totals">(.*?)</section>', page, re.S)
    assert block is not None
    return dict(re.findall(r"<tr><th>(.*?)</th><td>(.*?)</td></tr>", block.group(1)))


def check_chart(block: str, expected: list[tuple[str, str]]) -> None:
    """The table is `expected`, the SVG has one bar per row, titled by it, the largest the full length."""
    assert table(block) == expected
    drawn = bars(block)
    assert [title for _, title in drawn] == [f"{label}: {shown}" for label, shown in expected]
    assert 'role="img"' in block and "<title id=" in block and "aria-labelledby=" in block
    if expected and "bar-chart" in block:
        assert max(length for length, _ in drawn) == BAR_LENGTH


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_overview_shows_what_the_stored_queries_give(lang: str, web_client, runner: CliRunner) -> None:
    page = web_client.get("/statistics", params={"lang": lang}).text
    countries = cli_rows(runner, "statistics-by-country", lang)
    check_chart(section(page, "countries"), [(r["name"], r["projects"]) for r in countries[:TOP]])
    pairs = cli_rows(runner, "country-collaborations", lang)
    check_chart(
        section(page, "pairs"), [(f"{r['name1']} – {r['name2']}", r["projects"]) for r in pairs[:TOP]]
    )
    actions = cli_rows(runner, "statistics-by-action", lang)
    shown = [(f"{r['code']} · {r['name']}" if r["code"] else r["name"], r["projects"]) for r in actions]
    check_chart(section(page, "actions"), shown)
    years = section(page, "years")  # the brochure gives no call years
    assert cli_rows(runner, "statistics-by-year", lang) == [] and "<svg" not in years and table(years) == []


def test_known_numbers_of_the_brochure(web_client) -> None:
    page = web_client.get("/statistics", params={"lang": "en"}).text
    assert table(section(page, "countries"))[:2] == [("Belgium", "9"), ("United Kingdom", "3")]
    assert table(section(page, "actions")) == [
        ("KA2 · Cooperation for innovation and the exchange of good practices", "6"),
        ("eTwinning", "3"),
        ("KA1 · Learning mobility of individuals", "2"),
        ("KA3 · Support for policy reform", "2"),
    ]
    assert table(section(page, "pairs"))[0] == ("Belgium – United Kingdom", "3")
    assert "The first 20 of 46." in section(page, "pairs")  # the pairs are cut at TOP, the CSV has all
    assert totals(page) == {
        "Projects": "10",
        "Organisations": "29",
        "Countries": "17",
        "EU grants": "not given",
    }
    # Bars scaled to the largest: Belgium's 9 is the full length, the United Kingdom's 3 a third of it
    drawn = bars(section(page, "countries"))
    assert drawn[1][0] == round(3 / 9 * BAR_LENGTH, 1)


def test_labels_in_dutch_and_english(web_client) -> None:
    dutch = web_client.get("/statistics", params={"lang": "nl"})
    english = web_client.get("/statistics", params={"lang": "en"})
    assert dutch.headers["content-language"] == "nl" and english.headers["content-language"] == "en"
    for text in ["Projecten per oproepjaar", "Projecten per actie", "Landen met de meeste projecten"]:
        assert text in dutch.text and text not in english.text
    for text in ["Projects per call year", "Projects per action", "Countries with most projects"]:
        assert text in english.text and text not in dutch.text
    assert "Landen die het vaakst samenwerken" in dutch.text
    assert "Countries working together most" in english.text
    assert totals(dutch.text) == {
        "Projecten": "10",
        "Organisaties": "29",
        "Landen": "17",
        "EU-subsidies": "niet opgegeven",  # the brochure gives no grants: not "€ 0"
    }
    assert table(section(dutch.text, "countries"))[1] == ("Verenigd Koninkrijk", "3")
    assert "<thead><tr><th>Land</th><th>Projecten</th></tr></thead>" in dutch.text
    assert "<thead><tr><th>Country</th><th>Projects</th></tr></thead>" in english.text
    assert (
        web_client.get("/statistics", headers={"Accept-Language": "en"}).headers["content-language"] == "en"
    )


def test_csv_links_give_the_rows_of_the_chart(web_client, runner: CliRunner) -> None:
    page = web_client.get("/statistics", params={"lang": "en"}).text
    for chart_id, name in [
        ("countries", "statistics-by-country"),
        ("pairs", "country-collaborations"),
        ("actions", "statistics-by-action"),
        ("years", "statistics-by-year"),
    ]:
        link = re.search(r'<p class="formats"><a href="([^"]+)" download>', section(page, chart_id))
        assert link is not None
        response = web_client.get(html.unescape(link.group(1)))
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert list(csv.DictReader(io.StringIO(response.text))) == cli_rows(runner, name, "en")


def test_a_country_page(web_client, runner: CliRunner) -> None:
    page = web_client.get("/statistics/BEL", params={"lang": "en"}).text
    assert "<h1>Statistics: Belgium</h1>" in page and 'href="/country/BEL"' in page
    pairs = cli_rows(runner, "country-collaborations", "en", country="BEL")
    partners = sorted(
        ((r["name2"] if r["country1"] == COUNTRY + "BEL" else r["name1"], r["projects"]) for r in pairs),
        key=lambda partner: (-int(partner[1]), partner[0]),
    )
    assert len(partners) == 16 and partners[0] == ("United Kingdom", "3")
    check_chart(section(page, "partners"), partners)
    assert totals(page) == {"Projects": "9", "EU grants": "not given", "Partner countries": "16"}
    own = [r for r in cli_rows(runner, "statistics-by-country", "en") if r["country"] == COUNTRY + "BEL"]
    assert own[0]["projects"] == "9"
    assert 'href="/statistics/GBR"' in section(page, "partners")
    link = re.search(r'<a href="([^"]+)" download>', section(page, "partners"))
    assert link is not None
    answer = web_client.get(html.unescape(link.group(1)))
    assert list(csv.DictReader(io.StringIO(answer.text))) == pairs
    dutch = web_client.get("/statistics/BEL", params={"lang": "nl"}).text
    assert "<h1>Statistieken: België</h1>" in dutch and "Landen waarmee het het vaakst samenwerkt" in dutch


def test_a_country_without_projects_has_a_page_of_zeros(web_client) -> None:
    page = web_client.get("/statistics/JPN", params={"lang": "en"})
    assert page.status_code == 200 and "<h1>Statistics: Japan</h1>" in page.text
    assert totals(page.text) == {"Projects": "0", "EU grants": "not given", "Partner countries": "0"}
    assert "<svg" not in page.text


@pytest.mark.parametrize("code", ["XXX", "bel", "BELGIUM_NOT", "%3Cscript%3E", "BEL%22"])
def test_an_unknown_country_is_404(code: str, web_client) -> None:
    response = web_client.get(f"/statistics/{code}", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "<script>" not in response.text


def test_user_text_is_never_reflected_raw(web_client) -> None:
    response = web_client.get("/statistics", params={"lang": "<script>alert(1)</script>"})
    assert response.status_code == 200 and response.headers["content-language"] == "nl"
    assert "<script>" not in response.text
    for value in [v for v in VALUES if len(v) < 4000]:
        page = web_client.get("/statistics/BEL", params={"x": value, "lang": value})
        assert page.status_code == 200
        assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert len(IDS) == len(VALUES)


def test_the_home_page_shows_the_counts_and_links_the_statistics(web_client, runner: CliRunner) -> None:
    page = web_client.get("/", params={"lang": "en"}).text
    counts = dict(re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", page))
    assert counts == {"Projects": "10", "Organisations": "29", "Countries": "17", "EU grants": "not given"}
    assert 'href="/statistics?lang=en"' in page
    info = runner.invoke(cli, ["info"], catch_exceptions=False).output
    assert re.search(r"projects:\s+10\b", info) and re.search(r"organisations:\s+29\b", info)
    assert len(cli_rows(runner, "statistics-by-country", "en")) == 17
    dutch = web_client.get("/", params={"lang": "nl"}).text
    assert "<div><dt>Organisaties</dt><dd>29</dd></div>" in dutch and 'href="/statistics?lang=nl"' in dutch


# ------------------------------------------------------------------------------------------------------------
# A store with real call years and grants: the brochure and a sample of the Erasmus+ project export


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory, copy_store: Callable[[Path], Path]) -> Path:
    return copy_store(tmp_path_factory.mktemp("statistics") / "store")


@pytest.fixture(scope="module")
def imported_client(imported: Path) -> Iterator[Any]:
    from starlette.testclient import TestClient

    from erasmus_kg.web.app import create_app
    from erasmus_kg.web.config import ServeConfig

    with TestClient(create_app(ServeConfig(store=imported)), follow_redirects=False) as client:
        yield client


def imported_rows(root: Path, name: str, lang: str, **params: str) -> list[dict[str, str]]:
    runner = CliRunner(env={"ERASMUS_KG_STORE": str(root), "ERASMUS_KG_LANG": lang})
    return cli_rows(runner, name, lang, **params)


def test_years_and_grants_of_an_import(imported: Path, imported_client) -> None:
    before = re.findall(r"<dd>(.*?)</dd>", imported_client.get("/?lang=en").text)
    assert before == ["10", "29", "17", "not given"]
    import_file("prp", SAMPLE, root=imported, progress=False)
    # a new build: the counts kept for the old one are not shown
    after = dict(
        re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", imported_client.get("/?lang=nl").text)
    )
    info = CliRunner().invoke(cli, ["--store", str(imported), "info"], catch_exceptions=False).output
    projects = re.search(r"projects:\s+(\d+)", info)
    organisations = re.search(r"organisations:\s+(\d+)", info)
    assert projects is not None and organisations is not None
    assert after["Projecten"] == f"{int(projects.group(1)):,}".replace(",", ".")
    assert after["Organisaties"] == f"{int(organisations.group(1)):,}".replace(",", ".")
    assert int(projects.group(1)) > 10 and after["EU-subsidies"].startswith("€ ")

    page = imported_client.get("/statistics", params={"lang": "nl"}).text
    years = imported_rows(imported, "statistics-by-year", "nl")
    assert len(years) >= 2
    block = section(page, "years")
    assert "column-chart" in block
    check_chart(block, [(r["year"], r["projects"]) for r in years])
    assert max(length for length, _ in bars(block)) == 220 - 20 - 24  # the tallest column fills the chart

    code = imported_rows(imported, "statistics-by-country", "en")[0]["country"].removeprefix(COUNTRY)
    one = imported_client.get(f"/statistics/{code}", params={"lang": "en"}).text
    by_year = imported_rows(imported, "statistics-by-year", "en", country=COUNTRY + code)
    check_chart(section(one, "years"), [(r["year"], r["projects"]) for r in by_year])
    grants = [
        r for r in imported_rows(imported, "statistics-by-country", "en") if r["country"] == COUNTRY + code
    ]
    shown = totals(one)["EU grants"]  # €1,234.5
    assert shown.startswith("€") and Decimal(shown[1:].replace(",", "")) == Decimal(grants[0]["grants"])
