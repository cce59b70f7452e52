"""The statistics of the graph as an RDF Data Cube (W3C `qb:`): project counts and grant sums by country, by
pair of countries, by action, by sector, by call year and by programme.

Each data set is defined by one aggregate query in `queries/statistics/<data set>.rq`, evaluated per source
graph (`GRAPH ?source { ?project a ekg:Project }`): its grouped variables are the dimensions (variable
`refCountry` is the dimension property `ekg:refCountry`), `projectCount` and `grantSum` the measures. A
source's rows are its partial statistics, kept with its derived graph; the cube of a build is their sum over
every source (a project is described by one source), so a build never aggregates over the whole store. The
data sets and their structures (`qb:DataSet`, `qb:DataStructureDefinition`) are packaged data
(data/cube.ttl).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, BinaryIO

import pyoxigraph as ox

from erasmus_kg.derived import definitions
from erasmus_kg.digests import blake2b
from erasmus_kg.namespaces import EKG, PREFIXES, QB, RDF, XSD

STAT = PREFIXES["stat"]
"""Data sets are `stat:<name>`, their observations `stat:<name>/<hash of the dimension values>`."""
MEASURES = ("projectCount", "grantSum")

Partial = list[Any]
"""One row of a source's statistics, as JSON: [data set, [[dimension, N-Triples term], ...], count, grant]."""


def source_partials(store: ox.Store, source: str) -> list[Partial]:
    """The statistics rows of the projects of graph `source`."""
    rows: list[Partial] = []
    for name, text in definitions.statistics().items():
        results = store.query(text, use_default_graph_as_union=True, named_graphs=[ox.NamedNode(source)])
        assert isinstance(results, ox.QuerySolutions)
        dimensions = [v.value for v in results.variables if v.value not in MEASURES]
        for solution in results:
            count = solution["projectCount"]
            if not isinstance(count, ox.Literal) or count.value == "0":
                continue
            grant = solution["grantSum"]
            dims = [[d, str(solution[d])] for d in dimensions if solution[d] is not None]
            rows.append([name, dims, int(count.value), grant.value if isinstance(grant, ox.Literal) else "0"])
    return rows


def add_up(partials: Iterable[Iterable[Partial]]) -> dict[tuple[str, tuple[tuple[str, str], ...]], list[Any]]:
    """The cube: per (data set, dimension values), the summed [count, grant]."""
    totals: dict[tuple[str, tuple[tuple[str, str], ...]], list[Any]] = {}
    for rows in partials:
        for name, dims, count, grant in rows:
            key = (str(name), tuple(sorted((str(d), str(v)) for d, v in dims)))
            total = totals.setdefault(key, [0, Decimal(0)])
            total[0] += int(count)
            total[1] += Decimal(str(grant))
    return totals


def write_cube(totals: Mapping[tuple[str, tuple[tuple[str, str], ...]], list[Any]], out: BinaryIO) -> int:
    """The observations of the cube as N-Triples, in a stable order; returns how many."""
    lines: list[str] = []
    for (name, dims), (count, grant) in sorted(totals.items()):
        key = "\n".join(f"{d} {v}" for d, v in dims)
        node = f"<{STAT}{name}/{blake2b(key.encode(), digest_size=8).hexdigest()}>"
        lines.append(f"{node} <{RDF}type> <{QB}Observation> .")
        lines.append(f"{node} <{QB}dataSet> <{STAT}{name}> .")
        lines.extend(f"{node} <{EKG}{d}> {v} ." for d, v in dims)
        lines.append(f'{node} <{EKG}projectCount> "{count}"^^<{XSD}integer> .')
        lines.append(f'{node} <{EKG}grantSum> "{_decimal(grant)}"^^<{XSD}decimal> .')
    out.write(("\n".join(lines) + "\n" if lines else "").encode())
    return len(totals)


def _decimal(value: Decimal) -> str:
    """The canonical form Oxigraph keeps ("12.5", "100", "0"), so the file and the store agree."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
