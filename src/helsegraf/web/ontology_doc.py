"""Documentation of the hg: ontology, generated from the ontology graph at request time.

Every term under ``{base}ontology#`` that an ontology graph (``{base}graph/ontology...``) types is listed with
its nb/en labels and definitions, its place in the class or property hierarchy, domain and range.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..namespaces import DCT, OWL, RDF, RDFS, SKOS, graph_base
from ..store import Term
from . import current_store
from .linked_data import labels_of, local_href, pick_literal, prefixes, short_iri

KIND_ORDER = [
    ("classes", {OWL + "Class", RDFS + "Class"}),
    ("object_properties", {OWL + "ObjectProperty"}),
    ("datatype_properties", {OWL + "DatatypeProperty"}),
    ("individuals", {OWL + "NamedIndividual"}),
]


@dataclass
class Link:
    text: str
    href: str


@dataclass
class TermDoc:
    """One term of the ontology, as the documentation shows it."""

    iri: str
    local: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    parents: list[Link] = field(default_factory=list)
    children: list[Link] = field(default_factory=list)
    domain: list[Link] = field(default_factory=list)
    range: list[Link] = field(default_factory=list)
    types: list[Link] = field(default_factory=list)
    comment: str | None = None


def ontology_graphs(base: str) -> list[str]:
    """The named graphs loaded from ``ontology/`` (the store lists its graphs without reading their triples)."""
    prefix = graph_base(base) + "ontology"
    return sorted(g for g in current_store().graphs() if g.startswith(prefix))


def graphs_union(graphs: list[str], pattern: str) -> str:
    """``{ GRAPH <a> { pattern } } UNION { GRAPH <b> { pattern } } …`` (a pattern that matches nothing if none)."""
    if not graphs:
        return "FILTER(false)"
    return " UNION ".join(f"{{ GRAPH <{g}> {{ {pattern} }} }}" for g in graphs)


def build_ontology_doc(base: str, lang: str) -> dict:
    """Read the ontology graphs and arrange the terms for ``ontology.html``."""
    namespace = base + "ontology#"
    # Name the ontology graphs first: a filter on ?g over every quad reads the whole national graph (8 s at 1M).
    rows = current_store().query(
        f"SELECT ?s ?p ?o WHERE {{ {graphs_union(ontology_graphs(base), '?s ?p ?o')} "
        f"FILTER(STRSTARTS(STR(?s), \"{namespace}\") || ?s = <{base}ontology>) }}").rows()
    facts: dict[str, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        facts[row["s"].value][row["p"].value].append(row["o"])
    header = facts.pop(base + "ontology", {})
    linked = [o.value for props in facts.values() for p in (RDFS + "subClassOf", RDFS + "subPropertyOf",
              RDFS + "domain", RDFS + "range", RDF + "type") for o in props.get(p, []) if o.kind == "uri"]
    labels = labels_of(linked + list(facts), lang)
    pfx = prefixes()

    def link(term: Term) -> Link | None:
        if term.kind != "uri":
            return None
        label = labels.get(term.value)
        text = short_iri(term.value, pfx)
        if label and term.value.startswith(namespace):
            text = f"{label.value} ({text})"
        return Link(text, local_href(term.value, base))

    terms: dict[str, TermDoc] = {}
    for iri, props in facts.items():
        types = {t.value for t in props.get(RDF + "type", [])}
        kind = next((name for name, accepted in KIND_ORDER if types & accepted), "other_terms")
        if not types:
            continue  # only statements about a term defined elsewhere
        doc = TermDoc(iri, iri[len(namespace):], kind)
        for term in props.get(RDFS + "label", []) + props.get(SKOS + "prefLabel", []):
            doc.labels.setdefault(term.lang or "", term.value)
        for term in props.get(SKOS + "definition", []):
            doc.definitions.setdefault(term.lang or "", term.value)
        comment = pick_literal(props.get(RDFS + "comment", []), lang)
        doc.comment = comment.value if comment else None
        doc.parents = [x for x in map(link, props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", [])) if x]
        doc.domain = [x for x in map(link, props.get(RDFS + "domain", [])) if x]
        doc.range = [x for x in map(link, props.get(RDFS + "range", [])) if x]
        doc.types = [x for x in map(link, props.get(RDF + "type", [])) if x]
        terms[iri] = doc
    for iri, props in facts.items():
        for parent in props.get(RDFS + "subClassOf", []) + props.get(RDFS + "subPropertyOf", []):
            if parent.value in terms and iri in terms:
                terms[parent.value].children.append(Link(terms[iri].local, "#" + terms[iri].local))
    sections = []
    for name, _ in KIND_ORDER + [("other_terms", set())]:
        members = sorted((t for t in terms.values() if t.kind == name), key=lambda t: t.local.lower())
        if members:
            sections.append((name, members))
    title = pick_literal(header.get(DCT + "title", []), lang)
    description = pick_literal(header.get(DCT + "description", []), lang)
    version = header.get(OWL + "versionInfo", [])
    licence = header.get(DCT + "license", [])
    return {
        "iri": base + "ontology",
        "namespace": namespace,
        "title": title.value if title else "hg:",
        "description": description.value if description else "",
        "version": version[0].value if version else "",
        "licence": licence[0].value if licence else "",
        "sections": sections,
        "count": len(terms),
    }
