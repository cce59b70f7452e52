"""The `erasmus-kg` command line. It only parses arguments, calls the library and maps results to output and
exit codes; the work happens in the modules it imports (lazily, to keep start-up fast).

Exit codes: 0 success; 1 data that does not conform to the shapes; 2 a usage or input error (unknown query
or parameter value, unreadable or malformed file, unreachable endpoint); 3 an internal error; 130 interrupted.

`app`: the root group (--store, --version, errors to exit codes, the table of commands, each imported when
it is looked up) and `main`; `options`: what commands share; one module per command group: `queries`
(queries, query NAME, sparql), `store` (load, sources, remove, info), `imports` (import prp|eche),
`validate`, `export` (export, docs), `serve`.
"""

from erasmus_kg.cli.app import cli, main

__all__ = ["cli", "main"]
