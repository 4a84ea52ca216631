"""Start-up on an on-disk store: how soon each system answers, and how soon helsegraf answers from memory.

    python bench/startup.py --work /tmp/helsegraf-bench/1M [--repeat 3] [--json bench/results/1M-startup.json]

Uses what ``run.py measure`` prepared in ``--work``: ``helsegraf-store`` and ``dataset.nq`` (the same quads);
Oxigraph server's store is loaded from the dump into ``--work/oxigraph`` when it is not there yet. Side by side,
each measured ``--repeat`` times (median, seconds from the command to the first answer):

- ``helsegraf serve --store``: the first 200 to ``ASK {}`` (queries then read a checkpoint of the store, see
  ``src/helsegraf/store/replica.py``), and the moment ``/readyz`` says ``"copy": "in memory"``; ``sel-01`` is
  timed in both phases;
- Oxigraph server (``oxigraph serve --location``): the first 200 to ``ASK {}``, and ``sel-01``;
- the engine floors, in this process: pyoxigraph opening the on-disk store, and an in-memory ``Store()`` bulk
  loading the dump (what the in-memory copy has to do at least, after the dump).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))

import engines  # noqa: E402

SELECTIVE = Path(__file__).parent / "queries" / "sel-01-tjenester-under-enhet.rq"


def _timed_query(url: str, query: str) -> float:
    started = time.perf_counter()
    response = requests.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"},
                             timeout=600)
    response.raise_for_status()
    return time.perf_counter() - started


def _first_answer(url: str, process: subprocess.Popen, started: float, timeout: float = 600) -> float:
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return time.perf_counter() - started
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def helsegraf_once(store: Path, work: Path) -> dict:
    port = engines.free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("helsegraf")), "serve", "--port", str(port), "--store",
               str(store), "--no-bundled-data"]
    with (work / "startup-helsegraf.log").open("wb") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        first = _first_answer(f"{base}/sparql", process, started)
        during = _timed_query(f"{base}/sparql", SELECTIVE.read_text())
        warming = requests.get(f"{base}/readyz", timeout=60).json().get("copy") == "warming up"
        while requests.get(f"{base}/readyz", timeout=600).json().get("copy") != "in memory":
            time.sleep(0.1)
        copy = time.perf_counter() - started
        _timed_query(f"{base}/sparql", SELECTIVE.read_text())  # the copy's first worker warms up
        after = _timed_query(f"{base}/sparql", SELECTIVE.read_text())
    finally:
        process.terminate()
        process.wait(60)
    return {"first_answer": first, "copy_serves": copy, "sel01_during_warm_up": during if warming else None,
            "sel01_from_copy": after}


def oxigraph_once(work: Path, dump: Path) -> dict:
    ox_dir = work / "oxigraph"
    if not (ox_dir / "data").exists():
        (ox_dir / "data").mkdir(parents=True)
        subprocess.run([engines.oxigraph_command(), "load", "--location", str(ox_dir / "data"), "--file", str(dump)],
                       check=True, capture_output=True)
    server = engines.OxigraphServer(ox_dir, union_default_graph=True)
    started = time.perf_counter()
    server.start(timeout=600)
    first = time.perf_counter() - started
    try:
        _timed_query(server.query_url, SELECTIVE.read_text())
        sel = _timed_query(server.query_url, SELECTIVE.read_text())
    finally:
        server.stop()
    return {"first_answer": first, "sel01": sel}


def floors_once(store: Path, dump: Path) -> dict:
    import pyoxigraph as ox

    started = time.perf_counter()
    on_disk = ox.Store.read_only(str(store))
    bool(on_disk.query("ASK {}"))
    opened = time.perf_counter() - started
    del on_disk
    started = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS, lenient=True)
    loaded = time.perf_counter() - started
    return {"open_on_disk": opened, "bulk_load_in_memory": loaded}


def _medians(runs: list[dict]) -> dict:
    return {key: (statistics.median(v for r in runs if (v := r[key]) is not None)
                  if any(r[key] is not None for r in runs) else None) for key in runs[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    store, dump = args.work / "helsegraf-store", args.work / "dataset.nq"
    results = {
        "helsegraf": _medians([helsegraf_once(store, args.work) for _ in range(args.repeat)]),
        "oxigraph": _medians([oxigraph_once(args.work, dump) for _ in range(args.repeat)]),
        "floors": _medians([floors_once(store, dump) for _ in range(args.repeat)]),
        "repeat": args.repeat,
    }
    h, o, f = results["helsegraf"], results["oxigraph"], results["floors"]
    print(f"| seconds (median of {args.repeat}) | helsegraf | Oxigraph server | engine floor |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| first answer | {h['first_answer']:.2f} | {o['first_answer']:.2f} | {f['open_on_disk']:.2f} "
          "(pyoxigraph opens the store) |")
    print(f"| answers from memory | {h['copy_serves']:.1f} | – | {f['bulk_load_in_memory']:.1f} "
          "(in-memory bulk load of the dump) |")
    during = h["sel01_during_warm_up"]
    print(f"| sel-01 | {during if during is None else f'{during * 1000:.0f} ms'} during the warm-up, "
          f"{h['sel01_from_copy'] * 1000:.0f} ms from the copy | {o['sel01'] * 1000:.0f} ms | – |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
