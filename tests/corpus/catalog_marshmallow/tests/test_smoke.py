import pytest
from flask.testing import FlaskClient

from catalog import PRODUCTS, app


class HttpsClient(FlaskClient):
    """Talisman redirects plain http to https: talk https like production."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("base_url", "https://localhost")
        return super().open(*args, **kwargs)


@pytest.fixture
def client():
    app.config["TESTING"] = True
    app.test_client_class = HttpsClient
    del PRODUCTS[1:]
    return app.test_client()


def test_create_and_list(client):
    resp = client.post("/products", json={"name": "Kettle", "price": 40})
    assert resp.status_code == 201
    assert client.post("/products", json={"name": "", "price": -1}).status_code == 422
    names = [p["name"] for p in client.get("/products?page=1").get_json()]
    assert names == ["Teapot", "Kettle"]


def test_search_and_go(client):
    resp = client.get("/search?q=tea")
    assert resp.status_code == 200
    assert b"Teapot" in resp.data
    resp = client.get("/go")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/products")
