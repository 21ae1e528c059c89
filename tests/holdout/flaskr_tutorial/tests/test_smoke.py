from flaskr.db import get_db


def test_hello(client):
    response = client.get("/hello")
    assert response.data == b"Hello, World!"


def test_index(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"test title" in response.data


def test_register_and_login(client, app):
    assert client.get("/auth/register").status_code == 200
    response = client.post("/auth/register", data={"username": "a", "password": "a"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    with app.app_context():
        assert get_db().execute("SELECT * FROM user WHERE username = 'a'").fetchone() is not None
    response = client.post("/auth/login", data={"username": "a", "password": "a"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_create_requires_login(client):
    response = client.post("/create", data={"title": "x", "body": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"


def test_search(client):
    response = client.get("/search?q=test")
    assert response.status_code == 200
    assert response.get_json() == [{"id": 1, "title": "test title"}]
