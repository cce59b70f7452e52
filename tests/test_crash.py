"""`erasmus-kg load` killed (SIGKILL) at random moments: the store holds the old or the new complete content,
queries work right after, and the next run recovers by itself (no stale temporary builds or locks).

The default run kills 5 times and imports a generated export of 1,000 projects; the slow run (`pytest -m
slow`, tests/budget.py) kills 20 times and imports 3,000; ERASMUS_KG_CRASH_KILLS=N sets the count of kills.

What is killed, and the run after the kills that must recover, are real `erasmus-kg` processes; the checks in
between (the graph's size, removing an import) run the same commands in-process through click's CliRunner,
which reads the store on disk as a new process would, without a process start each time. Each test starts
from a copy of the session store (`store_copy`)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli

from .budget import examples
from .import_helpers import ECHE, bench_generator

SCRIPT = str(Path(sys.executable).parent / "erasmus-kg")
KILLS = int(os.environ.get("ERASMUS_KG_CRASH_KILLS", str(examples(5, 20))))
GRAPH = "https://w3id.org/erasmus-kg/graph/file/data.ttl"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def write(path: Path, tag: str, triples: int) -> None:
    path.write_text(
        "".join(f"<https://example.org/{tag}/{n}> <https://example.org/p> {n} .\n" for n in range(triples)),
        encoding="utf-8",
    )


def erasmus(store: Path, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ERASMUS_KG_STORE": str(store)}
    return subprocess.run([SCRIPT, *args], env=env, capture_output=True, text=True, input=input, check=False)


def in_process(store: Path, *args: str, input: str | None = None) -> str:
    """An `erasmus-kg` command on `store` through CliRunner; its stdout (it must succeed)."""
    result = CliRunner().invoke(cli, ["--store", str(store), *args], input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def count(store: Path, query: str) -> int:
    return int(in_process(store, "sparql", "-", "--format", "csv", input=query).split()[1])


def graph_size(store: Path) -> int:
    return count(store, COUNT)


def test_killed_loads_leave_old_or_new_content(tmp_path: Path, store_copy: Path) -> None:
    store = store_copy
    data = tmp_path / "data.ttl"
    write(data, "old", 5_000)
    in_process(store, "load", str(data))
    sizes = {5_000}
    rng = random.Random(20261127)
    # how long one load takes here, to spread the kills over it
    write(data, "new0", 20_000)
    start = time.monotonic()
    assert erasmus(store, "load", str(data)).returncode == 0
    duration = time.monotonic() - start
    sizes.add(20_000)
    survived = interrupted = 0
    for kill in range(1, KILLS + 1):
        triples = rng.choice([5_000, 20_000, 30_000])
        write(data, f"new{kill}", triples)
        env = {**os.environ, "ERASMUS_KG_STORE": str(store)}
        process = subprocess.Popen(
            [SCRIPT, "load", str(data)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.0, duration * 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished = process.returncode == 0
        interrupted += process.returncode == -signal.SIGKILL
        size = graph_size(store)  # queries work at once, on the old or the new build
        assert size in sizes | {triples}, (kill, size)
        if finished:
            assert size == triples
        survived += 1
        sizes = {size}
    # the next run recovers by itself and leaves nothing behind
    write(data, "final", 1_000)
    assert erasmus(store, "load", str(data)).returncode == 0
    assert graph_size(store) == 1_000
    leftovers = [p.name for p in (store / "builds").iterdir() if p.name.endswith((".tmp", ".del"))]
    assert leftovers == []
    assert survived == KILLS
    assert interrupted >= 1  # kills land while the load runs (how many depends on the machine's load)


@pytest.mark.parametrize("when", ["before-switch", "after-switch"])
def test_a_kill_around_the_switch(tmp_path: Path, store_copy: Path, when: str) -> None:
    """Stop the writer just before or just after the pointer switch, where a crash is most delicate."""
    store = store_copy
    data = tmp_path / "data.ttl"
    write(data, "old", 100)
    in_process(store, "load", str(data))
    write(data, "new", 200)
    code = f"""
import os, signal
from erasmus_kg.store import builds as s
original = s.EmbeddedStore._write_pointer
def write_pointer(self, bid):
    if {when!r} == "before-switch":
        os.kill(os.getpid(), signal.SIGKILL)
    original(self, bid)
    os.kill(os.getpid(), signal.SIGKILL)
s.EmbeddedStore._write_pointer = write_pointer
from erasmus_kg.cli import main
main(["load", {str(data)!r}])
"""
    env = {**os.environ, "ERASMUS_KG_STORE": str(store)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    assert result.returncode == -signal.SIGKILL
    assert graph_size(store) == (100 if when == "before-switch" else 200)
    assert erasmus(store, "load", str(data)).returncode == 0
    assert graph_size(store) == 200
    assert [p.name for p in (store / "builds").iterdir() if p.name.endswith((".tmp", ".del"))] == []


IMPORT_KILLS = KILLS if "ERASMUS_KG_CRASH_KILLS" in os.environ else examples(4, 8)
IMPORT_PROJECTS = examples(1_000, 3_000)


def generated_export(path: Path, projects: int) -> Path:
    """A generated Project Results export (bench/generate.py)."""
    bench_generator().generate(path, projects, seed=11)
    return path


def wait_for_group(pgid: int, timeout: float = 20.0) -> bool:
    """Whether every process of the group (the killed import and its validation workers) is gone in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(pgid, signal.SIGKILL)
    return False


@pytest.mark.parametrize("kind", ["eche", "prp"])
def test_killed_imports_leave_no_half_import(tmp_path: Path, store_copy: Path, kind: str) -> None:
    """`erasmus-kg import` killed at random moments (reading, validating in worker processes, loading): the
    import's graph is absent or complete, no worker outlives the import, and the next import succeeds."""
    store = store_copy
    source = ECHE if kind == "eche" else generated_export(tmp_path / "generated.csv", IMPORT_PROJECTS)
    imported = f"https://w3id.org/erasmus-kg/graph/import/{source.name}"
    in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{imported}> {{ ?s ?p ?o }} }}"
    start = time.monotonic()
    done = erasmus(store, "import", kind, str(source))
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - start
    complete = count(store, in_graph)
    in_process(store, "remove", source.name)
    rng = random.Random(7)
    outcomes = []
    for _ in range(IMPORT_KILLS):
        env = {**os.environ, "ERASMUS_KG_STORE": str(store)}
        process = subprocess.Popen(
            [SCRIPT, "import", kind, str(source)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert wait_for_group(process.pid), "a validation worker outlived the killed import"
        size = count(store, in_graph)
        assert size in (0, complete)
        outcomes.append(size == complete)
        if size:
            in_process(store, "remove", source.name)
    assert erasmus(store, "import", kind, str(source)).returncode == 0
    assert [p.name for p in (store / "builds").iterdir() if p.name.endswith((".tmp", ".del"))] == []
    assert list((store / "imports.tmp").iterdir()) == []  # what killed imports left is gone
    empty, whole = outcomes.count(False), outcomes.count(True)
    print(f"{IMPORT_KILLS} kills of import {kind}: {empty} left nothing, {whole} complete")
