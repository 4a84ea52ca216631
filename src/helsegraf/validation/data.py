"""Parsing uploads and assembling the data graph SHACL sees.

Data are validated *as written*: files and uploads are parsed with rdflib (not through the store, which
normalises literals). An upload is validated together with the part of the bundled reference data it points at
(:func:`neighbourhood`) and the ontology's class and property hierarchy (:func:`ontology_graph`), so that a
planner's file about Levanger is checked against the real municipality without validating the whole graph.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Dataset, Graph, URIRef

from ..config import PROJECT_ROOT
from ..namespaces import DEFAULT_BASE, graph_base
from .errors import RDFSyntaxError
from .vocab import SD, rebase_text

#: Media types accepted for data and shapes, with the rdflib parser for each.
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/trig": "trig",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/n-quads": "nquads",
}
_SUFFIX_FORMATS = {
    ".ttl": "turtle", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld", ".rdf": "xml", ".owl": "xml",
    ".xml": "xml", ".nt": "nt", ".nq": "nquads",
}


def rdf_format(content_type: str | None = None, filename: str | None = None) -> str:
    """Return the rdflib parser name for a media type or, failing that, a file name.

    >>> rdf_format("text/turtle; charset=utf-8")
    'turtle'
    >>> rdf_format(None, "plan.trig")
    'trig'

    :raises ValueError: when neither names a supported RDF syntax.
    """
    if content_type:
        media = content_type.split(";")[0].strip().lower()
        if media in RDF_FORMATS:
            return RDF_FORMATS[media]
    if filename:
        suffix = Path(filename).suffix.lower()
        if suffix in _SUFFIX_FORMATS:
            return _SUFFIX_FORMATS[suffix]
    if content_type and content_type.split(";")[0].strip().lower() not in ("", "application/octet-stream"):
        raise ValueError(f"unsupported media type {content_type!r}")
    return "turtle"


def parse_rdf(data: bytes | str, fmt: str = "turtle", *, name: str = "upload", base: str | None = None,
              allow_empty: bool = False) -> Dataset:
    """Parse ``data`` in syntax ``fmt`` into a fresh :class:`rdflib.Dataset`, keeping literals as written.

    Triples land in the default graph; TriG and N-Quads keep their named graphs. Input that holds no triple
    (empty, only comments or prefixes) is refused unless ``allow_empty``: a planner who sent the wrong file must
    not be told that it conforms.

    >>> len(parse_rdf('<http://ex/a> <http://ex/b> "c" .', "nt"))
    1

    :raises RDFSyntaxError: with the parser's message and, where the parser gives them, line and column.
    """
    if isinstance(data, bytes):
        raw = data
        try:
            data = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise _syntax_error(name, line, column, f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                "send RDF (Turtle, TriG, JSON-LD, RDF/XML, N-Triples or N-Quads)") from exc
    ds = Dataset(default_union=False)
    try:
        # A base IRI for relative references; uploads get one under the reserved .invalid domain.
        ds.parse(data=data, format=fmt, publicID=base or f"https://upload.invalid/{Path(name).name}")
    except Exception as exc:  # noqa: BLE001 -- every parser has its own error type; all mean bad input here
        where = _error_position(exc, data, fmt)
        raise _syntax_error(name, where[0], where[1], _clean_message(str(exc), exc)) from exc
    if not allow_empty and not any(True for _ in ds.quads((None, None, None, None))):
        raise _syntax_error(name, 1, 1, "no triples: the input is empty or holds only comments and prefixes")
    return ds


def _syntax_error(name: str, line: int | None, column: int | None, message: str) -> RDFSyntaxError:
    where = f"line {line}, column {column}: " if line and column else f"line {line}: " if line else ""
    err = RDFSyntaxError(f"{name}: {where}{message}")
    err.filename, err.lineno, err.offset, err.reason = name, line, column, message
    return err


def _clean_message(message: str, exc: Exception | None = None) -> str:
    why = getattr(exc, "_why", None) or getattr(exc, "msg", None) or getattr(exc, "_msg", None)
    if isinstance(why, str) and why:
        return why.splitlines()[0]
    message = message.strip()
    match = re.search(r"Bad syntax \((.*?)\)", message)
    return match.group(1) if match else message.splitlines()[0] if message else "syntax error"


def _error_position(exc: Exception, data: str, fmt: str) -> tuple[int | None, int | None]:
    """Line and column (1-based) of a parse error, from whatever the parser's exception carries."""
    if isinstance(getattr(exc, "_i", None), int) and isinstance(getattr(exc, "lines", None), int):
        # rdflib's BadSyntax (Turtle, TriG, N3): a character index and a 0-based line count.
        index = exc._i  # type: ignore[attr-defined]
        return exc.lines + 1, index - (data.rfind("\n", 0, index) + 1) + 1  # type: ignore[attr-defined]
    if isinstance(getattr(exc, "colno", None), int):  # json.JSONDecodeError
        return exc.lineno, exc.colno  # type: ignore[attr-defined]
    if callable(getattr(exc, "getLineNumber", None)):  # SAXParseException (RDF/XML); expat counts columns from 0
        return exc.getLineNumber(), exc.getColumnNumber() + 1  # type: ignore[attr-defined]
    if fmt in ("nt", "nquads"):
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                Dataset().parse(data=line, format=fmt)
            except Exception:  # noqa: BLE001 -- the first line that fails alone is the culprit
                return number, len(line) - len(line.lstrip()) + 1
    return None, None


def load_rdf_file(path: str | os.PathLike, *, base: str = DEFAULT_BASE, bundled: bool = False) -> Dataset:
    """Parse a file by its suffix; a ``bundled`` file is rebased from the default base to ``base``.

    :raises RDFSyntaxError: when it does not parse.
    """
    path = Path(path)
    data: bytes | str = path.read_bytes()
    if bundled and base != DEFAULT_BASE:
        data = rebase_text(data.decode("utf-8"), base)  # type: ignore[union-attr]
    return parse_rdf(data, rdf_format(None, path.name), name=str(path), base=path.resolve().as_uri(),
                     allow_empty=bundled)


def graph_name(path: str | os.PathLike, root: str | os.PathLike | None = None, base: str = DEFAULT_BASE) -> URIRef:
    """Named-graph IRI of a bundled file (``docs/modelling.md``: path from the root without its extension).

    >>> str(graph_name(PROJECT_ROOT / "data/reference/laws.ttl"))
    'https://w3id.org/helsegraf/graph/data/reference/laws'
    """
    relative = Path(path).resolve().relative_to(Path(root or PROJECT_ROOT).resolve())
    return URIRef(graph_base(base) + relative.with_suffix("").as_posix())


def bundled_files(root: str | os.PathLike | None = None, *, reference_only: bool = False) -> list[Path]:
    """The ontology (with ``ontology/imports/``) and data files of the project, in a stable order."""
    base = Path(root or PROJECT_ROOT)
    patterns = ["ontology/**/*.ttl", "data/reference/**/*.ttl", "data/reference/**/*.trig"]
    if not reference_only:
        patterns += ["data/seeds/**/*.ttl", "data/seeds/**/*.trig", "data/*.ttl"]
    files: list[Path] = []
    for pattern in patterns:
        files += sorted(p for p in base.glob(pattern) if p.is_file() and p not in files)
    return files


def union_graph(dataset: Dataset | Graph, *, describe_graphs: bool = True, base: str = DEFAULT_BASE) -> Graph:
    """Flatten a dataset into one graph for SHACL, which sees a single data graph.

    Each named graph is recorded as ``<g> a sd:Graph`` so that the provenance shapes can ask whether the
    graph names its source (the triples about ``<g>`` are the file's own).
    """
    out = Graph()
    if isinstance(dataset, Dataset):
        for context in dataset.graphs():
            out += context
            name = context.identifier
            # The ontology graph is vocabulary, not facts; the provenance rule is for data graphs.
            if describe_graphs and isinstance(name, URIRef) and not str(name).startswith(
                ("urn:x-rdflib:", graph_base(base) + "ontology")
            ):
                out.add((name, RDF.type, SD.Graph))
    else:
        out += dataset
    return out


@lru_cache(maxsize=4)
def _bundled(root: str, files: tuple[tuple[str, float], ...], base: str) -> Graph:
    ds = Dataset(default_union=False)
    for path, _ in files:
        parsed = load_rdf_file(path, base=base, bundled=True)
        target = ds.graph(graph_name(path, root, base))
        for s, p, o, _c in parsed.quads((None, None, None, None)):
            target.add((s, p, o))
    return union_graph(ds, base=base)


def bundled_graph(root: str | os.PathLike | None = None, *, reference_only: bool = False,
                  base: str = DEFAULT_BASE) -> Graph:
    """The ontology and data as one graph (cached until a file changes); each file's graph marked ``sd:Graph``.

    Do not modify the returned graph: it is shared.
    """
    root = str(Path(root or PROJECT_ROOT).resolve())
    files = tuple((str(p), p.stat().st_mtime) for p in bundled_files(root, reference_only=reference_only))
    return _bundled(root, files, base)


def neighbourhood(seeds: Iterable, source: Graph, *, depth: int = 2) -> Graph:
    """Triples of ``source`` about the ``seeds`` and, ``depth`` hops on, about what they point at.

    The reference data an upload needs (its municipality, that municipality's county, a law's label) without
    the rest of the graph.
    """
    out = Graph()
    frontier: set[URIRef | BNode] = {s for s in seeds if isinstance(s, URIRef)}
    seen: set = set()
    for _ in range(depth + 1):
        following = set()
        for node in frontier - seen:
            seen.add(node)
            for p, o in source.predicate_objects(node):
                out.add((node, p, o))
                if isinstance(o, (URIRef, BNode)):
                    following.add(o)
        frontier = following
    return out


def ontology_graph(root: str | os.PathLike | None = None, base: str = DEFAULT_BASE) -> Graph:
    """The class and property hierarchy SHACL needs for ``sh:targetClass``/``sh:class``.

    Taken from ``ontology/`` and its ``imports/`` (W3C ORG's axioms), never re-typed here.
    """
    return _hierarchy(bundled_graph(root, reference_only=True, base=base))


@lru_cache(maxsize=4)
def _hierarchy(full: Graph) -> Graph:
    out = Graph()
    for p in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in full.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                out.add((s, p, o))
    return out
