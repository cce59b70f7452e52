"""The matching form of names (derived.normal): the same as the character-by-character definition it was
written as (NFKC, casefold, accents removed, runs of letters and digits joined by one space), for every
code point and for any text, its quick path for ASCII included."""

from __future__ import annotations

import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from erasmus_kg.derived.normal import normal


def defined(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    bare = unicodedata.normalize("NFC", bare)
    words: list[str] = []
    word: list[str] = []
    for ch in bare:
        if ch.isalnum():
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return " ".join(words)


def test_names_as_people_type_them() -> None:
    assert normal("Ĳsland") == normal("IJsland") == "ijsland"
    assert normal("Groot-Brittannië") == normal("groot  brittannie") == "groot brittannie"
    assert normal("  KA2_school, (2016) ") == "ka2 school 2016"
    assert normal("STRASSE") == normal("Straße") == "strasse"
    assert normal("---") == normal("") == ""


def test_every_code_point_between_letters() -> None:
    points = (chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for ch in points:
        assert normal(f"a{ch}b") == defined(f"a{ch}b"), hex(ord(ch))


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30))
def test_any_text(text: str) -> None:
    assert normal(text) == defined(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=30))
def test_any_ascii_text(text: str) -> None:
    assert normal(text) == defined(text)
