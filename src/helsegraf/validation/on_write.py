"""Validate-on-write: which violations would a write introduce? On the embedded store or a remote one.

The write is tried first: on the embedded store on a copy of the store (:func:`helsegraf.store.writes.trial`);
on a remote store (Virtuoso, Oxigraph server) on a local copy of the graphs the update can change, fetched over
SPARQL through the :class:`~helsegraf.store.Store` interface (:func:`remote_trial`). The nodes whose triples the
update changes — and, where a type changed, the nodes that point at them — are then validated in their state
before and after; only violations that are new after the write refuse it.

On a remote store the update is evaluated against the touched graphs alone (what ``INSERT DATA``, ``DELETE
DATA``, a Graph Store PUT or ``DROP`` need); an update whose ``WHERE`` reads other graphs sees them empty in the
trial. Triples of a remote store's own default graph (outside every named graph) are not read: helsegraf keeps
its data in named graphs, and Virtuoso has no separate default graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

from ..store import Store
from ..store.embedded import EmbeddedStore
from ..store.writes import Delta, describe_nodes
from .outcome import ValidationOutcome
from .validator import validate

_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Nodes per ``VALUES`` block sent to a remote store (Virtuoso refuses very long queries).
_BATCH = 200


def new_violations(store: Store, update: str, graphs: set[str | None] | None, settings,
                   base_iri: str | None = None) -> ValidationOutcome | None:
    """The outcome after the write when it introduces a Violation on a node it touches, else ``None``.

    :param base_iri: the IRI relative IRIs of the update resolve against (the request's).
    """
    delta = trial(store, update, graphs, base_iri)
    focus = {rdflib.URIRef(n[1:-1]) for n in delta.focus if n.startswith("<")}
    if not delta.changed or not focus:
        return None
    options = dict(focus=focus, root=settings.data_root, engine=settings.shacl_engine, base=settings.base)
    outcome = validate(rdflib.Graph().parse(data=delta.after, format="nt"), **options)
    new = violations(outcome)
    if new:
        new -= violations(validate(rdflib.Graph().parse(data=delta.before, format="nt"), **options))
    return outcome if new else None


def violations(outcome: ValidationOutcome) -> set[tuple]:
    """The outcome's Violations, each identified without its message."""
    return {r.key() for r in outcome.results if r.severity == "Violation"}


def trial(store: Store, update: str, graphs: set[str | None] | None, base_iri: str | None = None) -> Delta:
    """What ``update`` would change, with the touched nodes' descriptions before and after; nothing is written."""
    if isinstance(getattr(store, "primary", store), EmbeddedStore):
        from ..store.writes import trial as embedded_trial

        return embedded_trial(store, update, graphs, base_iri)
    return remote_trial(store, update, graphs, base_iri)


def remote_trial(store: Store, update: str, graphs: set[str | None] | None, base_iri: str | None = None) -> Delta:
    """:func:`trial` for a store reached over SPARQL.

    :raises SyntaxError: when the update does not parse (pyoxigraph's parser, as the embedded trial).
    """
    names = sorted(g for g in (graphs if graphs is not None else store.graphs()) if g is not None)
    before = ox.Store()
    before.extend(_fetch(store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } }",
                         [f"<{g}>" for g in names]))
    after = ox.Store()
    after.extend(before.quads_for_pattern(None, None, None, None))
    try:
        after.update(update, base_iri=base_iri)
    except (SyntaxError, RuntimeError) as raised:
        raise type(raised)(str(raised)) from None
    old, new = set(before.quads_for_pattern(None, None, None, None)), set(after.quads_for_pattern(None, None, None,
                                                                                                  None))
    delta = Delta(added=list(new - old), removed=list(old - new))
    touched = {q.subject for q in delta.added + delta.removed}
    retyped = {q.subject for q in delta.added + delta.removed if q.predicate == _RDF_TYPE}
    # A node whose type changed can break a class constraint of the nodes that point at it.
    pointing = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?o { %s } }"
    touched |= {q.subject for q in _fetch(store, pointing, _iris(retyped))}
    touched |= {q.subject for q in new | old if q.object in retyped}
    # The rest of the touched nodes' descriptions, from the graphs the update does not change.
    around = _describe_remote(store, touched, set(names))
    before.extend(around)
    after.extend(around)
    delta.before, delta.after = describe_nodes(before, touched), describe_nodes(after, touched)
    delta.focus = {str(node) for node in touched}
    return delta


def _describe_remote(store: Store, nodes: set, skip_graphs: set[str]) -> list:
    """Quads about ``nodes`` and the types of what they point at, from every named graph but ``skip_graphs``."""
    about = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?s { %s } }"
    quads = [q for q in _fetch(store, about, _iris(nodes)) if q.graph_name.value not in skip_graphs]
    objects = _iris({q.object for q in quads})
    quads += [q for q in _fetch(store, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                                       f"VALUES ?p {{ <{_RDF_TYPE.value}> }} " "VALUES ?s { %s } }", objects)
              if q.graph_name.value not in skip_graphs]
    return quads


def _iris(nodes) -> list[str]:
    """The IRIs among ``nodes`` in SPARQL syntax, sorted (blank nodes cannot be named in a query)."""
    return sorted(str(n) for n in nodes if isinstance(n, ox.NamedNode))


def _fetch(store: Store, template: str, values: Iterable[str]) -> list:
    """Run a ``SELECT ?g ?s ?p ?o`` with the ``%s`` filled by batches of ``values``; the rows as quads."""
    values = list(values)
    quads: list = []
    for start in range(0, len(values), _BATCH):
        batch = " ".join(values[start:start + _BATCH])
        lines = []
        for row in store.query(template % batch).rows():
            if row.get("o") is None or row.get("g") is None:
                continue
            lines.append(f"{row['s'].n3()} {row['p'].n3()} {row['o'].n3()} {row['g'].n3()} .")
        if lines:
            quads += ox.parse("\n".join(lines), format=ox.RdfFormat.N_QUADS)
    return quads


