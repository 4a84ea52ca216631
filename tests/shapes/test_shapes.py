"""Every shape fires on an ``invalid-*`` fixture (exact focus node, source shape and component) and stays
quiet on a ``valid-*`` fixture; the shapes graph passes its own lint; the bundled graph has no Violation.

Fixture headers: ``# expect: <focus> <source shape> <component>`` (one per expected result; all results
must be listed) and ``# covers: <shape> ...`` (shapes the valid fixture exercises without a result).
Prefixed names ``kind:slug`` expand to ``https://w3id.org/helsegraf/id/kind/slug``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef

from helsegraf import validation

HERE = Path(__file__).parent
FIXTURES = sorted(p for p in HERE.iterdir() if p.name.startswith(("valid-", "invalid-")))
PREFIXES = {
    "hgsh": "https://w3id.org/helsegraf/shapes#",
    "sh": "http://www.w3.org/ns/shacl#",
    "ex": "https://example.org/shapes#",
    "hgid": "https://w3id.org/helsegraf/id/",
}
pytestmark = pytest.mark.unit


def expand(name: str) -> str:
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local if prefix in PREFIXES else f"https://w3id.org/helsegraf/id/{prefix}/{local}"


def header(path: Path, key: str) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(rf"#\s*{key}:\s*(.*)", line)
        if match:
            rows.append(match.group(1).split())
    return rows


def shape_set_of(path: Path) -> str:
    return path.name.split(".")[0].split("-", 1)[1]


def run(path: Path) -> validation.ValidationOutcome:
    name = shape_set_of(path)
    if name == "shapes-lint":
        return validation.lint_shapes(Graph().parse(path, format="turtle"))
    return validation.validate(path, shape_sets=[name])


def test_there_is_a_valid_and_an_invalid_fixture_for_every_shape_set():
    sets = set(validation.shape_sets())
    assert sets, "no shape sets found"
    for name in sets:
        kinds = {p.name.split("-", 1)[0] for p in FIXTURES if shape_set_of(p) == name}
        assert kinds == {"valid", "invalid"}, f"{name}: fixtures {sorted(kinds)}"


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.name.startswith("invalid-")], ids=lambda p: p.name)
def test_invalid_fixture_gives_exactly_the_expected_results(path):
    expected = Counter(tuple(expand(x) for x in row) for row in header(path, "expect"))
    assert expected, f"{path.name} lists no expected result"
    outcome = run(path)
    found = Counter((str(r.focus_node), str(r.source_shape), str(r.component)) for r in outcome.results)
    assert found == expected
    for r in outcome.results:
        assert r.messages.get("nb") and r.messages.get("en"), f"{r.source_shape} lacks a nb or en message"


@pytest.mark.parametrize("path", [p for p in FIXTURES if p.name.startswith("valid-")], ids=lambda p: p.name)
def test_valid_fixture_conforms_without_any_result(path):
    outcome = run(path)
    assert [(str(r.focus_node), str(r.source_shape)) for r in outcome.results] == []
    assert outcome.conforms


HGSH = Namespace(PREFIXES["hgsh"])
#: The planner's annotations on every shape: no constraints, so they make no shape reportable.
ANNOTATIONS = (HGSH.fixHint, HGSH.legalSource, HGSH.legalSourceNote)
LEGAL_CLASSES = (URIRef("http://data.europa.eu/eli/ontology#LegalResource"),
                 URIRef("http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
                 URIRef("https://w3id.org/helsegraf/ontology#NationalGuideline"))


def reportable_shapes(shapes: Graph) -> set[str]:
    """Shapes that produce results: property shapes and node shapes with constraints of their own that a
    target reaches (shapes used only through sh:node or sh:qualifiedValueShape report through their user)."""
    sh = validation.SH
    out = set()
    for kind in (sh.NodeShape, sh.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if not str(shape).startswith(PREFIXES["hgsh"]):
                continue
            if (None, sh.node, shape) in shapes or (None, sh.qualifiedValueShape, shape) in shapes:
                continue
            own = {p for p in shapes.predicates(shape) if p not in (
                RDF.type, sh.name, sh.description, sh.message, sh.severity, sh.property, sh.targetClass,
                sh.targetNode, sh.targetSubjectsOf, sh.targetObjectsOf, sh.path, *ANNOTATIONS)}
            if kind == sh.PropertyShape or own:
                out.add(str(shape))
    return out


def test_every_shape_fires_in_an_invalid_fixture_and_is_covered_by_a_valid_one():
    shapes = validation.load_shapes(list(validation.shape_sets()))
    wanted = reportable_shapes(shapes)
    assert len(wanted) > 30
    fired = {expand(row[1]) for p in FIXTURES if p.name.startswith("invalid-") for row in header(p, "expect")}
    covered = {expand(x) for p in FIXTURES if p.name.startswith("valid-") for row in header(p, "covers") for x in row}
    assert wanted - fired == set(), "shapes no invalid fixture makes fire"
    assert wanted - covered == set(), "shapes no valid fixture covers"


def test_every_project_shape_set_passes_the_shapes_lint():
    outcome = validation.lint_shapes(validation.load_shapes(list(validation.shape_sets())))
    assert [(str(r.focus_node), r.message) for r in outcome.results] == []


def test_lint_finds_the_misspelt_target_of_the_dcat_ap_no_defect():
    shapes = Graph().parse(HERE / "invalid-shapes-lint.ttl", format="turtle")
    outcome = validation.lint_shapes(shapes, lang="en")
    misspelt = [r for r in outcome.results if r.source_shape == URIRef(PREFIXES["hgsh"] + "LintKnownTermsShape")]
    assert [str(r.value) for r in misspelt] == ["http://www.w3.org/ns/shacl#targetSUbjectOf"]
    assert "targetSUbjectOf is not a SHACL term" in misspelt[0].message


def test_bundled_graph_conforms_and_still_warns_the_planner():
    """Issue 4: the seeds leave out e.g. who adopted Levanger's Handlings- og økonomiplan; that is a Warning."""
    outcome = validation.validate(validation.bundled_graph(), reference=False)
    assert [(str(r.focus_node), str(r.source_shape)) for r in outcome.results if r.severity == "Violation"] == []
    plan = URIRef("https://w3id.org/helsegraf/id/plan/levanger-handlings-og-okonomiplan-2024-2027")
    warned = {str(r.source_shape) for r in outcome.results if r.focus_node == plan}
    assert PREFIXES["hgsh"] + "PlanShape-adoptedBy" in warned
    assert all(r.severity == "Warning" for r in outcome.results if r.focus_node == plan)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_pyshacl_turbo_agrees_with_pyshacl_on_every_fixture(path):
    """The faster engine is offered only while it reports what the reference engine reports."""
    name = shape_set_of(path)  # pyshacl-turbo is a dependency: no skip when it is missing

    def results(engine):
        if name == "shapes-lint":
            outcome = validation.lint_shapes(Graph().parse(path, format="turtle"), engine=engine)
        else:
            outcome = validation.validate(path, shape_sets=[name], engine=engine)
        return sorted((str(r.focus_node), str(r.source_shape), str(r.component), r.severity, r.messages.get("nb"),
                       r.messages.get("en")) for r in outcome.results)

    assert results("pyshacl-turbo") == results("pyshacl")


def test_every_shape_has_a_fix_hint_and_a_legal_source_in_nb_nn_and_en():
    """Each node shape, property shape and SPARQL constraint says what to do (nb, nn, en) and which law,
    section or guideline it rests on, or hgsh:NoLegalSource with a note saying why; the cited source is a
    law or guideline the graph knows."""
    shapes = validation.load_shapes(list(validation.shape_sets()))
    known = validation.bundled_graph()
    sh = validation.SH
    checked = 0
    for kind in (sh.NodeShape, sh.PropertyShape, sh.SPARQLConstraint):
        for shape in set(shapes.subjects(RDF.type, kind)):
            if not str(shape).startswith(PREFIXES["hgsh"]):
                continue
            checked += 1
            hints = {lit.language: str(lit) for lit in shapes.objects(shape, HGSH.fixHint)}
            assert {"nb", "nn", "en"} <= set(hints), f"{shape}: fix hint in {sorted(hints)}"
            assert all(len(h) > 15 and "\n" not in h for h in hints.values()), f"{shape}: one line each"
            sources = list(shapes.objects(shape, HGSH.legalSource))
            assert len(sources) == 1, f"{shape}: one hgsh:legalSource (or hgsh:NoLegalSource), got {sources}"
            notes = {lit.language for lit in shapes.objects(shape, HGSH.legalSourceNote)}
            assert {"nb", "en"} <= notes, f"{shape}: legal-source note in nb and en"
            if sources[0] != HGSH.NoLegalSource:
                types = set(known.objects(sources[0], RDF.type))
                assert types & set(LEGAL_CLASSES), f"{shape}: {sources[0]} is no law or guideline of the graph"
    assert checked >= 80
