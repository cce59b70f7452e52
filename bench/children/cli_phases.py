"""The CLI's time per step (bench/query.py): its `--show-query` path, the library's steps wrapped in timers.

    python bench/children/cli_phases.py STEPS.json [erasmus-kg arguments...]

Imports the CLI, wraps the functions the stored-query path goes through, runs `erasmus_kg.cli.main(arguments)`
in this process and writes [[label, depth, seconds], ...] to STEPS.json in the order of `STEPS` (a row of
depth 1 is part of the row of depth 0 above it, and so on). Everything but running the stored query and
writing its results is timed.

Written for the package as laid out by issue #10 and the name index of issue #11: the CLI goes through
`erasmus_kg.store.default.DefaultStore` (ensure), `erasmus_kg.store.builds.EmbeddedStore` (open_build),
`erasmus_kg.query.catalogue.get_query` and `erasmus_kg.query.running` (get_query, resolve_all); parameter
values are looked up in `erasmus_kg.derived.names.NameIndex` or by
`erasmus_kg.query.targets.StoreTarget.query` (a query without parameters looks nothing up: that row is 0).
When the CLI no longer calls one of the others, this script fails (exit status 3) rather than print a table
without it.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

IMPORT_CLI = "import erasmus_kg.cli (click, errors)"
LAZY_IMPORTS = "lazy imports (cli.queries, query.catalogue, targets, output, parameters, running, names)"
MAIN = "main() in all"
ENSURE = "store.ensure (packaged sources, manifest, stat packaged files)"
OPEN_READER = "open_build (flock, Store.read_only)"
GET_QUERY = "get_query (read .rq, its header from the header cache)"
RESOLVE_ALL = "resolve_all (parameters, incl. queries)"
TARGET_QUERY = "lookups of parameter values (name index, queries)"
PROCESS = "process so far"

STEPS = (
    (IMPORT_CLI, 0),
    (LAZY_IMPORTS, 0),
    (MAIN, 0),
    (ENSURE, 1),
    (OPEN_READER, 1),
    (GET_QUERY, 1),
    (RESOLVE_ALL, 1),
    (TARGET_QUERY, 2),
    (PROCESS, 0),
)
WRAPPED = (ENSURE, OPEN_READER, GET_QUERY, RESOLVE_ALL)


def main(argv: list[str]) -> int:
    out_path, cli_argv = argv[0], argv[1:]
    t: dict[str, float] = {}
    start = time.perf_counter()
    import erasmus_kg.cli as cli

    t[IMPORT_CLI] = time.perf_counter() - start
    s = time.perf_counter()
    import erasmus_kg.cli.queries
    import erasmus_kg.query.catalogue as catalogue
    import erasmus_kg.query.output
    import erasmus_kg.query.parameters  # noqa: F401 (imported to time it)
    import erasmus_kg.query.running as running
    import erasmus_kg.query.targets as targets
    from erasmus_kg.derived.names import NameIndex

    t[LAZY_IMPORTS] = time.perf_counter() - s
    from erasmus_kg.store.builds import EmbeddedStore
    from erasmus_kg.store.default import DefaultStore

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            s = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                t[label] = t.get(label, 0.0) + time.perf_counter() - s

        return wrapper

    def patch(owner: object, name: str, replacement: object) -> None:
        setattr(owner, name, replacement)

    def wrap(label: str, *places: tuple[object, str]) -> None:
        """Replace the function at each (owner, attribute) by one timed wrapper of the first one."""
        wrapper = timed(label, getattr(*places[0]))
        for owner, name in places:
            patch(owner, name, wrapper)

    original_open_build = EmbeddedStore.open_build

    @contextlib.contextmanager
    def open_build(self: EmbeddedStore) -> Iterator[Any]:
        s = time.perf_counter()
        with original_open_build(self) as opened:
            t[OPEN_READER] = t.get(OPEN_READER, 0.0) + time.perf_counter() - s
            yield opened

    wrap(ENSURE, (DefaultStore, "ensure"))
    wrap(GET_QUERY, (catalogue, "get_query"), (running, "get_query"))  # running imported it by name
    wrap(RESOLVE_ALL, (running, "resolve_all"))
    for owner, name in [(targets.StoreTarget, "query")] + [(NameIndex, n) for n in ("exact", "containing")]:
        wrap(TARGET_QUERY, (owner, name))
    patch(EmbeddedStore, "open_build", open_build)

    s = time.perf_counter()
    try:
        cli.main(cli_argv)
    except SystemExit as e:
        if e.code not in (0, None):
            raise
    t[MAIN] = time.perf_counter() - s
    t[PROCESS] = time.perf_counter() - start
    missing = [label for label in WRAPPED if label not in t]
    if missing:
        print(
            f"bench/children/cli_phases.py: the CLI did not call {', '.join(missing)}: the package changed, "
            "update the wrappers",
            file=sys.stderr,
        )
        return 3
    steps = [[label, depth, t.get(label, 0.0)] for label, depth in STEPS]
    Path(out_path).write_text(json.dumps(steps), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
