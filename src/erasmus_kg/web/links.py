"""Where a resource of the graph is on this server, and back: the one mapping between IRIs and paths.

- Our namespace (`namespaces.BASE`, https://w3id.org/erasmus-kg/) is served under its own path: the IRI
  `https://w3id.org/erasmus-kg/id/project/goal` is `/id/project/goal`, a concept `.../vocab/sector/adult`
  is `/vocab/sector/adult`, the ontology's terms are anchors of `/ontology`.
- The description of a resource (the page for people, the RDF for programs) is a document under `/doc/`
  with the same path and a suffix naming its format: `/doc/id/project/goal.html`, `.ttl`, `.jsonld`, `.nt`.
- Countries are the EU's authority IRIs (`http://publications.europa.eu/resource/authority/country/LTU`),
  not ours: this server gives each a page at `/country/LTU` (documents `/doc/country/LTU.html`, ...).
Every other IRI is linked as it is.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from erasmus_kg.namespaces import BASE, COUNTRY, EKG

DOCUMENT = "/doc/"
COUNTRY_PATH = "/country/"
STATISTICS_PATH = "/statistics/"
ONTOLOGY_PATH = "/ontology"

FORMATS = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
}
"""Document suffix -> media type, in the order offered when `Accept` leaves the choice open."""

_SERVED = ("id/", "vocab/")
"""The parts of our namespace that are resources served under /id/ and /vocab/ (graphs and shapes are not
pages)."""
_COUNTRY_CODE = re.compile(r"[A-Z0-9_]{1,12}\Z")


def resource_path(iri: str) -> str | None:
    """The path of `iri` on this server (`/id/...`, `/vocab/...`, `/country/XXX`, `/ontology#Term`), or None
    when this server does not serve it."""
    if iri.startswith(EKG):
        return f"{ONTOLOGY_PATH}#{quote(iri[len(EKG) :], safe='')}"
    if iri.startswith(BASE):
        rest = iri[len(BASE) :]
        if rest.startswith(_SERVED) and len(rest) > len("id/"):
            return "/" + quote(rest, safe="/:@!$&'()*+,;=-._~")
        return None
    if iri.startswith(COUNTRY):
        code = iri[len(COUNTRY) :]
        if _COUNTRY_CODE.match(code):
            return COUNTRY_PATH + code
    return None


def iri_of_path(path: str) -> str | None:
    """The IRI that `path` (`/id/...`, `/vocab/...`, `/country/XXX`, without a suffix) is served for, or
    None when the path names no resource."""
    if path.startswith(COUNTRY_PATH):
        code = path[len(COUNTRY_PATH) :]
        return COUNTRY + code if _COUNTRY_CODE.match(code) else None
    rest = unquote(path.lstrip("/"))
    if rest.startswith(_SERVED) and len(rest) > len("id/") and "\\" not in rest:
        iri = BASE + rest
        return iri if resource_path(iri) is not None and _valid_iri(iri) else None
    return None


def _valid_iri(iri: str) -> bool:
    """Whether `iri` is an IRI by RFC 3987 (pyoxigraph's check): a path with `>`, a space or a quote is not,
    and names no resource."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return ".." not in iri.split("/")


def document_path(iri: str, suffix: str) -> str | None:
    """The document describing `iri` in the format of `suffix` (a key of FORMATS), or None when this server
    does not serve `iri`."""
    path = resource_path(iri)
    if path is None or path.startswith(ONTOLOGY_PATH):
        return None
    return f"{DOCUMENT}{path.lstrip('/')}.{suffix}"


def href(iri: str) -> str:
    """The link to `iri` on a page: its path on this server when it has one, else the IRI itself."""
    return resource_path(iri) or iri


def statistics_path(iri: str) -> str | None:
    """The statistics page of a country IRI (`/statistics/BEL`), None for anything else."""
    path = resource_path(iri)
    if path is None or not path.startswith(COUNTRY_PATH):
        return None
    return STATISTICS_PATH + path[len(COUNTRY_PATH) :]
