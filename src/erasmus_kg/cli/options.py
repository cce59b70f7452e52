"""What several commands share: click's context settings, the --format and --lang options of query
output, the language those default to, and the --store root of the invocation."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 110}
FORMATS = ("table", "csv", "tsv", "json", "markdown")


def default_language() -> str:
    """nl or en: ERASMUS_KG_LANG, else the locale (Dutch locales give nl), else en."""
    chosen = os.environ.get("ERASMUS_KG_LANG", "").strip().lower()
    if chosen in ("nl", "en"):
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def store_root(ctx: click.Context) -> Path | None:
    """The root group's --store (or ERASMUS_KG_STORE); None for the default store."""
    root: Path | None = ctx.find_root().params.get("store")
    return root


def output_options(command: F) -> F:
    """--format and --lang, for commands that print query results."""
    command = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table on a terminal, csv otherwise). json is SPARQL 1.1 Results JSON.",
    )(command)
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default=None,
        help="Language of labels (default: ERASMUS_KG_LANG, else nl in a Dutch locale, else en).",
    )(command)
