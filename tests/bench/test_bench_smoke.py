"""Smoke test of the benchmark tools on a tiny graph (runs in the normal suite; a few seconds).

The generator must be deterministic, its graph must pass the project's shapes, ``--violations K`` must give
exactly K violations, and the runner must run end to end against the embedded store and write a table.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helsegraf import validation

ROOT = Path(__file__).resolve().parents[2]
GENERATE = ROOT / "bench" / "generate.py"
RUN = ROOT / "bench" / "run.py"
TINY = ["--triples", "1500", "--municipalities", "4"]


def generate(out: Path, *extra: str) -> Path:
    subprocess.run([sys.executable, str(GENERATE), *TINY, *extra, "-o", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("gen") / "tiny.trig", "--seed", "7")


def test_same_seed_same_bytes_other_seed_other_bytes(tiny, tmp_path):
    again = generate(tmp_path / "again.trig", "--seed", "7")
    other = generate(tmp_path / "other.trig", "--seed", "8")
    assert again.read_bytes() == tiny.read_bytes()
    assert other.read_bytes() != tiny.read_bytes()


def test_nquads_and_trig_hold_the_same_quads(tiny, tmp_path):
    import pyoxigraph as ox

    nq = generate(tmp_path / "tiny.nq", "--seed", "7")
    as_trig = set(ox.parse(path=str(tiny), format=ox.RdfFormat.TRIG))
    as_nq = set(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    assert as_trig == as_nq
    graphs = {q.graph_name.value for q in as_nq}
    assert len(graphs) == 4 and all("/graph/synthetic/municipality/" in g for g in graphs)
    # Every minted subject is synthetic or is a graph IRI; references to real resources are never subjects.
    subjects = {q.subject.value for q in as_nq}
    assert all("/id/synthetic/" in s or s in graphs for s in subjects)


def test_tiny_graph_passes_the_shapes(tiny):
    outcome = validation.validate(tiny)
    assert outcome.no_violations, outcome.to_text("en")  # sh:conforms is false with Warnings (issue 12)
    assert not [r for r in outcome.results if r.severity == "Violation"]


def test_violations_k_gives_exactly_k(tmp_path):
    planted = generate(tmp_path / "bad.trig", "--seed", "7", "--violations", "6")
    outcome = validation.validate(planted)
    violations = [r for r in outcome.results if r.severity == "Violation"]
    assert len(violations) == 6, outcome.to_text("en")
    # Six defects over four municipalities: the fifth and sixth are of the second kind.
    components = sorted(r.component.rsplit("#", 1)[-1] for r in violations)
    assert components.count("MinCountConstraintComponent") == 6


def test_runner_end_to_end_on_the_embedded_store(tmp_path):
    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "measure", "--scale", "1500", "--municipalities", "4", "--no-bundled",
         "--systems", "pyoxigraph", "helsegraf", "--reps", "1", "--duration", "0.3", "--clients", "1",
         "--work", str(tmp_path / "work"), "-o", str(out), "--table"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    record = json.loads(out.read_text())
    helsegraf = record["systems"]["helsegraf"]
    assert record["prepare"]["triples"] > 1000
    # Served helsegraf and in-process pyoxigraph give the same number of rows for every query of the mix.
    floor = record["systems"]["pyoxigraph"]["latency"]
    assert {n: r["rows"] for n, r in helsegraf["latency"].items()} == {n: r["rows"] for n, r in floor.items()}
    # The CSV export streams every quad of the (tiny) dataset: one line per row after the header.
    assert helsegraf["export"]["rows"] == record["prepare"]["dataset_quads"]
    assert helsegraf["throughput"]["full-1"]["done"] >= 1
    assert helsegraf["rss_peak"] > 0
    assert "| helsegraf embedded |" in done.stdout and "**Throughput**" in done.stdout


def test_load_only_times_both_loads_of_the_same_file(tmp_path):
    out = tmp_path / "load.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "measure", "--scale", "1500", "--municipalities", "4", "--no-bundled",
         "--load-only", "--work", str(tmp_path / "work"), "-o", str(out)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    load = json.loads(out.read_text())["load"]
    # helsegraf's store holds every triple of the file, and the meta graph's record of the file.
    assert load["triples"] > 1000 and load["triples"] < load["quads"] < load["triples"] + 50
    assert load["helsegraf_load_seconds"] > 0 and load["pyoxigraph_bulk_load_seconds"] > 0
    assert load["load_peak_rss"] > 0 and load["store_bytes"] > 0
    # A load-only run prepares no work directory for the query runs (no entailments, no dump).
    assert not (tmp_path / "work" / "1500" / "prepare.json").exists()
