import pytest

from shop import create_app


@pytest.fixture
def client():
    app = create_app("testing")
    return app.test_client()


def test_health(client):
    resp = client.get("/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok"}


def test_create_and_filter_products(client):
    resp = client.post("/api/products/", json={"name": "Mug", "price_cents": 1200, "category": "kitchen"})
    assert resp.status_code == 201
    client.post("/api/products/", json={"name": "Lamp", "price_cents": 3000, "category": "living"})
    resp = client.get("/api/products/?category=kitchen")
    assert resp.status_code == 200
    assert [p["name"] for p in resp.get_json()] == ["Mug"]
    assert client.get("/api/products/2").get_json()["name"] == "Lamp"
    assert client.get("/api/products/42").status_code == 404


def test_login(client):
    resp = client.post("/auth/login", data={"username": "alice", "password": "wonderland"})
    assert resp.status_code == 302
    resp = client.post("/auth/login", data={"username": "alice", "password": "nope"})
    assert resp.status_code == 401
