"""What a page computes once per build of the embedded store: a build never changes after it is published, so
anything read from it alone (the home page's counts, the statistics pages' charts, the values a form
suggests) can be kept until the store switches to another build. A remote endpoint (no build id) may change
under the server: nothing is kept for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_BUILDS_KEPT = 2
"""Builds whose values are kept: the current one and the one before it (requests may still read it)."""
_PER_BUILD = 4096
"""Values kept per build at most (one per statistics page and language: about 2 x 250)."""


class PerBuild:
    """Values computed from one build, by (build id, key)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, dict[Hashable, object]] = {}

    def get(self, build: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for `key` in `build`, computed (outside the lock) the first time; always computed when
        `build` is None."""
        if build is None:
            return compute()
        with self._lock:
            values = self._kept.get(build)
            if values is not None and key in values:
                return values[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            values = self._kept.setdefault(build, {})
            if len(values) < _PER_BUILD:
                values[key] = value
            while len(self._kept) > _BUILDS_KEPT:
                del self._kept[next(iter(self._kept))]  # the oldest build first (dicts keep their order)
        return value

    def clear(self) -> None:
        """Forget everything (for tests that change how values are made, not the build)."""
        with self._lock:
            self._kept.clear()


KEPT = PerBuild()
"""The one cache of the web front."""
