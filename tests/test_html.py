"""The shared HTML layer: every template is autoescaped, the base layout takes the page's language and
where its stylesheet is, texts come English first, then Dutch, and the static files are copied."""

from __future__ import annotations

import re
from pathlib import Path

from erasmus_kg.html import STYLESHEET, by_language, copy_static, environment


def test_autoescape_is_on_for_any_template() -> None:
    page = environment().from_string("<p>{{ text }}</p>").render(text="<script>alert(1)</script>")
    assert page == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_base_layout() -> None:
    page = environment().from_string(
        '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
        '{% block language_switch %}<a href="?lang=en" lang="en">English</a>{% endblock %}'
        "{% block main %}<p>{{ body }}</p>{% endblock %}"
    )
    html = page.render(lang="nl", static_url="/static/", title="<Titel>", body="tekst & meer")
    assert html.startswith("<!DOCTYPE html>\n")
    assert '<html lang="nl">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f'<link rel="stylesheet" href="/static/{STYLESHEET}">' in html
    assert "<title>&lt;Titel&gt;</title>" in html
    assert re.search(r'<header>.*<a href="\?lang=en" lang="en">English</a>\s*</header>', html, re.S)
    assert re.search(r"<main>\s*<p>tekst &amp; meer</p>\s*</main>", html)


def test_texts_by_language() -> None:
    texts = {"": ["plain"], "de": ["Wort"], "en": ["b", "a"], "nl": ["woord"]}
    assert by_language(texts) == [("en", "b"), ("en", "a"), ("nl", "woord"), ("", "plain"), ("de", "Wort")]


def test_copy_static(tmp_path: Path) -> None:
    assert copy_static(tmp_path) == [tmp_path / STYLESHEET]
    assert "@media" in (tmp_path / STYLESHEET).read_text(encoding="utf-8")
