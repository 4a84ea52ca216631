"""Shared fixtures: a real server on the bundled graph, and a factory for servers with custom flags."""

from __future__ import annotations

import pytest

from harness import LiveServer


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One server on the bundled graph, in memory, shared by the read-only integration tests."""
    server = LiveServer().start(tmp_path_factory.mktemp("live"))
    yield server
    server.stop()


@pytest.fixture
def server_factory(tmp_path):
    """Start servers with custom flags; every one is stopped after the test."""
    servers: list[LiveServer] = []

    def start(*args: str, env: dict[str, str] | None = None) -> LiveServer:
        server = LiveServer(*args, env=env).start(tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
