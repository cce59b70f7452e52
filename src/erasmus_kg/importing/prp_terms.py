"""The words of the Erasmus+ Project Results Platform exports, with the Dutch labels our concept schemes need.

The exports name key actions, action types, topics and organisation types in English only. Every concept of
our schemes has a Dutch and an English label (ekgsh:ConceptShape), so the values the exports use are listed
here with a Dutch translation (and, for action types, their code and sector where the programme guide gives
them). A value that is not listed still becomes a concept: its English label is the export's text and its
Dutch label is the same text, marked by a skos:editorialNote as untranslated.

Keys are compared with `identity.normalise_name` (case, accents, punctuation and dashes do not matter).
"""

from __future__ import annotations

from dataclasses import dataclass

from erasmus_kg.namespaces import PREFIXES

ACTION = PREFIXES["action"]

UNTRANSLATED_NOTE = "The Dutch label is the export's English label, untranslated."


@dataclass(frozen=True)
class ActionTerm:
    """An action of the exports that data/vocabularies.ttl lacks."""

    en: str
    nl: str
    code: str | None = None
    """The action code (KA105 ...) where the programme gives one; it becomes the skos:notation and the IRI."""
    broader: str | None = None
    """The IRI of the broader action when it is not the row's key action (action:strategic-partnerships)."""
    sector: str | None = None
    """Local name of the sector (vocab/sector/...) the action addresses."""
    alt_en: tuple[str, ...] = ()
    """Other English names the exports use for the same action."""


KEY_ACTIONS: tuple[ActionTerm, ...] = (
    ActionTerm("Jean Monnet Activities", "Jean Monnet-activiteiten"),
    ActionTerm("Sport", "Sport"),
)
"""Strands that the exports list as key actions besides KA1, KA2 and KA3 (which data/vocabularies.ttl holds
and which are found by their labels). They are ekg:Action top concepts, not ekg:KeyAction: they have no KA
code."""

_SP = ACTION + "strategic-partnerships"
ACTION_TYPES: tuple[ActionTerm, ...] = (
    # Key Action 1: Learning Mobility of Individuals
    ActionTerm(
        "School education staff mobility",
        "Mobiliteit van personeel in het schoolonderwijs",
        "KA101",
        sector="school-education",
    ),
    ActionTerm(
        "VET learner and staff mobility",
        "Mobiliteit van lerenden en personeel in het beroepsonderwijs en -opleiding",
        "KA102",
        sector="vocational-education-and-training",
    ),
    ActionTerm(
        "Higher education student and staff mobility",
        "Mobiliteit van studenten en personeel in het hoger onderwijs",
        "KA103",
        sector="higher-education",
    ),
    ActionTerm(
        "Adult education staff mobility",
        "Mobiliteit van personeel in de volwasseneneducatie",
        "KA104",
        sector="adult-education",
    ),
    ActionTerm("Youth mobility", "Jeugdmobiliteit", "KA105", sector="youth"),
    ActionTerm(
        "Higher education student and staff mobility between Programme and Partner Countries",
        "Mobiliteit van studenten en personeel in het hoger onderwijs tussen programma- en partnerlanden",
        "KA107",
        sector="higher-education",
    ),
    ActionTerm(
        "Accreditation of Higher Education mobility consortia",
        "Accreditatie van mobiliteitsconsortia in het hoger onderwijs",
        "KA108",
        sector="higher-education",
    ),
    ActionTerm(
        "VET learner and staff mobility with VET mobility charter",
        "Mobiliteit van lerenden en personeel in het beroepsonderwijs met een VET-mobiliteitshandvest",
        "KA116",
        sector="vocational-education-and-training",
    ),
    ActionTerm(
        "Erasmus Mundus Joint Master Degrees",
        "Erasmus Mundus gezamenlijke masteropleidingen",
        sector="higher-education",
    ),
    ActionTerm(
        "Large scale European Voluntary Service events",
        "Grootschalige evenementen van de Europese vrijwilligersdienst",
        sector="youth",
    ),
    # Key Action 2: Cooperation for innovation and the exchange of good practices
    ActionTerm(
        "Strategic Partnerships addressing more than one field",
        "Strategische partnerschappen voor meer dan één sector",
        "KA200",
        broader=_SP,
    ),
    ActionTerm(
        "Strategic Partnerships for youth",
        "Strategische partnerschappen jeugd",
        "KA205",
        broader=_SP,
        sector="youth",
    ),
    ActionTerm(
        "Strategic Partnerships for Schools Only",
        "Strategische partnerschappen enkel tussen scholen",
        "KA219",
        broader=_SP,
        sector="school-education",
    ),
    ActionTerm(
        "School Exchange Partnerships",
        "Schooluitwisselingspartnerschappen",
        "KA229",
        broader=_SP,
        sector="school-education",
    ),
    ActionTerm(
        "Partnerships for Digital Education Readiness",
        "Partnerschappen voor paraatheid voor digitaal onderwijs",
        "KA226",
    ),
    ActionTerm("Partnerships for Creativity", "Partnerschappen voor creativiteit", "KA227"),
    ActionTerm(
        "Capacity Building in the field of Youth", "Capaciteitsopbouw op het gebied van jeugd", sector="youth"
    ),
    ActionTerm("European Universities", "Europese universiteiten", sector="higher-education"),
    # Key Action 3: Support for policy reform
    ActionTerm(
        "Structured dialogue: meetings between young people and decision-makers in the field of youth",
        "Gestructureerde dialoog: ontmoetingen tussen jongeren en beleidsmakers op het gebied van jeugd",
        "KA347",
        sector="youth",
        alt_en=("Youth Dialogue projects",),
    ),
    ActionTerm("Forward looking cooperation projects", "Toekomstgerichte samenwerkingsprojecten"),
    ActionTerm(
        "Social inclusion through education, training and youth",
        "Sociale inclusie via onderwijs, opleiding en jeugd",
    ),
    ActionTerm(
        "Civil society cooperation in the field of education and training",
        "Samenwerking met het maatschappelijk middenveld op het gebied van onderwijs en opleiding",
        sector="education-and-training",
    ),
    ActionTerm(
        "Civil society cooperation in the field of youth",
        "Samenwerking met het maatschappelijk middenveld op het gebied van jeugd",
        sector="youth",
    ),
    ActionTerm("European policy experimentations", "Europese beleidsexperimenten"),
    # Jean Monnet Activities
    ActionTerm("Jean Monnet Chairs", "Jean Monnet-leerstoelen", sector="higher-education"),
    ActionTerm("Jean Monnet Modules", "Jean Monnet-modules", sector="higher-education"),
    ActionTerm("Jean Monnet Centres of Excellence", "Jean Monnet-expertisecentra", sector="higher-education"),
    ActionTerm("Jean Monnet Projects", "Jean Monnet-projecten"),
    ActionTerm("Jean Monnet Networks", "Jean Monnet-netwerken"),
    ActionTerm("Jean Monnet Support to Associations", "Jean Monnet-steun aan verenigingen"),
    ActionTerm("Jean Monnet Support to Institutions", "Jean Monnet-steun aan instellingen"),
    # Sport
    ActionTerm("Collaborative Partnerships", "Samenwerkingspartnerschappen"),
    ActionTerm("Small Collaborative Partnerships", "Kleine samenwerkingspartnerschappen"),
    ActionTerm("Not-for-profit European sport events", "Europese sportevenementen zonder winstoogmerk"),
)

KEY_ACTION_OF_CODE = {"1": ACTION + "KA1", "2": ACTION + "KA2", "3": ACTION + "KA3"}
"""The key action of an action code KAnxx (the first digit), when a row names no key action."""

TOPICS: tuple[tuple[str, str], ...] = (
    ("Access for disadvantaged", "Toegang voor kansengroepen"),
    ("Agriculture, forestry and fisheries", "Landbouw, bosbouw en visserij"),
    (
        "Civic engagement / responsible citizenship",
        "Maatschappelijke betrokkenheid / verantwoordelijk burgerschap",
    ),
    (
        "Cooperation between educational institutions and business",
        "Samenwerking tussen onderwijsinstellingen en bedrijfsleven",
    ),
    ("Creativity and culture", "Creativiteit en cultuur"),
    (
        "Cultural heritage/European Year of Cultural Heritage",
        "Cultureel erfgoed/Europees Jaar van het Cultureel Erfgoed",
    ),
    ("Disabilities - special needs", "Handicaps - bijzondere behoeften"),
    (
        "Early School Leaving / combating failure in education",
        "Vroegtijdig schoolverlaten / bestrijding van schoolfalen",
    ),
    (
        "Economic and financial affairs (incl. funding issues)",
        "Economische en financiële zaken (incl. financieringsvraagstukken)",
    ),
    ("Energy and resources", "Energie en grondstoffen"),
    (
        "Enterprise, industry and SMEs (incl. entrepreneurship)",
        "Ondernemingen, industrie en kmo's (incl. ondernemerschap)",
    ),
    (
        "Entrepreneurial learning - entrepreneurship education",
        "Ondernemend leren - ondernemerschapsonderwijs",
    ),
    ("Environment and climate change", "Milieu en klimaatverandering"),
    (
        "Ethics, religion and philosophy (incl. Inter-religious dialogue)",
        "Ethiek, religie en filosofie (incl. interreligieuze dialoog)",
    ),
    ("EU Citizenship, EU awareness and Democracy", "EU-burgerschap, EU-bewustzijn en democratie"),
    ("Gender equality / equal opportunities", "Gendergelijkheid / gelijke kansen"),
    ("Health and wellbeing", "Gezondheid en welzijn"),
    (
        "Home and justice affairs (human rights & rule of law)",
        "Binnenlandse zaken en justitie (mensenrechten en rechtsstaat)",
    ),
    ("ICT - new technologies - digital competences", "ICT - nieuwe technologieën - digitale competenties"),
    ("Inclusion - equity", "Inclusie - gelijkwaardigheid"),
    ("Integration of refugees", "Integratie van vluchtelingen"),
    (
        "Intercultural/intergenerational education and (lifelong)learning",
        "Intercultureel/intergenerationeel onderwijs en (levenslang) leren",
    ),
    (
        "International cooperation, international relations, development cooperation",
        "Internationale samenwerking, internationale betrekkingen, ontwikkelingssamenwerking",
    ),
    (
        "Key Competences (incl. mathematics and literacy) - basic skills",
        "Sleutelcompetenties (incl. wiskunde en geletterdheid) - basisvaardigheden",
    ),
    (
        "Labour market issues incl. career guidance / youth unemployment",
        "Arbeidsmarktvraagstukken incl. loopbaanbegeleiding / jeugdwerkloosheid",
    ),
    ("Migrants' issues", "Vraagstukken rond migranten"),
    ("Natural sciences", "Natuurwetenschappen"),
    (
        "New innovative curricula/educational methods/development of training courses",
        "Nieuwe innovatieve curricula/onderwijsmethoden/ontwikkeling van opleidingen",
    ),
    ("Open and distance learning", "Open en afstandsonderwijs"),
    (
        "Overcoming skills mismatches (basic/transversal)",
        "Wegwerken van mismatches in vaardigheden (basis/transversaal)",
    ),
    ("Pedagogy and didactics", "Pedagogiek en didactiek"),
    ("Physical education and sport", "Lichamelijke opvoeding en sport"),
    (
        "Quality and Relevance of Higher Education in Partner Countries",
        "Kwaliteit en relevantie van het hoger onderwijs in partnerlanden",
    ),
    (
        "Quality Improvement Institutions and/or methods (incl. school development)",
        "Kwaliteitsverbetering van instellingen en/of methoden (incl. schoolontwikkeling)",
    ),
    (
        "Reaching the policy level/dialogue with decision makers",
        "Het beleidsniveau bereiken/dialoog met beleidsmakers",
    ),
    (
        "Recognition (non-formal and informal learning/credits)",
        "Erkenning (niet-formeel en informeel leren/studiepunten)",
    ),
    ("Regional dimension and cooperation", "Regionale dimensie en samenwerking"),
    ("Research and innovation", "Onderzoek en innovatie"),
    ("Romas and/or other minorities", "Roma en/of andere minderheden"),
    ("Rural development and urbanisation", "Plattelandsontwikkeling en verstedelijking"),
    ("Social dialogue", "Sociale dialoog"),
    ("Social entrepreneurship / social innovation", "Sociaal ondernemerschap / sociale innovatie"),
    ("Teaching and learning of foreign languages", "Onderwijzen en leren van vreemde talen"),
    (
        "Transparency and recognition of skills and qualifications",
        "Transparantie en erkenning van vaardigheden en kwalificaties",
    ),
    ("Youth (Participation, Youth Work, Youth Policy)", "Jeugd (participatie, jeugdwerk, jeugdbeleid)"),
)

ORGANISATION_TYPES: tuple[tuple[str, str], ...] = (
    (
        "Accreditation, certification or qualification body",
        "Accreditatie-, certificerings- of kwalificatie-instantie",
    ),
    ("Chamber of Commerce", "Kamer van koophandel"),
    ("Counselling body", "Begeleidings- of adviesinstantie"),
    ("European grouping of territorial cooperation", "Europese groepering voor territoriale samenwerking"),
    ("European NGO", "Europese ngo"),
    ("European or international public body", "Europese of internationale overheidsinstantie"),
    ("Foundation", "Stichting"),
    ("Higher education institution (tertiary level)", "Instelling voor hoger onderwijs (tertiair niveau)"),
    ("Large enterprise", "Grote onderneming"),
    ("Local Public body", "Lokale overheidsinstantie"),
    ("National Public body", "Nationale overheidsinstantie"),
    (
        "Non-governmental organisation/association/social enterprise",
        "Niet-gouvernementele organisatie/vereniging/sociale onderneming",
    ),
    ("Non profit organisations", "Organisaties zonder winstoogmerk"),
    ("Other", "Andere"),
    ("Public service provider", "Openbare dienstverlener"),
    ("Regional Public body", "Regionale overheidsinstantie"),
    ("Research Institute/Centre", "Onderzoeksinstituut/-centrum"),
    (
        "School/Institute/Educational centre – Adult education",
        "School/instituut/onderwijscentrum – volwasseneneducatie",
    ),
    (
        "School/Institute/Educational centre – General education (pre-primary level)",
        "School/instituut/onderwijscentrum – algemeen onderwijs (kleuteronderwijs)",
    ),
    (
        "School/Institute/Educational centre – General education (primary level)",
        "School/instituut/onderwijscentrum – algemeen onderwijs (lager onderwijs)",
    ),
    (
        "School/Institute/Educational centre – General education (secondary level)",
        "School/instituut/onderwijscentrum – algemeen onderwijs (secundair onderwijs)",
    ),
    (
        "School/Institute/Educational centre – Vocational Training (secondary level)",
        "School/instituut/onderwijscentrum – beroepsopleiding (secundair niveau)",
    ),
    (
        "School/Institute/Educational centre – Vocational Training (tertiary level)",
        "School/instituut/onderwijscentrum – beroepsopleiding (tertiair niveau)",
    ),
    ("Small and medium sized enterprise", "Kleine of middelgrote onderneming"),
    (
        (
            "Social partner or other representative of working life (chambers of commerce, trade "
            "union, trade association)"
        ),
        (
            "Sociale partner of andere vertegenwoordiger van het beroepsleven (kamer van koophandel, "
            "vakbond, beroepsvereniging)"
        ),
    ),
    ("Sport club", "Sportclub"),
    ("Sport federation", "Sportfederatie"),
    ("Sport league", "Sportliga"),
    ("Youth council", "Jeugdraad"),
)

PROGRAMMES = {"Erasmus+": "https://w3id.org/erasmus-kg/id/erasmus-plus"}
"""Programmes of the exports that the packaged data describes (data/brochure.ttl)."""


@dataclass(frozen=True)
class ProgrammeTerm:
    """A predecessor programme of the exports: an ekg:Programme id/programme/<local>, described by the import
    that first names it."""

    local: str
    en: str
    nl: str
    names: tuple[str, ...]
    """How the exports name it: the Programme column (Creative Europe) or its segment of the Programme
    Funding path ("Life long learning (2007-2013)"); compared with `identity.normalise_name`. Each is also an
    English skos:altLabel when it differs from `en`."""
    code: str | None = None
    """The abbreviation the programme's own documents and project numbers use (its skos:notation)."""
    alt_nl: tuple[str, ...] = ()
    """Shorter Dutch names (skos:altLabel)."""


PROGRAMME_TERMS: tuple[ProgrammeTerm, ...] = (
    ProgrammeTerm("creative-europe", "Creative Europe", "Creatief Europa", ("Creative Europe",), "CREA"),
    ProgrammeTerm(
        "lifelong-learning",
        "Lifelong Learning Programme (2007-2013)",
        "Programma Een leven lang leren (2007-2013)",
        ("Life long learning (2007-2013)", "Lifelong Learning Programme"),
        "LLP",
        ("Een leven lang leren",),
    ),
    ProgrammeTerm(
        "youth-in-action",
        "Youth in Action (2007-2013)",
        "Jeugd in actie (2007-2013)",
        ("Youth in action (2007-2013)", "Youth in Action"),
        "YiA",
        ("Jeugd in actie",),
    ),
    ProgrammeTerm("tempus", "Tempus", "Tempus", ("TEMPUS",), "TEMPUS"),
    ProgrammeTerm("erasmus-mundus", "Erasmus Mundus", "Erasmus Mundus", ("Erasmus Mundus",), "EM"),
    ProgrammeTerm(
        "cooperation-with-industrialised-countries",
        "Co-operation with industrialised countries",
        "Samenwerking met geïndustrialiseerde landen",
        ("Co-operation with industrialised countries",),
        "ICI",
    ),
    ProgrammeTerm(
        "culture-2007-2013",
        "Culture (2007-2013)",
        "Cultuur (2007-2013)",
        ("Culture (2007-2013)", "Culture programme"),
        "CULT",
        ("Cultuurprogramma",),
    ),
    ProgrammeTerm(
        "sport-preparatory-actions",
        "Sport: preparatory actions and special events 2009-2013",
        "Sport: voorbereidende acties en speciale evenementen 2009-2013",
        ("Preparatory Actions and Special Events 2009-2013",),
    ),
)
"""The predecessor programmes of the Project Results Platform (the samples of every export layout)."""
