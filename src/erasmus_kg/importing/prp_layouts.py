"""The layouts of the Project Results Platform exports: for each, its columns in order and the role each
column plays, so that one mapping (`prp.ProjectResultsImporter`) reads every layout.

The platform publishes one export per programme. The Erasmus+ lists (KA1, KA2, KA3, Jean Monnet, Sport) share
one layout of 622 columns; the predecessor programmes have their own (the samples in
`../shared/data/external/erasmus-prp-sample-records/`, one real row of each):

- Creative Europe (623 columns): Programme, Sub-programme, Action, Activity type, start and end dates, the
  Project Number as identifier;
- Culture 2007-2013 (417): Programme Funding (a path `Culture\\Culture (2007-2013)\\<action>`), start and
  end dates, External Reference;
- Lifelong Learning and Youth in Action (417): Programme Funding, External Reference, National Identifier;
- Tempus, Erasmus Mundus and cooperation with industrialised countries (416): Programme Funding, External
  Reference;
- the sport preparatory actions 2009-2013 (415): Programme Funding only.

The predecessor layouts' partners have four fields (name, address, country, website) where Erasmus+ and
Creative Europe have six (with organisation type and region). Every layout has 100 partners.

A layout is recognised from the header row: the header must be the layout's columns exactly, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

PARTNERS = 100
"""Partners every layout has columns for."""

GRANT_COLUMN = (
    "EU Grant award in euros (This amount represents the grant awarded after the selection stage and is "
    "indicative. Please note that any changes made during or after the project's lifetime will not be "
    "reflected here.)"
)

# ------------------------------------------------------------------------------------------------------------
# Roles: what a column holds, whatever its header says

PROGRAMME = "programme"
"""The programme's name (Erasmus+, Creative Europe)."""
FUNDING_PATH = "funding path"
"""`Programme Funding`: field\\programme\\action\\... separated by backslashes (`prp_terms.FUNDING_PATHS`)."""
KEY_ACTION = "key action"
ACTION_TYPE = "action type"
SUB_PROGRAMME = "sub-programme"
"""Creative Europe's strand (Culture, MEDIA): the top of its action hierarchy."""
ACTION = "action"
"""Creative Europe's action, below the sub-programme."""
ACTIVITY_TYPE = "activity type"
CALL_YEAR = "call year"
START_DATE = "start date"
END_DATE = "end date"
IDENTIFIER = "identifier"
EXTERNAL_REFERENCE = "external reference"
NATIONAL_IDENTIFIER = "national identifier"
TITLE = "title"
TOPICS = "topics"
SUMMARY = "summary"
STATUS = "status"
GRANT = "grant"
GOOD_PRACTICE = "good practice"
SUCCESS_STORY = "success story"
WEBSITE = "website"
RESULTS = "results available"
CARD = "project card"
COUNTRIES = "participating countries"

ORGANISATION_FIELDS = ("name", "organisation type", "address", "region", "country", "website")
"""The fields of an organisation (the coordinator, a partner), in the order `prp` reads them; a layout that
lacks one leaves it empty."""
NAME, KIND, ADDRESS, REGION, COUNTRY, ORGANISATION_WEBSITE = range(len(ORGANISATION_FIELDS))


@dataclass(frozen=True)
class Layout:
    """One export layout: its project columns (header, role), its coordinator columns (header, field) and its
    partner fields (the header after "Partner N ", which is also the field)."""

    name: str
    """For people: "Erasmus+", "Lifelong Learning and Youth in Action"."""
    article: str
    """"a" or "an", as the name is read ("an Erasmus+ Project Results export")."""
    project: tuple[tuple[str, str], ...]
    coordinator: tuple[tuple[str, str], ...]
    partner_fields: tuple[str, ...]

    @property
    def describes(self) -> str:
        return f"{self.article} {self.name} Project Results export"

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """Every header of the layout, in its order."""
        partners = tuple(
            f"Partner {number} {field}" for number in range(1, PARTNERS + 1) for field in self.partner_fields
        )
        return tuple(h for h, _ in self.project) + tuple(h for h, _ in self.coordinator) + partners

    @cached_property
    def roles(self) -> dict[str, int]:
        """Role -> the index of its column."""
        return {role: index for index, (_, role) in enumerate(self.project)}

    def column(self, role: str) -> str:
        """The header of the column of `role` (which the layout has)."""
        return self.project[self.roles[role]][0]

    @cached_property
    def organisations(self) -> tuple[tuple[int | None, ...], ...]:
        """For the coordinator and each partner: the column index of each of `ORGANISATION_FIELDS`, None where
        the layout has no such column."""
        first = len(self.project)
        coordinator = {field: first + index for index, (_, field) in enumerate(self.coordinator)}
        blocks = [tuple(coordinator.get(field) for field in ORGANISATION_FIELDS)]
        start = first + len(self.coordinator)
        width = len(self.partner_fields)
        for number in range(PARTNERS):
            own = {field: start + number * width + index for index, field in enumerate(self.partner_fields)}
            blocks.append(tuple(own.get(field) for field in ORGANISATION_FIELDS))
        return tuple(blocks)

    @cached_property
    def organisation_spans(self) -> tuple[tuple[int, int], ...]:
        """For each of `organisations`, the columns from its first to its last (a slice, `values[a:b]`): where
        none of them has a value, the organisation is not in the row (most partners of most rows)."""
        spans = []
        for block in self.organisations:
            present = [position for position in block if position is not None]
            spans.append((min(present), max(present) + 1) if present else (0, 0))
        return tuple(spans)


_FLAGS_AND_LINKS = (
    ("Is Good Practice", GOOD_PRACTICE),
    ("Is Success Story", SUCCESS_STORY),
    ("Project Website", WEBSITE),
    ("Results Available", RESULTS),
    ("Results Platform Project Card", CARD),
    ("Participating countries", COUNTRIES),
)
_WITHOUT_GOOD_PRACTICE = _FLAGS_AND_LINKS[1:]
_SIX_FIELDS = ("name", "organisation type", "address", "region", "country", "website")
_FOUR_FIELDS = ("name", "address", "country", "website")
_COORDINATOR_SIX = (
    ("Coordinating organisation name", "name"),
    ("Coordinating organisation type", "organisation type"),
    ("Coordinator's address", "address"),
    ("Coordinator's region", "region"),
    ("Coordinator's country", "country"),
    ("Coordinator's website", "website"),
)
_COORDINATOR_FOUR = (
    ("Coordinating organisation name", "name"),
    ("Coordinator's address", "address"),
    ("Coordinator's country", "country"),
    ("Coordinator's website", "website"),
)

ERASMUS_PLUS = Layout(
    "Erasmus+",
    "an",
    (
        ("Programme", PROGRAMME),
        ("Key Action", KEY_ACTION),
        ("Action Type", ACTION_TYPE),
        ("Call year", CALL_YEAR),
        ("Project Identifier", IDENTIFIER),
        ("Project Title", TITLE),
        ("Topics", TOPICS),
        ("Project Summary", SUMMARY),
        ("Project Status", STATUS),
        (GRANT_COLUMN, GRANT),
        *_FLAGS_AND_LINKS,
    ),
    _COORDINATOR_SIX,
    _SIX_FIELDS,
)
CREATIVE_EUROPE = Layout(
    "Creative Europe",
    "a",
    (
        ("Programme", PROGRAMME),
        ("Sub-programme", SUB_PROGRAMME),
        ("Action", ACTION),
        ("Activity type", ACTIVITY_TYPE),
        ("Call year", CALL_YEAR),
        ("Start date", START_DATE),
        ("End date", END_DATE),
        ("Project Number", IDENTIFIER),
        ("Project Title", TITLE),
        ("Project Summary", SUMMARY),
        ("Project Status", STATUS),
        (GRANT_COLUMN, GRANT),
        *_WITHOUT_GOOD_PRACTICE,
    ),
    (
        ("Coordinator's name", "name"),
        ("Coordinator organisation type", "organisation type"),
        *_COORDINATOR_SIX[2:],
    ),
    _SIX_FIELDS,
)
CULTURE = Layout(
    "Culture 2007-2013",
    "a",
    (
        ("Programme Funding", FUNDING_PATH),
        ("Start date", START_DATE),
        ("End date", END_DATE),
        ("Project Identifier", IDENTIFIER),
        ("External Reference", EXTERNAL_REFERENCE),
        ("Project Title", TITLE),
        ("Project Summary", SUMMARY),
        (GRANT_COLUMN, GRANT),
        *_WITHOUT_GOOD_PRACTICE,
    ),
    (("Coordinator's name", "name"), *_COORDINATOR_FOUR[1:]),
    _FOUR_FIELDS,
)
LIFELONG_LEARNING = Layout(
    "Lifelong Learning and Youth in Action",
    "a",
    (
        ("Programme Funding", FUNDING_PATH),
        ("Project Identifier", IDENTIFIER),
        ("External Reference", EXTERNAL_REFERENCE),
        ("National Identifier", NATIONAL_IDENTIFIER),
        ("Project Title", TITLE),
        ("Project Summary", SUMMARY),
        (GRANT_COLUMN, GRANT),
        *_FLAGS_AND_LINKS,
    ),
    _COORDINATOR_FOUR,
    _FOUR_FIELDS,
)
EXTERNAL_PROGRAMMES = Layout(
    "Tempus, Erasmus Mundus and industrialised countries",
    "a",
    (
        ("Programme Funding", FUNDING_PATH),
        ("Project Identifier", IDENTIFIER),
        ("External Reference", EXTERNAL_REFERENCE),
        ("Project Title", TITLE),
        ("Project Summary", SUMMARY),
        (GRANT_COLUMN, GRANT),
        *_FLAGS_AND_LINKS,
    ),
    _COORDINATOR_FOUR,
    _FOUR_FIELDS,
)
SPORT_PREPARATORY_ACTIONS = Layout(
    "Sport preparatory actions",
    "a",
    (
        ("Programme Funding", FUNDING_PATH),
        ("Project Identifier", IDENTIFIER),
        ("Project Title", TITLE),
        ("Project Summary", SUMMARY),
        (GRANT_COLUMN, GRANT),
        *_FLAGS_AND_LINKS,
    ),
    _COORDINATOR_FOUR,
    _FOUR_FIELDS,
)

LAYOUTS: tuple[Layout, ...] = (
    ERASMUS_PLUS,
    CREATIVE_EUROPE,
    CULTURE,
    LIFELONG_LEARNING,
    EXTERNAL_PROGRAMMES,
    SPORT_PREPARATORY_ACTIONS,
)
"""Every layout, Erasmus+ first (the one a header is compared with when it is as close to several)."""


def matching(names: list[str]) -> Layout | None:
    """The layout whose columns `names` (stripped headers, trailing empty ones allowed) are, None if none."""
    for layout in LAYOUTS:
        width = len(layout.columns)
        if tuple(names[:width]) == layout.columns and not any(names[width:]):
            return layout
    return None


def closest(names: list[str]) -> tuple[Layout, int] | None:
    """The layout that shares the longest run of first columns with `names` and the length of that run
    (the earliest layout of `LAYOUTS` among equals); None when no layout starts with the first name."""
    best: tuple[Layout, int] | None = None
    for layout in LAYOUTS:
        shared = 0
        for name, expected in zip(names, layout.columns, strict=False):
            if name != expected:
                break
            shared += 1
        if shared and (best is None or shared > best[1]):
            best = (layout, shared)
    return best
