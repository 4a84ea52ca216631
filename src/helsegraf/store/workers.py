"""Queries in worker processes, so that a query past its time limit can be stopped.

pyoxigraph cannot cancel a running query, and its evaluation holds a thread until it ends. So ``helsegraf
serve`` runs every query in one of a small pool of worker processes; a query that runs past
``Settings.query_timeout`` is stopped by killing its worker (SIGKILL), which a fresh one replaces. The client
gets a 503 with a message; other clients are served by the other workers meanwhile.

Data reach the workers as *snapshots*: the web process owns the read-write store on disk (in a private
temporary directory when no ``--store`` is given) and, before the first query after a write, makes a RocksDB
checkpoint of it (hard links, milliseconds). Workers open the newest checkpoint with ``Store.read_only``.
Nobody writes to a checkpoint, so the read-only open is safe (opening the live store read-only while it is
written to is undefined behaviour in pyoxigraph). A snapshot directory is removed once no worker uses it.

Results come back through a pipe in chunks, so large results stream as before (the pipe's buffer gives
back-pressure). SELECT and CONSTRUCT/DESCRIBE results are cut at ``Settings.max_result_rows``; the result
then says so (``truncated``), and the web layer adds an ``X-Result-Truncated`` header.

Writes, dumps and counts go to the read-write store directly, through this class: it is a :class:`Store`.
"""

from __future__ import annotations

import atexit
import io
import itertools
import json
import logging
import multiprocessing
import queue
import shutil
import tempfile
import threading
import time
from pathlib import Path

from ..errors import EvaluationError, QueryTimeout, Unavailable
from . import QueryResult, Store, StoreError, Term

log = logging.getLogger("helsegraf.workers")

_CHUNK = 64 * 1024


# ------------------------------------------------------------------------------------------- the worker side


#: Rows a worker keeps while it finds out whether a result passes the row cap; a longer result is counted
#: without keeping its rows, then evaluated again and streamed (memory stays flat; the CPU of such a query
#: doubles, which only results longer than this pay).
PEEK_ROWS = 2_000

#: Graph formats whose syntax has comments: a cut result says so in its first line.
_COMMENTED = {"turtle", "ntriples", "trig", "nquads"}


def _worker_main(conn, union_default_graph: bool = True) -> None:  # pragma: no cover - runs in the child
    """Serve queries from ``conn`` until the pipe closes: (snapshot, sparql, default, named, max_rows)."""
    import signal

    import pyoxigraph as ox

    from .embedded import EmbeddedStore

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when a worker ends
    reader, opened = None, None
    while True:
        try:
            snapshot, sparql, default_graphs, named_graphs, max_rows, options = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if snapshot != opened:
                # The query logic of EmbeddedStore, on a read-only snapshot.
                reader = EmbeddedStore.wrap(ox.Store.read_only(snapshot), path=Path(snapshot),
                                            union_default_graph=union_default_graph)
                opened = snapshot

            base_iri = options.get("base_iri")

            def run(reader=reader, sparql=sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                    base_iri=base_iri):
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
        try:
            fmt = conn.recv()
        except (EOFError, OSError):
            return
        if fmt is None:
            continue
        out = _PipeWriter(conn)
        try:
            _write(out, fmt, kind, raw, items, truncated, variables)
            out.flush()
            conn.send(("done",))
        except Exception as error:  # noqa: BLE001
            conn.send(("error", f"{type(error).__name__}: {error}"))
        del raw, items


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
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._conn.send(("chunk", bytes(self._buffer)))
            self._buffer.clear()


# ------------------------------------------------------------------------------------------- the parent side


class _Worker:
    def __init__(self, context, union_default_graph: bool = True):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, union_default_graph),
                                       name="helsegraf-query", daemon=True)
        self.process.start()
        child.close()
        self.snapshot: str | None = None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """Up to ``size`` worker processes, started when first needed and replaced when killed."""

    def __init__(self, size: int, union_default_graph: bool = True):
        self.size = max(1, size)
        self.union_default_graph = union_default_graph
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded process holding RocksDB
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._started = 0
        self._closed = False
        self.workers: set[_Worker] = set()

    def acquire(self, deadline: float) -> _Worker:
        with self._lock:
            if self._idle.empty() and self._started < self.size:
                self._started += 1
                worker = _Worker(self._context, self.union_default_graph)
                self.workers.add(worker)
                return worker
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout(f"all {self.size} query workers stayed busy until the time limit; "
                               "try again later") from None

    def release(self, worker: _Worker) -> None:
        self._idle.put(worker)

    def discard(self, worker: _Worker) -> None:
        """Kill a worker (a runaway query, a stream the client left) and let a fresh one take its place."""
        worker.kill()
        with self._lock:
            self.workers.discard(worker)
            self._started -= 1

    def close(self) -> None:
        with self._lock:
            for worker in list(self.workers):
                worker.kill()
            self.workers.clear()

    def snapshots_in_use(self) -> set[str]:
        return {w.snapshot for w in list(self.workers) if w.snapshot}


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
        finished = False
        try:
            while True:
                message = _receive(worker, self._deadline, self._timeout)
                if message[0] == "chunk":
                    out.write(message[1])
                elif message[0] == "done":
                    finished = True
                    return
                else:
                    finished = True
                    raise StoreError(message[1])
        finally:
            if finished:
                self._pool.release(worker)
            else:  # stopped in the middle (time limit, client gone): the worker is still busy; replace it
                self._pool.discard(worker)

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


def _receive(worker: _Worker, deadline: float, timeout: float):
    remaining = deadline - time.monotonic()
    try:
        ready = remaining > 0 and worker.conn.poll(remaining)
        message = worker.conn.recv() if ready else None
    except (EOFError, OSError) as error:
        raise Unavailable(f"a query worker ended unexpectedly: {error}") from None
    if message is None:  # TimeoutError is an OSError: raised outside the try above on purpose
        raise QueryTimeout(f"the query ran longer than the limit of {timeout:g} s and was stopped "
                           "(HELSEGRAF_QUERY_TIMEOUT)")
    return message


class WorkerStore(Store):
    """A :class:`Store` whose queries run in worker processes with a time limit; everything else goes to
    ``primary`` (an on-disk :class:`~helsegraf.store.embedded.EmbeddedStore`)."""

    def __init__(self, primary, *, timeout: float, workers: int = 4, max_rows: int = 0,
                 snapshot_root: str | Path | None = None):
        if primary.path is None:
            raise ValueError("the worker store needs an on-disk primary store")
        self.primary, self.timeout, self.max_rows = primary, timeout, max_rows
        self.path = primary.path
        self._snapshot_root = Path(snapshot_root or tempfile.mkdtemp(
            prefix=".helsegraf-snapshots-", dir=primary.path.parent))
        self._snapshot_root.mkdir(parents=True, exist_ok=True)
        self._pool = WorkerPool(workers, primary.union)
        self._snapshot_lock = threading.Lock()
        self._generation = 0
        self._dirty = True
        self._snapshot: str | None = None
        self._closed = False

    # -- reads through the workers

    def query(self, sparql, *, default_graphs=None, named_graphs=None, base_iri=None):
        deadline = time.monotonic() + self.timeout
        snapshot = self._current_snapshot()
        worker = self._pool.acquire(deadline)
        worker.snapshot = snapshot
        try:
            options = {"base_iri": base_iri}
            worker.conn.send((snapshot, sparql, default_graphs or [], named_graphs or [], self.max_rows, options))
            message = _receive(worker, deadline, self.timeout)
        except BaseException:
            self._pool.discard(worker)
            raise
        if message[0] == "kind":
            return _WorkerResult(self._pool, worker, message[1], message[2], message[3], deadline, self.timeout)
        self._pool.release(worker)
        if message[0] == "syntax":
            raise SyntaxError(message[1])
        if message[0] == "evaluation":
            raise EvaluationError(message[1])
        raise StoreError(message[1])

    def _current_snapshot(self) -> str:
        with self._snapshot_lock:
            if self._dirty or self._snapshot is None:
                self._dirty = False  # before the checkpoint: a write that lands during it marks it dirty again
                self._generation += 1
                target = self._snapshot_root / f"snapshot-{self._generation}"
                try:
                    self.primary._store.backup(str(target))
                except OSError as error:
                    self._dirty = True
                    raise StoreError(f"cannot snapshot the store: {error}") from error
                self._snapshot = str(target)
                self._collect()
            return self._snapshot

    def _collect(self) -> None:
        keep = self._pool.snapshots_in_use() | {self._snapshot}
        for path in self._snapshot_root.glob("snapshot-*"):
            if str(path) not in keep:
                shutil.rmtree(path, ignore_errors=True)

    # -- writes and bookkeeping on the read-write store

    def update(self, sparql, *, base_iri=None, graphs=None):
        try:
            self.primary.update(sparql, base_iri=base_iri, graphs=graphs)
        finally:
            self._dirty = True

    def load(self, source, fmt, graph, *, replace=True, base_iri=None, bulk=False, progress=None):
        try:
            return self.primary.load(source, fmt, graph, replace=replace, base_iri=base_iri, bulk=bulk,
                                     progress=progress)
        finally:
            self._dirty = True

    def drop(self, graph):
        try:
            return self.primary.drop(graph)
        finally:
            self._dirty = True

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
        self._pool.close()
        shutil.rmtree(self._snapshot_root, ignore_errors=True)
        self.primary.close()


def open_served_store(settings) -> Store:
    """The store ``helsegraf serve`` uses: queries in time-limited workers unless the limit is 0 or the store
    is remote. Without ``--store`` the data live in a private temporary directory, removed at exit."""
    from . import open_store
    from .embedded import EmbeddedStore

    if settings.store_url or settings.query_timeout <= 0:
        return open_store(settings)
    path, scratch = settings.store, None
    if not path:
        scratch = tempfile.mkdtemp(prefix="helsegraf-store-")
        path = str(Path(scratch) / "store")
    store = WorkerStore(EmbeddedStore(path, union_default_graph=getattr(settings, "union_default_graph", True)),
                        timeout=settings.query_timeout,
                        workers=getattr(settings, "query_workers", 4),
                        max_rows=getattr(settings, "max_result_rows", 0))

    def clean_up() -> None:
        # Workers first, then the store is closed (RocksDB stops writing), then its temporary directory goes:
        # removing the directory of an open store leaves the files its background threads write meanwhile.
        store.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)

    atexit.register(clean_up)
    return store
