"""Importing published Erasmus+ data: the run, the importers (Project Results, ECHE) and what they share."""
