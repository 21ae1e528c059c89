def test_index(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert resp.get_json() == {"service": "portal"}


def test_profile_validation_and_token(client):
    resp = client.put("/profile/7", json={"display_name": "Grace", "timezone": "Europe/Paris"})
    assert resp.status_code == 200
    assert resp.get_json()["display_name"] == "Grace"
    assert client.put("/profile/7", json={"display_name": ""}).status_code == 422
    resp = client.post("/profile/7/token")
    assert resp.status_code == 200
    assert resp.get_json()["token"]


def test_feedback(client):
    resp = client.post("/feedback", data={"text": "Nice portal"})
    assert resp.status_code == 201
