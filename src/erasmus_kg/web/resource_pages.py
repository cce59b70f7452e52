"""The page for people about one resource of the graph (`/doc/....html`).

A placeholder until the pages for projects, organisations, countries and concepts exist: it names the
resource. `linked_data` calls `resource_page` for the HTML form of every document.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from erasmus_kg.web.pages import page


async def resource_page(request: Request, iri: str) -> Response:
    """The HTML page describing `iri` (404 when the graph says nothing about it)."""
    return page(request, "resource.html", iri=iri)
