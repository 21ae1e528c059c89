import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret-0123456789")

import pytest

from library import create_app
from library.config import TestingConfig


@pytest.fixture()
def client():
    app = create_app(TestingConfig)
    return app.test_client()


def test_create_and_list_books(client):
    book = {"title": "Dune", "author": "Frank Herbert"}
    created = client.post("/api/books/", json=book)
    assert created.status_code == 201
    listed = client.get("/api/books/")
    assert listed.status_code == 200
    assert listed.get_json()[0]["title"] == "Dune"


def test_invalid_book_is_rejected(client):
    response = client.post("/api/books/", json={"title": ""})
    assert response.status_code == 422
