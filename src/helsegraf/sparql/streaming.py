"""Run a query and stream its serialised result, so that memory does not grow with the result.

pyoxigraph's results must be consumed on the thread that produced them, and its serialiser pushes bytes into a
file object. So a producer thread runs the query, reports the result kind, receives the format the client
negotiated, and writes into a bounded queue that the response iterates.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

from ..store import QueryResult

_CHUNK = 64 * 1024
_DONE = object()

#: A result up to this size is read before the response begins, and sent whole, with a Content-Length.
READ_AHEAD_BYTES = 1 << 20


class _QueueWriter:
    """A binary file-like object that hands buffered chunks to a bounded queue."""

    def __init__(self, chunks: queue.Queue):
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


def _put_done(chunks: queue.Queue, writer: _QueueWriter) -> None:
    """Signal the end; once the consumer has gone, nobody waits for it and the queue may stay full."""
    while not writer.cancelled.is_set():
        try:
            chunks.put(_DONE, timeout=0.5)
            return
        except queue.Full:
            continue


def run_and_stream(run: Callable[[], QueryResult], choose: Callable[[str], str]) -> tuple[str, _ChunkStream]:
    """Run ``run()`` on a producer thread; ``choose(kind)`` picks the format on the calling thread.

    Returns the chosen format and an iterator of byte chunks. Exceptions of ``run`` (a syntax error, a store
    failure) and of ``choose`` (406) are raised here, before any byte is sent; so are the failures of writing the
    first :data:`READ_AHEAD_BYTES` of the result, which is read before the response begins (a remote engine is
    only asked when the result is written: its refusal or time-out then gets its own status, not a 200 cut short).
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
        handshake.put(("kind", (result.kind, getattr(result, "truncated", False))))
        fmt = decision.get()
        try:
            if fmt is not None:
                result.write(writer, fmt)  # type: ignore[arg-type]  # a write-only binary file object
                writer.flush()
        except BaseException as error:  # noqa: BLE001 - handed to the consumer
            # Without its traceback: the frames hold the result, which must be dropped on this thread.
            failure.append(error.with_traceback(None))
        finally:
            del result
            if fmt is not None:
                _put_done(chunks, writer)

    thread = threading.Thread(target=produce, name="query-producer", daemon=True)
    thread.start()
    tag, value = handshake.get()
    if tag == "error":
        raise value
    kind, truncated = value
    try:
        fmt = choose(kind)
    except BaseException:
        decision.put(None)
        raise
    decision.put(fmt)

    stream = _ChunkStream(chunks, writer, failure)
    stream.truncated = truncated
    try:
        stream.read_ahead(READ_AHEAD_BYTES)
    except BaseException:
        stream.close()
        raise
    return fmt, stream


class _ChunkStream:
    """The response body: iterates the producer's chunks; ``close()`` (called by the WSGI server, or for a
    HEAD request that sends no body) releases the producer even when iteration never started."""

    #: The row limit that cut the result, or False (set by the store's result, see store/workers.py).
    truncated: int | bool = False

    def __init__(self, chunks: queue.Queue, writer: _QueueWriter, failure: list):
        self._chunks, self._writer, self._failure = chunks, writer, failure
        self._held: list[bytes] = []
        self._ended = False

    def read_ahead(self, limit: int) -> None:
        """Take the producer's chunks up to ``limit`` bytes, or to its end; a failure by then is raised here."""
        held = 0
        while held < limit:
            chunk = self._chunks.get()
            if chunk is _DONE:
                self._ended = True
                self._raise_failure()
                return
            self._held.append(chunk)
            held += len(chunk)

    @property
    def whole(self) -> bytes | None:
        """The whole body, when :meth:`read_ahead` reached its end (else None: it streams)."""
        return b"".join(self._held) if self._ended else None

    def _raise_failure(self) -> None:
        if self._failure and not isinstance(self._failure[0], BrokenPipeError):
            raise self._failure[0]

    def __iter__(self) -> Iterator[bytes]:
        try:
            held, self._held = self._held, []
            yield from held
            while not self._ended:
                chunk = self._chunks.get()
                if chunk is _DONE:
                    break
                yield chunk
            self._raise_failure()
        finally:
            self.close()

    def close(self) -> None:
        self._writer.cancelled.set()
