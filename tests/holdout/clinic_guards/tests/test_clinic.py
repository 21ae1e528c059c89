import os

os.environ["CLINIC_HTTPS"] = "0"
os.environ["CLINIC_SECRET_KEY"] = "x" * 32

from clinic import app  # noqa: E402


def test_book_and_list():
    app.config["TESTING"] = True
    client = app.test_client()
    assert client.get("/health").get_json() == {"status": "ok"}
    resp = client.post("/appointments", json={"slot": "2026-01-02T10:00"})
    assert resp.status_code == 201
    assert client.get("/appointments").get_json()[-1]["slot"] == "2026-01-02T10:00"
