"""Rendering a page of the web front: a template of `erasmus_kg/html/templates/web/` with what every page
needs (its language, the link to the same page in the other language, where the stylesheet is), as an
HTML response. Routes hand templates data, never markup: autoescaping is on for every value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse

from erasmus_kg.errors import UsageError
from erasmus_kg.html.rendering import render
from erasmus_kg.web.negotiation import LANGUAGE_COOKIE, LANGUAGES, request_language

STATIC = "/static/"
"""Where the packaged stylesheet (and any other static file) is served."""


def page_number(name: str, raw: str, maximum: int) -> int:
    """The page number the address parameter `name` gives as `raw`, from 1 to `maximum`; a UsageError (400)
    for anything else."""
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise UsageError(f"{name}: {raw[:20]!r} is not a page number (1 to {maximum})")
    return int(raw)


def language_links(request: Request, lang: str) -> list[tuple[str, str, bool]]:
    """(language, URL of this page in it, whether it is the page's language) for the language switch: the
    request's own path and parameters, with `lang=` set."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return [
        (other, f"{request.url.path}?{urlencode([*kept, ('lang', other)])}", other == lang)
        for other in LANGUAGES
    ]


def page(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page `template` (a name under `web/`) for `request`, in the request's language unless `context`
    gives `lang`."""
    lang = context.pop("lang", None) or request_language(request)
    html = render(
        f"web/{template}",
        lang=lang,
        static_url=STATIC,
        language_links=language_links(request, lang),
        request_path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    if request.query_params.get("lang") in LANGUAGES:  # chosen with the switch: kept for the next pages
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
