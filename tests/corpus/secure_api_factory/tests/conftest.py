import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from inventory import create_app
from inventory.db import init_db


@pytest.fixture(scope="session")
def rsa_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    return private, public


@pytest.fixture
def app(monkeypatch, tmp_path, rsa_pair):
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-for-the-suite-only")
    monkeypatch.setenv("JWT_PRIVATE_KEY", rsa_pair[0])
    monkeypatch.setenv("JWT_PUBLIC_KEY", rsa_pair[1])
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com")
    app = create_app("inventory.config.TestingConfig")
    app.config["DATABASE"] = str(tmp_path / "inventory.sqlite")
    with app.app_context():
        init_db()
    return app


@pytest.fixture
def client(app):
    return app.test_client()
