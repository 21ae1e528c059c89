import pytest

from token_service.app import app


@pytest.fixture
def client():
    app.config["TESTING"] = True
    return app.test_client()


def test_issue_and_verify(client):
    resp = client.post("/tokens", json={"user": "svc-billing", "scope": "read"})
    assert resp.status_code == 201
    token = resp.get_json()["token"]
    resp = client.post("/tokens/verify", json={"token": token})
    assert resp.status_code == 200
    assert resp.get_json()["claims"]["sub"] == "svc-billing"


def test_inspect(client):
    token = client.post("/tokens", json={"user": "svc-mail"}).get_json()["token"]
    resp = client.get("/tokens/inspect", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.get_json()["scope"] == "read"


def test_verify_rejects_garbage(client):
    assert client.post("/tokens/verify", json={"token": "not-a-token"}).status_code == 401
