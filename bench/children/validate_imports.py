"""Validating the imported graphs of a store, timed in its own process (bench/scale.py).

    python bench/children/validate_imports.py STORE FIGURES.json

What `erasmus-kg validate` adds for imports: `erasmus_kg.validation.batches.validate_imports(STORE)`. Writes
{"wall_s", "conforms", "triples", "violations"} to FIGURES.json.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from erasmus_kg.validation.batches import validate_imports


def main(argv: list[str]) -> int:
    store, out = argv
    started = time.perf_counter()
    result = validate_imports(Path(store))
    if result is None:
        sys.exit(f"bench/children/validate_imports.py: the store {store} holds no import")
    figures = {
        "wall_s": time.perf_counter() - started,
        "conforms": result.conforms,
        "triples": result.data_triples,
        "violations": len(result.violations),
    }
    Path(out).write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
