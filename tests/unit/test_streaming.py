"""Streaming results: the producer thread ends whether the body is read, abandoned or never started."""

import threading
import time

import pytest

from helsegraf.errors import Unavailable
from helsegraf.sparql.streaming import READ_AHEAD_BYTES, run_and_stream
from helsegraf.store import QueryResult
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


class _FailsWhileWriting(QueryResult):
    """A result that fails once ``after`` bytes are written, as a remote engine's stream does when it times out."""

    kind = "solutions"

    def __init__(self, after: int):
        self.after = after

    def write(self, out, fmt):
        out.write(b"x" * self.after)
        raise Unavailable("the engine stopped answering")

    def rows(self):
        return iter(())


def test_a_failure_in_the_first_bytes_is_raised_before_the_response_begins():
    with pytest.raises(Unavailable, match="stopped answering"):
        run_and_stream(lambda: _FailsWhileWriting(10), lambda kind: "json")
    assert wait_for_no_producers()


def test_a_small_result_is_read_whole_and_a_large_one_streams():
    store = EmbeddedStore()
    _, small = run_and_stream(lambda: store.query("SELECT ?x { VALUES ?x { 1 2 } }"), lambda kind: "csv")
    assert small.whole == b"x\r\n1\r\n2\r\n"
    _, large = run_and_stream(lambda: _FailsWhileWriting(READ_AHEAD_BYTES + 1), lambda kind: "json")
    assert large.whole is None
    with pytest.raises(Unavailable):  # past the read-ahead, the failure can only cut the stream short
        b"".join(large)
    assert wait_for_no_producers()
