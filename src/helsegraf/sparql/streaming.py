"""Run a query and stream its serialised result, so that memory does not grow with the result.

pyoxigraph's results must be consumed on the thread that produced them, and its serialiser pushes bytes into a
file object. So a producer thread runs the query, reports the result kind, receives the format the client
negotiated, and writes into a bounded queue that the response iterates.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator

from ..store import QueryResult

_CHUNK = 64 * 1024
_DONE = object()


class _QueueWriter:
    """A binary file-like object that hands buffered chunks to a bounded queue."""

    def __init__(self, chunks: "queue.Queue"):
        self._chunks = chunks
        self._buffer = bytearray()
        self.cancelled = threading.Event()

    def write(self, data) -> int:
        if self.cancelled.is_set():
            raise BrokenPipeError("the client went away")
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            while True:
                if self.cancelled.is_set():
                    raise BrokenPipeError("the client went away")
                try:
                    self._chunks.put(bytes(self._buffer), timeout=0.5)
                    break
                except queue.Full:
                    continue
            self._buffer.clear()


def run_and_stream(run: Callable[[], QueryResult], choose: Callable[[str], str]) -> tuple[str, Iterator[bytes]]:
    """Run ``run()`` on a producer thread; ``choose(kind)`` picks the format on the calling thread.

    Returns the chosen format and an iterator of byte chunks. Exceptions of ``run`` (a syntax error, a store
    failure) and of ``choose`` (406) are raised here, before any byte is sent.
    """
    handshake: queue.Queue = queue.Queue()
    decision: queue.Queue = queue.Queue()
    chunks: queue.Queue = queue.Queue(maxsize=16)
    writer = _QueueWriter(chunks)
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            result = run()
        except BaseException as error:  # noqa: BLE001 - handed to the caller, which re-raises it
            handshake.put(("error", error))
            return
        handshake.put(("kind", result.kind))
        fmt = decision.get()
        if fmt is None:
            return
        try:
            result.write(writer, fmt)
            writer.flush()
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            failure.append(error)
        finally:
            chunks.put(_DONE)

    thread = threading.Thread(target=produce, name="query-producer", daemon=True)
    thread.start()
    tag, value = handshake.get()
    if tag == "error":
        raise value
    try:
        fmt = choose(value)
    except BaseException:
        decision.put(None)
        raise
    decision.put(fmt)

    def iterate() -> Iterator[bytes]:
        try:
            while True:
                chunk = chunks.get()
                if chunk is _DONE:
                    break
                yield chunk
            if failure and not isinstance(failure[0], BrokenPipeError):
                raise failure[0]
        finally:
            writer.cancelled.set()

    return fmt, iterate()
