"""``/context.jsonld``: a JSON-LD 1.1 context for the ontology's terms, so a planner's JSON can say
``"periodStart": "2024"`` instead of full IRIs and typed literals."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef

HG = "https://w3id.org/helsegraf/ontology#"
PREFIXES = {
    "hg": HG, "hgid": "https://w3id.org/helsegraf/id/", "hgsh": "https://w3id.org/helsegraf/shapes#",
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL),
    "skos": "http://www.w3.org/2004/02/skos/core#", "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#", "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#", "sh": "http://www.w3.org/ns/shacl#",
}


def jsonld_context(ontology: Graph) -> dict:
    """Every ``hg:`` class and property by its local name: object properties as ``@id``, datatype properties
    with their range as ``@type``; plus ``label`` (rdfs:label, by language) and ``id``/``type``."""
    terms: dict = {"@version": 1.1, **PREFIXES, "id": "@id", "type": "@type",
                   "label": {"@id": "rdfs:label", "@container": "@language"}}
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for term in sorted(set(ontology.subjects(RDF.type, kind)), key=str):
            if not isinstance(term, URIRef) or not str(term).startswith(HG):
                continue
            name = str(term)[len(HG):]
            if kind == OWL.Class:
                terms.setdefault(name, "hg:" + name)
            elif kind == OWL.ObjectProperty:
                terms[name] = {"@id": "hg:" + name, "@type": "@id"}
            else:
                ranges = [r for r in ontology.objects(term, RDFS.range) if str(r).startswith(str(XSD))]
                terms[name] = {"@id": "hg:" + name, **({"@type": "xsd:" + str(ranges[0])[len(str(XSD)):]} if ranges else {})}
    return {"@context": terms}
