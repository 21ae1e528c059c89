import pytest

from app import app, init_db


@pytest.fixture
def client(tmp_path):
    app.config.update(TESTING=True, DATABASE=str(tmp_path / "blog.db"))
    with app.app_context():
        init_db()
    with app.test_client() as client:
        yield client


def test_create_and_list_posts(client):
    resp = client.post("/posts", data={"title": "Hello", "body": "First post"})
    assert resp.status_code == 201
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.get_json()[0]["title"] == "Hello"
    assert client.get("/posts/1").get_json()["body"] == "First post"
    assert client.get("/posts/99").status_code == 404


def test_search_and_preview(client):
    client.post("/posts", data={"title": "Flask tips", "body": "Use blueprints"})
    resp = client.get("/search?q=Flask")
    assert [p["title"] for p in resp.get_json()] == ["Flask tips"]
    resp = client.get("/preview?name=Ada")
    assert resp.status_code == 200
    assert b"Hello Ada!" in resp.data
