"""Names as people type them: one normal form for matching, whatever the case, accents, ligatures or
punctuation (`IJsland` = `Ĳsland`, `Tsjechie` = `Tsjechië`, `groot brittannie` = `Groot-Brittannië`)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[^\W_]+")
"""A run of letters and digits: what `str.isalnum` holds (`\\w` is those and the underscore)."""


@lru_cache(maxsize=1 << 14)
def normal(text: str) -> str:
    """The matching form of `text`: Unicode compatibility forms (NFKC: the ligature `Ĳ` is `IJ`), case folded,
    accents removed, every run of punctuation and white space one space, trimmed."""
    if text.isascii():  # most names: NFKC, NFD and NFC change nothing, casefold is lower
        return " ".join(_WORD.findall(text.lower()))
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", bare)))
