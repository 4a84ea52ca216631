"""The in-memory copy that queries read: one engine process holding ``pyoxigraph.Store()``, forking query workers.

Why a separate process: pyoxigraph answers 3-19x faster from memory than from RocksDB (issue 11), but a query
cannot be cancelled, so it must run in a process that can be killed at the time limit; and a process that
``fork``\\ s must hold no other threads (the web process runs waitress's threads, the on-disk store RocksDB's).
So the engine process is spawned, holds only the in-memory store, and ``fork``\\ s each query worker: the
worker starts with the whole graph, shared copy-on-write with the engine, in milliseconds (6 ms at 1M triples).

The engine never queries. It applies every write after the durable store (the primary, in the web process) has
committed it, in the same order, so it holds the same data; a worker forked before a write reads the older
data, and the web process retires it (``generation``). Updates whose result is not determined by their text
(``NOW()``, ``RAND()``, ``UUID()``, ``STRUUID()``, ``BNODE()``) are not replayed: the engine reloads the
primary's quads instead, so the copy never differs from the durable record.

Memory: pyoxigraph's reads write to the pages they visit (one full scan of a 1M-triple store dirties about
300 MB in a forked worker), so each busy worker drifts towards a private copy. Workers report their private
dirty memory after heavy queries and the pool replaces one that passes ``Settings.worker_memory_mb``.

Warm-up: on an on-disk store the copy takes time to make (at 1M triples, a dump of the primary and a bulk load:
tens of seconds). Meanwhile queries are answered from a RocksDB checkpoint of the primary (hard links, made in
milliseconds) by worker processes spawned on it, each opening it read-only, still under the time limit; writes
wait for the copy (:meth:`helsegraf.store.workers.WorkerStore.start`), so the checkpoint holds what the primary
holds for as long as it is read.

On disk for good: a copy that would not fit in memory is not made (``Settings.query_copy``; the choice is
:meth:`helsegraf.store.workers.WorkerStore.start`'s). Queries then go on reading checkpoints: after each write a new
checkpoint is made (hard links: milliseconds, no copy of the data), the workers on the older one are stale, and a
checkpoint no worker reads any more is removed. An update's time-limit trial runs on a checkpoint of its own,
opened for writing (RocksDB never changes the files a checkpoint links to, it writes new ones), and removed after.

Blank nodes get new labels in the copy (the engine's bulk loader renames them); labels of blank nodes are
local to a result in SPARQL, so answers are the same graphs.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import Any

from ..errors import StoreError, Unavailable
from ..sparql.guards import tokens

log = logging.getLogger("helsegraf.replica")

#: Functions whose value the update's text does not determine: such an update is not replayed but copied.
NONDETERMINISTIC = {"NOW", "RAND", "UUID", "STRUUID", "BNODE"}


def replayable(sparql: str) -> bool:
    """Whether applying ``sparql`` to two stores holding the same data leaves them holding the same data.

    >>> replayable("INSERT DATA { <http://a> <http://b> 1 }")
    True
    >>> replayable("INSERT { <http://a> <http://b> ?t } WHERE { BIND(NOW() AS ?t) }")
    False
    """
    return not any(t.kind == "word" and t.text.upper() in NONDETERMINISTIC for t in tokens(sparql))


# ------------------------------------------------------------------------------------ the engine process side


def die_with_parent() -> None:  # pragma: no cover - runs in the engine and the workers
    """Ask Linux to kill this process when its parent ends (a killed web process leaves no engine or worker
    running on; without it a worker would finish its query first)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the closed pipes still end them after their current query


def _engine_main(conn: Connection, union_default_graph: bool, quads_file: str) -> None:  # pragma: no cover
    """Hold the in-memory store; apply writes; fork workers. Runs single-threaded, so forking is safe."""
    import pyoxigraph as ox

    from .embedded import EmbeddedStore

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the web process decides when the engine ends
    die_with_parent()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps ended workers: no zombies

    def fresh(path: str) -> EmbeddedStore:
        store = EmbeddedStore(None, union_default_graph=union_default_graph)
        # Lenient: the quads come from the primary, which checked every IRI and tag on the way in (2-3 s at 1M).
        store._store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS, lenient=True)
        return store

    store = fresh(quads_file)
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        command, args = message[0], message[1:]
        try:
            if command == "fork":
                _fork_worker(conn, store)
                continue
            if command == "update":
                sparql, base_iri, graphs = args
                store.update(sparql, base_iri=base_iri, graphs=graphs)
            elif command == "load":
                source, fmt, graph, replace, base_iri = args
                store.load(Path(source) if isinstance(source, str) else source, fmt, graph, replace=replace,
                           base_iri=base_iri)
            elif command == "drop":
                store.drop(args[0])
            elif command == "reload":
                store = fresh(args[0])
            else:
                raise ValueError(f"unknown engine command {command!r}")
            conn.send(("ok",))
        except Exception as error:  # noqa: BLE001 - reported to the web process, which reloads the copy
            conn.send(("error", f"{type(error).__name__}: {error}"))


def _warm_worker_main(conn: Connection, union_default_graph: bool, checkpoint: str,
                      writable: bool = False) -> None:  # pragma: no cover
    """A query worker on a checkpoint of the primary: spawned (not forked), it opens the checkpoint read-only, or
    for writing (``writable``: an update's trial, on a checkpoint of its own)."""
    import pyoxigraph as ox

    from .embedded import EmbeddedStore
    from .workers import serve_queries

    die_with_parent()
    engine = ox.Store(checkpoint) if writable else ox.Store.read_only(checkpoint)
    serve_queries(conn, EmbeddedStore.wrap(engine, union_default_graph=union_default_graph))


def _fork_worker(conn: Connection, store) -> None:  # pragma: no cover - runs in the engine
    """Fork a query worker on the current data and hand the web process its end of a socket pair."""
    from .workers import serve_queries

    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker: never returns into the engine's loop
        status = 0
        try:
            conn.close()
            theirs.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            die_with_parent()
            serve_queries(Connection(ours.detach()), store)
        except BaseException:  # noqa: BLE001 - a worker that fails ends; the web process sees the closed pipe
            import traceback

            traceback.print_exc()
            status = 1
        finally:
            os._exit(status)
    ours.close()
    conn.send(("forked", pid))
    send_handle(conn, theirs.fileno(), os.getppid())
    theirs.close()


# ----------------------------------------------------------------------------------------- the web process side


#: Where Debian-like systems put jemalloc (the package libjemalloc2; .ci/setup.d/15-jemalloc.sh installs it).
_JEMALLOC_DIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                  "/usr/local/lib")


def allocator_library(allocator: str) -> str | None:
    """The shared library to preload into the engine for ``allocator`` (None: the system's allocator).

    Why jemalloc: with glibc's allocator a worker forked from the engine allocates into heap pages it shares
    with the engine, and takes a copy-on-write fault on each (about 200 per point lookup at 1M triples, every
    time, as the allocator walks the free memory the bulk load left), so the lookup runs 3-10x slower than in
    the engine; jemalloc reuses the same few pages, and pyoxigraph also runs faster on it in one process.
    """
    if allocator != "jemalloc":
        return None
    for directory in _JEMALLOC_DIRS:
        candidate = Path(directory) / "libjemalloc.so.2"
        if candidate.exists():
            return str(candidate)
    return None


class _preloaded:
    """``LD_PRELOAD`` set to ``library`` while the engine process is spawned (it inherits the environment)."""

    def __init__(self, library: str | None):
        self._library = library
        self._saved: str | None = None

    def __enter__(self) -> None:
        if self._library:
            self._saved = os.environ.get("LD_PRELOAD")
            os.environ["LD_PRELOAD"] = self._library + (f" {self._saved}" if self._saved else "")

    def __exit__(self, *exc) -> None:
        if self._library:
            if self._saved is None:
                os.environ.pop("LD_PRELOAD", None)
            else:
                os.environ["LD_PRELOAD"] = self._saved


class Replica:
    """The web process's handle on the engine process. Every method is safe to call from several threads."""

    def __init__(self, primary, *, union_default_graph: bool, allocator: str = "jemalloc"):
        self._primary = primary
        self._union = union_default_graph
        self._allocator = allocator
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: Any = None  # a multiprocessing spawn Process
        #: Writes applied to the copy; a worker forked at an older generation reads older data.
        self.generation = 0
        #: The checkpoint queries read while the copy is made, or for good when ``on_disk`` (see the module's
        #: docstring), and the processes spawned on checkpoints, each with the checkpoint it opened.
        self._warm: Path | None = None
        self._warm_workers: list[tuple[Any, Path]] = []
        self._warm_lock = threading.Lock()
        #: Queries read checkpoints for good: no in-memory copy is made.
        self.on_disk = False

    # -- life cycle

    def start(self) -> None:
        """Start the engine process on a copy of the primary's quads (no-op when it runs, or while the warm-up
        makes it)."""
        if self._warm is not None:
            return
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()

    def _start(self) -> None:
        self._stop()
        context = get_context("spawn")
        ours, theirs = context.Pipe()
        began = time.monotonic()
        with self._quads_file() as path:
            dumped = time.monotonic()
            self._process = context.Process(target=_engine_main, args=(theirs, self._union, path),
                                            name="helsegraf-engine", daemon=True)
            with _preloaded(allocator_library(self._allocator)):
                self._process.start()
            theirs.close()
            self._conn = ours
            reply = self._reply()
        if reply[0] != "ready":
            raise StoreError(f"the in-memory engine did not start: {reply}")
        log.info("the in-memory copy is made: the primary's dump took %.1f s, the copy's load %.1f s",
                 dumped - began, time.monotonic() - dumped)
        self.generation += 1  # every worker of an earlier engine is stale

    def _quads_file(self):
        """A private temporary N-Quads file with every quad of the primary, removed when the block ends."""
        primary = self._primary

        class _File:
            def __enter__(self) -> str:
                handle, self.path = tempfile.mkstemp(prefix="helsegraf-copy-", suffix=".nq")
                os.close(handle)
                primary.dump_raw(self.path)
                return self.path

            def __exit__(self, *exc) -> None:
                Path(self.path).unlink(missing_ok=True)

        return _File()

    def close(self) -> None:
        self._warm = None
        self.on_disk = False
        with self._lock:
            self._stop()
        self._end_warm_up(grace=0)

    # -- warm-up: queries from a checkpoint of the primary while the copy is made

    def begin_warm_up(self) -> None:
        """Make a checkpoint of the primary; until :meth:`finish_warm_up`, workers are spawned on it."""
        self._warm = self._new_checkpoint()

    def stay_on_disk(self) -> None:
        """Instead of :meth:`finish_warm_up`: no copy; queries go on reading checkpoints, renewed by every write."""
        self.on_disk = True

    def _new_checkpoint(self) -> Path:
        primary_path = self._primary.path
        scratch = Path(tempfile.mkdtemp(prefix=f".{primary_path.name}-warm-", dir=primary_path.parent))
        self._primary.checkpoint(scratch / "store")
        return scratch / "store"

    def _renew(self) -> None:
        """On disk: a checkpoint holding the write the primary just committed; workers on older ones are stale."""
        fresh = self._new_checkpoint()
        with self._warm_lock:
            self._warm = fresh
            self.generation += 1
        self._prune()

    def _prune(self) -> None:
        """Remove the checkpoints no process reads any more (and what a killed server left)."""
        path = self._primary.path
        if path is None:
            return
        with self._warm_lock:
            self._warm_workers = [(p, c) for p, c in self._warm_workers if p.is_alive()]  # is_alive() reaps
            in_use = {checkpoint for _, checkpoint in self._warm_workers} | {self._warm}
        for scratch in path.parent.glob(f".{path.name}-warm-*"):
            if scratch / "store" not in in_use:
                shutil.rmtree(scratch, ignore_errors=True)

    def finish_warm_up(self) -> None:
        """Make the copy; from then on workers are forked from it (whether or not it started: if not, the next
        query tries again). The calling thread must live as long as the engine: Linux's parent-death signal
        (:func:`die_with_parent`) follows the thread that started a process, not the process."""
        try:
            with self._lock:
                if self._process is None or not self._process.is_alive():
                    self._start()
        finally:
            self._warm = None

    @property
    def warming(self) -> bool:
        """Whether queries are still read from the checkpoint while the copy is made."""
        return self._warm is not None and not self.on_disk

    def _spawn_warm(self, checkpoint: Path | None = None, *, writable: bool = False) -> tuple[int, Connection, int]:
        """A worker process on ``checkpoint`` (default: the one queries read now) and the generation it reads."""
        context = get_context("spawn")
        ours, theirs = context.Pipe()
        with self._warm_lock:
            checkpoint = checkpoint or self._warm
            assert checkpoint is not None  # only called while queries read checkpoints
            process = context.Process(target=_warm_worker_main,
                                      args=(theirs, self._union, str(checkpoint), writable),
                                      name="helsegraf-warm-worker", daemon=True)
            process.start()
            self._warm_workers.append((process, checkpoint))
            generation = self.generation
        theirs.close()
        assert process.pid is not None  # started above
        return process.pid, ours, generation

    def trial(self) -> tuple[int, Connection, int]:
        """A throw-away worker to time an update on: a fork of the copy, or on disk a process on a checkpoint of
        its own, opened for writing (removed once the process has ended)."""
        if self.on_disk:
            self._prune()
            return self._spawn_warm(self._new_checkpoint(), writable=True)
        return self.fork()

    def end_warm_up(self, grace: float) -> None:
        """Remove the checkpoint once the warm-up's workers have ended: those still alive after ``grace`` seconds
        (a query's time limit) are killed."""
        self._end_warm_up(grace)

    def _end_warm_up(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        with self._warm_lock:
            workers = [process for process, _ in self._warm_workers]
        for process in workers:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(timeout=5)
        self._prune()  # also what a server killed during its warm-up left (one server at a time opens a store)

    def _stop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            if self._process.pid is not None:  # started (a failed start leaves nothing to stop)
                self._process.kill()
                self._process.join(timeout=5)
            self._process = None

    # -- writes (after the primary committed them)

    def update(self, sparql: str, base_iri: str | None, graphs) -> None:
        if self.on_disk:
            self._renew()
        elif replayable(sparql):
            self._apply(("update", sparql, base_iri, graphs))
        else:
            self.reload()

    def load(self, source, fmt: str, graph: str | None, replace: bool, base_iri: str | None) -> None:
        if self.on_disk:
            return self._renew()
        self._apply(("load", str(source) if isinstance(source, Path) else source, fmt, graph, replace, base_iri))

    def drop(self, graph: str) -> None:
        if self.on_disk:
            return self._renew()
        self._apply(("drop", graph))

    def reload(self) -> None:
        """Replace the copy with the primary's quads."""
        if self.on_disk:
            return self._renew()
        with self._lock:
            if self._process is None:
                return
            with self._quads_file() as path:
                self._engine().send(("reload", path))
                reply = self._reply()
            if reply[0] == "ok":
                self.generation += 1
            else:
                self._start()

    def _apply(self, message: tuple) -> None:
        with self._lock:
            if self._process is None:  # not started: it copies the primary when it starts
                return
            try:
                self._engine().send(message)
                reply = self._reply()
            except Unavailable:
                reply = ("error", "the engine process ended")
            if reply[0] == "ok":
                self.generation += 1
            else:  # the copy may now differ from the durable record: start over from the primary
                self._start()

    # -- workers

    def fork(self) -> tuple[int, Connection, int]:
        """A new query worker on the current data: (pid, connection, generation); during the warm-up, one
        spawned on the checkpoint."""
        if self._warm is not None:
            return self._spawn_warm()
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._engine().send(("fork",))
            reply = self._reply()
            if reply[0] != "forked":
                raise Unavailable(f"the in-memory engine could not start a query worker: {reply}")
            fd = recv_handle(self._engine())
            return reply[1], Connection(fd), self.generation

    def _engine(self) -> Connection:
        if self._conn is None:
            raise Unavailable("the in-memory engine is not running")
        return self._conn

    def _reply(self):
        try:
            return self._engine().recv()
        except (EOFError, OSError) as error:
            raise Unavailable(f"the in-memory engine process ended: {error}") from None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None
