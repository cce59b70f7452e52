"""What the search index and the organisation lists cost to write, source by source, on an existing store.

    .venv/bin/python bench/search_index.py --store DIR [--json FILE]

For every source graph of the store's current build: the time to read its documents back from the store
(`derived.search_index.documents_in`: titles, names, organisations, summaries, facets from its derived graph)
and to write them (`write_index`), the documents and the file's size; then the organisation lists
(`derived.organisation_lists.write`, from the build's list positions). The files are written to a temporary
folder and removed: the store is only read. This is the work every build adds for a source it loads.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import benchlib  # bench/benchlib.py (bench/ is sys.path[0] when this file is run)
import pyoxigraph as ox
from benchlib import log, markdown_table

from erasmus_kg.derived import organisation_lists, search_index
from erasmus_kg.derived.graphs import derived_graph, is_derived
from erasmus_kg.derived.positions import ORGANISATION_LANGUAGES
from erasmus_kg.namespaces import EKG
from erasmus_kg.store.default import DefaultStore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    before = benchlib.machine()
    store = DefaultStore(args.store)
    rows, figures = [], []
    with store.open_build() as (reader, _build_dir), tempfile.TemporaryDirectory() as scratch:
        for graph in store.graphs():
            if is_derived(graph.iri):
                continue
            log(f"{graph.iri}: reading")
            started = time.perf_counter()
            derived = [
                q.triple
                for p in sorted(search_index.DERIVED_PREDICATES)
                for q in reader.quads_for_pattern(
                    None, ox.NamedNode(p), None, ox.NamedNode(derived_graph(graph.iri))
                )
            ]
            found = search_index.documents_in(reader, graph.iri, derived)
            documents = found.documents
            read = time.perf_counter() - started
            if not documents:
                continue
            log(f"{graph.iri}: writing {len(documents)} documents")
            path = Path(scratch) / "index.sqlite"
            started = time.perf_counter()
            search_index.write_index(path, documents, found.participations)
            written = time.perf_counter() - started
            size = path.stat().st_size
            path.unlink()
            rows.append([graph.iri, len(documents), f"{read:.1f}", f"{written:.1f}", f"{size / 1e6:.0f}"])
            figures.append(
                {"graph": graph.iri, "documents": len(documents), "read_s": read, "write_s": written}
            )
        started = time.perf_counter()
        places = {
            lang: {
                q.subject.value: int(q.object.value)
                for q in reader.quads_for_pattern(None, ox.NamedNode(EKG + prop), None)
                if isinstance(q.object, ox.Literal)
            }
            for lang, prop in ORGANISATION_LANGUAGES.items()
        }
        listed = organisation_lists.write(Path(scratch) / organisation_lists.FILE, reader, places)
        lists = time.perf_counter() - started
    after = benchlib.machine()
    print(
        f"Search index and organisation lists of {args.store}; {before.nproc} cores ({before.cpu}), "
        f"{before.ram}, Python {before.python}, pyoxigraph {before.pyoxigraph}, "
        f"erasmus-kg {before.erasmus_kg} at {before.code}; "
        f"load average {before.load} at the start, {after.load} at the end.\n"
    )
    print(
        markdown_table(
            ["source graph", "documents", "read (s)", "write (s)", "file (MB)"],
            rows,
            [False, True, True, True, True],
        )
    )
    print(f"\nOrganisation lists: {listed} rows in {lists:.1f} s (including reading the positions).")
    if args.json:
        figures.append({"organisation_lists_rows": listed, "organisation_lists_s": lists})
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
