"""Broken input files (issue 6, item 2): every one is answered with one line on stderr naming the file (and
the line, where the parser gives one), the documented exit code, no traceback, and the store unchanged.

The corpus is `tests/corpus/broken/` (small text files) plus inputs generated here into tmp_path where a
committed file would be awkward (wrong encodings, binary bytes, zip files, a directory, a missing file).

No read permission: the tests run as root, where `chmod 000` does not stop reading, so the refusal is
simulated in-process: `Path.open` and `builtins.open` are patched to raise PermissionError for that one file
(the first read of every command goes through `rdf_files.check_readable`, which opens the file with
`Path.open`).

Exit codes (README): 2 for an unreadable or malformed file; 1 only for a well-formed file that does not
conform to the shapes (`validate`).
"""

from __future__ import annotations

import builtins
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli

TESTS = Path(__file__).resolve().parent
BROKEN = TESTS / "corpus" / "broken"
VALID = TESTS / "fixtures" / "valid" / "community-of-practice.ttl"

KNOWN_SUFFIXES = ".json, .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .turtle, .xml"
ECHE_HEADER = (
    "Proposal number;Erasmus Code;Pic;OID;Legal Name;Street;Post Cd;City;Country Cd;Website Url;"
    "Erasmus Eche Start;Erasmus Eche End"
)
NOT_ECHE = f"the header is not that of the ECHE list (expected: {ECHE_HEADER})"
PRP_COLUMNS = 622


def _xlsx_like() -> bytes:
    """A zip with the names of an XLSX workbook whose XML parts are not well-formed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        archive.writestr("xl/workbook.xml", "<workbook/>" * 200)
    return buffer.getvalue()


TTL = '@prefix ex: <http://example.org/> .\nex:a ex:name "Fran\u00e7ois" .\n'

# Inputs generated into tmp_path: name -> bytes, or None for a directory of that name ("missing-*" files are
# never created).
GENERATED: dict[str, bytes | None] = {
    "latin1.ttl": TTL.encode("latin-1"),
    "utf16-bom.ttl": TTL.encode("utf-16"),
    "random-bytes.ttl": bytes(range(256)) * 4,
    "png-header.ttl": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32),
    "nul-bytes.nt": b'<http://example.org/a> <http://example.org/p> "a" .\n\x00\x00\n',
    "compressed.ttl.gz": b"\x1f\x8b\x08\x00" + bytes(20),
    # 0xE9 is not UTF-8 here (é in Windows-1252), 0x81 is not Windows-1252 (undefined)
    "prp-neither-encoding.csv": b"Programme,Key Action\n\xe9\x81\n",
    "eche-neither-encoding.csv": b"Proposal number;Erasmus Code\n\xe9t\xe9\n\x81\x8d\n",
    "eche-utf16.csv": "Proposal number;Erasmus Code\n".encode("utf-16"),
    "prp-given-eche-list.csv": (
        f";;;;\n{ECHE_HEADER}\n1;A  BADEN01;948821603;E10054064;NIEDER\u00d6STERREICH\n".encode("cp1252")
    ),
    "prp-export.xls": b"Programme\tKey Action\n",
    "prp-truncated-zip.xlsx": _xlsx_like()[:300],
    "prp-malformed-xml.xlsx": _xlsx_like(),
    "directory.ttl": None,
    "directory.csv": None,
}

VALIDATE, LOAD, LOAD_UNVALIDATED = ["validate"], ["load"], ["load", "--no-validate"]
PRP, ECHE = ["import", "prp"], ["import", "eche"]


# (input, command, exit code, message after "erasmus-kg: error: FILE[:LINE]: "), the line (or None)
CASES: list[tuple[str, list[str], int, int | None, str]] = []


def _rdf(name: str, line: int | None, validate_message: str, load_message: str | None = None) -> None:
    """`load` validates first, so it reports what `validate` reports; `load --no-validate` reports what the
    store's own parser (pyoxigraph) says, `load_message` where that differs."""
    CASES.append((name, VALIDATE, 2, line, validate_message))
    CASES.append((name, LOAD, 2, line, validate_message))
    CASES.append(
        (name, LOAD_UNVALIDATED, 2, line, validate_message if load_message is None else load_message)
    )


def _parse(name: str, line: int, parser_message: str) -> None:
    _rdf(name, line, "syntax error: " + parser_message, parser_message)


# Turtle
_parse(
    "ttl-unterminated-string.ttl",
    4,
    "Parser error at line 4 column 29: Line jumps are not allowed in string literals, use \\n",
)
_parse(
    "ttl-missing-dot.ttl",
    5,
    "Parser error at line 5 between columns 1 and 5: A dot is expected at the end of statements",
)
_parse(
    "ttl-undefined-prefix.ttl",
    3,
    "Parser error at line 3 between columns 1 and 7: The prefix nope: has not been declared",
)
_parse("ttl-bad-iri.ttl", 6, "Parser error at line 6 between columns 11 and 41: Invalid IRI code point ' '")
_parse("ttl-truncated.ttl", 3, "Parser error at line 3 between columns 11 and 17: Unexpected end of file")
_parse(
    "ttl-unclosed-bracket.ttl",
    3,
    "Parser error at line 3 column 15: blank node property lists should end with a ']'",
)
_parse(
    "ttl-bad-directive.ttl",
    1,
    "Parser error at line 1 between columns 1 and 7: @prefx is not a valid subject or graph name",
)
_parse(
    "ttl-literal-as-subject.ttl",
    3,
    'Parser error at line 3 between columns 1 and 10: "literal" is not a valid subject or graph name',
)
_parse(
    "latin1.ttl",
    2,
    "Parser error at line 2 between columns 19 and 19: Invalid UTF-8: invalid utf-8 "
    "sequence of 1 bytes from index 4",
)
_parse("utf16-bom.ttl", 1, "Parser error at line 1 column 1: Invalid UTF-8 character encoding")
_parse(
    "random-bytes.ttl",
    1,
    "Parser error at line 1 column 1: '\x00' is not allowed at the beginning of a prefix name",
)
_parse("png-header.ttl", 1, "Parser error at line 1 column 1: Invalid UTF-8 character encoding")
_rdf("empty.ttl", None, "the file is empty")
# N-Triples
_parse("nt-missing-dot.nt", 3, "Parser error at line 3 column 1: Quads must be followed by a dot")
_parse(
    "nt-relative-iri.nt",
    2,
    "Parser error at line 2 between columns 47 and 50: No scheme found in an absolute IRI",
)
_parse(
    "nt-unterminated-literal.nt",
    2,
    "Parser error between line 2 column 47 and line 3 column 1: Unexpected end of file",
)
_parse(
    "nt-prefixed-name.nt",
    3,
    "Parser error at line 3 between columns 1 and 5: The subject of a triple must be an IRI or a blank node",
)
_parse("nt-truncated.nt", 1, "Parser error at line 1 between columns 47 and 58: Unexpected end of file")
_parse(
    "nul-bytes.nt",
    2,
    "Parser error at line 2 column 1: '\x00' is not allowed at the beginning of a prefix name",
)
# JSON-LD
_parse("jsonld-invalid-json.jsonld", 5, "Parser error at line 5 column 1: Trailing commas are not allowed")
_parse("jsonld-truncated.jsonld", 4, "Parser error at line 4 column 11: Unexpected end of file")
_rdf(
    "jsonld-wrong-structure.jsonld",
    None,
    "syntax error: @context value must be null, a string or an object",
    "@context value must be null, a string or an object",
)
_rdf("jsonld-bad-id.jsonld", None, "syntax error: @id value must be a string", "@id value must be a string")
_rdf(
    "jsonld-type-is-object.jsonld",
    None,
    "syntax error: @type value must be a string",
    "@type value must be a string",
)
# Files that are not RDF by name, directories, missing files
_rdf(
    "unknown-suffix.txt",
    None,
    f"cannot tell the RDF format from the file name (known suffixes: {KNOWN_SUFFIXES})",
)
_rdf("compressed.ttl.gz", None, "compressed files are not read directly: decompress it first")
_rdf("directory.ttl", None, "is a directory, not a file")
_rdf("missing-file.ttl", None, "no such file")
# Project Results exports (import prp)
CASES += [
    (
        "prp-missing-columns.csv",
        PRP,
        2,
        1,
        f"the header has 3 columns; an Erasmus+ Project Results export has "
        f"{PRP_COLUMNS} (column 4 should be 'Call year')",
    ),
    (
        "prp-renamed-columns.csv",
        PRP,
        2,
        1,
        "column 5 of the header is 'Project ID', expected 'Project "
        "Identifier': not an Erasmus+ Project Results export",
    ),
    ("prp-empty.csv", PRP, 2, None, "the file is empty"),
    (
        "prp-neither-encoding.csv",
        PRP,
        2,
        None,
        "is neither UTF-8 text (byte 0xE9 at line 2, byte offset 21) "
        "nor Windows-1252 text (byte 0x81 at line 2, byte offset 22)",
    ),
    ("prp-given-eche-list.csv", PRP, 2, None, "this looks like an ECHE list: use erasmus-kg import eche"),
    ("prp-text.xlsx", PRP, 2, None, "not a readable XLSX workbook (File is not a zip file)"),
    ("prp-truncated-zip.xlsx", PRP, 2, None, "not a readable XLSX workbook (File is not a zip file)"),
    (
        "prp-malformed-xml.xlsx",
        PRP,
        2,
        None,
        "not a readable XLSX workbook (Extra content at the end of the document, line 1, column 9)",
    ),
    ("prp-export.xls", PRP, 2, None, "an Erasmus+ Project Results export is a .csv or .xlsx file"),
    ("directory.csv", PRP, 2, None, "is a directory, not a file"),
    ("missing-file.csv", PRP, 2, None, "no such file"),
    # ECHE list (import eche)
    ("eche-missing-columns.csv", ECHE, 2, 1, NOT_ECHE),
    ("eche-comma-separated.csv", ECHE, 2, 1, NOT_ECHE),
    (
        "eche-given-prp-export.csv",
        ECHE,
        2,
        None,
        "this looks like an Erasmus+ Project Results export: use erasmus-kg import prp",
    ),
    (
        "eche-neither-encoding.csv",
        ECHE,
        2,
        None,
        "is neither UTF-8 text (byte 0xE9 at line 2, byte offset 29) "
        "nor Windows-1252 text (byte 0x81 at line 3, byte offset 33)",
    ),
    (
        "eche-utf16.csv",
        ECHE,
        2,
        None,
        "is UTF-16 text (its byte order mark): save it as UTF-8 or Windows-1252",
    ),
    ("prp-empty.csv", ECHE, 2, None, "the file is empty"),
    ("directory.csv", ECHE, 2, None, "is a directory, not a file"),
    ("missing-file.csv", ECHE, 2, None, "no such file"),
]

UNREADABLE = [
    ("ttl-missing-dot.ttl", VALIDATE),
    ("ttl-missing-dot.ttl", LOAD),
    ("prp-renamed-columns.csv", PRP),
    ("eche-missing-columns.csv", ECHE),
]


def _input(name: str, tmp_path: Path) -> Path:
    if name in GENERATED:
        path = tmp_path / name
        content = GENERATED[name]
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        return path
    if name.startswith("missing-"):
        return tmp_path / name
    path = BROKEN / name
    assert path.is_file(), f"{path} is not in the corpus"
    return path


def _state(runner: CliRunner, store: Path) -> tuple[str, int]:
    """What must not change: the `sources` listing and the triple count of `info`."""
    sources = runner.invoke(cli, ["--store", str(store), "sources"])
    info = runner.invoke(cli, ["--store", str(store), "info", "--format", "json"])
    assert sources.exit_code == 0 and info.exit_code == 0, sources.output + info.output
    return sources.stdout, json.loads(info.stdout)["triples"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, int]]:
    """A store built by one successful `load` on an empty root, and its state."""
    root = tmp_path_factory.mktemp("broken-store")
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(root), "load", str(VALID)])
    assert result.exit_code == 0, result.output
    state = _state(runner, root)
    assert "community-of-practice.ttl" in state[0]
    return root, state


def _check(
    store: tuple[Path, tuple[str, int]],
    command: list[str],
    path: Path,
    code: int,
    line: int | None,
    message: str,
    patch: Callable[[], None] | None = None,
) -> None:
    root, before = store
    runner = CliRunner()
    if patch is not None:
        patch()
    result = runner.invoke(cli, ["--store", str(root), *command, str(path)])
    where = f"{path}:{line}" if line else str(path)
    assert (result.exit_code, result.stderr) == (code, f"erasmus-kg: error: {where}: {message}\n")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert _state(runner, root) == before


@pytest.mark.parametrize(
    ("name", "command", "code", "line", "message"),
    CASES,
    ids=[f"{' '.join(case[1])}-{case[0]}" for case in CASES],
)
def test_broken_input(
    store: tuple[Path, tuple[str, int]],
    tmp_path: Path,
    name: str,
    command: list[str],
    code: int,
    line: int | None,
    message: str,
) -> None:
    _check(store, command, _input(name, tmp_path), code, line, message)


@pytest.mark.parametrize(("name", "command"), UNREADABLE, ids=[f"{' '.join(c)}-{n}" for n, c in UNREADABLE])
def test_no_read_permission(
    store: tuple[Path, tuple[str, int]], monkeypatch: pytest.MonkeyPatch, name: str, command: list[str]
) -> None:
    """Root reads a chmod-000 file, so the refusal of the system is simulated (see the docstring)."""
    path = BROKEN / name
    real_path_open, real_open = Path.open, builtins.open

    def refuse(target: object) -> None:
        if Path(str(target)).resolve() == path:
            raise PermissionError(13, "Permission denied", str(target))

    def path_open(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        refuse(self)
        return real_path_open(self, *args, **kwargs)

    def open_(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(file, (str, Path)):
            refuse(file)
        return real_open(file, *args, **kwargs)

    def patch() -> None:
        monkeypatch.setattr(Path, "open", path_open)
        monkeypatch.setattr(builtins, "open", open_)

    _check(store, command, path, 2, None, "permission denied: the file cannot be read", patch)


def test_well_formed_but_not_conforming(store: tuple[Path, tuple[str, int]]) -> None:
    """Exit 1 is kept for a file that parses but does not conform: the report on stdout, stderr empty."""
    root, before = store
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--store", str(root), "validate", str(BROKEN / "well-formed-not-conforming.ttl")]
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout.startswith("1 violation(s) of the shapes (")
    assert "Activity" in result.stdout or "activity" in result.stdout
    assert "Traceback" not in result.output
    assert _state(runner, root) == before


def test_corpus_size() -> None:
    """At least 30 distinct broken inputs (issue 6)."""
    names = (
        {case[0] for case in CASES} | {name for name, _ in UNREADABLE} | {"well-formed-not-conforming.ttl"}
    )
    committed = {path.name for path in BROKEN.iterdir()}
    assert committed <= names, f"corpus files without a case: {committed - names}"
    assert len(names) >= 30


def test_load_refuses_a_file_that_does_not_conform(store: tuple[Path, tuple[str, int]]) -> None:
    """`load` validates before it switches the store (issue 12): the report as `validate` gives it, exit 1,
    the store unchanged."""
    root, before = store
    runner = CliRunner()
    path = BROKEN / "well-formed-not-conforming.ttl"
    report = runner.invoke(cli, ["--store", str(root), "validate", str(path)]).stdout
    result = runner.invoke(cli, ["--store", str(root), "load", str(path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"erasmus-kg: error: {path}: does not conform to the shapes; nothing was loaded.\n{report}"
    )
    assert "Traceback" not in result.stderr
    assert _state(runner, root) == before


def test_validate_covers_a_graph_loaded_without_validation(store_copy: Path) -> None:
    root = store_copy
    runner = CliRunner()
    path = BROKEN / "well-formed-not-conforming.ttl"
    assert runner.invoke(cli, ["--store", str(root), "validate"]).exit_code == 0
    loaded = runner.invoke(cli, ["--store", str(root), "load", "--no-validate", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "graph/file/well-formed-not-conforming.ttl" in _state(runner, root)[0]
    whole = runner.invoke(cli, ["--store", str(root), "validate"])
    alone = runner.invoke(cli, ["--store", str(root), "validate", str(path)])
    assert (whole.exit_code, alone.exit_code) == (1, 1)
    assert whole.stdout == alone.stdout  # the loaded graph, as the file: the same violations, same count
    assert whole.stdout.startswith("1 violation(s) of the shapes (")
