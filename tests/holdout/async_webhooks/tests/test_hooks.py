import hashlib
import hmac

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from hooks import create_app


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cr3t-for-tests")
    app = create_app()
    app.testing = True
    return app.test_client()


def test_inbound_checks_signature(client):
    body = b'{"event": "ping"}'
    assert client.post("/inbound", data=body).status_code == 401
    sig = hmac.new(b"s3cr3t-for-tests", body, hashlib.sha256).hexdigest()
    resp = client.post("/inbound", data=body, headers={"X-Signature": sig})
    assert resp.get_json() == {"delivered": 0}


def test_rules(client):
    assert client.post("/rules", data="- a\n- b\n").get_json() == {"count": 2}
    assert client.post("/rules/check", data="- a\n").get_json() == {"same": True}


def _pem(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_whoami(client):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode({"sub": "ann"}, key, algorithm="RS256")
    resp = client.get("/whoami", headers={"Authorization": f"Bearer {token}"})
    assert resp.get_json() == {"sub": "ann"}
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client.application.config["JWT_PUBLIC_KEY"] = _pem(other)
    resp = client.get("/whoami/verified", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    client.application.config["JWT_PUBLIC_KEY"] = _pem(key)
    resp = client.get("/whoami/verified", headers={"Authorization": f"Bearer {token}"})
    assert resp.get_json() == {"sub": "ann"}


def test_unknown_route(client):
    assert client.get("/nope").get_json() == {"error": "Not Found"}
