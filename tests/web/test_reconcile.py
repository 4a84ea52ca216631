"""/reconcile: the W3C Reconciliation Service API 0.2, checked against the specification's own JSON schemas
(tests/fixtures/reconciliation-0.2), and a scripted client session over HTTP on a live server that does what
the specification's examples do (manifest, batch query with types and properties, suggest, preview, view)."""

import json
from pathlib import Path

import jsonschema
import pytest
import requests
from referencing import Registry, Resource
from web_app import app, client  # noqa: F401 - fixtures

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "reconciliation-0.2"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=_draft())))
    return Registry().with_resources(resources)


def _draft():
    from referencing.jsonschema import DRAFT7

    return DRAFT7


REGISTRY = _registry()


def check(instance, schema_name: str) -> None:
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    jsonschema.Draft7Validator(schema, registry=REGISTRY).validate(instance)


def _reconcile(client, queries: dict, method="post"):
    check(queries, "reconciliation-query-batch")
    if method == "post":
        response = client.post("/reconcile", data={"queries": json.dumps(queries)})
    else:
        response = client.get("/reconcile", query_string={"queries": json.dumps(queries)})
    assert response.status_code == 200, response.data
    body = response.get_json()
    check(body, "reconciliation-result-batch")
    return body


def test_manifest_is_valid(client):
    response = client.get("/reconcile")
    assert response.status_code == 200 and response.mimetype == "application/json"
    manifest = response.get_json()
    check(manifest, "manifest")
    assert {t["id"] for t in manifest["defaultTypes"]} == {
        "Municipality", "County", "HealthTrust", "RegionalHealthAuthority", "HealthCommunity", "Law", "Service"}


def test_the_schemas_are_live(client):
    """A manifest without versions fails the copied schema: the check is not vacuous."""
    manifest = client.get("/reconcile").get_json()
    del manifest["versions"]
    with pytest.raises(jsonschema.ValidationError):
        check(manifest, "manifest")


@pytest.mark.parametrize("query, expected", [
    ("Levanger", "municipality/5037"),
    ("levanger", "municipality/5037"),
    ("5037", "municipality/5037"),
    ("938587051", "municipality/5037"),  # Levanger's organisation number
    ("Helse Bergen", "health-trust/helse-bergen"),
    ("Helse Nord-Trøndelag", "health-trust/helse-nord-trondelag"),
    ("Levanger kommune", "municipality/5037"),
    ("Hoylandet", "municipality/5046"),
    ("Unjárga", "municipality/5636"),  # the Sámi name of Nesseby
])
@pytest.mark.parametrize("method", ["post", "get"])
def test_required_matches(client, query, expected, method):
    result = _reconcile(client, {"q0": {"query": query}}, method)["q0"]["result"]
    assert result[0]["id"] == expected and result[0]["match"] is True
    assert all(not candidate["match"] for candidate in result[1:])


def test_types_and_properties_tell_namesakes_apart(client):
    body = _reconcile(client, {
        "plain": {"query": "Herøy", "type": "Municipality"},
        "nordland": {"query": "Herøy", "type": "Municipality", "properties": [{"pid": "county", "v": "Nordland"}]},
        "number": {"query": "Herøy", "properties": [{"pid": "municipalityNumber", "v": "1515"}]},
        "county": {"query": "Trøndelag", "type": "County", "limit": 1},
    })
    plain = body["plain"]["result"]
    assert {c["id"] for c in plain[:2]} == {"municipality/1515", "municipality/1818"}
    assert not any(c["match"] for c in plain)  # two equal names: no blind match
    assert body["nordland"]["result"][0]["id"] == "municipality/1818" and body["nordland"]["result"][0]["match"]
    assert body["number"]["result"][0]["id"] == "municipality/1515" and body["number"]["result"][0]["match"]
    assert [c["id"] for c in body["county"]["result"]] == ["county/50"]
    features = {f["id"]: f["value"] for f in body["nordland"]["result"][0]["features"]}
    assert features["county"] is True


def test_types_cover_health_bodies_laws_and_services(client):
    body = _reconcile(client, {
        "rha": {"query": "Helse Midt-Norge", "type": "RegionalHealthAuthority"},
        "community": {"query": "Helsefellesskapet for Helse Bergen", "type": "HealthCommunity"},
        "law": {"query": "helse- og omsorgstjenesteloven", "type": "Law"},
        "service": {"query": "hjemmetjeneste", "type": "Service"},
        "services": {"query": "tjenester", "type": "Service"},
    })
    assert body["rha"]["result"][0]["id"] == "regional-health-authority/helse-midt-norge"
    assert body["community"]["result"][0]["id"] == "health-community/helse-bergen"
    assert body["law"]["result"][0]["id"] == "law/lov-2011-06-24-30" and body["law"]["result"][0]["match"]
    assert body["service"]["result"] and all(
        any(t["id"] == "Service" for t in c["type"]) for c in body["service"]["result"])


def test_suggest_services_and_preview(client):
    entities = client.get("/reconcile/suggest/entity?prefix=Levan").get_json()
    check(entities, "suggest-entities-response")
    assert entities["result"][0]["id"] == "municipality/5037"
    typed = client.get("/reconcile/suggest/entity?prefix=helse&type=HealthTrust").get_json()
    assert typed["result"] and all(t["id"] == "HealthTrust" for c in typed["result"] for t in c["notable"])
    types = client.get("/reconcile/suggest/type?prefix=kom").get_json()
    check(types, "suggest-types-response")
    assert [t["id"] for t in types["result"]] == ["Municipality"]
    properties = client.get("/reconcile/suggest/property?prefix=kommune").get_json()
    check(properties, "suggest-properties-response")
    assert [p["id"] for p in properties["result"]] == ["municipalityNumber"]
    page = client.get("/reconcile/preview?id=municipality/5037")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Levanger" in page.get_data(as_text=True) and "5037" in page.get_data(as_text=True)
    assert "frame-ancestors *" in page.headers["Content-Security-Policy"]
    assert client.get("/reconcile/preview?id=municipality/0000").status_code == 404


@pytest.mark.parametrize("form, message", [
    ({"queries": "{not json"}, b"not JSON"),
    ({"queries": json.dumps({"q0": {"query": "x", "type": "Planet"}})}, b"unknown type"),
    ({"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "colour", "v": 1}]}})}, b"pid"),
    ({"queries": json.dumps(["Levanger"])}, b"JSON object"),
    ({}, b"queries"),
])
def test_bad_queries_are_400_with_the_reason(client, form, message):
    response = client.post("/reconcile", data=form)
    assert response.status_code == 400 and message in response.data
    assert b"Traceback" not in response.data


def test_a_scripted_client_session_over_http(live_server):
    """What a reconciliation client does, step by step, against a real server (requests over TCP)."""
    server = live_server
    if True:
        session = requests.Session()
        manifest = session.get(server.url + "/reconcile", timeout=10).json()
        check(manifest, "manifest")
        # 1. the client proposes types from a sample of the column (the spec's "type guessing")
        sample = {f"q{i}": {"query": name, "limit": 3} for i, name in enumerate(["Levanger", "Verdal", "Steinkjer"])}
        guessed = session.post(server.url + "/reconcile", data={"queries": json.dumps(sample)}, timeout=10).json()
        check(guessed, "reconciliation-result-batch")
        kinds = {t["id"] for result in guessed.values() for t in result["result"][0]["type"]}
        assert kinds == {"Municipality"}
        # 2. the whole column, in batches, with the chosen type and a property column
        rows = ["Levanger", "levanger", "5037", "Høylandet", "Hoylandet"]
        batch = {f"q{i}": {"query": name, "type": "Municipality", "type_strict": "should",
                           "properties": [{"pid": "county", "v": "Trøndelag"}]} for i, name in enumerate(rows)}
        answer = session.post(server.url + "/reconcile", data={"queries": json.dumps(batch)}, timeout=10).json()
        check(answer, "reconciliation-result-batch")
        ids = [answer[f"q{i}"]["result"][0]["id"] for i in range(len(rows))]
        assert ids == ["municipality/5037"] * 3 + ["municipality/5046"] * 2
        assert all(answer[f"q{i}"]["result"][0]["match"] for i in range(len(rows)))
        # 3. the user hovers a candidate (preview) and follows it (view)
        preview = session.get(manifest["preview"]["url"].replace("{{id}}", ids[0]), timeout=10)
        assert preview.status_code == 200 and "Levanger" in preview.text
        view = session.get(manifest["view"]["url"].replace("{{id}}", ids[0]), timeout=10,
                           headers={"Accept": "text/turtle"})
        assert view.status_code == 200 and "5037" in view.text
        # 4. auto-complete while editing a cell by hand
        suggest = manifest["suggest"]["entity"]
        found = session.get(suggest["service_url"] + suggest["service_path"],
                            params={"prefix": "Høyl", "type": "Municipality"}, timeout=10).json()
        check(found, "suggest-entities-response")
        assert found["result"][0]["id"] == "municipality/5046"
