import io

import pytest

import notes


@pytest.fixture
def client():
	notes.app.config["TESTING"] = True
	notes.NOTES.clear()
	return notes.app.test_client()


def test_add_and_list(client):
	resp = client.post("/api/notes", data={"text": "buy milk"})
	assert resp.status_code == 201
	assert client.get("/api/notes").get_json() == {"notes": ["buy milk"]}
	assert client.post("/api/notes", data={"text": "  "}).status_code == 400


def test_import_yaml(client):
	data = {"file": (io.BytesIO(b"notes:\n  - one\n  - two\n"), "notes.yaml")}
	resp = client.post("/api/notes/import", data=data, content_type="multipart/form-data")
	assert resp.status_code == 200
	assert resp.get_json() == {"count": 2}


def test_prefs(client):
	resp = client.post("/api/prefs", data={"theme": "dark"})
	assert resp.status_code == 200
	assert resp.get_json() == {"theme": "dark"}
