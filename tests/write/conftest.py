"""An app with writes enabled on an on-disk store (so that trial runs use checkpoints, as in production)."""

import pytest
from write_helpers import TOKEN

from helsegraf.config import Settings
from helsegraf.web import create_app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    return create_app(Settings(write_token=TOKEN, store=str(tmp_path_factory.mktemp("store") / "db")))


@pytest.fixture
def client(app):
    return app.test_client()
