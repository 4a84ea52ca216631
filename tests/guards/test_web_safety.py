"""Limits, security headers, logs, health checks and escaping, through the Flask test client."""

import logging

import pytest

from helsegraf.config import Settings
from helsegraf.store import StoreError
from helsegraf.store.embedded import EmbeddedStore
from helsegraf.web import create_app

TOKEN = "safety-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def app():
    return create_app(Settings(write_token=TOKEN, max_body_bytes=20_000, max_query_chars=500))


@pytest.fixture
def client(app):
    return app.test_client()


def test_body_over_the_limit_is_413(client):
    big = "<http://e/s> <http://e/p> \"" + "x" * 30_000 + "\" ."
    assert client.put("/data?graph=http://e/g", data=big, content_type="application/n-triples",
                      headers=AUTH).status_code == 413
    assert client.post("/sparql", data="ASK {}" + " " * 30_000, content_type="application/sparql-query") \
        .status_code == 413


def test_query_over_the_length_limit_is_413(client):
    response = client.get("/sparql", query_string={"query": "ASK {}" + " " * 600})
    assert response.status_code == 413 and b"limit" in response.data


def test_security_headers_and_request_id(client):
    response = client.get("/healthz")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"]
    assert client.get("/healthz", headers={"X-Request-Id": "abc123"}).headers["X-Request-Id"] == "abc123"


def test_one_log_line_per_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="helsegraf.access"):
        client.get("/sparql", query_string={"query": "ASK {}"}, headers={"X-Request-Id": "log-test-1"})
    lines = [r.getMessage() for r in caplog.records if "log-test-1" in r.getMessage()]
    assert len(lines) == 1
    assert "status=200" in lines[0] and "duration_ms=" in lines[0]


def test_no_traceback_on_a_server_fault(app, client, monkeypatch):
    store = app.extensions["helsegraf"]["store"]
    monkeypatch.setattr(store, "graphs", lambda: 1 / 0)
    response = client.get("/data?graph=http://e/anything")
    assert response.status_code == 500
    assert b"Traceback" not in response.data and b"ZeroDivision" not in response.data


class _Unreachable(EmbeddedStore):
    def query(self, *args, **kwargs):
        raise StoreError("the disk went away")


def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    broken = create_app(Settings(bundled_data=False), store=_Unreachable()).test_client()
    assert broken.get("/healthz").status_code == 200
    assert broken.get("/readyz").status_code == 503


def test_html_pages_escape_a_script_in_the_data(app, client):
    payload = "<script>alert('helsegraf')</script>"
    levanger = "https://w3id.org/helsegraf/id/municipality/5037"
    update = (f"INSERT DATA {{ GRAPH <https://w3id.org/helsegraf/graph/test/xss> {{ <{levanger}> "
              f"<http://www.w3.org/2000/01/rdf-schema#label> \"{payload}\"@nb ; "
              f"<http://www.w3.org/2004/02/skos/core#prefLabel> \"{payload}\"@nb }} }}")
    store = app.extensions["helsegraf"]["store"]
    store.update(update)  # straight into the store: this test is about output, not about validation
    checked = 0
    paths = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.arguments}
    paths |= {"/id/municipality/5037", "/page/id/municipality/5037", "/resource?iri=" + levanger}
    for path in sorted(paths):
        response = client.get(path, headers={"Accept": "text/html"})
        if response.mimetype != "text/html":
            continue
        checked += 1
        assert payload.encode() not in response.data, path
    assert checked >= 1  # at least the service pages that exist are checked
