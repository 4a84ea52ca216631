"""The Graph Store HTTP Protocol on /data, in every RDF syntax the loader reads."""

import json

import pytest
from write_helpers import AUTH, count

G = "http://example.org/gsp"
BODIES = {
    "text/turtle": '@prefix e: <http://example.org/> . e:s e:p "v1", "v2" .',
    "application/n-triples": '<http://example.org/s> <http://example.org/p> "v1" .\n'
                             '<http://example.org/s> <http://example.org/p> "v2" .\n',
    "application/ld+json": json.dumps({"@id": "http://example.org/s", "http://example.org/p": ["v1", "v2"]}),
    "application/rdf+xml": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                           'xmlns:e="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
                           '<e:p>v1</e:p><e:p>v2</e:p></rdf:Description></rdf:RDF>',
    "application/trig": '{ <http://example.org/s> <http://example.org/p> "v1", "v2" . }',
    "application/n-quads": '<http://example.org/s> <http://example.org/p> "v1" .\n'
                           '<http://example.org/s> <http://example.org/p> "v2" .\n',
}


@pytest.mark.parametrize("media_type", BODIES)
def test_put_get_post_delete_round_trip(client, media_type):
    graph = f"{G}/{media_type.split('/')[1].replace('+', '-')}"
    created = client.put(f"/data?graph={graph}", data=BODIES[media_type], content_type=media_type, headers=AUTH)
    assert created.status_code == 201, created.data
    assert count(client, graph) == 2
    again = client.put(f"/data?graph={graph}", data=BODIES[media_type], content_type=media_type, headers=AUTH)
    assert again.status_code == 204 and count(client, graph) == 2  # replaced, not duplicated
    added = client.post(f"/data?graph={graph}", data='<http://example.org/s> <http://example.org/q> "3" .',
                        content_type="application/n-triples", headers=AUTH)
    assert added.status_code == 204 and count(client, graph) == 3
    body = client.get(f"/data?graph={graph}", headers={"Accept": "application/n-triples"})
    assert body.status_code == 200 and body.data.count(b"\n") == 3
    assert client.head(f"/data?graph={graph}").status_code == 200
    assert client.delete(f"/data?graph={graph}", headers=AUTH).status_code == 204
    assert client.get(f"/data?graph={graph}").status_code == 404
    assert client.delete(f"/data?graph={graph}", headers=AUTH).status_code == 404


def test_dataset_get_and_trig_post_without_a_target(client):
    trig = '<http://example.org/ds1> { <http://example.org/s> <http://example.org/p> 1 }'
    assert client.post("/data", data=trig, content_type="application/trig", headers=AUTH).status_code == 204
    dump = client.get("/data", headers={"Accept": "application/n-quads"})
    assert dump.status_code == 200 and dump.mimetype == "application/n-quads"
    assert b"<http://example.org/ds1>" in dump.data


@pytest.mark.parametrize("url, content_type, body, status", [
    ("/data?graph=http://example.org/bad", "text/turtle", "<http://e/s> <http://e/p> .", 400),
    ("/data?graph=http://example.org/bad", "image/png", "x", 415),
    ("/data?graph=http://example.org/bad", "application/trig",
     "<http://example.org/other> { <http://e/s> <http://e/p> 1 }", 400),
    ("/data?graph=not%20an%20iri", "text/turtle", "<http://e/s> <http://e/p> 1 .", 400),
    ("/data?graph=http://x>%20}%20;%20DROP%20ALL%20;%20INSERT%20DATA%20{%20GRAPH%20<http://y", "text/turtle",
     "<http://e/s> <http://e/p> 1 .", 400),
    ("/data", "text/turtle", "<http://e/s> <http://e/p> 1 .", 400),
])
def test_bad_writes_are_refused_and_change_nothing(client, app, url, content_type, body, status):
    store = app.extensions["helsegraf"]["store"]
    before = store.count()
    assert client.put(url, data=body, content_type=content_type, headers=AUTH).status_code == status
    assert store.count() == before
    assert "http://example.org/bad" not in store.graphs()


def test_put_is_one_update(client, app, monkeypatch):
    """A PUT reaches the store as a single update (one transaction): DROP and INSERT DATA together."""
    store = app.extensions["helsegraf"]["store"]
    seen = []
    original = store.update
    monkeypatch.setattr(store, "update", lambda text, **options: (seen.append(text), original(text, **options))[1])
    client.put(f"/data?graph={G}/one", data=BODIES["text/turtle"], content_type="text/turtle", headers=AUTH)
    writes = [text for text in seen if "INSERT DATA" in text]
    assert len(writes) == 1 and writes[0].startswith(f"DROP SILENT GRAPH <{G}/one>")
