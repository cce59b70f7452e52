"""The store's locks: one writer at a time (exclusive, with a timeout); readers share a build's lock."""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from erasmus_kg.errors import StoreError, one_line

POLL_S = 0.05


@contextlib.contextmanager
def exclusive(path: Path, timeout: float, busy: str) -> Iterator[None]:
    """Hold an exclusive flock on `path` (created if missing), waiting at most `timeout` seconds; `busy` says
    who holds it in the error."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as e:
        raise StoreError(f"{path}: cannot open the lock ({one_line(e)})") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(f"{path}: {busy} (waited {timeout:g} s)") from None
                time.sleep(POLL_S)
        yield
    finally:
        os.close(fd)  # releases the lock


def try_exclusive(fd: int) -> bool:
    """Take an exclusive flock on the open file `fd` if nobody holds it; False if somebody does."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def shared(fd: int) -> None:
    """A shared flock on the open file `fd` (waits only while an exclusive holder finishes)."""
    fcntl.flock(fd, fcntl.LOCK_SH)
