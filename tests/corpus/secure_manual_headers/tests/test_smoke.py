import io

import pytest

from bookmarks import create_app
from bookmarks.views import BOOKMARKS


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-secret")
    BOOKMARKS.clear()
    app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    return app.test_client()


def test_add_and_list(client):
    resp = client.post("/bookmarks", json={"url": "https://flask.palletsprojects.com", "title": "Flask"})
    assert resp.status_code == 201
    assert client.post("/bookmarks", json={"url": "javascript:alert(1)", "title": "x"}).status_code == 422
    resp = client.get("/bookmarks")
    assert resp.status_code == 200
    assert [b["title"] for b in resp.get_json()] == ["Flask"]


def test_import(client):
    doc = b"- url: https://example.com\n  title: Example\n  tags: [demo]\n"
    data = {"file": (io.BytesIO(doc), "bookmarks.yaml")}
    resp = client.post("/bookmarks/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 201
    assert resp.get_json() == {"imported": 1}
