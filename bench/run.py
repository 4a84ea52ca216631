"""Benchmark helsegraf against reference SPARQL engines on the same data and queries, side by side.

Run (from the repository root, with the project's venv)::

    python bench/run.py measure --scale 100k            # all systems; writes bench/results/100k.json
    python bench/run.py measure --scale 1M --systems helsegraf oxigraph virtuoso helsegraf-virtuoso
    python bench/run.py report                          # docs/benchmarks.md and docs/img/benchmarks.png

``measure`` generates the graph (``bench/generate.py``) unless it exists in the work directory, loads it
into helsegraf's embedded store next to the bundled ontology, shapes and reference data (timing the load),
computes the RDFS entailments, dumps the whole dataset once and loads that same dump into every other
system, so that all answer over the same quads. For each system it then measures, through HTTP:
per-query latency (median, p95 of ``--reps`` runs after one warm-up), throughput of the full mix and of the
selective-only mix at 1, 4 and 16 concurrent clients (``--duration`` seconds each), a streamed CSV export
(server memory sampled during it) and peak memory of the server's process tree (psutil, every 0.2 s).
The in-process pyoxigraph query time (evaluation and serialisation to JSON in one process) is the floor.

Systems: ``helsegraf`` (``helsegraf serve --store DIR``, the served path with its query worker processes),
``helsegraf-virtuoso`` (``helsegraf serve --store-url``), ``oxigraph`` (Oxigraph server), ``virtuoso``
(Virtuoso's own /sparql), ``rdflib-endpoint`` (from its own venv, ``bench/.venv-rdflib-endpoint``; each query
is cut at ``--rdflib-timeout`` seconds and reported as a timeout), ``pyoxigraph`` (the in-process floor).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

import engines  # noqa: E402  (bench/engines.py)

QUERIES = BENCH / "queries"
RESULTS = BENCH / "results"
ALL_SYSTEMS = ["pyoxigraph-memory", "pyoxigraph", "helsegraf", "oxigraph", "virtuoso", "helsegraf-virtuoso", "rdflib-endpoint"]
RDFLIB_VENV = BENCH / ".venv-rdflib-endpoint"
JSON_RESULTS = "application/sparql-results+json"


# ------------------------------------------------------------------------------------------------- queries


def load_queries(include_export: bool = True) -> list[dict]:
    """The mix: ``bench/queries/*.rq`` and the competency questions listed in ``bench/queries/cq.txt``.

    Each query is ``{"name", "text", "class"}`` with class ``selective``, ``analytic`` or ``export``.
    """
    queries = []
    for line in (QUERIES / "cq.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, stem = line.split()
            queries.append({"name": stem[:5], "text": (ROOT / "queries/cq" / f"{stem}.rq").read_text("utf-8"),
                            "class": kind})
    for path in sorted(QUERIES.glob("*.rq")):
        kind = {"sel": "selective", "ana": "analytic", "export": "export"}[path.name.split("-")[0]]
        if kind == "export" and not include_export:
            continue
        queries.append({"name": "-".join(path.stem.split("-")[:2]), "text": path.read_text("utf-8"),
                        "class": kind})
    return queries


# ------------------------------------------------------------------------------------------------- memory


class MemorySampler:
    """Samples the resident memory of a process and all its descendants, keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.root = psutil.Process(pid)
        self.interval, self.peak, self.last = interval, 0, 0
        #: Peak of the summed PSS (proportional set size): pages shared copy-on-write by forked query workers
        #: count once in all, not once per process as in the RSS sum (which over-counts them).
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        total = 0
        try:
            for proc in [self.root, *self.root.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        return total

    def pss(self) -> int:
        total = 0
        try:
            for proc in [self.root, *self.root.children(recursive=True)]:
                try:
                    total += proc.memory_full_info().pss
                except (psutil.Error, AttributeError):
                    pass
        except psutil.Error:
            pass
        return total

    def _run(self):
        samples = 0
        while not self._stop.is_set():
            self.last = self.rss()
            self.peak = max(self.peak, self.last)
            if samples % 5 == 0:  # reading smaps costs milliseconds per process: one sample in five
                self.peak_pss = max(self.peak_pss, self.pss())
            samples += 1
            self._stop.wait(self.interval)

    def window(self) -> _Window:
        return _Window(self)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class _Window:
    """Peak memory over a stretch of time (e.g. the CSV export), from its own sampler."""

    def __init__(self, sampler: MemorySampler):
        self.inner = MemorySampler(sampler.root.pid, interval=0.1)

    def __enter__(self):
        self.before = self.inner.rss()
        self.inner.__enter__()
        return self

    def __exit__(self, *exc):
        self.inner.__exit__()
        self.peak = self.inner.peak


# ------------------------------------------------------------------------------------------------- clients


class HttpSystem:
    """A SPARQL endpoint to measure: ``url``, ``pid`` (the server process), ``timeout`` per query."""

    def __init__(self, name: str, url: str, pid: int, timeout: float, stop, restart=None):
        self.name, self.url, self.pid, self.timeout, self.stop = name, url, pid, timeout, stop
        # A server that cannot cancel a query (rdflib-endpoint) keeps computing after the client gave up; it is
        # restarted after a timeout so that the next query does not queue behind the abandoned one.
        self.restart = restart

    def run(self, session: requests.Session, text: str, accept: str = JSON_RESULTS) -> tuple[float, int | None]:
        """Run one query; return (seconds, rows) — rows is None on a timeout or an error."""
        started = time.perf_counter()
        try:
            with session.post(self.url, data={"query": text}, headers={"Accept": accept}, stream=True,
                              timeout=self.timeout) as response:
                if response.status_code != 200:
                    return time.perf_counter() - started, None
                body = b"".join(response.iter_content(1 << 16))
        except requests.RequestException:
            return time.perf_counter() - started, None
        elapsed = time.perf_counter() - started
        if accept == JSON_RESULTS:
            data = json.loads(body)
            rows = len(data["results"]["bindings"]) if "results" in data else 1
        else:
            rows = body.count(b"\n") - 1
        return elapsed, rows


def latency(system: HttpSystem, queries: list[dict], reps: int) -> dict:
    """Warm up once, then ``reps`` sequential runs per query: median, p95, rows (or timeout/error)."""
    out = {}
    session = requests.Session()
    for query in queries:
        if query["class"] == "export":
            continue
        seconds, rows = system.run(session, query["text"])
        if rows is None:
            out[query["name"]] = {"failed": "timeout" if seconds >= system.timeout * 0.95 else "error",
                                  "seconds": seconds}
            if system.restart:
                system.restart()
            print(f"  {system.name} {query['name']}: {out[query['name']]['failed']} after {seconds:.1f} s",
                  flush=True)
            continue
        times = []
        for _ in range(reps):
            seconds, again = system.run(session, query["text"])
            times.append(seconds)
        out[query["name"]] = {"median": statistics.median(times), "p95": percentile(times, 95), "rows": rows}
        print(f"  {system.name} {query['name']}: median {out[query['name']]['median'] * 1000:.1f} ms, "
              f"{rows} rows", flush=True)
    return out


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    """
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def throughput(system: HttpSystem, queries: list[dict], clients: int, duration: float) -> dict:
    """``clients`` threads each run the mix in a loop (each from its own starting point) for ``duration`` s."""
    stop_at = time.perf_counter() + duration
    done, failed = [0] * clients, [0] * clients

    def client(index: int):
        session = requests.Session()
        i = index
        while time.perf_counter() < stop_at:
            _, rows = system.run(session, queries[i % len(queries)]["text"])
            if rows is None:
                failed[index] += 1
            else:
                done[index] += 1
            i += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started  # includes the queries still running at the deadline
    return {"qps": sum(done) / elapsed, "done": sum(done), "failed": sum(failed), "seconds": elapsed}


def export(system: HttpSystem, sampler: MemorySampler, query: dict) -> dict:
    """Stream the export query as CSV; the server's memory before and at its peak during the export."""
    with sampler.window() as window:
        seconds, rows = system.run(requests.Session(), query["text"], accept="text/csv")
    return {"seconds": seconds, "rows": rows, "rss_before": window.before, "rss_peak": window.peak}


def measure_http(system: HttpSystem, queries: list[dict], args) -> dict:
    mix = [q for q in queries if q["class"] != "export"]
    selective = [q for q in queries if q["class"] == "selective"]
    result: dict = {}
    with MemorySampler(system.pid) as sampler:
        system.sampler = sampler
        result["rss_idle"] = sampler.rss()
        result["latency"] = latency(system, queries, args.reps)
        # Queries that failed (e.g. timed out) stay out of the throughput mixes, which would otherwise measure
        # the time limit; the report lists them.
        ok = {name for name, r in result["latency"].items() if "failed" not in r}
        result["throughput"] = {}
        for clients in args.clients:
            if not ok:
                break
            result["throughput"][f"full-{clients}"] = throughput(
                system, [q for q in mix if q["name"] in ok], clients, args.duration)
            chosen = [q for q in selective if q["name"] in ok]
            result["throughput"][f"selective-{clients}"] = throughput(system, chosen, clients, args.duration) \
                if chosen else {"qps": 0.0, "done": 0, "failed": 0, "seconds": 0}
            print(f"  {system.name} c={clients}: full {result['throughput'][f'full-{clients}']['qps']:.1f} q/s, "
                  f"selective {result['throughput'][f'selective-{clients}']['qps']:.1f} q/s", flush=True)
        for query in queries:
            if query["class"] == "export" and not args.no_export:
                result["export"] = export(system, sampler, query)
                print(f"  {system.name} export: {result['export']}", flush=True)
    result["rss_peak"] = sampler.peak
    result["pss_peak"] = sampler.peak_pss
    return result


# ------------------------------------------------------------------------------------------------- data


def prepare(args, work: Path) -> dict:
    """Generate the graph, load it into helsegraf's store (timed), add the entailments, dump the dataset."""
    info: dict = {}
    data = work / f"graph-{args.scale}-seed{args.seed}.nq"
    if not data.exists():
        started = time.perf_counter()
        extra = ["--municipalities", str(args.municipalities)] if args.municipalities else []
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--triples", args.scale, "--seed",
                        str(args.seed), "-o", str(data), *extra], check=True)
        info["generate_seconds"] = time.perf_counter() - started
    info["data_file"], info["data_bytes"] = str(data), data.stat().st_size
    store = work / "helsegraf-store"
    dump = work / "dataset.nq"
    if store.exists() and dump.exists() and (work / "prepare.json").exists():
        return json.loads((work / "prepare.json").read_text())
    load_only = getattr(args, "load_only", False)
    # A store left by `--load-only` (load.json beside it) goes on with the entailments: at 10M the two timed
    # loads take about ten minutes.
    mode = "load-only" if load_only else "all"
    if not load_only and store.exists() and (work / "load.json").exists():
        mode = "resume"
        info.update(json.loads((work / "load.json").read_text()))
    else:
        shutil.rmtree(store, ignore_errors=True)
    # In a child process, so that the store's lock is released before `helsegraf serve` opens it.
    if getattr(args, "no_entailments", False) and not load_only:
        mode += "-no-entailments"
    output = subprocess.run([sys.executable, str(Path(__file__)), "_prepare", str(store), str(data), str(dump),
                             str(args.materialise_limit), "0" if args.no_bundled else "1", mode],
                            check=True, capture_output=True, text=True)
    sys.stderr.write(output.stderr)
    info.update(json.loads(output.stdout.strip().splitlines()[-1]))
    if load_only:
        (work / "load.json").write_text(json.dumps(info, indent=1))
    else:  # a store without its entailments and dump is no prepared work directory
        (work / "prepare.json").write_text(json.dumps(info, indent=1))
    return info


def _prepare_child(store_dir: str, data: str, dump: str, materialise_limit: float, bundled: bool = True,
                   mode: str = "all") -> None:
    """Child side of :func:`prepare`; prints one JSON line. ``mode`` ``load-only``: stop after the two timed
    loads (the 10M load rate: the entailments alone would take most of an hour there); ``resume``: skip them,
    the store at ``store_dir`` holds the loaded data; a ``-no-entailments`` suffix: dump without computing the
    entailments (at 10M their one transaction does not fit in 23.5 GiB)."""
    import resource
    import tempfile

    import pyoxigraph as ox

    from helsegraf.config import PROJECT_ROOT
    from helsegraf.loader import load_bundled, load_files
    from helsegraf.store.embedded import EmbeddedStore

    info: dict = {}
    data_path = Path(data)
    store = EmbeddedStore(store_dir)
    entail = not mode.endswith("-no-entailments")
    mode = mode.removesuffix("-no-entailments")
    if mode == "resume":
        _entail_and_dump(store, dump, materialise_limit, data, info, entail)
        return
    info["triples"] = sum(1 for _ in data_path.open("rb"))
    if bundled:
        load_bundled(store, Path(PROJECT_ROOT), progress=False)
    info["bundled_quads"] = store.count()
    # The file as `helsegraf load --store DIR FILE` loads it (load_files; bulk_load for files >= 20 MB).
    started = time.perf_counter()
    load_files(store, [data_path], data_path.parent, progress=False)
    info["helsegraf_load_seconds"] = time.perf_counter() - started
    # pyoxigraph's own bulk load of the same file into an empty on-disk store: the rate to compare with.
    with tempfile.TemporaryDirectory(dir=Path(store_dir).parent) as tmp:
        bare = ox.Store(tmp)
        started = time.perf_counter()
        bare.bulk_load(path=data, format=ox.RdfFormat.N_QUADS)
        info["pyoxigraph_bulk_load_seconds"] = time.perf_counter() - started
        del bare
    if mode == "load-only":
        info["quads"] = store.count()
        info["load_peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
        info["store_bytes"] = sum(f.stat().st_size for f in Path(store_dir).rglob("*") if f.is_file())
        store.close()
        print(json.dumps(info))
        return
    _entail_and_dump(store, dump, materialise_limit, data, info, entail)


def _entail_and_dump(store, dump: str, materialise_limit: float, data: str, info: dict, entail: bool) -> None:
    """The RDFS entailments into ``store``, then the whole dataset dumped once; prints ``info`` as one line."""
    from helsegraf.inference import materialise
    from helsegraf.namespaces import DEFAULT_BASE

    if entail:
        info["materialise"] = _time_materialise(data, materialise_limit)
        started = time.perf_counter()
        info["entailments"] = materialise(store, DEFAULT_BASE)
        info["entailment_seconds"] = time.perf_counter() - started
    else:
        info["entailments"] = "not computed (--no-entailments)"
    started = time.perf_counter()
    with open(dump, "wb") as out:
        store.dump(out, "nquads")
    info["dump_seconds"] = time.perf_counter() - started
    info["dataset_quads"] = store.count()
    store.close()
    print(json.dumps(info))


def _time_materialise(data: str, limit: float) -> dict:
    """Time helsegraf.inference.materialise over bundled data + the file, in a child, cut at ``limit`` s."""
    if limit <= 0:
        return {"skipped": True}
    code = ("import sys,time,tempfile;from pathlib import Path;"
            "from helsegraf.store.embedded import EmbeddedStore;from helsegraf.loader import load_bundled,load_files;"
            "from helsegraf.inference import materialise;from helsegraf.config import PROJECT_ROOT;"
            "s=EmbeddedStore(tempfile.mkdtemp());load_bundled(s,Path(PROJECT_ROOT),progress=False);"
            "p=Path(sys.argv[1]);load_files(s,[p],p.parent,progress=False);"
            "t=time.perf_counter();materialise(s,'https://w3id.org/helsegraf/');print(time.perf_counter()-t)")
    try:
        out = subprocess.run([sys.executable, "-c", code, data], capture_output=True, text=True, timeout=limit)
        return {"seconds": float(out.stdout.strip().splitlines()[-1])}
    except subprocess.TimeoutExpired:
        return {"timeout": limit}
    except (ValueError, IndexError):
        return {"error": out.stderr[-500:]}


# ------------------------------------------------------------------------------------------------- systems


def floor(store_dir: Path, queries: list[dict], reps: int, dump: Path | None = None) -> dict:
    """In-process pyoxigraph: evaluation and JSON serialisation in one process, union default graph.

    With ``dump`` the floor is the in-memory engine (``Store()`` bulk-loaded from the N-Quads dump, the issue 11
    floor); without, the on-disk store at ``store_dir``."""
    code = r"""
import io, json, statistics, sys, time
import pyoxigraph as ox
if sys.argv[3]:
    store = ox.Store()
    store.bulk_load(path=sys.argv[3], format=ox.RdfFormat.N_QUADS)
else:
    store = ox.Store(sys.argv[1])
# A store in helsegraf's union mode holds the merge in its default graph: query that, as helsegraf does.
import os
union = not os.path.exists(os.path.join(sys.argv[1], "HELSEGRAF-UNION-DEFAULT-GRAPH")) or bool(sys.argv[3])
out = {}
for name, text in json.loads(sys.stdin.read()):
    def once():
        started = time.perf_counter()
        buffer = io.BytesIO()
        store.query(text, use_default_graph_as_union=union).serialize(buffer, ox.QueryResultsFormat.JSON)
        return time.perf_counter() - started, buffer.getvalue()
    _, body = once()
    times = [once()[0] for _ in range(int(sys.argv[2]))]
    data = json.loads(body)
    out[name] = {"median": statistics.median(times), "p95": sorted(times)[-1 - len(times) // 20],
                 "rows": len(data["results"]["bindings"]) if "results" in data else 1}
print(json.dumps(out))
"""
    payload = json.dumps([[q["name"], q["text"]] for q in queries if q["class"] != "export"])
    output = subprocess.run([sys.executable, "-c", code, str(store_dir), str(reps), str(dump or "")], input=payload,
                            capture_output=True, text=True, check=True)
    return {"latency": json.loads(output.stdout)}


def _wait_http(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"{url} did not answer within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def start_helsegraf(work: Path, *extra: str, env: dict | None = None, timeout: float = 600):
    """``helsegraf serve`` on a free port; returns (query URL, pid, stop)."""
    port = engines.free_port()
    log = work / f"helsegraf-{port}.log"
    environment = {**os.environ, "HELSEGRAF_MAX_RESULT_ROWS": "0",
                   "HELSEGRAF_QUERY_TIMEOUT": os.environ.get("HELSEGRAF_QUERY_TIMEOUT", "600"), **(env or {})}
    command = [str(Path(sys.executable).with_name("helsegraf")), "serve", "--port", str(port),
               "--no-bundled-data", *extra]
    with log.open("wb") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=environment)
    url = f"http://127.0.0.1:{port}/sparql"
    _wait_http(url, process, timeout, log)
    # On an on-disk store the server answers from a checkpoint while it makes the in-memory copy: measure the
    # copy (or the store itself, when the copy does not fit), not the warm-up.
    deadline = time.monotonic() + 3600  # at 10M the copy takes about ten minutes
    while requests.get(url.replace("/sparql", "/readyz"), timeout=60).json().get("copy") == "warming up":
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError(f"helsegraf did not finish its warm-up; see {log}")
        time.sleep(0.5)

    def stop():
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return url, process.pid, stop


def load_virtuoso(engine, dump: Path) -> float:
    """Bulk-load the dump with Virtuoso's own loader (ld_dir + rdf_loader_run); return seconds."""
    target = engine.workdir / "db" / "dataset.nq"
    if not target.exists():
        os.link(dump, target) if dump.stat().st_dev == target.parent.stat().st_dev else shutil.copy(dump, target)
    script = (f"ld_dir('{target.parent}', 'dataset.nq', 'urn:helsegraf:bench:default'); "
              "rdf_loader_run(); checkpoint;")
    started = time.perf_counter()
    subprocess.run(["isql-vt", str(engine.sql_port), engines.VIRTUOSO_USER, engines.VIRTUOSO_PASSWORD,
                    f"exec={script}"], check=True, capture_output=True, timeout=7200)
    return time.perf_counter() - started


def run_systems(args, work: Path, info: dict, queries: list[dict], save=lambda results: None) -> dict:
    """Measure each system in turn; a system that fails is recorded with its error and the run goes on.
    ``save`` is called after each system, so that a later failure loses nothing."""
    results: dict = {}
    store, dump = work / "helsegraf-store", work / "dataset.nq"
    quads = info["dataset_quads"]

    def guarded(name, measure):
        if name not in args.systems:
            return
        print(name, flush=True)
        try:
            results[name] = measure()
        except Exception as error:  # noqa: BLE001 - one failing system must not lose the others' numbers
            results[name] = {"error": f"{type(error).__name__}: {str(error)[:1500]}"}
            print(f"  {name} failed: {results[name]['error'][:300]}", flush=True)
        save(results)

    def helsegraf():
        url, pid, stop = start_helsegraf(work, "--store", str(store))
        try:
            return measure_http(HttpSystem("helsegraf", url, pid, 600, stop), queries, args)
        finally:
            stop()

    def oxigraph():
        ox_dir = work / "oxigraph"
        shutil.rmtree(ox_dir, ignore_errors=True)
        (ox_dir / "data").mkdir(parents=True)
        started = time.perf_counter()
        subprocess.run([engines.oxigraph_command(), "load", "--location", str(ox_dir / "data"), "--file", str(dump)],
                       check=True, capture_output=True)
        load_seconds = time.perf_counter() - started
        engine = engines.OxigraphServer(ox_dir, union_default_graph=True).start()
        try:
            result = measure_http(HttpSystem("oxigraph", engine.query_url, engine.pid(), 600, engine.stop),
                                  queries, args)
            result["load_rate"] = quads / load_seconds
            return result
        finally:
            engine.stop()

    guarded("pyoxigraph-memory", lambda: floor(store, queries, args.reps, dump))
    guarded("pyoxigraph", lambda: floor(store, queries, args.reps))
    guarded("helsegraf", helsegraf)
    guarded("oxigraph", oxigraph)
    if {"virtuoso", "helsegraf-virtuoso"} & set(args.systems):
        v_dir = work / "virtuoso"
        shutil.rmtree(v_dir, ignore_errors=True)
        engine = engines.VirtuosoServer(v_dir, buffers=args.virtuoso_buffers).start()
        try:
            print("virtuoso: loading", flush=True)
            load_seconds = load_virtuoso(engine, dump)

            def virtuoso():
                result = measure_http(HttpSystem("virtuoso", engine.query_url, engine.pid(), 600, engine.stop),
                                      queries, args)
                result["load_rate"] = quads / load_seconds
                return result

            def helsegraf_virtuoso():
                url, pid, stop = start_helsegraf(work, "--store-url", engine.query_url, timeout=120, env={
                    "HELSEGRAF_STORE_ENGINE": "virtuoso", "HELSEGRAF_STORE_USER": engines.VIRTUOSO_USER,
                    "HELSEGRAF_STORE_PASSWORD": engines.VIRTUOSO_PASSWORD})
                try:
                    # helsegraf's own processes only; the engine's memory is in the Virtuoso row.
                    return measure_http(HttpSystem("helsegraf-virtuoso", url, pid, 600, stop), queries, args)
                finally:
                    stop()

            guarded("virtuoso", virtuoso)
            guarded("helsegraf-virtuoso", helsegraf_virtuoso)
        finally:
            engine.stop()

    def rdflib_endpoint():
        program = RDFLIB_VENV / "bin" / "rdflib-endpoint"
        if not program.exists():
            raise FileNotFoundError(f"{program} (python -m venv {RDFLIB_VENV} && "
                                    f"{RDFLIB_VENV}/bin/pip install rdflib-endpoint)")
        log = work / "rdflib-endpoint.log"
        state: dict = {}

        def start() -> float:
            port = engines.free_port()
            started = time.perf_counter()
            with log.open("ab") as handle:
                state["process"] = subprocess.Popen(
                    [str(program), "serve", "--host", "127.0.0.1", "--port", str(port), str(dump)],
                    stdout=handle, stderr=subprocess.STDOUT)
            state["url"] = f"http://127.0.0.1:{port}/"
            _wait_http(state["url"], state["process"], 3600, log)
            return time.perf_counter() - started

        def stop():
            # SIGKILL: on SIGTERM uvicorn waits for the abandoned query to finish, which is what we stop it for.
            process = state.get("process")
            if process and process.poll() is None:
                process.kill()
                process.wait()

        load_seconds = start()
        system = HttpSystem("rdflib-endpoint", state["url"], state["process"].pid, args.rdflib_timeout, stop)

        def restart():
            stop()
            start()
            system.url, system.pid = state["url"], state["process"].pid
            if getattr(system, "sampler", None):  # keep the peak, follow the new process
                system.sampler.root = psutil.Process(system.pid)

        system.restart = restart
        try:
            result = measure_http(system, queries, args)
            result["load_rate"] = quads / load_seconds
            return result
        finally:
            stop()

    guarded("rdflib-endpoint", rdflib_endpoint)
    return results


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import importlib.metadata as md

    versions = {p: md.version(p) for p in ("pyoxigraph", "oxigraph", "rdflib", "waitress", "requests")
                if _has(p)}
    try:
        versions["virtuoso"] = subprocess.run(["virtuoso-t", "-?"], capture_output=True, text=True).stderr \
            .split("Version ")[1].split()[0]
    except (OSError, IndexError):
        pass
    try:
        versions["rdflib-endpoint"] = subprocess.run(
            [str(RDFLIB_VENV / "bin/python"), "-c", "import importlib.metadata as m;print(m.version('rdflib-endpoint'))"],
            capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1), "cpu": cpu,
            "python": platform.python_version(), "kernel": platform.release(), "versions": versions,
            "load_average_at_start": os.getloadavg()}


def _has(package: str) -> bool:
    import importlib.metadata as md

    try:
        md.version(package)
        return True
    except md.PackageNotFoundError:
        return False


def cmd_measure(args) -> int:
    work = Path(args.work) / args.scale
    work.mkdir(parents=True, exist_ok=True)
    queries = [q for q in load_queries() if q["class"] in args.classes and q["name"] not in args.skip]
    started = time.time()
    info = prepare(args, work)
    print(f"prepared: {json.dumps(info)}", flush=True)
    if args.load_only:
        out = Path(args.output) if args.output else RESULTS / f"{args.scale}-load.json"
        out.write_text(json.dumps({"scale": args.scale, "seed": args.seed, "machine": machine(),
                                   "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
                                   "load": info}, indent=1))
        print(f"wrote {out}", flush=True)
        return 0
    out = Path(args.output) if args.output else RESULTS / f"{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(out.read_text()) if out.exists() and args.merge else None
    record: dict = {}

    def save(results: dict) -> None:
        nonlocal record
        record = {"scale": args.scale, "seed": args.seed,
                  "started": time.strftime("%Y-%m-%d %H:%M", time.localtime(started)),
                  "minutes": round((time.time() - started) / 60, 1), "machine": machine(), "prepare": info,
                  "settings": {"reps": args.reps, "duration": args.duration, "clients": args.clients,
                               "rdflib_timeout": args.rdflib_timeout, "virtuoso_buffers": args.virtuoso_buffers},
                  "queries": {q["name"]: q["class"] for q in queries}, "systems": dict(results)}
        if previous is not None:  # add systems measured in a separate run of the same scale
            merged = json.loads(json.dumps(previous))
            merged["systems"].update(results)
            merged.setdefault("later_runs", []).append(
                {k: record[k] for k in ("started", "minutes", "machine", "settings")} | {"systems": sorted(results)})
            record = merged
        out.write_text(json.dumps(record, indent=1))

    save(run_systems(args, work, info, queries, save))
    print(f"wrote {out}", flush=True)
    if args.table:
        from report import markdown_tables

        print(markdown_tables(record))
    return 0


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        _prepare_child(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), sys.argv[6] == "1",
                       sys.argv[7])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure", help="measure one scale")
    m.add_argument("--scale", default="100k", help="graph size for bench/generate.py (100k, 1M, 10M, or a number)")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--systems", nargs="+", default=ALL_SYSTEMS, choices=ALL_SYSTEMS)
    m.add_argument("--reps", type=int, default=7, help="timed runs per query after one warm-up")
    m.add_argument("--duration", type=float, default=10.0, help="seconds per throughput measurement")
    m.add_argument("--clients", nargs="+", type=int, default=[1, 4, 16])
    m.add_argument("--rdflib-timeout", type=float, default=60.0, help="per-query limit for rdflib-endpoint")
    m.add_argument("--virtuoso-buffers", type=int, default=100_000, help="Virtuoso NumberOfBuffers (8 KiB each)")
    m.add_argument("--materialise-limit", type=float, default=0,
                   help="also time helsegraf.inference.materialise on the data, cut after this many seconds")
    m.add_argument("--no-export", action="store_true", help="skip the CSV export")
    m.add_argument("--no-entailments", action="store_true",
                   help="serve the loaded data without computing the RDFS entailments (10M: they do not fit)")
    m.add_argument("--load-only", action="store_true",
                   help="only time helsegraf's load and pyoxigraph's bulk_load of the generated file "
                        "(writes bench/results/SCALE-load.json)")
    m.add_argument("--classes", nargs="+", default=["selective", "analytic", "export"],
                   choices=["selective", "analytic", "export"], help="which queries of the mix to run")
    m.add_argument("--skip", nargs="+", default=[], metavar="ID",
                   help="leave these queries (e.g. cq-10) out of the mix for every system, so ratios stay like for like")
    m.add_argument("--municipalities", type=int, default=None, help="only the first N municipalities (tests)")
    m.add_argument("--no-bundled", action="store_true",
                   help="leave out the bundled ontology and data (tests; the competency questions then find nothing)")
    m.add_argument("--work", default=os.environ.get("HELSEGRAF_BENCH_WORK", "/tmp/helsegraf-bench"),
                   help="work directory for data and stores (never inside the repository)")
    m.add_argument("-o", "--output", help="result file (default bench/results/SCALE.json)")
    m.add_argument("--merge", action="store_true", help="add to an existing result file of the same scale")
    m.add_argument("--table", action="store_true", help="print the Markdown tables afterwards")
    r = sub.add_parser("report", help="write docs/benchmarks.md and its chart from bench/results/*.json")
    r.add_argument("--results", nargs="*", default=None)
    args = parser.parse_args(argv)
    if args.command == "measure":
        return cmd_measure(args)
    from report import write_report

    return write_report([Path(p) for p in args.results] if args.results else sorted(RESULTS.glob("*.json")))


if __name__ == "__main__":
    sys.exit(main())
