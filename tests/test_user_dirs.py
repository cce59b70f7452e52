"""The user's directories (erasmus_kg.user_dirs) are where platformdirs puts them, with and without the XDG
variables, blank ones included; the default store lives in the data directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import platformdirs
import pytest

from erasmus_kg.store.builds import default_store_root
from erasmus_kg.user_dirs import user_dir

VALUES = [None, "", "   ", "/tmp/elsewhere", "relative/dir"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize(
    ("kind", "variable", "expected"),
    [
        ("data", "XDG_DATA_HOME", platformdirs.user_data_dir),
        ("cache", "XDG_CACHE_HOME", platformdirs.user_cache_dir),
    ],
)
def test_the_directories_are_platformdirs(
    kind: Literal["data", "cache"],
    variable: str,
    expected: Callable[[str], str],
    value: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if value is None:
        monkeypatch.delenv(variable, raising=False)
    else:
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("ERASMUS_KG_STORE", raising=False)
    assert user_dir(kind) == Path(expected("erasmus-kg"))
    assert default_store_root() == Path(platformdirs.user_data_dir("erasmus-kg")) / "store"


def test_the_store_variable_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(tmp_path / "mine"))
    assert default_store_root() == tmp_path / "mine"
