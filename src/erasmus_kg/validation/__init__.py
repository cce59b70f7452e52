"""SHACL validation: the report, whole-graph runs, batches of imports and the compiled screen."""
