"""Validation against the SHACL shapes (ontology/shapes.ttl).

- `report`: the result of a validation, and how a violation is described for people;
- `shacl`: whole-graph runs with pySHACL (reading RDF files, the packaged shapes);
- `batch`: `Batch`, a piece of a large graph with the focus nodes it reports on;
- `context`: the packaged triples every batch is validated with;
- `batches`: large graphs (imports, the store's imported graphs) validated batch by batch, in workers;
  `validate` of the store (packaged data with the loaded graphs, and the imports);
- `loads`: `erasmus-kg load FILE`, the files validated before the store's load;
- `screen`: the shapes compiled to fast checks, which keep valid data away from pySHACL;
- `patches`: every patch of rdflib's and pySHACL's internals, with the versions it was written for.
"""
