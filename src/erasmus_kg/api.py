"""The Python API for notebooks and scripts: one `KnowledgeGraph` over the default (or a given) store.

    import erasmus_kg

    kg = erasmus_kg.open()                                         # the store the CLI uses
    rows = kg.query("projects-by-country", country="Lithuania")    # stored query: a list of dicts
    frame = kg.dataframe("projects-by-country", country="LT")      # the same as a pandas DataFrame
    rows = kg.sparql("SELECT ?p WHERE { ?p a <https://w3id.org/erasmus-kg/ontology#Project> }")
    with kg.rdflib() as dataset:                                   # a read-only rdflib Dataset view
        dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

Parameters are resolved and bound exactly as on the command line (names in any EU language, codes, IRIs;
never pasted into the query text). Every call reads the store's current build for its own duration, so a
rebuild by another process never shows half-done. Literal values come back as Python values (int, Decimal,
float, bool) where their datatype has one, IRIs as strings, unbound variables as None.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from erasmus_kg.errors import UsageError
from erasmus_kg.namespaces import XSD as _XSD
from erasmus_kg.store.default import DefaultStore

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import rdflib

    from erasmus_kg.importing.run import ImportResult
    from erasmus_kg.store.manifest import GraphInfo
    from erasmus_kg.validation.report import ValidationResult

Row = dict[str, Any]

_NUMBERS: dict[str, type] = {
    **{_XSD + name: int for name in ("integer", "int", "long", "short", "nonNegativeInteger")},
    **{_XSD + name: int for name in ("positiveInteger", "nonPositiveInteger", "negativeInteger")},
    _XSD + "decimal": Decimal,
    _XSD + "double": float,
    _XSD + "float": float,
}


def open(store: str | Path | None = None) -> KnowledgeGraph:
    """The knowledge graph in the store at `store` (default: the CLI's store, `$ERASMUS_KG_STORE` or the
    user data directory). Nothing is read until a method is called."""
    return KnowledgeGraph(store)


class KnowledgeGraph:
    """The graph of one embedded store: stored queries, SPARQL, an rdflib view, import, validate, export."""

    def __init__(self, store: str | Path | None = None) -> None:
        self.store = DefaultStore(Path(store) if store is not None else None)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({str(self.store.root)!r})"

    # -- reading ---------------------------------------------------------------------------------------

    def query(self, name: str, /, *, lang: str = "en", **params: str | int) -> list[Row]:
        """Run the stored query `name` (see `erasmus-kg queries`) with its parameters; one dict per row."""
        from erasmus_kg.query.running import run_stored
        from erasmus_kg.query.targets import StoreTarget

        raw = {key: str(value) for key, value in params.items()}
        with self.store.open_reader() as reader:
            return _rows(run_stored(name, raw, lang, StoreTarget(reader)))

    def dataframe(self, name: str, /, *, lang: str = "en", **params: str | int) -> pandas.DataFrame:
        """`query` as a pandas DataFrame (columns in the query's order). Needs pandas installed."""
        try:
            import pandas
        except ImportError:
            raise UsageError("dataframe() needs pandas: pip install pandas") from None
        from erasmus_kg.query.catalogue import get_query

        rows = self.query(name, lang=lang, **params)
        columns = list(rows[0]) if rows else _select_variables(get_query(name).text)
        return pandas.DataFrame(rows, columns=columns)

    def sparql(self, text: str) -> list[Row] | bool:
        """Run a SPARQL SELECT (rows) or ASK (a bool) over all graphs of the store. The project's prefixes
        need no declaration, as in `erasmus-kg sparql` (`query.adhoc`); an error names the text `<query>`."""
        from erasmus_kg.query.adhoc import prepare
        from erasmus_kg.query.targets import StoreTarget

        text = prepare(text, "<query>")
        with self.store.open_reader() as reader:
            results = StoreTarget(reader).query(text)
            if isinstance(results, ox.QueryBoolean):
                return bool(results)
            return _rows(results)

    @contextlib.contextmanager
    def rdflib(self) -> Iterator[rdflib.Dataset]:
        """A read-only rdflib `Dataset` over the store (through oxrdflib), its default graph the union of
        all named graphs. Valid inside the `with` block only: the build it reads is held until then."""
        import rdflib
        from oxrdflib import OxigraphStore

        with self.store.open_reader() as reader:
            dataset = rdflib.Dataset(store=OxigraphStore(store=reader), default_union=True)
            try:
                yield dataset
            finally:
                dataset.close()

    def sources(self) -> list[GraphInfo]:
        """The named graphs of the store and where each comes from."""
        self.store.ensure()
        return self.store.graphs()

    # -- changing --------------------------------------------------------------------------------------

    def import_file(
        self, kind: str, path: str | Path, *, on_error: str = "fail", force: bool = False
    ) -> ImportResult:
        """Import a Project Results export (`kind="prp"`) or the ECHE list (`"eche"`), validated, into its
        list's named graph; the same as `erasmus-kg import KIND PATH` (`result.changes`: what a refresh
        changed)."""
        from erasmus_kg.importing.run import import_file

        root = self.store.root
        return import_file(kind, Path(path), root=root, on_error=on_error, progress=False, force=force)

    def remove(self, source: str) -> str:
        """Take a loaded or imported source out of the store, as `erasmus-kg remove SOURCE`; its IRI."""
        from erasmus_kg.importing.removal import remove_source

        return remove_source(self.store.root, source)

    def validate(self, files: Sequence[str | Path] | None = None) -> ValidationResult:
        """Validate `files` (with the packaged ontology and data), or else the packaged data and every
        imported dataset, against the shapes; the result's `conforms`, `violations` and `text()`."""
        if files:
            from erasmus_kg.validation.shacl import validate_files

            return validate_files([Path(f) for f in files])
        from erasmus_kg.validation.batches import validate_packaged_and_imports

        return validate_packaged_and_imports(self.store.root)

    def export(self, path: str | Path, *, format: str | None = None, context: str = "link") -> Path:
        """Export the whole graph to `path` (format from the suffix unless given: jsonld, turtle, ntriples,
        nquads, trig), atomically. Returns the path."""
        from erasmus_kg.export import export_to_path, format_for_path

        target = Path(path)
        fmt = format or format_for_path(target)
        if fmt is None:
            raise UsageError(f"{target}: give format= (the suffix names no export format)")
        with self.store.open_reader() as reader:
            export_to_path(reader, fmt, target, context=context)
        return target


def _rows(results: object) -> list[Row]:
    if not isinstance(results, ox.QuerySolutions):
        raise UsageError("not a SELECT query: use sparql() for SELECT and ASK")
    names = [v.value for v in results.variables]
    return [{name: _python(solution[name]) for name in names} for solution in results]


def _python(term: object) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        kind = _NUMBERS.get(term.datatype.value)
        if kind is not None:
            with contextlib.suppress(ValueError, ArithmeticError):
                return kind(term.value)
        if term.datatype.value == _XSD + "boolean" and term.value in ("true", "false", "1", "0"):
            return term.value in ("true", "1")
        return term.value
    return str(term)


def _select_variables(text: str) -> list[str]:
    """The projected variables of a stored query with no rows, read by pyoxigraph on an empty store."""
    results = ox.Store().query(text)
    return [v.value for v in results.variables] if isinstance(results, ox.QuerySolutions) else []
