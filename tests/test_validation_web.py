"""``/validate`` over HTTP: formats by Content-Type and Accept, messages by Accept-Language, and the errors
(400 with the parser's line, 404 for an unknown shape set, 400 naming a malformed shape, 413 when too big)."""

from __future__ import annotations

import io
import json
import time

import pytest
import requests
from rdflib import Graph, Literal, URIRef

from helsegraf.config import Settings
from helsegraf.validation import SH
from helsegraf.web import create_app

HGSH = "https://w3id.org/helsegraf/shapes#"
BUILDING = "https://w3id.org/helsegraf/id/building/test-bygg"
UPLOAD = f"""@prefix hg: <https://w3id.org/helsegraf/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BUILDING}> a hg:Building ;
    rdfs:label "Testbygg <script>alert(1)</script>"@nb ;
    hg:locatedIn <https://w3id.org/helsegraf/id/municipality/9999> .
"""


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(bundled_data=False))
    app.testing = True
    return app.test_client()


def post(client, body=UPLOAD, content_type="text/turtle", accept="application/json", lang=None, query=""):
    headers = {"Accept": accept}
    if lang:
        headers["Accept-Language"] = lang
    return client.post("/validate" + query, data=body.encode(), content_type=content_type, headers=headers)


@pytest.mark.unit
def test_json_summary_names_focus_node_shape_and_component_in_bokmal_by_default(client):
    response = post(client)
    assert response.status_code == 200
    summary = response.get_json()
    assert summary["conforms"] is False and summary["lang"] == "nb"
    results = [r for group in summary["focusNodes"] for r in group["results"]]
    located = [r for r in results if r["sourceShape"] == HGSH + "BuildingShape-locatedIn"]
    assert located[0]["focusNode"] == BUILDING
    assert located[0]["sourceConstraintComponent"] == str(SH.ClassConstraintComponent)
    assert located[0]["message"].startswith("Bygget ligger ikke i noen kjent kommune")
    assert response.headers["Content-Language"] == "nb"


@pytest.mark.unit
def test_messages_follow_accept_language_english(client):
    summary = post(client, lang="en-GB,en;q=0.9").get_json()
    messages = [r["message"] for g in summary["focusNodes"] for r in g["results"]]
    assert any(m.startswith("The building lies in no known municipality") for m in messages)
    assert summary["lang"] == "en"


@pytest.mark.unit
def test_turtle_report_is_a_shacl_validation_report(client):
    response = post(client, accept="text/turtle")
    assert response.mimetype == "text/turtle"
    report = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    root = next(report.subjects(None, SH.ValidationReport))
    assert report.value(root, SH.conforms) == Literal(False)
    shapes = {str(o) for o in report.objects(None, SH.sourceShape)}
    assert HGSH + "BuildingShape-locatedIn" in shapes


@pytest.mark.unit
def test_json_ld_report_parses_as_rdf(client):
    response = post(client, accept="application/ld+json")
    assert response.mimetype == "application/ld+json"
    report = Graph().parse(data=response.get_data(as_text=True), format="json-ld")
    assert (None, SH.focusNode, URIRef(BUILDING)) in report


@pytest.mark.unit
def test_html_report_groups_by_focus_node_escapes_values_and_links_the_resource(client):
    response = post(client, accept="text/html", lang="nb")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="/id/building/test-bygg"' in page
    assert "Brudd" in page


@pytest.mark.unit
def test_n_triples_body_and_conforming_data(client):
    body = (f'<{BUILDING}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
            '<https://w3id.org/helsegraf/ontology#Building> .\n'
            f'<{BUILDING}> <https://w3id.org/helsegraf/ontology#locatedIn> '
            '<https://w3id.org/helsegraf/id/municipality/5037> .\n'
            f'<{BUILDING}> <http://www.w3.org/2000/01/rdf-schema#label> "Testbygg"@nb .\n')
    summary = post(client, body, content_type="application/n-triples").get_json()
    assert summary["conforms"] is True
    assert summary["counts"]["Violation"] == 0


@pytest.mark.unit
def test_multipart_upload_with_a_chosen_shape_set(client):
    response = client.post("/validate", data={
        "data": (io.BytesIO(UPLOAD.encode()), "plan.ttl", "text/turtle"),
        "shape-set": "plans",
    }, content_type="multipart/form-data", headers={"Accept": "application/json"})
    summary = response.get_json()
    assert response.status_code == 200
    assert summary["conforms"] is True  # the building fails integrity, which was not chosen


@pytest.mark.unit
def test_multipart_upload_with_the_users_own_shapes(client):
    shapes = f"""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ex:S a sh:NodeShape ; sh:targetNode <{BUILDING}> ; sh:property ex:S-comment .
    ex:S-comment sh:path rdfs:comment ; sh:minCount 1 ; sh:message "mangler kommentar"@nb ."""
    response = client.post("/validate", data={
        "data": (io.BytesIO(UPLOAD.encode()), "plan.ttl"),
        "shapes": (io.BytesIO(shapes.encode()), "mine.ttl"),
    }, content_type="multipart/form-data", headers={"Accept": "application/json"})
    results = [r for g in response.get_json()["focusNodes"] for r in g["results"]]
    assert [r["sourceShape"] for r in results] == ["https://example.org/#S-comment"]
    assert results[0]["message"] == "mangler kommentar"


@pytest.mark.unit
def test_pasted_turtle_from_the_html_form(client):
    response = client.post("/validate", data={"data": UPLOAD, "shape-set": "integrity"},
                           headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "test-bygg" in response.get_data(as_text=True)


@pytest.mark.unit
def test_unparseable_upload_is_400_with_the_parsers_line(client):
    response = post(client, '@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n')
    assert response.status_code == 400
    assert "line 2" in response.get_data(as_text=True)


@pytest.mark.unit
def test_unknown_shape_set_is_404(client):
    response = post(client, query="?shape-set=nonexistent")
    assert response.status_code == 404
    assert "nonexistent" in response.get_data(as_text=True)


@pytest.mark.unit
def test_malformed_user_shapes_are_400_naming_the_shape(client):
    shapes = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/#> .
    ex:Broken a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:Broken-p .
    ex:Broken-p sh:path ex:p ; sh:minCount "one" ."""
    response = client.post("/validate", data={
        "data": (io.BytesIO(UPLOAD.encode()), "plan.ttl"),
        "shapes": (io.BytesIO(shapes.encode()), "mine.ttl"),
    }, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Broken-p" in response.get_data(as_text=True)


@pytest.mark.unit
def test_oversized_upload_is_413():
    app = create_app(Settings(bundled_data=False, max_body_bytes=200))
    response = app.test_client().post("/validate", data=UPLOAD.encode() * 3, content_type="text/turtle")
    assert response.status_code == 413


@pytest.mark.unit
def test_form_page_lists_the_shape_sets_in_both_languages(client):
    nb = client.get("/validate", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    en = client.get("/validate?lang=en").get_data(as_text=True)
    assert 'value="integrity"' in nb and "Sjekk planen" in nb
    assert "Check the plan" in en and 'value="shapes-lint"' not in en


@pytest.mark.unit
def test_a_thousand_triple_upload_validates_within_a_few_seconds(client):
    """Aim: under 1 s on a free machine; the bound is loose because the test machine is shared."""
    lines = ["@prefix hg: <https://w3id.org/helsegraf/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ."]
    for i in range(250):
        iri = f"<https://w3id.org/helsegraf/id/building/test-{i}>"
        lines.append(f'{iri} a hg:Building ; rdfs:label "Bygg {i}"@nb ; '
                     f'hg:locatedIn <https://w3id.org/helsegraf/id/municipality/5037> ; hg:capacity {i} .')
    post(client, "\n".join(lines[:3]))  # warm the caches (reference data, shapes)
    started = time.perf_counter()
    response = post(client, "\n".join(lines))
    elapsed = time.perf_counter() - started
    assert response.get_json()["conforms"] is True
    assert elapsed < 5.0, f"{elapsed:.2f} s"


@pytest.mark.integration
def test_live_server_validates_an_upload_in_english(live_server):
    response = requests.post(live_server.url + "/validate", data=UPLOAD.encode(),
                             headers={"Content-Type": "text/turtle", "Accept": "application/json",
                                      "Accept-Language": "en"}, timeout=60)
    assert response.status_code == 200
    summary = response.json()
    assert summary["conforms"] is False
    assert json.dumps(summary["focusNodes"]).count("BuildingShape-locatedIn") == 1
    assert [r["rule_anchor"] for e in summary["elements"] for r in e["results"]] == ["BuildingShape-locatedIn"]
