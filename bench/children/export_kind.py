"""One export of a store, timed in its own process (bench/export.py).

    python bench/children/export_kind.py KIND STORE OUT GRAPH

Opens STORE read-only and writes the export KIND (one of `KINDS`; `turtle-dump` dumps the named graph GRAPH,
where the synthetic data is) to OUT, then prints {"kind", "seconds",
"cpu", "bytes", "peak_mb"} as JSON on stdout. Seconds and CPU include opening the store; `open` only opens it
(the memory every export starts from).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.namespaces import PREFIXES

KINDS = ("open", "turtle-dump", "trig-dump", "jsonld", "jsonld-frame", "turtle", "ntriples", "nquads")


def measure(kind: str, store_dir: Path, out_path: Path, graph: str) -> dict[str, object]:
    from erasmus_kg.export import export

    start, cpu_start = time.perf_counter(), time.process_time()
    store = ox.Store.read_only(str(store_dir))
    if kind != "open":
        with out_path.open("wb") as out:
            if kind == "turtle-dump":
                store.dump(out, ox.RdfFormat.TURTLE, from_graph=ox.NamedNode(graph), prefixes=PREFIXES)
            elif kind == "trig-dump":
                store.dump(out, ox.RdfFormat.TRIG, prefixes=PREFIXES)
            elif kind == "jsonld-frame":
                export(store, "jsonld", out, frame="project")
            else:
                export(store, kind, out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    size = out_path.stat().st_size if kind != "open" else 0
    return {"kind": kind, "seconds": seconds, "cpu": cpu, "bytes": size, "peak_mb": peak_memory_mb()}


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over
    exec, so a child of the benchmark (which bulk-loaded the store) would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    kind, store_dir, out_path, graph = argv
    if kind not in KINDS:
        sys.exit(f"bench/children/export_kind.py: KIND is one of {', '.join(KINDS)}, not {kind!r}")
    print(json.dumps(measure(kind, Path(store_dir), Path(out_path), graph)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
