import pytest

from app import app as recipe_app


@pytest.fixture()
def client():
    recipe_app.config.update(TESTING=True)
    return recipe_app.test_client()


@pytest.mark.parametrize("path", ["/", "/recipes/1", "/recipes/new", "/about"])
def test_every_page_renders(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"Recipe Box" in response.data


def test_api_lists_recipes(client):
    response = client.get("/api/recipes")
    assert response.status_code == 200
    assert len(response.get_json()) >= 3


def test_new_recipe_is_saved(client):
    response = client.post("/recipes/new", data={"title": "Toast", "steps": "Toast the bread"})
    assert response.status_code == 302
    assert b"Toast" in client.get("/").data


def test_unknown_recipe_is_404(client):
    assert client.get("/recipes/999").status_code == 404
