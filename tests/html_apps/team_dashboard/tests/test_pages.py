import pytest

from dashboard import create_app


@pytest.fixture()
def client():
    app = create_app("config.TestConfig")
    return app.test_client()


@pytest.mark.parametrize("path", ["/", "/reports", "/login"])
def test_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"<html" in response.data


def test_stats_api(client):
    stats = client.get("/api/stats").get_json()
    assert 20 <= stats["active_users"] <= 40
    assert len(stats["series"]) == 12


def test_login_and_logout(client):
    response = client.post("/login", data={"username": "ada", "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert b"ada" in client.get("/").data
    client.get("/logout")
    assert b"Sign in" in client.get("/").data


def test_wrong_password_is_refused(client):
    response = client.post("/login", data={"username": "ada", "password": "nope"})
    assert response.status_code == 200
    assert b"wrong password" in response.data
