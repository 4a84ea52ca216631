"""A bounded soak on 127.0.0.1: 16 clients, mixed reads and writes (some invalid), then check the store.

Short by default (20 s, as CI runs it); ``HELSEGRAF_SOAK_SECONDS=60`` (or more) for the long run. The figures
are printed (run with ``-s``) and recorded in docs/operations.md.
"""

import os
import random
import threading
import time
from pathlib import Path

import requests

TOKEN = "soak-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECONDS = float(os.environ.get("HELSEGRAF_SOAK_SECONDS", "20"))
CLIENTS = 16
READS = ["SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 50",
         "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "ASK { ?s a ?c }",
         "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 100"]
BAD_READ = "SELECT * WHERE { ?s ?p }"  # a syntax error: some reads are invalid too


def _rss_kib(pid: int) -> int:
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(status.parent.name) == pid or int(fields.get("PPid", "0").strip()) == pid:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total


def _client(server, number, stop, log):
    rng = random.Random(number)
    session = requests.Session()
    while not stop.is_set():
        roll = rng.random()
        graph = f"http://soak.example/c{number}/g{rng.randrange(10**9)}"
        if roll < 0.05:
            response = session.get(server.sparql, params={"query": BAD_READ}, timeout=60)
            log.append(("bad read", None, response.status_code))
        elif roll < 0.6:
            response = session.get(server.sparql, params={"query": rng.choice(READS)}, timeout=60)
            log.append(("read", None, response.status_code))
        elif roll < 0.8:
            body = f'<{graph}#s> <http://soak.example/p> "{number}" .'
            response = session.put(f"{server.url}/data", params={"graph": graph}, data=body, timeout=60,
                                   headers={**AUTH, "Content-Type": "application/n-triples"})
            log.append(("write", graph, response.status_code))
        elif roll < 0.9:
            response = session.put(f"{server.url}/data", params={"graph": graph}, data="<not> valid", timeout=60,
                                   headers={**AUTH, "Content-Type": "text/turtle"})
            log.append(("invalid", graph, response.status_code))
        else:
            update = f"INSERT DATA {{ GRAPH <{graph}> {{ <{graph}#s> <http://soak.example/p> 1 }} }}"
            response = session.post(server.sparql, data=update, timeout=60,
                                    headers={"Content-Type": "application/sparql-update"})  # no token
            log.append(("unauthorised", graph, response.status_code))


def test_soak(tmp_path):
    from harness import LiveServer

    server = LiveServer("--store", str(tmp_path / "db"), "--threads", "16",
                             env={"HELSEGRAF_WRITE_TOKEN": TOKEN}).start(tmp_path)
    try:
        for query in READS:  # warm up the workers
            requests.get(server.sparql, params={"query": query}, timeout=60)
        rss_start = _rss_kib(server.process.pid)
        stop, log = threading.Event(), []
        threads = [threading.Thread(target=_client, args=(server, n, stop, log)) for n in range(CLIENTS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(SECONDS / 3)
        rss_warm = _rss_kib(server.process.pid)  # every worker process has started by now
        time.sleep(SECONDS * 2 / 3)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        elapsed = time.monotonic() - started
        rss_end = _rss_kib(server.process.pid)
        graphs = set(requests.get(f"{server.url}/data", headers={"Accept": "application/n-quads"}, timeout=120)
                     .text.split())
    finally:
        server.stop()
    statuses = {}
    for kind, _, status in log:
        statuses.setdefault(kind, {}).setdefault(status, 0)
        statuses[kind][status] += 1
    print(f"\nsoak: {len(log)} requests in {elapsed:.1f} s ({len(log) / elapsed:.0f}/s) by {CLIENTS} clients; "
          f"statuses {statuses}; RSS {rss_start // 1024} MiB idle, "
          f"{rss_warm // 1024} MiB at a third, {rss_end // 1024} MiB at the end")
    assert not [entry for entry in log if entry[2] >= 500]
    assert all(status == 200 for kind, _, status in log if kind == "read")
    assert all(status == 400 for kind, _, status in log if kind == "bad read")
    accepted = [g for kind, g, status in log if kind == "write" and status == 201]
    refused = [g for kind, g, status in log if kind in ("invalid", "unauthorised")]
    assert accepted and refused
    assert all(status in (400, 401) for kind, _, status in log if kind in ("invalid", "unauthorised"))
    assert all(f"<{g}>" in graphs for g in accepted)
    assert not any(f"<{g}>" in graphs for g in refused)
    assert rss_end < rss_warm * 1.25 + 32 * 1024  # flat once warm: no growth with the number of requests
