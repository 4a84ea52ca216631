"""What-if validation: the findings a proposed change introduces and the ones it resolves.

The change is triples to add and triples to remove, or a filled-in template that *replaces* what the graph
says about the resources it describes. Both sides are validated on the same slice of the current graph
(the changed resources and what they point at, two hops on, as the served store asserts them), with only the changed resources as focus
nodes, so the comparison is about the change and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef

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


def store_slice(store, seeds, inferred_graph: str, *, depth: int = 2) -> Graph:
    """The asserted triples of the served store about ``seeds`` and, ``depth`` hops on, about what they
    point at (the entailments in ``inferred_graph`` are left out: a change is to what is asserted)."""
    from rdflib import BNode, Literal

    def term(t):
        if t.kind == "uri":
            return URIRef(t.value)
        if t.kind == "bnode":
            return BNode(t.value)
        plain = t.lang or t.datatype in (None, "http://www.w3.org/2001/XMLSchema#string")
        return Literal(t.value, lang=t.lang, datatype=None if plain else t.datatype)  # as rdflib parses Turtle

    out = Graph()
    frontier = {s for s in seeds if isinstance(s, URIRef)}
    seen: set = set()
    for _ in range(depth + 1):
        todo = sorted(frontier - seen)
        seen |= set(todo)
        following = set()
        for start in range(0, len(todo), 200):
            values = " ".join(f"<{s}>" for s in todo[start:start + 200])
            query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
                     f"FILTER(?g != <{inferred_graph}>) }}")
            for s, p, o in store.query(query).triples():
                triple = (term(s), term(p), term(o))
                out.add(triple)
                if isinstance(triple[2], URIRef):
                    following.add(triple[2])
        frontier = following
    return out


def _key(r) -> tuple:
    return (r.focus_node, r.path, r.source_shape, r.constraint, r.value, r.messages.get("nb", r.message))


def compare(current, added: Graph, removed: Graph, *, replace: bool, validate) -> Diff:
    """Validate the slice of the current graph the change touches before and after it. ``current(seeds)``
    returns that slice (:func:`store_slice` on the served store, or ``neighbourhood`` on a Graph);
    ``validate(data, focus)`` runs the shapes (the caller chooses engine, language, shape sets)."""
    added_set = set(added)
    subjects = {s for s in added.subjects() if isinstance(s, URIRef)} | {s for s in removed.subjects() if isinstance(s, URIRef)}
    objects = {o for o in added.objects() if isinstance(o, URIRef)}
    graph = current(subjects | objects)
    if replace:  # a template restates its resources: what the graph says beyond it goes
        subjects = {s for s in added.subjects() if isinstance(s, URIRef)}
        removed_set = {t for s in subjects for t in graph.triples((s, None, None)) if t not in added_set}
        removed_set |= set(removed)
    else:
        removed_set = set(removed)
    focus = {t[0] for t in added_set | removed_set if isinstance(t[0], URIRef)}
    before = graph
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
