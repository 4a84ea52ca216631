"""Validate-on-write: a write that introduces a SHACL Violation is refused with 422 and the report."""

import dataclasses

from write_helpers import AUTH, UPDATE, ask

LEVANGER = "https://w3id.org/helsegraf/id/municipality/5037"
HG = "https://w3id.org/helsegraf/ontology#"
BAD = f'<{LEVANGER}> <{HG}municipalityNumber> "537" .'  # four digits is the pattern; 537 is the wrong number
GOOD = f'<{LEVANGER}> <http://www.w3.org/2000/01/rdf-schema#comment> "written by a test"@en .'
GRAPH = "https://w3id.org/helsegraf/graph/test/validate"


def test_put_that_violates_a_shape_is_refused_with_the_report(client, app):
    store = app.extensions["helsegraf"]["store"]
    before = store.count()
    response = client.put(f"/data?graph={GRAPH}", data=BAD, content_type="application/n-triples", headers=AUTH)
    assert response.status_code == 422
    report = response.json
    assert report["conforms"] is False and report["counts"]["Violation"] >= 1
    assert LEVANGER in response.get_data(as_text=True)
    assert store.count() == before and GRAPH not in store.graphs()


def test_report_as_turtle_on_request(client):
    response = client.put(f"/data?graph={GRAPH}", data=BAD, content_type="application/n-triples",
                          headers={**AUTH, "Accept": "text/turtle"})
    assert response.status_code == 422 and b"ValidationReport" in response.data


def test_sparql_update_that_violates_is_refused_and_leaves_nothing(client):
    update = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {BAD} <urn:x:marker> <urn:x:p> 1 . }} }}"
    assert client.post("/sparql", data=update, content_type=UPDATE, headers=AUTH).status_code == 422
    assert not ask(client, "ASK { <urn:x:marker> ?p ?o }")
    assert not ask(client, f'ASK {{ <{LEVANGER}> <{HG}municipalityNumber> "537" }}')


def test_valid_write_about_the_same_node_is_accepted(client):
    response = client.put(f"/data?graph={GRAPH}", data=GOOD, content_type="application/n-triples", headers=AUTH)
    assert response.status_code == 201, response.data
    assert ask(client, f"ASK {{ GRAPH <{GRAPH}> {{ <{LEVANGER}> ?p ?o }} }}")
    assert client.delete(f"/data?graph={GRAPH}", headers=AUTH).status_code == 204


def test_validation_can_be_switched_off(client, app, monkeypatch):
    settings = app.extensions["helsegraf"]["settings"]
    monkeypatch.setitem(app.extensions["helsegraf"], "settings",
                        dataclasses.replace(settings, validate_on_write=False))
    response = client.put(f"/data?graph={GRAPH}-off", data=BAD, content_type="application/n-triples", headers=AUTH)
    assert response.status_code == 201
    assert client.delete(f"/data?graph={GRAPH}-off", headers=AUTH).status_code == 204
