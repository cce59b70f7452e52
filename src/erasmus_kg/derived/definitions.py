"""The definitions of what builds derive, as files: `queries/derived/*.rq` (derived facts) and
`queries/statistics/*.rq` (the cube's data sets), and the fingerprint of them all. Light on purpose: every
command reads the fingerprint to know whether the store is up to date."""

from __future__ import annotations

from functools import cache

from erasmus_kg import resources
from erasmus_kg.digests import blake2b

VERSION = "9"  # 9: the countries of a project as one cell (derived.country_cells); 8: the kinds of
# country involvement (derived.involvement); 7: lists in reading order (search index 6); 6: search index 5
# (the programme lists); 5: the positions graph holds the shown labels
"""The version of the way builds derive their graphs (derived.build); with the definitions, it makes
`fingerprint()`. A change of an index's layout alone is not one: see `index_layouts`."""

NAMES_LAYOUT = 2  # 2: a trigram index per kind of name (projects, organisations, concepts)
"""The layout of the name index files (`derived.names`, their SQLite `user_version`)."""
SEARCH_LAYOUT = 11  # 11: the count and codes of its countries; 10: each document's start, end and call
# year; 9: the organisations' participations; 8: the kind of involvement of each country link
# (doc_facet.detail); 7: each document's acronym and actions (the lists' rows, `SearchIndex.list_rows`);
# 6: lists in reading order, each file's places indexed (order_*, rank_*, listed)
"""The layout of the search index files (`derived.search_index`)."""
ORGANISATIONS_LAYOUT = 3  # 3: what a row of organisations-by-country shows (name, kind, locality, projects)
"""The layout of the organisations' lists (`derived.organisation_lists`)."""


@cache
def facts() -> dict[str, str]:
    """The derived-fact definitions (CONSTRUCT queries) by name, in name order."""
    return _read("derived")


@cache
def statistics() -> dict[str, str]:
    """The cube's data sets (aggregate queries) by name, in name order."""
    return _read("statistics")


@cache
def fingerprint() -> str:
    """What a build's derived graphs depend on besides its sources: `VERSION` and the text of every
    definition. A build made with another fingerprint is derived anew."""
    h = blake2b(VERSION.encode(), digest_size=12)
    for name, text in [*facts().items(), *statistics().items()]:
        h.update(f"\0{name}\0{text}".encode())
    return h.hexdigest()


def index_layouts() -> str:
    """The layouts of the index files a build writes beside its store. A build made with other layouts gets
    its index files made anew (those of another layout only), and keeps its derived graphs."""
    return f"names {NAMES_LAYOUT}, search {SEARCH_LAYOUT}, organisations {ORGANISATIONS_LAYOUT}"


def _read(folder: str) -> dict[str, str]:
    directory = resources.queries_dir() / folder
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.rq"))}
