"""What the web server reads (`web.graph`): one open build shared by every request, switched to a new build
when one is published, the old one kept until its last request ends and then released for collection."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph as ox

from erasmus_kg.query.running import run_stored
from erasmus_kg.web.graph import EmbeddedAccess

SCRIPT = str(Path(sys.executable).parent / "erasmus-kg")
EXAMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s <https://example.org/p> ?o }"


def _count(reading_target: object) -> int:
    results = reading_target.query(EXAMPLE)  # type: ignore[attr-defined]
    return int(next(iter(results))["n"].value)


def _load(root: Path, triples: int) -> None:
    extra = root.parent / f"extra-{triples}.ttl"
    extra.write_text(
        "".join(f"<https://example.org/s{n}> <https://example.org/p> {n} .\n" for n in range(triples)),
        encoding="utf-8",
    )
    env = {**os.environ, "ERASMUS_KG_STORE": str(root)}
    done = subprocess.run([SCRIPT, "load", str(extra)], env=env, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()


def test_requests_share_one_open_build(tmp_path: Path) -> None:
    access = EmbeddedAccess(tmp_path / "store")  # an empty root: the first reading builds it
    try:
        with access.reading() as first, access.reading() as second:
            assert first is second
            assert first.build_dir is not None and first.build_dir.name == first.build_id
    finally:
        access.close()


def test_a_request_keeps_its_build_while_a_new_one_is_published(store_copy: Path) -> None:
    root = store_copy
    access = EmbeddedAccess(root)
    try:
        with access.reading() as before:
            _load(root, 10)
            assert _count(before.target) == 0  # still the build the request started on
            with access.reading() as after:
                assert after.build_id != before.build_id
                assert _count(after.target) == 10
        with access.reading() as later:
            assert _count(later.target) == 10
    finally:
        access.close()
    _load(root, 20)  # a writer collects the builds nobody holds any more
    assert len(list((root / "builds").iterdir())) <= 2


def test_concurrent_requests_never_fail_during_rebuilds(store_copy: Path) -> None:
    root = store_copy
    access = EmbeddedAccess(root)
    failures: list[str] = []
    seen: set[tuple[str | None, int]] = set()
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with access.reading() as reading:
                    rows = run_stored("projects-by-country", {"country": "LT"}, "en", reading.target)
                    assert isinstance(rows, ox.QuerySolutions)
                    titles = sorted(row["acronym"].value for row in rows)
                    if titles != ["ADEIGUS", "GOAL"]:
                        failures.append(f"rows {titles}")
                    seen.add((reading.build_id, _count(reading.target)))
            except Exception as exc:
                failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for triples in (100, 200, 300):
            _load(root, triples)
        with access.reading() as last:
            assert _count(last.target) == 600  # each load adds its own graph
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        access.close()
    assert failures == []
    counts_by_build: dict[str | None, set[int]] = {}
    for build, count in seen:
        counts_by_build.setdefault(build, set()).add(count)
    assert all(len(counts) == 1 for counts in counts_by_build.values())  # one build, one answer
    assert len(counts_by_build) >= 2  # the readers did run across a switch
