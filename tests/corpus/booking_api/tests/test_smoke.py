import pytest

from booking import create_app


@pytest.fixture
def client(tmp_path):
    app = create_app("config.TestingConfig")
    app.config["BOOKING_CACHE_DIR"] = str(tmp_path)
    return app.test_client()


def auth(client):
    resp = client.post("/api/login", json={"user": "ada", "password": "letmein"})
    assert resp.status_code == 200
    return {"Authorization": f"Bearer {resp.get_json()['token']}"}


def test_booking(client):
    headers = auth(client)
    resp = client.post("/api/bookings", json={"room": "12B", "nights": 2}, headers=headers)
    assert resp.status_code == 201
    assert resp.get_json()["guest"] == "ada"
    assert client.post("/api/bookings", json={"room": "1"}).status_code == 401


def test_rates_and_partner_link(client):
    assert client.get("/api/rates").get_json() == {}
    resp = client.get("/api/partners/3/link", headers=auth(client))
    assert resp.status_code == 200
    assert resp.get_json()["link"].startswith("https://partners.example.com/")
