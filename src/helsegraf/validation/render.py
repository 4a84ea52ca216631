"""Rendering of a validation outcome: plain text and a JSON summary grouped by focus node, Turtle and JSON-LD.

Labels of focus nodes come from the validated data (``rdfs:label``, ``skos:prefLabel``, ``dct:title``,
``sh:name``) in the reader's language, falling back to nb, then en, then any. Both verdicts are shown and
named apart: SHACL's ``conforms`` (no result at all) and the planner's "no violations".
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from rdflib import RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from .outcome import pick_message
from .vocab import SH

if TYPE_CHECKING:
    from .outcome import ValidationOutcome, ValidationResult

LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, SH.name, FOAF.name)

#: Words of the text report in each language.
WORDS = {
    "nb": {
        "title": "Valideringsrapport", "conforms": "Samsvarer", "no_violations": "Ingen brudd", "yes": "ja",
        "no": "nei", "Violation": "Brudd", "Warning": "Advarsel", "Info": "Info", "results": "Funn",
        "path": "egenskap", "value": "verdi", "shape": "form", "none": "Ingen funn.",
    },
    "en": {
        "title": "Validation report", "conforms": "Conforms", "no_violations": "No violations", "yes": "yes",
        "no": "no", "Violation": "Violation", "Warning": "Warning", "Info": "Info", "results": "Results",
        "path": "path", "value": "value", "shape": "shape", "none": "No results.",
    },
}


def words(lang: str) -> dict[str, str]:
    """The report's vocabulary in ``lang`` (nb for anything but en)."""
    return WORDS["en"] if lang.lower().startswith("en") else WORDS["nb"]


def label_of(node, graph: Graph | None, lang: str = "nb") -> str | None:
    """The best label of ``node`` in ``graph`` for a reader of ``lang``, or None.

    >>> g = Graph()
    >>> _ = g.add((URIRef("urn:x"), RDFS.label, Literal("Levanger kommune", lang="nb")))
    >>> label_of(URIRef("urn:x"), g, "en")
    'Levanger kommune'
    """
    if graph is None or node is None or isinstance(node, Literal):
        return None
    for prop in LABEL_PROPERTIES:
        found: dict[str, str] = {}
        for lit in graph.objects(node, prop):
            if isinstance(lit, Literal):
                found.setdefault((lit.language or "").lower(), str(lit))
        for candidate in (lang, "nb", "nn", "no", "en", ""):
            if candidate in found:
                return found[candidate]
        if found:
            return next(iter(found.values()))
    return None


def short(node, graph: Graph | None = None) -> str:
    """A compact name of an RDF term (prefixed name where a prefix is bound)."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        if graph is not None:
            try:
                return graph.namespace_manager.normalizeUri(node)
            except Exception:  # noqa: BLE001 -- an IRI no prefix fits
                pass
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    return repr(str(node)) if isinstance(node, Literal) else str(node)


def grouped(results: list[ValidationResult]) -> OrderedDict:
    """Results grouped by focus node, the nodes with violations first."""
    groups: OrderedDict = OrderedDict()
    for r in results:  # results come sorted by severity, so the worst node opens the report
        groups.setdefault(r.focus_node, []).append(r)
    return groups


def message_of(result: ValidationResult, lang: str) -> str:
    """The result's message in ``lang`` (falling back as :func:`pick_message` does)."""
    return pick_message(result.messages, lang) if result.messages else result.message


def render_text(outcome: ValidationOutcome, lang: str = "nb") -> str:
    """The outcome as readable text grouped by focus node."""
    w = words(lang)
    counts = outcome.counts()
    lines = [
        f"{w['title']}",
        f"{w['conforms']}: {w['yes'] if outcome.conforms else w['no']}"
        f" ({w['Violation']}: {counts['Violation']}, {w['Warning']}: {counts['Warning']},"
        f" {w['Info']}: {counts['Info']})",
        f"{w['no_violations']}: {w['yes'] if outcome.no_violations else w['no']}",
    ]
    if not outcome.results:
        lines.append(w["none"])
    names = outcome.shapes_graph if outcome.shapes_graph is not None else outcome.report_graph
    for focus, results in grouped(outcome.results).items():
        label = label_of(focus, outcome.data_graph, lang)
        lines.append("")
        lines.append(f"{short(focus, names)}" + (f" — {label}" if label else ""))
        for r in results:
            message = message_of(r, lang) or short(r.component, names)
            lines.append(f"  [{w[r.severity]}] {message}")
            details = []
            if r.path is not None:
                details.append(f"{w['path']}: {short(r.path, names)}")
            if r.value is not None and r.value != r.focus_node:
                details.append(f"{w['value']}: {short(r.value, names)}")
            details.append(f"{w['shape']}: {short(r.source_shape, names)}")
            lines.append("      " + "; ".join(details))
    return "\n".join(lines) + "\n"


def summary(outcome: ValidationOutcome, lang: str = "nb") -> dict:
    """A plain-JSON summary: ``conforms`` (SHACL's), ``noViolations`` (the planner's verdict), engine, counts
    and the results grouped by focus node."""
    groups = []
    for focus, results in grouped(outcome.results).items():
        groups.append({
            "focusNode": str(focus),
            "label": label_of(focus, outcome.data_graph, lang),
            "results": [dict(r.to_dict(), message=message_of(r, lang)) for r in results],
        })
    return {
        "conforms": outcome.conforms,
        "noViolations": outcome.no_violations,
        "engine": outcome.engine,
        "lang": lang,
        "counts": outcome.counts(),
        "focusNodes": groups,
    }


def report_as_jsonld(outcome: ValidationOutcome) -> str:
    """The report as JSON-LD with the ``sh:`` context (and ``hgsh:`` where the report binds it)."""
    context = {"sh": str(SH)}
    bound = dict(outcome.report_graph.namespaces())
    if "hgsh" in bound:
        context["hgsh"] = str(bound["hgsh"])
    return outcome.report_graph.serialize(format="json-ld", context=context)
