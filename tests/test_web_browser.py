"""A career counsellor's first minutes, in a real headless Chromium (tests/browser.py): search for Litouwen in
Dutch and open GOAL, switch the language, follow a country link, download a list as CSV. Screenshots of the
home, a project and a search page are kept in build/test-artefacts/."""

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
        assert page.locator("h2").first.inner_text() == "Projecten met dat land (2)"
        browser.screenshot(page, "search")

        page.get_by_role("link", name="Guidance and Orientation for Adult Learners").click()
        page.wait_for_load_state()
        assert page.url == web.base + "/doc/id/project/goal.html"  # /id/project/goal answered 303
        assert page.locator("h1").inner_text() == "Guidance and Orientation for Adult Learners"
        assert page.get_by_role("link", name="Litouwen", exact=True).count() == 2  # involved, participating
        browser.screenshot(page, "project")

        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="Lithuania", exact=True).first.click()
        page.wait_for_load_state()
        assert page.url.startswith(web.base + "/doc/country/LTU.html")
        assert page.locator("h1").inner_text() == "Lithuania"

        page.goto(web.base + "/search?q=Litouwen&lang=nl")
        with page.expect_download() as download:
            page.get_by_role("link", name="Als CSV").click()
        path = download.value.path()
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert [row["acronym"] for row in rows] == ["ADEIGUS", "GOAL"]
