"""Regression tests for the protocol defects of issue 10 (4-9, 11) and the union_default_graph setting.

Each talks HTTP to the app built by ``create_app(Settings(...))`` (Flask's test client), so the whole web
layer answers: routing, negotiation, the error mapping, the store.
"""

from __future__ import annotations

import json

import pytest
import rdflib

from helsegraf.config import Settings
from helsegraf.web import create_app

pytestmark = pytest.mark.integration

TOKEN = "regression-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def _client(**settings):
    options = {"bundled_data": False, "write_token": TOKEN, "validate_on_write": False, **settings}
    return create_app(Settings(**options)).test_client()


@pytest.fixture
def client():
    return _client()


def _update(client, text, **params):
    return client.post(
        "/sparql",
        query_string=params,
        data=text.encode(),
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )


def _select(client, text, **params):
    response = client.post(
        "/sparql",
        query_string=params,
        data=text.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    return response.json["results"]["bindings"]


# --- defect 4: media-type parameters in Accept -----------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json;charset=utf-8", "application/sparql-results+json"),
        ("application/sparql-results+xml; charset=UTF-8", "application/sparql-results+xml"),
        ("text/csv;charset=utf-8;header=present", "text/csv"),
        ("text/*;q=0.5, application/sparql-results+json;q=0.1", "text/csv"),
    ],
)
def test_accept_with_parameters_is_honoured(client, accept, media):
    response = client.get("/sparql", query_string={"query": "SELECT (1 AS ?x) {}"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media


def test_accept_with_parameters_on_the_graph_store(client):
    assert (
        client.put(
            "/data?graph=http://e/g",
            data=b"<http://e/s> <http://e/p> 1 .",
            headers={"Content-Type": "text/turtle; charset=utf-8", **AUTH},
        ).status_code
        == 201
    )
    response = client.get("/data?graph=http://e/g", headers={"Accept": "text/turtle;charset=utf-8"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"


def test_q_zero_refuses_a_format(client):
    response = client.get(
        "/sparql",
        query_string={"query": "SELECT (1 AS ?x) {}"},
        headers={"Accept": "application/sparql-results+json;q=0, text/csv;q=0"},
    )
    assert response.status_code == 406


# --- defect 5: format / output values the clients send, per query form ----------------------------------------


@pytest.mark.parametrize(
    "query, value, media",
    [
        ("SELECT (1 AS ?x) {}", "xml", "application/sparql-results+xml"),
        ("ASK {}", "xml", "application/sparql-results+xml"),
        ("SELECT (1 AS ?x) {}", "json", "application/sparql-results+json"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "xml", "application/rdf+xml"),
        ("DESCRIBE <http://e/s>", "xml", "application/rdf+xml"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "json", "application/ld+json"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "json-ld", "application/ld+json"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "turtle", "text/turtle"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "n3", "text/turtle"),
        ("CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "rdf+xml", "application/rdf+xml"),
    ],
)
def test_sparqlwrapper_format_values(client, query, value, media):
    # SPARQLWrapper sends format=, output= and results= together, with an Accept for the same format.
    response = client.get("/sparql", query_string={"query": query, "format": value, "output": value, "results": value})
    assert response.status_code == 200, response.text
    assert response.mimetype == media


@pytest.mark.parametrize(
    "value, media",
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_fuseki_output_values_for_results(client, value, media):
    response = client.get("/sparql", query_string={"query": "SELECT (1 AS ?x) {}", "output": value})
    assert response.status_code == 200 and response.mimetype == media


@pytest.mark.parametrize(
    "value, media",
    [
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("rdfxml", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ],
)
def test_fuseki_output_values_for_graphs(client, value, media):
    response = client.get(
        "/sparql", query_string={"query": "CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}", "output": value}
    )
    assert response.status_code == 200 and response.mimetype == media


def test_a_graph_format_for_a_select_is_406(client):
    response = client.get("/sparql", query_string={"query": "SELECT (1 AS ?x) {}", "format": "turtle"})
    assert response.status_code == 406


# --- defect 6: relative IRIs resolve against the request IRI ---------------------------------------------------


def test_relative_iris_in_a_query_resolve_against_the_endpoint(client):
    response = client.post(
        "/sparql",
        data=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert response.status_code == 200, response.text
    assert response.text.startswith("<http://localhost/s> <http://localhost/p> ")


def test_relative_iris_in_an_update_resolve_against_the_endpoint(client):
    assert _update(client, "INSERT DATA { GRAPH <http://e/g> { <s> <p> <o> } }").status_code == 204
    rows = _select(client, "SELECT ?o { GRAPH <http://e/g> { <http://localhost/s> ?p ?o } }")
    assert [r["o"]["value"] for r in rows] == ["http://localhost/o"]


def test_base_in_the_query_still_wins(client):
    rows = _select(client, "BASE <http://other/> SELECT (<x> AS ?x) {}")
    assert rows[0]["x"]["value"] == "http://other/x"


# --- defect 7: using-graph-uri / using-named-graph-uri ---------------------------------------------------------


def test_using_graph_uri_sets_the_where_dataset(client):
    assert _update(client, "INSERT DATA { GRAPH <http://e/src> { <http://e/a> a <http://e/Doc> } }").status_code == 204
    response = _update(
        client,
        "INSERT { GRAPH <http://e/out> { ?s a <http://e/Copied> } } WHERE { ?s a <http://e/Doc> }",
        **{"using-graph-uri": "http://e/src"},
    )
    assert response.status_code == 204, response.text
    assert (
        _select(client, "SELECT ?s { GRAPH <http://e/out> { ?s a <http://e/Copied> } }")[0]["s"]["value"]
        == "http://e/a"
    )


def test_using_named_graph_uri_sets_the_named_graphs(client):
    assert _update(client, "INSERT DATA { GRAPH <http://e/src> { <http://e/a> a <http://e/Doc> } }").status_code == 204
    response = _update(
        client,
        "INSERT { GRAPH <http://e/out> { ?s <http://e/in> ?g } } WHERE { GRAPH ?g { ?s a <http://e/Doc> } }",
        **{"using-named-graph-uri": "http://e/src"},
    )
    assert response.status_code == 204, response.text
    assert (
        _select(client, "SELECT ?g { GRAPH <http://e/out> { ?s <http://e/in> ?g } }")[0]["g"]["value"] == "http://e/src"
    )


def test_using_graph_uri_with_a_using_clause_is_400(client):
    response = _update(
        client,
        "INSERT { ?s a <http://e/C> } USING <http://e/x> WHERE { ?s ?p ?o }",
        **{"using-graph-uri": "http://e/src"},
    )
    assert response.status_code == 400
    assert "USING" in response.text


# --- defect 8: Graph Store Protocol ----------------------------------------------------------------------------


def test_post_without_a_target_creates_a_graph(client):
    response = client.post(
        "/data", data=b"<http://e/s> <http://e/p> 1 .", headers={"Content-Type": "text/turtle", **AUTH}
    )
    assert response.status_code == 201
    location = response.headers["Location"]
    got = client.get("/data", query_string={"graph": location}, headers={"Accept": "application/n-triples"})
    assert got.status_code == 200
    assert got.text.strip() == '<http://e/s> <http://e/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


def test_put_of_an_empty_body_makes_an_empty_graph(client):
    response = client.put("/data?graph=http://e/empty", data=b"", headers={"Content-Type": "text/turtle", **AUTH})
    assert response.status_code == 201
    got = client.get("/data?graph=http://e/empty", headers={"Accept": "application/n-triples"})
    assert got.status_code == 200 and got.text.strip() == ""


def test_multipart_post_adds_every_part(client):
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="a"; filename="a.ttl"\r\n'
        'Content-Type: text/turtle\r\n\r\n<http://e/s> <http://e/p> "A" .\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="b"; filename="b.nt"\r\n'
        'Content-Type: application/n-triples\r\n\r\n<http://e/s> <http://e/p> "B" .\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    response = client.post(
        "/data?graph=http://e/multi",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **AUTH},
    )
    assert response.status_code in (201, 204), response.text
    rows = _select(client, "SELECT ?o { GRAPH <http://e/multi> { ?s ?p ?o } } ORDER BY ?o")
    assert [r["o"]["value"] for r in rows] == ["A", "B"]


def test_a_body_in_an_unknown_media_type_is_415(client):
    response = client.put("/data?graph=http://e/g", data=b"{}", headers={"Content-Type": "application/json", **AUTH})
    assert response.status_code == 415


# --- defect 9: the client's mistakes are 4xx, our faults 500, 503 only for time limits and outages -------------


def test_an_unknown_function_is_a_400_with_the_engines_message(client):
    response = client.get("/sparql", query_string={"query": "SELECT (<http://example/function>(1) AS ?x) {}"})
    assert response.status_code == 400
    assert "http://example/function" in response.text and "Traceback" not in response.text


def test_a_syntax_error_keeps_line_and_column(client):
    response = client.get("/sparql", query_string={"query": "SELECT * {\n ?s ?p"})
    assert response.status_code == 400
    assert "2:" in response.text


def test_an_update_that_cannot_be_carried_out_is_400(client):
    response = _update(client, "DROP GRAPH <http://e/missing>")
    assert response.status_code == 400 and "does not exist" in response.text


@pytest.mark.parametrize("error_name, status", [("StoreError", 500), ("Unavailable", 503), ("QueryTimeout", 503)])
def test_server_side_errors_map_to_500_or_503(error_name, status):
    from helsegraf import errors
    from helsegraf.store.embedded import EmbeddedStore

    class Failing(EmbeddedStore):
        def query(self, *args, **kwargs):
            raise getattr(errors, error_name)("the store failed in a test")

    app = create_app(Settings(bundled_data=False), store=Failing())
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == status
    assert "Traceback" not in response.text


def test_every_exception_knows_its_status_and_exit_code():
    from helsegraf import errors

    assert (errors.NotAcceptable().status, errors.NotAcceptable().exit_code) == (406, 2)
    assert (errors.Unavailable().status, errors.Unavailable().exit_code) == (503, 3)
    assert errors.status_of(SyntaxError("x")) == 400
    assert isinstance(errors.BadSyntax("x"), SyntaxError)


# --- defect 11: the Service Description describes the running configuration -----------------------------------


def _description(client) -> rdflib.Graph:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return rdflib.Graph().parse(data=response.text, format="turtle")


def test_service_description_of_a_read_only_union_server():
    graph = _description(_client(write_token=None))
    features = set(graph.objects(None, SD.feature))
    assert SD.UnionDefaultGraph in features
    assert SD.BasicFederatedQuery not in features
    assert set(graph.objects(None, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = {str(f).rsplit("/", 1)[-1] for f in graph.objects(None, SD.resultFormat)}
    assert formats == {
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    }


def test_service_description_of_a_writable_standards_mode_server_with_federation():
    graph = _description(_client(union_default_graph=False, service_allow_list=("http://e/sparql",)))
    features = set(graph.objects(None, SD.feature))
    assert SD.UnionDefaultGraph not in features and SD.BasicFederatedQuery in features
    assert SD.SPARQL11Update in set(graph.objects(None, SD.supportedLanguage))


def test_every_advertised_result_format_is_served(client):
    graph = _description(client)
    from helsegraf import formats

    by_iri = {f.sd_iri: f for f in formats.FORMATS}
    for iri in graph.objects(None, SD.resultFormat):
        fmt = by_iri[str(iri)]
        query = (
            "SELECT (1 AS ?x) {}" if formats.SOLUTIONS in fmt.kinds else "CONSTRUCT { <http://e/s> <http://e/p> 1 } {}"
        )
        response = client.get("/sparql", query_string={"query": query}, headers={"Accept": fmt.media_type})
        assert response.status_code == 200 and response.mimetype == fmt.media_type


# --- the union_default_graph setting ---------------------------------------------------------------------------


def test_standards_mode_default_graph_is_the_stores_own():
    client = _client(union_default_graph=False)
    assert (
        _update(
            client, "INSERT DATA { <http://e/d> <http://e/p> 1 . GRAPH <http://e/g> { <http://e/n> <http://e/p> 2 } }"
        ).status_code
        == 204
    )
    assert [r["s"]["value"] for r in _select(client, "SELECT ?s { ?s ?p ?o }")] == ["http://e/d"]


def test_union_mode_default_graph_holds_the_named_graphs():
    client = _client(union_default_graph=True)
    assert _update(client, "INSERT DATA { GRAPH <http://e/g> { <http://e/n> <http://e/p> 2 } }").status_code == 204
    assert [r["s"]["value"] for r in _select(client, "SELECT ?s { ?s ?p ?o }")] == ["http://e/n"]


def test_the_setting_is_read_from_the_environment_and_the_flag():
    from helsegraf.cli import build_parser, settings_from

    assert Settings.from_env({"HELSEGRAF_UNION_DEFAULT_GRAPH": "false"}).union_default_graph is False
    assert Settings.from_env({}).union_default_graph is True
    args = build_parser().parse_args(["serve", "--no-union-default-graph"])
    assert settings_from(args).union_default_graph is False
    args = build_parser().parse_args(["serve", "--union-default-graph"])
    assert settings_from(args).union_default_graph is True


def test_json_error_free_service_description_in_jsonld(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert json.loads(response.text)


def test_a_syntax_error_in_an_update_keeps_its_line_and_column(client):
    # The request's base IRI reaches the engine as a parameter, not as text in front of the update.
    response = _update(client, "INSERT DATA { <s> <p> }")
    assert response.status_code == 400
    assert "1:" in response.text and "2:" not in response.text


# --- the same through `helsegraf serve`, whose queries run in worker processes ---------------------------------


def test_served_queries_in_workers_keep_base_errors_and_mode(server_factory):
    import requests

    server = server_factory(
        "--no-bundled-data",
        "--no-union-default-graph",
        env={"HELSEGRAF_WRITE_TOKEN": TOKEN, "HELSEGRAF_VALIDATE_ON_WRITE": "false"},
    )
    update = requests.post(
        server.sparql,
        data=b"INSERT DATA { <d> <p> 1 . GRAPH <http://e/g> { <n> <p> 2 } }",
        headers={"Content-Type": "application/sparql-update", **AUTH},
        timeout=30,
    )
    assert update.status_code == 204, update.text
    # Relative IRIs resolved against the endpoint; the default graph is the store's own (standards mode).
    rows = requests.get(
        server.sparql,
        params={"query": "SELECT ?s { ?s <p> ?o }"},
        timeout=30,
        headers={"Accept": "application/sparql-results+json"},
    ).json()["results"]["bindings"]
    assert [r["s"]["value"] for r in rows] == [server.sparql.rsplit("/", 1)[0] + "/d"]
    # An unknown function is the client's mistake, also when a worker process evaluates it.
    refused = requests.get(
        server.sparql, params={"query": "SELECT (<http://example/function>(1) AS ?x) {}"}, timeout=30
    )
    assert refused.status_code == 400 and "http://example/function" in refused.text
