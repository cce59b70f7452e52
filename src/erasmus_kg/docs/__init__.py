"""HTML documentation of the ontology."""
