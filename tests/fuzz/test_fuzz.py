"""Random and mutated queries, updates and RDF bodies to every endpoint: no 5xx, no hang, and the store
unchanged after every refused request."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helsegraf.config import Settings
from helsegraf.web import create_app

TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "ASK { ?s a ?c }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "INSERT DATA { GRAPH <http://f/g> { <http://f/s> <http://f/p> \"o\" } }",
    "DELETE WHERE { GRAPH <http://f/g> { ?s ?p ?o } }", "DROP SILENT GRAPH <http://f/g>",
    "SELECT * { SERVICE <http://evil/> { ?s ?p ?o } }", "LOAD <file:///etc/passwd>",
    '<http://f/s> <http://f/p> "o" .', '@prefix f: <http://f/> . f:s f:p "o" .',
    '{"@id": "http://f/s", "http://f/p": "o"}', "<http://f/g> { <http://f/s> <http://f/p> 1 }",
]
ENDPOINTS = ["/sparql", "/data", "/data?default", "/data?graph=http://f/g", "/data?graph=bad%20iri"]
TYPES = ["application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
         "text/turtle", "application/n-triples", "application/ld+json", "application/trig", "text/plain", ""]


def _mutate(data):
    text = data.draw(st.sampled_from(SEEDS))
    for _ in range(data.draw(st.integers(0, 3))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "swap"]))
        chunk = data.draw(st.text(min_size=0, max_size=6))
        text = text[:i] + chunk + text[i:] if op == "insert" else text[:i] + text[i + len(chunk):] \
            if op == "delete" else text[:i] + chunk + text[i + len(chunk):]
    return text


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Settings(write_token=TOKEN, bundled_data=False, max_body_bytes=100_000,
                               store=str(tmp_path_factory.mktemp("fuzz") / "db")))


@settings(max_examples=150, deadline=10_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz(app, data):
    client = app.test_client()
    store = app.extensions["helsegraf"]["store"]
    method = data.draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD"]))
    endpoint = data.draw(st.sampled_from(ENDPOINTS))
    content_type = data.draw(st.sampled_from(TYPES))
    body = _mutate(data) if data.draw(st.booleans()) else data.draw(st.text(max_size=200))
    headers = dict(AUTH) if data.draw(st.booleans()) else {}
    if content_type:
        headers["Content-Type"] = content_type
    query_string = {"query": body} if method == "GET" and endpoint == "/sparql" else None
    before = store.serialize_to_bytes("nquads") if hasattr(store, "serialize_to_bytes") else None
    response = client.open(endpoint, method=method, data=body.encode("utf-8", "surrogatepass"),
                           headers=headers, query_string=query_string)
    assert response.status_code < 500, (method, endpoint, content_type, body, response.data)
    if response.status_code >= 400 and before is not None:
        assert sorted(store.serialize_to_bytes("nquads").splitlines()) == sorted(before.splitlines())
