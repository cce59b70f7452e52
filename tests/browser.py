"""A real headless Chromium for the browser tests: Debian's `chromium` driven by Playwright (never
`playwright install`, whose downloads are not reachable), with the flags that keep it off the network
(LIBRARY-NOTES: without the background-networking flags it floods a closed network with refused
connections). Screenshots are kept as test artefacts in `build/test-artefacts/` (or $ERASMUS_KG_ARTEFACTS)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("ERASMUS_KG_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_DEFAULT_ARTEFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artefacts"
ARTEFACTS = Path(os.environ.get("ERASMUS_KG_ARTEFACTS", _DEFAULT_ARTEFACTS))


def available() -> bool:
    return shutil.which(CHROMIUM) is not None


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A Playwright browser context on Chromium, a fresh profile, in Dutch (a Flemish counsellor's)."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="erasmus-kg-chromium-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=FLAGS,
                locale="nl-BE",
                viewport={"width": 1280, "height": 900},
                accept_downloads=True,
            )
            try:
                yield context
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(page: Any, name: str) -> Path:
    """Keep a full-page screenshot of `page` as `ARTEFACTS/name.png`."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
