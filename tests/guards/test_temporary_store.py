"""``helsegraf serve`` without ``--store`` keeps the data in memory only and leaves nothing behind when it is
stopped with SIGTERM: no files, no engine or worker processes (issue 11)."""

import os
import time
from pathlib import Path

import requests

from harness import LiveServer, require


def _descendants(pid: int) -> set[int]:
    """The pids of every living descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_sigterm_leaves_no_files_and_no_processes(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    server = LiveServer(env={"TMPDIR": str(scratch), "HELSEGRAF_WRITE_TOKEN": "t"}).start(tmp_path)
    try:
        response = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert response.status_code == 200 and response.json()["boolean"] is True
        written = requests.post(server.sparql, data={"update": "INSERT DATA { GRAPH <urn:t> { <urn:a> <urn:b> 1 } }"},
                                headers={"Authorization": "Bearer t"}, timeout=60)
        assert written.status_code in (200, 204), written.text
        asked = requests.get(server.sparql, params={"query": "ASK { <urn:a> <urn:b> 1 }"}, timeout=60)
        assert asked.json()["boolean"] is True  # the write reached the in-memory copy
        assert list(scratch.iterdir()) == [], "nothing is written to disk without --store"
        assert "in memory: no --store" in server.log()
        helpers = _descendants(server.process.pid)
        assert len(helpers) >= 2  # the engine process and at least one query worker
    finally:
        server.stop()  # SIGTERM
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if _alive(pid)], "engine and workers end with the server"
    assert list(scratch.iterdir()) == []


def test_the_engine_and_its_workers_run_on_jemalloc(tmp_path):
    """With glibc's allocator a forked worker takes a copy-on-write fault on each heap page it allocates into
    (store/replica.py, allocator_library); the engine process and the workers it forks map jemalloc instead."""
    from helsegraf.store.replica import allocator_library

    require(allocator_library("jemalloc") is not None, "libjemalloc.so.2 is not installed (apt-get install libjemalloc2)")
    server = LiveServer().start(tmp_path)
    try:
        response = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert response.status_code == 200
        helpers = _descendants(server.process.pid)
        assert len(helpers) >= 2  # the engine process and at least one query worker
        for pid in helpers:
            assert "libjemalloc" in Path(f"/proc/{pid}/maps").read_text(), f"process {pid} runs without jemalloc"
        assert "libjemalloc" not in Path(f"/proc/{server.process.pid}/maps").read_text()  # only the engine's side
    finally:
        server.stop()
