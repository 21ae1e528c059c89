import os

import pytest
from flask.testing import FlaskClient

os.environ.setdefault("SECRET_KEY", "test-only-secret")

import quotes  # noqa: E402


class HttpsClient(FlaskClient):
	"""Talisman forces https: talk https like production."""

	def open(self, *args, **kwargs):
		kwargs.setdefault("base_url", "https://localhost")
		return super().open(*args, **kwargs)


@pytest.fixture
def client(monkeypatch, tmp_path):
	monkeypatch.setenv("QUOTES_API_TOKEN", "test-token")
	quotes.app.config.update(TESTING=True, DATABASE=str(tmp_path / "quotes.db"))
	quotes.app.test_client_class = HttpsClient
	return quotes.app.test_client()


def test_read(client):
	assert client.get("/api/random").get_json()["quote"] in quotes.QUOTES
	assert client.get("/today").status_code == 200


def test_add_quote(client):
	headers = {"X-Api-Token": "test-token"}
	resp = client.post("/api/quotes", json={"text": "Now is better than never."}, headers=headers)
	assert resp.status_code == 201
	assert resp.get_json()["text"] == "Now is better than never."
	assert client.post("/api/quotes", json={"text": "x"}, headers=headers).status_code == 422
	assert client.post("/api/quotes", json={"text": "Errors should never pass."}).status_code == 401
