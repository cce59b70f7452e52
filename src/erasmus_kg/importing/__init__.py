"""Importing published Erasmus+ data: a run reads a file with the importer of its kind into a named graph.

- `run`: an import run (`import_file`): rows -> N-Triples -> validation -> the store, or an N-Quads file.
- `registry`: the importers by kind (`prp`, `eche`); `importer`: the interface each of them implements.
- `prp` (with `prp_terms`, the Dutch labels of its words): the Project Results Platform export.
- `eche`: the list of Erasmus Charter holders.
- `rows`: reading CSV rows with `FILE:ROW` errors, and the problems of a bad row.
- `identity`: normalised names, slugs, the IRIs minted for organisations, projects and imported files.
- `countries`: the exports' country codes -> the packaged country vocabulary.
- `terms`: the RDF terms the importers write, serialised once.
- `concepts`: actions, topics, organisation types and programmes, found in the packaged vocabularies or
  minted; `existing`: what the store already holds about them; `sink`: where the triples go.
"""
