"""The screen: a fast first pass over a batch that finds which of its focus nodes may violate the shapes, so
that pySHACL validates only those.

- `three_valued`: True, False or None (cannot tell), and their AND and OR;
- `literals`: literals as rdflib (and so pySHACL) reads them, from their N-Triples text;
- `data_graph`: the batch's triples indexed as N-Triples strings;
- `shapes`: a compiled shape and how it is evaluated;
- `compiler`: the shapes graph read into compiled shapes;
- `screen`: `Screen`, the compiled shapes run over a batch, and the packaged screen.
"""

from erasmus_kg.validation.screen.screen import Screen, packaged_screen

__all__ = ["Screen", "packaged_screen"]
