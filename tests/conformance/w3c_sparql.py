"""Run the W3C SPARQL 1.1 test suites over HTTP against a live SPARQL server, from their manifests.

Suites (manifests in ``../shared/w3c/sparql11/``, see its README):

- ``query``: query evaluation (``manifest-sparql11-query.ttl`` and ``manifest-sparql11-results.ttl``:
  ``mf:QueryEvaluationTest``, ``mf:CSVResultFormatTest``);
- ``update``: update evaluation (``manifest-sparql11-update.ttl``: ``mf:UpdateEvaluationTest``);
- ``syntax``: the positive and negative syntax tests of both manifests (query and update);
- ``protocol``: ``protocol/manifest.ttl`` (HTTP exchanges written in RDF);
- ``gsp``: ``graph-store-protocol/manifest-indirect.ttl`` (the runnable tests: indirect graph identification).

How a test is run, the same way for every server (helsegraf and a bare Oxigraph server):

- the store is emptied (``DROP ALL``), the test's data are parsed here with the engine's parser against their
  file IRI and sent in one N-Quads body to the Graph Store Protocol endpoint;
- a query or update is sent with ``BASE <its file IRI>`` in front, so its relative IRIs mean what the test
  means; graphs its FROM / FROM NAMED name are loaded from the files they point at;
- results are compared by RDF isomorphism (graphs, and result sets written as DAWG result-set graphs), so
  blank node labels and the order of unordered solutions do not matter.

Run it by hand against any server::

    python tests/conformance/w3c_sparql.py --query-url http://127.0.0.1:7878/query \\
        --update-url http://127.0.0.1:7878/update --gsp-url http://127.0.0.1:7878/store
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
import requests
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from rdflib.query import Result

ROOT = Path(__file__).resolve().parents[2]
SUITES_DIR = (ROOT / ".." / "shared" / "w3c" / "sparql11").resolve()

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
RS = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

SUITES = ("query", "update", "syntax", "protocol", "gsp")

_MANIFESTS = {
    "query": ["manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl"],
    "update": ["manifest-sparql11-update.ttl"],
    "syntax": ["manifest-sparql11-query.ttl", "manifest-sparql11-update.ttl"],
    "protocol": ["protocol/manifest.ttl"],
    "gsp": ["graph-store-protocol/manifest-indirect.ttl"],
}
_TYPES = {
    "query": {MF.QueryEvaluationTest, MF.CSVResultFormatTest},
    "update": {MF.UpdateEvaluationTest},
    "syntax": {
        MF.PositiveSyntaxTest11,
        MF.NegativeSyntaxTest11,
        MF.PositiveUpdateSyntaxTest11,
        MF.NegativeUpdateSyntaxTest11,
    },
    "protocol": {MF.ProtocolTest},
    "gsp": {MF.GraphStoreProtocolTest},
}

#: Status names of the http-statusCodes vocabulary used by the manifests.
_STATUS_NAMES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404, "BadRequest": 400}
_RESULT_MEDIA = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
_RDF_MEDIA = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/plain": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
#: The engine's name of the format of a data file, by suffix.
_DATA_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
_PARSE_ERROR = re.compile(r"syntax error|error at \d+:\d+")


@dataclass
class Server:
    """Where a SPARQL server answers, and the header that authorises its writes."""

    query_url: str
    update_url: str
    gsp_url: str
    write_headers: dict[str, str] = field(default_factory=dict)
    session: requests.Session = field(default_factory=requests.Session)

    def update(self, text: str) -> requests.Response:
        return self.session.post(
            self.update_url,
            data=text.encode("utf-8"),
            timeout=60,
            headers={"Content-Type": "application/sparql-update", **self.write_headers},
        )

    def clear(self) -> None:
        response = self.update("DROP ALL")
        if response.status_code >= 300:
            raise RuntimeError(f"DROP ALL failed: {response.status_code} {response.text[:300]}")

    def load(self, quads: list) -> None:
        if not quads:
            return
        body = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        response = self.session.post(
            self.gsp_url, data=body, timeout=60, headers={"Content-Type": "application/n-quads", **self.write_headers}
        )
        if response.status_code >= 300:
            raise RuntimeError(f"loading the test data failed: {response.status_code} {response.text[:300]}")


@dataclass
class Outcome:
    passed: bool
    detail: str = ""


# --- manifests ------------------------------------------------------------------------------------------------


def _manifest_entries(path: Path) -> Iterator[tuple[rdflib.URIRef, rdflib.Graph]]:
    graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        for include in graph.objects(manifest, MF.include):
            for item in Collection(graph, include):
                yield from _manifest_entries(Path(urllib.parse.unquote(urllib.parse.urlparse(item).path)))
        for entries in graph.objects(manifest, MF.entries):
            for entry in Collection(graph, entries):
                yield entry, graph


def tests_of(suite: str) -> list[tuple[str, rdflib.URIRef, rdflib.Graph]]:
    """``[(test IRI, test node, manifest graph)]`` of a suite, in manifest order."""
    found, seen = [], set()
    for name in _MANIFESTS[suite]:
        for entry, graph in _manifest_entries(SUITES_DIR / name):
            if graph.value(entry, RDF.type) in _TYPES[suite] and str(entry) not in seen:
                seen.add(str(entry))
                found.append((str(entry), entry, graph))
    return found


def _path(iri) -> Path:
    return Path(urllib.parse.unquote(urllib.parse.urlparse(str(iri)).path))


def _parse_file(iri, graph_name=None) -> list:
    """The quads of a data file, parsed by the engine against its file IRI, into ``graph_name``."""
    path = _path(iri)
    target = ox.NamedNode(str(graph_name)) if graph_name else ox.DefaultGraph()
    return [
        ox.Quad(q.subject, q.predicate, q.object, target)
        for q in ox.parse(path=str(path), format=_DATA_FORMATS[path.suffix], base_iri=str(iri))
    ]


def _with_base(text: str, iri) -> str:
    return f"BASE <{iri}>\n{text}"


# --- comparison -----------------------------------------------------------------------------------------------


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {
    _XSD + n
    for n in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "negativeInteger",
        "nonPositiveInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def canonical(term):
    """A literal in the canonical form of its value (numbers, booleans), other terms unchanged.

    Engines write ``2`` or ``2.0`` for the decimal two, ``1`` or ``1.0E0`` for the double one; SPARQL compares
    such values, so the suites are compared on values too (as engines' own harnesses do).
    """
    if not isinstance(term, rdflib.Literal) or term.datatype is None:
        return term
    datatype, text = str(term.datatype), str(term).strip()
    try:
        if datatype in _INTEGERS:
            value = str(int(text))
        elif datatype == _XSD + "decimal":
            from decimal import Decimal

            value = format(Decimal(text).normalize(), "f")
        elif datatype in (_XSD + "double", _XSD + "float"):
            value = repr(float(text))
        elif datatype == _XSD + "boolean":
            value = {"1": "true", "0": "false"}.get(text, text)
        else:
            return term
    except ValueError:
        return term
    return rdflib.Literal(value, datatype=term.datatype, normalize=False)


def _canonical_graph(graph: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for s, p, o in graph:
        out.add((s, p, canonical(o)))
    return out


def result_graph(result: Result) -> rdflib.Graph:
    """A result set as a DAWG result-set graph, so that isomorphism compares solutions as a multiset."""
    graph = rdflib.Graph()
    top = rdflib.BNode()
    graph.add((top, RDF.type, RS.ResultSet))
    if result.type == "ASK":
        graph.add((top, RS.boolean, rdflib.Literal(bool(result.askAnswer))))
        return graph
    for var in result.vars or []:
        graph.add((top, RS.resultVariable, rdflib.Literal(str(var))))
    for row in result.bindings:
        solution = rdflib.BNode()
        graph.add((top, RS.solution, solution))
        for var, value in row.items():
            if value is None:
                continue
            binding = rdflib.BNode()
            graph.add((solution, RS.binding, binding))
            graph.add((binding, RS.variable, rdflib.Literal(str(var))))
            graph.add((binding, RS.value, canonical(value)))
    return graph


def _expected_results(iri) -> Result | rdflib.Graph:
    path = _path(iri)
    fmt = {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}.get(path.suffix)
    if fmt:
        with path.open("rb") as source:
            return Result.parse(source, format=fmt)
    graph = rdflib.Graph().parse(
        path, format={".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}[path.suffix], publicID=str(iri)
    )
    if (None, RDF.type, RS.ResultSet) in graph:  # results written as a result-set graph
        return _result_from_rs_graph(graph)
    return graph


def _result_from_rs_graph(graph: rdflib.Graph) -> Result:
    top = graph.value(None, RDF.type, RS.ResultSet)
    boolean = graph.value(top, RS.boolean)
    if boolean is not None:
        result = Result("ASK")
        result.askAnswer = boolean.toPython()
        return result
    result = Result("SELECT")
    result.vars = [rdflib.Variable(str(v)) for v in graph.objects(top, RS.resultVariable)]
    rows = []
    for solution in graph.objects(top, RS.solution):
        row = {}
        for binding in graph.objects(solution, RS.binding):
            row[rdflib.Variable(str(graph.value(binding, RS.variable)))] = graph.value(binding, RS.value)
        rows.append(row)
    result.bindings = rows
    return result


def _media(response: requests.Response) -> str:
    return (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def _actual(response: requests.Response, base: str) -> Result | rdflib.Graph:
    media = _media(response)
    if media in _RESULT_MEDIA:
        fmt = {
            "application/sparql-results+json": "json",
            "application/sparql-results+xml": "xml",
            "text/csv": "csv",
            "text/tab-separated-values": "tsv",
        }[media]
        import io

        return Result.parse(io.BytesIO(response.content), format=fmt)
    if media in _RDF_MEDIA:
        return rdflib.Graph().parse(data=response.content, format=_RDF_MEDIA[media], publicID=base)
    raise ValueError(f"unexpected media type {media!r}")


def _same(expected, actual) -> bool:
    if isinstance(expected, rdflib.Graph) != isinstance(actual, rdflib.Graph):
        return False
    if isinstance(expected, rdflib.Graph):
        return isomorphic(_canonical_graph(expected), _canonical_graph(actual))
    if expected.type == "ASK" or actual.type == "ASK":
        return expected.type == actual.type and bool(expected.askAnswer) == bool(actual.askAnswer)
    return isomorphic(result_graph(expected), result_graph(actual))


# --- the runners ----------------------------------------------------------------------------------------------


def _dataset_of(graph: rdflib.Graph, action, data_p, graph_data_p) -> list:
    quads = []
    for data in graph.objects(action, data_p):
        quads += _parse_file(data)
    for graph_data in graph.objects(action, graph_data_p):
        if isinstance(graph_data, rdflib.BNode):  # [ ut:graph <file> ; rdfs:label "name" ]
            quads += _parse_file(graph.value(graph_data, UT.graph), graph.value(graph_data, RDFS.label))
        else:
            quads += _parse_file(graph_data, graph_data)
    return quads


_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)


def run_query_test(server: Server, node, graph: rdflib.Graph) -> Outcome:
    action = graph.value(node, MF.action)
    query_iri = graph.value(action, QT.query)
    text = _path(query_iri).read_text(encoding="utf-8")
    quads = _dataset_of(graph, action, QT.data, QT.graphData)
    named = {str(q.graph_name.value) for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    for ref in _FROM.findall(text):  # FROM <file>: the test expects that file as a graph of that name
        iri = urllib.parse.urljoin(str(query_iri), ref)
        if iri.startswith("file:") and iri not in named and _path(iri).is_file():
            quads += _parse_file(iri, iri)
            named.add(iri)
    server.clear()
    server.load(quads)
    csv = graph.value(node, RDF.type) == MF.CSVResultFormatTest
    accept = "text/csv" if csv else "application/sparql-results+json, application/n-triples;q=0.9"
    response = server.session.post(
        server.query_url,
        data=_with_base(text, query_iri).encode("utf-8"),
        timeout=60,
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    if response.status_code != 200:
        return Outcome(False, f"HTTP {response.status_code}: {response.text[:300]}")
    expected = _expected_results(graph.value(node, MF.result))
    actual = _actual(response, str(query_iri))
    if _same(expected, actual):
        return Outcome(True)
    return Outcome(False, "the result differs from the expected one: " + _difference(expected, actual))


def _difference(expected, actual) -> str:
    if isinstance(expected, Result) and isinstance(actual, Result) and expected.type == actual.type == "SELECT":

        def rows(result):
            return {
                tuple(sorted((str(k), canonical(v).n3()) for k, v in row.items() if v is not None))
                for row in result.bindings
            }

        return f"only expected {sorted(rows(expected) - rows(actual))[:3]}, only got {sorted(rows(actual) - rows(expected))[:3]}"
    if isinstance(expected, Result) and isinstance(actual, Result) and expected.type == actual.type == "ASK":
        return f"expected {expected.askAnswer}, got {actual.askAnswer}"
    return f"expected a {getattr(expected, 'type', 'graph')} result, got a {getattr(actual, 'type', 'graph')} result"


def _store_state(server: Server) -> dict[str | None, rdflib.Graph]:
    """The store's graphs (``None``: the default graph), read with one query (empty graphs left out)."""
    response = server.session.post(
        server.query_url,
        timeout=60,
        data=b"SELECT ?g ?s ?p ?o { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    response.raise_for_status()
    graphs: dict[str | None, rdflib.Graph] = {}
    for row in response.json()["results"]["bindings"]:
        name = row["g"]["value"] if "g" in row else None
        graphs.setdefault(name, rdflib.Graph()).add(tuple(_json_term(row[v]) for v in ("s", "p", "o")))
    return graphs


def _json_term(value: dict):
    if value["type"] == "uri":
        return rdflib.URIRef(value["value"])
    if value["type"] == "bnode":
        return rdflib.BNode(value["value"])
    return rdflib.Literal(
        value["value"],
        lang=value.get("xml:lang"),
        datatype=value.get("datatype") if not value.get("xml:lang") else None,
    )


def run_update_test(server: Server, node, graph: rdflib.Graph, ignore_graph=None) -> Outcome:
    """An update evaluation test. The default graph of the store is read where it is (in union mode too: the
    state of the store is compared, not what a query sees). ``ignore_graph(name)``: graphs a server adds itself."""
    action, result = graph.value(node, MF.action), graph.value(node, MF.result)
    request_iri = graph.value(action, UT.request)
    server.clear()
    server.load(_dataset_of(graph, action, UT.data, UT.graphData))
    text = _path(request_iri).read_text(encoding="utf-8")
    response = server.update(_with_base(text, request_iri))
    if response.status_code >= 300:
        return Outcome(False, f"HTTP {response.status_code}: {response.text[:300]}")
    expected: dict[str | None, rdflib.Graph] = {}
    for quad in _dataset_of(graph, result, UT.data, UT.graphData):
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        expected.setdefault(name, rdflib.Graph()).add(
            tuple(_ox_to_rdflib(t) for t in (quad.subject, quad.predicate, quad.object))
        )
    actual = _default_graph_state(server, _store_state(server))
    expected = {k: v for k, v in expected.items() if len(v)}
    actual = {k: v for k, v in actual.items() if len(v) and not (ignore_graph and k and ignore_graph(k))}
    if set(expected) != set(actual):
        return Outcome(False, f"graphs differ: expected {sorted(map(str, expected))}, got {sorted(map(str, actual))}")
    for name, expected_graph in expected.items():
        if not isomorphic(_canonical_graph(expected_graph), _canonical_graph(actual[name])):
            return Outcome(False, f"graph {name or 'DEFAULT'} differs")
    return Outcome(True)


def _default_graph_state(server: Server, graphs: dict) -> dict:
    """In union mode the query above sees the union as the default graph; the store's own default graph is then
    read through the Graph Store Protocol (``?default``)."""
    response = server.session.get(
        server.gsp_url, params={"default": ""}, headers={"Accept": "application/n-triples"}, timeout=60
    )
    if response.status_code == 200:
        graphs[None] = rdflib.Graph().parse(data=response.content, format="nt")
    return graphs


def _ox_to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    plain = term.language or term.datatype.value == _XSD_STRING
    return rdflib.Literal(term.value, lang=term.language, datatype=None if plain else term.datatype.value)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def run_syntax_test(server: Server, node, graph: rdflib.Graph) -> Outcome:
    kind = graph.value(node, RDF.type)
    action = graph.value(node, MF.action)
    text = _path(action).read_bytes().decode("utf-8", errors="replace")
    server.clear()
    if kind in (MF.PositiveUpdateSyntaxTest11, MF.NegativeUpdateSyntaxTest11):
        response = server.update(_with_base(text, action))
    else:
        response = server.session.post(
            server.query_url,
            data=_with_base(text, action).encode("utf-8"),
            timeout=60,
            headers={"Content-Type": "application/sparql-query"},
        )
    refused_as_syntax = response.status_code == 400 and bool(_PARSE_ERROR.search(response.text))
    if kind in (MF.PositiveSyntaxTest11, MF.PositiveUpdateSyntaxTest11):
        # A positive test passes when the text parses: any answer but a parse error. An update that parses but
        # cannot be carried out on the empty store (DROP of a missing graph) is answered 400 with the engine's
        # message, which is not a parse error.
        if response.status_code < 300 or (response.status_code in (400, 404) and not refused_as_syntax):
            return Outcome(True)
        return Outcome(False, f"HTTP {response.status_code}: {response.text[:300]}")
    if response.status_code == 400:
        return Outcome(True)
    return Outcome(False, f"accepted (HTTP {response.status_code}) instead of a 400")


def _request_parts(graph: rdflib.Graph, request) -> tuple[str, str, dict[str, str], bytes | None]:
    method = str(graph.value(request, HT.methodName))
    path = str(graph.value(request, HT.absolutePath))
    headers = {}
    for header_list in graph.objects(request, HT.headers):
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName)).lower()] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(request, HT.body)
    body = None
    if body_node is not None:
        chars = str(graph.value(body_node, CNT.chars))
        charset = re.search(r"charset=([\w-]+)", headers.get("content-type", ""), re.IGNORECASE)
        body = chars.encode(charset.group(1) if charset else "utf-8")
    return method, path, headers, body


def _status_ok(graph: rdflib.Graph, response_node, status: int) -> bool:
    wanted = [str(s)[len(HTS) :] for s in graph.objects(response_node, MF.expectedStatus)]
    if not wanted:
        return True
    for name in wanted:
        if name.startswith("StatusCode") and name.endswith("xx") and str(status)[0] == name[len("StatusCode")]:
            return True
        if _STATUS_NAMES.get(name) == status:
            return True
    return False


def _is_update(headers: dict[str, str], body: bytes | None) -> bool:
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        return True
    if content_type == "application/x-www-form-urlencoded" and body:
        return "update" in urllib.parse.parse_qs(body.decode("utf-8", errors="replace"))
    return False


def run_protocol_test(server: Server, node, graph: rdflib.Graph) -> Outcome:
    server.clear()
    quads = []
    for graph_data in graph.objects(node, UT.graphData):
        quads += _parse_file(graph.value(graph_data, UT.graph), graph.value(graph_data, RDFS.label))
    server.load(quads)
    connection = graph.value(node, MF.action)
    for number, request in enumerate(Collection(graph, graph.value(connection, HT.requests)), 1):
        method, path, headers, body = _request_parts(graph, request)
        query_string = path.split("?", 1)[1] if "?" in path else ""
        update = _is_update(headers, body) or "update=" in query_string
        url = (server.update_url if update else server.query_url) + ("?" + query_string if query_string else "")
        if update:
            headers.update(server.write_headers)
        response = server.session.request(method, url, data=body, headers=headers, timeout=60)
        expected = graph.value(request, HT.resp)
        if not _status_ok(graph, expected, response.status_code):
            return Outcome(False, f"request {number}: HTTP {response.status_code}: {response.text[:200]}")
        form = graph.value(expected, MF.expectedFormat)
        media = _media(response)
        if form is not None and str(form) in ("boolean", "tabular") and media not in _RESULT_MEDIA:
            return Outcome(False, f"request {number}: {media} is not a result format")
        if form is not None and str(form) == "RDF" and media not in _RDF_MEDIA:
            return Outcome(False, f"request {number}: {media} is not an RDF format")
        boolean = graph.value(expected, MF.expectedBoolean)
        if boolean is not None:
            actual = _actual(response, url)
            if not isinstance(actual, Result) or bool(actual.askAnswer) != boolean.toPython():
                return Outcome(False, f"request {number}: the answer is not {boolean}")
    return Outcome(True)


def run_gsp_test(server: Server, node, graph: rdflib.Graph) -> Outcome:
    server.clear()
    connection = graph.value(node, MF.action)
    variables: dict[str, str] = {}
    for number, request in enumerate(Collection(graph, graph.value(connection, HT.requests)), 1):
        method, path, headers, body = _request_parts(graph, request)
        for name, value in variables.items():
            path = path.replace(name, value)
            body = body.replace(name.encode(), value.encode()) if body else body
        query_string = path.split("?", 1)[1] if "?" in path else ""
        url = server.gsp_url + ("?" + query_string if query_string else "")
        if method not in ("GET", "HEAD"):
            headers.update(server.write_headers)
        response = server.session.request(method, url, data=body, headers=headers, timeout=60)
        expected = graph.value(request, HT.resp)
        if not _status_ok(graph, expected, response.status_code):
            return Outcome(False, f"request {number} ({method}): HTTP {response.status_code}: {response.text[:200]}")
        location = graph.value(expected, MF.expectedLocation)
        if location is not None:
            if "Location" not in response.headers:
                return Outcome(False, f"request {number}: no Location header")
            variables[str(location)] = response.headers["Location"]
        expected_body = graph.value(expected, HT.body)
        if expected_body is not None and method != "HEAD":
            wanted = rdflib.Graph().parse(data=str(graph.value(expected_body, CNT.chars)), format="turtle")
            try:
                got = _actual(response, url)
            except ValueError as error:
                return Outcome(False, f"request {number}: {error}")
            if not isinstance(got, rdflib.Graph) or not isomorphic(wanted, got):
                return Outcome(False, f"request {number}: the graph differs")
    return Outcome(True)


_RUNNERS = {
    "query": run_query_test,
    "update": run_update_test,
    "syntax": run_syntax_test,
    "protocol": run_protocol_test,
    "gsp": run_gsp_test,
}


def run_suite(suite: str, server: Server, **options) -> dict[str, Outcome]:
    """Run every test of ``suite``; ``{test IRI: Outcome}``. A test that raises fails with the exception."""
    outcomes = {}
    for iri, node, graph in tests_of(suite):
        try:
            outcomes[iri] = _RUNNERS[suite](server, node, graph, **options)
        except Exception as error:  # noqa: BLE001 - a broken test counts as failed, with the reason
            outcomes[iri] = Outcome(False, f"{type(error).__name__}: {error}")
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query-url", required=True)
    parser.add_argument("--update-url", required=True)
    parser.add_argument("--gsp-url", required=True)
    parser.add_argument("--token", help="bearer token for writes")
    parser.add_argument("--suite", action="append", choices=SUITES)
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failing tests")
    args = parser.parse_args(argv)
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    server = Server(args.query_url, args.update_url, args.gsp_url, headers)
    for suite in args.suite or SUITES:
        outcomes = run_suite(suite, server)
        passed = sum(o.passed for o in outcomes.values())
        print(f"{suite}: {passed}/{len(outcomes)}")
        if args.verbose:
            for iri, outcome in outcomes.items():
                if not outcome.passed:
                    print(f"  {iri}  {outcome.detail[:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
