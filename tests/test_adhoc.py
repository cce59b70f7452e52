"""`query.adhoc`: the project's prefixes put before an ad hoc query (only those it does not declare, the query
itself unchanged), and updates told apart from queries."""

from __future__ import annotations

import pytest

from erasmus_kg.errors import InputFileError
from erasmus_kg.namespaces import PREFIXES
from erasmus_kg.query.adhoc import declared_prefixes, prepare, with_prefixes


def test_only_the_missing_prefixes_are_declared_before_the_unchanged_query() -> None:
    text = "PREFIX ekg: <http://example.org/x#>\nprefix : <http://e/>\nSELECT * { ?s ekg:p skos:q }"
    full, added = with_prefixes(text)
    assert added == 1
    line, rest = full.split("\n", 1)
    assert rest == text
    assert line == " ".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p != "ekg")


def test_a_query_that_declares_every_prefix_is_left_as_it_is() -> None:
    text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + "ASK {}"
    assert with_prefixes(text) == (text, 0)


def test_prefix_words_in_strings_iris_and_comments_declare_nothing() -> None:
    text = '# PREFIX ekg: <x>\nSELECT * { ?s <http://e/PREFIX> "PREFIX skos: <y>" ; ?PREFIX ?o }'
    assert declared_prefixes(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?insert WHERE { ?insert ?load ?clear }",
        'ASK { ?s ?p "DELETE" }',
        "# INSERT\nCONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE <http://e/DROP>",
    ],
)
def test_queries_that_mention_update_words_are_queries(text: str) -> None:
    assert prepare(text, "q.rq").endswith(text)


def test_an_update_after_a_prologue_is_refused_at_its_keyword() -> None:
    with pytest.raises(InputFileError) as raised:
        prepare("BASE <http://e/>\nPREFIX ex: <x>\n MOVE GRAPH ex:a TO ex:b", "move.rq")
    assert str(raised.value).startswith("move.rq:3:2: this is a SPARQL update (MOVE), ")
