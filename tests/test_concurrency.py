"""`erasmus-kg query` processes run in a loop while another process imports the ECHE list and rebuilds the
store again and again: no errors, no lock messages, always the complete answer.

The default run has 2 readers and 2 rebuilds, each rebuild with queries finishing while it runs; the slow run
(`pytest -m slow`) has 8 readers and 6 rebuilds, which on a 2-core machine costs minutes (the readers take
most of the processor, so the writer's import and rebuilds run several times slower)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

SCRIPT = str(Path(sys.executable).parent / "erasmus-kg")
QUERY = [SCRIPT, "query", "projects-by-country", "-p", "country=Lithuania", "--format", "csv", "--lang", "en"]


@pytest.mark.parametrize(
    ("readers", "rebuilds"),
    [pytest.param(2, 2, id="2-readers"), pytest.param(8, 6, id="8-readers", marks=pytest.mark.slow)],
)
def test_readers_never_see_an_error_or_a_partial_store(
    tmp_path: Path, store_copy: Path, readers: int, rebuilds: int
) -> None:
    env = {**os.environ, "ERASMUS_KG_STORE": str(store_copy)}
    expected = subprocess.run(QUERY, env=env, capture_output=True, check=True).stdout
    assert expected.count(b"\n") == 3  # header, ADEIGUS, GOAL

    failures: list[str] = []
    runs = [0]
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            result = subprocess.run(QUERY, env=env, capture_output=True, check=False)
            runs[0] += 1
            if result.returncode != 0 or result.stdout != expected or result.stderr:
                failures.append(f"exit {result.returncode}: {result.stderr.decode()[:300]}")

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    during: list[int] = []  # the queries finished while each write ran
    try:
        extra = tmp_path / "extra.ttl"
        eche = Path(__file__).parent / "data" / "imports" / "destinations.csv"
        before = runs[0]
        imported = subprocess.run(
            [SCRIPT, "import", "eche", str(eche)], env=env, capture_output=True, check=False
        )
        assert imported.returncode == 0, imported.stderr.decode()
        during.append(runs[0] - before)
        for i in range(rebuilds):  # each load makes a new build beside the old one and switches readers over
            lines = "".join(
                f"<https://example.org/s{i}-{n}> <https://example.org/p> {n} .\n" for n in range(2000)
            )
            extra.write_text(lines, encoding="utf-8")
            before = runs[0]
            loaded = subprocess.run([SCRIPT, "load", str(extra)], env=env, capture_output=True, check=False)
            assert loaded.returncode == 0, loaded.stderr.decode()
            during.append(runs[0] - before)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"{runs[0]} queries by {readers} processes during an import and {rebuilds} rebuilds: {during}")
    assert failures == []
    assert runs[0] >= readers
    assert all(n > 0 for n in during), during  # the readers ran across every write
    builds = list((store_copy / "builds").iterdir())
    assert len(builds) <= 3  # old builds are collected once no reader holds them
