"""Writes need the bearer token; reads stay public."""

import pytest
from write_helpers import AUTH, UPDATE, ask

from helsegraf.config import Settings
from helsegraf.web import create_app

INSERT = "INSERT DATA { GRAPH <http://example.org/auth> { <http://example.org/a> <http://example.org/p> 1 } }"


@pytest.mark.parametrize("headers, status", [
    ({}, 401), ({"Authorization": "Bearer wrong"}, 403), ({"Authorization": "Basic dXNlcjpwdw=="}, 401),
    ({"Authorization": "Bearer "}, 401),
])
def test_update_without_the_right_token_is_refused_and_changes_nothing(client, headers, status):
    response = client.post("/sparql", data=INSERT, content_type=UPDATE, headers=headers)
    assert response.status_code == status
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not ask(client, "ASK { <http://example.org/a> ?p ?o }")


@pytest.mark.parametrize("method", ["put", "post", "delete"])
def test_graph_store_writes_need_the_token(client, method):
    response = getattr(client, method)("/data?graph=http://example.org/auth2", data="<http://e/s> <http://e/p> 1 .",
                                       content_type="text/turtle")
    assert response.status_code == 401


def test_the_right_token_writes_and_reads_stay_public(client):
    assert client.post("/sparql", data=INSERT, content_type=UPDATE, headers=AUTH).status_code == 204
    assert ask(client, "ASK { <http://example.org/a> ?p ?o }")
    assert client.get("/data?graph=http://example.org/auth").status_code == 200


def test_writes_are_off_without_a_configured_token():
    client = create_app(Settings(bundled_data=False)).test_client()
    response = client.post("/sparql", data=INSERT, content_type=UPDATE, headers=AUTH)
    assert response.status_code == 403
    assert b"disabled" in response.data
    assert client.put("/data?default", data="<http://e/s> <http://e/p> 1 .", content_type="text/turtle",
                      headers=AUTH).status_code == 403
