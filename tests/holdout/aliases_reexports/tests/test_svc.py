import pickle

import pytest

from svc import build


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("FLASK_API_KEY", "k-123")
    monkeypatch.setenv("FLASK_RATELIMIT_ENABLED", "false")
    app = build()
    app.config["TESTING"] = True
    return app.test_client()


KEY = {"X-Api-Key": "k-123"}


def test_job_validation(client):
    assert client.post("/v1/jobs", json={"name": "nightly"}).status_code == 401
    resp = client.post("/v1/jobs", json={"name": "nightly", "retries": 2}, headers=KEY)
    assert resp.status_code == 201
    assert resp.get_json()["echoed"] == "nightly"
    assert client.post("/v1/jobs", json={"name": "Bad Name!"}, headers=KEY).status_code == 422


def test_public_info(client):
    assert client.get("/v1/public/info").get_json()["service"] == "svc"
    assert client.get("/v1/partners/info").get_json() == {"partner": True}


def test_grep_and_state(client):
    assert client.post("/v1/grep", data={"pattern": "x"}, headers=KEY).status_code == 200
    resp = client.post("/v1/state", data=pickle.dumps({"b": 1, "a": 2}), headers=KEY)
    assert resp.get_json() == {"keys": ["a", "b"]}
