"""The concepts an import refers to: found in the packaged vocabularies, or minted (and described once) in the
import's graph.

- Actions: the export's key action and action type are matched with data/vocabularies.ttl (by the action code
  of the project identifier, e.g. KA204, or by label, e.g. "Knowledge Alliances"); an action the vocabulary
  lacks becomes a concept of the action scheme under the row's key action, with its code as skos:notation
  when the identifier gives one (IRI vocab/action/<code>, else vocab/action/<slug of the label>).
- Topics: concepts vocab/topic/<slug> in the topic scheme and in the theme scheme (so that `projects-by-theme`
  finds projects by topic), typed ekg:Theme.
- Organisation types: concepts vocab/organisation-type/<slug>, typed ekg:OrganisationKind.
- Programmes: Erasmus+ is the packaged ekgid:erasmus-plus; a predecessor programme
  (`prp_terms.PROGRAMME_TERMS`) becomes id/programme/<local name>, another programme id/programme/<slug>.
  The actions a predecessor's export names (the path of `Programme Funding`, Creative Europe's
  sub-programme and action) are a chain of concepts of the action scheme, vocab/action/<programme>-<slugs>.

Labels come from the export (English) and from `prp_terms` (Dutch); see that module for values it lacks.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from erasmus_kg import resources
from erasmus_kg.importing import prp_terms
from erasmus_kg.importing.existing import ExistingFacts
from erasmus_kg.importing.identity import normalise_name, slug
from erasmus_kg.importing.sink import GraphSink
from erasmus_kg.importing.terms import T, iri, literal
from erasmus_kg.namespaces import ID, PREFIXES, VOCAB

_SKOS = PREFIXES["skos"]
_ACTION = PREFIXES["action"]
_SECTOR = PREFIXES["sector"]

ACTION_SCHEME = VOCAB + "action"
TOPIC_SCHEME = VOCAB + "topic"
THEME_SCHEME = VOCAB + "theme"
ORGANISATION_TYPE_SCHEME = VOCAB + "organisation-type"
PROGRAMME_SCHEME = VOCAB + "programme"


@cache
def packaged_actions() -> tuple[dict[str, str], dict[str, str]]:
    """The action concepts of data/vocabularies.ttl: (notation -> IRI, normalised label -> IRI)."""
    in_scheme, notation = _SKOS + "inScheme", _SKOS + "notation"
    labels = (_SKOS + "prefLabel", _SKOS + "altLabel")
    triples = list(ox.parse(path=str(resources.data_dir() / "vocabularies.ttl"), format=ox.RdfFormat.TURTLE))
    actions = {
        t.subject.value for t in triples if t.predicate.value == in_scheme and t.object.value == ACTION_SCHEME
    }
    by_notation: dict[str, str] = {}
    by_label: dict[str, str] = {}
    for t in triples:
        if t.subject.value not in actions:
            continue
        if t.predicate.value == notation:
            by_notation[t.object.value.upper()] = t.subject.value
        elif t.predicate.value in labels:
            by_label.setdefault(normalise_name(t.object.value), t.subject.value)
    return by_notation, by_label


def _index(terms: tuple[prp_terms.ActionTerm, ...]) -> dict[str, prp_terms.ActionTerm]:
    index: dict[str, prp_terms.ActionTerm] = {}
    for term in terms:
        for name in (term.en, *term.alt_en):
            index[normalise_name(name)] = term
        if term.code:
            index[term.code] = term
    return index


_KEY_ACTION_TERMS = _index(prp_terms.KEY_ACTIONS)
_ACTION_TYPE_TERMS = _index(prp_terms.ACTION_TYPES)
_TOPICS = {normalise_name(en): nl for en, nl in prp_terms.TOPICS}
_ORGANISATION_TYPES = {normalise_name(en): nl for en, nl in prp_terms.ORGANISATION_TYPES}
_PREDECESSOR_ACTIONS_NL = {normalise_name(en): nl for en, nl in prp_terms.PREDECESSOR_ACTIONS.items()}
_PROGRAMME_TERMS = {
    normalise_name(name): term for term in prp_terms.PROGRAMME_TERMS for name in (term.en, *term.names)
}


def split_funding_path(path: str) -> tuple[str, list[str]]:
    """The programme's name and the actions' names of a non-empty `Programme Funding` path (see
    `Concepts.funding_path`)."""
    segments = [part.strip() for part in path.split("\\") if part.strip()] or [path.strip()]
    position = next(
        (i for i, part in enumerate(segments) if i and normalise_name(part) in _PROGRAMME_TERMS),
        min(1, len(segments) - 1),
    )
    return segments[position], segments[position + 1 :]


class Concepts:
    """Finds or mints the concepts of one import, describing each minted one the first time it is used."""

    def __init__(self, sink: GraphSink, existing: ExistingFacts) -> None:
        self._sink = sink
        self._existing = existing
        self._minted: dict[tuple[str, str], str] = {}
        """(kind, normalised text) -> serialised IRI: each text always gets the same IRI."""
        self._slugs: dict[str, tuple[str, str]] = {}
        """IRI -> the (kind, text) it was minted for: two texts with one slug get different IRIs."""

    # -- actions --------------------------------------------------------------------------------------------

    def action(self, key_action: str, action_type: str, code: str | None) -> str | None:
        """The most specific action of a row (serialised IRI), None if the row names none."""
        by_notation, by_label = packaged_actions()
        key = self.key_action(key_action, code) if key_action or code else None
        if not action_type:
            return key
        if code and code in by_notation:
            return iri(by_notation[code])
        found = by_label.get(normalise_name(action_type))
        if found is not None and (code is None or found not in by_notation.values()):
            return iri(found)
        term = (_ACTION_TYPE_TERMS.get(code) if code else None) or _ACTION_TYPE_TERMS.get(
            normalise_name(action_type)
        )
        if term is not None and term.code and code and term.code != code:
            term = None  # the label names another code than the identifier: trust the identifier
        local = code or (slug(term.en) if term else slug(action_type))
        node = self._mint("action", code or normalise_name(action_type), _ACTION + local)
        if self._sink.known(node):
            return node
        broader = iri(term.broader) if term and term.broader else key
        if broader is None:
            broader = iri(prp_terms.KEY_ACTION_OF_CODE.get(code[2], ACTION_SCHEME)) if code else None
        if broader is not None:
            self._sink.describe(node, T.action_type_class)
            self._scheme_member(node, ACTION_SCHEME, top=False)
            self._sink.add(node, T.broader, broader)
        else:  # nothing to place it under (no key action, no action code): an action of its own
            self._sink.describe(node, T.action_class)
            self._scheme_member(node, ACTION_SCHEME, top=True)
        if code:
            self._sink.add(node, T.notation, literal(code))
        self._labels(node, term.en if term else action_type, term.nl if term else None)
        for alt in term.alt_en if term else ():
            self._sink.add(node, T.alt_label, literal(alt, language="en"))
        if term and term.sector:
            self._sink.add(node, T.sector, iri(_SECTOR + term.sector))
        return node

    def key_action(self, text: str, code: str | None) -> str | None:
        """The key action (serialised IRI) named by `text`, or implied by an action code KAnxx."""
        _, by_label = packaged_actions()
        if not text:
            return iri(prp_terms.KEY_ACTION_OF_CODE[code[2]]) if code and code[2] in "123" else None
        found = by_label.get(normalise_name(text))
        if found is not None:
            return iri(found)
        term = _KEY_ACTION_TERMS.get(normalise_name(text))
        node = self._mint("key-action", normalise_name(text), _ACTION + slug(term.en if term else text))
        if not self._sink.known(node):
            self._sink.describe(node, T.action_class)
            self._scheme_member(node, ACTION_SCHEME, top=True)
            self._labels(node, term.en if term else text, term.nl if term else None)
        return node

    # -- topics, organisation types, programmes -------------------------------------------------------------

    def topic(self, text: str) -> str:
        key = normalise_name(text)
        node = self._mint("topic", key, VOCAB + "topic/" + slug(text))
        if not self._sink.known(node):
            self._scheme(
                TOPIC_SCHEME,
                "Topics of the Erasmus+ Project Results Platform",
                "Onderwerpen van het Erasmus+-projectresultatenplatform",
            )
            self._sink.describe(node, T.theme_class)
            self._scheme_member(node, TOPIC_SCHEME, top=True)
            self._sink.add(node, T.in_scheme, iri(THEME_SCHEME))
            self._labels(node, text, _TOPICS.get(key))
        return node

    def organisation_type(self, text: str) -> str:
        key = normalise_name(text)
        node = self._mint("organisation-type", key, VOCAB + "organisation-type/" + slug(text))
        if not self._sink.known(node):
            self._scheme(
                ORGANISATION_TYPE_SCHEME,
                "Organisation types of the Erasmus+ Project Results Platform",
                "Organisatietypes van het Erasmus+-projectresultatenplatform",
            )
            self._sink.describe(node, T.organisation_kind_class)
            self._scheme_member(node, ORGANISATION_TYPE_SCHEME, top=True)
            self._labels(node, text, _ORGANISATION_TYPES.get(key))
        return node

    def programme(self, text: str) -> str:
        """The programme (serialised IRI) an export names: Erasmus+, a predecessor programme of
        `prp_terms.PROGRAMME_TERMS` (with its Dutch label), or another one minted with the export's text."""
        known = prp_terms.PROGRAMMES.get(text)
        if known is not None:
            return iri(known)
        term = _PROGRAMME_TERMS.get(normalise_name(text))
        local = term.local if term else slug(text)
        node = self._mint("programme", normalise_name(term.en if term else text), ID + "programme/" + local)
        if not self._sink.known(node):
            en, nl = (term.en, term.nl) if term else (text, None)
            self._sink.describe(node, T.programme_class)
            self._sink.add(node, T.rdfs_label, literal(en, language="en"))
            self._sink.add(node, T.rdfs_label, literal(nl or en, language="nl"))
            self._scheme_member(node, PROGRAMME_SCHEME, top=True)
            self._labels(node, en, nl)
            if term is not None:
                for name in term.names:
                    if name != en:
                        self._sink.add(node, T.alt_label, literal(name, language="en"))
                for name in term.alt_nl:
                    self._sink.add(node, T.alt_label, literal(name, language="nl"))
                if term.code:
                    self._sink.add(node, T.notation, literal(term.code))
        return node

    def funding_path(self, path: str) -> tuple[str, str | None]:
        """The programme and the most specific action (serialised IRIs, the action None when the path names
        none) of a `Programme Funding` path "field\\programme\\action\\...": the programme is the first
        segment after the field that `prp_terms.PROGRAMME_TERMS` knows (an external programme's path has
        "External Programmes and Policies" between them), else the second segment; each segment after it
        is an action narrower than the one before (`action_path`)."""
        name, actions = split_funding_path(path)
        programme = self.programme(name)
        return programme, self.action_path(programme, actions)

    def action_path(self, programme: str, names: list[str]) -> str | None:
        """The last of a chain of actions of a predecessor programme (serialised IRI; None for no names):
        the first is a top concept of the action scheme, each next one an ekg:ActionType narrower than the
        one before. IRIs vocab/action/<programme>-<slug of each name>; labels the export's (English) text,
        and in Dutch `prp_terms.PREDECESSOR_ACTIONS` (else the English text, marked untranslated)."""
        local = programme[1:-1].rsplit("/", 1)[-1]
        broader: str | None = None
        key = local
        for name in names:
            key += "\\" + normalise_name(name)
            local += "-" + slug(name, limit=40)
            node = self._mint("programme-action", key, _ACTION + local)
            if not self._sink.known(node):
                if broader is None:
                    self._sink.describe(node, T.action_class)
                    self._scheme_member(node, ACTION_SCHEME, top=True)
                else:
                    self._sink.describe(node, T.action_type_class)
                    self._scheme_member(node, ACTION_SCHEME, top=False)
                    self._sink.add(node, T.broader, broader)
                self._labels(node, name, _PREDECESSOR_ACTIONS_NL.get(normalise_name(name)))
            broader = node
        return broader

    # -- helpers --------------------------------------------------------------------------------------------

    def _mint(self, kind: str, key: str, wanted: str) -> str:
        found = self._minted.get((kind, key))
        if found is not None:
            return found
        candidate = wanted
        number = 2
        while candidate in self._slugs and self._slugs[candidate] != (kind, key):
            candidate = f"{wanted}-{number}"
            number += 1
        self._slugs[candidate] = (kind, key)
        node = self._minted[(kind, key)] = iri(candidate)
        return node

    def _scheme(self, scheme: str, en: str, nl: str) -> None:
        node = iri(scheme)
        if not self._sink.known(node):
            self._sink.describe(node, T.concept_scheme)
            self._sink.add(node, T.pref_label, literal(en, language="en"))
            self._sink.add(node, T.pref_label, literal(nl, language="nl"))

    def _scheme_member(self, node: str, scheme: str, *, top: bool) -> None:
        self._sink.add(node, T.in_scheme, iri(scheme))
        if top:
            self._sink.add(node, T.top_concept_of, iri(scheme))

    def _labels(self, node: str, en: str, nl: str | None) -> None:
        """English and Dutch prefLabels; those of another graph when it describes the node already."""
        existing = self._existing.values(node, T.pref_label)
        if existing:
            for label in existing:
                self._sink.add(node, T.pref_label, label)
            ours = literal(en, language="en")
            if ours not in existing:
                self._sink.add(node, T.alt_label, ours)
            return
        self._sink.add(node, T.pref_label, literal(en, language="en"))
        if nl is None:
            self._sink.add(node, T.pref_label, literal(en, language="nl"))
            self._sink.add(node, T.editorial_note, literal(prp_terms.UNTRANSLATED_NOTE, language="en"))
        else:
            self._sink.add(node, T.pref_label, literal(nl, language="nl"))
