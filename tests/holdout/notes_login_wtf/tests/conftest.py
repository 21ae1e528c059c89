import pytest

from notes import create_app
from notes.extensions import db
from notes.models import User


@pytest.fixture
def app():
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SESSION_COOKIE_SECURE": False,
        }
    )
    with app.app_context():
        user = User(email="ann@example.com")
        user.set_password("pw")
        db.session.add(user)
        db.session.commit()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def logged_in(client):
    resp = client.post("/login", data={"email": "ann@example.com", "password": "pw"})
    assert resp.status_code == 302
    return client
