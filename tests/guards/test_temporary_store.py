"""``helsegraf serve`` without ``--store`` leaves nothing behind when it is stopped with SIGTERM (issue 11)."""

import requests

from harness import LiveServer


def test_sigterm_removes_the_temporary_store(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    server = LiveServer(env={"TMPDIR": str(scratch)}).start(tmp_path)
    try:
        response = requests.get(server.sparql, params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        assert response.status_code == 200 and response.json()["boolean"] is True
        assert any(scratch.iterdir()), "the temporary store is where TMPDIR says"
        assert "removed at exit" in server.log()
    finally:
        server.stop()  # SIGTERM
    assert list(scratch.iterdir()) == []
