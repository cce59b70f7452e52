"""The embedded store's lifecycle: builds, the pointer switch, readers, writers, killed writers, GC."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from erasmus_kg.errors import InputFileError, StoreError, UsageError
from erasmus_kg.namespaces import GRAPH
from erasmus_kg.rdf_files import rdf_format
from erasmus_kg.store import manifest as store_module
from erasmus_kg.store.builds import EmbeddedStore, Source, default_store_root

G_A = GRAPH + "test-a"
G_B = GRAPH + "test-b"
G_IMP = GRAPH + "test-import"
G_BIG = GRAPH + "test-big"
UNION_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


# ------------------------------------------------------------------------------------------------------------
# Helpers


def write_ttl(path: Path, n: int, tag: str = "x") -> Path:
    lines = ["@prefix ex: <http://example.org/> ."]
    lines += [f'ex:{tag}{i} ex:p "{tag} {i}" .' for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_nq(path: Path, n: int, tag: str = "q", graph: str | None = None) -> Path:
    g = f" <{graph}>" if graph else ""
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(f'<http://example.org/{tag}{i // 8}> <http://example.org/p{i % 8}> "{tag} {i}"{g} .\n')
    return path


def counts(store: EmbeddedStore) -> dict[str, int]:
    with store.open_reader() as r:
        return {str(row["g"].value): int(row["n"].value) for row in r.query(PER_GRAPH)}


def union_count(store: EmbeddedStore) -> int:
    with store.open_reader() as r:
        return int(next(iter(r.query(UNION_COUNT, use_default_graph_as_union=True)))[0].value)


def build_dirs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "builds").iterdir())


@pytest.fixture
def packaged(tmp_path: Path) -> list[Source]:
    src = tmp_path / "src"
    src.mkdir()
    return [
        Source(G_A, write_ttl(src / "a.ttl", 3, "a"), "turtle"),
        Source(G_B, write_ttl(src / "b.ttl", 5, "b"), "turtle"),
    ]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "deep" / "store-root"  # missing parents are created


def child_env() -> dict[str, str]:
    return dict(os.environ)


# ------------------------------------------------------------------------------------------------------------
# ensure


def test_first_ensure_builds_each_source_into_its_graph(root: Path, packaged: list[Source]) -> None:
    store = EmbeddedStore(root)
    assert store.current_build() is None
    assert store.graphs() == []

    build = store.ensure(packaged)

    assert counts(store) == {G_A: 3, G_B: 5}
    assert union_count(store) == 8
    assert {g: info.triples for g, info in build.graphs.items()} == {G_A: 3, G_B: 5}
    assert build.triples == 8
    assert (root / "current").read_text() == build.id + "\n"
    assert build_dirs(root) == [build.id]
    assert sorted(p.name for p in build.path.iterdir()) == ["db", "manifest.json", "reader.lock"]
    assert build.db_path == root / "builds" / build.id / "db"
    info = store.graphs()
    assert [g.iri for g in info] == [G_A, G_B]
    assert info[0].source == str(packaged[0].path)
    assert info[0].format == "turtle"
    assert info[0].packaged is True
    assert info[0].hash.startswith("blake2b:")
    assert info[0].hash == store_module.hash_file(packaged[0].path)
    assert info[0].loaded.endswith("Z")
    assert info[0].metadata == {}
    assert store.current_build() == build
    manifest = json.loads((build.path / "manifest.json").read_text())
    assert manifest["layout"] == store_module.LAYOUT
    assert manifest["packaged"] == [[s.graph, s.format, store_module.hash_file(s.path)] for s in packaged]


def test_second_ensure_with_unchanged_files_opens_no_store(
    root: Path, packaged: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(root)
    first = store.ensure(packaged)

    def no_store(*args: object, **kwargs: object) -> None:
        raise AssertionError("ensure() opened a Store on the no-op path")

    monkeypatch.setattr(store_module.ox, "Store", no_store)
    again = EmbeddedStore(root).ensure(packaged)
    assert again.id == first.id
    assert again == first
    assert build_dirs(root) == [first.id]


def test_changed_content_rebuilds_and_keeps_imported_graphs(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    first = store.ensure(packaged)
    imported = store.replace_graphs(
        {G_IMP: Source(G_IMP, write_nq(tmp_path / "imp.nq", 40), "nquads")},
        packaged=packaged,
        metadata={"command": "import"},
    )
    assert imported.id != first.id
    assert counts(store) == {G_A: 3, G_B: 5, G_IMP: 40}

    write_ttl(packaged[0].path, 4, "a")  # new content for graph A
    rebuilt = store.ensure(packaged)
    assert rebuilt.id != imported.id
    assert counts(store) == {G_A: 4, G_B: 5, G_IMP: 40}
    assert rebuilt.graphs[G_IMP] == imported.graphs[G_IMP]  # carried over, not reloaded
    assert rebuilt.graphs[G_IMP].metadata == {"command": "import"}
    assert rebuilt.graphs[G_B] == imported.graphs[G_B]
    assert rebuilt.graphs[G_A].triples == 4
    assert store.ensure(packaged).id == rebuilt.id

    only_a = store.ensure(packaged[:1])  # a packaged graph no longer listed is dropped
    assert counts(store) == {G_A: 4, G_IMP: 40}
    assert sorted(only_a.graphs) == [G_A, G_IMP]
    assert build_dirs(root) == [only_a.id]  # old builds collected


def test_same_size_content_change_is_seen_even_with_stat_cache(
    root: Path, packaged: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "RACY_WINDOW_NS", 0)  # trust every stat record
    hashed: list[str] = []
    real_hash = store_module.hash_file
    monkeypatch.setattr(store_module, "hash_file", lambda p: hashed.append(str(p)) or real_hash(p))
    store = EmbeddedStore(root)
    first = store.ensure(packaged)
    hashed.clear()
    assert store.ensure(packaged).id == first.id
    assert hashed == []  # answered from (dev, inode, size, mtime, ctime)

    time.sleep(0.02)
    text = packaged[1].path.read_text()
    packaged[1].path.write_text(text.replace('"b 0"', '"b 9"'))  # same size, new content
    assert packaged[1].path.stat().st_size == len(text)
    second = store.ensure(packaged)
    assert second.id != first.id
    assert set(hashed) == {str(packaged[1].path.absolute())}  # A was not hashed again
    with store.open_reader() as r:
        assert r.contains_named_graph(ox.NamedNode(G_B))
        objects = {q.object.value for q in r.quads_for_pattern(None, None, None, ox.NamedNode(G_B))}
    assert "b 9" in objects
    assert "b 0" not in objects


def test_clone_strategy_chained_builds_keep_exact_counts(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    # A clone (backup + transactional drop) made from a clone: every build must be flushed before it is
    # published, or the next backup would miss the drops that stayed in the write-ahead log.
    store = EmbeddedStore(root)
    store.ensure(packaged)
    b1 = store.replace_graphs(
        {G_IMP: Source(G_IMP, write_nq(tmp_path / "imp.nq", 400), "nquads")}, packaged=packaged
    )
    assert b1.strategy == "clone"  # nothing dropped
    for n in (6, 7, 2):
        write_ttl(packaged[0].path, n, "a")
        build = store.ensure(packaged)
        assert build.strategy == "clone"  # dropping a few triples is cheaper than copying 400
        assert counts(store) == {G_A: n, G_B: 5, G_IMP: 400}
    removed = store.replace_graphs({G_IMP: None}, packaged=packaged)
    assert removed.strategy == "fresh"  # dropping 400 costs more than copying 7
    assert counts(store) == {G_A: 2, G_B: 5}


# ------------------------------------------------------------------------------------------------------------
# replace_graphs


def test_replace_graphs_replaces_a_graph_as_a_whole(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    source = Source(G_IMP, write_nq(tmp_path / "imp.nq", 24), "nquads")
    once = store.replace_graphs({G_IMP: source}, packaged=packaged, metadata={"n": 1})
    twice = store.replace_graphs({G_IMP: source}, packaged=packaged, metadata={"n": 2})
    assert twice.id != once.id
    assert counts(store) == {G_A: 3, G_B: 5, G_IMP: 24}
    assert twice.graphs[G_IMP].metadata == {"n": 2}
    assert twice.graphs[G_IMP].packaged is False
    assert twice.graphs[G_IMP].source == str(source.path)

    smaller = Source(G_IMP, write_ttl(tmp_path / "imp.ttl", 2, "s"), "turtle")
    store.replace_graphs({G_IMP: smaller}, packaged=packaged)
    assert counts(store) == {G_A: 3, G_B: 5, G_IMP: 2}

    gone = store.replace_graphs({G_IMP: None}, packaged=packaged)
    assert counts(store) == {G_A: 3, G_B: 5}
    assert sorted(gone.graphs) == [G_A, G_B]
    assert build_dirs(root) == [gone.id]
    assert store.replace_graphs({G_IMP: None}, packaged=packaged).id == gone.id  # nothing to do


def test_quad_files_load_default_graph_quads_into_the_named_graph(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    path = tmp_path / "mixed.nq"
    write_nq(path, 3, "d")
    with path.open("a") as f:
        f.write(f'<http://example.org/t> <http://example.org/p> "in target" <{G_IMP}> .\n')
    trig = tmp_path / "g.trig"
    trig.write_text('<http://example.org/s> <http://example.org/p> "one" .\n')
    store.replace_graphs(
        {G_IMP: Source(G_IMP, path, "nquads"), G_BIG: Source(G_BIG, trig, "trig")}, packaged=packaged
    )
    assert counts(store) == {G_A: 3, G_B: 5, G_IMP: 4, G_BIG: 1}


def test_quads_in_another_graph_are_refused_and_change_nothing(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    before = store.ensure(packaged)
    path = write_nq(tmp_path / "elsewhere.nq", 3, "e", graph=G_A)
    with pytest.raises(InputFileError) as err:
        store.replace_graphs({G_IMP: Source(G_IMP, path, "nquads")}, packaged=packaged)
    assert str(err.value).startswith(f"{path}: a quad is in graph <{G_A}>")
    assert store.current_build() == before
    assert counts(store) == {G_A: 3, G_B: 5}
    assert build_dirs(root) == [before.id]


def test_a_syntax_error_names_the_file_and_line(root: Path, packaged: list[Source], tmp_path: Path) -> None:
    store = EmbeddedStore(root)
    before = store.ensure(packaged)
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:p "unterminated .\n')
    with pytest.raises(InputFileError) as err:
        store.replace_graphs({G_IMP: Source(G_IMP, bad, "turtle")}, packaged=packaged)
    assert err.value.path == str(bad)
    assert err.value.line == 2
    assert "\n" not in str(err.value)
    assert store.current_build() == before
    assert build_dirs(root) == [before.id]


def test_packaged_graphs_cannot_be_replaced_and_sources_are_checked(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    other = Source(G_A, write_ttl(tmp_path / "x.ttl", 1), "turtle")
    with pytest.raises(StoreError, match="holds packaged data"):
        store.replace_graphs({G_A: other}, packaged=packaged)
    with pytest.raises(StoreError, match="given for graph"):
        store.replace_graphs({G_IMP: other}, packaged=packaged)
    with pytest.raises(StoreError, match="given twice"):
        store.ensure([*packaged, Source(G_A, other.path, "turtle")])
    with pytest.raises(UsageError, match="unknown RDF format 'n3'"):
        Source(G_IMP, other.path, "n3")
    with pytest.raises(UsageError, match="not a valid graph IRI"):
        Source("not an iri", other.path, "turtle")
    with pytest.raises(InputFileError, match="no such file"):
        store.replace_graphs({G_IMP: Source(G_IMP, tmp_path / "missing.nq", "nquads")}, packaged=packaged)
    assert rdf_format(Path("x/y.NQ")) == "nquads"
    assert rdf_format(Path("y.ttl")) == "turtle"
    with pytest.raises(InputFileError, match="cannot tell the RDF format"):
        rdf_format(Path("y.csv"))


# ------------------------------------------------------------------------------------------------------------
# Errors and recovery


def test_a_root_that_is_a_file_is_a_store_error(tmp_path: Path, packaged: list[Source]) -> None:
    file_root = tmp_path / "file"
    file_root.write_text("not a directory")
    with pytest.raises(StoreError) as err:
        EmbeddedStore(file_root).ensure(packaged)
    assert str(err.value) == f"{file_root}: the store root is not a directory"
    with pytest.raises(StoreError, match="not a directory"):
        EmbeddedStore(file_root).current_build()
    under_file = file_root / "store"
    with pytest.raises(StoreError) as err:
        EmbeddedStore(under_file).ensure(packaged)
    assert str(err.value).startswith(f"{under_file}: cannot create the store directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_a_root_that_is_not_writable_is_a_store_error(tmp_path: Path, packaged: list[Source]) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError, match=r"not writable|cannot create"):
            EmbeddedStore(locked).ensure(packaged)
    finally:
        locked.chmod(0o700)


def test_a_corrupt_pointer_is_reported_then_rebuilt_by_ensure(root: Path, packaged: list[Source]) -> None:
    store = EmbeddedStore(root)
    first = store.ensure(packaged)
    (root / "current").write_text("../../etc\n")
    for call in (store.current_build, store.graphs):
        with pytest.raises(StoreError) as err:
            call()
        assert str(err.value).startswith(f"{root / 'current'}: corrupt store pointer")
    with pytest.raises(StoreError, match="corrupt store pointer"), store.open_reader():
        pass
    rebuilt = store.ensure(packaged)
    assert rebuilt.id != first.id
    assert counts(store) == {G_A: 3, G_B: 5}
    assert build_dirs(root) == [rebuilt.id]


def test_a_corrupt_manifest_is_reported_then_rebuilt_by_ensure(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    store.ensure(packaged)
    build = store.replace_graphs(
        {G_IMP: Source(G_IMP, write_nq(tmp_path / "i.nq", 4), "nquads")}, packaged=packaged
    )
    manifest = build.path / "manifest.json"
    manifest.write_text("{not json")
    with pytest.raises(StoreError) as err:
        store.current_build()
    assert str(err.value).startswith(f"{manifest}: corrupt manifest")
    assert "\n" not in str(err.value)
    rebuilt = store.ensure(packaged)  # imported graphs of an unreadable build are lost
    assert rebuilt.id != build.id
    assert counts(store) == {G_A: 3, G_B: 5}


def test_a_pointer_to_a_missing_build_is_reported_then_rebuilt(root: Path, packaged: list[Source]) -> None:
    store = EmbeddedStore(root)
    first = store.ensure(packaged)
    (root / "current").write_text("20990101T000000-1-abcdef\n")
    with pytest.raises(StoreError, match="which is missing"), store.open_reader():
        pass
    with pytest.raises(StoreError, match="which is missing"):
        store.current_build()
    rebuilt = store.ensure(packaged)
    assert rebuilt.id not in (first.id, "20990101T000000-1-abcdef")
    assert counts(store) == {G_A: 3, G_B: 5}


def test_an_unreadable_current_db_is_rebuilt_by_ensure(root: Path, packaged: list[Source]) -> None:
    store = EmbeddedStore(root)
    first = store.ensure(packaged)
    for path in first.db_path.iterdir():  # wreck the RocksDB files
        path.write_bytes(b"garbage")
    write_ttl(packaged[0].path, 2, "a")
    rebuilt = store.ensure(packaged)
    assert rebuilt.id != first.id
    assert counts(store) == {G_A: 2, G_B: 5}


def test_the_write_lock_times_out_with_a_store_error(root: Path, packaged: list[Source]) -> None:
    EmbeddedStore(root).ensure(packaged)
    fd = os.open(root / "write.lock", os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another open file description: conflicts like another process
    try:
        store = EmbeddedStore(root, lock_timeout=0.2)
        with pytest.raises(StoreError) as err:
            store.replace_graphs({G_IMP: None, G_BIG: None}, packaged=packaged[:1])
        assert str(err.value) == f"{root / 'write.lock'}: another process is writing the store (waited 0.2 s)"
        assert store.ensure(packaged).triples == 8  # the no-op path takes no lock
    finally:
        os.close(fd)


def test_default_store_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ERASMUS_KG_STORE", str(tmp_path / "elsewhere"))
    assert default_store_root() == tmp_path / "elsewhere"
    assert EmbeddedStore().root == tmp_path / "elsewhere"
    monkeypatch.delenv("ERASMUS_KG_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_root() == tmp_path / "xdg" / "erasmus-kg" / "store"


# ------------------------------------------------------------------------------------------------------------
# Readers and garbage collection


def test_a_build_held_by_a_reader_is_not_collected(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    old = store.ensure(packaged)
    with store.open_reader() as reader:
        new = store.replace_graphs(
            {G_IMP: Source(G_IMP, write_nq(tmp_path / "i.nq", 16), "nquads")}, packaged=packaged
        )
        assert build_dirs(root) == sorted([old.id, new.id])  # the switch did not delete it
        assert store.gc() == []
        assert old.path.is_dir()
        n = next(iter(reader.query(UNION_COUNT, use_default_graph_as_union=True)))[0].value
        assert int(n) == 8  # the reader still reads its own complete snapshot
        assert union_count(store) == 24  # a new reader reads the new build
    assert store.gc() == [old.id]
    assert build_dirs(root) == [new.id]


def test_the_no_op_ensure_collects_builds_released_since(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    old = store.ensure(packaged)
    with store.open_reader():
        new = store.replace_graphs(
            {G_IMP: Source(G_IMP, write_nq(tmp_path / "i.nq", 16), "nquads")}, packaged=packaged
        )
    assert build_dirs(root) == sorted([old.id, new.id])
    assert store.ensure(packaged).id == new.id
    assert build_dirs(root) == [new.id]


def test_a_reader_that_read_a_stale_pointer_retries(
    root: Path, packaged: list[Source], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = EmbeddedStore(root)
    old = store.ensure(packaged)
    new = store.replace_graphs(
        {G_IMP: Source(G_IMP, write_nq(tmp_path / "i.nq", 16), "nquads")}, packaged=packaged
    )
    assert build_dirs(root) == [new.id]  # the old build is gone
    real = EmbeddedStore._read_pointer
    stale = [old.id]

    def read_pointer(self: EmbeddedStore) -> str | None:
        return stale.pop() if stale else real(self)

    monkeypatch.setattr(EmbeddedStore, "_read_pointer", read_pointer)
    assert union_count(store) == 24  # read the old id, found it collected, read the pointer again


# ------------------------------------------------------------------------------------------------------------
# Processes: a killed writer, concurrent readers

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from erasmus_kg.store.builds import EmbeddedStore, Source
    root, graph, path, a, b = sys.argv[1:6]
    packaged = [Source(sys.argv[6], Path(a), "turtle"), Source(sys.argv[7], Path(b), "turtle")]
    store = EmbeddedStore(Path(root))
    print("go", flush=True)
    store.replace_graphs({graph: Source(graph, Path(path), "nquads")}, packaged=packaged)
    print("done", flush=True)
    """
)


def test_a_writer_killed_mid_build_leaves_a_complete_store(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    base = store.ensure(packaged).triples
    big = write_nq(tmp_path / "big.nq", 200_000, "big")
    complete = {base, base + 200_000}
    left_mid_build = []
    for delay in (0.0, 0.25, 0.5, 0.8):
        args = [str(root), G_BIG, str(big), str(packaged[0].path), str(packaged[1].path), G_A, G_B]
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, *args],
            stdout=subprocess.PIPE,
            env=child_env(),
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline() == "go\n"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        left_mid_build.append(any(name.endswith(".tmp") for name in build_dirs(root)))

        build = store.current_build()
        assert build is not None
        assert build.triples in complete
        assert union_count(store) == build.triples  # the store opens and holds what its manifest says
    assert any(left_mid_build), "no kill landed during a build"

    after = store.replace_graphs(
        {G_IMP: Source(G_IMP, write_nq(tmp_path / "small.nq", 5), "nquads")}, packaged=packaged
    )
    assert after.triples in {base + 5, base + 200_005}
    assert union_count(store) == after.triples
    assert build_dirs(root) == [after.id]  # no stale temporary or old build left
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


PHASE_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from erasmus_kg.store.builds import EmbeddedStore, Source
    root, graph, path, a, b, ga, gb, phase = sys.argv[1:9]
    real = EmbeddedStore._write_pointer

    def write_pointer(self, bid):
        if phase == "after-switch":
            real(self, bid)
        os.kill(os.getpid(), signal.SIGKILL)

    EmbeddedStore._write_pointer = write_pointer
    packaged = [Source(ga, Path(a), "turtle"), Source(gb, Path(b), "turtle")]
    EmbeddedStore(Path(root)).replace_graphs({graph: Source(graph, Path(path), "nquads")}, packaged=packaged)
    """
)


@pytest.mark.parametrize("phase", ["before-switch", "after-switch"])
def test_a_writer_killed_while_publishing_leaves_a_complete_store(
    root: Path, packaged: list[Source], tmp_path: Path, phase: str
) -> None:
    store = EmbeddedStore(root)
    old = store.ensure(packaged)
    path = write_nq(tmp_path / "i.nq", 7)
    args = [str(root), G_IMP, str(path), str(packaged[0].path), str(packaged[1].path), G_A, G_B, phase]
    proc = subprocess.run([sys.executable, "-c", PHASE_WRITER, *args], env=child_env(), check=False)
    assert proc.returncode == -signal.SIGKILL

    build = store.current_build()
    assert build is not None
    assert len(build_dirs(root)) == 2  # a complete build beside the current one, not collected
    if phase == "before-switch":
        assert build.id == old.id
        assert counts(store) == {G_A: 3, G_B: 5}
    else:
        assert build.id != old.id
        assert counts(store) == {G_A: 3, G_B: 5, G_IMP: 7}
    assert store.ensure(packaged).id == build.id  # the no-op path collects what the writer left
    assert build_dirs(root) == [build.id]
    after = store.replace_graphs({G_BIG: Source(G_BIG, path, "nquads")}, packaged=packaged)
    assert union_count(store) == after.triples
    assert build_dirs(root) == [after.id]


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from erasmus_kg.store.builds import EmbeddedStore
    root, stop, ready = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    store = EmbeddedStore(root)
    seen, loops = set(), 0
    while True:
        with store.open_reader() as r:
            n = int(next(iter(r.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                      use_default_graph_as_union=True)))[0].value)
        seen.add(n)
        loops += 1
        if loops == 1:
            ready.touch()
        if stop.exists() and loops > 1:
            break
    print(json.dumps({"seen": sorted(seen), "loops": loops}))
    """
)


def test_readers_see_only_complete_builds_while_a_writer_switches(
    root: Path, packaged: list[Source], tmp_path: Path
) -> None:
    store = EmbeddedStore(root)
    base = store.ensure(packaged).triples
    sizes = [300, 20, 2500, 70, 1200, 9]
    files = [write_nq(tmp_path / f"imp{i}.nq", n, f"v{i}") for i, n in enumerate(sizes)]
    expected = {base} | {base + n for n in sizes}
    stop = tmp_path / "stop"
    readers = []
    for i in range(3):
        ready = tmp_path / f"ready{i}"
        proc = subprocess.Popen(
            [sys.executable, "-c", READER, str(root), str(stop), str(ready)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
            text=True,
        )
        readers.append((proc, ready))
    deadline = time.monotonic() + 20
    while not all(ready.exists() for _, ready in readers):
        assert time.monotonic() < deadline, "readers did not start"
        assert all(proc.poll() is None for proc, _ in readers), "a reader died"
        time.sleep(0.01)

    for path in files:
        store.replace_graphs({G_IMP: Source(G_IMP, path, "nquads")}, packaged=packaged)
        time.sleep(0.05)
    final = store.replace_graphs({G_IMP: None}, packaged=packaged)
    stop.touch()

    seen: set[int] = set()
    for proc, _ in readers:
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        result = json.loads(out)
        assert set(result["seen"]) <= expected, (result, expected)
        seen |= set(result["seen"])
    assert len(seen) >= 2  # the readers did read across switches
    assert final.triples == base
    store.gc()
    assert build_dirs(root) == [final.id]  # nothing held any more: all old builds collected
