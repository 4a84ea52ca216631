"""One app on the bundled graph (in memory), shared by the web unit tests (loading takes under a second).

Imported by each test module (`from web_app import app, client`): a second conftest.py would shadow the
top-level one that other tests import as `conftest`."""

import pytest

from helsegraf.config import Settings
from helsegraf.web import create_app


@pytest.fixture(scope="session")
def app():
    return create_app(Settings(bundled_data=True))


@pytest.fixture
def client(app):
    return app.test_client()
