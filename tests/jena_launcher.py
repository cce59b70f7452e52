"""Jena from Debian's `libapache-jena-java` (4.5, bookworm) for the tests: its class path, the check of query
files by `tests/jena/CheckQueries.java` (ARQ's parser, in one JVM for every file), and `JenaServer`, Jena's
SPARQL evaluation over TDB2 behind the smallest HTTP launcher (`tests/jena/SparqlServer.java`: Fuseki is not
packaged by Debian).

Debian's jena-core moved the xerces classes it bundles from `org.apache.jena.ext.xerces` to `xerces` but left
their `.properties` files behind, and Jena then fails at start-up (`ExceptionInInitializerError` in
`XSSimpleTypeDecl`, ../shared/LIBRARY-NOTES.md): `classpath` copies those files to the renamed package, in a
folder put first on the class path. `.ci/run` installs the package; without Java or the package, `missing`
says why the tests that need them are skipped.
"""

from __future__ import annotations

import select
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .servers import ServerProcess

JAVA_DIR = Path("/usr/share/java")
PARSER_JARS = (
    *("jena-arq", "jena-core", "jena-base", "jena-iri"),
    *("slf4j-api", "slf4j-nop", "commons-compress", "commons-lang3", "guava", "thrift"),
)
"""What ARQ's parser and algebra load (dependencies of the package, so all installed with it); slf4j-nop
keeps it quiet."""
SERVER_JARS = (
    *PARSER_JARS,
    *("jena-tdb2", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-transaction"),
    "jena-dboe-trans-data",
)
"""What SparqlServer.java loads besides: TDB2 and the storage and transaction layers under it."""
CHECKER = Path(__file__).resolve().parent / "jena" / "CheckQueries.java"
SERVER = Path(__file__).resolve().parent / "jena" / "SparqlServer.java"
START_TIMEOUT = 60.0
_MOVED = "org/apache/jena/ext/"


def missing(jars: Sequence[str] = PARSER_JARS) -> str | None:
    """Why Jena cannot run here (None when it can)."""
    java = shutil.which("java")
    if java is None:
        return "no java on PATH (Debian: apt-get install openjdk-17-jdk-headless)"
    absent = [jar for jar in jars if not (JAVA_DIR / f"{jar}.jar").exists()]
    if absent:
        jars = ", ".join(absent)
        return f"Jena is not installed: no {jars} in {JAVA_DIR} (apt-get install libapache-jena-java)"
    modules = subprocess.run([java, "--list-modules"], capture_output=True, text=True, check=False).stdout
    if "jdk.compiler" not in modules:
        return "this java cannot run a source file (no jdk.compiler: apt-get install openjdk-17-jdk-headless)"
    return None


def classpath(folder: Path, jars: Sequence[str] = PARSER_JARS) -> str:
    """The class path of `jars`, after a folder (made in `folder`) with the xerces messages where Debian's
    jena-core looks for them."""
    fixed = folder / "jena-xerces-messages"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_MOVED + "xerces/") and name.endswith(".properties"):
                target = fixed / name.removeprefix(_MOVED)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(fixed), *(str(JAVA_DIR / f"{jar}.jar") for jar in jars)])


def check_queries(files: Sequence[Path], folder: Path) -> dict[Path, list[str]]:
    """The problems CheckQueries.java finds in each of `files` (an empty list: none), by one JVM."""
    java = shutil.which("java")
    assert java is not None, missing()
    command = [java, "-cp", classpath(folder), str(CHECKER), *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"CheckQueries.java failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        )
    problems: dict[Path, list[str]] = {file: [] for file in files}
    by_name = {str(file): file for file in files}
    for line in done.stdout.splitlines():
        name, _, message = line.partition(": ")
        problems[by_name[name]].append(message)
    return problems


class JenaServer(ServerProcess):
    """SparqlServer.java on a free port of 127.0.0.1 with a TDB2 database in `folder`/tdb2 (its class path and
    its error output, server.log, in `folder` too): Fuseki's URLs for one dataset, /ds/sparql for queries and
    /ds/data for the Graph Store Protocol. The JVM's heap is at most `heap`. With `union_default_graph`, a
    query that names no graph reads the union of the named graphs (TDB2's unionDefaultGraph, as Fuseki's
    `tdb2:unionDefaultGraph true`)."""

    name = "SparqlServer.java"
    start_timeout = START_TIMEOUT
    stop_timeout = 20.0

    def __init__(self, folder: Path, *, heap: str = "1g", union_default_graph: bool = False) -> None:
        super().__init__()
        self.folder = folder
        self.heap = heap
        self.union_default_graph = union_default_graph
        self.port: int | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/ds"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def store_url(self) -> str:
        return f"{self.base}/data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def launch(self) -> subprocess.Popen[bytes]:
        java = shutil.which("java")
        assert java is not None, missing(SERVER_JARS)
        (self.folder / "tdb2").mkdir(parents=True, exist_ok=True)
        command = [java, f"-Xmx{self.heap}", "-cp", classpath(self.folder, SERVER_JARS), str(SERVER)]
        with self.log.open("wb") as log:
            return subprocess.Popen(
                [
                    *(*command, str(self.folder / "tdb2"), "0"),
                    *(["--union-default-graph"] if self.union_default_graph else []),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
            )

    def answers(self) -> bool:
        """Whether the server has printed the line it prints once it listens (it compiles the launcher
        first), which names the port it chose: then `port` is that port."""
        assert self.process is not None and self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
        if not ready:
            return False
        line = self.process.stdout.readline().decode()
        if not line.startswith("listening on http://127.0.0.1:"):
            return False
        self.port = int(line.rsplit(":", 1)[1].split("/")[0])
        return True
