"""What an importer is: the interface every source's importer implements, and the one thing they all do the
same way (describing the imported file as an ekg:SourceDocument).

An importer is made for one file, with the `GraphSink` its triples go to, the source document they cite
(dcterms:source) and the store's `ExistingFacts`. The run (`importing.run`) asks it for the file's rows
(`rows`, the header checked) and hands them back to `import_rows`, which checks each row, stages its triples
in the sink and commits them; a bad row goes to the run's `bad_row` callback (which counts and reports it, or
raises to stop the import) and leaves nothing in the sink. The run wraps the rows in a progress meter between
the two, which is why they are two calls.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import ClassVar

from erasmus_kg.importing.encoding import TextEncoding, detect_encoding
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import slug
from erasmus_kg.importing.lists import ListFile
from erasmus_kg.importing.rows import BadRow, CsvLayout, Row, read_csv
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import T, iri, literal


class Importer(ABC):
    """Maps the rows of one file of one source into a `GraphSink`."""

    kind: ClassVar[str]
    """The name `erasmus-kg import KIND` takes ("prp", "eche")."""
    describes: ClassVar[str]
    """What its files are, for people: "an ECHE list" (in "this looks like an ECHE list: use ...")."""
    derives_while_reading: ClassVar[bool] = False
    """Whether the import derives its graph's derived facts and statistics from its rows as it commits them
    (`derivation.StreamingDerivation`: each row describes one project completely), so that the build need
    not evaluate the definitions over the imported graph. Otherwise the build derives them."""

    def __init__(
        self,
        path: Path,
        sink: GraphSink,
        source: str,
        existing: ExistingFacts,
        *,
        name: str | None = None,
        superseded: Mapping[str, str] | None = None,
        lists: frozenset[str] = frozenset(),
    ) -> None:
        self.path = path
        self.name = name or path.name
        """The imported file's name (`path` may be the store's kept copy of it, read again)."""
        self.superseded: Mapping[str, str] = superseded or {}
        """Row keys (`row_key`) that newer lists describe -> the graph of the list that does: such a row is
        checked but not described, only recorded as superseded (`_superseded_copy`; an importer that knows no
        overlaps ignores it)."""
        self.lists = lists
        """The graphs of the store's lists of this kind that take part in ownership (`lists.owners`): what
        another of them also holds is settled by rank (`superseded` here, or that list is imported again), so
        it is no reason to refuse a row. A graph outside them (imported before lists kept their files, or
        loaded) takes no part: a row describing what it describes is refused."""
        self.issued: str | None = None
        """The date of the list version the file is (dcterms:issued of its source document), if known."""
        self.revision_of: str | None = None
        """The source document (serialised IRI) of the version of the list this file replaces, if any."""
        self._sink = sink
        self._source = source
        """The serialised IRI of the file's ekg:SourceDocument."""
        self._existing = existing
        self.encoding: TextEncoding | None = None
        """How the file's text was read (`encoding.detect_encoding`), once `rows` was asked; None for a file
        that is not text (an XLSX workbook)."""

    @classmethod
    @abstractmethod
    def recognises(cls, path: Path) -> bool:
        """Whether `path` starts with this source's header (cheap: only the start of the file is read), so
        that a file given to the wrong importer can be sent to the right one (`registry.check_kind`)."""

    @abstractmethod
    def source_title(self) -> str:
        """The English title of the imported file (dcterms:title of its source document)."""

    @abstractmethod
    def source_format(self) -> str:
        """The media type of the imported file (dcterms:format)."""

    @abstractmethod
    def rows(self) -> Iterator[Row]:
        """The data rows of the file, read one at a time; InputFileError when the file (or its header) is
        not one of this source."""

    def row_key(self, cells: Sequence[str]) -> str | None:
        """What identifies the thing a row describes across versions of a list (a project's identifier), once
        `rows` has read the header; None when the row names none (or the importer knows no keys)."""
        return None

    @classmethod
    def stored_key(cls, key: str) -> str:
        """A key as the rows file of a list imported by an earlier version of this importer holds it, written
        as `row_key` writes it now (the same key for the same row); a key it cannot tell, as it is."""
        return key

    def column_names(self) -> Sequence[str]:
        """The names of the file's columns, once `rows` has read the header."""
        return ()

    @abstractmethod
    def import_rows(self, rows: Iterable[Row], bad_row: Callable[[BadRow], None]) -> int:
        """Check and map `rows` into the sink, committing as it goes; every bad row goes to `bad_row` and
        leaves nothing behind. Returns how many rows were imported."""

    def _csv_rows(
        self, layout: CsvLayout, check_header: Callable[[list[str] | None, int], None]
    ) -> Iterator[Row]:
        """The rows of a CSV file, its encoding found first (the whole file is decoded before any row is
        read, so a file in neither encoding is refused before anything is written) and kept in `encoding`."""
        self.encoding = detect_encoding(self.path)
        return read_csv(self.path, layout, self.encoding, check_header)

    def _superseded_copy(self, node: str, owner: str) -> None:
        """Stage that this file's copy of `node` (serialised IRI: a project, a charter) is superseded by the
        list whose graph is `owner`, which describes the node: a prov:Entity, the specialisation of the node
        that this file gives, `<node>/copy/<slug of the list's name>`. The caller commits."""
        copy = iri(f"{node[1:-1]}/copy/{slug(ListFile.of(Path(self.name)).name)}")
        self._sink.describe(copy, T.prov_entity)
        self._sink.add(copy, T.specialization_of, node)
        self._sink.add(copy, T.had_primary_source, self._source)
        self._sink.add(copy, T.superseded_in, iri(owner))

    def describe_source(self) -> None:
        """Stage and commit the ekg:SourceDocument that describes the imported file."""
        sink, source = self._sink, self._source
        sink.describe(source, T.source_document)
        sink.add(source, T.title, literal(self.source_title(), language="en"))
        sink.add(source, T.identifier, literal(self.name))
        sink.add(source, T.format, literal(self.source_format()))
        if self.issued is not None:
            sink.add(source, T.issued, literal(self.issued, "date"))
        if self.revision_of is not None:
            sink.add(source, T.was_revision_of, self.revision_of)
        sink.commit()
