"""Kinds of country involvement (derived.involvement): one IRI per set of ways, the same in whatever order
the ways come; one label per language, the ways' shown labels in reading order; and the lists of a country
show that label, in the SPARQL and from the index alike."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from erasmus_kg.cli import cli
from erasmus_kg.derived.involvement import KINDS, kind_iri, kind_triples
from erasmus_kg.derived.positions import kind_label
from erasmus_kg.namespaces import EKG, VOCAB

ROLE = VOCAB + "role/"
PARTICIPATING = EKG + "participatingCountry"
DESTINATION = EKG + "destinationCountry"


def test_a_kind_names_its_ways_in_one_order() -> None:
    assert kind_iri([ROLE + "partner", PARTICIPATING]) == KINDS + "participatingCountry+partner"
    assert (
        kind_iri([PARTICIPATING, ROLE + "partner", PARTICIPATING]) == KINDS + "participatingCountry+partner"
    )
    assert kind_iri([ROLE + "coordinator"]) == KINDS + "coordinator"
    # a way outside our vocabularies: its whole IRI, encoded (first: "http:" sorts before "https:")
    assert (
        kind_iri(["http://x.org/role#a b", DESTINATION])
        == KINDS + "http%3A%2F%2Fx.org%2Frole%23a%20b+destinationCountry"
    )


WAYS = st.sets(
    st.one_of(
        st.sampled_from([ROLE + "coordinator", ROLE + "partner", ROLE + "host", PARTICIPATING, DESTINATION]),
        st.text("ab+/%#: ", min_size=1, max_size=4).map(lambda t: "http://x.org/" + t),
        st.text("ab-+/", min_size=1, max_size=4).map(lambda t: ROLE + t),
    ),
    min_size=1,
    max_size=4,
)


@given(WAYS, WAYS)
def test_two_sets_of_ways_have_one_kind_only_when_they_are_the_same(one: set[str], other: set[str]) -> None:
    assert (kind_iri(one) == kind_iri(other)) == (one == other)
    ox.NamedNode(kind_iri(one))  # a valid IRI


def test_a_kinds_label_is_its_ways_labels_in_reading_order() -> None:
    assert kind_label(["partner", "coördinator", None, "partner"]) == "coördinator; partner"
    assert kind_label(["Zeta", "éducation", "alpha"]) == "alpha; éducation; Zeta"  # not code-point order
    assert kind_label([None]) is None


def test_each_node_has_the_kind_of_its_ways_and_each_kind_is_described_once() -> None:
    n = ox.NamedNode
    one, two = n("http://x.org/p/involvement/BE"), n("http://x.org/q/involvement/BE")
    involved_as = n(EKG + "involvedAs")
    triples = [
        ox.Triple(one, involved_as, n(ROLE + "partner")),
        ox.Triple(two, involved_as, n(PARTICIPATING)),
        ox.Triple(one, involved_as, n(PARTICIPATING)),
        ox.Triple(two, involved_as, n(ROLE + "partner")),
    ]
    kind = n(KINDS + "participatingCountry+partner")
    assert kind_triples(triples) == [
        ox.Triple(one, n(EKG + "involvementKind"), kind),
        ox.Triple(two, n(EKG + "involvementKind"), kind),
        ox.Triple(kind, n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n(EKG + "InvolvementKind")),
        ox.Triple(kind, n(EKG + "involvementWay"), n(PARTICIPATING)),
        ox.Triple(kind, n(EKG + "involvementWay"), n(ROLE + "partner")),
    ]


def test_the_list_of_a_country_shows_the_kinds_label_in_each_language(store_root: Path) -> None:
    runner = CliRunner()

    def rows(country: str, lang: str, fmt: str) -> list[str]:
        args = ["--store", str(store_root), "query", "projects-by-country", "--lang", lang, "-p"]
        result = runner.invoke(cli, [*args, f"country={country}", "--format", fmt], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    for fmt in ("csv", "table"):
        belgium = "\n".join(rows("BE", "nl", fmt))
        assert "coördinator; deelnemend land" in belgium, belgium
        assert "betrokken organisatie; coördinator; deelnemend land" in belgium, belgium
    assert rows("BE", "en", "csv")[1:5] == [
        "https://w3id.org/erasmus-kg/id/project/adeigus,ADult Educational Information and GUidance Service,"
        "ADEIGUS,KA2,coordinator; participating country",
        "https://w3id.org/erasmus-kg/id/project/coaching-children,"
        "Coaching children for a future full of opportunity,,KA1,project owner",
        "https://w3id.org/erasmus-kg/id/project/eep,Empowering E-portfolio Process,EEP,KA2,project owner",
        "https://w3id.org/erasmus-kg/id/project/goal,Guidance and Orientation for Adult Learners,GOAL,KA3,"
        "coordinator; participating country; participating organisation",
    ]
