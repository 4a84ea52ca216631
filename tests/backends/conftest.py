"""A store fixture parametrised over the embedded store and real SPARQL engines (Oxigraph server, Virtuoso 7).

The engines are started once per session on 127.0.0.1 at free ports, each in its own temporary directory
(``bench/engines.py``). Where an engine is not installed the tests on it are skipped on a laptop and fail under
``CI=true`` (``.ci/setup.d/20-virtuoso.sh`` installs Virtuoso; Oxigraph server comes with the test extras).
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import ROOT, LiveServer, require

sys.path.insert(0, str(ROOT / "bench"))

import engines  # noqa: E402  (bench/engines.py: the launchers shared with the benchmarks)

from helsegraf.store.embedded import EmbeddedStore  # noqa: E402
from helsegraf.store.remote import RemoteStore  # noqa: E402

BACKENDS = ["embedded", "oxigraph", "virtuoso"]
_AVAILABLE = {"oxigraph": engines.oxigraph_command, "virtuoso": engines.virtuoso_command}
#: Why an engine runs: the store contract tests, or a ``helsegraf serve`` on the bundled graph.
ROLES = ("contract", "served")
_running: dict[tuple[str, str], engines.Engine] = {}


@pytest.fixture(scope="session")
def engine_factory(tmp_path_factory):
    """Start an engine on first use; all are stopped at the end of the session.

    ``get(name, role)``: the contract tests (role ``"contract"``) empty their engine before every test, so the
    served tests (role ``"served"``) get an engine of their own, loaded once with the bundled graph; the two are
    started together the first time either is asked for, so their start-up waits overlap.
    """

    def start(key: tuple[str, str]) -> engines.Engine:
        name, role = key
        return engines.start_engine(name, tmp_path_factory.mktemp(f"{name}-{role}"))

    def get(name: str, role: str = "contract") -> engines.Engine:
        require(_AVAILABLE[name]() is not None, f"{name} is not installed (see .ci/setup.d/)")
        if (name, role) not in _running:
            keys = [(name, r) for r in ROLES if (name, r) not in _running]
            with ThreadPoolExecutor(len(keys)) as pool:
                _running.update(zip(keys, pool.map(start, keys), strict=True))
        return _running[(name, role)]

    yield get
    for engine in _running.values():
        engine.stop()
    _running.clear()


def _empty(store) -> None:
    for graph in store.graphs():
        store.drop(graph)


@pytest.fixture(params=BACKENDS)
def store(request, engine_factory):
    """An empty store on each backend (the engines are emptied graph by graph, never DROP ALL, which on
    Virtuoso would also remove its system graphs)."""
    if request.param == "embedded":
        yield EmbeddedStore()
        return
    engine = engine_factory(request.param)
    remote = RemoteStore(engine.query_url, **engine.store_kwargs())
    _empty(remote)
    yield remote
    _empty(remote)
    remote.close()


def remote_env(engine: engines.Engine) -> dict[str, str]:
    """``HELSEGRAF_STORE_*`` variables that point ``helsegraf serve`` at ``engine``."""
    env = {"HELSEGRAF_STORE_URL": engine.query_url}
    kwargs = engine.store_kwargs()
    for key in ("engine", "user", "password"):
        if key in kwargs:
            env[f"HELSEGRAF_STORE_{key.upper()}"] = kwargs[key]
    return env


@pytest.fixture(scope="session", params=BACKENDS)
def backend_server(request, engine_factory, tmp_path_factory):
    """``helsegraf serve`` on the bundled graph, over each backend."""
    env = {}
    if request.param != "embedded":
        engine = engine_factory(request.param, "served")
        env = remote_env(engine)
        _empty(RemoteStore(engine.query_url, **engine.store_kwargs()))
    server = LiveServer(env=env).start(tmp_path_factory.mktemp(f"served-{request.param}"), timeout=300)
    server.backend = request.param
    yield server
    server.stop()
