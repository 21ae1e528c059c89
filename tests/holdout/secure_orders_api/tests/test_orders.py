def test_token_validation(client):
    assert client.post("/api/token", json={"username": ""}).status_code == 422
    assert client.post("/api/token", json={"username": "a", "admin": True}).status_code == 422


def test_order_flow(client, auth):
    resp = client.post("/api/orders", json={"sku": "A-100", "quantity": 2}, headers=auth)
    assert resp.status_code == 201
    order_id = resp.get_json()["id"]
    assert client.post("/api/orders", json={"sku": "A-100", "quantity": 0}, headers=auth).status_code == 422
    rows = client.get("/api/orders?sku=A", headers=auth).get_json()
    assert rows == [{"id": order_id, "sku": "A-100", "quantity": 2}]
    assert client.get("/api/orders?limit=1000", headers=auth).status_code == 422
    receipt = client.get(f"/api/orders/{order_id}/receipt", headers=auth)
    assert receipt.data == b"Order 1: 2 x A-100"


def test_orders_need_auth(client):
    assert client.get("/api/orders").status_code == 401


def test_version(client):
    assert client.get("/api/version").get_json()["skus"] == 2
