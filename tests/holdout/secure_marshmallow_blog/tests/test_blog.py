def test_create_list_get(client):
    resp = client.post("/posts", json={"title": "Hi", "body": "First post", "tags": ["intro"]})
    assert resp.status_code == 201
    post_id = resp.get_json()["id"]
    assert client.get(f"/posts/{post_id}").get_json()["title"] == "Hi"
    assert client.get("/posts?tag=intro").get_json() == [{"id": post_id, "title": "Hi"}]
    assert client.get("/posts?page=1").status_code == 200


def test_validation(client):
    assert client.post("/posts", json={"title": ""}).status_code == 422
    assert client.get("/posts?page=0").status_code == 422
    assert client.get("/posts/999").status_code == 404
