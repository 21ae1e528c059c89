import pytest

from authsvc import create_app, tokens


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setattr(tokens, "LEGACY_KEY", "k" * 64)
    monkeypatch.setenv("FLASK_DEBUG_TB_ENABLED", "false")
    app = create_app()
    app.config["TESTING"] = True
    return app.test_client()


def test_login_and_me(client):
    resp = client.post("/api/login", json={"user": "ann"})
    assert resp.status_code == 200
    access = resp.get_json()["access"]
    assert client.get("/api/me", headers={"Authorization": f"Bearer {access}"}).status_code == 200
    assert client.post("/api/login", json={}).status_code == 400


def test_legacy_round_trip(client):
    token = client.post("/v1/token", data={"subject": "bob"}).get_json()["token"]
    assert client.get("/v1/check", headers={"X-Token": token}).get_json()["sub"] == "bob"
    assert client.get("/v1/check", headers={"X-Token": "garbage"}).status_code == 401
