"""Dereferencing: HTML for browsers, RDF by Accept; the ontology docs; DCAT/VoID; dumps."""

import gzip

import pytest
import rdflib
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.config import Settings
from helsegraf.namespaces import DEFAULT_BASE
from helsegraf.web import create_app

pytestmark = pytest.mark.unit

UNIT = "/id/unit/levanger-helse-og-velferd"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def test_resource_page_shows_label_types_properties_inverse_links_and_sources(client):
    response = client.get(UNIT, headers={"Accept": "text/html"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Accept" in response.headers["Vary"]
    assert "<h1 lang=\"nb\">Helse og velferd</h1>" in html
    assert 'href="/id/municipality/5037"' in html           # a property value, linked on this server
    assert 'href="/id/unit/levanger-enhet-bolig-og-mestring"' in html  # an inverse link (org:unitOf)
    assert 'href="/id/document/seed-002"' in html            # the source document of the graph (dct:source)
    assert 'id="query-link"' in html


def test_resource_as_turtle_jsonld_and_ntriples(client):
    iri = rdflib.URIRef(DEFAULT_BASE + UNIT.lstrip("/"))
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")]:
        response = client.get(UNIT, headers={"Accept": accept})
        assert response.status_code == 200 and response.mimetype == accept
        graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format=fmt)
        assert (iri, rdflib.RDFS.label, rdflib.Literal("Helse og velferd", lang="nb")) in graph
        assert any(graph.triples((None, None, iri)))  # inverse links travel too
    assert client.get(UNIT + "?format=ttl").mimetype == "text/turtle"


def test_unknown_resource_is_404_and_bad_accept_is_406(client):
    assert client.get("/id/unit/does-not-exist").status_code == 404
    assert client.get(UNIT, headers={"Accept": "image/png"}).status_code == 406


def test_the_configured_base_maps_paths_to_its_own_iris():
    base = "https://example.org/hg/"
    app = create_app(Settings(bundled_data=True, base=base))
    client = app.test_client()
    graph = rdflib.Graph().parse(data=client.get(UNIT, headers={"Accept": "text/turtle"}).get_data(as_text=True),
                                 format="turtle")
    subject = rdflib.URIRef(base + "id/unit/levanger-helse-og-velferd")
    assert (subject, None, None) in graph
    assert not any(str(s).startswith(DEFAULT_BASE) for s in graph.subjects())
    html = client.get(UNIT).get_data(as_text=True)
    assert base + "id/unit/levanger-helse-og-velferd" in html and 'href="/id/municipality/5037"' in html


def test_named_graph_page_names_its_source(client):
    html = client.get("/graph/data/seeds/002-levanger-orientering").get_data(as_text=True)
    assert 'href="/id/document/seed-002"' in html


def test_ontology_documentation_is_generated_from_the_ontology(client, app):
    html = client.get("/ontology").get_data(as_text=True)
    store = app.extensions["helsegraf"]["store"]
    classes = [row["c"].value for row in store.query(
        "SELECT ?c WHERE { GRAPH ?g { ?c a <http://www.w3.org/2002/07/owl#Class> } "
        f"FILTER(STRSTARTS(STR(?c), '{DEFAULT_BASE}ontology#')) }}").rows()]
    assert classes
    for iri in classes:
        assert f'id="{iri.split("#")[1]}"' in html
    assert 'lang="en">Municipality<' in html and 'lang="nb">Kommune<' in html
    en = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert en.mimetype == "application/ld+json"
    graph = rdflib.Graph().parse(data=client.get("/ontology?format=ttl").get_data(as_text=True), format="turtle")
    assert (rdflib.URIRef(DEFAULT_BASE + "ontology#Municipality"), rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_dataset_description_is_dcat_with_void_per_graph(client, app):
    store = app.extensions["helsegraf"]["store"]
    for path in ("/dataset?format=ttl", "/.well-known/void"):
        response = client.get(path)
        assert response.mimetype == "text/turtle"
        graph = rdflib.Graph().parse(data=response.get_data(as_text=True), format="turtle")
        catalogues = list(graph.subjects(rdflib.RDF.type, DCAT.Catalog))
        datasets = list(graph.subjects(rdflib.RDF.type, DCAT.Dataset))
        assert len(catalogues) == 1 and len(datasets) == 1
        dataset = datasets[0]
        assert len(list(graph.objects(dataset, DCAT.distribution))) == 2
        assert any(graph.subjects(rdflib.RDF.type, DCAT.DataService))
        assert any(graph.objects(dataset, DCAT.theme)) and any(graph.objects(dataset, rdflib.DCTERMS.publisher))
        # VoID counts the distinct triples of the merge (issue 14), not the quads of the bag.
        assert int(graph.value(dataset, VOID.triples)) == _distinct_triples(store)
        subsets = list(graph.objects(dataset, VOID.subset))
        assert sorted(map(str, subsets)) == store.graphs()
        for subset in subsets:
            assert int(graph.value(subset, VOID.triples)) == store.count(str(subset))
    assert "text/html" in client.get("/dataset", headers={"Accept": "text/html"}).mimetype


@pytest.mark.parametrize("path, fmt", [("/dump.nq.gz", "nquads"), ("/dump.trig.gz", "trig")])
def test_dumps_hold_the_whole_dataset(client, app, path, fmt):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    data = gzip.decompress(response.get_data())
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=fmt)  # it parses
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert set(app.extensions["helsegraf"]["store"].graphs()) <= graphs
    if fmt == "nquads":  # one quad a line: the count is exact
        lines = [line for line in data.decode("utf-8").splitlines() if line.strip()]
        assert len(lines) == app.extensions["helsegraf"]["store"].count()


def test_shape_iris_dereference(client):
    html = client.get("/shapes").get_data(as_text=True)
    assert 'id="MunicipalityShape"' in html
    graph = rdflib.Graph().parse(data=client.get("/shapes", headers={"Accept": "text/turtle"}).get_data(as_text=True),
                                 format="turtle")
    shape = rdflib.URIRef(DEFAULT_BASE + "shapes#MunicipalityShape")
    assert (shape, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape")) in graph


def _distinct_triples(store) -> int:
    """The distinct triples of every named graph, counted by the store (the merge the description counts)."""
    query = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    return int(next(iter(store.query(query).rows()))["n"].value)
