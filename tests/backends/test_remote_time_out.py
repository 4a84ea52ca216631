"""An engine that stops answering: the query gets 503 (the time limit), never a 200 cut short or a 500.

The engine here is a real HTTP server on 127.0.0.1 that answers like a SPARQL endpoint and then stalls, at the
two places a remote engine does: before its response begins, and in the middle of the result.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helsegraf.errors import QueryTimeout
from helsegraf.store.remote import RemoteStore

pytestmark = pytest.mark.integration

STALL = 5.0
HEAD = b'{"head":{"vars":["x"]},"results":{"bindings":['


class _StallingEngine(BaseHTTPRequestHandler):
    """Answers ASK at once (the engine probe); stalls on every other query, where ``server.stall_at`` says."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if "ASK" in body:
            self._answer(b'{"head":{},"boolean":true}')
            return
        if self.server.stall_at == "start":  # type: ignore[attr-defined]
            time.sleep(STALL)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(HEAD)
        self.wfile.flush()
        time.sleep(STALL)

    do_GET = do_POST

    def _answer(self, data: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stalling_engine():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StallingEngine)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("stall_at", ["start", "middle"])
@pytest.mark.parametrize("fmt", ["json", "csv"])  # sent through as it comes, and converted while streaming
def test_an_engine_that_stalls_is_a_time_out_before_the_response_begins(stalling_engine, stall_at, fmt):
    stalling_engine.stall_at = stall_at
    store = RemoteStore(f"http://127.0.0.1:{stalling_engine.server_port}/sparql", engine="oxigraph", timeout=1)
    began = time.monotonic()
    with pytest.raises(QueryTimeout, match="sent nothing for 1 s"):
        store.stream("SELECT ?x WHERE { ?x ?p ?o }", choose=lambda kind: fmt)
    assert time.monotonic() - began < STALL
    store.close()
