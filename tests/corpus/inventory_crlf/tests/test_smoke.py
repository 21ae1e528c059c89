import base64
import pickle

import pytest

import inventory


@pytest.fixture
def client():
    inventory.app.config["TESTING"] = True
    inventory.ITEMS.clear()
    inventory.ITEMS.update({"widget": 3})
    return inventory.app.test_client()


def test_list_and_update(client):
    assert client.get("/items").get_json() == {"widget": 3}
    resp = client.put("/items/gadget", json={"quantity": 7})
    assert resp.status_code == 200
    assert client.get("/items").get_json()["gadget"] == 7


def test_snapshot_roundtrip(client):
    blob = base64.b64encode(pickle.dumps({"bolt": 100}))
    resp = client.post("/snapshot", data=blob)
    assert resp.status_code == 200
    assert resp.get_json()["bolt"] == 100
    assert client.get("/snapshot").status_code == 200
