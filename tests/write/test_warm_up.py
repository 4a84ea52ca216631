"""Warm-up on an on-disk store: until the in-memory copy is made, queries read a checkpoint of the store, under
the time limit; writes wait for the copy; the checkpoint is removed once the copy serves (store/replica.py)."""

from __future__ import annotations

import os
import threading
import time

import pytest
import requests

from harness import LiveServer
from helsegraf.errors import QueryTimeout
from helsegraf.store.embedded import EmbeddedStore
from helsegraf.store.workers import WorkerStore

G = "http://example.org/warm"
DATA = "".join(f"<http://example.org/s{i}> <http://example.org/p> \"{i}\" .\n" for i in range(1000)).encode()
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}"
#: 10^8 solutions to count: seconds of work for the engine, far past a 1 s limit.
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(
    f"VALUES ?{v} {{ 1 2 3 4 5 6 7 8 9 10 }}" for v in "abcdefgh") + " }"


def _count(store) -> int:
    return int(next(store.query(COUNT).rows())["n"].value)


def _scratch_dirs(db) -> list[str]:
    return sorted(name for name in os.listdir(db.parent) if name.startswith(f".{db.name}-warm-"))


@pytest.fixture
def on_disk(tmp_path):
    db = tmp_path / "db"
    primary = EmbeddedStore(db)
    primary.load(DATA, "ntriples", G)
    store = WorkerStore(primary, timeout=1.0, workers=2)
    yield db, store
    store.close()


def test_queries_read_the_checkpoint_under_the_time_limit_until_the_copy_serves(on_disk):
    db, store = on_disk
    replica = store.replica
    # What start() does on its thread, in steps, so that each phase can be looked at.
    replica.begin_warm_up()
    store._started = True
    assert replica.warming and len(_scratch_dirs(db)) == 1
    assert _count(store) == 1000
    warm_pids = {worker.pid for worker in store._pool.workers}
    assert warm_pids and replica.pid is None, "answered by a worker on the checkpoint, before any engine"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        b"".join(store.stream(HEAVY, choose=lambda kind: "json")[1])
    assert time.monotonic() - started < 5, "the worker on the checkpoint was stopped at the limit"

    replica.finish_warm_up()
    assert not replica.warming and replica.pid is not None
    assert _count(store) == 1000
    assert not warm_pids & {worker.pid for worker in store._pool.workers}, "the copy's workers answer now"
    store._pool.retire_stale()
    replica.end_warm_up(grace=5)
    assert _scratch_dirs(db) == []


def test_start_returns_before_the_copy_and_writes_wait_for_it(on_disk):
    db, store = on_disk
    store.start()
    assert _count(store) == 1000  # answered whether or not the copy is in yet
    done = threading.Event()

    def write() -> None:
        store.update(f"INSERT DATA {{ GRAPH <{G}> {{ <http://example.org/new> <http://example.org/p> 0 }} }}")
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert store.wait_for_warm_up(timeout=60)
    writer.join(timeout=60)
    assert done.is_set() and _count(store) == 1001, "the write went to the primary and to the copy"
    deadline = time.monotonic() + 10
    while _scratch_dirs(db) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _scratch_dirs(db) == [], "the checkpoint is gone once the copy serves"


def test_a_served_on_disk_store_says_when_queries_read_the_copy(tmp_path):
    db = tmp_path / "db"
    token = "warm-token"
    server = LiveServer("--store", str(db), env={"HELSEGRAF_WRITE_TOKEN": token}).start(tmp_path)
    try:
        first = requests.get(f"{server.url}/readyz", timeout=30).json()
        assert first["status"] == "ready" and first["copy"] in {"warming up", "in memory"}
        put = requests.put(f"{server.url}/data", params={"graph": G}, data=DATA, timeout=120,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"})
        assert put.status_code in (201, 204), put.text
        deadline = time.monotonic() + 120
        while requests.get(f"{server.url}/readyz", timeout=30).json().get("copy") != "in memory":
            assert time.monotonic() < deadline, "the copy was not made within 120 s"
            time.sleep(0.2)
        rows = requests.get(server.sparql, params={"query": COUNT}, timeout=60).json()["results"]["bindings"]
        assert rows[0]["n"]["value"] == "1000"
    finally:
        server.stop()
    assert _scratch_dirs(db) == []


# -- on disk for good: the copy is not made (HELSEGRAF_QUERY_COPY=disk, or auto when it would not fit)

INSERT = "INSERT DATA {{ GRAPH <" + G + "> {{ <http://example.org/new{0}> <http://example.org/p> {0} }} }}"
#: An update whose WHERE counts 10^8 solutions: far past a 1 s limit.
HEAVY_UPDATE = f"INSERT {{ GRAPH <{G}> {{ <http://example.org/heavy> <http://example.org/p> ?n }} }} WHERE {{ {{ {HEAVY} }} }}"


def test_served_from_disk_every_write_is_read_at_once_and_updates_keep_their_time_limit(tmp_path):
    db = tmp_path / "db"
    primary = EmbeddedStore(db)
    primary.load(DATA, "ntriples", G)
    store = WorkerStore(primary, timeout=1.0, workers=2, update_timeout=1.0, copy="disk")
    try:
        store.start()
        assert store.wait_for_warm_up(timeout=30)
        replica = store.replica
        assert replica.on_disk and not replica.warming and replica.pid is None, "no in-memory engine"
        assert _count(store) == 1000
        for n in range(1, 4):
            store.rehearse(INSERT.format(n))
            store.update(INSERT.format(n))
            assert _count(store) == 1000 + n, "the next read sees the write"
        # Each write makes a checkpoint; one no worker reads any more is removed (at the next write).
        assert len(_scratch_dirs(db)) <= 2
        with pytest.raises(QueryTimeout):
            store.rehearse(HEAVY_UPDATE)
        assert _count(store) == 1003, "nothing was written"
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            b"".join(store.stream(HEAVY, choose=lambda kind: "json")[1])
        assert time.monotonic() - started < 5, "a query on the store is stopped at the limit too"
        assert _count(store) == 1003
    finally:
        store.close()
    assert _scratch_dirs(db) == [], "every checkpoint is removed at close"


@pytest.mark.parametrize("fits", [True, False])
def test_auto_makes_the_copy_only_when_it_fits(on_disk, monkeypatch, fits):
    from helsegraf.store import workers

    _, store = on_disk
    monkeypatch.setattr(workers, "fits_in_memory", lambda needed: fits)
    store.start()
    assert store.wait_for_warm_up(timeout=60)
    assert store.replica.on_disk is not fits and (store.replica.pid is not None) is fits
    assert _count(store) == 1000


def test_an_unknown_copy_setting_is_refused(tmp_path):
    from helsegraf.errors import StoreError

    primary = EmbeddedStore(tmp_path / "db")
    with pytest.raises(StoreError, match="HELSEGRAF_QUERY_COPY"):
        WorkerStore(primary, timeout=1.0, copy="sometimes")
    primary.close()


def test_a_store_served_from_disk_says_so(tmp_path):
    db = tmp_path / "db"
    token = "disk-token"
    server = LiveServer("--store", str(db), env={"HELSEGRAF_WRITE_TOKEN": token, "HELSEGRAF_QUERY_COPY": "disk"})
    server.start(tmp_path)
    try:
        assert requests.get(f"{server.url}/readyz", timeout=30).json() == {"status": "ready", "copy": "on disk"}
        put = requests.put(f"{server.url}/data", params={"graph": G}, data=DATA, timeout=120,
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/n-triples"})
        assert put.status_code in (201, 204), put.text
        rows = requests.get(server.sparql, params={"query": COUNT}, timeout=60).json()["results"]["bindings"]
        assert rows[0]["n"]["value"] == "1000"
    finally:
        server.stop()
    assert _scratch_dirs(db) == []
