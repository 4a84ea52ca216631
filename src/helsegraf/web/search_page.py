"""``/search?q=``: full-text search over the graph's names and descriptions, as JSON or as a page in the site's
layout (nb/en), with the types of what was found to narrow it down. The index (:mod:`helsegraf.search`) is
built on first use and rebuilt when the data has changed since (:func:`.freshness.data_version`)."""

from __future__ import annotations

import logging
import threading
import time

from flask import Blueprint, Response, current_app, g, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..namespaces import HG
from ..search import SearchIndex, dumps, to_json
from . import current_settings, current_store
from .errors import ClientError
from .freshness import data_version

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)

#: Most results one request may ask for.
MAX_LIMIT = 100

TEXT = {
    "nb": {"title": "Søk", "label": "Søk i grafen", "button": "Søk", "none": "Ingen treff for",
           "found": "treff for", "types": "Typer", "all_types": "alle typer", "prompt":
           "Søk etter navn, alternative navn og beskrivelser (bokmål, nynorsk, engelsk og samiske navneformer); "
           "«Hoylandet» finner også Høylandet, og kommunenummer og organisasjonsnummer gir treff.",
           "next": "Neste side", "previous": "Forrige side", "as_json": "Som JSON"},
    "en": {"title": "Search", "label": "Search the graph", "button": "Search", "none": "No results for",
           "found": "results for", "types": "Types", "all_types": "all types", "prompt":
           "Search names, alternative names and descriptions (Bokmål, Nynorsk, English and Sámi name forms); "
           "«Hoylandet» also finds Høylandet, and municipality and organisation numbers match too.",
           "next": "Next page", "previous": "Previous page", "as_json": "As JSON"},
}


def current_index() -> SearchIndex:
    """The search index of the store as it is now (built again if the data changed since the last build);
    looked up once per request."""
    cached = g.get("search_index")
    if cached is not None:
        return cached
    holder = current_app.extensions.setdefault("helsegraf_search", {"lock": threading.Lock(), "index": None})
    version, _ = data_version()
    index = holder["index"]
    if index is None or index.version != version:
        with holder["lock"]:
            index = holder["index"]
            if index is None or index.version != version:
                index = SearchIndex(current_store(), current_settings().base, version)
                holder["index"] = index
                log.info("search index built: %d entities in %.3f s", len(index), index.build_seconds)
    g.search_index = index
    return index


def type_iris(values: list[str]) -> list[str]:
    """Type filters as IRIs: a full IRI, or a local name of the helsegraf ontology (``Municipality``)."""
    return [v if ":" in v else HG + v for v in values if v.strip()]


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "")
    if not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ClientError(f"{name} must be a whole number, not '{raw}'", 400) from None
    return max(low, min(high, value))


def _wants_json() -> bool:
    asked = request.args.get("format", "").lower()
    if asked:
        if asked not in {"json", "html"}:
            raise ClientError(f"unknown format '{asked}'; use json or html", 406)
        return asked == "json"
    accept = request.headers.get("Accept", "")
    best = parse_accept_header(accept, MIMEAccept).best_match(["text/html", "application/json"]) if accept else None
    return best == "application/json"


@bp.route("/search")
def search():
    from .ui import page_lang

    query = request.args.get("q", "").strip()
    types = type_iris(request.args.getlist("type"))
    limit = _int_arg("limit", 20, 1, MAX_LIMIT)
    offset = _int_arg("offset", 0, 0, 10_000)
    lang = page_lang()
    as_json = _wants_json()
    if as_json and not query:
        raise ClientError("give the words to search for as q=", 400)
    started = time.perf_counter()
    index = current_index()
    everything = index.search(query, types=types or None, limit=None) if query else []
    took_ms = round((time.perf_counter() - started) * 1000, 2)
    facets: dict[str, int] = {}
    for hit in everything:
        for t in hit.entity.types:
            if t.startswith(HG):
                facets[t] = facets.get(t, 0) + 1
    type_facets = [{"iri": t, "name": index.entities[t].name(lang) if t in index.entities else t, "count": n}
                   for t, n in sorted(facets.items(), key=lambda item: (-item[1], item[0]))]
    page = everything[offset:offset + limit]
    results = [to_json(hit, lang, index) for hit in page]
    if as_json:
        body = {"query": query, "types": types, "total": len(everything), "offset": offset, "limit": limit,
                "took_ms": took_ms, "results": results, "facets": {"types": type_facets}}
        return Response(dumps(body), mimetype="application/json", headers={"Vary": "Accept, Accept-Language"})
    return Response(render_template(
        "search.html", q=query, results=results, total=len(everything), offset=offset, limit=limit,
        types=types, type_facets=type_facets, took_ms=took_ms, s=TEXT[lang]),
        mimetype="text/html", headers={"Vary": "Accept, Accept-Language"})
