CREDS = {"email": "nurse@example.com", "password": "correct horse battery staple"}


def test_login_and_patients(client):
    assert client.post("/auth/login", json={"email": "nurse@example.com", "password": "x"}).status_code == 401
    assert client.get("/patients/").status_code == 302  # to the login view
    assert client.post("/auth/login", json=CREDS).status_code == 200
    resp = client.post("/patients/", json={"name": "Ada", "ward": "B2"})
    assert resp.status_code == 201
    patient_id = resp.get_json()["id"]
    assert client.post(f"/patients/{patient_id}/notes", json={"text": "stable"}).status_code == 201
    assert [p["name"] for p in client.get("/patients/").get_json()] == ["Ada"]
    assert client.delete(f"/patients/{patient_id}").status_code == 204


def test_api_with_cookie_token(client):
    assert client.get("/api/me").status_code == 401
    assert client.post("/auth/token", json=CREDS).status_code == 200
    assert client.get("/api/me").get_json() == {"id": "1"}
    assert client.post("/auth/login", json=CREDS).status_code == 200
    patient_id = client.post("/patients/", json={"name": "Bob", "ward": "A1"}).get_json()["id"]
    resp = client.post("/api/appointments", json={"patient_id": patient_id, "slot": "mon-9"})
    assert resp.status_code == 201
    appointment_id = resp.get_json()["id"]
    assert len(client.get("/api/appointments").get_json()) == 1
    assert client.delete(f"/api/appointments/{appointment_id}").status_code == 204
