import datetime as dt
import os

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

import status  # noqa: E402

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
).decode()


class HttpsClient(FlaskClient):
    """Talisman redirects plain http to https: talk https like production."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "https://localhost")
        return super().open(*args, **kwargs)


@pytest.fixture
def client(monkeypatch):
    monkeypatch.setenv("STATUS_JWT_PUBLIC_KEY", PUBLIC_PEM)
    status.app.config["TESTING"] = True
    status.app.test_client_class = HttpsClient
    return status.app.test_client()


def token():
    claims = {"sub": "oncall", "aud": "status", "exp": dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)}
    return jwt.encode(claims, KEY, algorithm="RS256")


def test_pages(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"All systems operational" in resp.data
    assert client.get("/home").status_code == 302
    resp = client.get("/docs/readme.txt")
    assert resp.status_code == 200
    resp.close()


def test_incident(client):
    headers = {"Authorization": f"Bearer {token()}"}
    resp = client.post("/incidents", json={"title": "Slow API", "severity": 2}, headers=headers)
    assert resp.status_code == 201
    assert client.post("/incidents", json={"title": "x", "severity": 9}, headers=headers).status_code == 422
    assert client.post("/incidents", json={"title": "x", "severity": 1}).status_code == 401
