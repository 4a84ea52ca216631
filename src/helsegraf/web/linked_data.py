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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request

from ..namespaces import DCT, DEFAULT_BASE, RDF, RDFS, SKOS, graph_base, inferred_graph
from ..sparql.negotiation import best_media_type
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
    ("application/rdf+xml", "rdfxml"), ("application/trig", "trig"), ("application/n-quads", "nquads"),
    ("text/plain", "ntriples"), ("application/json", "jsonld"),
]
FORMAT_NAMES = {"html": "html", "ttl": "turtle", "turtle": "turtle", "jsonld": "jsonld", "json-ld": "jsonld",
                "nt": "ntriples", "ntriples": "ntriples", "rdf": "rdfxml", "rdfxml": "rdfxml", "trig": "trig",
                "nq": "nquads", "nquads": "nquads"}

#: The alternates a resource page offers (``?format=`` key, media type), for links and ``Link`` headers.
ALTERNATES = [("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples"),
              ("trig", "application/trig")]


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


#: One branch per label property: with ``VALUES ?p`` instead, the engine scans every label in the graph (2.8 s for
#: 300 IRIs at 1M triples against 0.02 s for this UNION).
LABEL_PATTERNS = " UNION ".join(f"{{ ?s <{p}> ?l BIND(<{p}> AS ?p) }}" for p in LABEL_PROPERTIES)


def labels_of(iris: list[str], lang: str) -> dict[str, Term]:
    """Labels of many IRIs in one query: the best property first, then the best language."""
    iris = sorted({i for i in iris if i and ":" in i and not any(c in i for c in '<>"{}|^`\\ ')})
    found: dict[str, Term] = {}
    store = current_store()
    for start in range(0, len(iris), 400):
        chunk = iris[start:start + 400]
        values = " ".join(f"<{i}>" for i in chunk)
        result = store.query(f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} {LABEL_PATTERNS} FILTER(isLiteral(?l)) }}")
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


#: Facts per table and page of a resource page: a law cited by thousands of services pages through them.
PAGE_SIZE = 200

#: Neighbourhoods up to this many pairs are paged in a sorted order, and counted exactly up to this many
#: (see :func:`_pairs_page`).
SORTED_UP_TO = 2000
COUNT_UP_TO = 10_000


def page_number() -> int:
    """The ``?page=`` of this request (1 when absent or not a positive number)."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@dataclass
class Slice:
    """One page of a resource's facts (or inverse links): its rows, and what is known of the whole."""

    rows: list[dict]
    count: int  # pairs counted: all of them when ``exact``, else a lower bound
    exact: bool
    more: bool  # pairs after this page


def _pairs_page(pattern: str, ends: str, page: int) -> Slice:
    """Page ``page`` of the distinct ``ends`` pairs matching ``pattern``, with their rows (and ``?g``).

    Paged over distinct pairs, so a fact stated in several graphs stays on one page. Counted only up to
    COUNT_UP_TO pairs past this page (counting a law's 125,000 citing pairs takes 0.3–0.6 s at 1M; the page shows
    "10000+" instead). Sorted by the query only up to SORTED_UP_TO pairs: ORDER BY over those 125,000 takes 8 s,
    while the embedded engine's own index order is stable for unchanged data, which is all paging needs (a
    remote engine may not promise that; small neighbourhoods, the common case, are sorted everywhere). The page
    sorts its slice for display.
    """
    store = current_store()
    offset = (page - 1) * PAGE_SIZE
    window = max(COUNT_UP_TO, offset + PAGE_SIZE) + 1
    counted = list(store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT {ends} WHERE {{ GRAPH ?g0 {{ {pattern} }} }} "
        f"LIMIT {window} }}").rows())
    count = int(counted[0]["n"].value) if counted else 0
    exact = count < window
    more = count > offset + PAGE_SIZE
    if count <= offset:
        return Slice([], count, exact, False)
    order = f"ORDER BY {ends}" if exact and count <= SORTED_UP_TO else ""
    rows = list(store.query(
        f"SELECT {ends} ?g WHERE {{ {{ SELECT DISTINCT {ends} WHERE {{ GRAPH ?g0 {{ {pattern} }} }} "
        f"{order} LIMIT {PAGE_SIZE} OFFSET {offset} }} GRAPH ?g {{ {pattern} }} }}").rows())
    return Slice(rows, count, exact, more)


def describe_resource(iri: str, lang: str, page: int = 1) -> dict:
    """Everything the resource page shows about ``iri``: page ``page`` of its facts and of its inverse links."""
    store, base = current_store(), current_settings().base
    inferred = inferred_graph(base)
    subject = sparql_iri(iri)
    out_slice = _pairs_page(f"{subject} ?p ?o", "?p ?o", page)
    out_rows = out_slice.rows
    if out_rows:  # one level into the blank nodes of this page
        blanks = list(store.query(
            f"SELECT ?o ?bp ?bo WHERE {{ GRAPH ?g {{ {subject} ?p ?o FILTER(isBlank(?o)) ?o ?bp ?bo }} }} "
            f"LIMIT {PAGE_SIZE * 10}").rows())
        inside: dict = defaultdict(list)
        for row in blanks:
            inside[row["o"]].append(row)
        expanded = []
        for row in out_rows:
            for nested_row in inside.get(row["o"], [{}]):
                expanded.append({**row, **{k: v for k, v in nested_row.items() if k != "o"}})
        out_rows = expanded
    # The reified statements of the passages (rdf:subject / rdf:object pointing here) are shown as the
    # passages section (passages_of), not as hundreds of anonymous-looking links in; so are the readings a
    # document does not state (hg:notStatedIn pointing at its page: readings_of on the subject's page).
    in_slice = _pairs_page(f"?s ?p {subject} FILTER(?p NOT IN (<{RDF}subject>, <{RDF}object>, "
                           f"<{base}ontology#notStatedIn>))", "?s ?p", page)
    in_rows = in_slice.rows
    to_label = [iri]
    for row in out_rows:
        to_label += [t.value for t in (row["p"], row["o"], row.get("bp"), row.get("bo")) if t and t.kind == "uri"]
    for row in in_rows:
        to_label += [t.value for t in (row["s"], row["p"]) if t.kind == "uri"]  # list cells link in as blank nodes
    graphs = sorted({row["g"].value for row in out_rows + in_rows})
    sources = _sources_of([g for g in graphs if g != inferred])
    to_label += graphs + [s for srcs in sources.values() for s in srcs]
    labels = labels_of(to_label, lang)
    pfx = prefixes()

    def merge(into: OrderedDict[tuple, Fact], row: dict, other: str) -> tuple:
        """One fact per (property, other end), with every graph that states it; inferred if only inferred."""
        key = (row[other], row["p"]) if other == "s" else (row["p"], row[other])
        fact = into.get(key)
        if fact is None:
            fact = into[key] = Fact(show(row["p"], labels, base, pfx), show(row[other], labels, base, pfx), [], True)
        if row["g"].value not in fact.graphs:
            fact.graphs.append(row["g"].value)
            fact.inferred = fact.inferred and row["g"].value == inferred
        return key

    facts: OrderedDict[tuple, Fact] = OrderedDict()
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
    inverse: OrderedDict[tuple, Fact] = OrderedDict()
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
        "exists": bool(out_slice.count or in_slice.count),
        "inferred_graph": inferred,
        "paging": paging(page, [out_slice, in_slice]),
        "out": out_slice,
        "inverse_slice": in_slice,
    }


# --- passages: where in the seed documents the facts stand (issue 15) ---------------------------------------

OA = "http://www.w3.org/ns/oa#"

#: Rows (passage × fact) one page reads at most: a resource has tens of passages, and the one query stays bounded
#: on a large graph whatever the data holds.
PASSAGE_ROWS = 300


@dataclass
class PassageView:
    """One passage of a seed document (the targets of one or more Web Annotations at one position) and its facts."""

    document: Shown
    prefix: str
    exact: str
    suffix: str
    start: int
    end: int
    href: str
    #: (subject, or ``None`` on the subject's own page; property; value; how the passage was matched for it)
    facts: list[tuple[Shown | None, Shown, Shown, Shown | None]] = field(default_factory=list)


def position_href(document: str, start: int, end: int, base: str) -> str:
    """The link to a passage's position: the document's page with ``?char=start,end``.

    The position is the RFC 5147 range ``char=start,end`` (code points, end exclusive, as the Web Annotation
    TextPositionSelector counts). As a fragment (``#char=…``) it only means something to a ``text/plain``
    representation, and the seed texts themselves are not served (they stay outside the repository); the document
    IRI dereferences to an HTML page. So the range travels as a query parameter, and the document's page shows the
    passage at that position from the annotations (:func:`passages_at`), with ``#passage`` to scroll to it.

    >>> position_href("https://x.org/hg/id/document/seed-002", 10, 20, "https://x.org/hg/")
    '/id/document/seed-002?char=10,20#passage'
    """
    return f"{local_href(document, base)}?char={start},{end}#passage"


def char_range() -> tuple[int, int] | None:
    """The ``?char=start,end`` of the request (RFC 5147 form), or ``None``."""
    value = request.args.get("char", "")
    parts = value.split(",")
    if len(parts) != 2 or not all(part.isdigit() and len(part) < 10 for part in parts):
        return None
    start, end = int(parts[0]), int(parts[1])
    return (start, end) if start < end else None


def _bounded_rows(store, query: str) -> tuple[list, bool]:
    """The rows of ``query`` (which asks for PASSAGE_ROWS + 1), at most PASSAGE_ROWS, and whether there were more."""
    rows = list(store.query(query).rows())
    return rows[:PASSAGE_ROWS], len(rows) > PASSAGE_ROWS


def _passages(where: str, lang: str, page_iri: str) -> tuple[list[PassageView], bool]:
    """The passages the annotation pattern ``where`` finds (one bounded query), with their facts, labelled."""
    store, base = current_store(), current_settings().base
    query = (
        f"SELECT DISTINCT ?target ?document ?exact ?prefix ?suffix ?start ?end ?how ?s ?p ?o WHERE {{ {where} "
        f"?annotation <{OA}hasBody> ?st ; <{OA}hasTarget> ?target . "
        f"?st <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o . "
        f"?target <{OA}hasSource> ?document ; <{OA}hasSelector> ?quote , ?position . "
        f"?quote <{OA}exact> ?exact . "
        f"?position <{OA}start> ?start ; <{OA}end> ?end . "
        f"OPTIONAL {{ ?quote <{OA}prefix> ?prefix }} OPTIONAL {{ ?quote <{OA}suffix> ?suffix }} "
        f"OPTIONAL {{ ?annotation <{base}ontology#matchedBy> ?how }} }} "
        f"ORDER BY ?document ?start ?end ?target ?p ?o LIMIT {PASSAGE_ROWS + 1}"
    )
    rows, truncated = _bounded_rows(store, query)
    to_label = [t.value for row in rows for t in (row["document"], row["p"], row["o"], row["s"], row.get("how"))
                if t is not None and t.kind == "uri"]
    labels, pfx = labels_of(to_label, lang), prefixes()
    # Annotations of one position (a quote, and the facts matched there by names) show as one passage.
    views: OrderedDict[tuple, PassageView] = OrderedDict()
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        key = (row["document"].value, start, end)
        view = views.get(key)
        if view is None:
            view = views[key] = PassageView(
                show(row["document"], labels, base, pfx),
                row["prefix"].value if row.get("prefix") else "", row["exact"].value,
                row["suffix"].value if row.get("suffix") else "", start, end,
                position_href(row["document"].value, start, end, base))
        subject = None if row["s"].value == page_iri else show(row["s"], labels, base, pfx)
        how = show(row["how"], labels, base, pfx) if row.get("how") else None
        fact = (subject, show(row["p"], labels, base, pfx), show(row["o"], labels, base, pfx), how)
        if fact not in view.facts:
            view.facts.append(fact)
    return list(views.values()), truncated


def passages_of(iri: str, lang: str) -> tuple[list[PassageView], bool]:
    """Every passage that supports a fact of ``iri`` (the facts it is the subject of)."""
    return _passages(f"?st <{RDF}subject> {sparql_iri(iri)} .", lang, iri)


def passages_at(document: str, start: int, end: int, lang: str) -> tuple[list[PassageView], bool]:
    """The passages of ``document`` at exactly this position (the target of a position link)."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    return _passages(
        f"?target <{OA}hasSource> {sparql_iri(document)} ; <{OA}hasSelector> ?at . "
        f"?at <{OA}start> \"{start}\"^^<{xsd}nonNegativeInteger> ; <{OA}end> \"{end}\"^^<{xsd}nonNegativeInteger> .",
        lang, "")


@dataclass
class ReadingView:
    """A fact of the resource that a document does not state (the modellers' reading), and the note saying why."""

    prop: Shown
    value: Shown
    document: Shown
    note: str
    note_lang: str | None


def readings_of(iri: str, lang: str) -> tuple[list[ReadingView], bool]:
    """The facts of ``iri`` marked ``hg:notStatedIn`` a document (one bounded query), with their notes."""
    store, base = current_store(), current_settings().base
    query = (
        f"SELECT DISTINCT ?p ?o ?document ?note WHERE {{ ?st <{RDF}subject> {sparql_iri(iri)} ; "
        f"<{RDF}predicate> ?p ; <{RDF}object> ?o ; <{base}ontology#notStatedIn> ?document . "
        f"OPTIONAL {{ ?st <{base}ontology#inferenceNote> ?note }} }} "
        f"ORDER BY ?document ?p STR(?o) ?o ?note LIMIT {PASSAGE_ROWS + 1}"
    )
    rows, truncated = _bounded_rows(store, query)
    to_label = [t.value for row in rows for t in (row["p"], row["o"], row["document"]) if t.kind == "uri"]
    labels, pfx = labels_of(to_label, lang), prefixes()
    views = [ReadingView(show(row["p"], labels, base, pfx), show(row["o"], labels, base, pfx),
                         show(row["document"], labels, base, pfx), row["note"].value if row.get("note") else "",
                         row["note"].lang if row.get("note") else None) for row in rows]
    return views, truncated


def paging(page: int, slices: list[Slice]) -> dict:
    """What the pager shows: this page, the last page when every table was counted, links before and after."""
    exact = all(sl.exact for sl in slices)
    biggest = max(sl.count for sl in slices)
    last = max(1, -(-biggest // PAGE_SIZE)) if exact else None

    def href(number: int) -> str:
        args = request.args.to_dict()
        args["page"] = str(number)
        return request.path + "?" + urlencode(args)

    return {"page": page, "last": last, "size": PAGE_SIZE, "first_item": (page - 1) * PAGE_SIZE + 1,
            "previous": href(page - 1) if page > 1 else None,
            "next": href(page + 1) if any(sl.more for sl in slices) else None}


def _graph_text(graph: str, labels: dict[str, Term], base: str) -> str:
    label = labels.get(graph)
    return label.value if label else graph[len(graph_base(base)):] if graph.startswith(graph_base(base)) else graph


def _sources_of(graphs: list[str]) -> OrderedDict[str, list[str]]:
    """The source documents each data graph names with ``dct:source`` (see docs/modelling.md)."""
    result: OrderedDict[str, list[str]] = OrderedDict((g, []) for g in graphs)
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
    best = best_media_type(accept, [m for m, _ in RESOURCE_OFFERS])
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


def link_header(path: str) -> str:
    """An RFC 8288 ``Link`` header naming the alternate formats of the resource at ``path``."""
    return ", ".join(f'<{path}?format={key}>; rel="alternate"; type="{media}"' for key, media in ALTERNATES)


def conditional(response: Response) -> Response:
    """Add a strong ETag (a hash of the body) and answer 304 to a matching ``If-None-Match``.

    Pages are small and built per request, so hashing the body is cheap and always right, even after writes.
    """
    response.add_etag()
    return response.make_conditional(request)


def resource_response(iri: str) -> Response:
    from .rdf_answer import resource_rdf

    fmt = wanted_format()
    sparql_iri(iri)  # refuse IRIs that would break out of a query
    headers = {"Vary": "Accept, Accept-Language", "Link": link_header(request.path)}
    if fmt != "html":
        body, truncated = resource_rdf(iri, fmt)
        if body is None:  # the same 404 the HTML page gives, for RDF clients too
            abort(404, description=f"the graph holds no statements about <{iri}>")
        headers["Vary"] = "Accept"
        if truncated:
            headers["X-Result-Truncated"] = "true"
        return conditional(Response(body, mimetype=GRAPH_FORMATS[fmt], headers=headers))
    lang = page_lang()
    view = describe_resource(iri, lang, page_number())
    if view["exists"]:
        view["passages"], view["passages_truncated"] = passages_of(iri, lang)
        view["readings"], view["readings_truncated"] = readings_of(iri, lang)
        at = char_range()
        view["char"] = at
        view["passages_at"] = passages_at(iri, *at, lang)[0] if at else []
    html = render_template("resource.html", r=view, query_link=query_link(iri),
                           formats=[("Turtle", "ttl"), ("JSON-LD", "jsonld"), ("N-Triples", "nt"), ("TriG", "trig")])
    response = Response(html, status=200 if view["exists"] else 404, mimetype="text/html", headers=headers)
    return conditional(response) if view["exists"] else response


@bp.route("/id/<path:rest>")
def instance(rest: str):
    """An instance IRI ``{base}id/...``."""
    return resource_response(iri_of_path("/id/" + rest, current_settings().base))


@bp.route("/graph/<path:rest>")
def named_graph(rest: str):
    """A named-graph IRI ``{base}graph/...``: its description (source, title, VoID), not its content."""
    return resource_response(iri_of_path("/graph/" + rest, current_settings().base))


# --- the ontology ----------------------------------------------------------------------------------------

@bp.route("/ontology")
def ontology():
    """The ontology: HTML documentation for browsers; Turtle / JSON-LD / N-Triples by Accept."""
    settings = current_settings()
    base = settings.base
    fmt = wanted_format()
    curated = Path(settings.data_root) / "ontology" / "helsegraf.ttl"
    if fmt == "turtle" and curated.is_file() and base == DEFAULT_BASE:
        # The curated file itself (its comments, order and prefixes), not a serializer's dump of the graph.
        response = Response(curated.read_bytes(), mimetype="text/turtle",
                            headers={"Vary": "Accept", "Link": link_header(request.path)})
        response.last_modified = curated.stat().st_mtime
        return conditional(response)
    from .ontology_doc import build_ontology_doc, graphs_union, ontology_graphs

    if fmt != "html":
        return graph_response(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {graphs_union(ontology_graphs(base), '?s ?p ?o')} }}", fmt)

    doc = build_ontology_doc(base, page_lang())
    return conditional(Response(render_template("ontology.html", doc=doc), mimetype="text/html",
                                headers={"Vary": "Accept, Accept-Language", "Link": link_header(request.path)}))


# --- dataset description and dumps -----------------------------------------------------------------------

@bp.route("/dataset")
@bp.route("/.well-known/void")
def dataset():
    """DCAT-AP-NO catalogue + VoID statistics: HTML for browsers, RDF by Accept."""
    from .dataset_description import dataset_turtle, describe_dataset

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
    from .release import current_release

    name = request.path.lstrip("/")
    fmt = DUMPS[name]
    store = current_store()
    chunks = stream_from_thread(lambda out: _gzip_dump(store, out, fmt))
    return Response(chunks, mimetype="application/gzip", headers={
        "Content-Disposition": f'attachment; filename="{current_release().dump_name(name[5:])}"',
        "X-Content-Media-Type": GRAPH_FORMATS[fmt],
    })


def _gzip_dump(store, out, fmt: str) -> None:
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as zipped:
        store.dump(zipped, fmt)


class _ChunkWriter(io.RawIOBase):
    """A write-only file that hands what it is given to a bounded queue (so memory stays small)."""

    def __init__(self, chunks: queue.Queue, cancelled: threading.Event):
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
    found: OrderedDict[str, list[str]] = OrderedDict()
    for row in rows:
        found.setdefault(row["s"].value, []).append(row["type"].value)
    labels = labels_of(list(found), lang)
    pfx = prefixes()
    items = [{"local": iri[len(namespace):], "iri": iri, "label": labels[iri].value if iri in labels else "",
              "types": [short_iri(t, pfx) for t in types]} for iri, types in found.items()]
    from ..planner.shapes_page import shape_details
    from .validate import context_graph  # the planner's columns: name, description, fix, legal source

    details = shape_details(current_settings().data_root, context_graph()[0], lang)
    return Response(render_template("shapes.html", items=items, details=details), mimetype="text/html",
                    headers={"Vary": "Accept, Accept-Language"})
