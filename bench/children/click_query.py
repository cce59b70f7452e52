"""The least a click program does for a stored query (bench/startup.py): bare_query.py behind click.

    python bench/children/click_query.py DB QUERY.rq query NAME [-p NAME=VALUE ...] [--lang L] [--format F]

A root group and a `query` subcommand that takes the arguments `erasmus-kg query NAME` takes (-p, --lang,
--format, as click parses them and checks their choices), then what bare_query.py does: open DB read-only,
run QUERY.rq on the union of the graphs, write CSV. Its time over bare_query.py is what click costs any
command line; the time of `erasmus-kg query` over it is what erasmus-kg adds.
"""

import sys

import click
import pyoxigraph

DB, QUERY_FILE = sys.argv[1], sys.argv[2]


@click.group()
def cli() -> None:
    """The root group."""


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]))
@click.option("--lang", type=click.Choice(["nl", "en"]))
def query(name: str, params: tuple[str, ...], fmt: str | None, lang: str | None) -> None:
    """Run the query."""
    store = pyoxigraph.Store.read_only(DB)
    with open(QUERY_FILE, encoding="utf-8") as f:  # noqa: PTH123 (pathlib: one import more)
        text = f.read()
    results = store.query(text, use_default_graph_as_union=True)
    results.serialize(sys.stdout.buffer, pyoxigraph.QueryResultsFormat.CSV)
    sys.stdout.buffer.flush()


cli.main(args=sys.argv[3:], prog_name="erasmus-kg")
