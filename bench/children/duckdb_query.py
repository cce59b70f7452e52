"""The DuckDB side of bench/speed.py: one SQL query on a DuckDB database file, CSV to stdout.

    python bench/children/duckdb_query.py DB QUERY.sql > results.csv

What a researcher's script would be instead of `erasmus-kg query ... --format csv`: import duckdb only, open
the database read-only, run the query and let DuckDB write the CSV (with a header) to standard output, which
the benchmark reads from a pipe.
"""

import sys

import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
with open(sys.argv[2], encoding="utf-8") as f:  # noqa: PTH123 (pathlib: one import more)
    text = f.read().strip().rstrip(";")
con.execute(f"COPY ({text}) TO '/dev/stdout' (FORMAT csv, HEADER)")
