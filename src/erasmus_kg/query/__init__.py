"""Stored SPARQL queries: the catalogue, parameter resolution, binding, targets, running and output."""
