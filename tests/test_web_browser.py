"""A career counsellor's first minutes, in a real headless Chromium (tests/browser.py): search for Litouwen in
Dutch and open GOAL, switch the language, follow a country link, download its projects as CSV, narrow a
search by a facet, look at a country's statistics. Screenshots of the home, a search, a project, a country
and a statistics page are kept in build/test-artefacts/."""

from __future__ import annotations

import csv
import io

import pytest

from . import browser
from .web_server import WebServer

pytestmark = pytest.mark.skipif(not browser.available(), reason=f"no Chromium at {browser.CHROMIUM}")


def test_search_open_a_project_switch_language_follow_a_link_download(web: WebServer) -> None:
    with browser.browser() as context:
        page = context.new_page()
        page.goto(web.base + "/")
        assert page.locator("html").get_attribute("lang") == "nl"  # the browser asks for nl-BE
        browser.screenshot(page, "home")

        page.get_by_role("searchbox").fill("Litouwen")
        page.get_by_role("button", name="Zoeken").click()
        page.wait_for_load_state()
        assert page.locator(".search-named li").first.inner_text() == "Litouwen Land · 2 projecten"
        assert page.locator(".search-projects h2").inner_text() == "Projecten (2)"
        browser.screenshot(page, "search")

        page.get_by_role("link", name="Guidance and Orientation for Adult Learners").click()
        page.wait_for_load_state()
        assert page.url == web.base + "/doc/id/project/goal.html"  # /id/project/goal answered 303
        assert page.locator("h1").inner_text() == "Guidance and Orientation for Adult Learners"
        assert page.get_by_role("link", name="Litouwen", exact=True).count() == 2  # involved, participating
        assert page.locator("#organisations tbody tr").count() == 3
        browser.screenshot(page, "project")

        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="Lithuania", exact=True).first.click()
        page.wait_for_load_state()
        assert page.url.startswith(web.base + "/doc/country/LTU.html")
        assert page.locator("h1").inner_text() == "Lithuania"
        assert page.locator("#projects h2").inner_text() == "Projects (2)"
        browser.screenshot(page, "country")
        with page.expect_download() as download:
            page.locator("#projects").get_by_role("link", name="As CSV").click()
        path = download.value.path()
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert sorted(row["acronym"] for row in rows) == ["ADEIGUS", "GOAL"]

        page.get_by_role("link", name="Statistics of this country").click()
        page.wait_for_load_state()
        assert page.url == web.base + "/statistics/LTU"
        assert page.locator("svg[role=img]").count() >= 1
        browser.screenshot(page, "statistics")

        page.goto(web.base + "/search?q=begeleid&lang=en")
        assert page.locator(".search-projects h2").inner_text() == "Projects (7)"
        page.locator('[data-facet="country"]').get_by_role("link", name="United Kingdom").click()
        page.wait_for_load_state()
        assert page.locator(".search-projects h2").inner_text() == "Projects (3)"
        page.get_by_role("link", name="Country: United Kingdom ✕").click()
        page.wait_for_load_state()
        assert page.locator(".search-projects h2").inner_text() == "Projects (7)"
