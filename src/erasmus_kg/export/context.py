"""The published JSON-LD context (ontology/context.jsonld) as the exporter uses it.

The exporter writes compact JSON-LD itself, so it needs to know, for a property and a value, which key of
the context expands back to exactly that (property, value): a term whose coercion matches the value (an
`@type: @id` term for IRIs and blank nodes, an `@type: xsd:...` term for literals of that datatype, a
`@container: @language` term for language-tagged strings, a term without coercion for plain strings), and
otherwise a compact IRI key with an explicit value object. `JsonLdContext` answers those questions; it reads
the context file, so the file is the one source of truth for terms and prefixes.

Only the term definitions the file uses are supported (simple strings, `@id`, `@type`, `@container`
`@language` or `@set`); anything else is refused when the context is read, not silently misused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from erasmus_kg import resources
from erasmus_kg.errors import UsageError
from erasmus_kg.namespaces import BASE, RDF

CONTEXT_URL = BASE + "context.jsonld"
"""Where the context is published; `export(..., context="link")` refers to it."""


RDF_LANG_STRING = RDF + "langString"

# The characters that let a term ending in one of them serve as a prefix in JSON-LD 1.1 compact IRIs.
_GEN_DELIMS = tuple(":/?#[]@")


def context_file() -> Path:
    return resources.ontology_dir() / "context.jsonld"


@dataclass(frozen=True)
class Term:
    """A term of the context that stands for a property, and the kind of values it takes.

    kind: "id" (`@type: @id`: IRIs and blank nodes as strings), "lang" (`@container: @language`: a map from
    language tag to strings), "typed" (`@type` a datatype: lexical forms as strings), "plain" (no coercion:
    strings are xsd:string, and anything else needs a value object or a native JSON number or boolean).
    """

    name: str
    iri: str
    kind: str
    datatype: str | None = None
    is_set: bool = False


class JsonLdContext:
    """Term selection and IRI compaction for one JSON-LD context (a JSON object of term definitions)."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        if not isinstance(definitions, dict):
            raise ValueError("a JSON-LD context must be a JSON object")
        self.definitions = definitions
        self.keyword_aliases: dict[str, str] = {}
        raw_prefixes: dict[str, str] = {}
        simple: dict[str, str] = {}
        expanded: dict[str, dict[str, Any]] = {}
        for name, value in definitions.items():
            if name.startswith("@"):
                if name in ("@version", "@language", "@vocab", "@base"):
                    raise ValueError(f"context keyword {name} is not supported by the exporter")
                continue
            if ":" in name:
                raise ValueError(f"term {name!r}: terms with a colon are not supported")
            if isinstance(value, str):
                if value.startswith("@"):
                    self.keyword_aliases[value] = name
                elif value.endswith(_GEN_DELIMS):
                    raw_prefixes[name] = value
                else:
                    simple[name] = value
            elif isinstance(value, dict):
                unknown = set(value) - {"@id", "@type", "@container"}
                if unknown or "@id" not in value:
                    raise ValueError(f"term {name!r}: unsupported definition {value!r}")
                expanded[name] = value
            else:
                raise ValueError(f"term {name!r}: unsupported definition {value!r}")
        self.term_names = frozenset(name for name in definitions if not name.startswith("@"))
        # Prefixes are plain IRIs (no prefix: prefix chains); longest namespace first, then by name.
        for name, ns in raw_prefixes.items():
            if ":" in ns and ns.split(":", 1)[0] in raw_prefixes:
                raise ValueError(f"prefix {name!r} is itself a compact IRI")
        self.prefixes: list[tuple[str, str]] = sorted(
            raw_prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0])
        )
        self._prefix_names: dict[str, str] = {}
        for name, ns in self.prefixes:
            self._prefix_names.setdefault(ns, name)
        self._prefix_ends = "".join(sorted({ns[-1] for ns in self._prefix_names}))
        self.id_alias = self.keyword_aliases.get("@id", "@id")
        self.type_alias = self.keyword_aliases.get("@type", "@type")

        self.vocab_terms: dict[str, str] = {}
        """IRI -> simple term naming it (classes): usable where IRIs expand vocabulary-relative (@type)."""
        for name, value in sorted(simple.items()):
            self.vocab_terms.setdefault(self.expand(value), name)

        self._terms: dict[tuple[str, str, str | None], Term] = {}
        terms = [self._term(name, value) for name, value in expanded.items()]
        terms += [Term(name, self.expand(value), "plain") for name, value in simple.items()]
        for term in terms:
            key = (term.iri, term.kind, term.datatype)
            if key in self._terms:
                raise ValueError(
                    f"terms {self._terms[key].name!r} and {term.name!r} are the same kind of term for "
                    f"<{term.iri}>: the exporter could not choose between them"
                )
            self._terms[key] = term

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> JsonLdContext:
        """From a context document: a JSON object with a single `@context` object."""
        context = document.get("@context") if isinstance(document, dict) else None
        if not isinstance(context, dict):
            raise ValueError("a context document must hold an @context object")
        return cls(context)

    def _term(self, name: str, value: dict[str, Any]) -> Term:
        iri = self.expand(value["@id"])
        coercion = value.get("@type")
        container = value.get("@container")
        if container not in (None, "@language", "@set"):
            raise ValueError(f"term {name!r}: container {container!r} is not supported")
        if container == "@language":
            if coercion is not None:
                raise ValueError(f"term {name!r}: a language map cannot have a type")
            return Term(name, iri, "lang")
        is_set = container == "@set"
        if coercion is None:
            return Term(name, iri, "plain", is_set=is_set)
        if coercion == "@id":
            return Term(name, iri, "id", is_set=is_set)
        if coercion.startswith("@"):
            raise ValueError(f"term {name!r}: @type {coercion!r} is not supported")
        return Term(name, iri, "typed", self.expand(coercion), is_set=is_set)

    # ------------------------------------------------------------------------------------------------------
    # Reading IRIs written against this context

    def expand(self, value: str) -> str:
        """A compact IRI or absolute IRI of the context file, expanded."""
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//"):
            for name, ns in self.prefixes:
                if name == prefix:
                    return ns + suffix
        if not sep:
            raise ValueError(f"{value!r} is neither a compact IRI nor an absolute IRI")
        return value

    # ------------------------------------------------------------------------------------------------------
    # Writing

    def term(self, iri: str, kind: str, datatype: str | None = None) -> Term | None:
        """The term for property `iri` taking values of this kind (and datatype), if the context has one."""
        return self._terms.get((iri, kind, datatype))

    def property_key(self, iri: str) -> str:
        """The key for property `iri` when no coerced term fits: its uncoerced term, else a compact IRI."""
        term = self._terms.get((iri, "plain", None))
        return term.name if term is not None else self.compact_iri(iri)

    def compact_iri(self, iri: str) -> str:
        """`iri` as a compact IRI with the longest matching prefix, or as it is.

        Either form expands back to `iri` however it is read (as a key, a `@type` value or an `@id` value).
        An absolute IRI whose scheme is a term of the context would be read as a compact IRI: refused.
        """
        # Every prefix ends with a delimiter, so the longest prefix of `iri` ends at its rightmost delimiter
        # that ends a prefix: scan the delimiters from the right (a dictionary look-up each).
        end = len(iri)
        while True:
            cut = 0
            for char in self._prefix_ends:
                found = iri.rfind(char, 0, end) + 1
                if found > cut:
                    cut = found
            if cut == 0:
                break
            name = self._prefix_names.get(iri[:cut])
            if name is not None and cut < len(iri) and not iri.startswith("//", cut):
                return f"{name}:{iri[cut:]}"
            end = cut - 1
        scheme = iri.split(":", 1)[0]
        if scheme in self.term_names or scheme == "_":
            raise UsageError(
                f"<{iri}> cannot be written as JSON-LD with this context: its scheme {scheme!r} is a term"
            )
        return iri

    def compact_vocab(self, iri: str) -> str:
        """`iri` as a `@type` value: a class term when the context has one, else a compact IRI."""
        return self.vocab_terms.get(iri) or self.compact_iri(iri)


@cache
def published_context_document() -> dict[str, Any]:
    """The context document kept in the repository (ontology/context.jsonld), parsed."""
    path = context_file()
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


@cache
def published_context() -> JsonLdContext:
    return JsonLdContext.from_document(published_context_document())
