def test_health(client):
    assert client.get("/healthz").get_json() == {"ok": True}


def test_token_rejects_bad_password(client):
    resp = client.post("/api/auth/token", json={"username": "clerk", "password": "nope"})
    assert resp.status_code == 401


def test_items_need_a_token(client):
    assert client.get("/api/items").status_code == 401


def test_item_lifecycle(client, auth_headers):
    resp = client.post("/api/items", json={"name": "bolt", "quantity": 10}, headers=auth_headers)
    assert resp.status_code == 201
    item_id = resp.get_json()["id"]
    resp = client.post("/api/items", json={"name": "", "quantity": -1}, headers=auth_headers)
    assert resp.status_code == 422
    resp = client.put(f"/api/items/{item_id}", json={"name": "nut", "quantity": 3}, headers=auth_headers)
    assert resp.get_json()["name"] == "nut"
    assert client.get("/api/items?limit=5", headers=auth_headers).status_code == 200
    assert client.delete(f"/api/items/{item_id}", headers=auth_headers).status_code == 204
    assert client.get(f"/api/items/{item_id}", headers=auth_headers).status_code == 404
