"""The W3C SPARQL 1.1 suites (query, update, syntax, protocol, graph store protocol) over HTTP against a live
helsegraf server, in both default-graph modes, with strict expected failures (expected_failures.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from harness import LiveServer, require

sys.path.insert(0, str(Path(__file__).parent))

import w3c_sparql  # noqa: E402
from expected_failures import EXPECTED_FAILURES  # noqa: E402

pytestmark = pytest.mark.conformance

_TOKEN = "conformance-token"


@pytest.fixture(scope="module", params=["standards", "union"])
def server(request, tmp_path_factory):
    """One empty server per mode, writes on; each test empties it first (DROP ALL)."""
    require(w3c_sparql.SUITES_DIR.is_dir(), f"the W3C suites are not at {w3c_sparql.SUITES_DIR}")
    mode = request.param
    env = {
        "HELSEGRAF_WRITE_TOKEN": _TOKEN,
        "HELSEGRAF_UNION_DEFAULT_GRAPH": "true" if mode == "union" else "false",
        # The suites test the protocol layer and the engine, not the bundled shapes.
        "HELSEGRAF_VALIDATE_ON_WRITE": "false",
        # The served path: queries in forked workers on the in-memory copy, each write applied to the durable
        # store first, then to the copy (so the suites check both halves agree).
    }
    live = LiveServer("--no-bundled-data", env=env).start(tmp_path_factory.mktemp(f"w3c-{mode}"))
    yield mode, w3c_sparql.Server(live.sparql, live.sparql, live.url + "/data", {"Authorization": f"Bearer {_TOKEN}"})
    live.stop()


@pytest.mark.parametrize("suite", w3c_sparql.SUITES)
def test_suite(server, suite):
    mode, endpoint = server
    outcomes = w3c_sparql.run_suite(suite, endpoint)
    assert len(outcomes) > 0
    expected = EXPECTED_FAILURES[mode][suite]
    failing = {iri for iri, outcome in outcomes.items() if not outcome.passed}
    unknown = set(expected) - set(outcomes)
    newly_failing = sorted(failing - set(expected))
    newly_passing = sorted(set(expected) - failing - unknown)
    passed = len(outcomes) - len(failing)
    report = [f"{suite} ({mode} mode): {passed}/{len(outcomes)} pass"]
    report += [f"newly failing: {iri} — {outcomes[iri].detail[:300]}" for iri in newly_failing]
    report += [f"newly passing (remove from expected_failures.py): {iri}" for iri in newly_passing]
    report += [f"listed but not in the suite: {iri}" for iri in sorted(unknown)]
    assert not newly_failing and not newly_passing and not unknown, "\n".join(report)
