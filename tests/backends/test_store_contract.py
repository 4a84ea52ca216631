"""The Store contract, on every backend: the same calls give the same answers on the embedded store, on Oxigraph
server and on Virtuoso 7. Where an engine differs and helsegraf cannot hide it, the test says so by name."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph
import pytest
import rdflib

from helsegraf.store import GRAPH_FORMATS, SOLUTION_FORMATS, Term

pytestmark = pytest.mark.integration

DATA = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "eins"@de, 2 ; ex:q ex:b .
ex:b ex:p "to"@nb ; ex:r [ ex:s "blank" ] .
"""
G1, G2 = "http://example.org/graph/1", "http://example.org/graph/2"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


def test_load_into_a_named_graph_and_count(store):
    assert store.load(DATA, "turtle", G1) == 6
    assert store.graphs() == [G1]
    assert store.count(G1) == 6 and store.count() == 6


def test_loading_twice_replaces_instead_of_duplicating(store):
    store.load(DATA, "turtle", G1)
    store.load(DATA, "turtle", G1)
    assert store.count() == 6


def test_bad_data_raises_syntax_error_and_changes_nothing(store):
    store.load(DATA, "turtle", G1)
    with pytest.raises(SyntaxError, match="line 1"):
        store.load(b"<http://x> <http://y> .", "turtle", G1)
    assert store.count(G1) == 6


def test_default_graph_is_the_union_of_the_named_graphs(store):
    store.load(DATA, "turtle", G1)
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", G2)
    rows = list(store.query("SELECT ?s WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s ?o").rows())
    assert [r["s"].value for r in rows] == ["http://example.org/a"] * 2 + ["http://example.org/b", "http://example.org/c"]
    # Nothing but helsegraf's graphs: on Virtuoso the system graphs (virtrdf: etc.) must not show.
    total = next(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows())["n"].value
    assert int(total) == store.count() == 7
    named = [r["g"].value for r in store.query("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g").rows()]
    assert named == [G1, G2]


def test_default_graphs_parameter_restricts_the_dataset(store):
    store.load(DATA, "turtle", G1)
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", G2)
    result = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graphs=[G2])
    assert next(result.rows())["n"].value == "1"


def test_only_named_graphs_leaves_the_default_graph_empty(store):
    store.load(DATA, "turtle", G1)
    assert store.query("ASK { ?s ?p ?o }", named_graphs=[G1]).boolean is False
    assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }", named_graphs=[G1]).boolean is True


def test_from_in_the_query_names_the_dataset(store):
    store.load(DATA, "turtle", G1)
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", G2)
    result = store.query(f"SELECT (COUNT(*) AS ?n) FROM <{G2}> WHERE {{ ?s ?p ?o }}")
    assert next(result.rows())["n"].value == "1"


def test_a_variable_named_from_is_no_dataset_clause(store):
    """``?from`` (cq-01 … cq-03) once read as FROM: the remote stores then sent no union default graph."""
    store.load(DATA, "turtle", G1)
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", G2)
    result = store.query("SELECT (COUNT(?from) AS ?n) WHERE { ?from ?p ?o } # FROM <x>")
    assert int(next(result.rows())["n"].value) == 7


def _is_virtuoso(store) -> bool:
    return getattr(getattr(store, "profile", None), "name", "") == "virtuoso"


PATHS = b"""@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:Z rdfs:subClassOf ex:C .
ex:x a ex:A, ex:B, ex:C . ex:y a ex:Z, ex:C .
"""


@pytest.mark.parametrize("path", ["*", "+"])
def test_transitive_path_from_a_variable_bound_by_another_pattern(request, store, path):
    """The pattern of cq-09, cq-10 and cq-11; the same path with its start unbound is right on every engine."""
    if _is_virtuoso(store):
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "Virtuoso 7.2.5 returns only x/A for * (and for +) once ?t is bound by '?s a ex:C ; a ?t'")))
    store.load(PATHS, "turtle", G1)
    query = (f"PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             f"SELECT ?s ?t {{ ?s a ex:C ; a ?t . ?t rdfs:subClassOf{path} ex:C }}")
    got = sorted((r["s"].value[-1], r["t"].value[-1]) for r in store.query(query).rows())
    reflexive = [("x", "C"), ("y", "C")] if path == "*" else []
    assert got == sorted([("x", "A"), ("x", "B"), ("y", "Z")] + reflexive)


def test_order_of_language_tagged_literals(request, store):
    """SPARQL 1.1 §15.1 leaves this order open; Oxigraph orders by text (cq-24's expected answer), Virtuoso by
    language tag first."""
    if _is_virtuoso(store):
        request.applymarker(pytest.mark.xfail(strict=True, reason="Virtuoso orders by language tag first"))
    rows = store.query('SELECT ?x { VALUES ?x { "Ny"@nb "Forslag"@nn "B"@nb } } ORDER BY ?x').rows()
    assert [r["x"].value for r in rows] == ["B", "Forslag", "Ny"]


def test_rows_give_plain_terms(store):
    store.load(DATA, "turtle", G1)
    row = next(store.query('SELECT ?o { ?s ?p ?o FILTER(lang(?o) = "de") }').rows())
    assert row["o"] == Term("literal", "eins", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "de")
    number = next(store.query("SELECT ?o { ?s ?p ?o FILTER(isNumeric(?o)) }").rows())["o"]
    assert number == Term("literal", "2", "http://www.w3.org/2001/XMLSchema#integer")


def test_blank_nodes_come_back_as_blank_nodes(store):
    """Labels differ between engines (Virtuoso writes nodeID://b…, repaired to a label); only the kind is
    the same, which is all SPARQL promises."""
    store.load(DATA, "turtle", G1)
    row = next(store.query("SELECT ?x ?v { ?b <http://example.org/r> ?x . ?x <http://example.org/s> ?v }").rows())
    assert row["x"].kind == "bnode" and row["x"].value and row["v"].value == "blank"


def test_syntax_error_of_a_query_has_line_and_column(store):
    with pytest.raises(SyntaxError, match=r"2:\d+"):
        store.query("SELECT *\nWHERE { ?s ?p }")


def test_syntax_error_of_an_update(store):
    with pytest.raises(SyntaxError):
        store.update("INSERT DATA { <http://x> }")


def test_update_is_seen_by_queries_and_graphs(store):
    store.update(f'INSERT DATA {{ GRAPH <{G2}> {{ <http://example.org/x> <http://example.org/p> "ny"@nb }} }}')
    assert store.graphs() == [G2]
    assert store.query('ASK { <http://example.org/x> ?p "ny"@nb }').boolean is True
    store.update(f"DELETE WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}")
    assert store.count() == 0


def test_update_with_blank_nodes_and_using(store):
    """The loader's meta records use [ ] in INSERT DATA and inference uses USING: both must work everywhere."""
    store.load(DATA, "turtle", G1)
    store.update(f"""INSERT DATA {{ GRAPH <{G2}> {{ <http://example.org/a> <http://example.org/sum>
                                      [ <http://example.org/value> "abc" ] }} }}""")
    store.update(f"INSERT {{ GRAPH <{G2}> {{ ?s a <http://example.org/Thing> }} }} USING <{G1}> "
                 f"WHERE {{ ?s <http://example.org/p> ?o }}")
    assert store.count(G2) == 4
    value = next(store.query("SELECT ?v { ?a <http://example.org/sum>/<http://example.org/value> ?v }").rows())
    assert value["v"].value == "abc"


def test_dump_as_trig_round_trips(store):
    store.load(DATA, "turtle", G1)
    out = io.BytesIO()
    store.dump(out, "trig")
    dataset = rdflib.Dataset()
    dataset.parse(data=out.getvalue(), format="trig")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {G1}
    assert sum(len(g) for g in dataset.graphs()) == 6


def test_dump_of_one_graph_needs_a_graph_for_graph_formats(store):
    with pytest.raises(ValueError):
        store.dump(io.BytesIO(), "turtle")


def test_drop(store):
    store.load(DATA, "turtle", G1)
    assert store.drop(G1) is True and store.drop(G1) is False
    assert store.count() == 0


def test_dataset_formats_load_into_the_graphs_they_name(store):
    quads = (f"<http://example.org/a> <http://example.org/p> \"1\" <{G1}> .\n"
             f"<http://example.org/b> <http://example.org/p> \"2\" <{G2}> .\n")
    store.load(quads.encode(), "nquads", None)
    assert store.graphs() == [G1, G2] and store.count() == 2


SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s ?o"


def _solutions(body: bytes, fmt: str) -> list[tuple]:
    """Parse a result document into comparable rows (values as N-Triples-ish text)."""
    if fmt == "csv":
        return [tuple(r) for r in csv.reader(io.StringIO(body.decode()))][1:]
    parsed = pyoxigraph.parse_query_results(body, format={
        "json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML,
        "tsv": pyoxigraph.QueryResultsFormat.TSV}[fmt])
    return [tuple(str(s[v]) for v in parsed.variables) for s in parsed]


@pytest.mark.parametrize("fmt", sorted(SOLUTION_FORMATS))
def test_select_in_every_result_format(store, fmt):
    """Every solution format is written (streamed through or converted) and says the same thing."""
    store.load(DATA, "turtle", G1)
    out = io.BytesIO()
    store.query(SELECT).write(out, fmt)
    # Sorted here: SPARQL leaves the order of a number and a language-tagged string open, and Virtuoso puts
    # "eins"@de before 2 where Oxigraph does the opposite.
    rows = sorted(tuple(r) for r in _solutions(out.getvalue(), fmt))
    if fmt == "csv":
        assert rows == [("http://example.org/a", "2"), ("http://example.org/a", "eins"), ("http://example.org/b", "to")]
    else:
        assert rows == [("<http://example.org/a>", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                        ("<http://example.org/a>", '"eins"@de'), ("<http://example.org/b>", '"to"@nb')]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_ask_in_json_and_xml(store, fmt):
    store.load(DATA, "turtle", G1)
    out = io.BytesIO()
    store.query("ASK { ?s ?p 2 }").write(out, fmt)
    if fmt == "json":
        assert json.loads(out.getvalue())["boolean"] is True
    else:
        assert ET.fromstring(out.getvalue()).find(f"{RESULTS_NS}boolean").text == "true"


_RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.mark.parametrize("fmt", sorted(_RDFLIB))
def test_construct_in_every_graph_format(store, fmt):
    store.load(DATA, "turtle", G1)
    out = io.BytesIO()
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) }")
    assert result.kind == "graph"
    result.write(out, fmt)
    graph = rdflib.Graph().parse(data=out.getvalue(), format=_RDFLIB[fmt])
    expected = rdflib.Graph().parse(data=DATA, format="turtle")
    expected_plain = {t for t in expected if not any(isinstance(x, rdflib.BNode) for x in t)}
    assert set(graph) == expected_plain
    assert GRAPH_FORMATS[fmt]


def test_queries_work_with_hundreds_of_graphs(store):
    """Regression (benchmarks, issue 6): Virtuoso echoes each graph a request names as a response header, and
    http.client refused responses with more than 100 headers, so with ~380 graphs every query failed."""
    data = "\n".join(f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(150))
    store.load(data.encode(), "turtle", "http://example.org/g/all")
    for i in range(150):
        store.load(f"<http://example.org/s{i}> <http://example.org/q> {i} .".encode(), "turtle",
                   f"http://example.org/g/{i}")
    assert len(store.graphs()) >= 151
    assert store.query("ASK { <http://example.org/s7> <http://example.org/q> 7 }").boolean is True
