"""The embedded store behind the Store interface."""

import io

import pytest

from helsegraf.store import Term
from helsegraf.store.embedded import EmbeddedStore

pytestmark = pytest.mark.unit

DATA = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "eins"@de, 2 ; ex:q ex:b .
"""


@pytest.fixture
def store():
    return EmbeddedStore()


def test_load_into_a_named_graph_and_count(store):
    assert store.load(DATA, "turtle", "http://g/1") == 3
    assert store.graphs() == ["http://g/1"]
    # In union mode (the default) the default graph is the merge of the named graphs.
    assert store.count("http://g/1") == 3 and store.count() == 3 and store.count("") == 3


def test_loading_twice_replaces_instead_of_duplicating(store):
    store.load(DATA, "turtle", "http://g/1")
    store.load(DATA, "turtle", "http://g/1")
    assert store.count() == 3


def test_bad_data_raises_syntax_error_and_changes_nothing(store):
    store.load(DATA, "turtle", "http://g/1")
    with pytest.raises(SyntaxError) as error:
        store.load(b"<http://x> <http://y> .", "turtle", "http://g/1")
    assert "line 1" in str(error.value)
    assert store.count("http://g/1") == 3


def test_default_graph_is_the_union(store):
    store.load(DATA, "turtle", "http://g/1")
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", "http://g/2")
    rows = list(store.query("SELECT ?s WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s ?o").rows())
    assert [r["s"].value for r in rows] == ["http://example.org/a", "http://example.org/a", "http://example.org/c"]


def test_default_graphs_parameter_restricts_the_dataset(store):
    store.load(DATA, "turtle", "http://g/1")
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", "http://g/2")
    result = store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graphs=["http://g/2"])
    assert next(result.rows())["n"].value == "1"


def test_only_named_graphs_leaves_the_default_graph_empty(store):
    store.load(DATA, "turtle", "http://g/1")
    result = store.query("ASK { ?s ?p ?o }", named_graphs=["http://g/1"])
    assert result.boolean is False
    assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }", named_graphs=["http://g/1"]).boolean is True


def test_rows_give_plain_terms(store):
    store.load(DATA, "turtle", "http://g/1")
    row = next(store.query('SELECT ?o { ?s ?p ?o FILTER(lang(?o) = "de") }').rows())
    assert row["o"] == Term("literal", "eins", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "de")


def test_syntax_error_of_a_query_has_line_and_column(store):
    with pytest.raises(SyntaxError, match=r"2:\d+"):
        store.query("SELECT *\nWHERE { ?s ?p }")


def test_dump_as_trig_round_trips(store):
    store.load(DATA, "turtle", "http://g/1")
    out = io.BytesIO()
    store.dump(out, "trig")
    copy = EmbeddedStore()
    copy.load(out.getvalue(), "trig", None)
    assert copy.graphs() == ["http://g/1"] and copy.count() == 3


def test_dump_of_one_graph_needs_a_graph_for_graph_formats(store):
    with pytest.raises(ValueError):
        store.dump(io.BytesIO(), "turtle")


def test_drop(store):
    store.load(DATA, "turtle", "http://g/1")
    assert store.drop("http://g/1") is True and store.drop("http://g/1") is False
    assert store.count() == 0


def test_on_disk_store_survives_reopening(tmp_path):
    first = EmbeddedStore(tmp_path / "db")
    first.load(DATA, "turtle", "http://g/1")
    first.close()
    second = EmbeddedStore(tmp_path / "db")
    assert second.count("http://g/1") == 3
    second.close()


def test_from_in_the_query_names_the_dataset_and_protocol_graphs_override_it(store):
    store.load(DATA, "turtle", "http://g/1")
    store.load(b"<http://example.org/c> <http://example.org/p> 1 .", "turtle", "http://g/2")

    def count(sparql, **dataset):
        return int(next(store.query(sparql, **dataset).rows())["n"].value)

    assert count("SELECT (COUNT(*) AS ?n) FROM <http://g/2> WHERE { ?s ?p ?o }") == 1
    # FROM NAMED alone: the default graph is empty, the named graph is there.
    assert count("SELECT (COUNT(*) AS ?n) FROM NAMED <http://g/2> WHERE { ?s ?p ?o }") == 0
    assert count("SELECT (COUNT(*) AS ?n) FROM NAMED <http://g/2> WHERE { GRAPH ?g { ?s ?p ?o } }") == 1
    # The word in a comment, a string or an IRI is not a dataset clause: the default graph stays the union.
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != 'FROM <http://g/2>') } # FROM <x>") == 4
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?s != <http://example.org/FROM>) }") == 4
    # default-graph-uri (the protocol) takes precedence over FROM in the query.
    assert count("SELECT (COUNT(*) AS ?n) FROM <http://g/2> WHERE { ?s ?p ?o }", default_graphs=["http://g/1"]) == 3


def test_only_default_graphs_leaves_no_named_graphs(store):
    """SPARQL 1.1 Protocol §2.1.4: the request's dataset is the graphs it names, no others."""
    store.load(DATA, "turtle", "http://g/1")
    assert store.query("ASK { ?s ?p ?o }", default_graphs=["http://g/1"]).boolean is True
    assert store.query("ASK { GRAPH ?g { ?s ?p ?o } }", default_graphs=["http://g/1"]).boolean is False
