"""A HEAD request on /sparql sends no body and gives its worker back (or replaces it): with one worker, a HEAD of
a large result followed by queries must not leave the next query waiting for a busy worker (store/workers.py)."""

import time

import requests

from harness import LiveServer

EVERYTHING = "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"  # several MiB as JSON on the bundled graph: it streams


def test_head_sends_no_body_and_frees_its_worker(tmp_path):
    server = LiveServer(env={"HELSEGRAF_QUERY_WORKERS": "1", "HELSEGRAF_QUERY_TIMEOUT": "20",
                             "HELSEGRAF_MAX_RESULT_ROWS": "0"}).start(tmp_path)
    try:
        big = requests.get(server.sparql, params={"query": EVERYTHING}, timeout=60,
                           headers={"Accept": "application/sparql-results+json"})
        assert big.status_code == 200 and len(big.content) > 2 << 20  # larger than what is read ahead
        for query in (EVERYTHING, "ASK { ?s ?p ?o }", EVERYTHING):
            head = requests.head(server.sparql, params={"query": query}, timeout=30,
                                 headers={"Accept": "application/sparql-results+json"})
            assert head.status_code == 200 and head.content == b""
            assert head.headers["Content-Type"].startswith("application/sparql-results+json")
        started = time.monotonic()
        asked = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert asked.status_code == 200 and asked.json()["boolean"] is True
        assert time.monotonic() - started < 5, "the one worker was left busy by a HEAD request"
    finally:
        server.stop()
