"""``validate``: assemble the data graph, run the engine, add the vocabulary check, keep the results that
belong to the data, and return a :class:`~.outcome.ValidationOutcome`."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from ..namespaces import DEFAULT_BASE
from . import engines, native_input
from .data import bundled_graph, load_rdf_file, neighbourhood, ontology_graph, union_graph
from .engines import NATIVE_ENGINES, QueryCachingGraph, engine_module, run_engine
from .errors import ShapesError
from .outcome import ValidationOutcome, build_report, read_results
from .shapes import load_shapes, shacl_vocabulary, with_imported_prefixes
from .terms import defined_terms, undefined_terms
from .vocab import ontology_ns, shapes_ns


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
    base: str = DEFAULT_BASE,
) -> ValidationOutcome:
    """Validate ``data`` against SHACL shapes and return a :class:`ValidationOutcome`.

    >>> from rdflib import Graph
    >>> upload = Graph().parse(data='''
    ...     @prefix hg: <https://w3id.org/helsegraf/ontology#> .
    ...     <https://w3id.org/helsegraf/id/municipality/5037> a hg:Municipality ;
    ...         hg:municipalityNumber "537" .''', format="turtle")
    >>> outcome = validate(upload, shape_sets=["integrity"], reference=False)
    >>> outcome.conforms, outcome.no_violations
    (False, False)
    >>> "PatternConstraintComponent" in {r.component.split("#")[1] for r in outcome.results}
    True

    :param data: an rdflib Graph or Dataset, a file path, or a sequence of paths (files validated with an engine
        of :data:`~.engines.NATIVE_ENGINES` are parsed by Oxigraph and never become an rdflib graph).
    :param shapes: a shapes graph or file; ``None`` uses ``shape_sets`` (all data shape sets by default).
        When both are given they are united.
    :param ontology: the class hierarchy to resolve subclasses; ``None``/``True`` uses the bundled ontology
        (and checks the data's ``hg:`` terms against it), ``False`` none.
    :param reference: the graph an upload may point at; ``None``/``True`` uses the bundled reference data
        (only the part the data touch is added), ``False`` none.
    :param engine: ``pyshacl`` (reference, the default) or ``pyshacl-turbo``.
    :param lang: language of the messages (nb, en; falls back to nb then en).
    :param focus: report only results on these focus nodes. By default every result is kept except those on
        nodes that only the added reference data or ontology mention (the planner's report is about the upload,
        including nodes it points at but does not describe).
    :param base: the deployment's base IRI; the bundled shapes, ontology and reference data are rebased to it.
    :raises UnknownShapeSetError: for an unknown shape-set name.
    :raises ShapesError: for a malformed shapes graph.
    :raises RDFSyntaxError: for a data file that does not parse.
    """
    engine_name, module = engine_module(engine)
    shapes_graph = _shapes_graph(shapes, shape_sets, root, base)
    if reference is None or reference is True:
        reference = bundled_graph(root, reference_only=True, base=base)
    defining = None
    if ontology is None or ontology is True:
        ontology = ontology_graph(root, base)
        defining = bundled_graph(root, reference_only=True, base=base)

    paths = _paths(data)
    if engine_name in NATIVE_ENGINES and paths is not None and native_input.readable(paths):
        assembled = _natively(paths, reference, ontology, defining, base)
    else:
        assembled = _in_rdflib(_as_graph(data, base), reference, ontology, engine_name)
    if focus is not None:
        def keep(node) -> bool:
            return node in focus
    else:
        def keep(node) -> bool:
            return node not in assembled.only_context

    engine_report = run_engine(module, assembled.engine_input, shapes_graph)
    warnings = (undefined_terms(assembled.usage(), defining, base=base, keep=keep) if defining is not None
                else Graph())
    results = read_results(engine_report, shapes_graph, lang, keep)
    if len(warnings):
        results = sorted(results + read_results(_as_report(warnings), shapes_graph, lang),
                         key=lambda r: ({"Violation": 0, "Warning": 1}.get(r.severity, 2), str(r.focus_node)))
    report = build_report(engine_report, results, warnings, str(shapes_ns(base)))
    return ValidationOutcome(not results, report, results, lang, assembled.labels(results), shapes_graph,
                             engine_name)


@dataclass
class _Assembled:
    """The data graph as the engine gets it, and what the rest of :func:`validate` needs to know about it."""

    engine_input: object
    #: Nodes that only the added context (reference neighbourhood, hierarchy) mentions, not the data.
    only_context: set
    #: The triples the vocabulary check reads (all of the data, or only those using the project's namespace).
    usage: Callable[[], Graph]
    #: A graph with the labels of the results' focus nodes (for the readable reports).
    labels: Callable[[list], Graph]


def _context(seeds: set, reference, ontology) -> Graph:
    context = Graph()  # what is added around the data: reference neighbourhood and hierarchy
    if isinstance(reference, Graph):
        context += neighbourhood(seeds, reference)
    if isinstance(ontology, Graph):
        context += ontology
    return context


def _in_rdflib(data_graph: Graph, reference, ontology, engine_name: str) -> _Assembled:
    context = _context(set(data_graph.subjects()) | set(data_graph.objects()), reference, ontology)
    # pyshacl re-parses each SPARQL constraint per focus node; the caching graph parses each text once.
    full = QueryCachingGraph() if engine_name == "pyshacl" else Graph()
    full += data_graph
    full += context
    only_context = {n for n in (*context.subjects(), *context.objects())
                    if (n, None, None) not in data_graph and (None, None, n) not in data_graph}
    return _Assembled(full, only_context, lambda: data_graph, lambda results: full)


def _natively(paths: list, reference, ontology, defining: Graph | None, base: str) -> _Assembled:
    from .render import LABEL_PROPERTIES

    namespace = str(ontology_ns(base))
    parsed = native_input.load_files(paths, base=base, namespace=namespace if defining is not None else "",
                                     defined=defined_terms(defining, namespace) if defining is not None
                                     else frozenset(), label_properties=LABEL_PROPERTIES)
    context = _context(parsed.mentioned, reference, ontology)
    only_context = {n for n in (*context.subjects(), *context.objects())
                    if n not in parsed.mentioned and not isinstance(n, Literal)}
    parsed.lines.append(context.serialize(format="nt"))
    engine_input = engines.ntriples_input("\n".join(parsed.lines))
    parsed.lines.clear()  # the engine has its own copy; the lines were the largest thing held here
    labels = Graph()
    labels += context

    def labelled(results: list) -> Graph:
        return labels + parsed.labels_of({r.focus_node for r in results})

    return _Assembled(engine_input, only_context, lambda: parsed.undefined_uses, labelled)


def _paths(data) -> list | None:
    """The data as a list of file paths, or None when they are an rdflib graph."""
    if isinstance(data, (Dataset, Graph)):
        return None
    return [data] if isinstance(data, (str, os.PathLike)) else list(data)


def _as_report(fragment: Graph) -> Graph:
    """Attach loose results to a report node, so that :func:`read_results` reads them like an engine's."""
    from rdflib import RDF, BNode

    from .vocab import SH

    report = Graph()
    report += fragment
    root = BNode()
    for node in fragment.subjects(RDF.type, SH.ValidationResult):
        report.add((root, SH.result, node))
    return report


def _as_graph(data, base: str) -> Graph:
    if isinstance(data, (Dataset, Graph)):
        return union_graph(data, base=base) if isinstance(data, Dataset) else data
    paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
    out = Graph()
    for path in paths:
        out += union_graph(load_rdf_file(path), base=base)  # named graphs of a TriG file are marked sd:Graph
    return out


def _shapes_graph(shapes, names, root, base: str) -> Graph:
    if shapes is None or names is not None:
        graph = load_shapes(names, root=root, base=base)
    else:
        graph = Graph()
    if isinstance(shapes, (str, os.PathLike)):
        from .data import rdf_format

        try:
            shapes = Graph().parse(Path(shapes), format=rdf_format(None, str(shapes)))
        except SyntaxError as exc:
            raise ShapesError(f"{shapes}: {exc}") from exc
    if isinstance(shapes, Graph):
        graph += shapes
    return with_imported_prefixes(graph)


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
