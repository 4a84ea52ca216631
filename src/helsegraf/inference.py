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

_SUBCLASS = f"<{RDFS}subClassOf>|<{OWL}equivalentClass>|^<{OWL}equivalentClass>"
_SUBPROPERTY = f"<{RDFS}subPropertyOf>|<{OWL}equivalentProperty>|^<{OWL}equivalentProperty>"


def materialise(store: Store, base: str) -> int:
    """Recompute the inferred graph from the other graphs; return its size.

    The hierarchy closures (sub-property, sub-class and inverse pairs) are computed first and bound with
    VALUES: joining an unbound property path with ``?s ?p ?o`` over a dataset of many graphs takes time that
    grows with graphs x data (it did not finish with the 378 graphs of the national benchmark graph; bound, the
    same entailments take seconds, docs/benchmarks.md).
    """
    target = inferred_graph(base)
    graphs = [g for g in store.graphs() if g != target]
    if not graphs:
        store.update(f"DROP SILENT GRAPH <{target}>", graphs={target})
        return 0
    # An update's WHERE sees the store's own default graph, not the union: USING names every graph instead.
    using = " ".join(f"USING <{g}>" for g in graphs)

    def pairs(query: str, a: str, b: str) -> str:
        # Read from the asserted graphs only: the old inferred graph must not feed the new one.
        return " ".join(f"(<{r[a].value}> <{r[b].value}>)" for r in store.query(query, default_graphs=graphs).rows())

    def closure(edge: str) -> str:
        # The direct edges come from the store and the transitive closure is taken here: some engines
        # (Virtuoso) refuse a `+` path with neither end bound.
        direct: dict[str, set[str]] = {}
        edges = store.query(f"SELECT DISTINCT ?a ?b WHERE {{ ?a {edge} ?b FILTER(isIRI(?a) && isIRI(?b)) }}",
                            default_graphs=graphs)
        for row in edges.rows():
            direct.setdefault(row["a"].value, set()).add(row["b"].value)
        found = []
        for start in sorted(direct):
            seen, todo = set(), list(direct[start])
            while todo:
                node = todo.pop()
                if node not in seen:
                    seen.add(node)
                    todo.extend(direct.get(node, ()))
            found.extend(f"(<{start}> <{end}>)" for end in sorted(seen - {start}))
        return " ".join(found)

    # The hierarchy closures are read from the data as they are, then every rule runs in one update (one
    # transaction: a reader never sees the inferred graph half rebuilt). Sub-properties first (they may yield
    # rdf:type triples that the class rule reads in the same request), then inverses, then classes.
    sub_properties, sub_classes = closure(_SUBPROPERTY), closure(_SUBCLASS)
    inverses = pairs(f"SELECT DISTINCT ?p ?q WHERE {{ {{ ?p <{OWL}inverseOf> ?q }} UNION {{ ?q <{OWL}inverseOf> ?p }}"
                     " FILTER(isIRI(?p) && isIRI(?q)) }", "p", "q")
    operations = [f"DROP SILENT GRAPH <{target}>"]
    if sub_properties:
        operations.append(f"""INSERT {{ GRAPH <{target}> {{ ?s ?q ?o }} }} {using}
                              WHERE {{ VALUES (?p ?q) {{ {sub_properties} }} ?s ?p ?o }}""")
    if inverses:
        operations.append(f"""INSERT {{ GRAPH <{target}> {{ ?o ?q ?s }} }} {using}
                              WHERE {{ VALUES (?p ?q) {{ {inverses} }} ?s ?p ?o FILTER(!isLiteral(?o)) }}""")
    if sub_classes:
        operations.append(f"""INSERT {{ GRAPH <{target}> {{ ?x <{RDF}type> ?d }} }} {using}
                              WHERE {{ VALUES (?c ?d) {{ {sub_classes} }} ?x <{RDF}type> ?c }}""")
    # Triples that already hold in another graph are kept out of the inferred one.
    operations.append(
        f"""DELETE {{ GRAPH <{target}> {{ ?s ?p ?o }} }} {using.replace("USING <", "USING NAMED <")}
            WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} }}""")
    store.update(" ;\n".join(operations), graphs={target})
    return store.count(target)


#: The predicates of the schema triples the rules read (the hierarchy edges).
_SCHEMA = [f"{RDFS}subClassOf", f"{RDFS}subPropertyOf", f"{OWL}inverseOf", f"{OWL}equivalentClass",
           f"{OWL}equivalentProperty", f"{RDF}type"]


def may_change_entailments(store: Store, graphs: set[str | None] | None, base: str) -> bool:
    """Whether a write to ``graphs`` can change the inferred graph: some of them holds a triple that a rule reads
    or writes (a type, a hierarchy edge, or a property that has a super-property, a sub-property or an inverse).

    Asked before and after a write: when neither state of the written graphs holds such a triple, the entailments
    stay as they are, and a write of unrelated data costs no re-materialisation (which reads every graph).
    ``None`` (unknown graphs) or the default graph among them: assume it can.
    """
    if graphs is None or None in graphs:
        return True
    named = sorted(g for g in graphs if g is not None and g != inferred_graph(base))
    if not named:
        return False
    edges = store.query(f"SELECT DISTINCT ?a ?b WHERE {{ ?a <{RDFS}subPropertyOf>|<{OWL}inverseOf>|"
                        f"<{OWL}equivalentProperty> ?b FILTER(isIRI(?a) && isIRI(?b)) }}")
    predicates = set(_SCHEMA)
    for row in edges.rows():
        predicates |= {row["a"].value, row["b"].value}
    values = " ".join(f"<{p}>" for p in sorted(predicates))
    in_graphs = " ".join(f"<{g}>" for g in named)
    return store.query(f"ASK {{ VALUES ?g {{ {in_graphs} }} VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}").boolean
