import marshal

import pytest

import reports


@pytest.fixture
def client(tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "CACHE_FILE", str(tmp_path / "cache.pickle"))
    reports.app.config["TESTING"] = True
    return reports.app.test_client()


def test_report_pages(client):
    assert client.get("/report/daily").data == b"<h1>daily</h1><div>no data yet</div>"
    assert client.get("/report/daily.txt").data == b"daily\n..."
    assert client.get("/").status_code == 302


def test_preview_and_note(client):
    assert client.post("/preview", data={"template": "hi {{ user }}"}).data == b"hi admin"
    assert client.get("/note?msg=<b>").data == b"<em>&lt;b&gt;</em><em><b></em>&lt;b&gt;"


def test_redirects(client):
    assert client.get("/go?next=/report/x").headers["Location"] == "/report/x"
    assert client.get("/go?next=https://evil.example/").status_code == 400
    assert client.get("/out?to=/report/y").status_code == 302


def test_compiled(client):
    data = marshal.dumps(compile("1", "<s>", "eval"))
    assert client.post("/compiled", data=data).get_json() == {"kind": "code"}
