"""Every stored query: its header, its text, and its exact results on the brochure data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import get_query, load_catalogue, query_names
from erasmus_kg.query.parameters import PARAMETER_TYPES
from erasmus_kg.query.running import prepare
from erasmus_kg.query.targets import StoreTarget

TESTS = Path(__file__).resolve().parent
EXPECTED = TESTS / "expected"
CASES = yaml.safe_load((TESTS / "query_cases.yaml").read_text(encoding="utf-8"))


def case_id(case: dict) -> str:
    parts = [case["query"], *(f"{k}-{v}" for k, v in sorted(case["params"].items())), case.get("lang", "en")]
    return re.sub(r"[^A-Za-z0-9]+", "-", "__".join(parts)).strip("-").lower()[:120]


def csv_text(results: ox.QuerySolutions) -> str:
    """The results as SPARQL CSV, with the parts of each "; "-separated cell sorted: the order of a
    GROUP_CONCAT is not defined by SPARQL, and engines (and versions) differ."""
    rows = list(csv.reader(io.StringIO(results.serialize(format=ox.QueryResultsFormat.CSV).decode("utf-8"))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["; ".join(sorted(cell.split("; "))) if "; " in cell else cell for cell in row])
    return out.getvalue()


# ------------------------------------------------------------------------------------------------------------
# Headers and text


@pytest.mark.parametrize("name", query_names())
def test_header_is_complete(name: str) -> None:
    query = get_query(name)
    assert query.summary and query.description and query.tags
    for param in query.params:
        assert param.type in PARAMETER_TYPES, f"{name}: unknown type {param.type}"
        assert param.description
        assert param.example is not None, f"{name}: parameter {param.name} has no example"
        assert re.search(rf"\?{param.name}\b", query.text), f"{name}: ?{param.name} is not used"


@pytest.mark.parametrize("name", query_names())
def test_query_parses_with_parameters_bound(name: str) -> None:
    query = get_query(name)
    bindings = {p.name: [ox.Literal("x")] for p in query.params} | {"lang": [ox.Literal("en")]}
    ox.Store().query(bind(query.text, bindings))  # raises SyntaxError if the bound text is not SPARQL


@pytest.mark.parametrize("name", query_names())
def test_every_column_has_a_heading_in_dutch_and_english(name: str) -> None:
    """The `columns` of the header name exactly the SELECT variables, in their order, each with a heading in
    nl and en (the table and Markdown formats print them in --lang)."""
    query = get_query(name)
    bindings = {p.name: [ox.Literal("x")] for p in query.params} | {"lang": [ox.Literal("en")]}
    results = ox.Store().query(bind(query.text, bindings))
    assert isinstance(results, ox.QuerySolutions)
    assert [c.name for c in query.columns] == [v.value for v in results.variables]
    for column in query.columns:
        assert [lang for lang, _ in column.headings] == ["nl", "en"], (name, column.name)
        assert all(heading.strip() == heading and heading for _, heading in column.headings)


def test_headings_follow_the_language() -> None:
    query = get_query("project-details")
    assert query.headings("nl") == {
        "project": "Project",
        "title": "Titel",
        "acronym": "Acroniem",
        "field": "Gegeven",
        "value": "Waarde",
        "detail": "Toelichting",
    }
    assert list(query.headings("en").values()) == ["Project", "Title", "Acronym", "Field", "Value", "Detail"]


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("#+ columns: [project]", "'columns' maps each result variable to its headings"),
        ("#+ columns:\n#+   project: {nl: Project}", "column 'project' needs a heading in nl and en"),
        ("#+ columns:\n#+   project: {nl: Project, en: Project, fr: Projet}", "needs a heading in nl and en"),
        ("#+ columns:\n#+   project: {nl: Project, en: Yes}", "each heading is a text"),
    ],
)
def test_a_malformed_columns_entry_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str, message: str
) -> None:
    from erasmus_kg.query import catalogue

    monkeypatch.setattr(catalogue, "_cache_dir", lambda: tmp_path)
    path = tmp_path / "broken-columns.rq"
    header = "#+ summary: s\n#+ summary_nl: z\n#+ description: d\n#+ tags: [t]\n" + columns + "\n"
    path.write_text(header + "SELECT ?project WHERE { ?project ?p ?o } ORDER BY ?project\n", "utf-8")
    with pytest.raises(catalogue.QueryFileError, match=re.escape(message)):
        catalogue.load_query(path)


@pytest.mark.parametrize("name", query_names())
def test_query_orders_its_results(name: str) -> None:
    assert re.search(r"^ORDER BY ", get_query(name).text, re.MULTILINE)


def test_catalogue_lists_every_file() -> None:
    assert [q.name for q in load_catalogue()] == sorted(
        p.stem for p in (TESTS.parent / "queries").glob("*.rq")
    )


def test_every_query_has_a_case() -> None:
    assert {c["query"] for c in CASES} == set(query_names())


def test_case_ids_are_unique() -> None:
    ids = [case_id(c) for c in CASES]
    assert len(ids) == len(set(ids))


# ------------------------------------------------------------------------------------------------------------
# Results


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_expected_results(case: dict, target: StoreTarget, regenerate: bool) -> None:
    text = prepare(case["query"], case["params"], case.get("lang", "en"), target)
    got = csv_text(target.query(text))
    path = EXPECTED / f"{case_id(case)}.csv"
    if regenerate:
        path.write_text(got, encoding="utf-8")
    assert path.exists(), f"no expected results for {case_id(case)}: run pytest --regenerate-expected"
    assert got == path.read_text(encoding="utf-8")


def test_no_stale_expected_files() -> None:
    assert sorted(p.stem for p in EXPECTED.glob("*.csv")) == sorted(case_id(c) for c in CASES)


def test_project_lists_have_the_agreed_columns(target: StoreTarget) -> None:
    for name in query_names():
        if not name.startswith("projects"):
            continue
        query = get_query(name)
        params = {p.name: p.example for p in query.params if p.example is not None}
        variables = [v.value for v in target.query(prepare(name, params, "en", target)).variables]
        assert variables[:3] == ["project", "title", "acronym"], name


def test_query_headers_are_cached_and_a_damaged_cache_is_parsed_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from erasmus_kg.query import catalogue

    monkeypatch.setattr(catalogue, "_cache_dir", lambda: tmp_path)
    path = TESTS.parent / "queries" / "projects-by-country.rq"
    parsed = catalogue.read_header(path)
    assert parsed["params"][0]["name"] == "country"
    (cached,) = (tmp_path / "query-headers").iterdir()
    assert json.loads(cached.read_text(encoding="utf-8")) == parsed
    cached.write_text('{"summary": "from the cache"}', encoding="utf-8")
    assert catalogue.read_header(path) == {"summary": "from the cache"}  # read, not parsed
    cached.write_text("{not json", encoding="utf-8")
    assert catalogue.read_header(path) == parsed  # damaged: parsed again, and written again
    assert json.loads(cached.read_text(encoding="utf-8")) == parsed
    changed = tmp_path / "changed.rq"
    changed.write_text(path.read_text(encoding="utf-8").replace("that involve", "involving", 1), "utf-8")
    assert catalogue.read_header(changed)["summary"] == "Projects involving a country"  # its own entry


@pytest.mark.parametrize("xdg", [None, "", "/tmp/elsewhere"])
def test_the_header_cache_is_where_platformdirs_puts_caches(
    xdg: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import platformdirs

    from erasmus_kg.query import catalogue

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    catalogue._cache_dir.cache_clear()
    try:
        assert catalogue._cache_dir() == Path(platformdirs.user_cache_dir("erasmus-kg"))
    finally:
        catalogue._cache_dir.cache_clear()


def test_a_header_cached_by_an_older_format_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Format 2 holds `columns`; an entry written by format 1 for the same header text is another file."""
    import hashlib

    from erasmus_kg.query import catalogue

    monkeypatch.setattr(catalogue, "_cache_dir", lambda: tmp_path)
    path = TESTS.parent / "queries" / "projects.rq"
    header = [line for line in path.read_text("utf-8").splitlines() if line.startswith("#+")]
    text = "\n".join(line[3:] if line.startswith("#+ ") else line[2:] for line in header)
    old = hashlib.blake2b(f"1\0{text}".encode(), digest_size=16).hexdigest()
    (tmp_path / "query-headers").mkdir()
    (tmp_path / "query-headers" / f"{old}.json").write_text('{"summary": "format 1"}', encoding="utf-8")
    with monkeypatch.context() as format_1:
        format_1.setattr(catalogue._HeaderCache, "VERSION", "1")
        assert catalogue.read_header(path) == {"summary": "format 1"}  # the entry format 1 would read
    assert catalogue.read_header(path)["summary"] == "Every project"  # format 2 does not
    assert "columns" in catalogue.read_header(path)
