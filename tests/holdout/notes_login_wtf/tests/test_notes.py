def test_login_required(client):
    resp = client.get("/")
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


def test_bad_login(client):
    assert client.post("/login", data={"email": "ann@example.com", "password": "x"}).status_code == 401


def test_next_must_be_local(client):
    resp = client.post("/login?next=https://evil.example/", data={"email": "ann@example.com", "password": "pw"})
    assert resp.headers["Location"] == "/"


def test_notes_flow(logged_in):
    assert logged_in.post("/notes/new", data={"title": "first", "body": "x"}).status_code == 302
    resp = logged_in.post("/api/notes", json={"title": "second"})
    assert resp.status_code == 201
    note_id = resp.get_json()["id"]
    assert logged_in.get(f"/api/notes/{note_id}").get_json()["title"] == "second"
    assert logged_in.get("/notes/1/title").data == b"<h2>first</h2>"
    found = logged_in.get("/api/notes/search?q=sec").get_json()
    assert [n["title"] for n in found] == ["second"]
    assert logged_in.get("/").status_code == 200
