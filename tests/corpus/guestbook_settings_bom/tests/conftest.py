import pytest

from app import app as guestbook_app


@pytest.fixture
def app():
    guestbook_app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    yield guestbook_app


@pytest.fixture
def client(app):
    return app.test_client()
