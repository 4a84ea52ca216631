"""The W3C SHACL core and SHACL-SPARQL test suite, read from its manifests, and pySHACL's way of comparing reports.

``../shared/w3c/data-shapes-test-suite/tests/manifest.ttl`` includes the core and SPARQL manifests, which
include one file per test; each test (``sht:Validate``) names its data graph and shapes graph (usually the file
itself) and its expected ``sh:ValidationReport`` (or ``sht:Failure`` when the shapes must be refused).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef

from helsegraf.config import PROJECT_ROOT

SUITE = (PROJECT_ROOT / ".." / "shared" / "w3c" / "data-shapes-test-suite" / "tests").resolve()
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


@dataclass(frozen=True)
class SuiteTest:
    """One ``sht:Validate`` entry: its IRI, data and shapes files, and the manifest file holding the expected report."""

    iri: str
    file_iri: str
    data: Path
    shapes: Path
    manifest: Path

    @property
    def name(self) -> str:
        return self.iri.split("/tests/", 1)[-1]

    def expected(self) -> tuple[Graph, object]:
        """The test file's graph and its ``mf:result`` node."""
        graph = Graph().parse(self.manifest, format="turtle", publicID=self.manifest.as_uri())
        return graph, graph.value(URIRef(self.file_iri), MF.result)


def suite_tests(root: Path = SUITE) -> list[SuiteTest]:
    """Every ``sht:Validate`` test reachable from the top manifest, in manifest order."""
    tests: list[SuiteTest] = []
    pending, seen = [root / "manifest.ttl"], set()
    while pending:
        path = pending.pop(0)
        if path in seen:
            continue
        seen.add(path)
        graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
        for include in graph.objects(None, MF.include):
            pending.append(Path(str(include).removeprefix("file://")))
        for manifest in graph.subjects(RDF.type, MF.Manifest):
            for entries in graph.objects(manifest, MF.entries):
                for entry in graph.items(entries):
                    if (entry, RDF.type, SHT.Validate) not in graph:
                        continue
                    action = graph.value(entry, MF.action)
                    data = Path(str(graph.value(action, SHT.dataGraph)).removeprefix("file://"))
                    shapes = Path(str(graph.value(action, SHT.shapesGraph)).removeprefix("file://"))
                    tests.append(SuiteTest(_public_iri(str(entry), root), str(entry), data, shapes, path))
    return tests


def _public_iri(file_iri: str, root: Path) -> str:
    """A test's IRI as the suite publishes it (``http://www.w3.org/ns/shacl/tests/...``), not its file path."""
    return "http://www.w3.org/ns/shacl/tests/" + file_iri.removeprefix(root.as_uri() + "/")


def expects_failure(graph: Graph, result) -> bool:
    """Whether the test expects the shapes to be refused (``mf:result sht:Failure``)."""
    return result == SHT.Failure


def same_report(report: Graph, expected_graph: Graph, expected_result) -> bool:
    """pySHACL's own comparison (``pyshacl.validator_conformance.compare_validation_reports``): same
    ``sh:conforms``, same number of results, and each expected (focus, value, path) found, messages ignored."""
    from pyshacl.validator_conformance import compare_validation_reports

    copy = Graph()
    copy += report
    expected = Graph()
    expected += expected_graph
    return compare_validation_reports(copy, expected, expected_result, logging.getLogger("shacl-suite"))
