"""The outcome model: the results an engine reported, read into plain objects, and the report graph kept.

Two verdicts, never mixed up:

* ``conforms`` is SHACL's ``sh:conforms``: true only when there is no result at all, of any severity;
* ``no_violations`` is the planner's verdict: no result of severity Violation (Warnings and Infos allowed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from .vocab import SH

SEVERITIES: dict[object, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass
class ValidationResult:
    """One ``sh:ValidationResult``, with the message chosen for the reader's language."""

    focus_node: object
    severity: str
    source_shape: object
    component: object
    path: object = None
    value: object = None
    constraint: object = None
    messages: dict[str, str] = field(default_factory=dict)
    message: str = ""
    node: Node | None = None  # the result's node in the report graph

    def to_dict(self) -> dict:
        """A JSON-ready dict (terms as strings: IRIs plain, literals by their lexical form)."""
        return {
            "focusNode": _term(self.focus_node),
            "resultPath": _term(self.path),
            "value": _term(self.value),
            "severity": self.severity,
            "sourceShape": _term(self.source_shape),
            "sourceConstraintComponent": _term(self.component),
            "sourceConstraint": _term(self.constraint),
            "message": self.message,
            "messages": self.messages,
        }

    def key(self) -> tuple:
        """What identifies a result across engines and runs (no messages, no report-graph node)."""
        return (_term(self.focus_node), _term(self.path), _term(self.value), self.severity,
                _term(self.source_shape), _term(self.component), _term(self.constraint))


def _term(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def pick_message(messages: dict[str, str], lang: str) -> str:
    """The message in ``lang``, else nb, else en, else any.

    >>> pick_message({"en": "missing", "nb": "mangler"}, "nn")
    'mangler'
    """
    for candidate in (lang, "nb", "no", "en", ""):
        if candidate in messages:
            return messages[candidate]
    return next(iter(messages.values()), "")


@dataclass
class ValidationOutcome:
    """What a validation found.

    ``conforms`` is SHACL's (no result of any severity); ``no_violations`` is the planner's verdict (no
    Violation), which decides the CLI's exit code and whether a write is accepted.
    """

    conforms: bool
    report_graph: Graph
    results: list[ValidationResult]
    lang: str = "nb"
    data_graph: Graph | None = None
    shapes_graph: Graph | None = None
    engine: str = "pyshacl"

    @property
    def no_violations(self) -> bool:
        """The planner's verdict: no result has severity Violation."""
        return not any(r.severity == "Violation" for r in self.results)

    def counts(self) -> dict[str, int]:
        """Number of results per severity."""
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        return counts

    def label(self, node, lang: str | None = None) -> str | None:
        """A human label of ``node`` from the validated data, in ``lang`` where there is one."""
        from .render import label_of

        return label_of(node, self.data_graph, lang or self.lang)

    def to_json(self, lang: str | None = None) -> dict:
        """A plain-JSON summary: both verdicts, counts and every result with its message in ``lang``."""
        from .render import summary

        return summary(self, lang or self.lang)

    def to_text(self, lang: str | None = None) -> str:
        """A readable report grouped by focus node (nb by default), with labels where the data give them."""
        from .render import render_text

        return render_text(self, lang or self.lang)

    def serialize(self, format: str = "turtle") -> str:
        """The ``sh:ValidationReport`` in an RDF syntax (``turtle``, ``json-ld``, ``xml``, ``nt``)."""
        return self.report_graph.serialize(format=format)


def read_results(report: Graph, shapes: Graph, lang: str, keep=None) -> list[ValidationResult]:
    """The results of an engine's report, sorted worst first; ``keep(focus)`` filters them when given."""
    results = []
    for node in report.objects(None, SH.result):
        focus_node = report.value(node, SH.focusNode)
        if keep is not None and not keep(focus_node):
            continue
        messages = _messages(report.objects(node, SH.resultMessage))
        constraint = report.value(node, SH.sourceConstraint)
        shape = report.value(node, SH.sourceShape)
        if constraint is not None and not all(messages):
            # pyshacl fills in a SPARQL constraint's {?var} and keeps one message without its language tag;
            # the shapes graph has every language, and the filled-in message tells the variables' values.
            templates = _messages(shapes.objects(constraint, SH.message))
            if templates:
                messages = _fill_templates(templates, list(messages.values()), report.value(node, SH.value),
                                           focus_node)
        if not messages:  # engines differ in copying sh:message; the shapes graph has them all
            for holder in (constraint, shape):
                if holder is not None:
                    messages = _messages(shapes.objects(holder, SH.message))
                    if messages:
                        break
        results.append(ValidationResult(
            focus_node=focus_node,
            severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
            source_shape=shape,
            component=report.value(node, SH.sourceConstraintComponent),
            path=report.value(node, SH.resultPath),
            value=report.value(node, SH.value),
            constraint=constraint,
            messages=messages,
            message=pick_message(messages, lang),
            node=node,
        ))
    results.sort(key=lambda r: (_ORDER.get(r.severity, 3), str(r.focus_node), str(r.source_shape)))
    return results


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _fill_templates(templates: dict[str, str], filled: list[str], value, focus) -> dict[str, str]:
    """Fill every language's message template with the variable values read back from an engine's message.

    >>> _fill_templates({"nb": "slutter {?end}", "en": "ends {?end}"}, ["ends 2020"], None, None)
    {'nb': 'slutter 2020', 'en': 'ends 2020'}
    """
    known = {"value": value, "this": focus}
    bindings = {k: str(v) for k, v in known.items() if v is not None}
    for template in templates.values():
        pattern, names = "", []
        last = 0
        for match in _PLACEHOLDER.finditer(template):
            pattern += re.escape(template[last:match.start()])
            name = match.group(1)
            pattern += f"(?P=v_{name})" if name in names else f"(?P<v_{name}>.*?)"
            names.append(name)
            last = match.end()
        pattern += re.escape(template[last:])
        for message in filled:
            found = re.fullmatch(pattern, message, flags=re.S)
            if found:
                bindings.update({k[2:]: v for k, v in found.groupdict().items()})
                break
    return {lang: _PLACEHOLDER.sub(lambda m: bindings.get(m.group(1), m.group(0)), template)
            for lang, template in templates.items()}


def _messages(literals) -> dict[str, str]:
    out: dict[str, str] = {}
    for lit in literals:
        language = getattr(lit, "language", None) or ""
        out.setdefault(language.lower(), str(lit))
    return out


def build_report(engine_report: Graph, results: list[ValidationResult], extra: Graph | None = None,
                 shapes_prefix: str | None = None) -> Graph:
    """A fresh report holding the kept results, each with its whole description (paths, details), and
    SHACL's ``sh:conforms`` (false as soon as there is any result). ``extra`` holds results made outside the
    engine (the vocabulary check's warnings), already described."""
    report = Graph()
    for prefix, ns in (("sh", SH), ("rdfs", RDFS), ("skos", SKOS), ("dct", DCTERMS)):
        report.bind(prefix, ns)
    if shapes_prefix:
        report.bind("hgsh", shapes_prefix)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    for result in results:
        if result.node is None:  # every result read from a report has its node; a hand-made one has none
            continue
        report.add((root, SH.result, result.node))
        source = extra if extra is not None and (result.node, None, None) in extra else engine_report
        _copy_description(source, result.node, report)
    report.add((root, SH.conforms, Literal(not results)))
    return report


def _copy_description(source: Graph, node, target: Graph, seen: set | None = None) -> None:
    seen = seen if seen is not None else set()
    if node in seen:
        return
    seen.add(node)
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_description(source, o, target, seen)
