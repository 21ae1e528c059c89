import os

os.environ.setdefault("TODO_SECRET_KEY", "tests-only-secret")
os.environ["TODO_FORCE_HTTPS"] = "0"

import pytest  # noqa: E402

import todo  # noqa: E402


@pytest.fixture
def client(tmp_path):
	todo.app.config.update(TESTING=True, DATABASE=str(tmp_path / "t.db"), RATELIMIT_ENABLED=False)
	return todo.app.test_client()


def test_add_and_list(client):
	assert client.post("/todos/ann", data={"title": "milk"}).status_code == 201
	assert client.get("/todos/ann").get_json() == [{"id": 1, "title": "milk"}]
	assert client.get("/todos/ann?status=done").get_json() == []


def test_prefs_round_trip(client):
	resp = client.post("/prefs/theme/dark")
	assert resp.status_code == 200
	assert client.get("/prefs").get_json() == {"theme": "dark"}
