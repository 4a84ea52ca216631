"""Entailments follow every write: insert, delete, drop, PUT (issue 10 defect 12)."""

from write_helpers import AUTH, UPDATE, ask

EX = "http://example.org/entail/"
INFERRED = f"ASK {{ <{EX}i> a <{EX}Super> }}"


def test_inferred_types_follow_the_hierarchy_through_put_insert_and_drop(client):
    schema = f"<{EX}Sub> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <{EX}Super> ."
    put = client.put(f"/data?graph={EX}schema", data=schema, content_type="text/turtle", headers=AUTH)
    assert put.status_code in (201, 204), put.data
    # An instance written after the hierarchy is entailed too (the write names no hierarchy term).
    inserted = client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{EX}data> {{ <{EX}i> a <{EX}Sub> }} }}",
                           content_type=UPDATE, headers=AUTH)
    assert inserted.status_code in (200, 204), inserted.data
    assert ask(client, INFERRED)
    # Dropping the graph with the subClassOf triple takes the inferred type away; the instance stays.
    dropped = client.post("/sparql", data=f"DROP GRAPH <{EX}schema>", content_type=UPDATE, headers=AUTH)
    assert dropped.status_code in (200, 204), dropped.data
    assert ask(client, f"ASK {{ <{EX}i> a <{EX}Sub> }}")
    assert not ask(client, INFERRED)
    # The hierarchy back by PUT, then the instance deleted: the inferred type goes with it.
    client.put(f"/data?graph={EX}schema", data=schema, content_type="text/turtle", headers=AUTH)
    assert ask(client, INFERRED)
    client.post("/sparql", data=f"DELETE DATA {{ GRAPH <{EX}data> {{ <{EX}i> a <{EX}Sub> }} }}",
                content_type=UPDATE, headers=AUTH)
    assert not ask(client, INFERRED)
    client.delete(f"/data?graph={EX}schema", headers=AUTH)


def test_clear_default_and_update_where_see_what_queries_see(client):
    """In union mode one default graph serves queries and updates (issue 10 defect 2)."""
    client.post("/sparql", data=f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}x> <{EX}p> 1 }} }}",
                content_type=UPDATE, headers=AUTH)
    assert ask(client, f"ASK {{ <{EX}x> <{EX}p> 1 }}")
    # The WHERE clause finds the triple in the default graph, as a query does; deleting it there deletes it.
    deleted = client.post("/sparql", data=f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}x>) }}",
                          content_type=UPDATE, headers=AUTH)
    assert deleted.status_code in (200, 204), deleted.data
    assert not ask(client, f"ASK {{ GRAPH ?g {{ <{EX}x> ?p ?o }} }}")


def test_a_write_of_data_no_rule_reads_leaves_the_entailments_alone(client, app, monkeypatch):
    """Re-materialising reads every graph; a PUT of a triple with no type and no hierarchy property skips it, a
    typed one does not (the soak of issue 11 wrote new graphs and grew with their number before)."""
    from helsegraf.web import write_path

    calls = []
    original = write_path.materialise
    monkeypatch.setattr(write_path, "materialise", lambda store, base: calls.append(base) or original(store, base))
    plain = client.put(f"/data?graph={EX}plain", data=f"<{EX}a> <{EX}unrelated> 1 .", content_type="text/turtle",
                       headers=AUTH)
    assert plain.status_code in (201, 204), plain.data
    assert calls == []
    typed = client.put(f"/data?graph={EX}typed", data=f"<{EX}a> a <{EX}Sub> .", content_type="text/turtle",
                       headers=AUTH)
    assert typed.status_code in (201, 204), typed.data
    assert len(calls) == 1
    client.delete(f"/data?graph={EX}plain", headers=AUTH)
    client.delete(f"/data?graph={EX}typed", headers=AUTH)
