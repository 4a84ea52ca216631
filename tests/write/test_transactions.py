"""Each request is one transaction: a failing operation leaves nothing of the earlier ones behind."""

from write_helpers import AUTH, UPDATE, ask


def test_a_failing_operation_undoes_the_whole_request(client):
    update = """INSERT DATA { GRAPH <http://example.org/tx> { <http://example.org/first> <http://example.org/p> 1 } } ;
                CREATE GRAPH <http://example.org/tx>"""  # CREATE of an existing graph (not SILENT) fails
    response = client.post("/sparql", data=update, content_type=UPDATE, headers=AUTH)
    assert 400 <= response.status_code < 500, response.data
    assert not ask(client, "ASK { <http://example.org/first> ?p ?o }")


def test_a_syntax_error_in_the_last_operation_changes_nothing(client):
    update = "INSERT DATA { <http://example.org/second> <http://example.org/p> 1 } ; INSERT DATA { oops }"
    assert client.post("/sparql", data=update, content_type=UPDATE, headers=AUTH).status_code == 400
    assert not ask(client, "ASK { <http://example.org/second> ?p ?o }")


def test_multi_operation_update_applies_all(client):
    update = """INSERT DATA { GRAPH <http://example.org/tx2> { <http://example.org/x> <http://example.org/p> 1 } } ;
                DELETE DATA { GRAPH <http://example.org/tx2> { <http://example.org/x> <http://example.org/p> 1 } } ;
                INSERT DATA { GRAPH <http://example.org/tx2> { <http://example.org/x> <http://example.org/p> 2 } }"""
    assert client.post("/sparql", data=update, content_type=UPDATE, headers=AUTH).status_code == 204
    assert ask(client, "ASK { <http://example.org/x> <http://example.org/p> 2 }")
    assert not ask(client, "ASK { <http://example.org/x> <http://example.org/p> 1 }")
