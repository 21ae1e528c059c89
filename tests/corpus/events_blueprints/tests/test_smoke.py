import pytest

from events import create_app


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("EVENTS_SECRET_KEY", "test-secret")
    monkeypatch.setenv("EVENTS_JWT_KEY", "test-jwt-key-that-is-at-least-32-bytes-long")
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
    return app.test_client()


def test_events(client):
    token = client.post("/api/v1/token", json={"user": "ada"}).get_json()["token"]
    resp = client.post("/api/v1/events", json={"name": "EuroPython", "city": "Prague"},
                       headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 201
    names = [e["name"] for e in client.get("/api/v1/events").get_json()]
    assert "EuroPython" in names


def test_report_and_login(client):
    resp = client.get("/api/v1/reports/may")
    assert resp.status_code == 200
    assert resp.get_json()["rows"][1] == ["2024-05-01", "120"]
    resp = client.post("/login", data={"user": "ada"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/"
