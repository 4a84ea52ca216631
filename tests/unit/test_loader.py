"""The loader: one named graph per file, idempotent, recorded in the meta graph; and the entailments."""

import pytest

from harness import ROOT
from helsegraf.inference import materialise
from helsegraf.loader import bundled_files, graph_iri, load_bundled, load_files
from helsegraf.namespaces import DEFAULT_BASE, inferred_graph, meta_graph
from helsegraf.store.embedded import EmbeddedStore

pytestmark = pytest.mark.unit

ONTOLOGY = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/> .
ex:CareService rdfs:subClassOf ex:Service . ex:Service rdfs:subClassOf ex:PublicService .
ex:providedBy rdfs:subPropertyOf ex:agent . ex:hasUnit owl:inverseOf ex:unitOf .
"""
DATA = """@prefix ex: <http://example.org/> .
ex:homecare a ex:CareService ; ex:providedBy ex:levanger . ex:levanger ex:hasUnit ex:unit1 .
"""


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data" / "seeds").mkdir(parents=True)
    (tmp_path / "ontology" / "o.ttl").write_text(ONTOLOGY)
    (tmp_path / "data" / "seeds" / "d.ttl").write_text(DATA)
    return tmp_path


def test_graph_iri_follows_the_documented_rule(tree):
    assert graph_iri(tree / "data" / "seeds" / "d.ttl", tree) == DEFAULT_BASE + "graph/data/seeds/d"


def test_every_file_gets_its_own_graph(tree):
    store = EmbeddedStore()
    reports = load_bundled(store, tree, progress=False)
    assert {r.graph for r in reports} == {DEFAULT_BASE + "graph/ontology/o", DEFAULT_BASE + "graph/data/seeds/d"}
    assert {r.graph: r.triples for r in reports}[DEFAULT_BASE + "graph/data/seeds/d"] == 3


def test_loading_twice_does_not_duplicate(tree):
    store = EmbeddedStore()
    load_bundled(store, tree, progress=False)
    before = store.count()
    again = load_bundled(store, tree, progress=False)
    assert all(r.skipped for r in again)
    forced = load_bundled(store, tree, force=True, progress=False)
    assert not any(r.skipped for r in forced)
    assert store.count() == before


def test_a_changed_file_is_reloaded(tree):
    store = EmbeddedStore()
    load_bundled(store, tree, progress=False)
    (tree / "data" / "seeds" / "d.ttl").write_text(DATA + "ex:unit2 a ex:Unit .\n")
    reports = {r.graph: r for r in load_bundled(store, tree, progress=False)}
    assert not reports[DEFAULT_BASE + "graph/data/seeds/d"].skipped
    assert store.count(DEFAULT_BASE + "graph/data/seeds/d") == 4


def test_meta_graph_records_source_and_checksum(tree):
    store = EmbeddedStore()
    load_bundled(store, tree, progress=False)
    rows = list(store.query(f"""
        SELECT ?g ?src ?n WHERE {{ GRAPH <{meta_graph(DEFAULT_BASE)}> {{
          ?g <http://purl.org/dc/terms/source> ?src ; <http://rdfs.org/ns/void#triples> ?n ;
             <http://spdx.org/rdf/terms#checksum>/<http://spdx.org/rdf/terms#checksumValue> ?sum }} }}
        ORDER BY ?src""").rows())
    assert [(r["src"].value, r["n"].value) for r in rows] == [("data/seeds/d.ttl", "3"), ("ontology/o.ttl", "4")]


def test_entailments_make_hierarchies_visible(tree):
    store = EmbeddedStore()
    load_bundled(store, tree, progress=False)
    ask = store.query("ASK { <http://example.org/homecare> a <http://example.org/PublicService> ; "
                      "<http://example.org/agent> <http://example.org/levanger> . "
                      "<http://example.org/unit1> <http://example.org/unitOf> <http://example.org/levanger> }")
    assert ask.boolean is True
    assert store.count(inferred_graph(DEFAULT_BASE)) == 4  # 2 types, 1 super-property, 1 inverse


def test_materialise_is_repeatable(tree):
    store = EmbeddedStore()
    load_bundled(store, tree, progress=False)
    assert materialise(store, DEFAULT_BASE) == materialise(store, DEFAULT_BASE) == 4


def test_a_syntax_error_names_the_file(tree):
    (tree / "data" / "seeds" / "bad.ttl").write_text("<http://a> <http://b> .\n")
    with pytest.raises(SyntaxError, match=r"data/seeds/bad.ttl"):
        load_files(EmbeddedStore(), bundled_files(tree), tree, progress=False)


def test_another_base_rewrites_the_bundled_iris(tree):
    (tree / "data" / "seeds" / "d.ttl").write_text(f"<{DEFAULT_BASE}id/x> a <{DEFAULT_BASE}ontology#Thing> .\n")
    store = EmbeddedStore()
    load_bundled(store, tree, base="https://example.org/hg/", progress=False)
    assert store.query("ASK { GRAPH <https://example.org/hg/graph/data/seeds/d> { "
                       "<https://example.org/hg/id/x> a <https://example.org/hg/ontology#Thing> } }").boolean


def test_the_bundled_graph_loads(tmp_path):
    files = bundled_files(ROOT)
    assert files, "no bundled files found"
    store = EmbeddedStore()
    reports = load_bundled(store, ROOT, progress=False)
    assert len(reports) == len(files) and all(r.triples > 0 for r in reports)
