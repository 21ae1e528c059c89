import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from ledger import create_app


@pytest.fixture
def client(monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    monkeypatch.setenv("LEDGER_SIGNING_KEY", pem)
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False})
    return app.test_client()


def test_entries_and_balance(client):
    resp = client.post(
        "/entries",
        json=[
            {"account": "acme-001", "amount_cents": 1500, "memo": "invoice 17"},
            {"account": "acme-001", "amount_cents": -500},
        ],
    )
    assert resp.status_code == 201
    assert "acme-001" in resp.get_json()["receipts"]
    resp = client.get("/accounts/acme-001/balance")
    assert resp.status_code == 200
    assert resp.get_json()["balance_cents"] == 1000


def test_rejects_bad_entries(client):
    assert client.post("/entries", json=[{"account": "X", "amount_cents": "1"}]).status_code == 422
    assert client.post("/entries", data="not json").status_code == 422
