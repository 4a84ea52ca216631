"""RDF answers of linked-data resources: the neighbourhood of one IRI, with the project's prefixes, the labels
of the resources it links to, and the inferred triples told apart from the asserted ones.

How inferred triples are marked (a standard, not an invention): in a *dataset* format (TriG, N-Quads) every
triple sits in the named graph that states it, so an inferred triple is in ``{base}graph/inferred`` and an
asserted one in its source graph. The single-graph formats (Turtle, JSON-LD, N-Triples, RDF/XML) carry the merge,
as the default graph of ``/sparql`` does; their ``Link`` header points to the TriG alternate.

Neighbourhoods are bounded (``MAX_TRIPLES`` each way): a national-scale node (a law cited by thousands of
services) must not make an answer of unbounded size. A cut answer says so in ``X-Result-Truncated``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib

from ..namespaces import RDFS, SKOS
from ..store import Term
from . import current_store

#: At most this many triples out of and into the resource (each way).
MAX_TRIPLES = 2000

#: Format keys this module writes, with their rdflib serializer names.
RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig",
                "nquads": "nquads"}

DATASET_KEYS = {"trig", "nquads"}


def to_rdflib(term: Term):
    """A :class:`~helsegraf.store.Term` as an rdflib node."""
    if term.kind == "uri":
        return rdflib.URIRef(term.value)
    if term.kind == "bnode":
        return rdflib.BNode(term.value)
    if term.lang:
        return rdflib.Literal(term.value, lang=term.lang)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype) if term.datatype else None)


@dataclass
class Neighbourhood:
    """The quads around one resource, the labels of what it links to, and whether a bound cut them."""

    quads: list[tuple[Term, Term, Term, Term]] = field(default_factory=list)
    labels: list[tuple[Term, Term, Term]] = field(default_factory=list)
    truncated: bool = False

    @property
    def exists(self) -> bool:
        return bool(self.quads)


def neighbourhood(iri: str) -> Neighbourhood:
    """Read the bounded neighbourhood of ``iri`` (out, one level into blank nodes, and in) with labels."""
    store = current_store()
    subject = f"<{iri}>"
    found = Neighbourhood()
    out = store.query(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} }} LIMIT {MAX_TRIPLES + 1}")
    rows = list(out.rows())
    found.truncated |= len(rows) > MAX_TRIPLES
    me = Term("uri", iri)
    found.quads += [(me, r["p"], r["o"], r["g"]) for r in rows[:MAX_TRIPLES]]
    nested = store.query(f"SELECT ?b ?p ?o ?g WHERE {{ GRAPH ?g {{ {subject} ?x ?b FILTER(isBlank(?b)) ?b ?p ?o }} }} "
                         f"LIMIT {MAX_TRIPLES}")
    found.quads += [(r["b"], r["p"], r["o"], r["g"]) for r in list(nested.rows())]
    into = list(store.query(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {subject} }} }} "
                            f"LIMIT {MAX_TRIPLES + 1}").rows())
    found.truncated |= len(into) > MAX_TRIPLES
    found.quads += [(r["s"], r["p"], me, r["g"]) for r in into[:MAX_TRIPLES]]
    linked = sorted({t.value for q in found.quads for t in q[:3] if t.kind == "uri" and t.value != iri})
    for start in range(0, len(linked), 400):
        values = " ".join(f"<{i}>" for i in linked[start:start + 400] if not any(c in i for c in '<>" {}|^`\\'))
        labels = store.query(f"SELECT DISTINCT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} "
                           f"{{ ?s <{RDFS}label> ?l BIND(<{RDFS}label> AS ?p) }} UNION "
                           f"{{ ?s <{SKOS}prefLabel> ?l BIND(<{SKOS}prefLabel> AS ?p) }} }}").rows()
        found.labels += [(r["s"], r["p"], r["l"]) for r in labels]
    return found


def serialise(found: Neighbourhood, fmt: str, namespaces: dict[str, str]) -> bytes:
    """Write ``found`` in ``fmt``: the merge for graph formats, the graphs as they are for dataset formats.

    Labels of linked resources go into the default graph of a dataset (they describe the neighbours, not the
    resource; their own pages say where each label is stated).
    """
    target: rdflib.Graph
    if fmt in DATASET_KEYS:
        data = rdflib.Dataset()
        for s, p, o, g in found.quads:
            data.add((to_rdflib(s), to_rdflib(p), to_rdflib(o), data.graph(rdflib.URIRef(g.value))))
        for s, p, o in found.labels:
            data.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        target = data
    else:
        graph = rdflib.Graph()
        for s, p, o, _ in found.quads:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        for s, p, o in found.labels:
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        target = graph
    for prefix, namespace in namespaces.items():
        target.bind(prefix, namespace, override=True, replace=True)
    if fmt == "jsonld":
        context = {prefix: namespace for prefix, namespace in namespaces.items()}
        return target.serialize(format="json-ld", context=context).encode("utf-8")
    return target.serialize(format=RDFLIB_NAMES[fmt]).encode("utf-8")


def resource_rdf(iri: str, fmt: str) -> tuple[bytes | None, bool]:
    """The RDF answer for ``iri`` in ``fmt`` and whether it was cut; ``None`` when the graph knows nothing."""
    from .linked_data import prefixes

    found = neighbourhood(iri)
    if not found.exists:
        return None, False
    return serialise(found, fmt, prefixes()), found.truncated
