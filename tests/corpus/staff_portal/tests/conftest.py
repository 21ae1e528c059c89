import pytest

from portal import create_app
from portal.extensions import db
from portal.models import User


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-for-the-suite-only-0123456789")
    app = create_app("config.TestingConfig")
    app.config["SECRET_KEY"] = "test-secret-key-for-the-suite-only-0123456789"
    with app.app_context():
        db.create_all()
        user = User(email="nurse@example.com", is_admin=True)
        user.set_password("correct horse battery staple")
        db.session.add(user)
        db.session.commit()
    yield app
    with app.app_context():
        db.drop_all()


@pytest.fixture
def client(app):
    return app.test_client()
