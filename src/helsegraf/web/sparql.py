"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` and its Service Description.

The default graph of a query is the union of all named graphs (like Fuseki's ``unionDefaultGraph`` and
Oxigraph's ``--union-default-graph``), unless the request names its dataset with ``default-graph-uri`` /
``named-graph-uri`` or the query with FROM / FROM NAMED — or the server runs in standards mode
(``Settings.union_default_graph`` false), where it is the store's own default graph.

Relative IRIs in a query or an update resolve against the request IRI (the endpoint's URL), as the protocol
allows ("which MAY be the service endpoint").
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response, g, request

from .. import formats
from ..sparql import guards, negotiation
from ..sparql.protocol import apply_update_dataset, parse_operation
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
        request.method,
        request.headers.get("Content-Type"),
        request.query_string.decode("latin-1"),
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
    store, accept, base_iri = current_store(), request.headers.get("Accept"), request.base_url

    # The release the answer is stamped with (after-request hook) is read now, before the query holds a worker
    # while its body streams: with every worker streaming, reading it then would wait for one of them.
    from .release import stamp_ready

    stamp_ready()
    # The store may run the query in a worker process with a time limit (store/workers.py).
    fmt, chunks = store.stream(
        operation.text,
        choose=lambda kind: negotiation.choose(kind, accept, operation.format),
        default_graphs=operation.default_graphs,
        named_graphs=operation.named_graphs,
        base_iri=base_iri,
    )
    mimetype = negotiation.media_type(fmt)
    headers = {"Vary": "Accept"}
    truncated = getattr(chunks, "truncated", False)
    if truncated:
        # The row limit cut the result: say so in a header (exposed to CORS clients) and in the log.
        headers["X-Result-Truncated"] = f"true; limit={truncated}"
        log.warning("request_id=%s result truncated at %s rows", g.get("request_id", "-"), truncated)
    if request.method == "HEAD":
        chunks.close()
        return Response(b"", mimetype=mimetype, headers=headers)
    whole = getattr(chunks, "whole", None)
    if whole is not None:  # read whole already: sent with its length, so the client's connection stays open
        return Response(whole, mimetype=mimetype, headers=headers)
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
    text = apply_update_dataset(operation.text, operation.default_graphs, operation.named_graphs)
    _guard(text, current_settings())
    refusal = commit(text, base_iri=request.base_url)
    return refusal if refusal is not None else Response(status=204)


def service_description() -> Response:
    """A SPARQL 1.1 Service Description of this endpoint as it runs now (Turtle, or RDF by Accept).

    It states only what holds: SPARQL 1.1 Update only when writes are on, federation only when an allow-list
    of SERVICE endpoints is set, the union default graph only in union mode, and the result formats /sparql
    really writes (those of the formats table that serve query results).
    """
    store, settings = current_store(), current_settings()
    endpoint_iri = request.base_url
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if settings.write_token else [])
    features = (["sd:UnionDefaultGraph"] if settings.union_default_graph else []) + (
        ["sd:BasicFederatedQuery"] if settings.service_allow_list else []
    )
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        f"<{endpoint_iri}#service> a sd:Service ;",
        f"  sd:endpoint <{endpoint_iri}> ;",
        '  dct:title "helsegraf SPARQL endpoint"@en, "helsegraf SPARQL-endepunkt"@nb ;',
        f"  sd:supportedLanguage {', '.join(languages)} ;",
    ]
    if features:
        lines.append(f"  sd:feature {', '.join(features)} ;")
    served = [f for f in formats.FORMATS if f.kinds & {formats.SOLUTIONS, formats.GRAPH} and f.sd_iri]
    for row in served:
        lines.append(f"  sd:resultFormat <{row.sd_iri}> ;")
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

    body = rdflib.Graph().parse(data=text, format="turtle").serialize(format=formats.BY_KEY[fmt].rdflib or fmt)
    return Response(body, mimetype=negotiation.media_type(fmt), headers={"Vary": "Accept"})
