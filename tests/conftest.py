"""Shared fixtures: one embedded store with the packaged data per test session, copies of it for tests that
change a store, and a CLI runner."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.query.targets import StoreTarget, open_target
from erasmus_kg.store.default import DefaultStore

from . import budget
from .servers import OxigraphServer, oxigraph_server
from .web_server import WebServer, web_server

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regenerate-expected",
        action="store_true",
        help="Rewrite tests/expected/* from the current results (review the diff before committing).",
    )


def _selects_slow(markexpr: str) -> bool:
    """Whether a mark expression (`-m`, the last one given) asks for the slow tests: `slow`, `slow or server`,
    ... but not the default `not slow`."""
    return re.search(r"(?<!not )\bslow\b", markexpr) is not None


def pytest_configure(config: pytest.Config) -> None:
    if _selects_slow(config.option.markexpr):  # before collection: test modules read budget.THOROUGH
        budget.THOROUGH = True


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slow run also runs every property test, with its full count of examples (tests/budget.py)."""
    if _selects_slow(config.option.markexpr):
        for item in items:
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
                item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def regenerate(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerate-expected"))


@pytest.fixture(autouse=True)
def _fresh_web_cache() -> Iterator[None]:
    """Each test starts without the web front's per-build values: the session store keeps one build, and a
    test may change how pages are made (rows per page)."""
    yield
    from erasmus_kg.web.per_build import KEPT

    KEPT.clear()


@pytest.fixture(scope="session")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the packaged ontology and data (read-only: tests that change a store take a
    `store_copy`)."""
    root = tmp_path_factory.mktemp("store")
    DefaultStore(root).ensure()
    shutil.copytree(root, _as_built(tmp_path_factory))  # before any test opens it
    return root


def _as_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "store-as-built"


@pytest.fixture(scope="session")
def copy_store(store_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """`copy_store(root)` makes `root` a store of its own, as a first build on an empty root leaves it: a copy
    of the session store as it was built (~50 ms, where a build takes seconds). It is a complete store (the
    same build, manifest and derived files; its own files and locks, nothing shared with the session store)
    and `ensure` finds it up to date (tests/test_store_copy.py). Tests about the first build itself start from
    an empty root instead."""
    as_built = _as_built(tmp_path_factory)

    def copy(root: Path) -> Path:
        shutil.copytree(as_built, root)
        return root

    return copy


@pytest.fixture
def store_copy(copy_store: Callable[[Path], Path], tmp_path: Path) -> Path:
    """`tmp_path / "store"`, a copy of the session store for a test that changes it (see `copy_store`)."""
    return copy_store(tmp_path / "store")


@pytest.fixture
def target(store_root: Path) -> Iterator[StoreTarget]:
    with open_target(store_root) as opened:
        yield opened


@pytest.fixture(scope="session")
def imported_store(tmp_path_factory: pytest.TempPathFactory, copy_store: Callable[[Path], Path]) -> Path:
    """A store (read-only) with the brochure, the sample export, 400 generated projects (call years,
    countries, long lists) and a predecessor programme's list (actions without codes): the imported graph the
    index tests hold the SPARQL to."""
    from erasmus_kg.importing.run import import_file

    from .import_helpers import DATA, SAMPLE, bench_generator

    root = copy_store(tmp_path_factory.mktemp("imported") / "store")
    export = tmp_path_factory.mktemp("export") / "generated.csv"
    bench_generator().generate(export, 400, seed=21)
    import_file("prp", SAMPLE, root=root, progress=False)
    import_file("prp", export, root=root, progress=False, on_error="skip", report=lambda _: None)
    lifelong_learning = DATA / "layouts" / "LifeLongLearning_Projects_Overview.csv"
    import_file("prp", lifelong_learning, root=root, progress=False)
    return root


@pytest.fixture(scope="module", params=["brochure", "imported"])
def either_target(
    request: pytest.FixtureRequest, store_root: Path, imported_store: Path
) -> Iterator[StoreTarget]:
    """The brochure store, then `imported_store`, each with its search index."""
    with open_target(store_root if request.param == "brochure" else imported_store) as opened:
        assert opened.search is not None and opened.search.organisations.available
        yield opened


@pytest.fixture
def runner(store_root: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner on the session store, with a fixed label language."""
    monkeypatch.setenv("ERASMUS_KG_STORE", str(store_root))
    monkeypatch.setenv("ERASMUS_KG_LANG", "en")
    monkeypatch.delenv("COLUMNS", raising=False)  # tables to the runner have no width limit
    return CliRunner()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as running:
        yield running


@pytest.fixture(scope="session")
def loaded(server: OxigraphServer, store_root: Path) -> OxigraphServer:
    result = CliRunner().invoke(
        cli,
        ["--store", str(store_root), "load", "--endpoint", f"{server.base}/store"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return server


@pytest.fixture(scope="session")
def web(store_root: Path) -> Iterator[WebServer]:
    """A real `erasmus-kg serve` on the session store (read-only: tests that change the store start their
    own with `web_server`)."""
    with web_server(store_root) as running:
        yield running


@pytest.fixture
def web_client(store_root: Path) -> Iterator[Any]:
    """The application in-process (Starlette's TestClient) on the session store: for the many small checks
    that need no real server."""
    from starlette.testclient import TestClient

    from erasmus_kg.web.app import create_app
    from erasmus_kg.web.config import ServeConfig

    with TestClient(create_app(ServeConfig(store=store_root)), follow_redirects=False) as client:
        yield client
