"""The command line's start-up: the commands are imported lazily (`cli.app.LazyCommands`), `--help` lists them
all without importing them, and a stored query imports neither the other commands nor what only they use
(issue #11: the CLI at most 50 ms slower than a bare pyoxigraph script; bench/startup.py measures it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from erasmus_kg.cli import cli
from erasmus_kg.cli.app import COMMANDS, ErasmusKG, LazyCommands

EVERY_COMMAND = (
    "docs",
    "export",
    "import",
    "info",
    "load",
    "queries",
    "query",
    "remove",
    "serve",
    "sources",
    "sparql",
    "validate",
)
"""The commands of the README's command line, in the order `--help` lists them."""

COMMAND_MODULES = (
    "erasmus_kg.cli.export",
    "erasmus_kg.cli.imports",
    "erasmus_kg.cli.queries",
    "erasmus_kg.cli.serve",
    "erasmus_kg.cli.store",
    "erasmus_kg.cli.validate",
)

NOT_FOR_A_QUERY = (
    "erasmus_kg.cli.export",
    "erasmus_kg.cli.imports",
    "erasmus_kg.cli.serve",
    "erasmus_kg.cli.store",
    "erasmus_kg.cli.validate",
    "erasmus_kg.derived.build",
    "erasmus_kg.export",
    "erasmus_kg.importing",
    "erasmus_kg.remote",
    "erasmus_kg.validation",
    "erasmus_kg.web",
    "yaml",  # the stored query's header comes from the header cache (`catalogue._HeaderCache`)
    "rich",  # tables only
    "sqlite3",  # the name index is opened on the first lookup; action-types looks nothing up
    "decimal",  # durations in tables only (`display._amount`)
    "difflib",  # suggestions for an unknown value only
    "hashlib",  # with OpenSSL: `digests` takes BLAKE2b from `_blake2`
    "shutil",  # removing builds only (with zlib, bz2 and lzma)
)
"""What `erasmus-kg query action-types --format csv` must not import (modules and packages)."""


def _fresh() -> ErasmusKG:
    """A root group like `cli` with none of its commands imported yet."""
    return ErasmusKG(name="erasmus-kg", commands=LazyCommands(COMMANDS))


def _commands_section(group: click.Group, width: int, *, clicks_own: bool = False) -> str:
    ctx = click.Context(group, info_name="erasmus-kg", terminal_width=width, max_content_width=width)
    formatter = ctx.make_formatter()
    if clicks_own:
        click.Group.format_commands(group, ctx, formatter)  # imports every command
    else:
        group.format_commands(ctx, formatter)
    return formatter.getvalue()


def test_help_lists_every_command_with_its_summary(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"], terminal_width=400, max_content_width=400)
    assert result.exit_code == 0, result.output
    listed = result.output.split("\nCommands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == list(EVERY_COMMAND)
    for line in listed:
        name, summary = line.split(maxsplit=1)
        assert summary == COMMANDS[name].summary


@pytest.mark.parametrize("width", [40, 60, 80, 110, 200])
def test_the_listing_without_imports_is_click_s_own(width: int) -> None:
    """The stand-ins list each command as click lists the command itself, shortened to any width."""
    group = _fresh()
    lazy = _commands_section(group, width)
    assert group.commands.loaded == ()  # listing imported nothing
    assert lazy == _commands_section(group, width, clicks_own=True)
    assert _commands_section(group, width) == lazy  # once imported, the commands list themselves


@pytest.mark.parametrize("name", EVERY_COMMAND)
def test_each_summary_is_the_command_s_short_help(name: str) -> None:
    command = _fresh().commands[name]
    assert command.name == name
    assert COMMANDS[name].summary == command.get_short_help_str(limit=sys.maxsize)


@pytest.mark.parametrize("name", EVERY_COMMAND)
def test_each_command_s_help_through_the_lazy_group(name: str) -> None:
    group = _fresh()
    result = CliRunner().invoke(group, [name, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: erasmus-kg {name} ")
    assert " ".join(COMMANDS[name].summary.split()[:4]) in " ".join(result.output.split())
    assert group.commands.loaded == (name,)


@pytest.mark.parametrize("typed", ["querie", "qury", "zzz"])
def test_an_unknown_command_is_refused_as_click_refuses_it(typed: str) -> None:
    """With the closest names (click 8.4 on), as a group that holds every command imported would."""
    eager = click.Group(commands=[click.Command(name) for name in EVERY_COMMAND])
    expected = CliRunner().invoke(eager, [typed], prog_name="erasmus-kg")
    result = CliRunner().invoke(_fresh(), [typed], prog_name="erasmus-kg")
    assert result.exit_code == expected.exit_code == 2
    assert result.output == expected.output
    assert f"No such command {typed!r}." in result.output


def test_added_commands_are_kept_as_they_are() -> None:
    group = _fresh()

    @click.command()
    def extra() -> None:
        """An extra command."""

    group.add_command(extra)
    assert group.list_commands(click.Context(group)) == sorted([*EVERY_COMMAND, "extra"])
    assert group.commands["extra"] is extra
    del group.commands["extra"]
    assert "extra" not in group.commands and len(group.commands) == len(EVERY_COMMAND)


def _imported(store_root: Path, tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    """The exit status of `erasmus-kg ARGS` in a new process, and the modules it imported."""
    out = tmp_path / "modules.json"
    code = (
        "import sys\n"
        "from erasmus_kg.cli import main\n"
        "try:\n"
        "    main(sys.argv[2:])\n"
        "except SystemExit as exit:\n"
        "    status = exit.code or 0\n"
        "modules = sorted(sys.modules)\n"
        "import json\n"
        "with open(sys.argv[1], 'w') as f:\n"
        "    json.dump([status, modules], f)\n"
    )
    env = {**os.environ, "ERASMUS_KG_STORE": str(store_root), "ERASMUS_KG_LANG": "en"}
    subprocess.run([sys.executable, "-c", code, str(out), *args], env=env, capture_output=True, check=True)
    status, modules = json.loads(out.read_text(encoding="utf-8"))
    return status, set(modules)


def _under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_a_stored_query_imports_no_other_command(store_root: Path, tmp_path: Path) -> None:
    status, modules = _imported(store_root, tmp_path, "query", "action-types", "--format", "csv")
    assert status == 0
    assert "erasmus_kg.cli.queries" in modules and "pyoxigraph" in modules
    assert _under(modules, NOT_FOR_A_QUERY) == []


def test_help_imports_no_command(store_root: Path, tmp_path: Path) -> None:
    status, modules = _imported(store_root, tmp_path, "--help")
    assert status == 0
    assert _under(modules, COMMAND_MODULES) == []
