"""The one content negotiator: a format from the ``format``/``output`` parameter or the Accept header.

Every endpoint and page asks here. Accept is read as RFC 9110 says: media-range parameters other than ``q``
(``charset=utf-8``, ``profile=...``) do not stop a match, q-values rank, ``type/*`` and ``*/*`` are wildcards,
the more specific range decides a media type's q-value, and ``q=0`` refuses. Among equally acceptable
formats the server's order (the table in :mod:`helsegraf.formats`) wins.
"""

from __future__ import annotations

from .. import formats
from ..errors import NotAcceptable


def media_type(fmt: str) -> str:
    """The media type written for a format key."""
    return formats.media_type(fmt)


def parse_accept(accept: str) -> list[tuple[str, str, float]]:
    """``[(type, subtype, q)]`` of an Accept header, parameters other than q dropped.

    >>> parse_accept("application/sparql-results+json;charset=utf-8, text/*;q=0.2")
    [('application', 'sparql-results+json', 1.0), ('text', '*', 0.2)]
    """
    ranges = []
    for part in accept.split(","):
        pieces = [p.strip() for p in part.split(";")]
        mime = pieces[0].lower()
        if not mime:
            continue
        if mime == "*":  # some clients send a bare '*'
            mime = "*/*"
        if "/" not in mime:
            continue
        kind, _, sub = mime.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub, q))
    return ranges


def quality(mime: str, ranges: list[tuple[str, str, float]]) -> float:
    """The q-value ``ranges`` give to ``mime``: that of the most specific matching range, 0 if none matches."""
    kind, _, sub = mime.lower().partition("/")
    best_specificity, q = -1, 0.0
    for r_kind, r_sub, r_q in ranges:
        if r_kind == kind and r_sub == sub:
            specificity = 2
        elif r_kind == kind and r_sub == "*":
            specificity = 1
        elif r_kind == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity or (specificity == best_specificity and r_q > q):
            best_specificity, q = specificity, r_q
    return q


def best_media_type(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers (the first offer without an Accept); None if none is acceptable.

    >>> best_media_type("text/html;level=1, text/turtle;q=0.9", ["text/turtle", "text/html"])
    'text/html'
    >>> best_media_type("image/png", ["text/html"]) is None
    True
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:  # strict '>' keeps the server's order among equals
        q = quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def choose(kind: str, accept: str | None, format_param: str | None = None, allowed: set[str] | None = None) -> str:
    """The format key for a result of ``kind`` (``solutions``, ``boolean``, ``graph`` or ``dataset``).

    ``format_param`` (``format=``/``output=``) wins over Accept; its values are read per kind, so SPARQLWrapper's
    ``format=xml`` is SPARQL XML for a SELECT and RDF/XML for a CONSTRUCT. ``allowed`` narrows the formats.

    >>> choose("solutions", "text/csv;q=0.5, application/sparql-results+xml")
    'xml'
    >>> choose("graph", None, "json-ld")
    'jsonld'
    >>> choose("solutions", "application/sparql-results+json;charset=utf-8")
    'json'
    >>> choose("graph", "application/rdf+xml", "xml")
    'rdfxml'

    :raises NotAcceptable: when no offered format fits (HTTP 406).
    """
    candidates = [f for f in formats.for_kind(kind) if allowed is None or f.key in allowed]
    keys = [f.key for f in candidates]
    if format_param and format_param.strip():
        key = formats.from_alias(format_param, kind)
        if key is None or key not in keys:
            raise NotAcceptable(f"format '{format_param}' cannot be used for this result; choose one of {keys}")
        return key
    if not accept or not accept.strip():
        return keys[0]
    # Each format's own media type first, then the looser ones (application/json, text/plain ...), so that
    # '*/*' or 'application/*' picks a format's main type.
    offers = [(m, f.key) for f in candidates for m in f.media_types[:1]]
    offers += [(m, f.key) for f in candidates for m in f.media_types[1:]]
    best = best_media_type(accept, [m for m, _ in offers])
    if best is None:
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) can be produced; available: "
            + ", ".join(dict.fromkeys(m for m, _ in offers))
        )
    return dict(offers)[best]
