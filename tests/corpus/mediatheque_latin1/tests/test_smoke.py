import pytest

from app import app


@pytest.fixture
def client():
    app.config["TESTING"] = True
    return app.test_client()


def test_accueil(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert "lisez-moi.txt" in resp.get_json()["fichiers"]


def test_note_and_media(client):
    resp = client.get("/notes?fichier=lisez-moi.txt")
    assert resp.status_code == 200
    assert resp.get_json()["contenu"].startswith("Bienvenue")
    assert client.get("/notes?fichier=absent.txt").status_code == 404
    assert client.get("/media/lisez-moi.txt").status_code == 200
