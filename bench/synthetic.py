"""A deterministic synthetic graph of Erasmus+ projects in the erasmus-kg ontology's shape, for benchmarks.

`generate(path, projects=..., seed=...)` writes N-Triples and returns the number of triples written. The
same arguments always give the same bytes (a seeded `random.Random`, no clock, no hash order). The shape
follows data/brochure.ttl:

- ekg:Project: rdf:type, dcterms:title (@en; a third also @nl), ekg:acronym (60%), ekg:action (a real action
  concept of data/vocabularies.ttl), ekg:sector, ekg:callYear (xsd:gYear), dcterms:source (its own
  ekg:SourceDocument), ekg:participation (1 coordinator + 0-10 partners), ekg:participatingCountry (30% of
  the projects, the countries of their organisations), ekg:activity (KA1 projects: 1-3 mobility activities
  with an ekg:destinationCountry).
- ekg:Participation: rdf:type, ekg:organisation, ekg:role (vocab/role/coordinator or vocab/role/partner).
- ekg:Organisation (reused across projects, ~0.8 per project): rdf:type, skos:prefLabel, ekg:country (one of
  35 European countries of data/countries.ttl, weighted), ekg:organisationKind, dcterms:source.
- ekg:SourceDocument: rdf:type, dcterms:title (@en), dcterms:identifier.

About 40 triples per project: the default 25,000 projects give ~1 million triples.

Run it alone: python bench/synthetic.py OUT.nt [--projects N] [--seed S]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

VERSION = 1
"""Raised whenever a change to this module changes its output (stores of an older version are rebuilt)."""
DEFAULT_PROJECTS = 25_000
DEFAULT_SEED = 20240611
ORGANISATIONS_PER_PROJECT = 0.8

_BASE = "https://w3id.org/erasmus-kg/"
_EKG = _BASE + "ontology#"
_ID = _BASE + "id/"
_VOCAB = _BASE + "vocab/"
_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_DCT = "http://purl.org/dc/terms/"
_XSD_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"

# (country code, weight): roughly how often each country takes part; all are concepts of data/countries.ttl.
COUNTRIES: tuple[tuple[str, int], ...] = (
    ("DEU", 14), ("FRA", 12), ("ESP", 12), ("ITA", 12), ("POL", 8), ("NLD", 7), ("BEL", 7), ("PRT", 6),
    ("GRC", 5), ("ROU", 5), ("TUR", 5), ("AUT", 4), ("CZE", 4), ("SWE", 4), ("FIN", 4), ("HUN", 4),
    ("IRL", 3), ("LTU", 3), ("DNK", 3), ("BGR", 3), ("SVK", 3), ("SVN", 3), ("HRV", 3), ("LVA", 2),
    ("EST", 2), ("NOR", 2), ("GBR", 2), ("CYP", 2), ("MLT", 1), ("LUX", 1), ("ISL", 1), ("MKD", 1),
    ("SRB", 1), ("LIE", 1), ("CHE", 1),
)  # fmt: skip

# (action concept local name, weight, sector local names it goes with)
ACTIONS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("KA1", 30, ("school-education", "vocational-education-and-training", "higher-education", "youth")),
    ("KA2", 10, ("education-and-training", "youth")),
    ("KA3", 3, ("education-and-training", "youth")),
    ("KA201", 12, ("school-education",)),
    ("KA202", 12, ("vocational-education-and-training",)),
    ("KA203", 8, ("higher-education",)),
    ("KA204", 10, ("adult-education",)),
    ("strategic-partnerships", 5, ("education-and-training",)),
    ("sector-skills-alliances", 2, ("vocational-education-and-training",)),
    ("knowledge-alliances", 2, ("higher-education",)),
    ("capacity-building-higher-education", 2, ("higher-education",)),
    ("etwinning", 4, ("school-education",)),
)
ORGANISATION_KINDS = (
    "primary-school",
    "secondary-school",
    "training-provider",
    "guidance-service",
    "higher-education-institution",
    "adult-education-provider",
    "company",
    "public-authority",
)
MOBILITY_TYPES = ("job-shadowing", "training", "teaching-assignment", "internship", "study-visit")

_WORDS = [
    "career",
    "guidance",
    "learning",
    "future",
    "skills",
    "youth",
    "inclusion",
    "digital",
    "school",
    "pathways",
    "mobility",
    "europe",
    "choices",
    "talent",
    "bridges",
    "network",
    "innovation",
    "orientation",
    "wellbeing",
    "transition",
    "work",
    "adult",
    "education",
    "training",
    "teachers",
    "pupils",
    "dialogue",
    "open",
    "steps",
    "compass",
    "horizons",
    "talents",
    "employability",
    "mentoring",
    "coaching",
    "quality",
    "citizens",
    "cooperation",
    "green",
    "partnership",
    "outreach",
    "counselling",
    "lifelong",
    "apprenticeship",
    "entrepreneurship",
    "creativity",
    "heritage",
    "climate",
    "resilience",
    "integration",
    "literacy",
    "science",
    "numeracy",
    "languages",
]
# A few words with non-ASCII letters, commas and quotes, so that the CSV output exercises escaping.
_SPECIAL = ("Schüler", "élèves", "Ausbildung, Beruf", 'the "next step"', "Łódź", "año", "Ærø", "ĉio")
_NL_WORDS = [
    "toekomst",
    "leren",
    "jongeren",
    "keuze",
    "begeleiding",
    "school",
    "werk",
    "samen",
    "sterk",
    "traject",
]


def _iri(value: str) -> str:
    return f"<{value}>"


def _literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


def _title(rng: random.Random, words: tuple[str, ...] | list[str], special: bool) -> str:
    chosen = rng.sample(words, rng.randint(2, 6))
    if special:
        chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(_SPECIAL))
    text = " ".join(chosen)
    return text[0].upper() + text[1:]


def generate(
    path: str | Path,
    projects: int = DEFAULT_PROJECTS,
    seed: int = DEFAULT_SEED,
    organisations: int | None = None,
) -> int:
    """Write the synthetic graph to `path` as N-Triples; return the number of triples written."""
    if projects < 1:
        raise ValueError("projects must be at least 1")
    rng = random.Random(seed)
    n_orgs = (
        organisations if organisations is not None else max(2, round(projects * ORGANISATIONS_PER_PROJECT))
    )
    country_codes = [c for c, _ in COUNTRIES]
    country_cum = list(itertools.accumulate(w for _, w in COUNTRIES))
    action_cum = list(itertools.accumulate(w for _, w, _ in ACTIONS))
    ekg = _EKG
    t_type = _iri(_RDF_TYPE)
    t_title = _iri(_DCT + "title")
    t_source = _iri(_DCT + "source")
    t_ident = _iri(_DCT + "identifier")
    t_pref = _iri(_SKOS_PREF)
    t_label = _iri(_RDFS_LABEL)
    c_project = _iri(ekg + "Project")
    c_org = _iri(ekg + "Organisation")
    c_part = _iri(ekg + "Participation")
    c_doc = _iri(ekg + "SourceDocument")
    c_activity = _iri(ekg + "Activity")
    p = {name: _iri(ekg + name) for name in (
        "acronym", "action", "sector", "callYear", "participation", "organisation", "role", "country",
        "organisationKind", "participatingCountry", "activity", "activityType", "destinationCountry",
    )}  # fmt: skip
    role_coordinator = _iri(_VOCAB + "role/coordinator")
    role_partner = _iri(_VOCAB + "role/partner")

    def doc_iri(i: int) -> str:
        return _iri(f"{_ID}source/bench-{i:06d}")

    # Organisations first (their country is needed for participatingCountry), written after the projects.
    org_country = rng.choices(range(len(country_codes)), cum_weights=country_cum, k=n_orgs)
    # A few organisations take part in many projects, most in a handful: a skewed choice by rank.
    org_cum = list(itertools.accumulate(1.0 / (1 + rank) ** 0.6 for rank in range(n_orgs)))
    org_order = list(range(n_orgs))
    rng.shuffle(org_order)
    org_ranks = range(n_orgs)

    count = 0
    lines: list[str] = []
    out_path = Path(path)
    with out_path.open("w", encoding="utf-8", newline="\n") as out:

        def emit(s: str, pred: str, o: str) -> None:
            nonlocal count
            lines.append(f"{s} {pred} {o} .\n")
            count += 1
            if len(lines) >= 20_000:
                out.write("".join(lines))
                lines.clear()

        first_project_of_org: dict[int, int] = {}
        for i in range(projects):
            proj = _iri(f"{_ID}project/bench-{i:06d}")
            doc = doc_iri(i)
            action, _, sectors = rng.choices(ACTIONS, cum_weights=action_cum)[0]
            emit(proj, t_type, c_project)
            title = _title(rng, _WORDS, rng.random() < 0.05)
            emit(proj, t_title, _literal(title, "en"))
            if rng.random() < 1 / 3:
                emit(proj, t_title, _literal(_title(rng, _NL_WORDS, False), "nl"))
            if rng.random() < 0.6:
                acronym = "".join(w[0] for w in title.split()).upper() + str(rng.randint(1, 99))
                emit(proj, p["acronym"], _literal(acronym))
            emit(proj, p["action"], _iri(f"{_VOCAB}action/{action}"))
            emit(proj, p["sector"], _iri(f"{_VOCAB}sector/{rng.choice(sectors)}"))
            emit(proj, p["callYear"], _literal(str(rng.randint(2014, 2023)), datatype=_XSD_GYEAR))
            emit(proj, t_source, doc)
            emit(doc, t_type, c_doc)
            emit(doc, t_title, _literal(f"Project card {i:06d}: {title}", "en"))
            emit(doc, t_ident, _literal(f"2019-1-BE02-{action}-{i:06d}"))
            members = []
            for _ in range(1 + rng.randint(0, 10)):
                org = org_order[rng.choices(org_ranks, cum_weights=org_cum)[0]]
                if org not in members:
                    members.append(org)
            countries = []
            for k, org in enumerate(members):
                part = _iri(f"{_ID}participation-bench-{i:06d}-{k:02d}")
                emit(proj, p["participation"], part)
                emit(part, t_type, c_part)
                emit(part, p["organisation"], _iri(f"{_ID}organisation/bench-{org:06d}"))
                emit(part, p["role"], role_coordinator if k == 0 else role_partner)
                first_project_of_org.setdefault(org, i)
                code = country_codes[org_country[org]]
                if code not in countries:
                    countries.append(code)
            if rng.random() < 0.3:
                for code in countries:
                    emit(proj, p["participatingCountry"], _iri(_COUNTRY + code))
            if action == "KA1":
                for k in range(rng.randint(1, 3)):
                    act = _iri(f"{_ID}activity-bench-{i:06d}-{k}")
                    kind = rng.choice(MOBILITY_TYPES)
                    dest = rng.choices(country_codes, cum_weights=country_cum)[0]
                    emit(proj, p["activity"], act)
                    emit(act, t_type, c_activity)
                    emit(act, t_label, _literal(f"{kind.replace('-', ' ')} in {dest}", "en"))
                    emit(act, p["activityType"], _iri(f"{_VOCAB}activity-type/{kind}"))
                    emit(act, p["destinationCountry"], _iri(_COUNTRY + dest))

        for org in range(n_orgs):
            o = _iri(f"{_ID}organisation/bench-{org:06d}")
            name = _title(rng, _WORDS, rng.random() < 0.05)
            emit(o, t_type, c_org)
            emit(o, t_pref, _literal(f"{name} {org}"))
            emit(o, p["country"], _iri(_COUNTRY + country_codes[org_country[org]]))
            emit(
                o, p["organisationKind"], _iri(f"{_VOCAB}organisation-kind/{rng.choice(ORGANISATION_KINDS)}")
            )
            source = first_project_of_org.get(org, org % projects)
            emit(o, t_source, doc_iri(source))
        out.write("".join(lines))
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the N-Triples file to write")
    parser.add_argument("--projects", type=int, default=DEFAULT_PROJECTS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    triples = generate(args.out, projects=args.projects, seed=args.seed)
    print(f"{args.out}: {triples} triples ({args.projects} projects, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
