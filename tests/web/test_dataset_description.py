"""The DCAT-AP-NO description (/dataset, /.well-known/void) against Digdir's official 2.00 shapes, the v3
mandatory properties, VoID's distinct counts, and conditional GET on the description and the dumps."""

from pathlib import Path

import pyshacl
import pytest
import rdflib
from web_app import app, client  # noqa: F401 - fixtures

from helsegraf.config import Settings
from helsegraf.web import create_app

FIXTURES = Path(__file__).parents[1] / "fixtures" / "dcat-ap-no"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
#: A deployer's settings as a test would set them (example.org is reserved for examples, RFC 2606).
DEPLOYED = {"publisher_name": "Eksempelkommune", "publisher_organisation_number": "000000000",
            "publisher_url": "https://example.org/", "publisher_contact_email": "kontakt@example.org"}


def _description(client, path="/dataset") -> rdflib.Graph:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200, response.data[:300]
    return rdflib.Graph().parse(data=response.data, format="turtle")


def _validate(data: rdflib.Graph, shapes_file: str) -> tuple[bool, str]:
    shapes = rdflib.Graph().parse(FIXTURES / shapes_file, format="turtle")
    data = data + rdflib.Graph().parse(FIXTURES / "eu-vocabularies.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, allow_warnings=False)
    return conforms, text


@pytest.fixture(scope="module")
def deployed_client():
    return create_app(Settings(**DEPLOYED)).test_client()


@pytest.mark.parametrize("path", ["/dataset", "/.well-known/void"])
def test_description_conforms_to_the_official_2_00_shapes(client, path):
    conforms, text = _validate(_description(client, path), "DCAT-AP-NO-shacl_shapes_2.00.ttl")
    assert conforms, text


def test_a_deployed_description_conforms_to_2_00_and_the_v3_mandatory_properties(deployed_client):
    graph = _description(deployed_client)
    for shapes in ("DCAT-AP-NO-shacl_shapes_2.00.ttl", "v3-mandatory.ttl"):
        conforms, text = _validate(graph, shapes)
        assert conforms, f"{shapes}: {text}"
    publisher = graph.value(rdflib.URIRef("https://w3id.org/helsegraf/dataset"), DCT.publisher)
    assert str(publisher).endswith("/organizations/000000000")
    assert str(graph.value(publisher, DCT.identifier)) == "000000000"


def test_without_a_contact_email_v3_says_what_is_missing(client):
    """Nothing is invented: with the defaults the contact point has no e-mail, which v3 requires."""
    conforms, text = _validate(_description(client), "v3-mandatory.ttl")
    assert not conforms and "hasEmail" in text


def test_the_shapes_catch_a_non_eu_licence(client):
    """The vocabulary checks are live: the old creativecommons.org licence IRI is refused."""
    graph = _description(client)
    dataset = rdflib.URIRef("https://w3id.org/helsegraf/dataset")
    graph.remove((dataset, DCT.license, None))
    graph.add((dataset, DCT.license, rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")))
    conforms, text = _validate(graph, "DCAT-AP-NO-shacl_shapes_2.00.ttl")
    assert not conforms and "licence" in text


def test_description_names_eu_vocabularies_and_los(client):
    graph = _description(client)
    dataset = rdflib.URIRef("https://w3id.org/helsegraf/dataset")
    eu = "http://publications.europa.eu/resource/authority/"
    assert str(graph.value(dataset, DCT.license)) == eu + "licence/CC_BY_4_0"
    assert str(graph.value(dataset, DCT.accrualPeriodicity)) == eu + "frequency/IRREG"
    assert rdflib.URIRef("https://psi.norge.no/los/tema/helse-og-omsorg") in set(graph.objects(dataset, DCAT.theme))
    formats = {str(graph.value(dist, DCT["format"])) for dist in graph.objects(dataset, DCAT.distribution)}
    assert formats == {eu + "file-type/RDF_TRIG", eu + "file-type/RDF_N_QUADS"}
    assert str(graph.value(dataset, DCT.conformsTo)) == "https://w3id.org/helsegraf/ontology"
    temporal = graph.value(dataset, DCT.temporal)
    assert graph.value(temporal, DCAT.startDate) <= graph.value(temporal, DCAT.endDate)
    for node in (dataset, rdflib.URIRef(str(dataset) + "#catalog"), rdflib.URIRef(str(dataset) + "#service")):
        assert graph.value(node, DCT.identifier) is not None


def test_void_counts_distinct_triples_of_the_merge(app, client):
    store = app.extensions["helsegraf"]["store"]
    distinct = _distinct_triples(store)
    quads = store.count()
    graph = _description(client)
    triples = int(graph.value(rdflib.URIRef("https://w3id.org/helsegraf/dataset"), VOID.triples))
    assert triples == distinct
    assert quads >= distinct  # the bag; equal only when no triple sits in two graphs


@pytest.mark.parametrize("path", ["/dataset", "/dump.trig.gz", "/dump.nq.gz"])
def test_conditional_get(client, path):
    first = client.get(path, headers={"Accept": "text/turtle"})
    assert first.status_code == 200
    tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    since = client.get(path, headers={"Accept": "text/turtle", "If-Modified-Since": modified})
    assert since.status_code == 304
    other = client.get(path, headers={"Accept": "text/turtle", "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_a_write_changes_the_etag():
    app = create_app(Settings(write_token="t", validate_on_write=False))
    client = app.test_client()
    before = client.get("/dump.nq.gz").headers["ETag"]
    response = client.post("/sparql", data={"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }"},
                           headers={"Authorization": "Bearer t"})
    assert response.status_code == 204, response.data
    after = client.get("/dump.nq.gz", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before


def _distinct_triples(store) -> int:
    """The distinct triples of every named graph, counted by the store (the merge the description counts)."""
    query = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    return int(next(iter(store.query(query).rows()))["n"].value)
