"""The Jinja2 environment of every erasmus-kg HTML page, and the static files the pages link to.

Templates are in `templates/` beside this module, the stylesheet in `static/`; both ship in the wheel and
are read through the package (PackageLoader, importlib.resources), never from the working directory.
Autoescaping is on for every template, whatever its name: a value from the graph is text, and becomes
markup only where a template writes the markup around it. Python code hands templates data, never HTML.

`base.html` is the layout every page extends: doctype, `lang`, viewport, the stylesheet, a header with a
language-switch slot, a main block. `macros.html` holds what pages share: bilingual texts (one `lang`
attribute per text, so readers and tests can tell the languages apart) and two-column tables that scroll
inside their own box on a narrow screen.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import jinja2

from erasmus_kg import __version__
from erasmus_kg.query.display import number_text

LANGUAGES = ("en", "nl")
"""The languages the pages are written in, in the order they are shown."""
LANGUAGE_NAMES = {"en": "English", "nl": "Nederlands"}

STYLESHEET = "erasmus-kg.css"
"""The stylesheet every page links to (in `static/`), relative to the page's `static_url`."""


@cache
def environment() -> jinja2.Environment:
    """The shared environment (built once): autoescape on, undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("erasmus_kg.html", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["by_language"] = by_language
    env.filters["number"] = number
    env.globals.update(
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        stylesheet=STYLESHEET,
        version=__version__,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render one of the package's templates with `context`."""
    return environment().get_template(template).render(**context)


def number(value: object, lang: str) -> str:
    """A number as people read it in `lang` (`12.345` in Dutch, `12,345` in English: `query.display`)."""
    return number_text(str(value), lang) or str(value)


def by_language(texts: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """`(language, text)` pairs: the English texts, then the Dutch ones, then those in any other language
    in the order given (language "" for a text without a language tag)."""
    first = [(lang, text) for lang in LANGUAGES for text in texts.get(lang, ())]
    rest = [(lang, text) for lang, values in texts.items() if lang not in LANGUAGES for text in values]
    return first + rest


def copy_static(out_dir: Path) -> list[Path]:
    """Copy the static files (the stylesheet) into `out_dir`; return the paths written, sorted."""
    written = []
    for entry in sorted(files("erasmus_kg.html").joinpath("static").iterdir(), key=lambda e: e.name):
        if entry.is_file():
            with as_file(entry) as source:
                target = Path(out_dir) / entry.name
                shutil.copyfile(source, target)
            written.append(target)
    return written
