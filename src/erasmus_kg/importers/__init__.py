"""Importers of external datasets: the Erasmus+ Project Results Platform exports (`prp`) and the list of
Erasmus Charter holders (`eche`). `erasmus_kg.importing` runs them."""
