"""Choose a result format from the ``format`` parameter or the Accept header (with q-values)."""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..store import GRAPH_FORMATS, SOLUTION_FORMATS

#: Extra names and media types clients use for the same formats.
ALIASES = {
    "json": "json", "srj": "json", "application/json": "json", "application/sparql-results+json": "json",
    "xml": "xml", "srx": "xml", "application/xml": "xml", "text/xml": "xml", "application/sparql-results+xml": "xml",
    "csv": "csv", "text/csv": "csv",
    "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle", "application/x-turtle": "turtle",
    "ntriples": "ntriples", "nt": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "jsonld": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld",
    # Turtle is a subset of N3, so an N3 request gets Turtle.
    "n3": "turtle", "text/n3": "turtle",
    "rdfxml": "rdfxml", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml-rdf": "rdfxml", "application/rdf+xml": "rdfxml",
    "trig": "trig", "application/trig": "trig",
    "nquads": "nquads", "nq": "nquads", "application/n-quads": "nquads",
}

#: Which alternative media types each result kind can be written as, in order of preference.
OFFERS = {
    "solutions": [
        ("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"), ("text/tab-separated-values", "tsv"),
        ("application/json", "json"), ("application/xml", "xml"), ("text/xml", "xml"),
    ],
    "graph": [
        ("text/turtle", "turtle"), ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"), ("application/x-turtle", "turtle"), ("text/plain", "ntriples"),
        ("application/json", "jsonld"), ("application/xml", "rdfxml"), ("text/n3", "turtle"),
    ],
    "dataset": [("application/trig", "trig"), ("application/n-quads", "nquads")],
}
OFFERS["boolean"] = OFFERS["solutions"]


class NotAcceptableError(Exception):
    """Nothing the client accepts can be produced (HTTP 406)."""


def media_type(fmt: str) -> str:
    """The media type written for a format key."""
    return SOLUTION_FORMATS.get(fmt) or GRAPH_FORMATS[fmt]


def choose(kind: str, accept: str | None, format_param: str | None = None) -> str:
    """Return the format key for a result of ``kind``.

    >>> choose("solutions", "text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> choose("graph", None, "json-ld")
    'jsonld'
    >>> choose("solutions", "*/*")
    'json'

    :raises NotAcceptableError: when no offered format fits.
    """
    offers = OFFERS[kind]
    allowed = {key for _, key in offers}
    if format_param:
        key = ALIASES.get(format_param.strip().lower())
        if key not in allowed:
            raise NotAcceptableError(
                f"format '{format_param}' cannot be used for this result; choose one of {sorted(allowed)}"
            )
        return key
    if not accept or not accept.strip():
        return offers[0][1]
    parsed = parse_accept_header(accept, MIMEAccept)
    best = parsed.best_match([mime for mime, _ in offers])
    if best is None:
        raise NotAcceptableError(
            f"none of the accepted media types ({accept}) can be produced; available: "
            + ", ".join(dict.fromkeys(m for m, _ in offers))
        )
    return dict(offers)[best]
