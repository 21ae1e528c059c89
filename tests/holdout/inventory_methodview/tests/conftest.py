import pytest

from inventory import create_app


@pytest.fixture
def app():
    app = create_app("test")
    app.config.update(SECRET_KEY="testing-only")
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth_headers(client):
    resp = client.post("/api/auth/token", json={"username": "clerk", "password": "clerk-password"})
    assert resp.status_code == 200
    return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}
