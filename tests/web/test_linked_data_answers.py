"""Linked-data answers (issues 10 and 14): 404 for unknown IRIs in every format, prefixes and neighbours' labels
in RDF, inferred triples in their own graph in TriG, ``Link`` headers, ETags, the curated ontology file."""

from pathlib import Path

import pytest
import rdflib
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.namespaces import DEFAULT_BASE

pytestmark = pytest.mark.unit

MUNICIPALITY = "/id/municipality/5037"
INFERRED = rdflib.URIRef(DEFAULT_BASE + "graph/inferred")


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/n-triples",
                                    "application/rdf+xml", "application/trig", "text/html"])
def test_an_unknown_iri_is_404_for_every_client(client, accept):
    response = client.get("/id/municipality/9999", headers={"Accept": accept})
    assert response.status_code == 404
    assert "9999" in response.get_data(as_text=True)


def test_turtle_declares_the_projects_prefixes_and_labels_the_neighbours(client, app):
    response = client.get(MUNICIPALITY, headers={"Accept": "text/turtle"})
    text = response.get_data(as_text=True)
    assert "@prefix hg: <https://w3id.org/helsegraf/ontology#> ." in text
    assert "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> ." in text
    graph = rdflib.Graph().parse(data=text, format="turtle")
    store = app.extensions["helsegraf"]["store"]
    neighbours = {row["o"].value for row in store.query(
        f"SELECT DISTINCT ?o WHERE {{ <{DEFAULT_BASE}id/municipality/5037> ?p ?o FILTER(isIRI(?o)) "
        f"FILTER(STRSTARTS(STR(?o), '{DEFAULT_BASE}id/')) ?o <http://www.w3.org/2000/01/rdf-schema#label> ?l }}").rows()}
    assert neighbours
    for neighbour in neighbours:  # each linked resource travels with its label
        assert any(graph.triples((rdflib.URIRef(neighbour), rdflib.RDFS.label, None))), neighbour


def test_trig_puts_inferred_triples_in_the_inferred_graph(client, app):
    response = client.get(MUNICIPALITY, headers={"Accept": "application/trig"})
    assert response.status_code == 200 and response.mimetype == "application/trig"
    data = rdflib.Dataset().parse(data=response.get_data(as_text=True), format="trig")
    store = app.extensions["helsegraf"]["store"]
    inferred = {(row["p"].value, row["o"].value) for row in store.query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{INFERRED}> {{ <{DEFAULT_BASE}id/municipality/5037> ?p ?o }} }}").rows()}
    assert inferred, "the bundled graph infers something about Levanger"
    served = {(str(p), str(o)) for s, p, o, g in data.quads((rdflib.URIRef(DEFAULT_BASE + "id/municipality/5037"),
                                                              None, None, INFERRED))}
    assert inferred == served
    asserted = [q for q in data.quads((None, rdflib.RDFS.label, None, None)) if q[3] != INFERRED]
    assert asserted  # the asserted ones stay in their source graphs


def test_link_header_names_the_alternates_and_the_page_has_an_etag(client):
    response = client.get(MUNICIPALITY, headers={"Accept": "text/html"})
    link = response.headers["Link"]
    for media in ("text/turtle", "application/ld+json", "application/n-triples", "application/trig"):
        assert f'type="{media}"' in link
    assert '<' + MUNICIPALITY + '?format=ttl>; rel="alternate"' in link
    etag = response.headers["ETag"]
    again = client.get(MUNICIPALITY, headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304
    turtle = client.get(MUNICIPALITY, headers={"Accept": "text/turtle"})
    assert turtle.headers["ETag"] != etag  # one ETag per representation


def test_ontology_as_turtle_is_the_curated_file(client, app):
    curated = Path(app.extensions["helsegraf"]["settings"].data_root) / "ontology" / "helsegraf.ttl"
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.get_data() == curated.read_bytes()
    assert response.headers.get("Last-Modified") and response.headers.get("ETag")
    assert client.get("/ontology", headers={"Accept": "text/html"}).headers.get("ETag")


def test_a_neighbourhood_past_the_bound_is_cut_and_says_so(client, monkeypatch):
    from helsegraf.web import rdf_answer

    monkeypatch.setattr(rdf_answer, "MAX_TRIPLES", 3)
    response = client.get(MUNICIPALITY, headers={"Accept": "application/n-triples"})
    assert response.headers.get("X-Result-Truncated") == "true"
    me = f"<{DEFAULT_BASE}id/municipality/5037>"
    lines = [line for line in response.get_data(as_text=True).splitlines() if line.strip()]
    assert len([line for line in lines if line.startswith(me)]) == 3
    assert len([line for line in lines if line.rstrip(" .").endswith(me)]) <= 3
