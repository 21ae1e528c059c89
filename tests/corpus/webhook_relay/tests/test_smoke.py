import pytest
import requests

import relay


class FakeResponse:
    status_code = 202


@pytest.fixture
def client():
    relay.app.config["TESTING"] = True
    return relay.app.test_client()


def test_health(client):
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_relay_delivers(client, monkeypatch):
    calls = []

    def fake_post(url, json=None, timeout=None):
        calls.append((url, json))
        return FakeResponse()

    monkeypatch.setattr(relay.requests, "post", fake_post)
    resp = client.post("/hooks", json={"target_url": "http://billing.internal/hook", "payload": {"id": 1}})
    assert resp.status_code == 200
    assert resp.get_json() == {"status": 202}
    assert calls == [("http://billing.internal/hook", {"id": 1})]


def test_relay_failure_is_502(client, monkeypatch):
    def failing_post(url, json=None, timeout=None):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(relay.requests, "post", failing_post)
    resp = client.post("/hooks", json={"target_url": "http://down.internal/hook"})
    assert resp.status_code == 502
