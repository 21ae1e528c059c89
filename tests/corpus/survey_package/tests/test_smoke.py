import pytest

from survey import app
from survey.views import ANSWERS


@pytest.fixture
def client():
    app.config["TESTING"] = True
    app.config["WTF_CSRF_ENABLED"] = False
    ANSWERS.clear()
    return app.test_client()


def test_answers_and_results(client):
    for answer in ["yes", "no", "yes"]:
        resp = client.post("/api/surveys/1/answers", data={"answer": answer})
        assert resp.status_code == 201
    resp = client.get("/api/surveys/1/results")
    assert resp.status_code == 200
    assert resp.get_json() == {"yes": 2, "no": 1}


def test_share(client):
    resp = client.post("/api/surveys/1/share", data={"email": "ada@example.com"})
    assert resp.status_code == 200
    assert resp.get_json()["shared_with"] == "ada@example.com"
