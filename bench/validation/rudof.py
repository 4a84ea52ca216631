"""Measure pyrudof (rudof's SHACL engine, PyPI ``pyrudof``) on the same input as helsegraf's engines.

pyrudof is not a dependency: it runs in a venv of its own. Two steps:

    python bench/validation/rudof.py prepare GRAPH.nq OUT_DIR        # project venv: data.nt + shapes.ttl
    RUDOF_VENV/bin/python bench/validation/rudof.py run OUT_DIR      # pyrudof venv: time, memory, report.ttl
    python bench/validation/rudof.py compare OUT_DIR GRAPH.nq        # project venv: results vs pyshacl-turbo

``prepare`` writes the data graph helsegraf validates (the file's triples in one graph, ``sd:Graph`` markers,
the reference neighbourhood and the class hierarchy) as N-Triples and the data shape sets as Turtle, so that
every engine sees the same bytes.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def prepare(graph: Path, out: Path) -> None:
    from helsegraf import validation
    from helsegraf.validation import native_input

    out.mkdir(parents=True, exist_ok=True)
    parsed = native_input.load_files([graph])
    context = validation.neighbourhood(parsed.mentioned, validation.bundled_graph(reference_only=True))
    context += validation.ontology_graph()
    text = "\n".join(parsed.lines) + "\n" + context.serialize(format="nt")
    (out / "data.nt").write_text(text, encoding="utf-8")
    validation.load_shapes().serialize(out / "shapes.ttl", format="turtle")


def run(out: Path) -> None:
    import pyrudof

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    started = time.perf_counter()
    rudof.read_data(str(out / "data.nt"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(str(out / "shapes.ttl"), format=pyrudof.ShaclFormat.Turtle)
    report = rudof.validate_shacl(mode=pyrudof.ShaclValidationMode.Native)
    elapsed = time.perf_counter() - started
    turtle = rudof.serialize_shacl_validation_results(format=pyrudof.ResultShaclValidationFormat.Turtle)
    (out / "report.ttl").write_text(turtle, encoding="utf-8")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(elapsed, 2), "peak_mib": round(peak), "results": len(report),
                      "version": getattr(pyrudof, "__version__", "?")}))


def compare(out: Path, graph: Path) -> None:
    from rdflib import Graph

    from helsegraf import validation
    from helsegraf.validation.vocab import SH

    report = Graph().parse(out / "report.ttl", format="turtle")
    found = sorted((str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceShape)),
                    str(report.value(r, SH.sourceConstraintComponent)), str(report.value(r, SH.resultSeverity)))
                   for r in report.subjects(None, SH.ValidationResult))
    outcome = validation.validate(graph, engine="pyshacl-turbo")
    engine = [r for r in outcome.results if not str(r.component).endswith("DefinedTermConstraintComponent")]
    expected = sorted((str(r.focus_node), str(r.source_shape), str(r.component), str(SH[r.severity]))
                      for r in engine)
    print(json.dumps({"rudof": len(found), "pyshacl-turbo": len(expected), "identical": found == expected,
                      "only_rudof": len(set(found) - set(expected)), "only_turbo": len(set(expected) - set(found))}))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"prepare": lambda: prepare(Path(args[0]), Path(args[1])), "run": lambda: run(Path(args[0])),
     "compare": lambda: compare(Path(args[0]), Path(args[1]))}[command]()
