import os

import pytest

os.environ.setdefault("PORTAL_SECRET_KEY", "conftest-secret-key")
os.environ.setdefault("PORTAL_JWT_SECRET", "conftest-jwt-secret-that-is-long-enough-0123456789")

from portal import create_app  # noqa: E402


@pytest.fixture
def app():
    app = create_app("config.TestingConfig")
    app.config.update(WTF_CSRF_ENABLED=False, SECRET_KEY="conftest-secret-key")
    return app


@pytest.fixture
def client(app):
    return app.test_client()
