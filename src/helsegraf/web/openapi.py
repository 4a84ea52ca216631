"""``/openapi.json``: an OpenAPI 3.1 description of the HTTP API — SPARQL protocol, Graph Store, validation,
reconciliation, search, the dataset description and dumps, the linked-data pages and the health checks.

Every operation carries an example request (parameter and body ``example`` values) and its status codes and
media types; ``tests/web/test_openapi.py`` sends each example to the running service and checks that the
answer is one the description promises (status, media type, and JSON body against the given schema).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from .. import __version__

bp = Blueprint("openapi", __name__)

RECONCILIATION_SCHEMAS = "https://reconciliation-api.github.io/specs/0.2/schemas/"
SOLUTIONS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
             "text/tab-separated-values"]
GRAPHS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
DATASETS = ["application/trig", "application/n-quads"]
PAGE_GRAPHS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]


def _content(media_types: list[str], schema: dict | None = None) -> dict:
    return {m: ({"schema": schema} if schema and "json" in m else {}) for m in media_types}


def _error(description: str) -> dict:
    return {"description": description, "content": {"text/plain": {}}}


def _query(name: str, description: str, *, example=None, required: bool = False, schema=None) -> dict:
    parameter = {"name": name, "in": "query", "description": description, "required": required,
                 "schema": schema or {"type": "string"}}
    if example is not None:
        parameter["example"] = example
    return parameter


CONDITIONAL = [
    {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "An ETag from an earlier answer: 304 if the data has not changed since."},
    {"name": "If-Modified-Since", "in": "header", "required": False, "schema": {"type": "string"},
     "description": "An HTTP date: 304 if the data has not changed since (ignored when If-None-Match is sent)."},
]
VALIDATORS = {"ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}}
NOT_MODIFIED = {"description": "Not modified since the ETag or date given.",
                "headers": {"ETag": {"schema": {"type": "string"}}}}
WRITE: list[dict[str, list[str]]] = [{"bearerAuth": []}]
REFUSED = {"401": _error("No bearer token."), "403": _error("Wrong token, or writes are off.")}
SEARCH_RESULT = {
    "type": "object", "required": ["query", "total", "results", "facets"],
    "properties": {
        "query": {"type": "string"}, "total": {"type": "integer"}, "offset": {"type": "integer"},
        "limit": {"type": "integer"}, "took_ms": {"type": "number"},
        "types": {"type": "array", "items": {"type": "string"}},
        "results": {"type": "array", "items": {
            "type": "object", "required": ["iri", "name", "score", "types", "labels"],
            "properties": {"iri": {"type": "string"}, "name": {"type": "string"},
                           "description": {"type": "string"}, "score": {"type": "number"},
                           "types": {"type": "array"}, "labels": {"type": "array"}}}},
        "facets": {"type": "object"},
    },
}
VALIDATION_SUMMARY = {"type": "object", "required": ["conforms"], "properties": {"conforms": {"type": "boolean"}}}
TURTLE = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<urn:example:a> rdfs:label \"a\"@nb .\n"


def _paths() -> dict:
    sparql_query = "SELECT ?s WHERE { ?s a <https://w3id.org/helsegraf/ontology#County> } LIMIT 3"
    return {
        "/sparql": {
            "get": {
                "summary": "SPARQL 1.1 query (GET); without parameters, the Service Description",
                "tags": ["SPARQL"],
                "parameters": [
                    _query("query", "The query.", example=sparql_query),
                    _query("default-graph-uri", "A default graph of the dataset (repeatable)."),
                    _query("named-graph-uri", "A named graph of the dataset (repeatable)."),
                ],
                "responses": {
                    "200": {"description": "The result, by Accept (SELECT/ASK: results formats; "
                            "CONSTRUCT/DESCRIBE: RDF).",
                            "content": _content(SOLUTIONS + GRAPHS + DATASETS)},
                    "400": _error("Syntax error, with the parser's message and position."),
                    "403": _error("LOAD or a SERVICE outside the allow-list."),
                    "406": _error("No acceptable result format."),
                    "413": _error("Query too long."),
                    "503": _error("Past the time limit, or the store is unavailable."),
                },
            },
            "post": {
                "summary": "SPARQL 1.1 query or update (POST)",
                "tags": ["SPARQL"],
                "requestBody": {"required": True, "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": {"query": {"type": "string"},
                                                                    "update": {"type": "string"}}},
                        "example": {"query": sparql_query}},
                    "application/sparql-query": {"schema": {"type": "string"}, "example": sparql_query},
                    "application/sparql-update": {"schema": {"type": "string"}},
                }},
                "responses": {
                    "200": {"description": "The query's result, by Accept.", "content": _content(
                        SOLUTIONS + GRAPHS + DATASETS)},
                    "204": {"description": "The update was applied."},
                    "400": _error("Syntax error, with the parser's message and position."),
                    **REFUSED,
                    "406": _error("No acceptable result format."),
                    "413": _error("Query or body too large."),
                    "415": _error("Unsupported Content-Type."),
                    "422": {"description": "The update would introduce SHACL violations; nothing was changed.",
                            "content": {"application/json": {}}},
                    "503": _error("Past the time limit, or the store is unavailable."),
                },
            },
        },
        "/data": {
            **{method: {
                "summary": summary, "tags": ["Graph Store"], "security": WRITE,
                "parameters": [_query("graph", "The graph's IRI.", example="urn:example:openapi"),
                               _query("default", "Target the default graph (no value).")],
                "requestBody": {"required": True, "content": {
                    "text/turtle": {"schema": {"type": "string"}, "example": TURTLE},
                    **{m: {"schema": {"type": "string"}} for m in GRAPHS[1:] + DATASETS}}},
                "responses": {"201": {"description": "Created a new graph."},
                              "204": {"description": "Stored."},
                              "400": _error("Unparseable body, with the parser's message and line."),
                              **REFUSED, "413": _error("Body too large."),
                              "415": _error("Unsupported Content-Type."),
                              "422": {"description": "SHACL violations; nothing was changed.",
                                      "content": {"application/json": {}}}},
            } for method, summary in (("put", "Replace a graph (SPARQL 1.1 Graph Store Protocol)"),
                                      ("post", "Add to a graph (SPARQL 1.1 Graph Store Protocol)"))},
            "get": {
                "summary": "Read a graph, the default graph, or (no parameter) the whole dataset",
                "tags": ["Graph Store"],
                "parameters": [_query("graph", "The graph's IRI.",
                                      example="https://w3id.org/helsegraf/graph/data/reference/counties"),
                               _query("default", "The default graph (no value).")],
                "responses": {"200": {"description": "The graph.", "content": _content(GRAPHS + DATASETS)},
                              "400": _error("Bad graph IRI."), "404": _error("No such graph."),
                              "406": _error("No acceptable format.")},
            },
            "delete": {
                "summary": "Delete a graph", "tags": ["Graph Store"], "security": WRITE,
                "parameters": [_query("graph", "The graph's IRI.", example="urn:example:openapi"),
                               _query("default", "The default graph (no value).")],
                "responses": {"204": {"description": "Deleted."}, "400": _error("Bad graph IRI."),
                              **REFUSED, "404": _error("No such graph.")},
            },
        },
        "/validate": {
            "get": {"summary": "The validation form", "tags": ["Validation"],
                    "responses": {"200": {"description": "HTML form.", "content": {"text/html": {}}}}},
            "post": {
                "summary": "Validate RDF against the project's SHACL shapes (nothing is stored)",
                "tags": ["Validation"],
                "parameters": [_query("lang", "Language of the messages.", schema={"enum": ["nb", "en"]})],
                "requestBody": {"required": True, "content": {
                    "text/turtle": {"schema": {"type": "string"}, "example": TURTLE},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        "data": {"type": "string", "format": "binary"},
                        "shapes": {"type": "string", "format": "binary"},
                        "shape-set": {"type": "string"}}}},
                    **{m: {"schema": {"type": "string"}} for m in GRAPHS[1:] + DATASETS}}},
                "responses": {
                    "200": {"description": "The validation report, by Accept.", "content": {
                        "application/json": {"schema": VALIDATION_SUMMARY}, "text/html": {}, "text/turtle": {},
                        "application/ld+json": {}, "text/plain": {}}},
                    "400": {"description": "Empty or unparseable data or shapes, with the parser's message, line "
                                           "and column: JSON for API clients, a page for browsers.",
                            "content": {"application/json": {}, "text/html": {}, "text/plain": {}}},
                    "404": _error("Unknown shape set."), "413": _error("Too large."),
                    "415": _error("Unsupported Content-Type."),
                },
            },
        },
        "/reconcile": {
            method: {
                "summary": ("Reconciliation service manifest, or (with queries=) a batch of queries "
                            "(W3C Reconciliation Service API 0.2)"),
                "tags": ["Reconciliation"],
                **({"parameters": [_query("queries", "A JSON object of queries.",
                                          example=json.dumps({"q0": {"query": "Levanger"}}))]} if method == "get"
                   else {"requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                       "schema": {"type": "object", "required": ["queries"],
                                  "properties": {"queries": {"type": "string"}}},
                       "example": {"queries": json.dumps({"q0": {"query": "Helse Bergen",
                                                                 "type": "HealthTrust"}})}}}}}),
                "responses": {
                    "200": {"description": "The manifest (no queries) or the results.", "content": {
                        "application/json": {"schema": {"oneOf": [
                            {"$ref": RECONCILIATION_SCHEMAS + "manifest.json"},
                            {"$ref": RECONCILIATION_SCHEMAS + "reconciliation-result-batch.json"}]}
                            if method == "get" else
                            {"$ref": RECONCILIATION_SCHEMAS + "reconciliation-result-batch.json"}}}},
                    "400": _error("Malformed queries, unknown type or property."),
                },
            } for method in ("get", "post")
        },
        **{f"/reconcile/suggest/{kind}": {"get": {
            "summary": f"Suggest {kind}s by prefix (reconciliation suggest service)",
            "tags": ["Reconciliation"],
            "parameters": [_query("prefix", "What the user typed so far.", example=example, required=True),
                           _query("cursor", "Skip this many.", schema={"type": "integer"})] + (
                [_query("type", "Only entities of this type.", example="Municipality")] if kind == "entity" else []),
            "responses": {"200": {"description": "Suggestions.", "content": {"application/json": {
                "schema": {"$ref": RECONCILIATION_SCHEMAS + f"suggest-{plural}-response.json"}}}},
                          "400": _error("No prefix, or a bad cursor or type.")},
        }} for kind, plural, example in (("entity", "entities", "Levan"), ("type", "types", "kom"),
                                        ("property", "properties", "kommune"))},
        "/reconcile/preview": {"get": {
            "summary": "An HTML card of one entity (reconciliation preview)", "tags": ["Reconciliation"],
            "parameters": [_query("id", "Entity ID (IRI without {base}id/).", example="municipality/5037",
                                  required=True)],
            "responses": {"200": {"description": "HTML.", "content": {"text/html": {}}},
                          "400": _error("No id."), "404": _error("No such entity.")},
        }},
        "/search": {"get": {
            "summary": "Full-text search over names, alternative names and descriptions", "tags": ["Search"],
            "parameters": [
                _query("q", "The words.", example="hoylandet"),
                _query("type", "Only this type (IRI or ontology local name; repeatable).", example="Municipality"),
                _query("limit", "At most this many (1–100).", schema={"type": "integer"}),
                _query("offset", "Skip this many.", schema={"type": "integer"}),
                _query("format", "json or html (else by Accept).", schema={"enum": ["json", "html"]}),
                _query("lang", "Language of names and page.", schema={"enum": ["nb", "en"]}),
            ],
            "responses": {"200": {"description": "Results, ranked.", "content": {
                "application/json": {"schema": SEARCH_RESULT}, "text/html": {}}},
                "400": _error("No q (JSON), or a bad number."), "406": _error("Unknown format.")},
        }},
        **{path: {"get": {
            "summary": "DCAT-AP-NO catalogue and VoID statistics" + (" (VoID discovery)" if "well" in path else ""),
            "tags": ["Dataset"],
            "parameters": [_query("format", "html, ttl, jsonld or nt (else by Accept)."), *CONDITIONAL],
            "responses": {"200": {"description": "The description.", "headers": VALIDATORS,
                                  "content": _content(PAGE_GRAPHS + ["application/rdf+xml"])},
                          "304": NOT_MODIFIED, "406": _error("No acceptable format.")},
        }} for path in ("/dataset", "/.well-known/void")},
        **{path: {"get": {
            "summary": f"The whole dataset as {name}, gzip-compressed", "tags": ["Dataset"],
            "parameters": CONDITIONAL,
            "responses": {"200": {"description": "gzip stream.", "headers": VALIDATORS,
                                  "content": {"application/gzip": {}}}, "304": NOT_MODIFIED},
        }} for path, name in (("/dump.trig.gz", "TriG"), ("/dump.nq.gz", "N-Quads"))},
        "/id/{rest}": {"get": {
            "summary": "A resource's page: HTML or RDF by Accept", "tags": ["Linked data"],
            "parameters": [{"name": "rest", "in": "path", "required": True, "schema": {"type": "string"},
                            "example": "municipality/5037", "description": "The IRI after {base}id/."},
                           _query("format", "html, ttl, jsonld or nt (else by Accept).")],
            "responses": {"200": {"description": "The resource.", "content": _content(PAGE_GRAPHS)},
                          "404": {"description": "Unknown resource (HTML; RDF answers are an empty graph).",
                                  "content": {"text/html": {}, "text/plain": {}}},
                          "406": _error("No acceptable format.")},
        }},
        "/graph/{rest}": {"get": {
            "summary": "A named graph's page: HTML or RDF by Accept", "tags": ["Linked data"],
            "parameters": [{"name": "rest", "in": "path", "required": True, "schema": {"type": "string"},
                            "example": "data/reference/counties", "description": "The IRI after {base}graph/."},
                           _query("format", "html, ttl, jsonld or nt (else by Accept).")],
            "responses": {"200": {"description": "The graph.", "content": _content(PAGE_GRAPHS)},
                          "404": {"description": "Unknown graph.", "content": {"text/html": {}, "text/plain": {}}},
                          "406": _error("No acceptable format.")},
        }},
        "/ontology": {"get": {
            "summary": "The ontology: HTML documentation or RDF by Accept", "tags": ["Linked data"],
            "responses": {"200": {"description": "The ontology.", "content": _content(PAGE_GRAPHS)},
                          "406": _error("No acceptable format.")}}},
        "/healthz": {"get": {"summary": "Liveness", "tags": ["Operations"],
                             "responses": {"200": {"description": "Alive.", "content": {"application/json": {}}}}}},
        "/readyz": {"get": {"summary": "Readiness (the store answers)", "tags": ["Operations"],
                            "responses": {"200": {"description": "Ready.", "content": {"application/json": {}}},
                                          "503": {"description": "Not ready.", "content": {
                                              "application/json": {}}}}}},
        "/openapi.json": {"get": {"summary": "This description", "tags": ["Operations"],
                                  "responses": {"200": {"description": "OpenAPI 3.1.",
                                                        "content": {"application/json": {}}}}}},
    }


def description(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "helsegraf HTTP API",
            "version": __version__,
            "summary": "Knowledge graph of Norwegian municipal health and care: SPARQL, Graph Store, SHACL "
                       "validation, reconciliation, search, DCAT-AP-NO description and dumps.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        "components": {"securitySchemes": {"bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "The server's write token (HELSEGRAF_WRITE_TOKEN); writes are refused without it."}}},
        "paths": _paths(),
    }


@bp.route("/openapi.json")
def openapi():
    body = json.dumps(description(request.url_root.rstrip("/")), ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json")
