"""SHACL validation: shape sets, data assembly, engines, the outcome planners read, and its rendering.

The project's shapes live in ``shapes/*.ttl``, one file per concern; a *shape set* is named by its file stem
(``integrity``, ``plans``, ...). The package is split along its seams:

* :mod:`.shapes` — shape sets and the pre-check of user shapes;
* :mod:`.data` — parsing uploads and assembling the data graph (reference neighbourhood, ontology hierarchy);
* :mod:`.native_input` — the fast path for files and pyshacl-turbo: Oxigraph's parser, no rdflib graph;
* :mod:`.engines` — pyshacl and pyshacl-turbo behind one call;
* :mod:`.terms` — the check of the upload's ``hg:`` terms against the ontology;
* :mod:`.validator` — :func:`validate`, which puts them together;
* :mod:`.outcome` — results and the two verdicts (SHACL's ``conforms``, the planner's ``no_violations``);
* :mod:`.render` — text, JSON summary, Turtle and JSON-LD;
* :mod:`.on_write` — the before/after check of a write, on the embedded store or a remote one.
"""

from .data import (
    RDF_FORMATS,
    bundled_files,
    bundled_graph,
    graph_name,
    load_rdf_file,
    neighbourhood,
    ontology_graph,
    parse_rdf,
    rdf_format,
    union_graph,
)
from .engines import ENGINES, QueryCachingGraph, engine_module
from .errors import RDFSyntaxError, ShapesError, UnknownEngineError, UnknownShapeSetError, ValidationError
from .outcome import SEVERITIES, ValidationOutcome, ValidationResult, pick_message
from .render import report_as_jsonld
from .shapes import META_SHAPE_SETS, check_shapes, load_shapes, shacl_vocabulary, shape_sets, shapes_dir
from .validator import lint_shapes, validate
from .vocab import GRAPH_BASE, HGSH, SD, SH

__all__ = [
    "ENGINES", "GRAPH_BASE", "HGSH", "META_SHAPE_SETS", "RDF_FORMATS", "SD", "SEVERITIES", "SH",
    "QueryCachingGraph", "RDFSyntaxError", "ShapesError", "UnknownEngineError", "UnknownShapeSetError",
    "ValidationError", "ValidationOutcome", "ValidationResult", "bundled_files", "bundled_graph", "check_shapes",
    "engine_module", "graph_name", "lint_shapes", "load_rdf_file", "load_shapes", "neighbourhood",
    "ontology_graph", "parse_rdf", "pick_message", "rdf_format", "report_as_jsonld", "shacl_vocabulary",
    "shape_sets", "shapes_dir", "union_graph", "validate",
]
