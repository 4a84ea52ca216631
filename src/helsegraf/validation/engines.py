"""The SHACL engines validation can run, behind one call: :func:`run_engine` returns the engine's report graph.

``pyshacl`` is the reference; ``pyshacl-turbo`` (a Rust core with pyshacl's interface) is faster and must give
the same results (``tests/shapes/test_shapes.py`` and ``tests/conformance/test_shacl.py`` keep it so). The
engine is chosen by :attr:`helsegraf.config.Settings.shacl_engine`.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph

from .errors import ShapesError, UnknownEngineError

#: Engines by name, with the module that offers pyshacl's ``validate`` signature.
ENGINES = {"pyshacl": "pyshacl", "pyshacl-turbo": "pyshacl_turbo"}
DEFAULT_ENGINE = "pyshacl"
#: Engines that read N-Triples text natively (:func:`ntriples_input`; files are then parsed by Oxigraph, not rdflib).
NATIVE_ENGINES = frozenset({"pyshacl-turbo"})


def engine_module(engine: str | None):
    """Return ``(name, module)`` of an engine (``None``: the default, pyshacl).

    :raises UnknownEngineError: for a name outside :data:`ENGINES` or an engine not installed.
    """
    name = engine or DEFAULT_ENGINE
    if name not in ENGINES:
        raise UnknownEngineError(f"unknown SHACL engine {name!r}; known: {', '.join(ENGINES)}")
    try:
        return name, __import__(ENGINES[name])
    except ImportError as exc:
        raise UnknownEngineError(f"SHACL engine {name!r} is not installed ({exc})") from exc


def ntriples_input(ntriples: str):
    """N-Triples text as pyshacl-turbo's native input, which its Rust core parses without an rdflib graph.

    Its public inputs are slower here: RDF text is decoded into rdflib first, and a pyoxigraph Store normalises
    literal spellings (``"300"^^xsd:byte`` loses its datatype), which changes results. ``Input`` is the class
    turbo builds from those inputs itself; the version is pinned in ``constraints.txt`` and the W3C and fixture
    tests run through this path.
    """
    from pyshacl_turbo.rdf import Input

    return Input(ntriples, "nt", None, {}, {})


def run_engine(module, data, shapes: Graph) -> Graph:
    """Validate ``data`` (an rdflib Graph, or a :func:`ntriples_input` for :data:`NATIVE_ENGINES`) against ``shapes``
    with ``module`` and return its ``sh:ValidationReport`` graph.

    :raises ShapesError: when the engine cannot load or apply the shapes.
    """
    try:
        _, report, _ = module.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                       allow_infos=True)
    except Exception as exc:  # noqa: BLE001 -- engines raise many types for shapes they cannot apply
        # pyshacl's ReportableRuntimeError, turbo's ValueError, rdflib's bare Exception for an unknown prefix in
        # a SPARQL constraint: each means the shapes, not the data or the server, are at fault.
        from .shapes import check_shapes

        check_shapes(shapes)  # names the shape where it can
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ShapesError(f"the shapes could not be loaded: {message}") from exc
    if not isinstance(report, (Graph, str, bytes)):  # pyshacl's ValidationFailure
        raise ShapesError(f"the shapes could not be applied: {report}")
    if isinstance(report, (str, bytes)):
        report = Graph().parse(data=report, format="turtle")
    return report


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
