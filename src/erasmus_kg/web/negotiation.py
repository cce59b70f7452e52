"""Content negotiation: which media type (`Accept`) and which language (`?lang=`, `Accept-Language`) a
request gets, by the rules of RFC 9110 section 12 (quality values, `*/*` and `type/*` ranges, the most
specific range deciding; q=0 refuses)."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

LANGUAGES = ("nl", "en")
"""The languages of the pages and labels, in the order of preference when a request states none (our
first users read Dutch)."""


def _ranges(header: str) -> list[tuple[str, float, int]]:
    """(range, quality, position) of every element of an Accept-style header, malformed ones skipped."""
    found = []
    for position, element in enumerate(header.split(",")):
        parts = [p.strip() for p in element.split(";")]
        name = parts[0].lower()
        if not name:
            continue
        quality = 1.0
        for parameter in parts[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
                quality = min(max(quality, 0.0), 1.0)
        found.append((name, quality, position))
    return found


def _media_quality(offer: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int]:
    """The quality `ranges` give `offer` (from its most specific matching range) and that range's position."""
    kind = offer.split("/")[0]
    best: tuple[int, float, int] | None = None  # (specificity, quality, position)
    for name, quality, position in ranges:
        if name == offer:
            specificity = 3
        elif name == f"{kind}/*":
            specificity = 2
        elif name == "*/*":
            specificity = 1
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, quality, position)
    return (0.0, 0) if best is None else (best[1], best[2])


def best_media_type(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer `accept` prefers (the first offer when the header is missing or empty; ties go to the
    earlier offer), or None when it accepts none of them (answer 406)."""
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = _ranges(accept)
    scored = []
    for index, offer in enumerate(offers):
        quality, _ = _media_quality(offer, ranges)
        if quality > 0:
            scored.append((-quality, index, offer))
    return min(scored)[2] if scored else None


LANGUAGE_COOKIE = "lang"
"""The cookie that keeps the language a reader chose with the switch (`?lang=`) for the pages after it."""


def request_language(request: Request) -> str:
    """The language of the answer to `request`: `?lang=nl|en` when given, else the one chosen before (the
    `lang` cookie that pages set when `?lang=` is given), else the best of `Accept-Language`, else Dutch."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if asked in LANGUAGES:
            return asked
    return accepted_language(request.headers.get("accept-language"))


def accepted_language(header: str | None) -> str:
    """The language of `LANGUAGES` that an Accept-Language header prefers (`nl-BE` is `nl`); Dutch when the
    header names neither."""
    best: tuple[float, int, str] | None = None
    for name, quality, position in _ranges(header or ""):
        primary = name.split("-")[0]
        if primary in LANGUAGES and quality > 0:
            candidate = (-quality, position, primary)
            if best is None or candidate < best:
                best = candidate
    return best[2] if best else LANGUAGES[0]
