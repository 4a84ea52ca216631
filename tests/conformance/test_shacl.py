"""W3C SHACL core + SHACL-SPARQL (120 tests, from the manifests) through ``POST /validate`` and through
``helsegraf validate``, with each bundled engine; reports compared as pySHACL's own suite compares them.

Each test's data and shapes files are sent as written, with an ``@base`` line naming the file so that relative
IRIs resolve as the manifest's do. ``sht:Failure`` tests expect the shapes to be refused (400 / exit 2).
Expected failures are listed by test IRI with their reason and are strict: a test that starts passing fails.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from helsegraf.cli import main
from helsegraf.config import Settings
from helsegraf.validation import ENGINES
from helsegraf.web import create_app

sys.path.insert(0, str(Path(__file__).parent))
from shacl_suite import SUITE, expects_failure, same_report, suite_tests  # noqa: E402

pytestmark = [pytest.mark.conformance]

T = "http://www.w3.org/ns/shacl/tests/"
_SHAPES_GRAPH = {
    T
    + "sparql/pre-binding/shapesGraph-001": "pyshacl does not support the pre-bound $shapesGraph and refuses the shapes (400 / exit 2)"
}
_UNIQUE_LANG = {
    T
    + "core/property/uniqueLang-002": 'rdflib\'s parser normalises "1"^^xsd:boolean to true, so sh:uniqueLang "1" is read as active '
    "(SHACL activates it by the literal true only); both engines see the normalised literal"
}
#: (engine, path) -> {test IRI: reason}.
EXPECTED_FAILURES: dict[tuple[str, str], dict[str, str]] = {
    ("pyshacl", "web"): _SHAPES_GRAPH | _UNIQUE_LANG,
    ("pyshacl", "cli"): _SHAPES_GRAPH | _UNIQUE_LANG,
    ("pyshacl-turbo", "web"): _UNIQUE_LANG,
    ("pyshacl-turbo", "cli"): _UNIQUE_LANG,
}

TESTS = suite_tests() if SUITE.is_dir() else []


def _text(path: Path) -> str:
    return f"@base <{path.as_uri()}> .\n" + path.read_text(encoding="utf-8")


def _params(path: str):
    for engine in ENGINES:
        failures = EXPECTED_FAILURES.get((engine, path), {})
        for test in TESTS:
            marks = [pytest.mark.xfail(strict=True, reason=failures[test.iri])] if test.iri in failures else []
            yield pytest.param(engine, test, id=f"{engine}-{test.name}", marks=marks)


@pytest.fixture(scope="module")
def clients():
    out = {}
    for engine in ENGINES:
        app = create_app(Settings(bundled_data=False, shacl_engine=engine))
        app.testing = True
        out[engine] = app.test_client()
    return out


def test_the_suite_is_there():
    assert len(TESTS) == 120, f"expected the 120 tests of {SUITE}"


@pytest.mark.parametrize(("engine", "test"), list(_params("web")))
def test_w3c_shacl_through_validate_endpoint(clients, engine, test):
    files = {
        "data": (io.BytesIO(_text(test.data).encode()), test.data.name, "text/turtle"),
        "shapes": (io.BytesIO(_text(test.shapes).encode()), test.shapes.name, "text/turtle"),
    }
    response = clients[engine].post(
        "/validate", data=files, content_type="multipart/form-data", headers={"Accept": "text/turtle"}
    )
    expected_graph, expected = test.expected()
    if expects_failure(expected_graph, expected):
        assert response.status_code == 400, response.get_data(as_text=True)[:500]
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    report = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert same_report(report, expected_graph, expected), response.get_data(as_text=True)[:3000]


@pytest.mark.parametrize(("engine", "test"), list(_params("cli")))
def test_w3c_shacl_through_cli(tmp_path, capsys, engine, test):
    data, shapes = tmp_path / ("data-" + test.data.name), tmp_path / ("shapes-" + test.shapes.name)
    data.write_text(_text(test.data), encoding="utf-8")
    shapes.write_text(_text(test.shapes), encoding="utf-8")
    code = main(["validate", str(data), "--shapes", str(shapes), "--engine", engine, "--format", "turtle"])
    out = capsys.readouterr()
    expected_graph, expected = test.expected()
    if expects_failure(expected_graph, expected):
        assert code == 2, out.out[:500]
        return
    assert code in (0, 1), out.err
    report = Graph().parse(data=out.out, format="turtle")
    assert same_report(report, expected_graph, expected), out.out[:3000]


#: W3C tests on which the engines may differ, with the reason (everything else must agree result for result).
ENGINES_DIFFER = dict(_SHAPES_GRAPH)


@pytest.mark.parametrize("test", [pytest.param(t, id=t.name) for t in TESTS if t.iri not in ENGINES_DIFFER])
def test_issue_12_defect_8_bundled_engines_agree_on_every_w3c_test(test):
    from helsegraf import validation

    data = validation.parse_rdf(_text(test.data), "turtle", allow_empty=True)
    shapes = validation.union_graph(validation.parse_rdf(_text(test.shapes), "turtle"), describe_graphs=False)
    found = {}
    for engine in ENGINES:
        try:
            outcome = validation.validate(data, shapes, engine=engine, reference=False, ontology=False)
            found[engine] = sorted((r.key()[:2] + r.key()[3:] for r in outcome.results), key=str)
        except validation.ShapesError:
            found[engine] = "refused"
    assert found["pyshacl"] == found["pyshacl-turbo"]
