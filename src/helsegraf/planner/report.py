"""The report a planner reads: findings grouped by plan element, in words, pointing back to cells.

Built from a :class:`helsegraf.validation.ValidationOutcome` (and the :class:`.convert.Conversion` when the
data came from the template or the form): every result is placed under its plan element (the plan, each
goal, strategy, measure, project), named by label (never a blank-node id or an IRI), with the sheet, row
and column it came from, the shape's one-line fix (``hgsh:fixHint``) and its legal source
(``hgsh:legalSource``: a section of a law with its Lovdata ELI link, or ``hgsh:NoLegalSource``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SKOS

from .convert import Conversion, Finding

SH = Namespace("http://www.w3.org/ns/shacl#")
HG = Namespace("https://w3id.org/helsegraf/ontology#")
HGSH = Namespace("https://w3id.org/helsegraf/shapes#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

LANGS = ("nb", "nn", "en")
#: Order of the element kinds in the report, and their names.
KINDS = {
    "plan": {"nb": "Plan", "nn": "Plan", "en": "Plan"},
    "goal": {"nb": "Mål", "nn": "Mål", "en": "Goal"},
    "strategy": {"nb": "Strategi", "nn": "Strategi", "en": "Strategy"},
    "measure": {"nb": "Tiltak", "nn": "Tiltak", "en": "Measure"},
    "project": {"nb": "Byggeprosjekt", "nn": "Byggjeprosjekt", "en": "Building project"},
    "concept": {"nb": "Tjenestekonsept", "nn": "Tenestekonsept", "en": "Service concept"},
    "other": {"nb": "Annet", "nn": "Anna", "en": "Other"},
    "sheet": {"nb": "Regnearket", "nn": "Reknearket", "en": "The spreadsheet"},
}
CLASS_KIND = {HG.Plan: "plan", HG.Goal: "goal", HG.Strategy: "strategy", HG.Measure: "measure",
              HG.BuildingProject: "project", HG.ServiceConcept: "concept"}


@dataclass
class Item:
    """One finding in the planner's words."""

    severity: str
    message: str
    property: str = ""
    value: str = ""
    cell: dict | None = None
    fix: str = ""
    legal: dict | None = None
    rule: str = ""
    rule_anchor: str = ""
    source: str = "shapes"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return dict(self.__dict__)


@dataclass
class Group:
    """A plan element and its findings."""

    kind: str
    kind_label: str
    label: str
    iri: str | None
    href: str | None
    cell: dict | None
    items: list[Item] = field(default_factory=list)

    def worst(self) -> str:
        """The most severe finding's severity."""
        for severity in ("Violation", "Warning", "Info"):
            if any(i.severity == severity for i in self.items):
                return severity
        return "Info"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"kind": self.kind, "kindLabel": self.kind_label, "label": self.label, "iri": self.iri,
                "href": self.href, "cell": self.cell, "worst": self.worst(),
                "results": [i.to_dict() for i in self.items]}


@dataclass
class PlannerReport:
    """The planner's verdict (no Violation, the template's own findings included), counts and the findings."""

    no_violations: bool
    counts: dict[str, int]
    groups: list[Group]
    lang: str

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"noViolations": self.no_violations, "counts": self.counts, "lang": self.lang,
                "elements": [g.to_dict() for g in self.groups]}


def pick(graph: Graph | None, node, prop, lang: str) -> str:
    """The literal of ``node prop`` in ``lang`` (nn falls back to nb, then en, then any)."""
    if graph is None or node is None:
        return ""
    found = {(lit.language or "").lower(): str(lit) for lit in graph.objects(node, prop) if isinstance(lit, Literal)}
    for candidate in (lang, "nb" if lang == "nn" else "", "nb", "en", ""):
        if candidate in found:
            return found[candidate]
    return next(iter(found.values()), "")


def label(node, graphs: list[Graph], lang: str) -> str:
    """A readable name of an RDF term: its label in the first graph that has one, else its IRI's last part."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    for g in graphs:
        if g is None:
            continue
        for prop in (SKOS.prefLabel, RDFS.label, SH.name):
            text = pick(g, node, prop, lang)
            if text:
                return text
    if isinstance(node, BNode):
        return ""
    return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def path_label(path, shapes: Graph, graphs: list[Graph], lang: str) -> str:
    """A property path in words: ``periode fra eller periode til`` for an alternative path."""
    if path is None:
        return ""
    if isinstance(path, BNode):
        alternatives = shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            word = {"en": " or "}.get(lang, " eller ")
            return word.join(label(p, graphs, lang) for p in Collection(shapes, alternatives))
        inverse = shapes.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + label(inverse, graphs, lang)
        return ""
    return label(path, graphs, lang)


def _annotation(shapes: Graph, nodes, prop):
    """The first of ``nodes`` (constraint, then shape, then the node shape that holds it) that has ``prop``."""
    for node in nodes:
        if node is not None and (node, prop, None) in shapes:
            return node
    return None


def _parents(shapes: Graph, shape) -> list:
    return list(shapes.subjects(SH.property, shape)) if shape is not None else []


def legal_source(shapes: Graph, nodes, context: Graph, lang: str) -> dict | None:
    """The rule's legal source: label and Lovdata link, or ``{"none": True, "label": …}``."""
    holder = _annotation(shapes, nodes, HGSH.legalSource)
    if holder is None:
        return None
    source = shapes.value(holder, HGSH.legalSource)
    if source == HGSH.NoLegalSource:
        note = pick(shapes, holder, HGSH.legalSourceNote, lang)
        return {"none": True, "label": pick(shapes, HGSH.NoLegalSource, RDFS.label, lang) or "—", "note": note}
    graphs = [context, shapes]
    link = context.value(source, RDFS.seeAlso)
    law = context.value(source, ELI.is_part_of)
    if link is None and law is not None:
        link = context.value(law, RDFS.seeAlso)
    return {"none": False, "iri": str(source), "label": label(source, graphs, lang),
            "href": str(link) if link is not None else None,
            "note": pick(shapes, holder, HGSH.legalSourceNote, lang)}


def build(outcome, conversion: Conversion | None, context: Graph, lang: str, base: str) -> PlannerReport:
    """Group ``outcome``'s results (and the conversion's findings) by plan element."""
    shapes = outcome.shapes_graph if outcome.shapes_graph is not None else Graph()
    data = conversion.graph if conversion is not None else outcome.data_graph
    graphs = [data, outcome.data_graph, context, shapes]
    groups: dict[object, Group] = {}

    def group(node) -> Group:
        key = node if node is not None else "sheet"
        if key not in groups:
            kind = _kind(node, conversion, outcome.data_graph)
            cell = conversion.rows.get(node) if conversion is not None and node is not None else None
            iri = str(node) if isinstance(node, URIRef) else None
            groups[key] = Group(kind, KINDS[kind].get(lang, KINDS[kind]["nb"]),
                                label(node, graphs, lang) if node is not None else KINDS["sheet"][lang],
                                iri, local_link(iri, base), cell.to_dict() if cell else None)
        return groups[key]

    for r in outcome.results:
        nodes = [r.constraint, r.source_shape, *_parents(shapes, r.source_shape)]
        fix_holder = _annotation(shapes, nodes, HGSH.fixHint)
        cell = conversion.cell_of(r.focus_node, r.path) if conversion is not None and r.path is not None else None
        if cell is None and conversion is not None:
            query = shapes.value(r.constraint, SH.select) if r.constraint is not None else None
            cell = conversion.cell_of_query(r.focus_node, str(query or ""))
        rule = r.source_shape
        message = r.messages.get(lang) or r.messages.get("nb") or r.message if r.messages else r.message
        group(r.focus_node).items.append(Item(
            severity=r.severity, message=plain(message, graphs, lang), property=path_label(r.path, shapes, graphs, lang),
            value=label(r.value, graphs, lang) if r.value is not None and r.value != r.focus_node else "",
            cell=cell.to_dict() if cell else None,
            fix=pick(shapes, fix_holder, HGSH.fixHint, lang) if fix_holder is not None else "",
            legal=legal_source(shapes, nodes, context, lang),
            rule=label(rule, [shapes], lang) or "", rule_anchor=_anchor(rule)))
    for f in (conversion.findings if conversion is not None else []):
        group(f.subject).items.append(_finding_item(f, lang))
    order = list(KINDS)
    ordered = sorted(groups.values(), key=lambda g: (order.index(g.kind), g.cell["row"] if g.cell else 0, g.label))
    counts = {"Violation": 0, "Warning": 0, "Info": 0}
    for g in ordered:
        for i in g.items:
            counts[i.severity] = counts.get(i.severity, 0) + 1
    return PlannerReport(counts["Violation"] == 0, counts, ordered, lang)


def plain(message: str, graphs: list[Graph], lang: str) -> str:
    """A shape's message without the developer's asides: ``(hg:servesStrategy en hg:Strategy)`` goes, a
    remaining ``hg:term`` becomes its label, ``true``/``false`` become ja/nei."""
    text = re.sub(r" ?\((?=[^()]*\b(?:hg|xsd|dct|org|prov):)[^()]*\)", "", message)
    text = re.sub(r"\bhg:([A-Za-z]+)", lambda m: "«" + (label(HG[m.group(1)], graphs, lang) or m.group(1)) + "»", text)
    yes, no = ("yes", "no") if lang == "en" else ("ja", "nei")
    return re.sub(r"\b(true|false)\b", lambda m: yes if m.group(1) == "true" else no, text)


def _finding_item(f: Finding, lang: str) -> Item:
    return Item(severity=f.severity, message=f.message.get(lang, f.message["nb"]), value=f.value,
                property=f.cell.header, cell=f.cell.to_dict(), fix=f.hint.get(lang, f.hint["nb"]),
                legal=None, rule={"nb": "Malen", "nn": "Malen", "en": "The template"}[lang], source="template")


def _kind(node, conversion: Conversion | None, data: Graph | None) -> str:
    if node is None:
        return "sheet"
    if conversion is not None and node in conversion.elements:
        return conversion.elements[node]
    if data is not None:
        types = set(data.objects(node, RDF.type))
        for cls, kind in CLASS_KIND.items():
            if cls in types:
                return kind
        for t in types:  # a kind of plan (kommunedelplan, temaplan …)
            if (t, RDFS.subClassOf, HG.Plan) in data:
                return "plan"
    return "other"


def _anchor(shape) -> str:
    text = str(shape) if isinstance(shape, URIRef) else ""
    return text.split("#", 1)[1] if text.startswith(str(HGSH)) else ""


def local_link(iri: str | None, base: str) -> str | None:
    """A resource of this graph links to its page on this site; others to nothing (the report stays inside)."""
    if iri and iri.startswith(base):
        return "/" + iri[len(base):]
    return None


def report_graph(outcome, conversion: Conversion | None) -> Graph:
    """The ``sh:ValidationReport`` with the template's own findings added as results (source shape
    ``hgsh:PlannerTemplate``, the cell in ``rdfs:comment``), and ``sh:conforms`` counting them."""
    graph = Graph()
    graph += outcome.report_graph
    for prefix, ns in outcome.report_graph.namespaces():
        graph.bind(prefix, ns)
    if conversion is None or not conversion.findings:
        return graph
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    for f in conversion.findings:
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultSeverity, SH[f.severity]))
        graph.add((result, SH.sourceShape, HGSH.PlannerTemplate))
        graph.add((result, SH.focusNode, f.subject if f.subject is not None else Literal(f.cell.sheet)))
        if f.value:
            graph.add((result, SH.value, Literal(f.value)))
        for lang, text in f.message.items():
            graph.add((result, SH.resultMessage, Literal(text, lang=lang)))
        cell = f"{f.cell.sheet}!{f.cell.column}{f.cell.row}" if f.cell.column else f"{f.cell.sheet}!{f.cell.row}"
        graph.add((result, RDFS.comment, Literal(cell)))
    if any(f.severity == "Violation" for f in conversion.findings):
        graph.set((report, SH.conforms, Literal(False)))
    return graph
