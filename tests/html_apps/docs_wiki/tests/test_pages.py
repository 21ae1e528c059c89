import pytest

from wiki import create_app


@pytest.fixture()
def client():
    return create_app({"TESTING": True}).test_client()


@pytest.mark.parametrize(
    "path",
    ["/", "/wiki/", "/wiki/deploying", "/wiki/style", "/wiki/search", "/wiki/search?q=deploy"],
)
def test_pages_render(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"Field Notes" in response.data


def test_theme_static_is_served(client):
    assert client.get("/theme/theme.css").status_code == 200


def test_search_finds_pages(client):
    response = client.get("/wiki/search?q=deploy")
    assert b"1 result for" in response.data


def test_unknown_page_is_404(client):
    assert client.get("/wiki/nope").status_code == 404
