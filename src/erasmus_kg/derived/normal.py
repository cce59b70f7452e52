"""Names as people type them: one normal form for matching, whatever the case, accents, ligatures or
punctuation (`IJsland` = `Ĳsland`, `Tsjechie` = `Tsjechië`, `groot brittannie` = `Groot-Brittannië`)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1 << 14)
def normal(text: str) -> str:
    """The matching form of `text`: Unicode compatibility forms (NFKC: the ligature `Ĳ` is `IJ`), case folded,
    accents removed, every run of punctuation and white space one space, trimmed."""
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
