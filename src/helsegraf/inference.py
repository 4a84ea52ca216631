"""Materialise the RDFS entailments that make class and property hierarchies visible to plain queries.

Asking for ``hg:Service`` (or ``cpsv:PublicService``) then finds every kind of service. The entailments go into
their own named graph ``{base}graph/inferred``, which is part of the union default graph and can be left out
by naming the dataset. Rules (a documented subset of RDFS and OWL 2 RL, chosen because they add what queries
need and nothing surprising):

- rdfs9: ``?x a ?c . ?c rdfs:subClassOf+ ?d`` ⟹ ``?x a ?d`` (``owl:equivalentClass`` counts both ways)
- rdfs7: ``?s ?p ?o . ?p rdfs:subPropertyOf+ ?q`` ⟹ ``?s ?q ?o`` (``owl:equivalentProperty`` counts both ways)
- prp-inv: ``?s ?p ?o . ?p owl:inverseOf ?q`` ⟹ ``?o ?q ?s`` (both directions)

``rdfs:domain`` and ``rdfs:range`` are not applied: the standard vocabularies' ranges would type literals and
foreign IRIs in ways that surprise more than they help.
"""

from __future__ import annotations

from .namespaces import OWL, RDF, RDFS, inferred_graph
from .store import Store

_SUBCLASS = f"(<{RDFS}subClassOf>|<{OWL}equivalentClass>|^<{OWL}equivalentClass>)+"
_SUBPROPERTY = f"(<{RDFS}subPropertyOf>|<{OWL}equivalentProperty>|^<{OWL}equivalentProperty>)+"


def materialise(store: Store, base: str) -> int:
    """Recompute the inferred graph from the other graphs; return its size."""
    target = inferred_graph(base)
    store.update(f"DROP SILENT GRAPH <{target}>")
    # An update's WHERE sees the store's own default graph, not the union: USING names every graph instead.
    using = " ".join(f"USING <{g}>" for g in store.graphs() if g != target)
    if not using:
        return 0
    rules = [
        f"""INSERT {{ GRAPH <{target}> {{ ?s ?q ?o }} }} {using}
            WHERE {{ ?p {_SUBPROPERTY} ?q . FILTER(isIRI(?q) && ?p != ?q) ?s ?p ?o }}""",
        f"""INSERT {{ GRAPH <{target}> {{ ?o ?q ?s }} }} {using}
            WHERE {{ {{ ?p <{OWL}inverseOf> ?q }} UNION {{ ?q <{OWL}inverseOf> ?p }}
                     ?s ?p ?o . FILTER(!isLiteral(?o)) }}""",
        f"""INSERT {{ GRAPH <{target}> {{ ?x <{RDF}type> ?d }} }} {using}
            WHERE {{ ?c {_SUBCLASS} ?d . FILTER(isIRI(?d) && ?c != ?d) ?x <{RDF}type> ?c }}""",
    ]
    # Sub-properties first (they may yield rdf:type triples), then inverses, then classes: one pass over these
    # rules reaches their fixpoint as long as no rule's output feeds an earlier rule, true of the bundled
    # ontology (checked by a test). Triples that already hold elsewhere are kept out afterwards.
    for rule in rules:
        store.update(rule)
    store.update(
        f"""DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} {using.replace("USING <", "USING NAMED <")}
            WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} }}"""
    )
    return store.count(target)
