"""Three-valued logic: every check of the screen answers True (surely satisfied), False (surely violated) or
None (the screen cannot tell, and pySHACL decides)."""

from __future__ import annotations

from collections.abc import Iterable

Tri = bool | None
"""True: surely satisfied; False: surely violated; None: the screen cannot tell."""


def all_of(results: Iterable[Tri]) -> Tri:
    """Three-valued AND."""
    unknown = False
    for result in results:
        if result is False:
            return False
        if result is None:
            unknown = True
    return None if unknown else True


def any_of(results: Iterable[Tri]) -> Tri:
    """Three-valued OR."""
    unknown = False
    for result in results:
        if result is True:
            return True
        if result is None:
            unknown = True
    return None if unknown else False
