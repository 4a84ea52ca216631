"""Every query form in every format, through the clients researchers use: SPARQLWrapper (default settings and
each return format), rdflib's SPARQLStore, requests and curl, against a live server on the bundled graph.

The expected answers come from the server itself in its default format (the answers' content is tested in
test_sparql_protocol.py); here each client must get a 200 in the format it asked for and read it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

import pytest
import rdflib
import requests
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from harness import require
from helsegraf import formats

pytestmark = pytest.mark.integration

PREFIX = "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
SELECT = PREFIX + "SELECT ?c WHERE { ?c a owl:Class FILTER(isIRI(?c)) } ORDER BY ?c LIMIT 3"
ASK = PREFIX + "ASK { ?c a owl:Class }"
CONSTRUCT = PREFIX + "CONSTRUCT { ?c a owl:Class } WHERE { ?c a owl:Class FILTER(isIRI(?c)) } LIMIT 3"


@pytest.fixture(scope="module")
def describe(live_server):
    first = requests.get(live_server.sparql, params={"query": SELECT}, timeout=30).json()
    return f"DESCRIBE <{first['results']['bindings'][0]['c']['value']}>"


def _wrapper(live_server, query, fmt=None):
    sparql = SPARQLWrapper(live_server.sparql)
    sparql.setQuery(query)
    if fmt is not None:
        sparql.setReturnFormat(fmt)
    return sparql.query()


def test_sparqlwrapper_defaults_for_every_form(live_server, describe):
    # Default settings: GET, XML (SPARQL XML results for SELECT/ASK, RDF/XML for CONSTRUCT/DESCRIBE).
    select = _wrapper(live_server, SELECT).convert()
    assert len(select.getElementsByTagName("result")) == 3
    assert _wrapper(live_server, ASK).convert().getElementsByTagName("boolean")[0].firstChild.data == "true"
    for query in (CONSTRUCT, describe):
        result = _wrapper(live_server, query)
        assert result.info()["content-type"].startswith("application/rdf+xml")
        graph = result.convert()
        assert isinstance(graph, rdflib.Graph) and len(graph) > 0


@pytest.mark.parametrize(
    "fmt, media",
    [
        (JSON, "application/sparql-results+json"),
        (XML, "application/sparql-results+xml"),
        (CSV, "text/csv"),
        (TSV, "text/tab-separated-values"),
    ],
)
def test_sparqlwrapper_result_formats_for_select_and_ask(live_server, fmt, media):
    for query in (SELECT, ASK):
        if query is ASK and fmt in (CSV, TSV):
            continue  # SPARQL 1.1 CSV/TSV define no boolean result
        result = _wrapper(live_server, query, fmt)
        assert result.info()["content-type"].startswith(media)
        assert result.convert()


@pytest.mark.parametrize(
    "fmt, media",
    [
        (XML, "application/rdf+xml"),
        (RDFXML, "application/rdf+xml"),
        (TURTLE, "text/turtle"),
        (N3, "text/turtle"),
        (JSONLD, "application/ld+json"),
        # SPARQLWrapper warns and sends Accept */* with format=json: JSON-LD.
        pytest.param(
            JSON, "application/ld+json", marks=pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning")
        ),
    ],
)
def test_sparqlwrapper_formats_for_construct_and_describe(live_server, describe, fmt, media):
    for query in (CONSTRUCT, describe):
        result = _wrapper(live_server, query, fmt)
        assert result.info()["content-type"].startswith(media)
        converted = result.convert()
        if isinstance(converted, bytes):
            converted = rdflib.Graph().parse(data=converted, format="turtle" if fmt in (TURTLE, N3) else "json-ld")
        assert len(converted) > 0


def test_sparqlwrapper_post(live_server):
    sparql = SPARQLWrapper(live_server.sparql)
    sparql.setMethod("POST")
    sparql.setQuery(SELECT)
    sparql.setReturnFormat(JSON)
    assert len(sparql.query().convert()["results"]["bindings"]) == 3


def test_rdflib_sparqlstore_every_form(live_server, describe):
    graph = rdflib.Graph(store=SPARQLStore(live_server.sparql))
    assert len(list(graph.query(SELECT))) == 3
    assert graph.query(ASK).askAnswer is True
    assert len(graph.query(CONSTRUCT).graph) == 3
    assert len(graph.query(describe).graph) > 0


def _offered(kind):
    return [(f.key, m) for f in formats.for_kind(kind) for m in f.media_types if m]


@pytest.mark.parametrize("key, media", _offered(formats.SOLUTIONS))
def test_requests_every_result_media_type(live_server, key, media):
    response = requests.post(live_server.sparql, data={"query": SELECT}, headers={"Accept": media}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == formats.media_type(key)
    if key == "json":
        assert len(response.json()["results"]["bindings"]) == 3
    elif key in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(response.text), delimiter="," if key == "csv" else "\t"))
        assert len(rows) == 4


@pytest.mark.parametrize("key, media", _offered(formats.GRAPH))
def test_requests_every_graph_media_type(live_server, key, media):
    response = requests.get(live_server.sparql, params={"query": CONSTRUCT}, headers={"Accept": media}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == formats.media_type(key)
    graph = rdflib.Graph().parse(data=response.content, format=formats.BY_KEY[key].rdflib)
    assert len(graph) == 3


def _curl(url: str, accept: str, query: str) -> tuple[str, str, bytes]:
    require(shutil.which("curl") is not None, "curl is not installed")
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-H",
            f"Accept: {accept}",
            "--data-urlencode",
            f"query={query}",
            "-w",
            "\n%{http_code} %{content_type}",
            url,
        ],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    body, _, status_line = out.rpartition(b"\n")
    status, content_type = status_line.decode().split(" ", 1)
    return status, content_type, body


@pytest.mark.parametrize("form", ["select", "ask"])
@pytest.mark.parametrize("key, media", [(f.key, f.media_type) for f in formats.for_kind(formats.SOLUTIONS)])
def test_curl_every_result_format(live_server, form, key, media):
    status, content_type, body = _curl(live_server.sparql, media, SELECT if form == "select" else ASK)
    assert status == "200" and content_type.startswith(media)
    if form == "ask":
        assert b"true" in body
    elif key == "json":
        assert len(json.loads(body)["results"]["bindings"]) == 3
    else:
        parsed = Result.parse(io.BytesIO(body), format=key)
        assert len(list(parsed)) == 3


@pytest.mark.parametrize("form", ["construct", "describe"])
@pytest.mark.parametrize("key, media", [(f.key, f.media_type) for f in formats.for_kind(formats.GRAPH)])
def test_curl_every_graph_format(live_server, describe, form, key, media):
    status, content_type, body = _curl(live_server.sparql, media, CONSTRUCT if form == "construct" else describe)
    assert status == "200" and content_type.startswith(media)
    assert len(rdflib.Graph().parse(data=body, format=formats.BY_KEY[key].rdflib)) > 0


def test_curl_accept_with_a_parameter(live_server):
    status, content_type, body = _curl(live_server.sparql, "application/sparql-results+json;charset=utf-8", SELECT)
    assert status == "200" and content_type.startswith("application/sparql-results+json")
    assert len(json.loads(body)["results"]["bindings"]) == 3
