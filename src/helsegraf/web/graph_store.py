"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/data``.

- ``GET``/``HEAD /data?graph=IRI`` (or ``?default``): one graph in a negotiated RDF syntax; 404 for a graph
  that does not exist. ``GET /data`` without parameters: the whole dataset as TriG or N-Quads.
- ``PUT`` replaces the graph, ``POST`` adds to it, ``DELETE`` removes it. Bodies may be Turtle, N-Triples,
  JSON-LD, RDF/XML, TriG or N-Quads (by ``Content-Type``). ``PUT``/``POST /data`` without parameters take a
  TriG or N-Quads body: PUT replaces each graph the body names, POST adds to them. ``POST /data`` with a
  triples body creates a new graph (``{base}graph/posted/{uuid}``) and answers 201 with its IRI in
  ``Location``. A ``multipart/form-data`` POST adds every part (each with its own RDF Content-Type).
- A graph written with an empty body exists (empty) afterwards: GET answers 200 with no triples.

Every write is one SPARQL update and so one transaction (see :mod:`helsegraf.store.writes`); writes need the
bearer token (:mod:`.auth`) and pass validate-on-write (:mod:`.write_path`).
"""

from __future__ import annotations

import re
import uuid

from flask import Blueprint, Response, request

from .. import formats
from ..sparql import negotiation
from ..sparql.streaming import run_and_stream
from ..store import DATASET_FORMATS, GRAPH_FORMATS, QueryResult
from . import current_settings, current_store
from .auth import write_refusal
from .errors import ClientError
from .write_path import commit

bp = Blueprint("graph_store", __name__)

#: An absolute IRI safe to place between angle brackets in SPARQL (no spaces, no <>"{}|^`\).
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*$")


@bp.route("/data", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store():
    """Dispatch on the method; the target is ``?graph=IRI``, ``?default`` or (reads, dataset bodies) the store."""
    target, is_default = _target()
    if request.method in ("GET", "HEAD"):
        return _read(target, is_default)
    refusal = write_refusal()
    if refusal is not None:
        return refusal
    if request.method == "DELETE":
        return _delete(target, is_default)
    return _write(target, is_default, replace=request.method == "PUT")


def _target() -> tuple[str | None, bool]:
    graphs = request.args.getlist("graph")
    is_default = "default" in request.args
    if len(graphs) > 1 or (graphs and is_default):
        raise ClientError("name one target: either ?graph=IRI or ?default")
    if graphs and not _IRI.match(graphs[0]):
        raise ClientError(f"?graph must be an absolute IRI, not {graphs[0]!r}")
    return (graphs[0] if graphs else None), is_default


class _Dump(QueryResult):
    """A dump presented as a query result, so that the streaming machinery serialises it on its own thread."""

    def __init__(self, store, kind: str, graph: str | None):
        self.kind, self._store, self._graph = kind, store, graph

    def write(self, out, fmt):
        self._store.dump(out, fmt, self._graph)

    def rows(self):
        raise TypeError("a dump has no solutions")


def _read(target: str | None, is_default: bool) -> Response:
    store = current_store()
    if target is not None and target not in store.graphs():
        raise ClientError(f"there is no graph <{target}> in this store", 404)
    graph = "" if is_default else target
    kind = "dataset" if graph is None else "graph"
    accept, fmt_param = request.headers.get("Accept"), request.args.get("format")
    fmt, chunks = run_and_stream(lambda: _Dump(store, kind, graph), lambda k: negotiation.choose(k, accept, fmt_param))
    headers = {"Vary": "Accept"}
    if request.method == "HEAD":
        chunks.close()
        return Response(b"", mimetype=negotiation.media_type(fmt), headers=headers)
    return Response(chunks, mimetype=negotiation.media_type(fmt), headers=headers)


def _body_format(content_type: str | None) -> str:
    fmt = formats.from_media_type(content_type)
    if fmt is None:
        mime = (content_type or "").split(";")[0].strip().lower()
        raise ClientError(
            f"unsupported media type {mime or '(none)'!r}; send one of "
            + ", ".join(GRAPH_FORMATS.values())
            + " (or multipart/form-data of them)",
            415,
        )
    return fmt


def _bodies() -> list[tuple[str, bytes]]:
    """The request's RDF bodies with their format keys: one, or one per part of a multipart/form-data body."""
    content_type = request.headers.get("Content-Type") or ""
    if content_type.split(";")[0].strip().lower() == "multipart/form-data":
        parts = [part for name in request.files for part in request.files.getlist(name)]
        if not parts:
            raise ClientError("the multipart body has no file parts")
        return [(_body_format(part.content_type), part.read()) for part in parts]
    return [(_body_format(content_type), request.get_data(cache=False))]


def _write(target: str | None, is_default: bool, *, replace: bool) -> Response:
    from ..store import writes

    bodies = _bodies()
    created_here = False
    if target is None and not is_default and any(fmt not in DATASET_FORMATS for fmt, _ in bodies):
        if replace:
            raise ClientError("a PUT of triples needs a target: ?graph=IRI or ?default")
        # Graph Store Protocol §5.5: a POST of triples to the service itself creates a new graph.
        target, created_here = f"{current_settings().base}graph/posted/{uuid.uuid4()}", True
    base_iri = target or current_settings().base
    quads = [q for fmt, body in bodies for q in writes.parse_body(body, fmt, base_iri=base_iri)]
    insert, written = writes.insert_data(quads, target, default_target=is_default)
    store = current_store()
    existed = is_default or (target is not None and target in store.graphs())
    operations = []
    if replace:
        if is_default:
            operations.append("DROP SILENT DEFAULT")
        elif target is not None:
            operations.append(f"DROP SILENT GRAPH <{target}>")
        else:
            operations += [f"DROP SILENT GRAPH <{g}>" for g in sorted(g for g in written if g)]
    if target is not None:
        # The graph exists afterwards, even when the body held no triples (an empty graph, not a missing one).
        operations.append(f"CREATE SILENT GRAPH <{target}>")
    if insert:
        operations.append(insert)
    if not operations:
        return Response(status=204)
    touched = written | ({None} if is_default else {target} if target else set())
    # Only the graphs written: the default graph is one of them only for ?default (in union mode the merge is
    # kept by the store itself, from the named graphs written).
    refusal = commit(" ;\n".join(operations), touched)
    if refusal is not None:
        return refusal
    if created_here:
        response = Response(status=201)
        response.headers["Location"] = target
        return response
    if target is not None and not existed:
        response = Response(status=201)
        response.headers["Location"] = request.url
        return response
    return Response(status=204)


def _delete(target: str | None, is_default: bool) -> Response:
    if target is None and not is_default:
        raise ClientError("DELETE needs a target: ?graph=IRI or ?default (the whole store is not deleted)")
    if is_default:
        refusal = commit("DROP SILENT DEFAULT", {None})
    else:
        if target not in current_store().graphs():
            raise ClientError(f"there is no graph <{target}> in this store", 404)
        refusal = commit(f"DROP SILENT GRAPH <{target}>", {target})
    return refusal if refusal is not None else Response(status=204)
