"""The SPARQL 1.1 Protocol endpoint, spoken to over HTTP by real clients (SPARQLWrapper, rdflib, requests, curl).

Expected answers are computed independently with rdflib from the bundled files, never written in by hand.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import rdflib
import rdflib.compare
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from harness import ROOT, require

pytestmark = pytest.mark.integration

ONTOLOGY_GRAPH = "https://w3id.org/helsegraf/graph/ontology/helsegraf"
CLASSES_QUERY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?c WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c a owl:Class }} FILTER(isIRI(?c)) }} ORDER BY ?c
"""


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ROOT / "ontology" / "helsegraf.ttl")


@pytest.fixture(scope="module")
def expected_classes(ontology):
    classes = sorted(str(c) for c in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Class)
                     if isinstance(c, rdflib.URIRef))
    assert classes, "the ontology declares no classes"
    return classes


def wrapper(server, fmt, query=CLASSES_QUERY, method="GET"):
    client = SPARQLWrapper(server.sparql)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_as_json_with_sparqlwrapper(live_server, expected_classes, method):
    result = wrapper(live_server, JSON, method=method).convert()
    assert [b["c"]["value"] for b in result["results"]["bindings"]] == expected_classes


def test_select_as_xml_with_sparqlwrapper(live_server, expected_classes):
    document = wrapper(live_server, XML).convert()
    assert document.documentElement.namespaceURI == "http://www.w3.org/2005/sparql-results#"
    values = [uri.firstChild.nodeValue for uri in document.getElementsByTagName("uri")]
    assert values == expected_classes


def test_select_as_csv_and_tsv_with_sparqlwrapper(live_server, expected_classes):
    rows = list(csv.reader(io.StringIO(wrapper(live_server, CSV).convert().decode("utf-8"))))
    assert rows[0] == ["c"] and [r[0] for r in rows[1:]] == expected_classes
    tsv = wrapper(live_server, TSV).convert().decode("utf-8").splitlines()
    assert tsv[0] == "?c" and tsv[1:] == [f"<{c}>" for c in expected_classes]


def test_ask_in_json_and_xml(live_server, expected_classes):
    ask = f"ASK {{ <{expected_classes[0]}> ?p ?o }}"
    assert wrapper(live_server, JSON, ask).convert()["boolean"] is True
    body = requests.get(live_server.sparql, params={"query": "ASK { <urn:no> <urn:no> <urn:no> }"},
                        headers={"Accept": "application/sparql-results+xml"}).text
    assert ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize("fmt, rdflib_format", [(TURTLE, "turtle"), (RDFXML, "xml"), (JSONLD, "json-ld"),
                                                (N3, "turtle")])
def test_construct_in_every_rdf_format_is_isomorphic_to_the_file(live_server, ontology, fmt, rdflib_format):
    raw = wrapper(live_server, fmt, CONSTRUCT)
    body = raw.response.read()
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert rdflib.compare.isomorphic(graph, ontology)


def test_construct_as_ntriples_by_accept(live_server, ontology):
    response = requests.post(live_server.sparql, data=CONSTRUCT.encode(),
                             headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/n-triples")
    assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=response.text, format="nt"), ontology)


@pytest.mark.parametrize("fmt, rdflib_format", [(TURTLE, "turtle"), (RDFXML, "xml"), (JSONLD, "json-ld")])
def test_describe_in_every_rdf_format_returns_the_resource(live_server, ontology, expected_classes, fmt,
                                                           rdflib_format):
    subject = rdflib.URIRef(expected_classes[0])
    body = wrapper(live_server, fmt, f"DESCRIBE <{subject}>").response.read()
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    # Oxigraph's DESCRIBE is the concise bounded description over the union graph: every triple the ontology
    # states about the subject is there.
    assert set(ontology.triples((subject, None, None))) <= set(graph.triples((subject, None, None)))
    assert (subject, rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_describe_as_ntriples(live_server, expected_classes):
    response = requests.get(live_server.sparql, params={"query": f"DESCRIBE <{expected_classes[0]}>"},
                            headers={"Accept": "application/n-triples"})
    graph = rdflib.Graph().parse(data=response.text, format="nt")
    assert (rdflib.URIRef(expected_classes[0]), rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_rdflib_sparqlstore_reads_the_endpoint(live_server, expected_classes):
    store = SPARQLStore(live_server.sparql, returnFormat="json")
    rows = list(store.query(CLASSES_QUERY))
    assert [str(r.c) for r in rows] == expected_classes
    store.close()


def test_curl_gets_csv(live_server, expected_classes):
    require(shutil.which("curl") is not None, "curl is not installed")
    out = subprocess.run(["curl", "-sS", "-H", "Accept: text/csv", "--data-urlencode", f"query={CLASSES_QUERY}",
                          live_server.sparql], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[1:] == expected_classes


def test_accept_q_values_choose_the_preferred_format(live_server):
    response = requests.get(live_server.sparql, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
                            headers={"Accept": "application/sparql-results+json;q=0.2, text/csv;q=0.9, */*;q=0.1"})
    assert response.headers["Content-Type"].startswith("text/csv")


def test_format_parameter_overrides_accept(live_server):
    response = requests.get(live_server.sparql, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1", "format": "tsv"},
                            headers={"Accept": "application/sparql-results+json"})
    assert response.headers["Content-Type"].startswith("text/tab-separated-values")


def test_form_post_query(live_server, expected_classes):
    response = requests.post(live_server.sparql, data={"query": CLASSES_QUERY},
                             headers={"Accept": "application/sparql-results+json"})
    assert [b["c"]["value"] for b in response.json()["results"]["bindings"]] == expected_classes


def test_default_graph_is_the_union_of_named_graphs(live_server):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    per_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    union = requests.get(live_server.sparql, params={"query": count}).json()
    named = requests.get(live_server.sparql, params={"query": per_graph}).json()
    n_union = int(union["results"]["bindings"][0]["n"]["value"])
    n_named = int(named["results"]["bindings"][0]["n"]["value"])
    assert 0 < n_union <= n_named  # the union merges triples stated in several graphs


def test_default_graph_uri_restricts_the_dataset(live_server, ontology):
    response = requests.get(live_server.sparql, params={
        "query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": ONTOLOGY_GRAPH})
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == len(ontology)


def test_named_graph_uri_limits_graph_patterns(live_server):
    response = requests.get(live_server.sparql, params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": ONTOLOGY_GRAPH})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [ONTOLOGY_GRAPH]


def test_service_description_lists_formats_and_graphs(live_server):
    response = requests.get(live_server.sparql, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.endpoint, rdflib.URIRef(live_server.sparql)) in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    assert rdflib.URIRef(ONTOLOGY_GRAPH) in set(graph.objects(None, SD.name))
    jsonld = requests.get(live_server.sparql, headers={"Accept": "application/ld+json"})
    assert rdflib.compare.isomorphic(rdflib.Graph().parse(data=jsonld.text, format="json-ld"), graph)


def test_cors_allows_reads_from_other_origins(live_server):
    response = requests.get(live_server.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = requests.options(live_server.sparql, headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code in (200, 204)
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


# --- errors: the right status, the parser's message, never a traceback ---------------------------------------

def test_malformed_query_gets_400_with_line_and_column(live_server):
    response = requests.get(live_server.sparql, params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert "3:1" in response.text or "2:" in response.text, response.text
    assert "Traceback" not in response.text


def test_unsatisfiable_accept_gets_406(live_server):
    response = requests.get(live_server.sparql, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
                            headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_graph_format_for_select_gets_406(live_server):
    response = requests.get(live_server.sparql, params={"query": "SELECT * { ?s ?p ?o } LIMIT 1", "format": "turtle"})
    assert response.status_code == 406


def test_two_queries_get_400(live_server):
    response = requests.get(live_server.sparql + "?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400 and "one" in response.text


def test_update_over_get_gets_400(live_server):
    response = requests.get(live_server.sparql, params={"update": "CLEAR ALL"})
    assert response.status_code == 400


def test_wrong_media_type_gets_415(live_server):
    response = requests.post(live_server.sparql, data="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_missing_query_gets_400(live_server):
    response = requests.post(live_server.sparql, data={"format": "json"})
    assert response.status_code == 400


def test_query_and_update_together_get_400(live_server):
    response = requests.post(live_server.sparql, data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert response.status_code == 400


def test_updates_are_refused_without_a_write_token(live_server):
    response = requests.post(live_server.sparql, data="CLEAR ALL",
                             headers={"Content-Type": "application/sparql-update"})
    assert response.status_code == 403
    still = requests.get(live_server.sparql, params={"query": "ASK { ?s ?p ?o }"}).json()
    assert still["boolean"] is True


def test_unknown_path_gets_404_without_traceback(live_server):
    response = requests.get(live_server.url + "/no-such-page")
    assert response.status_code == 404 and "Traceback" not in response.text


def test_readiness_and_liveness(live_server):
    assert requests.get(live_server.url + "/healthz").json()["status"] == "ok"
    assert requests.get(live_server.url + "/readyz").json()["status"] == "ready"
