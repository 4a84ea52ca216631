"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` and its Service Description.

The default graph of a query is the union of all named graphs (like Fuseki's ``unionDefaultGraph`` and
Oxigraph's ``--union-default-graph``), unless the request names its dataset with ``default-graph-uri`` /
``named-graph-uri`` or the query with FROM / FROM NAMED.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, g, request

from ..sparql import guards, negotiation
from ..sparql.protocol import ProtocolError, parse_operation
from ..sparql.streaming import run_and_stream
from ..store import GRAPH_FORMATS, SOLUTION_FORMATS
from . import current_settings, current_store
from .errors import ClientError

bp = Blueprint("sparql", __name__)
log = logging.getLogger("helsegraf.sparql")


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
    _guard(operation.text, settings)
    store, accept = current_store(), request.headers.get("Accept")

    def run():
        # The store may run the query in a worker process with a time limit (store/workers.py).
        return store.query(operation.text, default_graphs=operation.default_graphs,
                           named_graphs=operation.named_graphs)

    fmt, chunks = run_and_stream(run, lambda kind: negotiation.choose(kind, accept, operation.format))
    mimetype = negotiation.media_type(fmt)
    headers = {"Vary": "Accept"}
    truncated = chunks.truncated
    if truncated:
        # The row limit cut the result: say so in a header (exposed to CORS clients) and in the log.
        headers["X-Result-Truncated"] = f"true; limit={truncated}"
        log.warning("request_id=%s result truncated at %s rows", g.get("request_id", "-"), truncated)
    if request.method == "HEAD":
        chunks.close()
        return Response(b"", mimetype=mimetype, headers=headers)
    return Response(chunks, mimetype=mimetype, headers=headers)


def _guard(text: str, settings) -> None:
    """Refuse LOAD and SERVICE calls outside the allow-list (403), before the engine sees the text."""
    try:
        guards.check(text, settings.service_allow_list)
    except guards.GuardError as error:
        raise ClientError(str(error), error.status) from None


def _update(operation):
    """Run an update: token first (401/403), then the guards, then one validated transaction (204)."""
    from .auth import write_refusal
    from .write_path import commit

    refusal = write_refusal()
    if refusal is not None:
        return refusal
    if operation.default_graphs or operation.named_graphs:
        raise ProtocolError("using-graph-uri and using-named-graph-uri are not supported; use USING in the update")
    _guard(operation.text, current_settings())
    refusal = commit(operation.text)
    return refusal if refusal is not None else Response(status=204)


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
