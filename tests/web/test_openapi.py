"""/openapi.json: valid OpenAPI 3.1 (the OAI's own schema), and true of the running service — every documented
operation is sent its documented example and must answer with a documented status and media type, and a JSON
body that fits the documented schema; documented errors are provoked and checked the same way."""

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from helsegraf.config import Settings
from helsegraf.web import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures"
TOKEN = "openapi-test-token"


def _registry() -> Registry:
    resources = []
    for path in (FIXTURES / "reconciliation-0.2").glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], Resource.from_contents(contents, default_specification=DRAFT7)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(write_token=TOKEN, validate_on_write=False)).test_client()


@pytest.fixture(scope="module")
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_description_is_valid_openapi_3_1(spec):
    schema = json.loads((FIXTURES / "openapi-3.1" / "schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_the_api_of_the_brief_is_documented(spec, client):
    documented = set(spec["paths"])
    for path in ("/sparql", "/data", "/validate", "/reconcile", "/reconcile/suggest/entity", "/reconcile/preview",
                 "/search", "/dataset", "/.well-known/void", "/dump.trig.gz", "/dump.nq.gz", "/id/{rest}"):
        assert path in documented, path
    routes = {rule.rule.replace("<path:rest>", "{rest}") for rule in client.application.url_map.iter_rules()}
    assert documented <= routes, documented - routes


def _operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _request(client, path: str, method: str, operation: dict, *, accept: str | None = None):
    url = path
    query = {}
    for parameter in operation.get("parameters", []):
        if "example" not in parameter:
            continue
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", parameter["example"])
        elif parameter["in"] == "query":
            query[parameter["name"]] = parameter["example"]
    headers = {"Authorization": f"Bearer {TOKEN}"} if operation.get("security") else {}
    if accept:
        headers["Accept"] = accept
    kwargs = {}
    body = operation.get("requestBody")
    if body:
        media, content = next((m, c) for m, c in body["content"].items() if "example" in c)
        if media == "application/x-www-form-urlencoded":
            kwargs["data"] = content["example"]
        else:
            kwargs["data"], headers["Content-Type"] = content["example"].encode(), media
    return client.open(url, method=method.upper(), query_string=query, headers=headers, **kwargs)


def _check(spec, path, method, operation, response):
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path}: {status} not documented: {response.data[:200]}"
    documented = operation["responses"][status]
    content = documented.get("content")
    if content:
        assert response.mimetype in content, f"{method.upper()} {path}: {response.mimetype} not in {list(content)}"
        schema = content[response.mimetype].get("schema")
        if schema and response.mimetype == "application/json":
            jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(json.loads(response.data))
    for header in documented.get("headers", {}):
        assert header in response.headers, f"{method.upper()} {path}: no {header}"


def test_every_documented_operation_answers_its_example_as_documented(spec, client):
    tried = 0
    # Writes first would change what later reads see; the order of the description is reads, then writes.
    for path, method, operation in sorted(_operations(spec), key=lambda op: op[1] in ("put", "post", "delete")):
        success = next(s for s in operation["responses"] if s.startswith("2"))
        media_types = list(operation["responses"][success].get("content", {}))
        for accept in media_types[:1] or [None]:
            response = _request(client, path, method, operation, accept=accept)
            assert response.status_code < 300, f"{method.upper()} {path}: {response.status_code} {response.data[:300]}"
            _check(spec, path, method, operation, response)
            tried += 1
    assert tried >= 25


@pytest.mark.parametrize("method, url, kwargs, status", [
    ("get", "/sparql?query=SELEKT", {}, 400),
    ("get", "/search?q=x&limit=many&format=json", {}, 400),
    ("get", "/search?q=x&format=xml", {}, 406),
    ("get", "/reconcile?queries=%7Bnope", {}, 400),
    ("post", "/reconcile", {"data": {"queries": "[]"}}, 400),
    ("get", "/reconcile/suggest/entity", {}, 400),
    ("get", "/reconcile/preview?id=municipality/0000", {}, 404),
    ("get", "/id/nothing/here", {"headers": {"Accept": "text/html"}}, 404),
    ("get", "/graph/nothing", {"headers": {"Accept": "text/html"}}, 404),
    ("put", "/data?graph=urn:example:x", {"data": b"<a> <b>", "headers": {"Content-Type": "text/turtle"}}, 401),
    ("post", "/validate", {"data": b"@prefix broken", "headers": {"Content-Type": "text/turtle"}}, 400),
])
def test_documented_errors(spec, client, method, url, kwargs, status):
    response = client.open(url, method=method.upper(), **kwargs)
    assert response.status_code == status, response.data[:300]
    path = url.split("?")[0]
    for prefix in ("/id/", "/graph/"):
        path = prefix + "{rest}" if path.startswith(prefix) else path
    _check(spec, path, method, spec["paths"][path][method], response)


def test_conditional_answers_are_documented(spec, client):
    for path in ("/dataset", "/dump.nq.gz"):
        tag = client.get(path).headers["ETag"]
        response = client.get(path, headers={"If-None-Match": tag})
        _check(spec, path, "get", spec["paths"][path]["get"], response)
        assert response.status_code == 304
