import io

import pytest

import gallery


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setenv("GALLERY_UPLOADS", str(tmp_path))
    app = gallery.create_app()
    app.config.update(TESTING=True, UPLOAD_FOLDER=str(tmp_path), THUMB_FOLDER=str(tmp_path / "thumbs"))
    (tmp_path / "thumbs").mkdir(exist_ok=True)
    return app.test_client()


def test_upload_and_fetch(client):
    data = {"photo": (io.BytesIO(b"GIF89a"), "cat.gif")}
    resp = client.post("/upload", data=data, content_type="multipart/form-data")
    assert resp.status_code == 201
    assert client.get("/photos/cat.gif").data == b"GIF89a"
    assert client.get("/download?name=cat.gif").data == b"GIF89a"
    assert client.get("/thumbs/cat.gif").data == b"GIF89a"
    assert client.get("/list").get_json() == ["cat.gif"]


def test_reject_bad_extension(client):
    data = {"photo": (io.BytesIO(b"x"), "evil.exe")}
    assert client.post("/upload", data=data, content_type="multipart/form-data").status_code == 400

