"""One import of a Project Results export, timed in its own process (bench/scale.py).

    python bench/children/import_prp.py MODE EXPORT.csv TARGET FIGURES.json

MODE is `nquads` (rows to the N-Quads file TARGET, no validation, no store), `plain` (into a fresh store at
TARGET, no validation) or `validated` (the whole `erasmus-kg import prp`, into the store at TARGET). Writes
the figures (seconds, the importer's timings, triples, rows, conformance, peak memory of this process and of
its validation workers) to FIGURES.json.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from erasmus_kg.importing.run import import_file

MODES = ("nquads", "plain", "validated")


def main(argv: list[str]) -> int:
    mode, csv_path, target, out = argv
    if mode not in MODES:
        sys.exit(f"bench/children/import_prp.py: MODE is one of {', '.join(MODES)}, not {mode!r}")
    started = time.perf_counter()
    if mode == "nquads":
        result = import_file("prp", Path(csv_path), output=Path(target), validate=False, progress=False)
    else:
        result = import_file(
            "prp", Path(csv_path), root=Path(target), validate=(mode == "validated"), progress=False
        )
    figures = {
        "wall_s": time.perf_counter() - started,
        "timings": result.timings,
        "triples": result.triples,
        "rows": result.rows_imported,
        "conforms": None if result.validation is None else result.validation.conforms,
        "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_workers_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }
    Path(out).write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
