"""The vocabulary check: classes and properties of the project's namespace that the ontology does not define.

SHACL cannot see a misspelt term (``hg:Plann`` is simply a class no shape targets), so an upload full of typos
would conform. Every ``hg:`` term used as a predicate or as a class (object of ``rdf:type``) that the ontology
does not define is reported as a Warning, with the closest defined term of the same kind ("mente du hg:Plan?").
The results are ordinary ``sh:ValidationResult``s, so they appear in every report format.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from ..namespaces import DEFAULT_BASE
from .vocab import SH, ontology_ns, shapes_ns

_CLASS_TYPES = (OWL.Class, RDFS.Class)
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                   OWL.FunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty)


@lru_cache(maxsize=4)
def _defined(ontology: Graph, namespace: str) -> tuple[frozenset, frozenset, frozenset]:
    """(classes, properties, every defined term) of ``namespace`` in ``ontology``."""
    def typed(kinds):
        return frozenset(s for kind in kinds for s in ontology.subjects(RDF.type, kind)
                         if isinstance(s, URIRef) and str(s).startswith(namespace))
    every = frozenset(s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(namespace))
    return typed(_CLASS_TYPES), typed(_PROPERTY_TYPES), every


def defined_terms(ontology: Graph, namespace: str) -> frozenset[str]:
    """Every term of ``namespace`` that ``ontology`` says something about, as IRI strings."""
    return frozenset(str(t) for t in _defined(ontology, namespace)[2])


def undefined_terms(data: Graph, ontology: Graph, *, base: str = DEFAULT_BASE, keep=None) -> Graph:
    """Warnings, as a report fragment (results not yet attached to a report), for undefined ``hg:`` terms.

    :param ontology: the graph that defines the terms (the bundled ontology, with ``rdf:type``s and labels).
    :param keep: ``keep(focus)`` says whether a result on that focus node is wanted.
    """
    namespace = str(ontology_ns(base))
    classes, properties, every = _defined(ontology, namespace)
    out = Graph()
    if not every:  # no ontology of this namespace at hand: nothing to compare with
        return out
    uses: dict[tuple, str] = {}
    for p in set(data.predicates()):
        if str(p).startswith(namespace) and p not in every:
            for s in data.subjects(p, None):
                uses.setdefault((s, p, p), "property")
    for s, o in data.subject_objects(RDF.type):
        if isinstance(o, URIRef) and str(o).startswith(namespace) and o not in every:
            uses.setdefault((s, RDF.type, o), "class")
    shape = shapes_ns(base)["DefinedTermsCheck"]
    component = shapes_ns(base)["DefinedTermConstraintComponent"]
    for (focus, path, term), kind in sorted(uses.items(), key=lambda item: tuple(map(str, item[0]))):
        if keep is not None and not keep(focus):
            continue
        closest = _closest(term, classes if kind == "class" else properties, every, namespace)
        node = BNode()
        out.add((node, RDF.type, SH.ValidationResult))
        out.add((node, SH.focusNode, focus))
        out.add((node, SH.resultPath, path))
        out.add((node, SH.value, term))
        out.add((node, SH.resultSeverity, SH.Warning))
        out.add((node, SH.sourceShape, shape))
        out.add((node, SH.sourceConstraintComponent, component))
        for lang, text in _messages(term, closest, kind, namespace).items():
            out.add((node, SH.resultMessage, Literal(text, lang=lang)))
    return out


def _closest(term: URIRef, same_kind: frozenset, every: frozenset, namespace: str) -> URIRef | None:
    name = str(term)[len(namespace):]
    for pool in (same_kind, every):
        names = {str(t)[len(namespace):]: t for t in pool}
        match = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
        if match:
            return names[match[0]]
    return None


def _messages(term: URIRef, closest: URIRef | None, kind: str, namespace: str) -> dict[str, str]:
    name = "hg:" + str(term)[len(namespace):]
    what_nb, what_en = ("klassen", "class") if kind == "class" else ("egenskapen", "property")
    nb = f"{name} er ikke definert i ontologien ({what_nb} finnes ikke)."
    en = f"{name} is not defined in the ontology (no such {what_en})."
    if closest is not None:
        suggestion = "hg:" + str(closest)[len(namespace):]
        nb += f" Mente du {suggestion}?"
        en += f" Did you mean {suggestion}?"
    return {"nb": nb, "en": en}
