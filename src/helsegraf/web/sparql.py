"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` and its Service Description.

The default graph of a query is the union of all named graphs (like Fuseki's ``unionDefaultGraph`` and
Oxigraph's ``--union-default-graph``), unless the request names its dataset with ``default-graph-uri`` /
``named-graph-uri`` or the query with FROM / FROM NAMED.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, g, request

from ..sparql import negotiation
from ..sparql.protocol import ProtocolError, parse_operation
from ..sparql.streaming import run_and_stream
from ..store import GRAPH_FORMATS, SOLUTION_FORMATS
from . import current_settings, current_store
from .errors import ClientError

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST", "HEAD"])
def endpoint():
    """Answer a query or an update; without one, describe the service."""
    if request.method in ("GET", "HEAD") and not request.query_string:
        return service_description()
    settings = current_settings()
    operation = parse_operation(
        request.method, request.headers.get("Content-Type"), request.query_string.decode("latin-1"),
        request.get_data(cache=False) if request.method == "POST" else b"",
    )
    g.operation_kind = operation.kind
    if len(operation.text) > settings.max_query_chars:
        raise ClientError(
            f"the {operation.kind} has {len(operation.text)} characters; the limit is {settings.max_query_chars}",
            413,
        )
    if operation.kind == "update":
        return _update(operation)
    store, accept = current_store(), request.headers.get("Accept")
    fmt, chunks = run_and_stream(
        lambda: store.query(operation.text, default_graphs=operation.default_graphs,
                            named_graphs=operation.named_graphs),
        lambda kind: negotiation.choose(kind, accept, operation.format),
    )
    mimetype = negotiation.media_type(fmt)
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        chunks.close()
        return Response(b"", mimetype=mimetype, headers=headers)
    return Response(chunks, mimetype=mimetype, headers=headers)


def _update(operation):
    settings = current_settings()
    token = settings.write_token
    if not token:
        raise ClientError("writes are disabled on this server (no write token is configured)", 403)
    supplied = request.headers.get("Authorization", "")
    if not supplied.startswith("Bearer "):
        response = Response("401 Unauthorized\n\nwrites need 'Authorization: Bearer <token>'\n", 401,
                            mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="helsegraf"'
        return response
    if not hmac.compare_digest(supplied[len("Bearer "):].encode(), token.encode()):
        raise ClientError("the write token is wrong", 403)
    if operation.default_graphs or operation.named_graphs:
        raise ProtocolError("using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
    current_store().update(operation.text)
    return Response(status=204)


def service_description() -> Response:
    """A SPARQL 1.1 Service Description of this endpoint (Turtle, or another RDF format by Accept)."""
    store = current_store()
    endpoint_iri = request.base_url
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        f"<{endpoint_iri}#service> a sd:Service ;",
        f"  sd:endpoint <{endpoint_iri}> ;",
        '  dct:title "helsegraf SPARQL endpoint"@en, "helsegraf SPARQL-endepunkt"@nb ;',
        "  sd:supportedLanguage sd:SPARQL11Query, sd:SPARQL11Update ;",
        "  sd:feature sd:UnionDefaultGraph, sd:BasicFederatedQuery ;",
    ]
    for mime in list(SOLUTION_FORMATS.values()) + list(GRAPH_FORMATS.values()):
        lines.append(f"  sd:resultFormat <http://www.w3.org/ns/formats/{_FORMAT_IRIS[mime]}> ;")
    lines.append("  sd:defaultDataset [ a sd:Dataset ;")
    lines.append("    sd:defaultGraph [ a sd:Graph ] ;")
    for graph in store.graphs():
        lines.append(f"    sd:namedGraph [ a sd:NamedGraph ; sd:name <{graph}> ] ;")
    lines.append("  ] .")
    text = "\n".join(lines) + "\n"
    fmt = negotiation.choose("graph", request.headers.get("Accept"), request.args.get("format"))
    if fmt == "turtle":
        return Response(text, mimetype="text/turtle", headers={"Vary": "Accept"})
    import rdflib

    rdflib_names = {"ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
    body = rdflib.Graph().parse(data=text, format="turtle").serialize(format=rdflib_names[fmt])
    return Response(body, mimetype=negotiation.media_type(fmt), headers={"Vary": "Accept"})


_FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}
