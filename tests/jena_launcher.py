"""Jena ARQ from Debian's `libapache-jena-java` (4.5, bookworm) for the tests: its class path, and the check
of query files by `tests/jena/CheckQueries.java`, in one JVM for every file.

Debian's jena-core moved the xerces classes it bundles from `org.apache.jena.ext.xerces` to `xerces` but left
their `.properties` files behind, and Jena then fails at start-up (`ExceptionInInitializerError` in
`XSSimpleTypeDecl`, ../shared/LIBRARY-NOTES.md): `classpath` copies those files to the renamed package, in a
folder put first on the class path. `.ci/run` installs the package; without Java or the package, `missing`
says why the tests that need them are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path

JAVA_DIR = Path("/usr/share/java")
PARSER_JARS = (
    *("jena-arq", "jena-core", "jena-base", "jena-iri"),
    *("slf4j-api", "slf4j-nop", "commons-compress", "commons-lang3", "guava", "thrift"),
)
"""What ARQ's parser and algebra load (dependencies of the package, so all installed with it); slf4j-nop
keeps it quiet."""
CHECKER = Path(__file__).resolve().parent / "jena" / "CheckQueries.java"
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
