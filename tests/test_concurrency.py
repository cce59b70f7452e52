"""Eight `erasmus-kg query` processes run in a loop while another process imports the ECHE list and rebuilds
the store again and again: no errors, no lock messages, always the complete answer."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

SCRIPT = str(Path(sys.executable).parent / "erasmus-kg")
QUERY = [SCRIPT, "query", "projects-by-country", "-p", "country=Lithuania", "--format", "csv", "--lang", "en"]


READERS = 8


def test_readers_never_see_an_error_or_a_partial_store(tmp_path: Path) -> None:
    env = {**os.environ, "ERASMUS_KG_STORE": str(tmp_path / "store")}
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

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        extra = tmp_path / "extra.ttl"
        eche = Path(__file__).parent / "data" / "imports" / "destinations.csv"
        imported = subprocess.run(
            [SCRIPT, "import", "eche", str(eche)], env=env, capture_output=True, check=False
        )
        assert imported.returncode == 0, imported.stderr.decode()
        for i in range(6):  # each load makes a new build beside the old one and switches readers over
            lines = "".join(
                f"<https://example.org/s{i}-{n}> <https://example.org/p> {n} .\n" for n in range(2000)
            )
            extra.write_text(lines, encoding="utf-8")
            loaded = subprocess.run([SCRIPT, "load", str(extra)], env=env, capture_output=True, check=False)
            assert loaded.returncode == 0, loaded.stderr.decode()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    print(f"{runs[0]} queries by {READERS} processes during an import and 6 rebuilds")
    assert failures == []
    assert runs[0] >= READERS
    builds = list((tmp_path / "store" / "builds").iterdir())
    assert len(builds) <= 3  # old builds are collected once no reader holds them
