"""The data graph assembled with Oxigraph's parser, for the engine that reads N-Triples natively (pyshacl-turbo).

At national scale most of a validation's time went to rdflib, not to the engine: parsing a million triples
(about 50 s), flattening the named graphs (20 s) and copying the graph to add the context (40 s), where
pyshacl-turbo itself needs about 35 s (``bench/validation/results.md``). Files are therefore parsed with
Oxigraph's parser in one pass that writes the triples *as written* as N-Triples for the engine and notes, on
the way, what the rest of a validation asks about the data: which IRIs they mention (the seeds of the reference
neighbourhood, and which context nodes are the data's own), which ``hg:`` terms they use that the ontology does
not define, and the labels of their nodes. ``tests/shapes`` and ``tests/conformance`` check that the results
stay pyshacl's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from ..namespaces import DEFAULT_BASE, graph_base
from .errors import RDFSyntaxError
from .vocab import SD

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SD_GRAPH = f"<{SD.Graph}>"
_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nt": ox.RdfFormat.N_TRIPLES,
            ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
            ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD}


def readable(paths: Iterable[str | os.PathLike]) -> bool:
    """Whether every file has a syntax Oxigraph's parser reads (otherwise the rdflib path is taken)."""
    return all(Path(p).suffix.lower() in _FORMATS for p in paths)


@dataclass
class ParsedFiles:
    """What one pass over the files found."""

    #: The triples as N-Triples lines, in one graph, with ``<g> a sd:Graph`` for each named graph.
    lines: list[str] = field(default_factory=list)
    #: Every IRI and blank node the data mention as subject or object (rdflib terms).
    mentioned: set = field(default_factory=set)
    #: Triples using an ``hg:`` predicate or class the ontology does not define (for the vocabulary check).
    undefined_uses: Graph = field(default_factory=Graph)
    #: Label triples (predicate in ``label_properties``) by subject IRI, as pyoxigraph quads.
    labels: dict[str, list] = field(default_factory=dict)

    def labels_of(self, nodes: Iterable) -> Graph:
        """The label triples of ``nodes`` as an rdflib graph."""
        out = Graph()
        for node in nodes:
            for quad in self.labels.get(str(node), ()) if isinstance(node, URIRef) else ():
                out.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return out


def load_files(paths: Iterable[str | os.PathLike], *, base: str = DEFAULT_BASE, namespace: str = "",
               defined: frozenset = frozenset(), label_properties: Iterable = ()) -> ParsedFiles:
    """Parse the files in one pass (see the module's docstring); ``namespace`` and ``defined`` name the
    project's terms, ``label_properties`` the predicates whose triples are kept for the report's labels.

    :raises RDFSyntaxError: with the parser's message, line and column; or for a file without triples.
    """
    parsed = ParsedFiles()
    lines, mentioned, labels = parsed.lines, set(), parsed.labels
    label_iris = {str(p) for p in label_properties}
    undefined: list = []
    ontology_graphs = graph_base(base) + "ontology"
    for path in map(Path, paths):
        graphs: set = set()
        count = 0
        try:
            for quad in ox.parse(path=str(path), format=_FORMATS[path.suffix.lower()],
                                 base_iri=path.resolve().as_uri()):
                s, p, o = quad.subject, quad.predicate, quad.object
                lines.append(f"{s} {p} {o} .")
                count += 1
                graphs.add(quad.graph_name)
                mentioned.add(s)
                if not isinstance(o, ox.Literal):
                    mentioned.add(o)
                predicate = p.value
                if predicate in label_iris:
                    labels.setdefault(s.value, []).append(quad)
                if namespace and predicate.startswith(namespace) and predicate not in defined:
                    undefined.append(quad)
                elif (namespace and predicate == _RDF_TYPE and isinstance(o, ox.NamedNode)
                      and o.value.startswith(namespace) and o.value not in defined):
                    undefined.append(quad)
        except SyntaxError as exc:
            raise _syntax_error(path, exc) from exc
        if not count:
            raise _syntax_error(path, None)
        for graph in graphs:
            if isinstance(graph, ox.NamedNode) and not graph.value.startswith(ontology_graphs):
                lines.append(f"{graph} <{_RDF_TYPE}> {_SD_GRAPH} .")
                mentioned.add(graph)
    parsed.mentioned = {to_rdflib(term) for term in mentioned}
    for quad in undefined:
        parsed.undefined_uses.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return parsed


def _syntax_error(path: Path, exc: SyntaxError | None) -> RDFSyntaxError:
    line: int | None
    column: int | None
    if exc is None:
        message, line, column = "no triples: the input is empty or holds only comments and prefixes", 1, 1
    else:
        message = str(exc).splitlines()[0]
        line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    where = f"line {line}, column {column}: " if line and column else ""
    err = RDFSyntaxError(f"{path}: {where}{message}")
    err.filename, err.lineno, err.offset, err.reason = str(path), line, column, message
    return err


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
