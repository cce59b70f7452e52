"""The DuckDB side of bench/speed.py, once: a DuckDB database file from a Project Results export.

    python bench/children/duckdb_build.py EXPORT.csv DB.duckdb

What a researcher would do with the export: one table `projects` with the export's own 622 columns, as text
(`all_varchar`: identifiers and codes stay as written), read by DuckDB's CSV reader. Replaces DB. Prints the
number of rows on stdout.
"""

import sys

import duckdb

csv_path, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
con.execute(
    "CREATE OR REPLACE TABLE projects AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
    [csv_path],
)
(rows,) = con.execute("SELECT count(*) FROM projects").fetchone()
con.execute("CHECKPOINT")
con.close()
print(rows)
