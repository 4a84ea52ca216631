"""SHACL validation: shape sets, data assembly, engines and the outcome planners read.

The project's shapes live in ``shapes/*.ttl``, one file per concern; a *shape set* is named by its file stem
(``integrity``, ``plans``, ...). Data are validated *as written*: files and uploads are parsed with rdflib (not
through the store, which normalises literals), and an upload is validated together with the part of the
bundled reference data it points at, so that a planner's file about Levanger is checked against the real
municipality, laws and health trusts without validating the whole graph again.

>>> from rdflib import Graph
>>> upload = Graph().parse(data='''
...     @prefix hg: <https://w3id.org/helsegraf/ontology#> .
...     <https://w3id.org/helsegraf/id/municipality/5037> a hg:Municipality ;
...         hg:municipalityNumber "537" .''', format="turtle")
>>> outcome = validate(upload, shape_sets=["integrity"], reference=False)
>>> outcome.conforms
False
>>> "PatternConstraintComponent" in {r.component.split("#")[1] for r in outcome.results}
True
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from .config import PROJECT_ROOT

SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HGSH = Namespace("https://w3id.org/helsegraf/shapes#")
GRAPH_BASE = "https://w3id.org/helsegraf/graph/"

#: Shape sets that check the shapes or the ontology themselves, not instance data; never applied by default.
META_SHAPE_SETS = frozenset({"shapes-lint", "ontology-lint"})

#: Engines that ``validate`` accepts, by name; each module offers pyshacl's ``validate`` signature.
ENGINES = {"pyshacl": "pyshacl", "pyshacl-turbo": "pyshacl_turbo"}

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

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


class ValidationError(Exception):
    """Base of the errors this module raises on purpose."""


class UnknownShapeSetError(ValidationError, KeyError):
    """A shape set was asked for by a name that is no file stem in ``shapes/`` (the web layer answers 404)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0] if self.args else "unknown shape set"


class ShapesError(ValidationError, ValueError):
    """The shapes graph is malformed; ``shape`` names the offending shape where it can be found."""

    def __init__(self, message: str, shape: str | None = None):
        super().__init__(message)
        self.shape = shape


class UnknownEngineError(ValidationError, ValueError):
    """An engine name outside :data:`ENGINES`, or an engine that is not installed."""


class RDFSyntaxError(SyntaxError):
    """Data that do not parse; ``lineno`` is the 1-based line where the parser stopped, when it says."""


# --------------------------------------------------------------------------------------------- parsing


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


def parse_rdf(data: bytes | str, fmt: str = "turtle", *, name: str = "upload", base: str | None = None) -> Dataset:
    """Parse ``data`` in syntax ``fmt`` into a fresh :class:`rdflib.Dataset`, keeping literals as written.

    Triples land in the default graph; TriG and N-Quads keep their named graphs.

    >>> len(parse_rdf('<http://ex/a> <http://ex/b> "c" .', "nt"))
    1

    :raises RDFSyntaxError: with the parser's message and, where the parser gives one, the line.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RDFSyntaxError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    ds = Dataset(default_union=False)
    try:
        # A base IRI for relative references; uploads get one under the reserved .invalid domain.
        ds.parse(data=data, format=fmt, publicID=base or f"https://upload.invalid/{Path(name).name}")
    except SyntaxError as exc:  # rdflib's BadSyntax (Turtle, TriG, N3) is a SyntaxError
        line = getattr(exc, "lines", None)  # BadSyntax counts lines from 0
        lineno = line + 1 if isinstance(line, int) else getattr(exc, "lineno", None)
        raise _syntax_error(name, lineno, _clean_message(str(exc))) from exc
    except Exception as exc:  # noqa: BLE001 -- every parser has its own error type; all mean bad input here
        lineno = _error_line(exc, data, fmt)
        raise _syntax_error(name, lineno, _clean_message(str(exc))) from exc
    return ds


def _syntax_error(name: str, lineno: int | None, message: str) -> RDFSyntaxError:
    where = f"line {lineno}: " if lineno else ""
    err = RDFSyntaxError(f"{name}: {where}{message}")
    err.filename, err.lineno = name, lineno
    return err


def _clean_message(message: str) -> str:
    message = message.strip()
    match = re.search(r"Bad syntax \((.*?)\)", message)
    return match.group(1) if match else message.splitlines()[0] if message else "syntax error"


def _error_line(exc: Exception, data: str, fmt: str) -> int | None:
    """Find the line of a parse error for parsers whose exceptions carry none (N-Triples, N-Quads)."""
    for attr in ("lineno", "getLineNumber"):
        value = getattr(exc, attr, None)
        value = value() if callable(value) else value
        if isinstance(value, int):
            return value
    if fmt in ("nt", "nquads"):
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                Dataset().parse(data=line, format=fmt)
            except Exception:  # noqa: BLE001 -- the first line that fails alone is the culprit
                return number
    return None


def load_rdf_file(path: str | os.PathLike) -> Dataset:
    """Parse a file by its suffix.

    :raises RDFSyntaxError: when it does not parse.
    """
    path = Path(path)
    return parse_rdf(path.read_bytes(), rdf_format(None, path.name), name=str(path), base=path.resolve().as_uri())


# ------------------------------------------------------------------------------------------- shape sets


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


@lru_cache(maxsize=32)
def _parse_shapes_file(path: str, mtime: float) -> Graph:
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except SyntaxError as exc:
        raise ShapesError(f"{path}: {exc}") from exc
    return graph


def load_shapes(
    names: Iterable[str] | None = None, *, root: str | os.PathLike | None = None, extra: Graph | None = None
) -> Graph:
    """Union the named shape sets (all data shape sets when ``names`` is None) and ``extra`` into one graph.

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
        graph += _parse_shapes_file(str(path), path.stat().st_mtime)
    if extra is not None:
        graph += extra
    for prefix, ns in (("sh", SH), ("hgsh", HGSH)):
        graph.bind(prefix, ns)
    return graph


def check_shapes(shapes: Graph) -> None:
    """Refuse a malformed shapes graph, naming the first offending shape.

    Checks the graph against SHACL's own shapes (shacl-shacl) and compiles every SPARQL constraint, so that a
    user's shapes fail here with a clear message rather than deep inside an engine.

    :raises ShapesError: naming the shape and what is wrong with it.
    """
    import pyshacl

    meta = _shacl_shacl()
    conforms, report, _ = pyshacl.validate(shapes, shacl_graph=meta, inference="none", allow_warnings=True)
    if not conforms:
        for result in report.objects(None, SH.result):
            focus = report.value(result, SH.focusNode)
            path = report.value(result, SH.resultPath)
            message = report.value(result, SH.resultMessage) or "does not conform to SHACL's shapes"
            shape = _name(focus, shapes)
            where = f" ({_name(path, shapes)})" if path is not None else ""
            raise ShapesError(f"malformed shape {shape}{where}: {message}", shape=shape)
    _check_sparql(shapes)


def _check_sparql(shapes: Graph) -> None:
    from rdflib.plugins.sparql import prepareQuery

    for constraint, query in (
        *shapes.subject_objects(SH.select),
        *shapes.subject_objects(SH.ask),
    ):
        owner = next(shapes.subjects(SH.sparql, constraint), constraint)
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in _declared_prefixes(shapes, constraint))
        text = prefixes + str(query).replace("$this", "?this").replace("$PATH", "<urn:path>")
        text = re.sub(r"\$(\w+)", r"?\1", text)
        try:
            prepareQuery(text)
        except Exception as exc:  # noqa: BLE001 -- pyparsing and rdflib raise several types for bad SPARQL
            shape = _name(owner, shapes)
            raise ShapesError(f"malformed SPARQL in shape {shape}: {_clean_message(str(exc))}", shape=shape) from exc


def _declared_prefixes(shapes: Graph, constraint) -> list[tuple[str, str]]:
    pairs = []
    for holder in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(holder, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                pairs.append((str(prefix), str(ns)))
    return pairs


def _name(node, graph: Graph) -> str:
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
            path = graph.value(node, SH.path)
            return f"{_name(owner, graph)} (property shape on {_name(path, graph)})"
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


def lint_shapes(shapes: Graph | None = None, *, engine: str | None = None, lang: str = "nb") -> ValidationOutcome:
    """Check a shapes graph (the project's by default) with ``shapes/shapes-lint.ttl``.

    Finds misspelt SHACL terms, shapes nothing reaches, blank-node property shapes, missing nb/en names and
    messages, and shapes without a deliberate severity.
    """
    if shapes is None:
        shapes = load_shapes()
    data = Graph()
    data += shapes
    data += shacl_vocabulary()
    return validate(data, load_shapes(["shapes-lint"]), engine=engine, lang=lang, reference=False,
                    ontology=False, focus=set(shapes.subjects()))


# ---------------------------------------------------------------------------------------- data assembly


def graph_name(path: str | os.PathLike, root: str | os.PathLike | None = None) -> URIRef:
    """Named-graph IRI of a bundled file (``docs/modelling.md``: path from the root without its extension).

    >>> str(graph_name(PROJECT_ROOT / "data/reference/laws.ttl"))
    'https://w3id.org/helsegraf/graph/data/reference/laws'
    """
    relative = Path(path).resolve().relative_to(Path(root or PROJECT_ROOT).resolve())
    return URIRef(GRAPH_BASE + relative.with_suffix("").as_posix())


def bundled_files(root: str | os.PathLike | None = None, *, reference_only: bool = False) -> list[Path]:
    """The ontology and data files of the project, in a stable order."""
    base = Path(root or PROJECT_ROOT)
    patterns = ["ontology/*.ttl", "data/reference/**/*.ttl", "data/reference/**/*.trig"]
    if not reference_only:
        patterns += ["data/seeds/**/*.ttl", "data/seeds/**/*.trig", "data/*.ttl"]
    files: list[Path] = []
    for pattern in patterns:
        files += sorted(p for p in base.glob(pattern) if p.is_file() and p not in files)
    return files


def union_graph(dataset: Dataset | Graph, *, describe_graphs: bool = True) -> Graph:
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
                ("urn:x-rdflib:", GRAPH_BASE + "ontology")
            ):
                out.add((name, RDF.type, SD.Graph))
    else:
        out += dataset
    return out


@lru_cache(maxsize=4)
def _bundled(root: str, files: tuple[tuple[str, float], ...]) -> Graph:
    ds = Dataset(default_union=False)
    for path, _ in files:
        parsed = load_rdf_file(path)
        name = graph_name(path, root)
        target = ds.graph(name)
        for s, p, o, _c in parsed.quads((None, None, None, None)):
            target.add((s, p, o))
    return union_graph(ds)


def bundled_graph(root: str | os.PathLike | None = None, *, reference_only: bool = False) -> Graph:
    """The ontology and data as one graph (cached until a file changes); each file's graph marked ``sd:Graph``.

    Do not modify the returned graph: it is shared.
    """
    root = str(Path(root or PROJECT_ROOT).resolve())
    files = tuple((str(p), p.stat().st_mtime) for p in bundled_files(root, reference_only=reference_only))
    return _bundled(root, files)


def neighbourhood(seeds: Iterable, source: Graph, *, depth: int = 2) -> Graph:
    """Triples of ``source`` about the ``seeds`` and, ``depth`` hops on, about what they point at.

    The reference data an upload needs (its municipality, that municipality's county, a law's label) without
    the rest of the graph.
    """
    out = Graph()
    frontier = {s for s in seeds if isinstance(s, URIRef)}
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


def ontology_graph(root: str | os.PathLike | None = None) -> Graph:
    """The class and property hierarchy of the ontology, which SHACL needs for ``sh:targetClass``/``sh:class``."""
    full = bundled_graph(root, reference_only=True)
    out = Graph()
    for s, p, o in _STANDARD_AXIOMS:
        out.add((URIRef(s), p, URIRef(o)))
    for p in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in full.subject_objects(p):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                out.add((s, p, o))
    return out


_ORG = "http://www.w3.org/ns/org#"
#: Axioms of W3C ORG (https://www.w3.org/TR/vocab-org/) that the shapes rely on for ``sh:class org:Organization``;
#: the ORG vocabulary itself is not bundled.
_STANDARD_AXIOMS = (
    (_ORG + "FormalOrganization", RDFS.subClassOf, _ORG + "Organization"),
    (_ORG + "OrganizationalUnit", RDFS.subClassOf, _ORG + "Organization"),
)


@lru_cache(maxsize=512)
def _prepared_query(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


class QueryCachingGraph(Graph):
    """A Graph that parses each distinct SPARQL text once.

    pyshacl sends the text of a SPARQL constraint again for every focus node, and rdflib parses it each time
    (about 0.1 s with pyparsing): 357 municipalities took 18 s. Caching the parsed query by its text brings
    that to milliseconds without changing any result (the bindings are still passed per call).
    """

    def query(self, query_object, *args, **kwargs):  # noqa: D102 -- same contract as Graph.query
        if isinstance(query_object, str):
            query_object = _prepared_query(query_object)
        return super().query(query_object, *args, **kwargs)


# --------------------------------------------------------------------------------------------- results


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
    node: object = None  # the result's node in the report graph

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
    """What a validation found: ``conforms`` is true when no result has severity Violation."""

    conforms: bool
    report_graph: Graph
    results: list[ValidationResult]
    lang: str = "nb"
    data_graph: Graph | None = None
    shapes_graph: Graph | None = None
    engine: str = "pyshacl"

    def counts(self) -> dict[str, int]:
        """Number of results per severity."""
        counts = {"Violation": 0, "Warning": 0, "Info": 0}
        for r in self.results:
            counts[r.severity] = counts.get(r.severity, 0) + 1
        return counts

    def label(self, node, lang: str | None = None) -> str | None:
        """A human label of ``node`` from the validated data, in ``lang`` where there is one."""
        from .report import label_of

        return label_of(node, self.data_graph, lang or self.lang)

    def to_json(self, lang: str | None = None) -> dict:
        """A plain-JSON summary: conforms, counts and every result with its message in ``lang``."""
        from .report import summary

        return summary(self, lang or self.lang)

    def to_text(self, lang: str | None = None) -> str:
        """A readable report grouped by focus node (nb by default), with labels where the data give them."""
        from .report import render_text

        return render_text(self, lang or self.lang)

    def serialize(self, format: str = "turtle") -> str:
        """The ``sh:ValidationReport`` in an RDF syntax (``turtle``, ``json-ld``, ``xml``, ``nt``)."""
        return self.report_graph.serialize(format=format)


# ---------------------------------------------------------------------------------------------- engines


def engine_module(engine: str | None):
    """Import the engine by name (``None``: ``HELSEGRAF_SHACL_ENGINE`` or pyshacl).

    :raises UnknownEngineError: for a name outside :data:`ENGINES` or an engine not installed.
    """
    name = engine or os.environ.get("HELSEGRAF_SHACL_ENGINE") or "pyshacl"
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown SHACL engine {name!r}; known: {', '.join(ENGINES)}")
    try:
        return name, __import__(ENGINES[name])
    except ImportError as exc:
        raise UnknownEngineError(f"SHACL engine {name!r} is not installed ({exc})") from exc


def validate(
    data: Graph | Dataset | str | os.PathLike | Sequence,
    shapes: Graph | str | os.PathLike | None = None,
    *,
    shape_sets: Iterable[str] | None = None,
    ontology: Graph | bool | None = None,
    reference: Graph | bool | None = None,
    engine: str | None = None,
    lang: str = "nb",
    focus: set | None = None,
    root: str | os.PathLike | None = None,
) -> ValidationOutcome:
    """Validate ``data`` against SHACL shapes and return a :class:`ValidationOutcome`.

    :param data: an rdflib Graph or Dataset, a file path, or a sequence of paths.
    :param shapes: a shapes graph or file; ``None`` uses ``shape_sets`` (all data shape sets by default).
        When both are given they are united.
    :param ontology: the class hierarchy to resolve subclasses; ``None``/``True`` uses the bundled ontology,
        ``False`` none.
    :param reference: the graph an upload may point at; ``None``/``True`` uses the bundled reference data
        (only the part the data touch is added), ``False`` none.
    :param engine: ``pyshacl`` (reference) or ``pyshacl-turbo``; default from ``HELSEGRAF_SHACL_ENGINE``.
    :param lang: language of the messages (nb, en; falls back to nb then en).
    :param focus: report only results on these focus nodes (default: the subjects of ``data``, so that the
        reference data pulled in do not fill the planner's report).
    :raises UnknownShapeSetError: for an unknown shape-set name.
    :raises ShapesError: for a malformed shapes graph.
    :raises RDFSyntaxError: for a data file that does not parse.
    """
    engine_name, module = engine_module(engine)
    data_graph = _as_graph(data)
    shapes_graph = _shapes_graph(shapes, shape_sets, root)

    subjects = set(data_graph.subjects())
    full = QueryCachingGraph()
    full += data_graph
    if reference is None or reference is True:
        reference = bundled_graph(root, reference_only=True)
    if isinstance(reference, Graph):
        full += neighbourhood(set(data_graph.subjects()) | set(data_graph.objects()), reference)
    if ontology is None or ontology is True:
        ontology = ontology_graph(root)
    if isinstance(ontology, Graph):
        full += ontology
    if focus is None:
        focus = subjects

    try:
        _, engine_report, _ = module.validate(
            full, shacl_graph=shapes_graph, inference="none", allow_warnings=True,
            allow_infos=True,
        )
    except (RuntimeError, ValueError) as exc:
        # Engines raise these while loading shapes (pyshacl's ReportableRuntimeError, turbo's ValueError).
        check_shapes(shapes_graph)  # names the shape where it can
        raise ShapesError(f"the shapes could not be loaded: {_clean_message(str(exc))}") from exc
    if not isinstance(engine_report, (Graph, str, bytes)):  # pyshacl's ValidationFailure
        raise ShapesError(f"the shapes could not be applied: {engine_report}")
    if isinstance(engine_report, (str, bytes)):
        engine_report = Graph().parse(data=engine_report, format="turtle")

    results = _read_results(engine_report, shapes_graph, lang, focus)
    report = _report_graph(engine_report, results)
    conforms = not any(r.severity == "Violation" for r in results)
    report.set((next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms, Literal(conforms)))
    return ValidationOutcome(conforms, report, results, lang, full, shapes_graph, engine_name)


def _as_graph(data) -> Graph:
    if isinstance(data, (Dataset, Graph)):
        return union_graph(data) if isinstance(data, Dataset) else data
    paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    out = Graph()
    for path in paths:
        out += union_graph(load_rdf_file(path))  # named graphs of a TriG file are marked sd:Graph
    return out


def _shapes_graph(shapes, names, root) -> Graph:
    if shapes is None or names is not None:
        base = load_shapes(names, root=root)
    else:
        base = Graph()
    if isinstance(shapes, (str, os.PathLike)):
        try:
            shapes = Graph().parse(shapes, format=rdf_format(None, str(shapes)))
        except SyntaxError as exc:
            raise ShapesError(f"{shapes}: {exc}") from exc
    if isinstance(shapes, Graph):
        base += shapes
    return base


def _read_results(report: Graph, shapes: Graph, lang: str, focus: set | None) -> list[ValidationResult]:
    results = []
    for node in report.objects(None, SH.result):
        focus_node = report.value(node, SH.focusNode)
        if focus is not None and focus_node not in focus:
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
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    results.sort(key=lambda r: (order.get(r.severity, 3), str(r.focus_node), str(r.source_shape)))
    return results


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _fill_templates(templates: dict[str, str], filled: list[str], value, focus) -> dict[str, str]:
    """Fill every language's message template with the variable values read back from an engine's message.

    >>> _fill_templates({"nb": "slutter {?end}", "en": "ends {?end}"}, ["ends 2020"], None, None)
    {'nb': 'slutter 2020', 'en': 'ends 2020'}
    """
    known = {"value": value, "this": focus}
    bindings = {k: _show(v) for k, v in known.items() if v is not None}
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


def _show(term) -> str:
    return str(term)


def _messages(literals) -> dict[str, str]:
    out: dict[str, str] = {}
    for lit in literals:
        language = getattr(lit, "language", None) or ""
        out.setdefault(language.lower(), str(lit))
    return out


def _report_graph(engine_report: Graph, results: list[ValidationResult]) -> Graph:
    """A fresh report holding only the kept results, each with its whole description (paths, details)."""
    report = Graph()
    for prefix, ns in (("sh", SH), ("hgsh", HGSH), ("rdfs", RDFS), ("skos", SKOS), ("dct", DCTERMS)):
        report.bind(prefix, ns)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    for result in results:
        report.add((root, SH.result, result.node))
        _copy_description(engine_report, result.node, report)
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


def report_as_jsonld(outcome: ValidationOutcome) -> str:
    """The report as JSON-LD with the ``sh:`` context, for the web layer."""
    return outcome.report_graph.serialize(format="json-ld", context={"sh": str(SH), "hgsh": str(HGSH)})


# -------------------------------------------------------------------------------------------------- CLI


def add_cli_command(commands, store_options=None) -> None:
    """Register ``helsegraf validate`` on the CLI's subparsers (called by :func:`helsegraf.cli.build_parser`)."""
    from pathlib import Path as _Path

    parser = commands.add_parser(
        "validate", help="validate the bundled graph or RDF files against the SHACL shapes",
        description="Validate the whole bundled graph, or the given files together with the reference data they "
                    "point at. Exit 0 when no result is a Violation, 1 when one is, 2 for bad input.")
    parser.add_argument("files", nargs="*", type=_Path, help="RDF files (.ttl .trig .jsonld .rdf .nt .nq)")
    parser.add_argument("--shapes", nargs="+", type=_Path, default=None, metavar="FILE",
                        help="shapes files of your own (added to --shape-set when both are given)")
    parser.add_argument("--shape-set", nargs="+", default=None, metavar="NAME",
                        help="project shape sets by name (file stem in shapes/); default: all data shape sets")
    parser.add_argument("--lang", choices=["nb", "en"], default="nb", help="language of the messages")
    parser.add_argument("--format", choices=["text", "turtle", "json-ld", "json"], default="text",
                        help="report format (default: text)")
    parser.add_argument("--engine", choices=sorted(ENGINES), default=None,
                        help="SHACL engine [HELSEGRAF_SHACL_ENGINE]")
    parser.add_argument("--data-root", metavar="DIR", default=None,
                        help="where ontology/, shapes/ and data/ are [HELSEGRAF_DATA_ROOT]")
    parser.set_defaults(func=run_cli)


def run_cli(args) -> int:
    """Run ``helsegraf validate``; return 0 (no violations), 1 (violations) or 2 (bad input)."""
    import sys

    from .config import Settings

    settings = Settings.from_env(data_root=args.data_root, shacl_engine=args.engine)
    root = settings.data_root
    try:
        user_shapes = None
        if args.shapes:
            user_shapes = Graph()
            for path in args.shapes:
                user_shapes += union_graph(load_rdf_file(path), describe_graphs=False)
            check_shapes(user_shapes)
        names = args.shape_set
        if args.files:
            outcome = validate(args.files, user_shapes, shape_sets=names, engine=settings.shacl_engine,
                               lang=args.lang, root=root)
        else:
            outcome = validate(bundled_graph(root), user_shapes, shape_sets=names, reference=False,
                               engine=settings.shacl_engine, lang=args.lang, root=root)
    except RDFSyntaxError as exc:
        print(f"helsegraf validate: syntax error: {exc}", file=sys.stderr)
        return 2
    except (ValidationError, OSError) as exc:
        print(f"helsegraf validate: {exc}", file=sys.stderr)
        return 2
    if args.format == "turtle":
        sys.stdout.write(outcome.serialize("turtle"))
    elif args.format == "json-ld":
        sys.stdout.write(report_as_jsonld(outcome) + "\n")
    elif args.format == "json":
        import json

        sys.stdout.write(json.dumps(outcome.to_json(args.lang), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(outcome.to_text(args.lang))
    return 0 if outcome.conforms else 1


__all__ = [
    "ENGINES", "META_SHAPE_SETS", "RDFSyntaxError", "ShapesError", "UnknownEngineError", "UnknownShapeSetError",
    "ValidationError", "ValidationOutcome", "ValidationResult", "bundled_graph", "check_shapes", "lint_shapes",
    "load_shapes", "parse_rdf", "rdf_format", "shape_sets", "validate",
]
