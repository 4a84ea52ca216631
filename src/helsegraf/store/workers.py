"""Queries in worker processes, so that a query past its time limit can be stopped.

pyoxigraph cannot cancel a running query, and its evaluation holds a thread until it ends. So ``helsegraf
serve`` runs every query in one of a small pool of worker processes; a query that runs past
``Settings.query_timeout`` is stopped by killing its worker (SIGKILL), which a fresh one replaces. The client
gets a 503 with a message; other clients are served by the other workers meanwhile.

The workers read the in-memory copy of the graph: each is forked by the engine process of :mod:`.replica`, so it
starts with the whole graph, shared copy-on-write, in milliseconds. The web process keeps the durable record
(the primary) and applies every write there first, then to the copy; a worker forked before a write is retired
before its next query, so a write is visible to the next read.

Results come back through a pipe in chunks, so large results stream (the pipe's buffer gives back-pressure),
serialised by the engine's own writers from the lazy result. SELECT and CONSTRUCT/DESCRIBE results are cut at
``Settings.max_result_rows``; the result then says so (``truncated``), in the body where the format allows
and in an ``X-Result-Truncated`` header.
"""

from __future__ import annotations

import atexit
import io
import itertools
import json
import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Generator, Iterator
from pathlib import Path

from ..errors import EvaluationError, QueryTimeout, Unavailable
from . import QueryResult, Store, StoreError, Term
from .embedded import EmbeddedStore, fits_in_memory
from .replica import Replica

log = logging.getLogger("helsegraf.workers")

_CHUNK = 64 * 1024


# ------------------------------------------------------------------------------------------- the worker side


#: Rows a worker keeps while it finds out whether a result passes the row cap; a longer result is counted
#: without keeping its rows, then evaluated again and streamed (memory stays flat; the CPU of such a query
#: doubles, which only results longer than this pay).
PEEK_ROWS = 2_000

#: Where queries on an on-disk store read (``Settings.query_copy``).
COPY_CHOICES = ("auto", "memory", "disk")
#: Memory of the in-memory copy per quad the engine holds (the merge of union mode included): 342 bytes measured
#: at 1M triples (4.5M quads, jemalloc), rounded up.
COPY_BYTES_PER_QUAD = 350

#: Graph formats whose syntax has comments: a cut result says so in its first line.
_COMMENTED = {"turtle", "ntriples", "trig", "nquads"}


def serve_queries(conn, reader) -> None:  # pragma: no cover - runs in a forked worker
    """Answer queries from ``conn`` on ``reader`` (an in-memory EmbeddedStore) until the pipe closes.

    A message is (sparql, default graphs, named graphs, max_rows, options); the answer is ("kind", ...), then,
    in the format ``options["formats"]`` names for that kind (or, without one, the format the parent sends next),
    chunks and ("done", private dirty MiB or None, the last bytes).
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the web process decides when a worker ends
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    answered = 0
    while True:
        try:
            sparql, default_graphs, named_graphs, max_rows, options = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        if "rehearse" in options:  # an update on this worker's copy, to time it; the copy is spoilt: end after
            try:
                reader.update(sparql, base_iri=options.get("base_iri"), graphs=options["rehearse"])
                conn.send(("rehearsed", None))
            except Exception as error:  # noqa: BLE001 - the durable write reports it with its own words
                conn.send(("rehearsed", f"{type(error).__name__}: {error}"))
            return
        try:
            base_iri = options.get("base_iri")

            def run(sparql=sparql, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri):
                return reader.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                                    base_iri=base_iri)._raw

            raw = run()
            kind = _kind(raw)
            truncated, items = False, None
            if kind != "boolean" and max_rows:
                # Evaluation is lazy: pulling the rows is where a query spends its time.
                head = list(itertools.islice(raw, min(max_rows, PEEK_ROWS) + 1))
                if len(head) <= min(max_rows, PEEK_ROWS):
                    items = head
                else:
                    seen = len(head) + sum(1 for _ in itertools.islice(raw, max_rows + 1 - len(head)))
                    del head
                    truncated = max_rows if seen > max_rows else False
                    raw = run()
                    items = itertools.islice(raw, max_rows) if truncated else None
        except SyntaxError as error:
            conn.send(("syntax", str(error)))
            continue
        except (EvaluationError, RuntimeError) as error:  # the engine refused the query (unknown function)
            conn.send(("evaluation", str(error)))
            continue
        except Exception as error:  # noqa: BLE001 - reported to the parent, which maps it to an HTTP error
            conn.send(("error", f"{type(error).__name__}: {error}"))
            continue
        variables = [v.value for v in raw.variables] if kind == "solutions" else []
        conn.send(("kind", kind, truncated, variables))
        # The format the client negotiated for this kind of result, sent with the query (one round trip);
        # without it (the parent found no acceptable format, or did not choose ahead) the parent names it now.
        fmt = options.get("formats", {}).get(kind)
        if fmt is None:
            try:
                fmt = conn.recv()
            except (EOFError, OSError):
                return
            if fmt is None:
                continue
        out = _PipeWriter(conn)
        try:
            _write(out, fmt, kind, raw, items, truncated, variables)
            answered += 1
            # Reading the memory map costs milliseconds: only after the queries that dirty pages (long ones)
            # and now and then.
            heavy = time.monotonic() - started >= HEAVY_SECONDS or answered % 200 == 0
            conn.send(("done", private_dirty_mib() if heavy else None, out.tail()))
        except Exception as error:  # noqa: BLE001
            conn.send(("error", f"{type(error).__name__}: {error}"))
        del raw, items


#: A query that ran this long may have dirtied many shared pages: the worker reports its private memory.
HEAVY_SECONDS = 0.1


def private_dirty_mib() -> int | None:
    """This process's private dirty memory in MiB (Linux), the part of it no longer shared with the engine."""
    try:
        with open("/proc/self/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Private_Dirty:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def _kind(raw) -> str:
    import pyoxigraph as ox

    if isinstance(raw, ox.QuerySolutions):
        return "solutions"
    return "boolean" if isinstance(raw, ox.QueryBoolean) else "graph"


def _write(out, fmt, kind, raw, items, truncated, variables) -> None:
    """Serialise a result: the engine's own serialiser on the lazy result when nothing was held back, else a
    streaming writer over the kept or capped rows."""
    import pyoxigraph as ox

    from .embedded import _RDF_FORMATS, _RESULT_FORMATS
    from .writers import write_solutions

    if kind == "boolean" or items is None:
        raw.serialize(out, (_RDF_FORMATS if kind == "graph" else _RESULT_FORMATS)[fmt])
    elif kind == "solutions":
        write_solutions(out, fmt, variables, items, truncated)
    else:
        if truncated and fmt in _COMMENTED:
            out.write(f"# truncated: the result has more triples than the server's row limit of {truncated} "
                      "(HELSEGRAF_MAX_RESULT_ROWS)\n".encode())
        ox.serialize(items, out, _RDF_FORMATS[fmt])


class _PipeWriter:
    """A binary file object that sends 64 KiB chunks to the parent."""

    def __init__(self, conn):
        self._conn, self._buffer = conn, bytearray()

    def write(self, data) -> int:
        self._buffer += data
        if len(self._buffer) >= _CHUNK:
            self._conn.send(("chunk", bytes(self._buffer)))
            self._buffer.clear()
        return len(data)

    def flush(self) -> None:
        """Nothing: the engine's serialisers flush when they end, and the rest goes with "done"."""

    def tail(self) -> bytes:
        """What is left in the buffer: it goes with the "done" message (a small result is one message)."""
        rest = bytes(self._buffer)
        self._buffer.clear()
        return rest


# ------------------------------------------------------------------------------------------- the parent side


class _Worker:
    """A forked query worker as the web process sees it: its pid, its end of the pipe, the data it reads."""

    def __init__(self, pid: int, conn, generation: int):
        self.pid, self.conn, self.generation = pid, conn, generation

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.conn.close()


#: Seconds a request waiting for a worker sleeps before it looks again for a free place to fork one.
_WAIT_SLICE = 0.05


class WorkerPool:
    """Up to ``size`` query workers, forked by the engine when needed, retired when they read older data, when
    killed (time limit, a client gone) and when their private memory passes ``memory_mib``."""

    def __init__(self, size: int, replica: Replica, memory_mib: int = 0):
        self.size = max(1, size)
        self.memory_mib = memory_mib
        self._replica = replica
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._started = 0
        self.workers: set[_Worker] = set()

    def acquire(self, deadline: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._fork_or_wait(deadline)
            if worker.generation == self._replica.generation:
                return worker
            self.discard(worker)  # forked before a write: reads older data

    def _fork_or_wait(self, deadline: float) -> _Worker:
        while True:
            with self._lock:
                fork = self._started < self.size
                if fork:
                    self._started += 1
            if fork:
                try:
                    worker = _Worker(*self._replica.fork())
                except BaseException:
                    with self._lock:
                        self._started -= 1
                    raise
                with self._lock:
                    self.workers.add(worker)
                return worker
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(f"all {self.size} query workers stayed busy until the time limit; "
                                   "try again later")
            # In short waits: a worker that is discarded (replaced, stopped) frees a place to fork into without
            # putting anything in the idle queue, and the waiters must see that place.
            try:
                return self._idle.get(timeout=min(remaining, _WAIT_SLICE))
            except queue.Empty:
                continue

    def release(self, worker: _Worker, dirty_mib: int | None = None) -> None:
        if dirty_mib is not None and self.memory_mib and dirty_mib > self.memory_mib:
            log.info("query worker %d holds %d MiB of its own memory: replaced", worker.pid, dirty_mib)
            self.discard(worker)
        else:
            self._idle.put(worker)

    def discard(self, worker: _Worker) -> None:
        """Kill a worker (a runaway query, a stream the client left, older data) so a fresh one takes its place."""
        worker.kill()
        with self._lock:
            if worker in self.workers:
                self.workers.discard(worker)
                self._started -= 1

    def retire_stale(self) -> None:
        """Kill the idle workers that read older data (the warm-up's, once the copy serves); the busy ones are
        retired when they come back."""
        kept = []
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.generation == self._replica.generation:
                kept.append(worker)
            else:
                self.discard(worker)
        for worker in kept:
            self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            for worker in list(self.workers):
                worker.kill()
            self.workers.clear()
            self._started = 0


#: A result up to this size is read from its worker before the response begins, and sent with a Content-Length.
WHOLE_BODY_BYTES = 1 << 20


class _WorkerStream:
    """The serialised result a worker is sending: the response body. Iterating reads the worker's chunks under
    the query's deadline; the worker goes back to the pool after its last chunk, and is replaced when the
    reading stops in the middle (time limit, a client gone, a HEAD request that reads no body)."""

    def __init__(self, pool: WorkerPool, worker: _Worker, truncated, deadline: float, timeout: float):
        self.truncated = truncated
        self._pool, self._worker, self._deadline, self._timeout = pool, worker, deadline, timeout
        self._chunks: Generator[bytes, None, None] | None = None
        self._held: list[bytes] = []

    def read_ahead(self, limit: int = 0) -> None:
        """Read the answer up to ``limit`` bytes (at least its first message) before the response begins: a
        result that fits frees its worker at once (whether or not the body is ever read) and is sent whole, with
        a Content-Length (the WSGI server keeps the connection open then; after a streamed body it closes it),
        and a failure is raised before any byte is sent."""
        worker = self._worker
        if worker is None:
            return
        held = 0
        while True:
            try:
                message = _receive(worker, self._deadline, self._timeout)
            except BaseException:
                self._worker = None
                self._pool.discard(worker)
                raise
            if message[0] == "chunk":
                self._held.append(message[1])
                held += len(message[1])
                if held >= limit:
                    return
                continue
            self._worker = None
            self._pool.release(worker, message[1] if message[0] == "done" else None)
            if message[0] != "done":
                raise StoreError(message[1])
            self._held.append(message[2])
            return

    @property
    def whole(self) -> bytes | None:
        """The whole body, when :meth:`read_ahead` read all of it (else None: it streams)."""
        if self._worker is None and self._chunks is None:
            return b"".join(self._held)
        return None

    def __iter__(self) -> Iterator[bytes]:
        if self._chunks is None:
            self._chunks = self._read()
        return self._chunks

    def _read(self) -> Generator[bytes, None, None]:
        held, self._held = self._held, []
        yield from (chunk for chunk in held if chunk)
        worker, self._worker = self._worker, None
        if worker is None:
            return
        finished = False
        try:
            while True:
                message = _receive(worker, self._deadline, self._timeout)
                if message[0] == "chunk":
                    yield message[1]
                    continue
                finished = True
                if message[0] != "done":
                    self._pool.release(worker)
                    raise StoreError(message[1])
                self._pool.release(worker, message[1])
                if message[2]:
                    yield message[2]
                return
        finally:
            if not finished:
                self._pool.discard(worker)

    def close(self) -> None:
        if self._chunks is not None:
            self._chunks.close()
        # Never read (HEAD) or left in the middle: a worker still sending is replaced rather than drained (a HEAD
        # of a large export would otherwise run it to its end).
        self.__del__()

    def __del__(self):
        worker, self._worker = self._worker, None
        if worker is not None:  # dropped unread (an error before the response began): the worker is busy
            self._pool.discard(worker)


class _WorkerResult(QueryResult):
    """A result that a worker holds; ``write`` streams it from the worker under the query's deadline."""

    def __init__(self, pool: WorkerPool, worker: _Worker, kind: str, truncated, variables, deadline, timeout):
        self.kind, self.truncated, self._variables = kind, truncated, variables
        self._pool, self._worker, self._deadline, self._timeout = pool, worker, deadline, timeout
        self._boolean: bool | None = None

    @property
    def variables(self):
        return list(self._variables)

    def write(self, out, fmt):
        worker, self._worker = self._worker, None
        if worker is None:
            raise RuntimeError("a worker result can be written once")
        worker.conn.send(fmt)
        for chunk in _WorkerStream(self._pool, worker, self.truncated, self._deadline, self._timeout):
            out.write(chunk)

    def close(self) -> None:
        """Give the worker back without reading the result (HEAD, 406)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.conn.send(None)
            self._pool.release(worker)

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - at interpreter exit the pipe may be gone
            pass

    def _read_all(self, fmt: str) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer, fmt)
        return buffer.getvalue()

    @property
    def boolean(self) -> bool:
        if self.kind != "boolean":
            raise TypeError("not an ASK result")
        if self._boolean is None:
            self._boolean = json.loads(self._read_all("json"))["boolean"]
        return self._boolean

    def rows(self):
        if self.kind != "solutions":
            raise TypeError("not a SELECT result")
        for binding in json.loads(self._read_all("json"))["results"]["bindings"]:
            yield {name: _term_from_json(value) for name, value in binding.items()}

    def triples(self):
        if self.kind != "graph":
            raise TypeError("not a CONSTRUCT or DESCRIBE result")
        import pyoxigraph as ox

        from .embedded import to_term

        for triple in ox.parse(self._read_all("ntriples"), format=ox.RdfFormat.N_TRIPLES):
            yield to_term(triple.subject), to_term(triple.predicate), to_term(triple.object)


def _term_from_json(value: dict) -> Term:
    kind = value["type"]
    if kind == "triple":
        return Term("literal", json.dumps(value["value"]))
    return Term(kind if kind in ("uri", "bnode") else "literal", value["value"],
                value.get("datatype") or ("http://www.w3.org/2001/XMLSchema#string" if kind == "literal"
                                          and "xml:lang" not in value else None)
                if kind == "literal" else None,
                value.get("xml:lang"))


def _receive(worker: _Worker, deadline: float, timeout: float, *, what: str = "query",
             setting: str = "HELSEGRAF_QUERY_TIMEOUT"):
    remaining = deadline - time.monotonic()
    try:
        ready = remaining > 0 and worker.conn.poll(remaining)
        message = worker.conn.recv() if ready else None
    except (EOFError, OSError) as error:
        raise Unavailable(f"a query worker ended unexpectedly: {error}") from None
    if message is None:  # TimeoutError is an OSError: raised outside the try above on purpose
        raise QueryTimeout(f"the {what} ran longer than the limit of {timeout:g} s and was stopped ({setting})"
                           + ("; nothing was written" if what == "update" else ""))
    return message


class WorkerStore(Store):
    """A :class:`Store` whose queries run in forked worker processes on the in-memory copy, under a time limit;
    writes, dumps and counts go to ``primary`` (the durable record: an EmbeddedStore on disk, or in memory
    without ``--store``), and each write, once the primary holds it, to the copy (:mod:`.replica`)."""

    def __init__(self, primary: EmbeddedStore, *, timeout: float, workers: int = 4, max_rows: int = 0,
                 worker_memory_mib: int = 0, update_timeout: float = 0, allocator: str = "jemalloc",
                 copy: str = "auto"):
        if copy not in COPY_CHOICES:
            raise StoreError(f"HELSEGRAF_QUERY_COPY is {copy!r}; it must be one of {', '.join(COPY_CHOICES)}")
        self.primary, self.timeout, self.max_rows = primary, timeout, max_rows
        self.copy = copy
        self.update_timeout = update_timeout
        self.path = primary.path
        self.union = primary.union
        self.replica = Replica(primary, union_default_graph=primary.union, allocator=allocator)
        self._pool = WorkerPool(workers, self.replica, worker_memory_mib)
        # The primary and the copy must apply writes in one order.
        self._write_lock = threading.RLock()
        self._started = False
        self._closed = False
        #: Set once the warm-up is over: queries read the in-memory copy, or checkpoints for good (see start()).
        self._warmed_up = threading.Event()
        self._warmed_up.set()
        self._closing = threading.Event()

    def start(self) -> None:
        """Make the in-memory copy and serve queries from it. ``helsegraf serve`` calls it once the bundled data
        are in: until then queries (the loader's checksum look-ups) are answered by the primary in this process,
        so the copy is made once, from the loaded data, instead of replaying every bundled file into it.

        On an on-disk store it returns at once: the copy is made on a thread while workers read a checkpoint of
        the primary (:mod:`.replica`, warm-up), and writes wait for it. That thread holds the write lock from
        before this returns until the copy serves, so no write lands between the checkpoint and the copy's
        dump: both hold exactly what the primary holds. A copy that would not fit in memory
        (:meth:`copy_fits`) is not made: queries go on reading checkpoints.
        """
        if self.primary.path is None:
            self.replica.start()
            self._started = True
            return
        holding = threading.Event()
        failed: list[BaseException] = []

        def warm_up() -> None:
            # This thread starts the engine process, so it lives as long as the server (see finish_warm_up).
            with self._write_lock:
                try:
                    self.replica.begin_warm_up()
                except BaseException as error:  # noqa: BLE001 - no checkpoint: start() makes the copy first
                    failed.append(error)
                    return
                finally:
                    holding.set()
                if not self.copy_fits():
                    self.replica.stay_on_disk()
                    self._warmed_up.set()
                    return
                try:
                    self.replica.finish_warm_up()
                except Exception as error:  # noqa: BLE001 - the next query starts the engine again
                    log.error("the in-memory copy could not be made: %s", error)
            self._warmed_up.set()
            log.info("the in-memory copy serves; the warm-up's workers end within %g s", self.timeout)
            self._pool.retire_stale()
            self.replica.end_warm_up(grace=self.timeout + 1)
            self._closing.wait()

        self._warmed_up.clear()
        threading.Thread(target=warm_up, name="helsegraf-warm-up", daemon=True).start()
        holding.wait()
        if failed:
            log.warning("no warm-up (%s): the copy is made before the first query", failed[0])
            self._warmed_up.set()
            self.replica.start()
        self._started = True

    def copy_fits(self) -> bool:
        """Whether to make the in-memory copy of an on-disk store (``Settings.query_copy``; ``auto``: when the
        copy, and each worker's share of it at its memory budget, fit in the memory available)."""
        if self.copy != "auto":
            return self.copy == "memory"
        copy = self.primary.engine_quads() * COPY_BYTES_PER_QUAD
        budget = self._pool.memory_mib * 2**20 or copy
        needed = copy + self._pool.size * min(copy, budget)
        if fits_in_memory(needed):
            return True
        log.warning("the in-memory copy would need about %.1f GiB with its %d workers, more than the memory "
                    "available: queries read the on-disk store (HELSEGRAF_QUERY_COPY=memory makes the copy anyway)",
                    needed / 2**30, self._pool.size)
        return False

    def wait_for_warm_up(self, timeout: float | None = None) -> bool:
        """Wait until the warm-up is over (queries read the copy, or checkpoints for good); whether it is."""
        return self._warmed_up.wait(timeout)

    # -- reads through the workers

    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        if not self._started:
            return self.primary.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                                      base_iri=base_iri)
        worker, message, deadline = self._ask(sparql, default_graphs, named_graphs, {"base_iri": base_iri})
        return _WorkerResult(self._pool, worker, message[1], message[2], message[3], deadline, self.timeout)

    def stream(self, sparql, *, choose, default_graphs=None, named_graphs=None, base_iri=None):
        """One round trip: the format for each kind of result goes with the query, so the worker sends the
        kind and the serialised result at once, and the request thread reads the chunks (no producer thread:
        nothing here is bound to the engine's thread)."""
        if not self._started:
            return super().stream(sparql, choose=choose, default_graphs=default_graphs,
                                  named_graphs=named_graphs, base_iri=base_iri)
        chosen: dict[str, str] = {}
        refused: dict[str, Exception] = {}
        for kind in ("solutions", "boolean", "graph"):
            try:
                chosen[kind] = choose(kind)
            except Exception as error:  # noqa: BLE001 - raised below if the result is of this kind (406)
                refused[kind] = error
        worker, message, deadline = self._ask(sparql, default_graphs, named_graphs,
                                              {"base_iri": base_iri, "formats": chosen})
        kind, truncated = message[1], message[2]
        if kind in refused:
            worker.conn.send(None)  # the worker waits for a format: none
            self._pool.release(worker)
            raise refused[kind]
        body = _WorkerStream(self._pool, worker, truncated, deadline, self.timeout)
        body.read_ahead(WHOLE_BODY_BYTES)
        return chosen[kind], body

    def _ask(self, sparql, default_graphs, named_graphs, options):
        """Send a query to a worker; its first answer, ("kind", kind, truncated, variables), and the deadline."""
        deadline = time.monotonic() + self.timeout
        self.replica.start()  # again after the engine process ended
        worker = self._pool.acquire(deadline)
        try:
            worker.conn.send((sparql, default_graphs or [], named_graphs or [], self.max_rows, options))
            message = _receive(worker, deadline, self.timeout)
        except BaseException:
            self._pool.discard(worker)
            raise
        if message[0] == "kind":
            return worker, message, deadline
        self._pool.release(worker)
        if message[0] == "syntax":
            raise SyntaxError(message[1])
        if message[0] == "evaluation":
            raise EvaluationError(message[1])
        raise StoreError(message[1])

    # -- writes: the primary first (durable, one transaction, refuses bad input), then the copy

    def rehearse(self, sparql, *, base_iri=None, graphs=None):
        """Run ``sparql`` on a throw-away fork of the in-memory copy under ``update_timeout``; past it the fork is
        killed and :class:`QueryTimeout` raised, so nothing is written. Errors other than the time limit are left
        to the write itself, which reports them in its words."""
        if not self.update_timeout or not self._started:
            return
        self._warmed_up.wait()  # a rehearsal needs the copy (or a checkpoint of its own): not the warm-up's
        deadline = time.monotonic() + self.update_timeout
        self.replica.start()
        worker = _Worker(*self.replica.trial())
        try:
            worker.conn.send((sparql, [], [], 0, {"base_iri": base_iri, "rehearse": graphs}))
            _receive(worker, deadline, self.update_timeout, what="update",
                     setting="HELSEGRAF_UPDATE_TIMEOUT")
        finally:
            worker.kill()

    def update(self, sparql, *, base_iri=None, graphs=None):
        with self._write_lock:
            self.primary.update(sparql, base_iri=base_iri, graphs=graphs)
            self.replica.update(sparql, base_iri, graphs)
        self._pool.retire_stale()

    def load(self, source, fmt, graph, *, replace=True, base_iri=None, bulk=False, progress=None):
        if not isinstance(source, (bytes, str, Path)):
            source = source.read()  # a stream is read once; the copy parses the same bytes
        with self._write_lock:
            count = self.primary.load(source, fmt, graph, replace=replace, base_iri=base_iri, bulk=bulk,
                                      progress=progress)
            self.replica.load(source, fmt, graph, replace, base_iri)
        self._pool.retire_stale()
        return count

    def drop(self, graph):
        with self._write_lock:
            existed = self.primary.drop(graph)
            if existed:
                self.replica.drop(graph)
        self._pool.retire_stale()
        return existed

    def dump(self, out, fmt, graph=None):
        self.primary.dump(out, fmt, graph)

    def graphs(self):
        return self.primary.graphs()

    def count(self, graph=None):
        return self.primary.count(graph)

    def ping(self) -> bool:
        """Ready when a worker answers ``ASK {}`` within the time limit."""
        try:
            return self.query("ASK {}").boolean is not None
        except Exception:  # noqa: BLE001 - readiness is yes or no
            return False

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._closing.set()
        self._pool.close()
        self.replica.close()
        self.primary.close()


def open_served_store(settings) -> Store:
    """The store ``helsegraf serve`` uses: queries from memory in time-limited workers, unless the limit is 0
    or the store is remote. Without ``--store`` the primary is in memory too: nothing is written to disk."""
    from . import open_store

    if settings.store_url or settings.query_timeout <= 0:
        return open_store(settings)
    primary = EmbeddedStore(settings.store or None,
                            union_default_graph=getattr(settings, "union_default_graph", True))
    store = WorkerStore(primary, timeout=settings.query_timeout,
                        workers=getattr(settings, "query_workers", 4),
                        max_rows=getattr(settings, "max_result_rows", 0),
                        worker_memory_mib=getattr(settings, "worker_memory_mb", 0),
                        update_timeout=getattr(settings, "update_timeout", 0),
                        allocator=getattr(settings, "engine_allocator", "jemalloc"),
                        copy=getattr(settings, "query_copy", "auto"))
    # Workers and the engine first, then the store is closed (RocksDB flushes): at exit and on SIGTERM.
    atexit.register(store.close)
    return store
