import pytest

from reports import create_app
from reports.db import init_db


@pytest.fixture
def client(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "test.sqlite")})
    with app.app_context():
        init_db()
    return app.test_client()


def test_bulk_then_query(client):
    rows = [
        {"day": "2024-01-01", "region": "north", "amount": 10},
        {"day": "2024-01-02", "region": "north", "amount": 30},
        {"day": "2024-01-02", "region": "south", "amount": 5},
    ]
    resp = client.post("/sales/bulk", json={"rows": rows})
    assert resp.status_code == 201
    assert resp.get_json() == {"inserted": 3, "total_rows": 3}
    assert len(client.get("/sales?region=north").get_json()) == 2
    assert client.get("/sales/north/total").get_json()["total"] == 40
    top = client.get("/sales/top?limit=1").get_json()
    assert top == [{"day": "2024-01-02", "amount": 30}]
    assert len(client.get("/sales/by-day?day=2024-01-02").get_json()) == 2
