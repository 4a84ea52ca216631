"""What-if validation: the findings a proposed change introduces and the ones it resolves.

The change is triples to add and triples to remove, or a filled-in template that *replaces* what the graph
says about the resources it describes. Both sides are validated on the same slice of the current graph
(the changed resources and what they point at, two hops on), with only the changed resources as focus
nodes, so the comparison is about the change and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

from helsegraf.validation import neighbourhood

from .report import label, local_link


@dataclass
class Diff:
    """Findings only after the change (introduced), only before (resolved), on both sides (kept)."""

    introduced: list
    resolved: list
    kept: list
    added: int
    removed: int
    focus: set


def _key(r) -> tuple:
    return (r.focus_node, r.path, r.source_shape, r.constraint, r.value, r.messages.get("nb", r.message))


def compare(graph: Graph, added: Graph, removed: Graph, *, replace: bool, validate) -> Diff:
    """Validate the slice of ``graph`` the change touches before and after it; ``validate(data, focus)``
    runs the shapes (the caller chooses engine, language, shape sets)."""
    added_set = set(added)
    if replace:  # a template restates its resources: what the graph says beyond it goes
        subjects = {s for s in added.subjects() if isinstance(s, URIRef)}
        removed_set = {t for s in subjects for t in graph.triples((s, None, None)) if t not in added_set}
        removed_set |= set(removed)
    else:
        removed_set = set(removed)
    focus = {t[0] for t in added_set | removed_set if isinstance(t[0], URIRef)}
    before = neighbourhood(focus | {t[2] for t in added_set if isinstance(t[2], URIRef)}, graph)
    after = Graph()
    for t in before:
        if t not in removed_set:
            after.add(t)
    for t in added_set:
        after.add(t)
    old = {_key(r): r for r in validate(before, focus).results}
    new = {_key(r): r for r in validate(after, focus).results}
    return Diff([new[k] for k in new if k not in old], [old[k] for k in old if k not in new],
                [new[k] for k in new if k in old], len(added_set - set(graph)), len(removed_set & set(graph)), focus)


def to_dict(diff: Diff, graph: Graph, lang: str, base: str) -> dict:
    """JSON-ready form with labels, messages in ``lang`` and links inside the site."""
    def item(r) -> dict:
        message = r.messages.get(lang) or r.messages.get("nb") or r.message if r.messages else r.message
        return {"severity": r.severity, "focusNode": str(r.focus_node), "label": label(r.focus_node, [graph], lang),
                "href": local_link(str(r.focus_node), base), "message": message,
                "sourceShape": str(r.source_shape)}

    def count(items, severity="Violation") -> int:
        return sum(1 for r in items if r.severity == severity)

    return {"introduced": [item(r) for r in diff.introduced], "resolved": [item(r) for r in diff.resolved],
            "unchanged": [item(r) for r in diff.kept], "triplesAdded": diff.added, "triplesRemoved": diff.removed,
            "violationsIntroduced": count(diff.introduced), "violationsResolved": count(diff.resolved),
            "stored": False}
