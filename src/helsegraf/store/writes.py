"""Engine-side helpers of the write path: RDF bodies as one SPARQL update, and trial runs of an update.

Every write becomes *one* SPARQL update, because pyoxigraph runs one ``update()`` as one transaction: a Graph
Store PUT is ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`` and is therefore all-or-nothing, also
when the process is killed in the middle (RocksDB commits the transaction's write batch atomically).

A *trial* runs an update on a copy of the store (a RocksDB checkpoint — hard links, tens of milliseconds — for
an on-disk store; a full copy for an in-memory one) and returns what it changed, graph by graph, only over the
graphs the update can touch. Validate-on-write uses it to look at the result of a write before committing it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import BadSyntax
from . import Store, StoreError
from .embedded import _RDF_FORMATS, EmbeddedStore


class BodyError(BadSyntax):
    """An RDF body that does not parse, or does not fit the target (e.g. named graphs in a single-graph PUT)."""


def parse_body(body: bytes, fmt: str, base_iri: str | None = None) -> list:
    """Parse an RDF body with the engine's parser; returns pyoxigraph quads (default graph for triple formats).

    :raises BodyError: with the parser's message.
    """
    try:
        return list(ox.parse(body, format=_RDF_FORMATS[fmt], base_iri=base_iri))
    except (SyntaxError, ValueError) as error:
        raise BodyError(f"the {fmt} body does not parse: {error}") from None


def insert_data(quads: list, target: str | None, *, default_target: bool = False) -> tuple[str, set[str | None]]:
    """The ``INSERT DATA`` operation that adds ``quads`` and the graphs it writes (``None``: the default graph).

    With ``target`` (a graph IRI) or ``default_target`` every triple goes there and the body must not name
    graphs; without either, quads keep their own graphs (a TriG/N-Quads body).
    """
    by_graph: dict[str | None, list[str]] = {}
    for quad in quads:
        if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
            raise BodyError("RDF-star triple terms are not accepted in writes")
        named = not isinstance(quad.graph_name, ox.DefaultGraph)
        if (target is not None or default_target) and named:
            raise BodyError("the body names graphs, but the request targets one graph; send triples only, "
                            "or send the dataset to /data without ?graph")
        graph = target if target is not None else (None if default_target or not named else quad.graph_name.value)
        by_graph.setdefault(graph, []).append(f"{quad.subject} {quad.predicate} {quad.object} .")
    parts = []
    for graph, lines in by_graph.items():
        block = "\n".join(lines)
        parts.append(block if graph is None else f"GRAPH <{graph}> {{\n{block}\n}}")
    if not parts:
        return "", set(by_graph)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}", set(by_graph)


@dataclass
class Delta:
    """What an update changed: quads as N-Quads lines, and the post- and pre-state around the touched nodes."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    #: N-Triples text of the touched nodes' descriptions after and before the update (for SHACL).
    after: str = ""
    before: str = ""
    #: The touched nodes in N-Triples syntax (``<iri>`` or ``_:id``).
    focus: set[str] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def trial(store: Store, update: str, graphs: set[str | None] | None, base_iri: str | None = None) -> Delta:
    """Run ``update`` on a copy of ``store`` and describe its effect; ``store`` itself is not changed.

    :param graphs: the graphs the update can change (``None`` in the set: the default graph); ``None``: any.
    :raises SyntaxError: when the update does not parse.
    """
    primary = _engine(store)
    tmp = tempfile.mkdtemp(prefix="helsegraf-trial-", dir=_scratch_dir(store))
    try:
        copy = _copy(primary, Path(tmp) / "copy", getattr(_embedded(store), "path", None))
        error = None
        try:
            # Through EmbeddedStore, so the trial keeps the union default graph as the commit will.
            EmbeddedStore.wrap(copy, union_default_graph=_embedded(store).union).update(update, base_iri=base_iri)
        except (SyntaxError, RuntimeError) as raised:  # re-raised below, once the copy is closed
            error = type(raised)(str(raised))
        except (OSError, StoreError) as raised:
            error = StoreError(str(raised))
        delta = None if error else _delta(primary, copy, graphs)
        del copy  # closes the copy (RocksDB) before its directory is removed
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if error is not None:
        raise error
    return delta


def _delta(primary, copy, graphs) -> Delta:
    delta = Delta()
    for graph in _graph_nodes(primary, copy, graphs):
        old = set(primary.quads_for_pattern(None, None, None, graph))
        new = set(copy.quads_for_pattern(None, None, None, graph))
        delta.added += new - old
        delta.removed += old - new
    touched = {q.subject for q in delta.added + delta.removed}
    retyped = {q.subject for q in delta.added + delta.removed if q.predicate == _RDF_TYPE}
    # A node whose type changed can break a class constraint of the nodes that point at it.
    for node in retyped:
        touched |= {q.subject for q in copy.quads_for_pattern(None, None, node, None)}
        touched |= {q.subject for q in primary.quads_for_pattern(None, None, node, None)}
    delta.after = describe_nodes(copy, touched)
    delta.before = describe_nodes(primary, touched)
    delta.focus = {str(node) for node in touched}
    return delta


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def describe_nodes(engine, nodes) -> str:
    """N-Triples of every triple about ``nodes`` (any graph), plus the types of the nodes they point at."""
    lines: set[str] = set()
    for node in nodes:
        for quad in engine.quads_for_pattern(node, None, None, None):
            lines.add(f"{quad.subject} {quad.predicate} {quad.object} .")
            if isinstance(quad.object, (ox.NamedNode, ox.BlankNode)):
                for typed in engine.quads_for_pattern(quad.object, _RDF_TYPE, None, None):
                    lines.add(f"{typed.subject} {typed.predicate} {typed.object} .")
    return "\n".join(sorted(lines)) + "\n"


def _graph_nodes(primary, copy, graphs):
    if graphs is None:
        names = {g for g in primary.named_graphs()} | {g for g in copy.named_graphs()}
        return [ox.DefaultGraph(), *names]
    return [ox.DefaultGraph() if g is None else ox.NamedNode(g) for g in graphs]


def _embedded(store: Store) -> EmbeddedStore:
    inner = getattr(store, "primary", store)
    if not isinstance(inner, EmbeddedStore):
        raise StoreError("validate-on-write needs the embedded store")
    return inner


def _engine(store: Store):
    return _embedded(store)._store


def _scratch_dir(store: Store) -> str | None:
    path = _embedded(store).path
    return str(path.parent) if path else None


def _copy(primary, target: Path, path):
    if path is not None:
        primary.backup(str(target))  # a RocksDB checkpoint: hard links to the immutable files
        return ox.Store(str(target))
    copy = ox.Store()
    copy.extend(primary.quads_for_pattern(None, None, None, None))
    return copy
