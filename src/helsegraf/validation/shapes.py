"""Shape sets (``shapes/*.ttl``, one file per concern, named by its stem) and the pre-check of user shapes.

The pre-check (:func:`check_shapes`) refuses a malformed shapes graph with a message naming the shape, before
an engine fails deep inside: it validates the graph against SHACL's own shapes (shacl-shacl) and compiles every
SPARQL constraint with the prefixes SHACL gives it (``sh:prefixes``, following ``owl:imports``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, BNode, Graph, URIRef

from ..config import PROJECT_ROOT
from ..namespaces import DEFAULT_BASE
from .errors import ShapesError, UnknownShapeSetError
from .vocab import SH, rebase_text, shapes_ns

#: Shape sets that check the shapes or the ontology themselves, not instance data; never applied by default.
META_SHAPE_SETS = frozenset({"shapes-lint", "ontology-lint"})


def shapes_dir(root: str | os.PathLike | None = None) -> Path:
    """The ``shapes/`` folder of the project at ``root`` (the repository by default)."""
    return Path(root or PROJECT_ROOT) / "shapes"


def shape_sets(root: str | os.PathLike | None = None, *, include_meta: bool = True) -> dict[str, Path]:
    """Map each shape-set name (file stem in ``shapes/``) to its file.

    >>> "integrity" in shape_sets()
    True
    """
    found = {p.stem: p for p in sorted(shapes_dir(root).glob("*.ttl"))}
    if not include_meta:
        found = {k: v for k, v in found.items() if k not in META_SHAPE_SETS}
    return found


@lru_cache(maxsize=64)
def _parse_shapes_file(path: str, mtime: float, base: str) -> Graph:
    graph = Graph()
    try:
        graph.parse(data=rebase_text(Path(path).read_text(encoding="utf-8"), base), format="turtle",
                    publicID=Path(path).resolve().as_uri())
    except SyntaxError as exc:
        raise ShapesError(f"{path}: {exc}") from exc
    return graph


def load_shapes(names: Iterable[str] | None = None, *, root: str | os.PathLike | None = None,
                extra: Graph | None = None, base: str = DEFAULT_BASE) -> Graph:
    """Union the named shape sets (all data shape sets when ``names`` is None) and ``extra`` into one graph.

    The bundled shapes are rebased to ``base`` so that they target the deployment's own IRIs.

    :raises UnknownShapeSetError: for a name that is not a file stem in ``shapes/``.
    """
    available = shape_sets(root)
    if names is None:
        names = [n for n in available if n not in META_SHAPE_SETS]
    graph = Graph()
    for name in names:
        if name not in available:
            raise UnknownShapeSetError(f"unknown shape set {name!r}; known: {', '.join(sorted(available))}")
        path = available[name]
        graph += _parse_shapes_file(str(path), path.stat().st_mtime, base)
    if extra is not None:
        graph += extra
    graph.bind("sh", SH)
    graph.bind("hgsh", shapes_ns(base))
    return graph


def check_shapes(shapes: Graph) -> None:
    """Refuse a malformed shapes graph, naming the first offending shape.

    :raises ShapesError: naming the shape and what is wrong with it.
    """
    import pyshacl

    conforms, report, _ = pyshacl.validate(_lists_as_sequence_paths(shapes), shacl_graph=_shacl_shacl(),
                                           inference="none", allow_warnings=True)
    if not conforms:
        for result in report.objects(None, SH.result):
            focus = report.value(result, SH.focusNode)
            path = report.value(result, SH.resultPath)
            message = report.value(result, SH.resultMessage) or "does not conform to SHACL's shapes"
            shape = name_of(focus, shapes)
            where = f" ({name_of(path, shapes)})" if path is not None else ""
            raise ShapesError(f"malformed shape {shape}{where}: {message}", shape=shape)
    _check_sparql(shapes)


_PATH_KINDS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


def _lists_as_sequence_paths(shapes: Graph) -> Graph:
    """A copy in which a path node that is an RDF list is only a sequence path.

    A list node that also carries, say, ``sh:inversePath`` breaks shacl-shacl's "exactly one kind of path", but
    the W3C suite (``core/path/path-strange-002``) reads it as the sequence the list spells, as the engines do;
    so the pre-check must accept it too.
    """
    strange = [node for node in shapes.objects(None, SH.path)
               if (node, RDF.first, None) in shapes and any((node, kind, None) in shapes for kind in _PATH_KINDS)]
    if not strange:
        return shapes
    copy = Graph()
    copy += shapes
    for node in strange:
        for kind in _PATH_KINDS:
            copy.remove((node, kind, None))
    return copy


def with_imported_prefixes(shapes: Graph) -> Graph:
    """The shapes with every ``sh:prefixes`` holder also declaring the prefixes of what it ``owl:imports``.

    SHACL (5.2.1) gives a SPARQL constraint the declarations of its ``sh:prefixes`` values *and of the ontologies
    they import*; the engines read only the first, so the imported declarations are copied onto the holder.
    Returns ``shapes`` itself when nothing is imported.
    """
    holders = {h for h in shapes.objects(None, SH.prefixes) if (h, OWL.imports, None) in shapes}
    if not holders:
        return shapes
    copy = Graph()
    copy += shapes
    for holder in holders:
        own = {(str(shapes.value(d, SH.prefix)), str(shapes.value(d, SH.namespace)))
               for d in shapes.objects(holder, SH.declare)}
        for decl in _imported_declarations(shapes, holder):
            pair = (str(shapes.value(decl, SH.prefix)), str(shapes.value(decl, SH.namespace)))
            if pair not in own:
                copy.add((holder, SH.declare, decl))
                own.add(pair)
    return copy


def _imported_declarations(shapes: Graph, holder) -> list:
    found, pending, seen = [], list(shapes.objects(holder, OWL.imports)), {holder}
    while pending:
        ontology = pending.pop()
        if ontology in seen:
            continue
        seen.add(ontology)
        found += list(shapes.objects(ontology, SH.declare))
        pending += list(shapes.objects(ontology, OWL.imports))
    return found


def _check_sparql(shapes: Graph) -> None:
    from rdflib.plugins.sparql import prepareQuery

    for constraint, query in (*shapes.subject_objects(SH.select), *shapes.subject_objects(SH.ask),
                              *shapes.subject_objects(SH.construct)):
        owner = next(shapes.subjects(SH.sparql, constraint), constraint)
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declared_prefixes(shapes, constraint))
        # Pre-bound variables ($this, $PATH, $value, ...) become ordinary ones so that the text compiles alone.
        text = prefixes + str(query).replace("$PATH", "<urn:x-helsegraf:path>")
        text = re.sub(r"\$(\w+)", r"?\1", text)
        try:
            prepareQuery(text)
        except Exception as exc:  # noqa: BLE001 -- pyparsing and rdflib raise several types for bad SPARQL
            shape = name_of(owner, shapes)
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
            raise ShapesError(f"malformed SPARQL in shape {shape}: {message}", shape=shape) from exc


def declared_prefixes(shapes: Graph, constraint) -> list[tuple[str, str]]:
    """The prefixes a SPARQL constraint may use: its ``sh:prefixes`` holders' ``sh:declare``s, and those of
    every ontology the holders import (``owl:imports``, transitively), as SHACL 5.2.1 says."""
    pairs = []
    holders = list(shapes.objects(constraint, SH.prefixes))
    seen: set = set()
    while holders:
        holder = holders.pop()
        if holder in seen:
            continue
        seen.add(holder)
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                pairs.append((str(prefix), str(ns)))
        holders += list(shapes.objects(holder, OWL.imports))
    return pairs


def name_of(node, graph: Graph) -> str:
    """A readable name of a shape or path: prefixed name, or for a blank-node property shape its owner and path."""
    if node is None:
        return "?"
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except Exception:  # noqa: BLE001 -- fall back to the full IRI
            return f"<{node}>"
    if isinstance(node, BNode):
        owner = next(graph.subjects(SH.property, node), None)
        if owner is not None:
            return f"{name_of(owner, graph)} (property shape on {name_of(graph.value(node, SH.path), graph)})"
        return "a blank-node shape"
    return str(node)


@lru_cache(maxsize=1)
def _shacl_shacl() -> Graph:
    import pyshacl

    return Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")


@lru_cache(maxsize=1)
def shacl_vocabulary() -> Graph:
    """SHACL's own vocabulary (``sh:`` terms), as shipped with pyshacl; the shapes lint checks names against it."""
    import pyshacl

    return Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl.ttl", format="turtle")
