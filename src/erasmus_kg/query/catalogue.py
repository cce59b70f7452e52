"""The catalogue of stored queries: one SPARQL file per query in `queries/`, described by its `#+` header.

The header is grlc's convention, YAML behind `#+`:

    #+ summary: Projects that involve a country
    #+ description: ...
    #+ tags: [projects, countries]
    #+ params:
    #+   - name: country
    #+     type: country
    #+     required: true
    #+     description: ...
    #+     example: Lithuania
    #+ columns:
    #+   project: {nl: Project, en: Project}
    #+   title: {nl: Titel, en: Title}

`columns` gives the heading of each result variable in Dutch and English, for the table and Markdown formats
(CSV, TSV and JSON keep the variable names). Everything about a query is in its file; nothing is repeated in
Python. Parameters are bound as values (see `binding`), never by replacing text as grlc does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from erasmus_kg import resources
from erasmus_kg.errors import ErasmusKGError, UsageError

_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


PARAMETER_LABELS: dict[str, dict[str, str]] = {
    "country": {"nl": "Land", "en": "Country"},
    "action": {"nl": "Actie", "en": "Action"},
    "sector": {"nl": "Sector", "en": "Sector"},
    "theme": {"nl": "Thema", "en": "Theme"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "project": {"nl": "Project", "en": "Project"},
    "year": {"nl": "Jaar", "en": "Year"},
    "integer": {"nl": "Leeftijd", "en": "Age"},
}
"""The label of a parameter on a form, by its type (the types' meanings are the same in every query)."""

PARAMETER_HELP_NL: dict[str, str] = {
    "country": "De naam van het land in een EU-taal (Litouwen, Lithuania, Lituanie), een ISO- of EU-code "
    "(LT, LTU, EL, UK) of een IRI, in hoofd- of kleine letters.",
    "action": "Een kernactie, actietype of platform: de code (KA1, KA204), de naam of een IRI.",
    "sector": "Een sector: de naam in het Nederlands of Engels (volwasseneneducatie, adult education).",
    "theme": "Een thema: de naam in het Nederlands of Engels (keuzebegeleiding, soft skills).",
    "organisation": "(Een deel van) de naam van een organisatie, of een IRI.",
    "project": "Het projectnummer (2017-1-RS01-KA101-000006), de titel, het acroniem of een IRI.",
    "year": "Een jaar, zoals 2016.",
    "integer": "Een leeftijd in jaren, zoals 17.",
}
"""The help of a parameter on a Dutch form, by its type (each query's header gives the English help)."""


# Records are NamedTuples, not frozen dataclasses: a frozen dataclass compiles six methods when it is defined
# (~0.6 ms a class on the 2-core machine), and this module is on the start-up of every query
# (docs/benchmarks.md, "The CLI's own cost").
class Parameter(NamedTuple):
    name: str
    type: str
    required: bool
    description: str
    example: str | None = None

    def to_json(self) -> dict[str, object]:
        """The parameter as `erasmus-kg queries --format json` and `/api/queries` list it."""
        return {"name": self.name, "type": self.type, "required": self.required, "example": self.example}

    def label(self, lang: str) -> str:
        """The parameter's label on a form in `lang` (its name when its type has none)."""
        return PARAMETER_LABELS.get(self.type, {}).get(lang, self.name)

    def help(self, lang: str) -> str:
        """The parameter's help on a form in `lang`: the header's description in English."""
        return PARAMETER_HELP_NL.get(self.type, self.description) if lang == "nl" else self.description


class Column(NamedTuple):
    """A result variable and its heading in each language."""

    name: str
    headings: tuple[tuple[str, str], ...]  # (language, heading), in the order of LANGUAGES

    def heading(self, lang: str) -> str:
        return dict(self.headings).get(lang, self.name)


HEADING_LANGUAGES = ("nl", "en")
"""The languages every column heading is given in."""


class PageIndex(NamedTuple):
    """A stored query whose page the build's indexes can give: the nodes (`node`: the page subquery's
    variable, `project` or `organisation`) that have the parameter `param`'s one value for `kind` in the
    index (`derived.search_index`, `derived.organisation_lists`; kind `all`: every project), in list order.
    tests/test_indexed_pages.py holds every such query to the same rows as its page subquery."""

    kind: str
    param: str | None = None
    node: str = "project"
    rows: str = "one"
    """How many rows a node has: "one" (the page is the nodes the index gives), or "several", one for each
    value of the parameter it has and more (`projects-by-organisation`: a row per project, organisation and
    role): the page is then cut by LIMIT/OFFSET from the rows of the first nodes the index gives, each bound
    with the parameter's values it has, and the parameter may have several values."""


class StoredQuery(NamedTuple):
    name: str
    path: Path
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Parameter, ...] = ()
    columns: tuple[Column, ...] = ()
    summary_nl: str = ""
    page_index: PageIndex | None = None
    """Where the build's indexes give the query's pages (declared by the header's `page_index`)."""
    index_rows: tuple[tuple[str, str], ...] = ()
    """What the search index holds of each row (declared by the header's `index_rows`: each variable of
    SELECT, in order, to one of `INDEX_VALUES` or `ORGANISATION_VALUES`, the values
    `SearchIndex.list_rows` gives): the embedded store then gives the whole list from the index
    (`query.indexed_lists`)."""

    def summary_in(self, lang: str) -> str:
        """The summary in `lang` (nl or en; English for any other)."""
        return self.summary_nl if lang == "nl" and self.summary_nl else self.summary

    def headings(self, lang: str) -> dict[str, str]:
        """The heading of each result variable in `lang` (a variable without one is headed by its name)."""
        return {column.name: column.heading(lang) for column in self.columns}

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def param(self, name: str) -> Parameter | None:
        return next((p for p in self.params if p.name == name), None)

    def example_command(self) -> str:
        args = "".join(f" -p {p.name}={_shell_word(p.example)}" for p in self.params if p.example is not None)
        return f"erasmus-kg query {self.name}{args}"


class QueryFileError(ErasmusKGError):
    """A stored query's header is missing or malformed (a defect of the package, caught by the tests)."""

    exit_code = 3


def read_header(path: Path) -> dict[str, Any]:
    """The `#+` header of a stored query, parsed as YAML (through `_HeaderCache`: PyYAML's import and parse
    cost a query command about 15 ms, most of what it spends before the store is opened)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif lines and line.strip():
            break
    if not lines:
        raise QueryFileError(f"{path}: no '#+' header")
    text = "\n".join(lines)
    cache = _HeaderCache(text)
    header = cache.read()
    if header is not None:
        return header
    import yaml

    try:
        header = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise QueryFileError(f"{path}: the '#+' header is not valid YAML: {exc}") from None
    if not isinstance(header, dict):
        raise QueryFileError(f"{path}: the '#+' header is not a mapping")
    cache.write(header)
    return header


class _HeaderCache:
    """Parsed headers as JSON in the user's cache directory, one file per header text (named by its hash, so
    a changed header is parsed anew and never read stale). Best effort: an unreadable, unwritable or damaged
    cache only means the header is parsed again."""

    VERSION = "3"  # 2: the headers hold `columns`; 3: and `summary_nl`

    def __init__(self, text: str) -> None:
        from erasmus_kg.digests import blake2b

        digest = blake2b(f"{self.VERSION}\0{text}".encode(), digest_size=16).hexdigest()
        self.path = _cache_dir() / "query-headers" / f"{digest}.json"

    def read(self) -> dict[str, Any] | None:
        import json

        try:
            header = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return header if isinstance(header, dict) else None

    def write(self, header: dict[str, Any]) -> None:
        import json
        import os

        try:
            text = json.dumps(header, ensure_ascii=False)
        except (TypeError, ValueError):
            return  # a value JSON cannot hold (a YAML date): parse it each time
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            partial.write_text(text, encoding="utf-8")
            partial.replace(self.path)
        except OSError:
            return


@cache
def _cache_dir() -> Path:
    """The user's cache directory for erasmus-kg (`user_dirs`)."""
    from erasmus_kg.user_dirs import user_dir

    return user_dir("cache")


def load_query(path: Path) -> StoredQuery:
    header = read_header(path)
    name = path.stem
    if not _NAME.match(name):
        raise QueryFileError(f"{path}: query names are kebab-case")
    for key in ("summary", "summary_nl", "description", "tags"):
        if not header.get(key):
            raise QueryFileError(f"{path}: the header has no {key}")
    params = []
    for raw in header.get("params") or []:
        if not isinstance(raw, dict) or not {"name", "type", "required", "description"} <= raw.keys():
            raise QueryFileError(f"{path}: each parameter needs name, type, required and description")
        example = raw.get("example")
        params.append(
            Parameter(
                name=str(raw["name"]),
                type=str(raw["type"]),
                required=bool(raw["required"]),
                description=" ".join(str(raw["description"]).split()),
                example=None if example is None else str(example),
            )
        )
    return StoredQuery(
        name=name,
        path=path,
        summary=" ".join(str(header["summary"]).split()),
        summary_nl=" ".join(str(header["summary_nl"]).split()),
        description=str(header["description"]).strip(),
        tags=tuple(str(t) for t in header["tags"]),
        params=tuple(params),
        columns=_columns(path, header.get("columns")),
        page_index=_page_index(path, header.get("page_index"), {p.name for p in params}),
        index_rows=_index_rows(path, header),
    )


INDEX_VALUES = (
    "project",
    "title",
    "acronym",
    "action",
    "involvement",
    "start",
    "end",
    "callYear",
    "countryCount",
    "countryCodes",
)
"""What a row of a list of projects in the search index holds (`SearchIndex.list_rows`); `involvement`, the
kind of the project's involvement of the country (`derived.involvement`), in the lists of a country only;
`callYear`, the call year of a project without a start date; `countryCount` and `countryCodes`, how many
countries it involves and their codes (`derived.country_cells`; 0 and "" for none)."""
ORGANISATION_VALUES = ("organisation", "name", "country", "countryName", "kind", "locality", "projects")
"""What a row of a list of the organisations of a country holds (`OrganisationLists.list_rows`)."""


def _index_rows(path: Path, header: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    raw = header.get("index_rows")
    if raw is None:
        return ()
    columns = header.get("columns")
    page_index = header.get("page_index")
    organisations = isinstance(page_index, dict) and page_index.get("kind") == "organisation-country"
    known = ORGANISATION_VALUES if organisations else INDEX_VALUES
    if (
        not isinstance(raw, dict)
        or not all(isinstance(value, str) and value in known for value in raw.values())
        or not isinstance(columns, dict)
        or list(raw) != list(columns)
    ):
        raise QueryFileError(
            f"{path}: 'index_rows' maps each of the columns, in order, to one of {', '.join(known)}"
        )
    if not isinstance(page_index, dict) or page_index.get("rows", "one") != "one":
        raise QueryFileError(
            f"{path}: 'index_rows' needs a 'page_index' with one row a project or an organisation"
        )
    if "involvement" in raw.values() and page_index.get("kind") != "country":
        raise QueryFileError(f"{path}: 'index_rows' has an involvement in the lists of a country only")
    return tuple((str(variable), str(value)) for variable, value in raw.items())


def _page_index(path: Path, raw: object, params: set[str]) -> PageIndex | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("kind"), str)
        or set(raw) - {"kind", "param", "node", "rows"}
        or raw.get("rows", "one") not in ("one", "several")
    ):
        raise QueryFileError(
            f"{path}: 'page_index' is {{kind: KIND, param: PARAMETER, node: VARIABLE, rows: one|several}}"
        )
    param = raw.get("param")
    if param is not None and param not in params:
        raise QueryFileError(f"{path}: 'page_index' names no parameter of the query: {param!r}")
    if raw.get("rows") == "several" and param is None:
        raise QueryFileError(f"{path}: 'page_index' with several rows a node needs its parameter")
    return PageIndex(
        str(raw["kind"]),
        None if param is None else str(param),
        str(raw.get("node", "project")),
        str(raw.get("rows", "one")),
    )


def _columns(path: Path, raw: object) -> tuple[Column, ...]:
    """The `columns` mapping of a header: each variable to its heading in every one of HEADING_LANGUAGES."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise QueryFileError(f"{path}: 'columns' maps each result variable to its headings")
    columns = []
    for name, headings in raw.items():
        if not isinstance(headings, dict) or set(headings) != set(HEADING_LANGUAGES):
            languages = " and ".join(HEADING_LANGUAGES)
            raise QueryFileError(f"{path}: column {name!r} needs a heading in {languages}, and only those")
        if not all(isinstance(headings[lang], str) and headings[lang].strip() for lang in HEADING_LANGUAGES):
            raise QueryFileError(f"{path}: column {name!r}: each heading is a text (quote Yes, No, On, Off)")
        columns.append(Column(str(name), tuple((lang, headings[lang].strip()) for lang in HEADING_LANGUAGES)))
    return tuple(columns)


def query_names(directory: Path | None = None) -> list[str]:
    directory = directory or resources.queries_dir()
    return sorted(p.stem for p in directory.glob("*.rq"))


@cache
def get_query(name: str) -> StoredQuery:
    path = resources.queries_dir() / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        from difflib import get_close_matches

        close = get_close_matches(name, query_names(), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else " See: erasmus-kg queries"
        raise UsageError(f"unknown query {name!r}.{hint}")
    return load_query(path)


def load_catalogue() -> list[StoredQuery]:
    return [get_query(name) for name in query_names()]


def internal_query(name: str) -> str:
    """The text of an internal query (queries/internal/NAME.rq), used to resolve parameter values."""
    return (resources.queries_dir() / "internal" / f"{name}.rq").read_text(encoding="utf-8")


def _shell_word(value: str) -> str:
    return value if re.fullmatch(r"[\w.:/@%+-]+", value) else "'" + value.replace("'", "'\\''") + "'"
