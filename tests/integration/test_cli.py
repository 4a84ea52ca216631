"""The ``helsegraf`` command line, run as a real process."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest
import rdflib
import requests

from harness import ROOT

pytestmark = pytest.mark.integration

EX = b"""@prefix ex: <http://example.org/> .
ex:a ex:p "one"@en ; ex:q ex:b .
"""


def helsegraf(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "helsegraf.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, check=check, timeout=300)


@pytest.mark.parametrize("command", ["serve", "load", "query", "export", "stats"])
def test_every_command_has_help(command):
    out = helsegraf(command, "--help").stdout
    assert out.startswith("usage: helsegraf " + command)


def test_query_prints_a_table_from_the_bundled_graph():
    out = helsegraf("query", "SELECT ?law WHERE { ?law a <http://data.europa.eu/eli/ontology#LegalResource> } "
                             "ORDER BY ?law LIMIT 2").stdout.splitlines()
    assert out[0].strip() == "law"
    assert out[-1] == "(2 rows)"


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_query_formats_for_select(fmt):
    out = helsegraf("--verbose", "query", "--no-bundled-data", "--format", fmt,
                    "SELECT ?x WHERE { VALUES ?x { 1 2 } }").stdout
    if fmt == "json":
        assert [b["x"]["value"] for b in json.loads(out)["results"]["bindings"]] == ["1", "2"]
    elif fmt == "csv":
        assert out.split() == ["x", "1", "2"]
    elif fmt == "tsv":
        assert out.split("\n")[0] == "?x"
    else:
        assert "<literal datatype" in out


def test_query_turtle_for_construct():
    out = helsegraf("query", "--no-bundled-data", "--format", "turtle",
                    "CONSTRUCT { <http://a> <http://b> 'c' } WHERE {}").stdout
    graph = rdflib.Graph().parse(data=out, format="turtle")
    assert (rdflib.URIRef("http://a"), rdflib.URIRef("http://b"), rdflib.Literal("c")) in graph


def test_query_syntax_error_exits_2_with_position():
    result = helsegraf("query", "--no-bundled-data", "SELECT * WHERE { ?s ?p }", check=False)
    assert result.returncode == 2
    assert "1:" in result.stderr and "Traceback" not in result.stderr


def test_query_from_file(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("ASK { }")
    assert helsegraf("query", "--no-bundled-data", "-f", str(query)).stdout.strip() == "true"


def test_load_into_an_on_disk_store_reports_triples_per_graph(tmp_path):
    data = tmp_path / "ex.ttl"
    data.write_bytes(EX)
    store = tmp_path / "db"
    out = helsegraf("load", "--store", str(store), str(data)).stdout
    assert any(line.split()[1] == "2" and line.endswith("ex.ttl") for line in out.splitlines() if "graph/" in line)
    again = helsegraf("load", "--store", str(store), str(data)).stdout
    assert "total quads" in again
    stats = helsegraf("stats", "--store", str(store), "--no-bundled-data").stdout
    assert "graph/ex" in stats


def test_load_with_a_missing_file_exits_2(tmp_path):
    result = helsegraf("load", "--store", str(tmp_path / "db"), str(tmp_path / "nope.ttl"), check=False)
    assert result.returncode == 2 and "no such file" in result.stderr


def test_export_trig_gz_holds_every_graph(tmp_path):
    target = tmp_path / "dump.trig.gz"
    helsegraf("export", "--format", "trig", "-o", str(target))
    dataset = rdflib.Dataset()
    dataset.parse(data=gzip.decompress(target.read_bytes()), format="trig")
    names = {str(g.identifier) for g in dataset.graphs()}
    assert "https://w3id.org/helsegraf/graph/ontology/helsegraf" in names


def test_export_nquads_to_stdout_counts_match_stats():
    out = helsegraf("export", "--format", "nquads").stdout
    stats = helsegraf("stats").stdout
    total = int(next(line for line in stats.splitlines() if line.startswith("total quads:")).split(":")[1])
    assert len([line for line in out.splitlines() if line.strip()]) == total


def test_environment_variables_configure_the_server(server_factory):
    server = server_factory(env={"HELSEGRAF_BUNDLED_DATA": "false"})
    answer = requests.get(server.sparql, params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert answer["boolean"] is False


def test_restart_keeps_on_disk_data(server_factory, tmp_path):
    store = tmp_path / "db"
    first = server_factory("--store", str(store))
    query = {"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"}
    before = requests.get(first.sparql, params=query).json()["results"]["bindings"][0]["n"]["value"]
    first.stop()
    second = server_factory("--store", str(store), "--no-bundled-data")
    after = requests.get(second.sparql, params=query).json()["results"]["bindings"][0]["n"]["value"]
    assert int(before) > 0 and after == before
