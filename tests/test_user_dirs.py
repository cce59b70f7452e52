"""The user's directories (erasmus_kg.user_dirs) are where platformdirs puts them, with and without the XDG
variables, blank ones included; the default store lives in the data directory."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from erasmus_kg.store.builds import default_store_root
from erasmus_kg.user_dirs import user_dir

VALUES = [None, "", "   ", "/tmp/elsewhere", "relative/dir"]


@pytest.mark.parametrize("value", VALUES)
def test_the_data_directory_is_platformdirs(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", value)
    monkeypatch.delenv("ERASMUS_KG_STORE", raising=False)
    assert user_dir("data") == Path(platformdirs.user_data_dir("erasmus-kg"))
    assert default_store_root() == Path(platformdirs.user_data_dir("erasmus-kg")) / "store"


@pytest.mark.parametrize("value", VALUES)
def test_the_cache_directory_is_platformdirs(value: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", value)
    assert user_dir("cache") == Path(platformdirs.user_cache_dir("erasmus-kg"))


def test_the_store_variable_comes_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(tmp_path / "mine"))
    assert default_store_root() == tmp_path / "mine"
