"""Streaming results: the producer thread ends whether the body is read, abandoned or never started."""

import threading
import time

import pytest

from helsegraf.sparql.streaming import run_and_stream
from helsegraf.store.embedded import EmbeddedStore

pytestmark = pytest.mark.unit

BIG = "SELECT ?i WHERE { VALUES ?a { 1 2 3 4 5 6 7 8 9 10 } VALUES ?b { 1 2 3 4 5 6 7 8 9 10 } " \
      "VALUES ?c { 1 2 3 4 5 6 7 8 9 10 } VALUES ?d { 1 2 3 4 5 6 7 8 9 10 } BIND(?a + ?b * ?c * ?d AS ?i) }"


def producers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "query-producer")


def wait_for_no_producers(timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if producers() == 0:
            return True
        time.sleep(0.05)
    return False


def test_the_whole_result_streams_in_chunks():
    store = EmbeddedStore()
    fmt, body = run_and_stream(lambda: store.query(BIG), lambda kind: "csv")
    lines = b"".join(body).decode().splitlines()
    assert fmt == "csv" and lines[0] == "i" and len(lines) == 10_001
    assert wait_for_no_producers()


def test_closing_an_unstarted_body_releases_the_producer():
    store = EmbeddedStore()
    _, body = run_and_stream(lambda: store.query(BIG), lambda kind: "json")
    body.close()  # what a HEAD request does
    assert wait_for_no_producers()


def test_abandoning_a_body_midway_releases_the_producer():
    store = EmbeddedStore()
    _, body = run_and_stream(lambda: store.query(BIG), lambda kind: "xml")
    iterator = iter(body)
    next(iterator)
    iterator.close()
    assert wait_for_no_producers()


def test_errors_before_the_first_byte_are_raised_to_the_caller():
    store = EmbeddedStore()
    with pytest.raises(SyntaxError):
        run_and_stream(lambda: store.query("SELECT"), lambda kind: "json")
    with pytest.raises(LookupError):
        run_and_stream(lambda: store.query("ASK {}"), lambda kind: (_ for _ in ()).throw(LookupError(kind)))
    assert wait_for_no_producers()
