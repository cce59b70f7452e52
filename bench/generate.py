"""A synthetic Erasmus+ Project Results export in the official 622-column CSV layout, for scale tests.

    .venv/bin/python bench/generate.py --projects 100000 --output /tmp/prp-100k.csv [--seed S]

The same arguments always give the same bytes (a seeded `random.Random`, no clock). The shape follows the
real export (2014-2020 calls):

- key actions and action types with roughly the real shares (KA1 mobility ~55%, KA2 partnerships ~38%, KA3,
  Jean Monnet and Sport the rest), their real labels, and identifiers in the real formats
  (`2017-1-RS01-KA101-000006` for national agencies, `553065-EPP-1-2014-1-TR-EPPJMO-CHAIR` for EACEA);
- call years 2014 to 2020, more projects in later years;
- 0 to 20 partners per project (mobility projects mostly none, partnerships 2 to 10, a few up to 20);
- organisations drawn from the ECHE list (names and countries of the 5,912 charter holders, read from
  ../shared/data/external/eche-hei-list/destinations.csv when it is there) and from generated school, NGO,
  company and public-body names; a few organisations take part in many projects, most in a handful, so the
  same organisation recurs across rows (with its name, type, address and country the same each time);
- titles in several languages, summaries of a few hundred words, 1 to 3 topics, grants, flags, websites,
  project cards and participating countries (the countries of its organisations);
- empty cells where the export has them (no website, no region, ...).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import sys
from pathlib import Path

from erasmus_kg.importing import prp, prp_terms

DEFAULT_SEED = 20241127
ECHE = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "external"
    / "eche-hei-list"
    / "destinations.csv"
)

# (key action, action type, code or None for EACEA, weight, partners (min, max), grant range)
ACTIONS = (
    (
        "Learning Mobility of Individuals",
        "School education staff mobility",
        "KA101",
        11,
        (0, 1),
        (2_000, 60_000),
    ),
    (
        "Learning Mobility of Individuals",
        "VET learner and staff mobility",
        "KA102",
        10,
        (0, 4),
        (20_000, 400_000),
    ),
    (
        "Learning Mobility of Individuals",
        "Higher education student and staff mobility",
        "KA103",
        9,
        (0, 0),
        (20_000, 2_000_000),
    ),
    (
        "Learning Mobility of Individuals",
        "Adult education staff mobility",
        "KA104",
        3,
        (0, 1),
        (5_000, 60_000),
    ),
    ("Learning Mobility of Individuals", "Youth mobility", "KA105", 14, (1, 8), (5_000, 80_000)),
    (
        "Learning Mobility of Individuals",
        "Higher education student and staff mobility between Programme and Partner Countries",
        "KA107",
        4,
        (1, 12),
        (10_000, 500_000),
    ),
    (
        "Learning Mobility of Individuals",
        "VET learner and staff mobility with VET mobility charter",
        "KA116",
        2,
        (0, 6),
        (50_000, 900_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for school education",
        "KA201",
        4,
        (2, 8),
        (50_000, 450_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for vocational education and training",
        "KA202",
        4,
        (2, 8),
        (50_000, 450_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for higher education",
        "KA203",
        3,
        (2, 10),
        (100_000, 450_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for adult education",
        "KA204",
        4,
        (1, 7),
        (20_000, 400_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for youth",
        "KA205",
        3,
        (1, 7),
        (15_000, 300_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships for Schools Only",
        "KA219",
        5,
        (1, 6),
        (15_000, 200_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "School Exchange Partnerships",
        "KA229",
        9,
        (1, 6),
        (15_000, 200_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Strategic Partnerships addressing more than one field",
        "KA200",
        1,
        (2, 9),
        (50_000, 450_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Knowledge Alliances",
        None,
        0.3,
        (5, 20),
        (500_000, 1_000_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Sector Skills Alliances",
        None,
        0.3,
        (6, 20),
        (500_000, 4_000_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Capacity building in higher education",
        None,
        1,
        (4, 20),
        (500_000, 1_000_000),
    ),
    (
        "Cooperation for innovation and the exchange of good practices",
        "Capacity Building in the field of Youth",
        None,
        0.6,
        (2, 10),
        (30_000, 150_000),
    ),
    (
        "Support for policy reform",
        "Structured dialogue: meetings between young people and decision-makers in the field of youth",
        "KA347",
        2,
        (0, 4),
        (5_000, 50_000),
    ),
    (
        "Support for policy reform",
        "Forward looking cooperation projects",
        None,
        0.2,
        (4, 14),
        (300_000, 500_000),
    ),
    (
        "Support for policy reform",
        "Social inclusion through education, training and youth",
        None,
        0.2,
        (3, 12),
        (200_000, 500_000),
    ),
    ("Jean Monnet Activities", "Jean Monnet Modules", None, 0.7, (0, 0), (20_000, 30_000)),
    ("Jean Monnet Activities", "Jean Monnet Chairs", None, 0.4, (0, 0), (40_000, 50_000)),
    ("Jean Monnet Activities", "Jean Monnet Networks", None, 0.1, (2, 10), (100_000, 300_000)),
    ("Sport", "Collaborative Partnerships", None, 0.8, (4, 12), (100_000, 450_000)),
    ("Sport", "Small Collaborative Partnerships", None, 0.6, (2, 4), (30_000, 60_000)),
    ("Sport", "Not-for-profit European sport events", None, 0.2, (2, 8), (200_000, 500_000)),
)
EACEA_CODES = {
    "Knowledge Alliances": "EPPKA2-KA",
    "Sector Skills Alliances": "EPPKA2-SSA",
    "Capacity building in higher education": "EPPKA2-CBHE-JP",
    "Capacity Building in the field of Youth": "EPPKA2-CBY-ACPALA",
    "Forward looking cooperation projects": "EPPKA3-PI-FORWARD",
    "Social inclusion through education, training and youth": "EPPKA3-PI-POLICY",
    "Jean Monnet Modules": "EPPJMO-MODULE",
    "Jean Monnet Chairs": "EPPJMO-CHAIR",
    "Jean Monnet Networks": "EPPJMO-NETWORK",
    "Collaborative Partnerships": "SPO-SCP",
    "Small Collaborative Partnerships": "SPO-SSCP",
    "Not-for-profit European sport events": "SPO-SNCESE",
}
YEARS = ((2014, 9), (2015, 11), (2016, 12), (2017, 14), (2018, 16), (2019, 18), (2020, 20))
COUNTRIES = (
    ("DE", 12),
    ("ES", 11),
    ("IT", 10),
    ("FR", 10),
    ("PL", 8),
    ("TR", 7),
    ("RO", 5),
    ("PT", 4),
    ("EL", 4),
    ("UK", 4),
    ("NL", 3),
    ("BE", 3),
    ("CZ", 3),
    ("HU", 3),
    ("LT", 2),
    ("BG", 2),
    ("AT", 2),
    ("SK", 2),
    ("FI", 2),
    ("SE", 2),
    ("HR", 2),
    ("SI", 1),
    ("LV", 1),
    ("EE", 1),
    ("IE", 1),
    ("DK", 1),
    ("CY", 1),
    ("MK", 1),
    ("RS", 1),
    ("NO", 1),
    ("IS", 0.3),
    ("LU", 0.3),
    ("MT", 0.3),
    ("LI", 0.1),
    ("UA", 0.5),
    ("GE", 0.3),
    ("AM", 0.2),
    ("MA", 0.2),
    ("XK", 0.1),
)
ORGANISATION_TYPES = tuple(en for en, _ in prp_terms.ORGANISATION_TYPES)
KINDS = (
    ("School/Institute/Educational centre – General education (secondary level)", "Lyceum", 20),
    ("School/Institute/Educational centre – General education (primary level)", "Primary School", 15),
    ("School/Institute/Educational centre – Vocational Training (secondary level)", "Vocational School", 10),
    ("Non-governmental organisation/association/social enterprise", "Association", 15),
    ("Small and medium sized enterprise", "Consulting", 8),
    ("Local Public body", "Municipality of", 6),
    ("School/Institute/Educational centre – Adult education", "Adult Learning Centre", 5),
    ("Foundation", "Foundation", 4),
    ("Research Institute/Centre", "Research Institute", 3),
    ("Other", "Centre", 5),
)
TOPICS = tuple(en for en, _ in prp_terms.TOPICS)
WORDS = [
    "learning",
    "teachers",
    "pupils",
    "students",
    "europe",
    "digital",
    "skills",
    "inclusion",
    "future",
    "youth",
    "mobility",
    "languages",
    "innovation",
    "culture",
    "heritage",
    "science",
    "climate",
    "green",
    "sport",
    "health",
    "wellbeing",
    "entrepreneurship",
    "citizenship",
    "democracy",
    "training",
    "quality",
    "networks",
    "bridges",
    "together",
    "diversity",
    "creativity",
    "coding",
    "robotics",
    "music",
    "art",
    "reading",
    "stories",
    "water",
    "energy",
    "cities",
    "villages",
    "rural",
    "maths",
    "values",
    "dialogue",
    "peace",
    "media",
    "literacy",
    "careers",
]
SUMMARY_WORDS = [
    "the",
    "project",
    "aims",
    "to",
    "develop",
    "improve",
    "support",
    "strengthen",
    "promote",
    "foster",
    "exchange",
    "share",
    "practices",
    "between",
    "schools",
    "organisations",
    "partners",
    "countries",
    "teachers",
    "learners",
    "staff",
    "methods",
    "tools",
    "activities",
    "results",
    "dissemination",
    "impact",
    "students",
    "competences",
    "key",
    "digital",
    "social",
    "intercultural",
    "european",
    "dimension",
    "quality",
    "through",
    "mobility",
    "cooperation",
    "training",
    "workshops",
    "meetings",
    "online",
    "platform",
    "materials",
    "guide",
    "evaluation",
    "and",
    "of",
    "in",
    "for",
    "with",
    "to",
    "a",
    "on",
    "by",
    "their",
    "our",
    "new",
    "innovative",
    "local",
    "regional",
    "national",
    "international",
    "learning",
]
TITLE_EXTRA = (
    "für",
    "de la",
    "und",
    "pour",
    "della",
    "na",
    "dla",
    "és",
    "ja",
    "kaj",
    "Schüler",
    "élèves",
    "año",
)
FIRST_NAMES = (
    "Ana",
    "Jonas",
    "Maria",
    "Petar",
    "Eva",
    "Luca",
    "Mehmet",
    "Anna",
    "Jan",
    "Sofia",
    "Nikos",
    "Ieva",
)


def load_eche(path: Path = ECHE) -> list[tuple[str, str, str]]:
    """(legal name, EU country code, city) of every ECHE holder, or [] when the list is not there."""
    try:
        with path.open(encoding="cp1252", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=";"))
    except OSError:
        return []
    return [(r[4].strip(), r[8].strip(), r[7].strip()) for r in rows[2:] if len(r) >= 9 and r[4].strip()]


class Organisations:
    """A pool of organisations, drawn with a skewed choice so that some recur in many projects."""

    def __init__(self, rng: random.Random, size: int, eche: list[tuple[str, str, str]]) -> None:
        self.rng = rng
        codes, weights = zip(*COUNTRIES, strict=True)
        kinds = list(KINDS)
        kind_weights = [k[2] for k in KINDS]
        self.pool: list[list[str]] = []
        for index in range(size):
            if eche and rng.random() < 0.25:
                name, country, city = eche[rng.randrange(len(eche))]
                kind = "Higher education institution (tertiary level)"
            else:
                country = rng.choices(codes, weights)[0]
                label, prefix, _ = rng.choices(kinds, kind_weights)[0]
                kind = label
                city = rng.choice(("Nord", "Sud", "Ost", "West", "Central", "Alta", "Nova", "Stara")) + str(
                    index % 97
                )
                name = f"{prefix} {rng.choice(FIRST_NAMES)} {rng.choice(WORDS).title()} {index}"
            street = f"{rng.choice(WORDS).title()} Street {rng.randint(1, 200)}"
            address = f"{street}, {rng.randint(1000, 99999)}, {city}"
            region = "" if rng.random() < 0.1 else f"Region {country}-{rng.randint(1, 12)}"
            website = f"www.org{index}.example.{country.lower()}" if rng.random() < 0.6 else ""
            self.pool.append([name, kind, address, region, country, website])
        rank_weights = [1.0 / (1 + rank) ** 0.7 for rank in range(size)]
        self._cumulative = list(itertools.accumulate(rank_weights))
        self._order = list(range(size))
        rng.shuffle(self._order)

    def draw(self) -> list[str]:
        rank = self.rng.choices(range(len(self._order)), cum_weights=self._cumulative)[0]
        return self.pool[self._order[rank]]


def generate(output: Path, projects: int, seed: int = DEFAULT_SEED, eche_path: Path = ECHE) -> int:
    """Write the export; return the number of data rows."""
    rng = random.Random(seed)
    eche = load_eche(eche_path)
    organisations = Organisations(rng, max(50, int(projects * 0.9)), eche)
    action_weights = [a[3] for a in ACTIONS]
    years, year_weights = zip(*YEARS, strict=True)
    serial = itertools.count(1)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(prp.COLUMNS)
        for _ in range(projects):
            key_action, action_type, code, _, (low, high), (grant_low, grant_high) = rng.choices(
                ACTIONS, action_weights
            )[0]
            year = rng.choices(years, year_weights)[0]
            partners = rng.randint(low, high) if rng.random() > 0.02 else rng.randint(low, 20)
            coordinator = organisations.draw()
            members = [coordinator]
            while len(members) < partners + 1:
                candidate = organisations.draw()
                if candidate not in members:
                    members.append(candidate)
            country = coordinator[4]
            number = next(serial)
            if code:
                identifier = (
                    f"{year}-{rng.randint(1, 3)}-{country}{rng.randint(1, 2):02d}-{code}-{number:06d}"
                )
            else:
                identifier = f"{500000 + number}-EPP-1-{year}-1-{country}-{EACEA_CODES[action_type]}"
            countries = list(dict.fromkeys(member[4] for member in members))
            status = "ongoing" if year >= 2019 and rng.random() < 0.6 else "finalized"
            row = [
                "Erasmus+",
                key_action,
                action_type,
                str(year),
                identifier,
                _title(rng),
                "; ".join(rng.sample(TOPICS, rng.randint(1, 3))) if rng.random() < 0.9 else "",
                _summary(rng),
                status,
                f"{rng.uniform(grant_low, grant_high):.2f}",
                "Yes" if rng.random() < 0.05 else "No",
                "Yes" if rng.random() < 0.01 else "No",
                f"http://project{number}.example.eu" if rng.random() < 0.3 else "",
                "Yes" if status == "finalized" and rng.random() < 0.3 else "No",
                "https://ec.europa.eu/programmes/erasmus-plus/projects/eplus-project-details/#project/"
                + identifier,
                ",".join(countries),
            ]
            for member in members:
                row.extend(member)
            row.extend([""] * (len(prp.COLUMNS) - len(row)))
            writer.writerow(row)
    return projects


def _title(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(2, 7))
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words) + 1), rng.choice(TITLE_EXTRA))
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _summary(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 25)):
        words = rng.choices(SUMMARY_WORDS, k=rng.randint(8, 25))
        sentences.append(" ".join(words).capitalize() + ".")
    text = " ".join(sentences)
    if rng.random() < 0.2:
        text = text.replace(". ", ".\n", 2)
    if rng.random() < 0.05:
        text += ' "Quoted", with commas; and ümlauts.'
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="number of projects (rows)")
    parser.add_argument("--output", type=Path, required=True, help="the CSV file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    rows = generate(args.output, args.projects, args.seed)
    source = "the ECHE list" if load_eche() else "generated names only (the ECHE list is not there)"
    print(f"{args.output}: {rows} projects, organisations from {source}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
