"""The query time limit and the row limit on a real server (worker processes, waitress)."""

import os
import threading
import time
from pathlib import Path

import pytest
import requests

EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TOKEN = "limits-token"


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    LiveServer = _live_server_class()
    server = LiveServer("--query-timeout", "2", env={"HELSEGRAF_MAX_RESULT_ROWS": "25",
                                                     "HELSEGRAF_QUERY_WORKERS": "2",
                                                     "HELSEGRAF_UPDATE_TIMEOUT": "2",
                                                     "HELSEGRAF_WRITE_TOKEN": TOKEN})
    server.start(tmp_path_factory.mktemp("limits"))
    yield server
    server.stop()


def test_explosive_query_is_stopped_others_are_served_and_cpu_is_freed(server):
    outcome = {}

    def explode():
        started = time.monotonic()
        response = requests.get(server.sparql, params={"query": EXPLOSIVE}, timeout=30)
        outcome.update(status=response.status_code, text=response.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=explode)
    thread.start()
    time.sleep(0.5)
    quick = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert quick.status_code == 200 and quick.json()["boolean"] is True  # served meanwhile
    thread.join(timeout=30)
    assert outcome["status"] == 503
    assert "longer than the limit" in outcome["text"]
    assert 1.9 <= outcome["seconds"] < 6
    time.sleep(0.3)
    before = _tree_cpu_seconds(server.process.pid)
    time.sleep(1.0)
    assert _tree_cpu_seconds(server.process.pid) - before < 0.5  # the runaway worker is gone
    assert requests.get(server.url + "/readyz", timeout=10).status_code == 200


def test_long_result_is_cut_and_says_so(server):
    response = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=10)
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"].startswith("true")
    assert len(response.json()["results"]["bindings"]) == 25
    assert "X-Result-Truncated" in response.headers["Access-Control-Expose-Headers"]
    short = requests.get(server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, timeout=10)
    assert "X-Result-Truncated" not in short.headers and len(short.json()["results"]["bindings"]) == 3
    csv = requests.get(server.sparql, params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 3"},
                       headers={"Accept": "text/csv"}, timeout=10)
    assert csv.text.splitlines()[0] == "s,p,o" and len(csv.text.splitlines()) == 4



def test_a_cut_result_says_so_in_the_body(server):
    """The row cap is applied while the result streams, and said in the body where the format allows."""
    query = "SELECT * WHERE { ?s ?p ?o }"
    body = requests.get(server.sparql, params={"query": query}, timeout=10).json()
    assert body["truncated"]["limit"] == 25 and len(body["results"]["bindings"]) == 25
    xml = requests.get(server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+xml"},
                       timeout=10)
    assert xml.text.count("<result>") == 25 and "truncated" in xml.text
    tsv = requests.get(server.sparql, params={"query": query}, headers={"Accept": "text/tab-separated-values"},
                       timeout=10)
    assert len(tsv.text.splitlines()) == 26 and tsv.headers["X-Result-Truncated"].startswith("true")
    turtle = requests.get(server.sparql, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/n-triples"}, timeout=10)
    lines = turtle.text.splitlines()
    assert lines[0].startswith("# truncated") and len(lines) == 26


def test_an_update_past_its_time_limit_is_refused_writes_nothing_and_frees_the_cpu(server):
    update = ("INSERT { GRAPH <urn:x-test:runaway> { ?a <urn:x-test:p> ?c } } "
              "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    started = time.monotonic()
    response = requests.post(server.sparql, data={"update": update}, timeout=30,
                             headers={"Authorization": f"Bearer {TOKEN}"})
    seconds = time.monotonic() - started
    assert response.status_code == 503, response.text
    assert "update ran longer than the limit" in response.text and "nothing was written" in response.text
    assert 1.9 <= seconds < 6
    time.sleep(0.3)
    before = _tree_cpu_seconds(server.process.pid)
    time.sleep(1.0)
    assert _tree_cpu_seconds(server.process.pid) - before < 0.5  # the rehearsal's fork is gone
    asked = requests.get(server.sparql, params={"query": "ASK { GRAPH <urn:x-test:runaway> { ?s ?p ?o } }"},
                         timeout=10)
    assert asked.json()["boolean"] is False
    quick = requests.post(server.sparql, data={"update": "INSERT DATA { GRAPH <urn:x-test:quick> { <urn:a> <urn:b> 1 } }"},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert quick.status_code == 204, quick.text
    asked = requests.get(server.sparql, params={"query": "ASK { GRAPH <urn:x-test:quick> { <urn:a> <urn:b> 1 } }"},
                         timeout=10)
    assert asked.json()["boolean"] is True  # visible to the next read


def _live_server_class():
    """``LiveServer`` of tests/conftest.py (imported by path: every test folder may have a conftest)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("helsegraf_tests_root_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.LiveServer
