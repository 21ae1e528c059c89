import io


def login(client):
    resp = client.post("/auth/login", json={"username": "clerk", "password": "correct horse battery staple"})
    assert resp.status_code == 200
    return {"Authorization": "Bearer " + resp.get_json()["access_token"]}


def test_login_failure(client):
    assert client.post("/auth/login", json={"username": "clerk", "password": "x"}).status_code == 401


def test_items_roundtrip(client):
    headers = login(client)
    resp = client.post("/api/items", json={"name": "Bolt", "quantity": 10}, headers=headers)
    assert resp.status_code == 201
    assert client.post("/api/items", json={"name": "Bolt", "quantity": 1}, headers=headers).status_code == 409
    assert client.post("/api/items", json={"name": "", "quantity": -1}, headers=headers).status_code == 422
    resp = client.get("/api/items?prefix=Bo&limit=5", headers=headers)
    assert resp.status_code == 200
    assert [item["name"] for item in resp.get_json()] == ["Bolt"]


def test_import_yaml(client):
    headers = login(client)
    data = {"file": (io.BytesIO(b"- name: Nut\n  quantity: 3\n- name: Washer\n  quantity: 7\n"), "items.yaml")}
    resp = client.post("/api/items/import", data=data, headers=headers, content_type="multipart/form-data")
    assert resp.status_code == 201
    assert resp.get_json() == {"imported": 2}
