import app as guestbook


def test_sign_and_read(client):
    guestbook.ENTRIES.clear()
    resp = client.post("/sign", data={"name": "Ada", "message": "Lovely site"})
    assert resp.status_code == 201
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"Lovely site" in resp.data


def test_empty_guestbook(client):
    guestbook.ENTRIES.clear()
    resp = client.get("/")
    assert resp.status_code == 200
    assert b"<li>" not in resp.data
