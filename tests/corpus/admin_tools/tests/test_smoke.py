import pytest

from admin import app


@pytest.fixture
def client():
    app.config["TESTING"] = True
    return app.test_client()


def test_calc(client):
    resp = client.post("/calc", json={"expr": "2 + 3"})
    assert resp.status_code == 200
    assert resp.get_json() == {"result": 5}


def test_banner(client):
    resp = client.get("/banner?title=Ops")
    assert resp.status_code == 200
    assert resp.data == b"<h1>Ops</h1>"
