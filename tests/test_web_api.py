"""The stored queries as a web API (`/api/queries/{name}`): every case of tests/query_cases.yaml answers
exactly the CLI's expected rows; paging with totals and Link headers; errors in one line; hostile values."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from .import_helpers import SAMPLE
from .test_hostile_values import IDS, VALUES
from .test_stored_queries import CASES, EXPECTED, case_id
from .web_server import WebServer, web_server


def _sorted_cells(text: str) -> str:
    """As test_stored_queries.csv_text: the parts of a "; "-separated cell sorted (GROUP_CONCAT's order)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow(["; ".join(sorted(cell.split("; "))) if "; " in cell else cell for cell in row])
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_case_answers_the_rows_of_the_cli(case: dict, web: WebServer) -> None:
    params = {**case["params"], "lang": case.get("lang", "en"), "format": "csv"}
    with web.client() as client:
        response = client.get(f"/api/queries/{case['query']}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    got = _sorted_cells(response.text.replace("\r\n", "\n"))
    assert got == (EXPECTED / f"{case_id(case)}.csv").read_text(encoding="utf-8")


def test_sparql_json_by_accept(web_client) -> None:
    response = web_client.get(
        "/api/queries/projects-by-country?country=LT&lang=en",
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"] == "application/sparql-results+json"
    rows = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    assert [row["acronym"].value for row in rows] == ["ADEIGUS", "GOAL"]


def test_pages_tell_the_total_and_link_the_others(web_client) -> None:
    response = web_client.get("/api/queries/projects?limit=3&offset=3&format=tsv")
    assert response.status_code == 200
    total = int(response.headers["x-total-count"])
    assert total == 10  # the brochure's nine projects and VITAE
    assert response.text.count("\n") == 4  # the header and three rows
    links = response.headers["link"]
    assert '</api/queries/projects?format=tsv&limit=3&offset=0>; rel="first"' in links
    assert '</api/queries/projects?format=tsv&limit=3&offset=9>; rel="last"' in links
    assert '</api/queries/projects?format=tsv&limit=3&offset=0>; rel="prev"' in links
    assert '</api/queries/projects?format=tsv&limit=3&offset=6>; rel="next"' in links


def test_errors_are_one_line_with_suggestions(web_client) -> None:
    wrong = web_client.get(
        "/api/queries/projects-by-country?country=Litouwn", headers={"Accept": "application/json"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["error"].startswith("country: no country matches 'Litouwn'. Did you mean: Litouwen")
    assert web_client.get("/api/queries/no-such-query").status_code == 404
    assert web_client.get("/api/queries/projects?limit=ten").status_code == 400
    assert web_client.get("/api/queries/projects?format=xml").status_code == 400
    assert web_client.get("/api/queries/projects-by-country?country=LT&bogus=1").status_code == 400
    assert web_client.get("/api/queries/projects", headers={"Accept": "image/png"}).status_code == 406


def test_the_list_of_queries(web_client) -> None:
    listed = web_client.get("/api/queries").json()
    names = [q["name"] for q in listed]
    assert "projects-by-country" in names and names == sorted(names)
    by_country = next(q for q in listed if q["name"] == "projects-by-country")
    assert by_country["parameters"][0]["name"] == "country"


URL_VALUES = [(v, i) for v, i in zip(VALUES, IDS, strict=True) if len(v) <= 8000]  # 1 MB fits no URL


@pytest.mark.parametrize("value", [v for v, _ in URL_VALUES], ids=[i for _, i in URL_VALUES])
def test_hostile_values_never_break_the_api(value: str, web_client) -> None:
    response = web_client.get(
        "/api/queries/projects-by-organisation",
        params={"organisation": value, "format": "json"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert "\n" not in response.json()["error"]
    else:  # matched names literally: every row is a project of the brochure data
        rows = json.loads(response.text)["results"]["bindings"]
        assert all(
            row["project"]["value"].startswith("https://w3id.org/erasmus-kg/id/project/") for row in rows
        )


def test_a_store_switched_by_an_import_is_seen_without_a_restart(store_copy: Path) -> None:
    store = store_copy
    cli = str(Path(sys.executable).parent / "erasmus-kg")
    env = {**os.environ, "ERASMUS_KG_STORE": str(store)}
    with web_server(store) as server, server.client() as client:
        before = int(client.get("/api/queries/projects?limit=1").headers["x-total-count"])
        done = subprocess.run([cli, "import", "prp", str(SAMPLE)], env=env, capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode()
        after = client.get("/api/queries/projects?limit=1")
        assert int(after.headers["x-total-count"]) > before
        identifier = client.get(
            "/api/queries/project-details", params={"project": "2017-1-RS01-KA101-000006", "format": "csv"}
        )
        assert identifier.status_code == 200
        assert "2017-1-RS01-KA101-000006" in identifier.text


def test_openapi_describes_every_stored_query_and_is_valid(web_client) -> None:
    from openapi_spec_validator import validate

    from erasmus_kg.query.catalogue import load_catalogue

    document = web_client.get("/openapi.json").json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert sorted(document["paths"]) == sorted(f"/api/queries/{q.name}" for q in load_catalogue())
    by_country = document["paths"]["/api/queries/projects-by-country"]["get"]
    country = next(p for p in by_country["parameters"] if p["name"] == "country")
    assert (country["required"], country["example"]) == (True, "Lithuania")
    assert {"limit", "offset", "lang", "format"} <= {p["name"] for p in by_country["parameters"]}
