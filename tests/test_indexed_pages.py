"""Pages from the search index (query.running.page): for every stored query that declares a `page_index`,
every case of the expected-results suite and more, every page and its total are exactly what the query's
page subquery gives with LIMIT/OFFSET, on the brochure and on an imported export (call years, countries)."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from erasmus_kg.errors import ParameterError
from erasmus_kg.query.binding import with_slice
from erasmus_kg.query.catalogue import get_query, load_catalogue
from erasmus_kg.query.running import MAX_INDEXED_ROWS, count_rows, page, prepare
from erasmus_kg.query.targets import StoreTarget

TESTS = Path(__file__).resolve().parent
INDEXED = sorted(q.name for q in load_catalogue() if q.page_index)
EXTRA = {  # values that make long lists on the imported export
    "projects": [{}],
    "countries-per-project": [{}],
    "organisations-by-country": [{"country": c} for c in ("DE", "BE", "RS", "LT", "IS")],
    "projects-by-country": [{"country": c} for c in ("DE", "ES", "FR", "BE", "RS", "TR", "LT")],
    "projects-by-key-action": [{"action": a} for a in ("KA1", "KA2", "KA3", "KA101", "KA229")],
    "projects-by-sector": [{"sector": s} for s in ("adult education", "education and training", "youth")],
    "projects-by-theme": [{"theme": "keuzebegeleiding"}, {"theme": "soft skills"}],
    "projects-active-in": [{"year": y} for y in ("2014", "2016", "2019", "2021")],
    "projects-by-programme": [{"programme": p} for p in ("Erasmus+", "Lifelong Learning Programme", "LLP")],
    # a row per project, organisation and role; a text that names one organisation or many
    "projects-by-organisation": [
        {"organisation": o} for o in ("univers", "hochschule", "school", "Leerwinkel")
    ],
}
SLICES = [(1, 0), (3, 0), (3, 2), (5, 7), (50, 0), (2, 10_000)]


def _cases() -> list[tuple[str, dict[str, str], str]]:
    raw = yaml.safe_load((TESTS / "query_cases.yaml").read_text(encoding="utf-8"))
    found = [
        (c["query"], dict(c.get("params") or {}), c.get("lang", "en")) for c in raw if c["query"] in INDEXED
    ]
    found += [
        (name, params, lang) for name, values in EXTRA.items() for params in values for lang in ("nl", "en")
    ]
    return found


@pytest.fixture
def target(either_target: StoreTarget) -> StoreTarget:
    """The brochure store, then the imported one (conftest's `imported_store`)."""
    return either_target


def _rows(target: StoreTarget, text: str) -> list[tuple[str, ...]]:
    results = target.query(text)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in results]


def test_every_list_of_projects_declares_its_index() -> None:
    assert INDEXED == [
        "countries-per-project",
        "organisations-by-country",
        "projects",
        "projects-active-in",
        "projects-by-country",
        "projects-by-key-action",
        "projects-by-organisation",
        "projects-by-programme",
        "projects-by-sector",
        "projects-by-theme",
    ]


@pytest.mark.parametrize(("name", "params", "lang"), _cases(), ids=lambda v: str(v))
def test_pages_from_the_index_are_those_of_the_page_subquery(
    target: StoreTarget, name: str, params: dict[str, str], lang: str
) -> None:
    try:
        whole = prepare(name, params, lang, target)
    except ParameterError:
        pytest.skip("the value names nothing in this store")
    expected_total = count_rows(target, whole)
    assert expected_total is not None
    plain = StoreTarget(target.store, target.names, None)
    everything = _rows(target, whole)
    page_index = get_query(name).page_index
    assert page_index is not None
    for limit, offset in SLICES:
        text, total = page(name, params, lang, target, limit, offset)
        assert total == expected_total
        in_page = text.split("# page:")[1]
        if page_index.rows == "several" and offset + limit > MAX_INDEXED_ROWS:  # the page subquery's cut
            assert "VALUES (?project ?organisation" not in in_page
        elif page_index.rows == "several":  # the rows of the first nodes, bound as (node, value) pairs, cut
            assert re.search(r"VALUES \(\?project \?organisation\b", in_page) and "LIMIT" in in_page
        else:  # the page's nodes, not cut
            assert re.search(r"VALUES \([^)]*\?(project|organisation)\b", in_page) and "LIMIT" not in text
        expected = _rows(target, with_slice(whole, limit, offset))
        assert _rows(target, text) == expected == everything[offset : offset + limit]
        assert page(name, params, lang, plain, limit, offset) == (
            with_slice(whole, limit, offset),
            expected_total,
        )
