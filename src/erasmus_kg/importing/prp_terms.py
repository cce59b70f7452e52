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


PREDECESSOR_ACTIONS: dict[str, str] = {
    # Lifelong Learning Programme (2007-2013): its sub-programmes and their actions
    "COMENIUS": "Comenius",
    "ERASMUS": "Erasmus",
    "LEONARDO DA VINCI": "Leonardo da Vinci",
    "GRUNDTVIG": "Grundtvig",
    "Transversal programme": "Transversaal programma",
    "Jean Monnet programme": "Jean Monnet-programma",
    "Accompanying measures": "Begeleidende maatregelen",
    "Multilateral projects": "Multilaterale projecten",
    "Multilateral networks": "Multilaterale netwerken",
    "Networks": "Netwerken",
    "Partnerships": "Partnerschappen",
    "Multilateral partnerships": "Multilaterale partnerschappen",
    "Bilateral partnerships": "Bilaterale partnerschappen",
    "Comenius Regio Partnerships": "Comenius Regio-partnerschappen",
    "Learning Partnerships": "Leerpartnerschappen",
    "Transfer of Innovation": "Overdracht van innovatie",
    "Development of Innovation": "Ontwikkeling van innovatie",
    "Mobility": "Mobiliteit",
    "Preparatory visits": "Voorbereidende bezoeken",
    "In-Service Training": "Nascholing",
    "Senior volunteering projects": "Vrijwilligersprojecten voor senioren",
    "Workshops": "Workshops",
    "Study visits": "Studiebezoeken",
    "Intensive Programmes": "Intensieve programma's",
    "Academic Networks": "Academische netwerken",
    "Structural Networks": "Structurele netwerken",
    "Virtual campus": "Virtuele campus",
    "Key Activity 1 - Policy Cooperation and Innovation": (
        "Kernactiviteit 1 - Beleidssamenwerking en innovatie"
    ),
    "Key Activity 2 - Languages": "Kernactiviteit 2 - Talen",
    "Key Activity 3 - ICT": "Kernactiviteit 3 - ICT",
    "Key Activity 4 - Dissemination and exploitation of results": (
        "Kernactiviteit 4 - Verspreiding en benutting van resultaten"
    ),
    # Youth in Action (2007-2013)
    "European Voluntary Service": "Europees Vrijwilligerswerk",
    "Youth Exchanges": "Jongerenuitwisselingen",
    "Youth Initiatives": "Jongereninitiatieven",
    "Youth Democracy Projects": "Jeugddemocratieprojecten",
    "Youth in the World": "Jongeren in de wereld",
    "Training and Networking": "Training en netwerkvorming",
    "Youth support systems": "Ondersteuningsstructuren voor jongeren",
    "Support for European cooperation in the youth field": (
        "Steun voor Europese samenwerking op het gebied van jeugd"
    ),
    "Cooperation with the Neighbouring Partner Countries of the European Union": (
        "Samenwerking met de partnerlanden die buurlanden van de Europese Unie zijn"
    ),
    "Meetings of young people and those responsible for youth policy": (
        "Ontmoetingen van jongeren en verantwoordelijken voor jeugdbeleid"
    ),
    "Support to bodies active at European level in the field of youth": (
        "Steun voor organisaties die op Europees niveau actief zijn op het gebied van jeugd"
    ),
    # Tempus
    "Tempus Joint Project - Curricular Reform": "Tempus gezamenlijk project - hervorming van leerplannen",
    "Tempus Joint Project - Governance Reform": "Tempus gezamenlijk project - hervorming van het bestuur",
    "Tempus Joint Project - Higher Education and Society": (
        "Tempus gezamenlijk project - hoger onderwijs en samenleving"
    ),
    "Tempus Structural Measures": "Tempus structurele maatregelen",
    # Erasmus Mundus
    "Joint Programmes: Master Course": "Gezamenlijke programma's: masteropleiding",
    "Joint Programmes: Joint Doctorate": "Gezamenlijke programma's: gezamenlijk doctoraat",
    "Partnerships with Third Country higher education institutions": (
        "Partnerschappen met instellingen voor hoger onderwijs in derde landen"
    ),
    "Attractiveness projects": "Projecten die het Europese hoger onderwijs aantrekkelijker maken",
    # Co-operation with industrialised countries
    "Co-operation with other industrialised countries": "Samenwerking met andere geïndustrialiseerde landen",
    # Culture (2007-2013) and Creative Europe
    "Multi-annual Cooperation Projects": "Meerjarige samenwerkingsprojecten",
    "Cooperation Measures": "Samenwerkingsmaatregelen",
    "Cooperation projects": "Samenwerkingsprojecten",
    "Cooperation projects with third countries": "Samenwerkingsprojecten met derde landen",
    "Literary Translation": "Literaire vertaling",
    "Literary translation projects": "Literaire vertaalprojecten",
    "Special Actions": "Bijzondere acties",
    "European festivals": "Europese festivals",
    "European networks": "Europese netwerken",
    "European platforms": "Europese platforms",
    "Support for bodies active at European level in the field of culture": (
        "Steun voor organisaties die op Europees niveau actief zijn op het gebied van cultuur"
    ),
    "Culture": "Cultuur",
    "MEDIA": "MEDIA",
    "Cross-sectoral": "Sectoroverschrijdend",
    # Sport: preparatory actions and special events 2009-2013
    "Preparatory actions 2009": "Voorbereidende acties 2009",
    "Preparatory actions 2010": "Voorbereidende acties 2010",
    "Preparatory actions 2011": "Voorbereidende acties 2011",
    "Preparatory actions 2012": "Voorbereidende acties 2012",
    "Preparatory actions 2013": "Voorbereidende acties 2013",
    "Special events": "Speciale evenementen",
    "Area 1: Strengthening of good governance and dual careers in sport through support for the mobility of "
    "volunteers, coaches, managers and staff of non-profit sport organisations": (
        "Gebied 1: Versterking van goed bestuur en duale loopbanen in de sport door steun voor de mobiliteit "
        "van vrijwilligers, coaches, managers en personeel van sportorganisaties zonder winstoogmerk"
    ),
}
"""Dutch names of the actions the predecessor programmes' exports name (the segments of their `Programme
Funding` paths, Creative Europe's Sub-programme and Action), as the programmes' Dutch documents name them;
keys compared with `identity.normalise_name`. A name not listed keeps its English text as Dutch label, with
`UNTRANSLATED_NOTE`."""
