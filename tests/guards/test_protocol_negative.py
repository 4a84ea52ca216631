"""The negative tests of the W3C SPARQL 1.1 Protocol test suite (w3c/rdf-tests,
sparql/sparql11/protocol/manifest.ttl), each request as the manifest gives it; every one must get a 4xx."""

import pytest

from helsegraf.config import Settings
from helsegraf.web import create_app

TOKEN = "protocol-token"

#: Negative tests this server does not pass, with the reason. (None at present.)
EXPECTED_FAILURES: dict[str, str] = {}

CASES = {
    "bad_query_method": ("PUT", "/sparql?query=ASK%20%7B%7D", None, b""),
    "bad_multiple_queries": ("GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", None, b""),
    "bad_query_wrong_media_type": ("POST", "/sparql", "text/plain", b"ASK {}"),
    "bad_query_missing_form_type": ("POST", "/sparql", None, b"query=ASK%20%7B%7D"),
    "bad_query_missing_direct_type": ("POST", "/sparql", None, b"ASK {}"),
    "bad_query_non_utf8": ("POST", "/sparql", "application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16")),
    "bad_query_syntax": ("GET", "/sparql?query=ASK%20%7B", None, b""),
    "bad_update_get": ("GET", "/sparql?update=CLEAR%20ALL", None, b""),
    "bad_multiple_updates": ("POST", "/sparql", "application/x-www-form-urlencoded",
                             b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
    "bad_update_wrong_media_type": ("POST", "/sparql", "text/plain", b"CLEAR NAMED"),
    "bad_update_missing_form_type": ("POST", "/sparql", None, b"update=CLEAR%20NAMED"),
    "bad_update_non_utf8": ("POST", "/sparql", "application/sparql-update; charset=UTF-16",
                            "CLEAR NAMED".encode("utf-16")),
    "bad_update_syntax": ("POST", "/sparql", "application/x-www-form-urlencoded", b"update=CLEAR%20XYZ"),
    "bad_update_dataset_conflict": (
        "POST", "/sparql?using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople", "application/sparql-update",
        b"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        b"WHERE { ?person foaf:givenName 'Bill' }"),
}


@pytest.fixture(scope="module")
def client():
    return create_app(Settings(bundled_data=False, write_token=TOKEN)).test_client()


@pytest.mark.parametrize("name", sorted(CASES))
def test_negative(client, name):
    if name in EXPECTED_FAILURES:
        pytest.xfail(EXPECTED_FAILURES[name])
    method, url, content_type, body = CASES[name]
    headers = {"Authorization": f"Bearer {TOKEN}"}  # so that a 4xx is the protocol's, not the token's
    if content_type:
        headers["Content-Type"] = content_type
    response = client.open(url, method=method, data=body, headers=headers)
    assert 400 <= response.status_code < 500, (name, response.status_code, response.data)
    assert b"Traceback" not in response.data
