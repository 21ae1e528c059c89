import pytest

from app import create_app


@pytest.fixture
def client():
    app = create_app("app.config.TestingConfig")
    return app.test_client()


def login(client):
    resp = client.post("/auth/login", json={"username": "demo", "password": "correct horse battery staple"})
    assert resp.status_code == 200
    return {"Authorization": "Bearer " + resp.get_json()["access_token"]}


def test_login_rejects_bad_password(client):
    resp = client.post("/auth/login", json={"username": "demo", "password": "wrong"})
    assert resp.status_code == 401


def test_task_roundtrip(client):
    headers = login(client)
    resp = client.post("/api/tasks", json={"title": "Write docs"}, headers=headers)
    assert resp.status_code == 201
    task_id = resp.get_json()["id"]
    resp = client.get("/api/tasks?limit=10", headers=headers)
    assert resp.status_code == 200
    assert any(t["title"] == "Write docs" for t in resp.get_json())
    assert client.get(f"/api/tasks/{task_id}", headers=headers).status_code == 200


def test_tasks_require_token(client):
    assert client.get("/api/tasks").status_code == 401
