"""The union default graph is a set (the RDF merge), and updates see the same default graph as queries
(issue 10 defects 1-3)."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from helsegraf.config import Settings
from helsegraf.loader import load_bundled
from helsegraf.store import union
from helsegraf.store.embedded import EmbeddedStore

pytestmark = pytest.mark.unit

EX = "http://example.org/"
TRIPLE = f"<{EX}a> <{EX}p> <{EX}b> ."


def n(store, sparql, **dataset) -> int:
    return int(next(store.query(sparql, **dataset).rows())["n"].value)


def both(store):
    """A triple held in two graphs, and one held in one of them only."""
    store.update(f"INSERT DATA {{ GRAPH <{EX}g1> {{ {TRIPLE} <{EX}c> <{EX}p> 1 }} GRAPH <{EX}g2> {{ {TRIPLE} }} }}")
    return store


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    return EmbeddedStore(tmp_path / "db" if request.param == "disk" else None)


def test_a_triple_in_several_graphs_is_in_the_default_graph_once(store):
    both(store)
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 2
    assert n(store, f"SELECT (COUNT(*) AS ?n) {{ <{EX}a> ?p ?o }}") == 1
    # The named graphs are untouched: GRAPH ?g still sees each copy.
    assert n(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ <{EX}a> ?p ?o }} }}") == 2
    assert store.count() == 3 and store.count("") == 2


def test_update_where_sees_the_union_and_deleting_from_it_deletes_from_every_graph(store):
    both(store)
    store.update(f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{EX}a>) }}")
    assert n(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ <{EX}a> ?p ?o }} }}") == 0
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 1


def test_clear_default_clears_what_queries_see(store):
    both(store)
    store.update("CLEAR DEFAULT")
    assert store.query("ASK { ?s ?p ?o }").boolean is False
    assert store.count() == 0


def test_triples_written_to_the_default_graph_are_kept_apart_from_the_named_graphs(store):
    both(store)
    store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 2 . {TRIPLE} }}")
    store.drop(f"{EX}g1")
    store.drop(f"{EX}g2")
    # Only what was new to the default graph is its own: TRIPLE was already in the merge (a set), so writing it
    # again added nothing, and it went with the graphs that held it.
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 1
    assert store.query(f"ASK {{ <{EX}d> <{EX}p> 2 }}").boolean
    assert union.OWN_DEFAULT in store.graphs()


def test_dropping_a_graph_keeps_the_triples_another_graph_still_holds(store):
    both(store)
    store.drop(f"{EX}g1")
    assert store.query(f"ASK {{ {TRIPLE} }}").boolean
    assert not store.query(f"ASK {{ <{EX}c> ?p ?o }}").boolean


def test_loading_replaces_a_graph_and_the_merge_follows(store):
    both(store)
    store.load(f"<{EX}e> <{EX}p> 3 .".encode(), "turtle", f"{EX}g1")
    assert not store.query(f"ASK {{ <{EX}c> ?p ?o }}").boolean  # only g1 held it
    assert store.query(f"ASK {{ {TRIPLE} }}").boolean  # g2 still holds it
    assert store.query(f"ASK {{ <{EX}e> <{EX}p> 3 }}").boolean


def test_a_failed_update_changes_nothing(store):
    both(store)
    with pytest.raises(RuntimeError):
        store.update(f"CLEAR DEFAULT ; CREATE GRAPH <{EX}g1>")  # the graph exists: the request fails
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 2
    assert store.count() == 3


def test_a_syntax_error_keeps_its_line_and_column(store):
    with pytest.raises(SyntaxError) as error:
        store.update("INSERT DATA {\n  <a:s> <a:p> }")
    assert "2:" in str(error.value)


def test_the_dataset_export_holds_each_triple_in_its_own_graph_once(store, tmp_path):
    both(store)
    store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 2 }}")
    out = tmp_path / "dump.nq"
    with out.open("wb") as handle:
        store.dump(handle, "nquads")
    lines = out.read_text().splitlines()
    assert len(lines) == 4  # g1: 2, g2: 1, default graph: 1; the merge is not exported
    assert sum(1 for line in lines if line.count("<") == 3) == 1  # the default-graph triple has no graph


def test_standards_mode_keeps_the_store_s_own_default_graph():
    store = both(EmbeddedStore(union_default_graph=False))
    assert store.query("ASK { ?s ?p ?o }").boolean is False
    store.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 2 }}")
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 1
    store.update("CLEAR DEFAULT")
    assert store.count() == 3  # the named graphs are not the default graph


def test_an_on_disk_store_is_converted_between_the_modes(tmp_path):
    path = tmp_path / "db"
    standard = EmbeddedStore(path, union_default_graph=False)
    both(standard)
    standard.update(f"INSERT DATA {{ <{EX}d> <{EX}p> 2 }}")
    standard.close()
    merged = EmbeddedStore(path)
    assert n(merged, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 3 and merged.count() == 4
    merged.close()
    again = EmbeddedStore(path, union_default_graph=False)
    assert n(again, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 1 and again.count() == 4


def test_every_class_of_the_bundled_graph_counts_each_instance_once():
    settings = Settings()
    store = EmbeddedStore()
    load_bundled(store, Path(settings.data_root), settings.base, progress=False)
    rows = list(store.query("SELECT ?c (COUNT(*) AS ?n) (COUNT(DISTINCT ?x) AS ?d) { ?x a ?c } GROUP BY ?c").rows())
    assert len(rows) > 20
    assert [(r["c"].value, r["n"].value, r["d"].value) for r in rows if r["n"] != r["d"]] == []


UPDATES = [
    f"INSERT DATA {{ <{EX}x> <{EX}p> 1 . GRAPH <{EX}g3> {{ <{EX}y> <{EX}p> 2 . {TRIPLE} }} }}",
    f"DELETE {{ ?s ?p ?o }} INSERT {{ GRAPH <{EX}g4> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}",
    f"DELETE {{ GRAPH ?g {{ <{EX}y> ?p ?o }} }} WHERE {{ GRAPH ?g {{ <{EX}y> ?p ?o }} }}",
    f"WITH <{EX}g2> DELETE {{ ?s ?p ?o }} INSERT {{ ?o ?p ?s }} WHERE {{ ?s ?p ?o FILTER(isIRI(?o)) }}",
    f"MOVE <{EX}g4> TO <{EX}g5> ; COPY <{EX}g5> TO DEFAULT",
    f"DELETE DATA {{ <{EX}x> <{EX}p> 1 }} ; INSERT DATA {{ GRAPH <{EX}g6> {{ <{EX}x> <{EX}p> 1 }} }}",
    "CLEAR ALL",
]


@pytest.mark.parametrize("large", [False, True], ids=["copy-changed-graphs", "scan-the-merge"])
def test_the_default_graph_stays_the_merge_after_every_kind_of_update(store, large, monkeypatch):
    if large:  # every changed graph counts as large: the maintenance reads the merge instead of copying
        monkeypatch.setattr(EmbeddedStore, "LARGE_GRAPH", 1)
    both(store)

    def merge_holds():
        quads = list(store._store.quads_for_pattern(None, None, None, None))
        named = {(q.subject, q.predicate, q.object) for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
        default = {(q.subject, q.predicate, q.object) for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
        return named == default

    for update in UPDATES:
        store.update(update)
        assert merge_holds(), update


@pytest.mark.parametrize("staged", [True, False], ids=["staged-in-memory", "read-back"])
@pytest.mark.parametrize("fmt", ["trig", "turtle"])
def test_a_bulk_load_puts_the_same_blank_nodes_in_the_merge(store, fmt, staged, monkeypatch):
    """The bulk loader gives blank nodes new labels on every load: the merge must come from the same load (a
    staging store in memory), or be read back from the store (when the staging would not fit in memory)."""
    from helsegraf.store import embedded

    monkeypatch.setattr(embedded, "fits_in_memory", lambda needed: staged)
    data = (f"<{EX}a> <{EX}p> [ <{EX}q> 1 ] . _:x <{EX}r> 2 .\n" if fmt == "turtle" else
            f"<{EX}own> <{EX}p> 0 .\n<{EX}g> {{ <{EX}a> <{EX}p> [ <{EX}q> 1 ] . _:x <{EX}r> 2 . }}\n")
    store.load(data.encode(), fmt, f"{EX}g" if fmt == "turtle" else None, bulk=True)
    # Each blank node of the named graph is the one the default graph holds, and each triple is there once.
    joined = (f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{EX}g> {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} "
              "?s ?p ?o }")
    assert n(store, joined) == 3
    assert n(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{EX}g> {{ ?s ?p ?o }} }}") == 3
    own = 1 if fmt == "trig" else 0  # a dataset's default-graph triple is the default graph's own
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == 3 + own
    assert n(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{union.OWN_DEFAULT}> {{ ?s ?p ?o }} }}") == own
    store.drop(f"{EX}g")  # the merge follows: nothing of the graph is left in it
    assert n(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == own
