"""Regression tests of issue 12 (SHACL validation a planner can trust), one per defect, named after it.

Defect 5 (validate-on-write on remote stores) is in ``tests/backends/test_validate_on_write_backends.py``; the
W3C suite and the engines' agreement on it in ``tests/conformance/test_shacl.py``.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from helsegraf import validation
from helsegraf.cli import main
from helsegraf.config import Settings
from helsegraf.validation import SH
from helsegraf.web import create_app

pytestmark = pytest.mark.unit
SUITE = Path(__file__).resolve().parents[1] / ".." / "shared" / "w3c" / "data-shapes-test-suite" / "tests"
OTHER_BASE = "https://example.org/hg/"
LEVANGER_537 = """@prefix hg: <https://w3id.org/helsegraf/ontology#> .
<https://w3id.org/helsegraf/id/municipality/5037> a hg:Municipality ; hg:municipalityNumber "537" .
"""
WARNING_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:LabelShape a sh:NodeShape ; sh:targetNode ex:elsewhere, "a literal" ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""


def client(**settings):
    app = create_app(Settings(bundled_data=False, **settings))
    app.testing = True
    return app.test_client()


def _shapes(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_issue_12_defect_1_results_kept_when_focus_node_is_not_a_subject_of_the_upload():
    upload = Graph().parse(data="<http://example.org/a> <http://example.org/points-at> "
                                "<http://example.org/elsewhere> .", format="turtle")
    outcome = validation.validate(upload, _shapes(WARNING_SHAPES))
    assert {str(r.focus_node) for r in outcome.results} == {"http://example.org/elsewhere", "a literal"}


def test_issue_12_defect_1_reference_data_pulled_in_do_not_fill_the_report():
    upload = Graph().parse(data=LEVANGER_537, format="turtle")
    outcome = validation.validate(upload)
    mentioned = set(upload.subjects()) | set(upload.objects())
    assert outcome.results and {r.focus_node for r in outcome.results} <= mentioned


def test_issue_12_defect_2_sh_conforms_is_false_for_warnings_and_no_violations_is_separate(capsys):
    upload = Graph().parse(data="<http://example.org/elsewhere> <http://example.org/p> 1 .", format="turtle")
    outcome = validation.validate(upload, _shapes(WARNING_SHAPES), reference=False)
    assert {r.severity for r in outcome.results} == {"Warning"}
    assert outcome.conforms is False and outcome.no_violations is True
    root = next(outcome.report_graph.subjects(None, SH.ValidationReport))
    assert outcome.report_graph.value(root, SH.conforms) == Literal(False)
    summary = outcome.to_json()
    assert summary["conforms"] is False and summary["noViolations"] is True
    assert "Ingen brudd: ja" in outcome.to_text("nb") and "Samsvarer: nei" in outcome.to_text("nb")


def test_issue_12_defect_2_cli_exits_0_on_warnings_only(tmp_path, capsys):
    data, shapes = tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    data.write_text("<http://example.org/elsewhere> <http://example.org/p> 1 .\n")
    shapes.write_text(WARNING_SHAPES)
    assert main(["validate", str(data), "--shapes", str(shapes), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["conforms"] is False and summary["noViolations"] is True


@pytest.mark.skipif(not SUITE.is_dir(), reason="the W3C suite is not at ../shared/w3c")
@pytest.mark.parametrize("name", ["sparql/node/prefixes-001.ttl", "core/path/path-strange-002.ttl"])
def test_issue_12_defect_3_precheck_follows_owl_imports_and_accepts_unusual_paths(name):
    path = (SUITE / name).resolve()
    text = f"@base <{path.as_uri()}> .\n" + path.read_text()
    validation.check_shapes(Graph().parse(data=text, format="turtle"))  # raises ShapesError when refused
    files = {"data": (io.BytesIO(text.encode()), path.name, "text/turtle"),
             "shapes": (io.BytesIO(text.encode()), path.name, "text/turtle")}
    response = client().post("/validate", data=files, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["conforms"] is False


def test_issue_12_defect_3_precheck_still_refuses_an_unknown_prefix():
    shapes = _shapes("""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this nope:p ?x }" ] .""")
    with pytest.raises(validation.ShapesError, match="ex:S|example.org/S"):
        validation.check_shapes(shapes)


def test_issue_12_defect_4_a_configured_base_still_finds_the_violations(tmp_path, capsys):
    default = validation.validate(Graph().parse(data=LEVANGER_537, format="turtle"))
    rebased_text = LEVANGER_537.replace("https://w3id.org/helsegraf/", OTHER_BASE)
    rebased = validation.validate(Graph().parse(data=rebased_text, format="turtle"), base=OTHER_BASE)
    violations = [r for r in rebased.results if r.severity == "Violation"]
    assert violations and len(violations) == default.counts()["Violation"]
    assert all(str(r.source_shape).startswith(OTHER_BASE) for r in violations if isinstance(r.source_shape, URIRef))

    response = client(base=OTHER_BASE).post("/validate", data=rebased_text.encode(), content_type="text/turtle")
    assert response.get_json()["counts"]["Violation"] == len(violations)
    upload = tmp_path / "levanger.ttl"
    upload.write_text(rebased_text)
    assert main(["validate", str(upload), "--base", OTHER_BASE]) == 1
    assert "Samsvarer: nei" in capsys.readouterr().out


def test_issue_12_defect_6_misspelt_classes_and_properties_are_warned_with_the_closest_term():
    upload = Graph().parse(data="""@prefix hg: <https://w3id.org/helsegraf/ontology#> .
        <https://w3id.org/helsegraf/id/plan/test-plan> a hg:Plann ;
            hg:periodStar "2024"^^<http://www.w3.org/2001/XMLSchema#gYear> .
        """, format="turtle")
    outcome = validation.validate(upload)
    typos = {str(r.value).rsplit("#")[-1]: r for r in outcome.results
             if str(r.component).endswith("DefinedTermConstraintComponent")}
    assert set(typos) == {"Plann", "periodStar"}
    assert all(r.severity == "Warning" for r in typos.values())
    assert "Mente du hg:Plan?" in typos["Plann"].messages["nb"]
    assert "Did you mean hg:periodStart?" in typos["periodStar"].messages["en"]
    assert outcome.conforms is False


def test_issue_12_defect_6_defined_terms_give_no_vocabulary_warning():
    outcome = validation.validate(Path(__file__).parent / "shapes" / "valid-plans.ttl", shape_sets=["plans"])
    assert not [r for r in outcome.results if str(r.component).endswith("DefinedTermConstraintComponent")]


def _xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(("body", "name", "line", "column"), [
    (b"", "empty.ttl", 1, 1),
    (b"# only a comment\n@prefix hg: <https://w3id.org/helsegraf/ontology#> .\n", "comments.ttl", 1, 1),
    (b"kommune;innbyggere\nLevanger;20000\n", "plan.csv", 1, 1),
    (None, "plan.xlsx", 1, None),
    (b"kommune;innbyggere\n", "plan.csv", 1, 1),
], ids=["empty", "only-prefixes", "csv", "xlsx", "csv-typed"])
def test_issue_12_defect_7_empty_or_non_rdf_upload_is_400_with_line_and_column(request, body, name, line, column):
    body = _xlsx() if body is None else body
    kind = {"plan.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}.get(name)
    if request.node.callspec.id == "csv-typed":
        kind = "text/csv"
    files = {"data": (io.BytesIO(body), name, kind or "application/octet-stream")}
    response = client().post("/validate", data=files, content_type="multipart/form-data",
                             headers={"Accept": "application/json"})
    assert response.status_code == 400
    error = response.get_json()
    assert error["line"] == line and (column is None or error["column"] == column) and error["column"]
    assert error["file"] == name and error["reason"]


def test_issue_12_defect_7_unreadable_upload_page_is_norwegian_inside_the_site_layout():
    files = {"data": (io.BytesIO(b"kommune;innbyggere\n"), "plan.csv", "text/csv")}
    response = client().post("/validate", data=files, content_type="multipart/form-data",
                             headers={"Accept": "text/html", "Accept-Language": "nb"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Filen kunne ikke leses som RDF" in page and "linje 1, kolonne 1" in page
    assert '<header class="site">' in page and "Traceback" not in page


def test_issue_12_defect_7_empty_file_on_the_cli_exits_2(tmp_path, capsys):
    empty = tmp_path / "empty.ttl"
    empty.write_text("")
    assert main(["validate", str(empty)]) == 2
    assert "line 1, column 1" in capsys.readouterr().err


def test_issue_12_defect_8_engines_agree_on_the_bundled_graph():
    def results(engine):
        outcome = validation.validate(validation.bundled_graph(), reference=False, engine=engine)
        return sorted(((r.key(), r.messages.get("nb"), r.messages.get("en")) for r in outcome.results), key=str)

    assert results("pyshacl-turbo") == results("pyshacl")


def test_issue_12_defect_7_empty_request_body_is_400_with_its_position():
    response = client().post("/validate", data=b"", content_type="text/turtle", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert (response.get_json()["line"], response.get_json()["column"]) == (1, 1)
