"""The `store_copy` fixture (conftest.copy_store), where tests that change a store start: a copy of the
session store is the store a first build makes, complete and independent of the session store."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.store.default import DefaultStore


def _quads(root: Path) -> list[str]:
    with DefaultStore(root).open_reader() as reader:
        return sorted(str(q) for q in reader.quads_for_pattern(None, None, None, None))


def test_a_copy_is_up_to_date_and_holds_the_session_store(store_copy: Path, store_root: Path) -> None:
    session = DefaultStore(store_root).current_build()
    assert session is not None
    copy = DefaultStore(store_copy).ensure()  # nothing to rebuild: the same build, the same manifest
    assert (copy.id, copy.path, copy.created, copy.packaged, copy.graphs) == (
        session.id,
        store_copy / "builds" / session.id,
        session.created,
        session.packaged,
        session.graphs,
    )
    assert [p.name for p in (store_copy / "builds").iterdir()] == [session.id]
    assert _quads(store_copy) == _quads(store_root)


def test_a_change_to_a_copy_leaves_the_session_store_alone(
    store_copy: Path, store_root: Path, tmp_path: Path
) -> None:
    before = _quads(store_root)
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    loaded = CliRunner().invoke(cli, ["--store", str(store_copy), "load", str(extra)], catch_exceptions=False)
    assert loaded.exit_code == 0, loaded.output
    assert len(_quads(store_copy)) == len(before) + 1
    assert _quads(store_root) == before
