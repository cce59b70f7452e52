"""The terminal progress meter and steps (`erasmus_kg.progress`): shown on a terminal only, unless forced;
rich is not imported when nothing is shown."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from erasmus_kg.importing.removal import remove_source
from erasmus_kg.importing.run import import_file
from erasmus_kg.progress import Meter, Steps, how_many, step

from .import_helpers import ECHE

_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _last_line(stream: io.StringIO) -> str:
    """The line as the terminal shows it last: ANSI control sequences removed, the last redraw."""
    return _CONTROL.sub("", stream.getvalue()).rstrip("\n").rsplit("\r", 1)[-1]


def test_progress_shows_rows_per_second_on_a_terminal_only() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Meter("import prp x.csv", stream=stream) as meter:
            for _ in meter.track(range(300)):
                pass
        assert meter.count == 300
    assert pipe.getvalue() == ""
    assert _last_line(terminal).startswith("import prp x.csv: 300 rows, ")
    assert " rows/s " in _last_line(terminal)
    assert terminal.getvalue().endswith("\n" + "\x1b[?25h")  # the line stays, the cursor is shown again


def test_a_byte_meter_counts_what_is_read_through_it() -> None:
    terminal = _Terminal()
    body = io.BytesIO(b"x" * 3_000_000)
    with Meter("graph", unit="bytes", total=3_000_000, stream=terminal) as meter:
        reader = meter.reader(body)
        read = b"".join(iter(lambda: reader.read(1 << 20), b""))
    assert read == b"x" * 3_000_000
    assert meter.count == 3_000_000
    assert "3.0/3.0 MB" in _last_line(terminal)
    assert "100%" in _last_line(terminal)


def test_a_meter_can_be_forced_on_or_off() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    Meter("hidden", stream=terminal, enabled=False).done()
    with Meter("forced", stream=pipe, enabled=True) as meter:
        meter.advance(5)
    assert terminal.getvalue() == ""
    assert _last_line(pipe).startswith("forced: 5 rows, ")


def test_rich_is_imported_only_when_a_meter_is_shown() -> None:
    code = (
        "import io, sys; from erasmus_kg.progress import Meter, Steps, step; "
        "Meter('x', stream=io.StringIO()).done(); "
        "steps = Steps(stream=io.StringIO()); steps.__enter__(); step('y').__enter__(); "
        "print('rich' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def _lines(stream: io.StringIO) -> list[str]:
    """The lines the terminal keeps: each redraw's last state, control sequences removed."""
    text = _CONTROL.sub("", stream.getvalue())
    return [line.rsplit("\r", 1)[-1].rstrip() for line in text.split("\n") if line.strip()]


def test_steps_are_lines_with_their_time_on_a_terminal_only() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        with Steps(stream=stream) as steps:
            with step("loading 1 graph"):
                pass
            with step("building the search index"):
                pass
        assert steps.done == ["loading 1 graph", "building the search index"]
    assert pipe.getvalue() == ""
    shown = [line for line in _lines(terminal) if line.startswith("✓")]
    assert shown == ["✓ loading 1 graph 0:00:00", "✓ building the search index 0:00:00"]


def test_a_step_outside_steps_shows_nothing_and_a_failed_step_ends_its_line_with_a_cross() -> None:
    with step("nobody shows this"):
        pass
    terminal = _Terminal()
    with pytest.raises(ValueError, match="bad"), Steps(stream=terminal) as steps, step("failing"):
        raise ValueError("bad")
    assert steps.done == ["failing"]
    assert "✗ failing 0:00:00" in _lines(terminal)
    with step("after the steps: nothing"):  # the Steps context is over
        pass
    assert steps.done == ["failing"]


def test_a_meter_between_two_steps_is_drawn_too() -> None:
    terminal = _Terminal()
    with Steps(stream=terminal):
        with step("first"):
            pass
        with Meter("import prp x.csv", stream=terminal) as meter:  # rich draws one display at a time
            meter.advance(3)
        with step("second"):
            pass
    lines = _lines(terminal)
    assert "✓ first 0:00:00" in lines and "✓ second 0:00:00" in lines
    assert any(line.startswith("import prp x.csv: 3 rows, ") for line in lines)


def test_an_import_and_a_removal_name_their_steps_in_order(store_copy: Path) -> None:
    with Steps(enabled=False) as steps:
        import_file("eche", ECHE, root=store_copy, progress=False)
    assert steps.done == [
        "validating against the shapes",
        "copying the current build",
        "loading 1 graph",
        "indexing the names",
        "deriving the facts of 1 graph",
        "building the search index",
        "ordering the lists",
        "loading 2 derived graphs",
        "compacting the store",
    ]
    with Steps(enabled=False) as steps:  # a removal copies what stays and loads only store-wide graphs
        remove_source(store_copy, ECHE.name)
    assert steps.done == [
        "copying 9 graphs of the current build",
        "indexing the names",
        "building the search index",
        "ordering the lists",
        "loading 2 derived graphs",
    ]
    assert (how_many(1, "graph"), how_many(12_000, "row")) == ("1 graph", "12,000 rows")
