"""Kill the server (SIGKILL) in the middle of a large PUT: after a restart the graph is the old one or the new
one, never a mix."""

import threading
import time

import pytest
import requests

GRAPH = "http://example.org/durable"
TOKEN = "durable-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _body(version: str, n: int) -> bytes:
    return "".join(f'<http://example.org/s{i}> <http://example.org/v> "{version}" .\n' for i in range(n)).encode()


def _versions(server) -> dict[str, int]:
    query = f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?v }} }} GROUP BY ?v"
    rows = requests.get(server.sparql, params={"query": query}, timeout=60).json()["results"]["bindings"]
    return {row["v"]["value"]: int(row["n"]["value"]) for row in rows}


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.5])
def test_sigkill_during_a_large_put(tmp_path, delay):
    args = ("--store", str(tmp_path / "db"), "--no-bundled-data")
    env = {"HELSEGRAF_WRITE_TOKEN": TOKEN, "HELSEGRAF_VALIDATE_ON_WRITE": "false"}
    LiveServer = _live_server_class()
    server = LiveServer(*args, env=env).start(tmp_path)
    try:
        old = requests.put(f"{server.url}/data?graph={GRAPH}", data=_body("old", 1000), headers={
            **AUTH, "Content-Type": "application/n-triples"}, timeout=60)
        assert old.status_code == 201
        big = _body("new", 200_000)

        def put():
            try:
                requests.put(f"{server.url}/data?graph={GRAPH}", data=big, timeout=60,
                             headers={**AUTH, "Content-Type": "application/n-triples"})
            except requests.RequestException:
                pass  # the server is killed under it

        thread = threading.Thread(target=put)
        thread.start()
        time.sleep(delay)
        server.stop(kill=True)
        thread.join(timeout=60)
    finally:
        server.stop(kill=True)
    restarted = LiveServer(*args, env=env).start(tmp_path)
    try:
        versions = _versions(restarted)
    finally:
        restarted.stop()
    assert versions in ({"old": 1000}, {"new": 200_000}), versions


def _live_server_class():
    """``LiveServer`` of tests/harness.py."""
    from harness import LiveServer

    return LiveServer
