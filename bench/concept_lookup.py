"""A concept parameter named over an endpoint: internal/concept-exact.rq as it is (its matches with their
schemes, the caller keeping its own) against the form it had before (the scheme bound by the binder in a
VALUES block of its own, beside the block of the language-tagged candidates), in the same run.

    .venv/bin/python bench/concept_lookup.py [--store DIR] [--repeat 20]

It starts `oxigraph serve` on 127.0.0.1 (the tests' launcher, tests/servers.py) with a database of its own,
sends it the store (`erasmus-kg load --endpoint`; without `--store`, a temporary store holding the packaged
data), and times, for each value, the lookup query of `parameters.resolve` in both forms through one
`EndpointTarget`, rounds alternating, after a warm-up round. The two forms must give the same concepts; a
difference is reported and the exit status is 1. It prints Markdown (progress on stderr).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import pyoxigraph as ox
from benchlib import load_average, log, markdown_table, median_ms

sys.path.insert(1, str(benchlib.REPO))  # the tests' server launcher, one copy for the tests and this
from erasmus_kg.query.binding import bind
from erasmus_kg.query.catalogue import internal_query
from erasmus_kg.query.parameters import CONCEPT_SCHEMES, NOTATION_TYPES, candidates
from erasmus_kg.remote.sparql import open_endpoint
from erasmus_kg.store.default import DefaultStore
from tests.servers import OxigraphServer

VALUES = (
    ("country", "Lithuania"),
    ("country", "IJsland"),
    ("country", "LT"),
    ("country", "Litauwen"),  # no exact match: the lookup finds nothing (the caller then reads the labels)
    ("action", "KA2"),
    ("sector", "adult education"),
)

BEFORE = (
    internal_query("concept-exact")
    .replace(
        "SELECT ?concept ?scheme (MIN(?matchRank) AS ?rank)", "SELECT ?concept (MIN(?matchRank) AS ?rank)"
    )
    .replace("GROUP BY ?concept ?scheme", "GROUP BY ?concept")
)
"""The query before: the concepts of the ?scheme the binder binds, one row each."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a store to send (default: the packaged data only)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="concept-lookup-") as work:
        root = args.store or Path(work) / "store"
        DefaultStore(root).ensure()
        with OxigraphServer(Path(work) / "server").start() as server:
            log(f"loading {root} into {server.base}")
            load = ["--store", str(root), "load", "--endpoint", server.store_url]
            benchlib.run_timed([benchlib.executable("erasmus-kg"), *load])
            return _measure(server.query_url, args.repeat, root)


def _measure(url: str, repeat: int, root: Path) -> int:
    before_load = load_average()
    rows: list[list[object]] = []
    differ = False
    with open_endpoint(url) as target:
        for kind, value in VALUES:
            scheme = ox.NamedNode(CONCEPT_SCHEMES[kind])
            texts = candidates(value, NOTATION_TYPES)
            forms = {
                "then": (bind(BEFORE, {"scheme": [scheme], "text": texts}), None),
                "now": (bind(internal_query("concept-exact"), {"text": texts}), scheme),
            }
            times: dict[str, list[float]] = {name: [] for name in forms}
            found: dict[str, list[str]] = {}
            for round_ in range(repeat + 1):
                for name in sorted(forms, reverse=bool(round_ % 2)):
                    text, kept = forms[name]
                    start = time.perf_counter()
                    answer = target.query(text)
                    assert isinstance(answer, ox.QuerySolutions)
                    kept_rows = (r for r in answer if kept is None or r["scheme"] == kept)
                    found[name] = sorted(str(r["concept"]) for r in kept_rows)
                    if round_:  # the first round warms up
                        times[name].append(time.perf_counter() - start)
            same = found["now"] == found["then"]
            differ |= not same
            then_ms, now_ms = median_ms(times["then"]), median_ms(times["now"])
            shown = ", ".join(c.rsplit("/", 1)[-1].rstrip(">") for c in found["now"]) or "none"
            ratio = f"{then_ms / now_ms:.{0 if then_ms >= 10 * now_ms else 1}f}x"
            rows.append([f"{kind}={value}", shown, f"{then_ms:.1f}", f"{now_ms:.1f}", ratio, same])
    info = benchlib.machine()
    print(
        f"Machine: {info.nproc} CPUs ({info.cpu}), {info.ram} RAM; Python {info.python}, pyoxigraph "
        f"{info.pyoxigraph}. Load average at the start: {before_load}, at the end: {info.load}. Code: "
        f"{info.code}. Store sent: {root}.\n"
    )
    print(
        f"internal/concept-exact.rq over `oxigraph serve` (one `EndpointTarget`, HTTP on 127.0.0.1), median "
        f"of {repeat} rounds after a warm-up round, the two forms alternating:\n"
    )
    print(
        markdown_table(
            ["value", "concepts", "scheme bound (ms)", "schemes given (ms)", "ratio", "same concepts"],
            rows,
            [False, False, True, True, True, False],
        )
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
