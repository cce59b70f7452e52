"""What the benchmarks share: the machine they ran on, progress on stderr, Markdown tables, timed processes.

The scripts in bench/ import it (bench/ is `sys.path[0]` when one of them runs). The processes they time run
the modules in bench/children/, which do not import it: a child stands for something (the bare pyoxigraph
script, one import, one export), so it imports only what that thing imports.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from erasmus_kg.namespaces import GRAPH

BENCH = Path(__file__).resolve().parent
CHILDREN = BENCH / "children"
REPO = BENCH.parent
BENCH_GRAPH = GRAPH + "bench"
"""The named graph that query.py and export.py load the synthetic graph (synthetic.py) into."""


def child(name: str) -> str:
    """The path of bench/children/NAME.py, to run as `[sys.executable, child(NAME), args...]`."""
    path = CHILDREN / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"no child script {path}")
    return str(path)


def executable(name: str) -> str:
    """A command of the virtual environment (beside this Python), else from PATH; exits when neither has."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if not found:
        sys.exit(f"bench: no {name} beside this Python nor on PATH (run it with .venv/bin/python)")
    return found


def log(message: str, *, tag: str | None = None) -> None:
    """Progress to stderr, flushed at once (stdout holds only the report). `tag` prefixes it in brackets."""
    print(f"[{tag}] {message}" if tag else message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------------------------
# The machine


@dataclass(frozen=True)
class Machine:
    """Where a benchmark ran. Each script words its own sentence from these fields."""

    nproc: int | None
    """`os.cpu_count()`: the cores this process may see."""
    cpu: str
    """The model name from /proc/cpuinfo (else what `platform` knows, else "unknown")."""
    ram_gib: float | None
    """MemTotal from /proc/meminfo, in GiB; None when unknown."""
    python: str
    pyoxigraph: str
    erasmus_kg: str
    os: str
    """`platform.platform()`, e.g. Linux-6.1.0-...-x86_64-with-glibc2.36."""
    system: str
    """`platform.system()`, e.g. Linux."""
    release: str
    """`platform.release()`, e.g. 6.1.0-..."""
    load: str
    """The load average when this was read (1, 5 and 15 minutes)."""
    code: str
    """The commit, and which of queries/, src/, ontology/, data/ have uncommitted changes."""

    @property
    def ram(self) -> str:
        """RAM as "15.6 GiB", or "unknown"."""
        return "unknown" if self.ram_gib is None else f"{self.ram_gib:.1f} GiB"


def machine() -> Machine:
    """The machine as it is now (the load average included)."""
    import pyoxigraph

    from erasmus_kg import __version__

    return Machine(
        nproc=os.cpu_count(),
        cpu=_cpu_model(),
        ram_gib=_ram_gib(),
        python=platform.python_version(),
        pyoxigraph=pyoxigraph.__version__,
        erasmus_kg=__version__,
        os=platform.platform(),
        system=platform.system(),
        release=platform.release(),
        load=load_average(),
        code=code_version(),
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as "0.52 0.61 0.70"."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def code_version() -> str:
    """The commit, and which of queries/, src/, ontology/, data/ have uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "queries", "src", "ontology", "data"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    dirty = sorted({line[3:].split("/", 1)[0] for line in status.splitlines() if line[3:]})
    changes = f", uncommitted changes in {', '.join(d + '/' for d in dirty)}" if dirty else ""
    return f"commit {head}{changes}"


# ------------------------------------------------------------------------------------------------------------
# Tables and figures


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[bool]) -> str:
    """A Markdown table; `right[i]` aligns column i to the right (figures)."""
    if not len(header) == len(right) or any(len(row) != len(header) for row in rows):
        raise ValueError("every row and `right` must have as many cells as the header")
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("| " + " | ".join("---:" if r else "---" for r in right) + " |")
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def median_ms(values: Sequence[float]) -> float:
    """The median of seconds, in milliseconds."""
    return statistics.median(values) * 1000


# ------------------------------------------------------------------------------------------------------------
# Timed processes


class Timed(NamedTuple):
    """A command run to completion by `run_timed`."""

    wall: float
    """Seconds from start to exit."""
    out: bytes
    """What it wrote to standard output."""
    cpu: float
    """Seconds of CPU (user + system) it used: less sensitive than `wall` to other processes on the cores."""


def run_timed(cmd: Sequence[str], timeout: float | None = None) -> Timed:
    """Run a command to completion and time it (CPU from getrusage(RUSAGE_CHILDREN) before and after); a
    RuntimeError when it fails, or when it runs longer than `timeout` seconds (it is then killed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        proc = subprocess.run(list(cmd), capture_output=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(cmd)} was killed after {timeout:g} s") from None
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {proc.returncode}: {proc.stderr.decode(errors='replace').strip()}"
        )
    return Timed(elapsed, proc.stdout, cpu)


class Measured(NamedTuple):
    """A command run to completion by `run_measured`."""

    wall: float
    """Seconds from start to exit."""
    peak_mb: float
    """The largest resident set of the command and of the processes it started, in MiB."""
    cpu: float
    """Seconds of CPU (user + system) of the command and its descendants."""


def run_measured(cmd: Sequence[str]) -> Measured:
    """Run a command under a fresh wrapper process (bench/children/measured.py) for its peak memory.

    The peak is getrusage(RUSAGE_CHILDREN).ru_maxrss in the wrapper: it covers the command and every process
    it waited for. A fresh, small wrapper, because ru_maxrss of the children is the largest over all of them
    so far, and because Linux carries a process's resident set over fork and exec: a child forked from this
    process (which may have built a store) would report at least this process's size.
    """
    proc = subprocess.run(
        [sys.executable, child("measured"), *cmd], capture_output=True, check=False, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"bench/children/measured.py exited with {proc.returncode}: {proc.stderr.strip()}")
    figures = json.loads(proc.stdout)
    if figures["returncode"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {figures['returncode']}: {figures['stderr']}")
    return Measured(float(figures["wall_s"]), figures["peak_kb"] / 1024, float(figures["cpu_s"]))
