"""Triple stores elsewhere: HTTP, the SPARQL protocol target and publishing by the Graph Store Protocol."""
