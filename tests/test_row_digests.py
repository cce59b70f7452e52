"""`importing.lists.digest`, the digest of a row the rows files keep (a refresh compares it with the next
version's): the same as its definition, the cells up to the last non-empty one joined by U+001F, for every
row, also where cells hold the separator itself."""

from __future__ import annotations

import zlib
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from erasmus_kg.importing.lists import digest

from .budget import examples


def by_definition(cells: Sequence[str]) -> str:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    joined = "\x1f".join(cells[:end]).encode("utf-8", "surrogatepass")
    return zlib.crc32(joined).to_bytes(4, "big").hex() + f"{len(joined):x}"


CELL = st.one_of(st.just(""), st.sampled_from(["\x1f", "a\x1f", "\x1fb", "é"]), st.text())
CELLS = st.lists(CELL, max_size=12)


@settings(max_examples=examples(300, 3000), deadline=None)
@given(CELLS)
def test_the_digest_is_its_definition(cells: list[str]) -> None:
    assert digest(cells) == by_definition(cells)


def test_known_rows() -> None:
    assert digest([]) == digest([""] * 600) == by_definition([]) == "000000000"
    assert digest(["2014-1-DE01", "Title", *[""] * 600]) == digest(["2014-1-DE01", "Title"])
    assert digest(["a", "\x1f", ""]) == by_definition(["a", "\x1f"]) != digest(["a"])
