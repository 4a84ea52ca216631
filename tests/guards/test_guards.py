"""The SSRF guard reads tokens: comments, strings and case do not fool it."""

import time

import pytest

from helsegraf.sparql.guards import GuardError, check, touched_graphs

ALLOWED = "https://query.wikidata.org/sparql"


@pytest.mark.parametrize("text", [
    "SELECT * { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
    "select * { service silent <http://evil.example/> { ?s ?p ?o } }",
    "SELECT * { SeRvIcE ?endpoint { ?s ?p ?o } }",
    "PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
    "SELECT * { SERVICE#comment\n<http://evil.example/> { ?s ?p ?o } }",
    r"SELECT * { SERV\u0049CE <http://evil.example/> { ?s ?p ?o } }",
    "BASE <http://evil.example/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
    "LOAD <http://evil.example/data.ttl>",
    "load silent <file:///etc/passwd> into graph <http://g>",
    "INSERT DATA { <a:b> <a:c> 1 } ; LOAD <file:///etc/passwd>",
])
def test_refused(text):
    with pytest.raises(GuardError):
        check(text, allow=[ALLOWED])


@pytest.mark.parametrize("text", [
    "SELECT * { ?s ?p 'SERVICE <http://evil.example/>' }",
    'SELECT * { ?s ?p """LOAD <file:///etc/passwd>""" }',
    "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/>",
    "SELECT * { ?s <http://example.org/service> ?o . ?s <urn:load> ?x }",
    "PREFIX ex: <http://example.org/> SELECT * { ?s ex:service ?o }",
    f"SELECT * {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} }}",
    "PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE wd:sparql { ?s ?p ?o } }",
    "SELECT * { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
])
def test_allowed(text):
    check(text, allow=[ALLOWED])


def test_touched_graphs():
    assert touched_graphs("DROP SILENT GRAPH <http://g> ; INSERT DATA { GRAPH <http://h> { <a:s> <a:p> 1 } }") \
        == {"http://g", "http://h"}
    assert touched_graphs("CLEAR ALL") is None
    assert touched_graphs("WITH <http://w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }") == {"http://w"}


def test_the_check_is_cheap():
    """The token scan takes well under a millisecond per typical query (a full parse takes far longer)."""
    text = "PREFIX hg: <https://w3id.org/helsegraf/ontology#> SELECT ?s ?l WHERE { ?s a hg:Service ; " \
           "<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = 'nb') } ORDER BY ?l LIMIT 100"
    started = time.perf_counter()
    for _ in range(200):
        check(text)
    assert (time.perf_counter() - started) / 200 < 0.005
