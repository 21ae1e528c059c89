import io

import pytest

from share import app


@pytest.fixture
def client(tmp_path):
    app.config.update(TESTING=True, UPLOAD_FOLDER=str(tmp_path))
    return app.test_client()


def test_upload_then_download(client):
    data = {"file": (io.BytesIO(b"hello share"), "hello.txt")}
    resp = client.post("/upload", data=data, content_type="multipart/form-data")
    assert resp.status_code == 201
    assert resp.get_json() == {"name": "hello.txt"}
    resp = client.get("/files/hello.txt")
    assert resp.status_code == 200
    assert resp.data == b"hello share"
    resp.close()
    resp = client.get("/download?name=hello.txt")
    assert resp.status_code == 200
    resp.close()
    assert client.get("/preview/hello.txt").get_json() == {"head": b"hello share".hex()}


def test_missing_file(client):
    assert client.get("/files/nope.txt").status_code == 404
