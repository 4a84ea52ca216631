"""``/reconcile``: the W3C Reconciliation Service API 0.2 (Entity Reconciliation Community Group), so that an
agency with a spreadsheet of municipality or health-trust names (OpenRefine or any client of the API) can link
its rows to the graph's entities.

* ``GET /reconcile`` — the service manifest; with ``queries=`` (GET or POST form) — a batch of queries.
* ``/reconcile/suggest/entity|type|property?prefix=`` — suggest (auto-complete) for the three kinds.
* ``/reconcile/preview?id=`` — a small HTML card of one entity.

Entity IDs are the entity's IRI without ``{base}id/`` (``municipality/5037``), so ``view`` is this site's
``/id/{{id}}``; type IDs are the local names below. Candidates come from the search index
(:mod:`helsegraf.search`): names, old and alternative names, Nynorsk and Sámi forms, and identifiers
(municipality, county and organisation numbers, Lovdata IDs). A candidate's score is 100 for a name or
identifier equal to the query (90 when equal once folded to ASCII, 80 when only a word of organisation form
such as «HF» differs), otherwise at most 70 by the share of words in common; each given property raises it
by 10 when it holds and lowers it by 30 when not. A candidate is a ``match`` when it scores at least 80 (its
name is the query but for case, spelling in ASCII or the organisation form) and no other candidate does, so
namesakes are never matched blindly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, abort, render_template_string, request

from .. import search as fts
from ..namespaces import HG
from . import current_settings
from .errors import ClientError
from .search_page import current_index

bp = Blueprint("reconcile", __name__)

ELI = "http://data.europa.eu/eli/ontology#"
#: The types one can reconcile against: ID -> class IRI (subclasses count: a CareService is a Service).
TYPES = {
    "Municipality": HG + "Municipality",
    "County": HG + "County",
    "HealthTrust": HG + "HealthTrust",
    "RegionalHealthAuthority": HG + "RegionalHealthAuthority",
    "HealthCommunity": HG + "HealthCommunity",
    "Law": ELI + "LegalResource",
    "Service": HG + "Service",
}
#: Names of the types that the ontology does not label (ELI's class is not in it).
TYPE_NAMES = {"Law": {"nb": "Lov", "en": "Law"}}
#: Properties for telling namesakes apart: ID -> (predicate, names).
PROPERTIES = {
    "municipalityNumber": (HG + "municipalityNumber", {"nb": "Kommunenummer", "en": "Municipality number"}),
    "countyNumber": (HG + "countyNumber", {"nb": "Fylkesnummer", "en": "County number"}),
    "organisationNumber": (HG + "organisationNumber", {"nb": "Organisasjonsnummer", "en": "Organisation number"}),
    "county": (HG + "county", {"nb": "Fylke", "en": "County"}),
    "lovdataId": (ELI + "id_local", {"nb": "Lovdata-ID", "en": "Lovdata ID"}),
}
DEFAULT_LIMIT = 10
MATCH_SCORE = 80.0
CANDIDATE_POOL = 100


def _lang() -> str:
    from .ui import page_lang

    return page_lang()


def _root() -> str:
    return request.url_root.rstrip("/")


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, mimetype="application/json")


def entity_id(iri: str) -> str | None:
    prefix = current_settings().base + "id/"
    return iri[len(prefix):] if iri.startswith(prefix) else None


def type_name(type_id: str, lang: str) -> str:
    if type_id in TYPE_NAMES:
        return TYPE_NAMES[type_id][lang]
    entity = current_index().entities.get(TYPES[type_id])
    return entity.name(lang) if entity else type_id


def _types_of(entity, lang: str) -> list[dict]:
    return [{"id": tid, "name": type_name(tid, lang)} for tid, iri in TYPES.items() if iri in entity.types]


def manifest() -> dict:
    base, root, lang = current_settings().base, _root(), _lang()
    return {
        "versions": ["0.2"],
        "name": "helsegraf – kommuner, fylker, helseforetak, helsefellesskap, lover og tjenester" if lang == "nb"
        else "helsegraf – municipalities, counties, health trusts, health communities, laws and services",
        "identifierSpace": base + "id/",
        "schemaSpace": base + "ontology#",
        "documentation": root + "/openapi.json",
        "view": {"url": root + "/id/{{id}}"},
        "preview": {"url": root + "/reconcile/preview?id={{id}}", "width": 420, "height": 160},
        "defaultTypes": [{"id": tid, "name": type_name(tid, lang)} for tid in TYPES],
        "suggest": {kind: {"service_url": root, "service_path": f"/reconcile/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
    }


def _parse_queries(raw: str) -> dict[str, dict]:
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ClientError(f"queries is not JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                          400) from None
    if not isinstance(queries, dict) or not all(isinstance(q, dict) for q in queries.values()):
        raise ClientError("queries must be a JSON object of query objects, e.g. {\"q0\": {\"query\": \"Levanger\"}}",
                          400)
    for key, query in queries.items():
        if not isinstance(query.get("query", ""), str):
            raise ClientError(f"{key}: query must be a string", 400)
        if not query.get("query", "").strip() and not query.get("properties"):
            raise ClientError(f"{key}: give a query string or properties", 400)
        kinds = query.get("type")
        for type_id in [kinds] if isinstance(kinds, str) else (kinds or []):
            if _type_iri(type_id) is None:
                raise ClientError(f"{key}: unknown type '{type_id}'; known: {', '.join(TYPES)}", 400)
        for prop in query.get("properties") or []:
            if not isinstance(prop, dict) or prop.get("pid") not in PROPERTIES or "v" not in prop:
                raise ClientError(f"{key}: each property needs pid (one of {', '.join(PROPERTIES)}) and v", 400)
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, (int, float)) or limit < 1:
            raise ClientError(f"{key}: limit must be a positive number", 400)
    return queries


def _type_iri(type_id: str) -> str | None:
    if type_id in TYPES:
        return TYPES[type_id]
    return type_id if type_id in TYPES.values() else None


@lru_cache(maxsize=20_000)
def _forms(text: str) -> frozenset[str]:
    """The words of a name, their stems and their ASCII spellings (names repeat across queries: cached)."""
    tokens = fts.words(text)
    return frozenset(tokens) | frozenset(fts.stems(tokens, None)) | frozenset(fts.folded(tokens))


def _name_score(query: str, entity) -> tuple[float, float]:
    """(score 0–100 from the name, likeness) for ``query`` against every name of ``entity``."""
    labels = [text for text, _ in entity.names + entity.alts]
    likeness = max([fts.name_likeness(query, text) for text in labels] + [0.0])
    if any(query.strip() in values for values in entity.identifiers.values()):
        likeness = 1.0
    if likeness:
        return 100.0 * likeness, likeness
    asked = _forms(query)
    best = 0.0
    for text in labels:
        named = _forms(text)
        if named:
            best = max(best, len(asked & named) / len(asked | named))
    return round(70.0 * best, 1), 0.0


def _property_matches(entity, pid: str, values) -> bool:
    predicate = PROPERTIES[pid][0]
    have = entity.identifiers.get(predicate, [])
    index = current_index()
    for value in values if isinstance(values, list) else [values]:
        wanted = value.get("id", "") if isinstance(value, dict) else str(value).strip()
        for held in have:
            if wanted in (held, entity_id(held) or "") or held.endswith("/" + wanted):
                return True
            target = index.entities.get(held)  # a link (county): compare by the target's names too
            if target and any(fts.name_likeness(wanted, text) >= 0.8 for text, _ in target.names + target.alts):
                return True
    return False


def reconcile_one(query: dict, lang: str) -> list[dict]:
    index = current_index()
    text = query.get("query", "").strip()
    kinds = query.get("type")
    # Types were checked by _parse_queries, so each resolves.
    type_iris = [iri for t in ([kinds] if isinstance(kinds, str) else (kinds or [])) if (iri := _type_iri(t))]
    properties = query.get("properties") or []
    limit = int(query.get("limit", DEFAULT_LIMIT))
    if text:
        # Any word may match (a spreadsheet's «Levanger kommune» still finds Levanger); the score sorts it out.
        # The best 100 by BM25 are scored; an equal name ranks far above that (names weigh most).
        hits = index.search(text, types=type_iris or None, limit=CANDIDATE_POOL, prefix=False, any_word=True)
    else:  # properties only: every entity of the type(s), judged by the properties below
        wanted = set(type_iris)
        hits = [fts.Hit(e, 0.0, False) for e in index.entities.values() if not wanted or e.types & wanted]
    candidates: list[dict[str, Any]] = []
    for hit in hits:
        entity = hit.entity
        candidate_id = entity_id(entity.iri)
        if candidate_id is None:
            continue  # ontology terms and other non-entities are not reconciliation targets
        score, likeness = _name_score(text, entity) if text else (50.0, 0.0)
        features = [{"id": "name_likeness", "value": likeness}]
        for prop in properties:
            matched = _property_matches(entity, prop["pid"], prop["v"])
            features.append({"id": prop["pid"], "value": matched})
            score = min(100.0, score + 10.0) if matched else max(0.0, score - 30.0)
        candidates.append({"id": candidate_id, "name": entity.name(lang), "score": round(score, 1),
                           "description": entity.description(lang)[:300], "features": features,
                           "type": _types_of(entity, lang)})
    candidates.sort(key=lambda c: (-c["score"], c["name"]))
    candidates = [c for c in candidates if c["score"] > 0][:limit]
    for position, candidate in enumerate(candidates):
        others_high = any(c["score"] >= MATCH_SCORE for c in candidates[:position] + candidates[position + 1:])
        candidate["match"] = candidate["score"] >= MATCH_SCORE and not others_high
        if not candidate["description"]:
            del candidate["description"]
    return candidates


@bp.route("/reconcile", methods=["GET", "POST"])
def service():
    raw = request.values.get("queries")
    if raw is None:
        if request.method == "POST":
            raise ClientError("POST /reconcile needs a queries= form field", 400)
        return _json(manifest())
    queries = _parse_queries(raw)
    lang = _lang()
    return _json({key: {"result": reconcile_one(query, lang)} for key, query in queries.items()})


def _cursor() -> int:
    raw = request.args.get("cursor", "0") or "0"
    if not raw.isdigit():
        raise ClientError(f"cursor must be a whole number, not '{raw}'", 400)
    return int(raw)


def _prefix() -> str:
    prefix = request.args.get("prefix")
    if prefix is None:
        raise ClientError("give prefix=", 400)
    return prefix


@bp.route("/reconcile/suggest/entity")
def suggest_entity():
    prefix, cursor, lang = _prefix(), _cursor(), _lang()
    kinds = [t for t in request.args.getlist("type") if t]
    type_iris = [iri for t in kinds if (iri := _type_iri(t))]
    if len(type_iris) < len(kinds):
        raise ClientError(f"unknown type; known: {', '.join(TYPES)}", 400)
    hits = current_index().search(prefix, types=type_iris or None, limit=None) if prefix.strip() else []
    result = []
    for hit in hits:
        candidate_id = entity_id(hit.entity.iri)
        if candidate_id is None:
            continue
        item = {"id": candidate_id, "name": hit.entity.name(lang), "notable": _types_of(hit.entity, lang)}
        if hit.entity.description(lang):
            item["description"] = hit.entity.description(lang)[:200]
        result.append(item)
    return _json({"result": result[cursor:cursor + 10]})


@bp.route("/reconcile/suggest/type")
def suggest_type():
    prefix, cursor, lang = _prefix().strip().lower(), _cursor(), _lang()
    result = [{"id": tid, "name": type_name(tid, lang)} for tid in TYPES
              if not prefix or prefix in tid.lower() or prefix in type_name(tid, lang).lower()
              or any(w.startswith(prefix) for w in fts.words(type_name(tid, lang)))]
    return _json({"result": result[cursor:cursor + 10]})


@bp.route("/reconcile/suggest/property")
def suggest_property():
    prefix, cursor, lang = _prefix().strip().lower(), _cursor(), _lang()
    result = [{"id": pid, "name": names[lang]} for pid, (_, names) in PROPERTIES.items()
              if not prefix or prefix in pid.lower() or prefix in names[lang].lower()]
    return _json({"result": result[cursor:cursor + 10]})


_PREVIEW = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ name }}</title></head>
<body style="font: 14px/1.4 system-ui, sans-serif; margin: .5em">
<p><strong><a href="{{ link }}" target="_blank" rel="noopener">{{ name }}</a></strong>
{% if types %}<span style="color:#555">({{ types|join(', ') }})</span>{% endif %}</p>
{% if ids %}<p>{% for label, value in ids %}{{ label }}: {{ value }}{% if not loop.last %} · {% endif %}{% endfor %}</p>{% endif %}
{% if description %}<p style="color:#555">{{ description }}</p>{% endif %}
</body></html>
"""


@bp.route("/reconcile/preview")
def preview():
    wanted = request.args.get("id", "").strip()
    if not wanted:
        raise ClientError("give id=", 400)
    lang = _lang()
    entity = current_index().entities.get(current_settings().base + "id/" + wanted)
    if entity is None:
        abort(404, description=f"no entity with id '{wanted}'")
    ids = [(names[lang], value) for pid, (predicate, names) in PROPERTIES.items() if pid != "county"
           for value in entity.identifiers.get(predicate, [])]
    body = render_template_string(
        _PREVIEW, lang=lang, name=entity.name(lang), link=_root() + "/id/" + wanted,
        types=[t["name"] for t in _types_of(entity, lang)], ids=ids, description=entity.description(lang)[:400])
    # Clients show the preview in an iframe of their own page; it loads nothing and runs no script.
    return Response(body, mimetype="text/html", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *"})
