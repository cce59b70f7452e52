"""Where erasmus-kg keeps a user's files: platformdirs' user data and cache directories for "erasmus-kg".

On Linux they are computed here as platformdirs computes them: `$XDG_DATA_HOME` or `$XDG_CACHE_HOME` when it
is an absolute path, as the XDG specification asks, else `~/.local/share` or `~/.cache`
(tests/test_user_dirs.py compares the two). Importing platformdirs costs a command 5 to 20 ms, more than many
a query on the embedded store. Elsewhere platformdirs says.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

APP = "erasmus-kg"

_XDG = {"data": ("XDG_DATA_HOME", "~/.local/share"), "cache": ("XDG_CACHE_HOME", "~/.cache")}


def user_dir(kind: Literal["data", "cache"]) -> Path:
    """The user's data or cache directory for erasmus-kg."""
    linux = sys.platform.startswith("linux")  # a variable: mypy checks both branches
    if linux:
        variable, fallback = _XDG[kind]
        base = Path(os.environ.get(variable, ""))
        return (base if base.is_absolute() else Path(fallback).expanduser()) / APP
    import platformdirs

    found = platformdirs.user_data_dir(APP) if kind == "data" else platformdirs.user_cache_dir(APP)
    return Path(found)
