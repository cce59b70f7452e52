"""How much a costly test tries (a property test's examples, a crash test's kills, a generated file's size): a
little in the default run, the full amount in the slow run.

`pytest -m slow` (a mark expression that selects `slow`) runs the scale tests and every property test with
its full count: conftest sets THOROUGH and marks the property tests `slow` for that run.
ERASMUS_KG_THOROUGH=1 gives the full counts with any other selection (the default run included)."""

from __future__ import annotations

import os

THOROUGH = os.environ.get("ERASMUS_KG_THOROUGH", "") not in ("", "0")


def examples(default: int, thorough: int) -> int:
    """`max_examples` for a property test: `thorough` in the slow run, else `default`."""
    return thorough if THOROUGH else default
