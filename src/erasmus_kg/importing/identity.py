"""How the things an import describes are named: organisation names normalised, readable slugs, and the IRIs
minted for organisations, projects, an imported file's named graph and its source document.

The same name and country give the same organisation IRI in every import (`organisation_iri`), so a project
export and the ECHE list meet without any lookup.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from erasmus_kg.digests import blake2b
from erasmus_kg.importing.lists import ListFile
from erasmus_kg.namespaces import GRAPH, ID, PREFIXES

IMPORT_GRAPH = GRAPH + "import/"
"""Each imported list goes into the named graph graph/import/<file name without its date>."""
IMPORT_SOURCE = ID + "source/import/"
"""Each imported file is described by the ekg:SourceDocument id/source/import/<file name>."""
ORGANISATION = PREFIXES["organisation"]
PROJECT = PREFIXES["project"]

_PUNCTUATION = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The form of an organisation's name that identifies it within its country: Unicode-compatibility
    folded, accents removed, case folded, every run of punctuation and whitespace one space.

    "Universidad de Alcalá", "UNIVERSIDAD DE ALCALA" and "Universidad  de Alcalá." are one name. Kept for
    the names met last (an export names each partner again in each of its projects: a third of the names of
    a row are new), and ASCII text, which has nothing to fold, is not decomposed (14 µs a name before)."""
    folded = name
    if not name.isascii():
        folded = unicodedata.normalize("NFKD", name)
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _PUNCTUATION.sub(" ", folded.casefold()).strip()


def slug(text: str, limit: int = 80) -> str:
    """A readable IRI segment: ASCII letters and digits in lower case, runs of anything else one hyphen."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return value[:limit].rstrip("-") or "x"


def segment(value: str) -> str:
    """A source identifier as one IRI path segment (percent-encoded where needed)."""
    return quote(value, safe="-._~")


def organisation_key(name: str, country_code: str | None) -> tuple[str, str]:
    """What identifies a named organisation: its normalised name and its (EU) country code, "" if unknown."""
    return normalise_name(name), country_code or ""


def organisation_iri(key: tuple[str, str], qualifier: str = "") -> str:
    """id/organisation/<country>-<hash of normalised name + country>; the same name in another country is
    another organisation. `qualifier` (e.g. a PIC) separates organisations that share a name in one
    country."""
    name, country = key
    parts = (country, name, qualifier) if qualifier else (country, name)
    return f"{ORGANISATION}{(country or 'xx').lower()}-{_short_hash(*parts)}"


def import_graph(path: Path) -> str:
    """The named graph of an imported file: graph/import/<its list's name>, the file name without the date
    of a dated version (`lists.ListFile`), so that every version of a list replaces the one before."""
    return IMPORT_GRAPH + segment(ListFile.of(path).name)


def import_source_document(path: Path) -> str:
    """The ekg:SourceDocument that describes an imported file: id/source/import/<file name>."""
    return IMPORT_SOURCE + segment(path.name)


def _short_hash(*parts: str) -> str:
    """20 hex digits (80 bits) of a BLAKE2b hash of the parts: collisions are negligible at any data size."""
    digest = blake2b("\x1f".join(parts).encode("utf-8"), digest_size=10)
    return digest.hexdigest()
