"""The baseline of bench/query.py: a stored query's SPARQL on a build, with nothing but pyoxigraph.

    python bench/children/bare_query.py DB QUERY.rq > results.csv

DB is a build's database (`BuildInfo.db_path`), QUERY.rq the text `erasmus-kg query NAME ... --show-query`
printed. `erasmus-kg query NAME ... --format csv` is compared with this script, so it must stay the least a
program can do for the same output: import pyoxigraph only, open the store read-only, query the union of
the graphs, write CSV.
"""

import sys

import pyoxigraph

store = pyoxigraph.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:  # noqa: PTH123 (pathlib: one import more)
    text = f.read()
results = store.query(text, use_default_graph_as_union=True)
results.serialize(sys.stdout.buffer, pyoxigraph.QueryResultsFormat.CSV)
sys.stdout.buffer.flush()
