"""The data graph assembled with Oxigraph's parser, for the engine that reads N-Triples natively (pyshacl-turbo).

At national scale most of a validation's time went to rdflib, not to the engine: parsing a million triples
(about 50 s), flattening the named graphs (20 s) and copying the graph to add the context (40 s), where
pyshacl-turbo itself needs about 30 s (``bench/validation/results.md``). Files are therefore parsed with
Oxigraph's parser; the engine gets the triples as written, as N-Triples text, and a Store of them answers the
questions around the validation (which nodes the data mention, which terms they use, the focus nodes'
labels) by SPARQL instead of Python loops. ``tests/shapes`` and ``tests/conformance`` check that the results
stay pyshacl's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..namespaces import DEFAULT_BASE, graph_base
from .errors import RDFSyntaxError
from .vocab import SD

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SD_GRAPH = ox.NamedNode(str(SD.Graph))
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
            ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
            ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}
#: Nodes per VALUES block of a query on the Store.
_BATCH = 500


def readable(paths: Iterable[str | os.PathLike]) -> bool:
    """Whether every file has a syntax Oxigraph's parser reads (otherwise the rdflib path is taken)."""
    return all(Path(p).suffix.lower() in _FORMATS for p in paths)


def load_files(paths: Iterable[str | os.PathLike], *,
               base: str = DEFAULT_BASE) -> tuple[ox.Store, set[URIRef], list[str]]:
    """Parse the files into one Store's default graph (SHACL sees one data graph); each named graph a file
    names is recorded as ``<g> a sd:Graph``, as :func:`helsegraf.validation.data.union_graph` does. Returns the
    Store, the IRIs the data mention (seeds of the reference neighbourhood), and the same triples as N-Triples
    lines *as written* (the Store normalises literals, and the engine must see the spellings: W3C
    ``core/property/datatype-ill-formed``).

    :raises RDFSyntaxError: with the parser's message, line and column.
    """
    store = ox.Store()
    mentioned: set[str] = set()
    lines: list[str] = []
    ontology_graphs = graph_base(base) + "ontology"
    for path in map(Path, paths):
        graphs: set = set()
        triples = []
        try:
            for quad in ox.parse(path=str(path), format=_FORMATS[path.suffix.lower()],
                                 base_iri=path.resolve().as_uri()):
                triples.append(ox.Quad(quad.subject, quad.predicate, quad.object))
                lines.append(f"{quad.subject} {quad.predicate} {quad.object} .")
                graphs.add(quad.graph_name)
                for term in (quad.subject, quad.object):
                    if isinstance(term, ox.NamedNode):
                        mentioned.add(term.value)
        except SyntaxError as exc:
            raise _syntax_error(path, exc) from exc
        if not triples:
            raise _syntax_error(path, None)
        store.extend(triples)
        for graph in graphs:
            if isinstance(graph, ox.NamedNode) and not graph.value.startswith(ontology_graphs):
                store.add(ox.Quad(graph, _RDF_TYPE, _SD_GRAPH))
                lines.append(f"{graph} {_RDF_TYPE} {_SD_GRAPH} .")
                mentioned.add(graph.value)
    return store, {URIRef(iri) for iri in mentioned}, lines


def _syntax_error(path: Path, exc: SyntaxError | None) -> RDFSyntaxError:
    if exc is None:
        message, line, column = "no triples: the input is empty or holds only comments and prefixes", 1, 1
    else:
        message = str(exc).splitlines()[0]
        line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    where = f"line {line}, column {column}: " if line and column else ""
    err = RDFSyntaxError(f"{path}: {where}{message}")
    err.filename, err.lineno, err.offset, err.reason = str(path), line, column, message
    return err


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def mentions(store: ox.Store, node) -> bool:
    """Whether ``node`` (an rdflib term) occurs in the Store as subject or object."""
    term = to_ox(node)
    if not isinstance(term, ox.Literal) and next(store.quads_for_pattern(term, None, None), None) is not None:
        return True
    return next(store.quads_for_pattern(None, None, term), None) is not None


def add_graph(store: ox.Store, graph: Graph) -> None:
    """Add an rdflib graph's triples to the Store's default graph."""
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph)


def usage(store: ox.Store, namespace: str) -> Graph:
    """The triples whose predicate, or whose ``rdf:type`` object, is in ``namespace`` (for the vocabulary check,
    which needs only these), found by SPARQL in the Store rather than by walking a million triples in Python."""
    out = Graph()
    predicates = [row[0] for row in store.query(
        f"SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), {_string(namespace)})) }}")]
    for p in predicates:
        for quad in store.quads_for_pattern(None, p, None):
            out.add((to_rdflib(quad.subject), to_rdflib(p), to_rdflib(quad.object)))
    for row in store.query(f"SELECT ?s ?c WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), {_string(namespace)})) }}"):
        out.add((to_rdflib(row[0]), to_rdflib(_RDF_TYPE), to_rdflib(row[1])))
    return out


def describe(store: ox.Store, nodes: Iterable, predicates: Iterable) -> Graph:
    """The triples of ``nodes`` with one of ``predicates`` (labels of the focus nodes, for the report)."""
    out = Graph()
    iris = sorted({str(n) for n in nodes if isinstance(n, URIRef)})
    values_p = " ".join(f"<{p}>" for p in predicates)
    for start in range(0, len(iris), _BATCH):
        values_s = " ".join(f"<{iri}>" for iri in iris[start:start + _BATCH])
        for row in store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values_s} }} VALUES ?p {{ {values_p} }} "
                               "?s ?p ?o }"):
            out.add((to_rdflib(row[0]), to_rdflib(row[1]), to_rdflib(row[2])))
    return out


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
