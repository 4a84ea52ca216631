"""Linked data: every IRI under the configured base dereferences on this server.

* ``{base}id/...`` → ``/id/...`` and ``{base}graph/...`` → ``/graph/...``: an HTML page for browsers (label, types,
  every property and every inverse link with labels, the source documents, a query link); Turtle, JSON-LD or
  N-Triples by Accept (or ``?format=``). Answered directly with 200 and ``Vary: Accept`` (no 303).
* ``{base}ontology`` and ``{base}ontology#Term`` → ``/ontology``: documentation generated from the ontology graph.
* ``/dataset`` and ``/.well-known/void``: DCAT (DCAT-AP-NO) + VoID description with statistics per named graph.
* ``/dump.trig.gz``, ``/dump.nq.gz``: the whole dataset, gzip, streamed.

The path ↔ IRI mapping uses ``Settings.base`` only, so whichever host serves the app, ``/id/x`` shows ``{base}id/x``.
"""

from __future__ import annotations

import gzip
import io
import queue
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterator
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from ..namespaces import DCT, RDF, RDFS, SKOS, graph_base, inferred_graph
from ..store import GRAPH_FORMATS, Term
from . import current_settings, current_store
from .ui import page_lang

bp = Blueprint("linked_data", __name__)

FOAF = "http://xmlns.com/foaf/0.1/"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"

#: Properties that name a resource, best first.
LABEL_PROPERTIES = (SKOS + "prefLabel", RDFS + "label", DCT + "title", FOAF + "name", SCHEMA + "name")

#: Media types offered for a resource, with the store's format key; HTML first so that browsers get pages.
RESOURCE_OFFERS = [
    ("text/html", "html"), ("application/xhtml+xml", "html"),
    ("text/turtle", "turtle"), ("application/ld+json", "jsonld"), ("application/n-triples", "ntriples"),
    ("application/rdf+xml", "rdfxml"), ("text/plain", "ntriples"), ("application/json", "jsonld"),
]
FORMAT_NAMES = {"html": "html", "ttl": "turtle", "turtle": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
                "nt": "ntriples", "ntriples": "ntriples", "rdf": "rdfxml", "rdfxml": "rdfxml"}


# --- IRIs and paths ----------------------------------------------------------------------------------

def local_href(iri: str, base: str) -> str:
    """Where a browser on this server finds ``iri``: a path for IRIs under ``base``, else the IRI itself.

    >>> local_href("https://x.org/hg/id/unit/a", "https://x.org/hg/")
    '/id/unit/a'
    >>> local_href("https://x.org/hg/ontology#Unit", "https://x.org/hg/")
    '/ontology#Unit'
    >>> local_href("http://www.w3.org/ns/org#Organization", "https://x.org/hg/")
    'http://www.w3.org/ns/org#Organization'
    """
    if iri.startswith(base):
        return "/" + iri[len(base):]
    return iri


@bp.app_template_filter("local")
def local_filter(iri: str) -> str:
    """Template filter: ``{{ iri | local }}`` is where this server shows ``iri``."""
    return local_href(iri, current_settings().base)


def iri_of_path(path: str, base: str) -> str:
    """The IRI a request path on this server stands for.

    >>> iri_of_path("/id/unit/a", "https://x.org/hg/")
    'https://x.org/hg/id/unit/a'
    """
    return base + path.lstrip("/")


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a query, refusing characters that would break out of the IRI."""
    if any(c in iri for c in '<>"{}|^`\\ \n\r\t'):
        abort(400, description="the IRI holds characters that are not allowed in an IRI")
    return f"<{iri}>"


# --- labels --------------------------------------------------------------------------------------------

def lang_order(lang: str) -> list[str]:
    """Languages to try for a label, best first (``""`` = no language tag)."""
    return [lang] + [x for x in ("nb", "nn", "no", "en", "") if x != lang]


def pick_literal(candidates: list[Term], lang: str) -> Term | None:
    """The literal in the best language among ``candidates``."""
    order = lang_order(lang)
    best, best_rank = None, len(order) + 1
    for term in candidates:
        rank = order.index(term.lang or "") if (term.lang or "") in order else len(order)
        if rank < best_rank:
            best, best_rank = term, rank
    return best


def labels_of(iris: list[str], lang: str) -> dict[str, Term]:
    """Labels of many IRIs in one query: the best property first, then the best language."""
    iris = sorted({i for i in iris if i and not any(c in i for c in '<>"{}|^`\\ ')})
    found: dict[str, Term] = {}
    store = current_store()
    for start in range(0, len(iris), 400):
        chunk = iris[start:start + 400]
        values = " ".join(f"<{i}>" for i in chunk)
        props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        result = store.query(f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {props} }} ?s ?p ?l "
                             f"FILTER(isLiteral(?l)) }}")
        by_subject: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for row in result.rows():
            by_subject[row["s"].value][row["p"].value].append(row["l"])
        for subject, props_found in by_subject.items():
            for prop in LABEL_PROPERTIES:
                if props_found.get(prop):
                    found[subject] = pick_literal(props_found[prop], lang)
                    break
    return found


def short_iri(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` when a prefix fits, else the IRI.

    >>> short_iri("http://www.w3.org/2000/01/rdf-schema#label", {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    'rdfs:label'
    """
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def prefixes() -> dict[str, str]:
    from .ui import yasgui_prefixes

    return yasgui_prefixes(current_settings().base)


# --- the view of one resource ---------------------------------------------------------------------------

@dataclass
class Shown:
    """A term ready for a template: text, link, and what kind it is."""

    kind: str
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None
    nested: list = field(default_factory=list)


@dataclass
class Fact:
    """One property value (or inverse link) with the graphs that state it."""

    prop: Shown
    value: Shown
    graphs: list[str]
    inferred: bool


def show(term: Term, labels: dict[str, Term], base: str, pfx: dict[str, str]) -> Shown:
    if term.kind == "uri":
        label = labels.get(term.value)
        text = label.value if label else short_iri(term.value, pfx)
        return Shown("uri", text, local_href(term.value, base), term.value, label.lang if label else None)
    if term.kind == "bnode":
        return Shown("bnode", "[ ]")
    datatype = None
    if term.datatype and term.datatype not in (RDF + "langString", "http://www.w3.org/2001/XMLSchema#string"):
        datatype = short_iri(term.datatype, pfx)
    return Shown("literal", term.value, lang=term.lang, datatype=datatype)


def describe_resource(iri: str, lang: str) -> dict:
    """Everything the resource page shows about ``iri``."""
    store, base = current_store(), current_settings().base
    inferred = inferred_graph(base)
    subject = sparql_iri(iri)
    out_rows = list(store.query(
        f"SELECT ?p ?o ?g ?bp ?bo WHERE {{ GRAPH ?g {{ {subject} ?p ?o "
        f"OPTIONAL {{ FILTER(isBlank(?o)) ?o ?bp ?bo }} }} }} LIMIT 5000").rows())
    in_rows = list(store.query(
        f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {subject} }} }} LIMIT 2000").rows())
    to_label = [iri]
    for row in out_rows:
        to_label += [t.value for t in (row["p"], row["o"], row.get("bp"), row.get("bo")) if t and t.kind == "uri"]
    for row in in_rows:
        to_label += [row["s"].value, row["p"].value]
    graphs = sorted({row["g"].value for row in out_rows + in_rows})
    sources = _sources_of([g for g in graphs if g != inferred])
    to_label += graphs + [s for srcs in sources.values() for s in srcs]
    labels = labels_of(to_label, lang)
    pfx = prefixes()

    def merge(into: "OrderedDict[tuple, Fact]", row: dict, other: str) -> tuple:
        """One fact per (property, other end), with every graph that states it; inferred if only inferred."""
        key = (row[other], row["p"]) if other == "s" else (row["p"], row[other])
        fact = into.get(key)
        if fact is None:
            fact = into[key] = Fact(show(row["p"], labels, base, pfx), show(row[other], labels, base, pfx), [], True)
        if row["g"].value not in fact.graphs:
            fact.graphs.append(row["g"].value)
            fact.inferred = fact.inferred and row["g"].value == inferred
        return key

    facts: "OrderedDict[tuple, Fact]" = OrderedDict()
    nested: dict[tuple, list] = defaultdict(list)
    for row in out_rows:
        key = merge(facts, row, "o")
        if row.get("bp") is not None:
            pair = (show(row["bp"], labels, base, pfx), show(row["bo"], labels, base, pfx))
            if pair not in nested[key]:
                nested[key].append(pair)
    for key, pairs in nested.items():
        facts[key].value.nested = pairs
    types = [f.value for k, f in facts.items() if k[0].value == RDF + "type"]
    properties = sorted((f for k, f in facts.items() if k[0].value != RDF + "type"),
                        key=lambda f: (f.prop.text.lower(), f.value.text))
    inverse: "OrderedDict[tuple, Fact]" = OrderedDict()
    for row in in_rows:
        merge(inverse, row, "s")
    label = labels.get(iri)
    return {
        "iri": iri,
        "label": label.value if label else short_iri(iri, pfx),
        "label_lang": label.lang if label else None,
        "types": types,
        "properties": properties,
        "inverse": sorted(inverse.values(), key=lambda f: (f.prop.text.lower(), f.value.text.lower())),
        "graphs": [Shown("uri", _graph_text(g, labels, base), local_href(g, base), g) for g in graphs],
        "sources": [(Shown("uri", _graph_text(g, labels, base), local_href(g, base), g),
                     [show(Term("uri", s), labels, base, pfx) for s in srcs]) for g, srcs in sources.items()],
        "exists": bool(out_rows or in_rows),
        "inferred_graph": inferred,
    }


def _graph_text(graph: str, labels: dict[str, Term], base: str) -> str:
    label = labels.get(graph)
    return label.value if label else graph[len(graph_base(base)):] if graph.startswith(graph_base(base)) else graph


def _sources_of(graphs: list[str]) -> "OrderedDict[str, list[str]]":
    """The source documents each data graph names with ``dct:source`` (see docs/modelling.md)."""
    result: "OrderedDict[str, list[str]]" = OrderedDict((g, []) for g in graphs)
    if not graphs:
        return result
    values = " ".join(f"<{g}>" for g in graphs if not any(c in g for c in '<>" '))
    rows = current_store().query(
        f"SELECT ?g ?src WHERE {{ VALUES ?g {{ {values} }} ?g <{DCT}source> ?src FILTER(isIRI(?src)) }}").rows()
    for row in rows:
        if row["src"].value not in result[row["g"].value]:
            result[row["g"].value].append(row["src"].value)
    return result


def query_link(iri: str) -> str:
    """A link that opens a query about ``iri`` in the query UI."""
    query = (f"# {iri}\nSELECT ?property ?value ?graph WHERE {{\n"
             f"  GRAPH ?graph {{ <{iri}> ?property ?value }}\n}}\nORDER BY ?property\n")
    return "/?" + urlencode({"query": query, "title": iri.rsplit("/", 1)[-1]})


# --- content negotiation ---------------------------------------------------------------------------------

def wanted_format() -> str:
    """``html`` or a graph format key, from ``?format=`` or Accept (HTML when the client accepts anything)."""
    asked = request.args.get("format", "").strip().lower()
    if asked:
        if asked not in FORMAT_NAMES:
            abort(406, description=f"unknown format '{asked}'; use html, ttl, jsonld or nt")
        return FORMAT_NAMES[asked]
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return "html"
    best = parse_accept_header(accept, MIMEAccept).best_match([m for m, _ in RESOURCE_OFFERS])
    if best is None:
        abort(406, description="available: text/html, text/turtle, application/ld+json, application/n-triples")
    return dict(RESOURCE_OFFERS)[best]


def graph_response(construct: str, fmt: str, filename: str | None = None) -> Response:
    """Run a CONSTRUCT and answer it in ``fmt`` (small results: written in memory on this thread)."""
    buffer = io.BytesIO()
    current_store().query(construct).write(buffer, fmt)
    headers = {"Vary": "Accept"}
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(buffer.getvalue(), mimetype=GRAPH_FORMATS[fmt], headers=headers)


def resource_response(iri: str) -> Response:
    fmt = wanted_format()
    if fmt != "html":
        subject = sparql_iri(iri)
        return graph_response(
            f"CONSTRUCT {{ {subject} ?p ?o . ?s ?q {subject} }} WHERE {{ {{ {subject} ?p ?o }} UNION "
            f"{{ ?s ?q {subject} }} }}", fmt)
    lang = page_lang()
    view = describe_resource(iri, lang)
    html = render_template("resource.html", r=view, query_link=query_link(iri),
                           formats=[("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt")])
    return Response(html, status=200 if view["exists"] else 404, mimetype="text/html",
                    headers={"Vary": "Accept, Accept-Language"})


@bp.route("/id/<path:rest>")
def instance(rest: str):
    """An instance IRI ``{base}id/...``."""
    return resource_response(iri_of_path("/id/" + rest, current_settings().base))


@bp.route("/graph/<path:rest>")
def named_graph(rest: str):
    """A named-graph IRI ``{base}graph/...``: its description (source, title, VoID), not its content."""
    return resource_response(iri_of_path("/graph/" + rest, current_settings().base))


# --- the ontology ----------------------------------------------------------------------------------------

ONTOLOGY_GRAPH_FILTER = "FILTER(STRSTARTS(STR(?g), \"{prefix}\"))"


def _ontology_graphs_filter(base: str) -> str:
    return ONTOLOGY_GRAPH_FILTER.format(prefix=graph_base(base) + "ontology")


@bp.route("/ontology")
def ontology():
    """The ontology: HTML documentation for browsers; Turtle / JSON-LD / N-Triples by Accept."""
    base = current_settings().base
    fmt = wanted_format()
    if fmt != "html":
        return graph_response(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_ontology_graphs_filter(base)} }}", fmt)
    from .ontology_doc import build_ontology_doc

    doc = build_ontology_doc(base, page_lang())
    return Response(render_template("ontology.html", doc=doc), mimetype="text/html",
                    headers={"Vary": "Accept, Accept-Language"})


# --- dataset description and dumps -----------------------------------------------------------------------

@bp.route("/dataset")
@bp.route("/.well-known/void")
def dataset():
    """DCAT-AP-NO catalogue + VoID statistics: HTML for browsers, RDF by Accept."""
    from .dataset_description import describe_dataset, dataset_turtle

    settings = current_settings()
    root = request.url_root
    fmt = wanted_format()
    if request.path.startswith("/.well-known/") and not request.args.get("format") and fmt == "html" \
            and "text/html" not in request.headers.get("Accept", ""):
        fmt = "turtle"  # VoID discovery clients without a preference get RDF
    description = describe_dataset(settings.base, root)
    if fmt == "html":
        return Response(render_template("dataset.html", d=description), mimetype="text/html",
                        headers={"Vary": "Accept, Accept-Language"})
    text = dataset_turtle(description)
    if fmt == "turtle":
        return Response(text, mimetype="text/turtle", headers={"Vary": "Accept"})
    import rdflib

    names = {"ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}
    body = rdflib.Graph().parse(data=text, format="turtle").serialize(format=names[fmt])
    return Response(body, mimetype=GRAPH_FORMATS[fmt], headers={"Vary": "Accept"})


DUMPS = {"dump.trig.gz": "trig", "dump.nq.gz": "nquads"}


@bp.route("/dump.trig.gz")
@bp.route("/dump.nq.gz")
def dump():
    """The whole dataset, gzip-compressed, streamed while the store writes it."""
    name = request.path.lstrip("/")
    fmt = DUMPS[name]
    store = current_store()
    chunks = stream_from_thread(lambda out: _gzip_dump(store, out, fmt))
    return Response(chunks, mimetype="application/gzip", headers={
        "Content-Disposition": f'attachment; filename="helsegraf-{name}"',
        "X-Content-Media-Type": GRAPH_FORMATS[fmt],
    })


def _gzip_dump(store, out, fmt: str) -> None:
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as zipped:
        store.dump(zipped, fmt)


class _ChunkWriter(io.RawIOBase):
    """A write-only file that hands what it is given to a bounded queue (so memory stays small)."""

    def __init__(self, chunks: "queue.Queue", cancelled: threading.Event):
        self.chunks, self.cancelled = chunks, cancelled

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.cancelled.is_set():
            raise BrokenPipeError("the client went away")
        if data:
            self.chunks.put(bytes(data))
        return len(data)


_END = object()


def stream_from_thread(produce: Callable, size: int = 32) -> Iterator[bytes]:
    """Run ``produce(file)`` on a thread and yield what it writes; a client that leaves stops the producer."""
    chunks: queue.Queue = queue.Queue(maxsize=size)
    cancelled = threading.Event()
    failure: list[BaseException] = []

    def run():
        try:
            produce(_ChunkWriter(chunks, cancelled))
        except BaseException as error:  # noqa: BLE001 - reported by the consumer
            failure.append(error)
        finally:
            chunks.put(_END)

    threading.Thread(target=run, name="dump-producer", daemon=True).start()

    def iterate():
        buffer = bytearray()
        try:
            while True:
                chunk = chunks.get()
                if chunk is _END:
                    break
                buffer += chunk
                if len(buffer) >= 64 * 1024:
                    yield bytes(buffer)
                    buffer.clear()
            if buffer:
                yield bytes(buffer)
            if failure and not isinstance(failure[0], BrokenPipeError):
                raise failure[0]
        finally:
            cancelled.set()
            while not chunks.empty():  # unblock a producer waiting on a full queue
                chunks.get_nowait()

    return iterate()


# --- the shapes ------------------------------------------------------------------------------------------

@bp.route("/shapes")
def shapes():
    """The SHACL shapes ``{base}shapes#...``: a list with anchors for browsers, the shapes graphs as RDF."""
    base = current_settings().base
    graphs = f'FILTER(STRSTARTS(STR(?g), "{graph_base(base)}shapes"))'
    fmt = wanted_format()
    if fmt != "html":
        return graph_response(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {graphs} }}", fmt)
    lang = page_lang()
    namespace = base + "shapes#"
    rows = current_store().query(
        f"SELECT DISTINCT ?s ?type WHERE {{ GRAPH ?g {{ ?s a ?type }} {graphs} "
        f"FILTER(STRSTARTS(STR(?s), \"{namespace}\")) }} ORDER BY ?s").rows()
    found: "OrderedDict[str, list[str]]" = OrderedDict()
    for row in rows:
        found.setdefault(row["s"].value, []).append(row["type"].value)
    labels = labels_of(list(found), lang)
    pfx = prefixes()
    items = [{"local": iri[len(namespace):], "iri": iri, "label": labels[iri].value if iri in labels else "",
              "types": [short_iri(t, pfx) for t in types]} for iri, types in found.items()]
    from .validate import context_graph  # the planner's columns: name, description, fix, legal source
    from ..planner.shapes_page import shape_details

    details = shape_details(current_settings().data_root, context_graph()[0], lang)
    return Response(render_template("shapes.html", items=items, details=details), mimetype="text/html",
                    headers={"Vary": "Accept, Accept-Language"})
