import pytest

import app as app_module


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "DB", str(tmp_path / "users.db"))
    app_module.app.config["TESTING"] = True
    return app_module.app.test_client()


def test_home(client):
    assert b"Welcome" in client.get("/").data


def test_hello(client):
    assert client.get("/hello?name=Ada").data == b"<h1>Hello Ada!</h1>"
    assert client.get("/greet/Bob").data == b"<p>Hi Bob</p>"


def test_calc(client):
    assert client.get("/calc?expr=6*7").get_json() == {"result": 42}


def test_signup_and_list(client):
    resp = client.post("/signup", data={"name": "ada", "email": "ada@example.com"})
    assert resp.status_code == 302
    assert client.get("/users").get_json() == ["ada"]
