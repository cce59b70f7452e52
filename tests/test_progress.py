"""The terminal progress meter (`erasmus_kg.progress`): shown on a terminal only, unless forced; rich is not
imported when nothing is shown."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from erasmus_kg.progress import Meter

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
        "import io, sys; from erasmus_kg.progress import Meter; "
        "Meter('x', stream=io.StringIO()).done(); print('rich' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"
