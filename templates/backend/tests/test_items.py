from fastapi.testclient import TestClient


def test_create_then_read_item(client: TestClient) -> None:
    response = client.post(
        "/items", json={"name": "Widget", "description": "Blue, 3 cm"}
    )

    assert response.status_code == 201
    created = response.json()
    assert isinstance(created["id"], int)
    assert created["name"] == "Widget"
    assert created["description"] == "Blue, 3 cm"
    assert created["created_at"]

    response = client.get(f"/items/{created['id']}")

    assert response.status_code == 200
    assert response.json() == created


def test_create_item_without_description(client: TestClient) -> None:
    response = client.post("/items", json={"name": "Bolt"})

    assert response.status_code == 201
    assert response.json()["description"] is None


def test_create_item_rejects_invalid_name(client: TestClient) -> None:
    for name in ["", "x" * 201]:
        response = client.post("/items", json={"name": name})
        assert response.status_code == 422, name


def test_read_missing_item_returns_404(client: TestClient) -> None:
    # Serial ids start at 1, so id 0 never exists.
    response = client.get("/items/0")

    assert response.status_code == 404
    assert response.json() == {"detail": "Item 0 not found"}


def test_list_items_newest_first(client: TestClient) -> None:
    for name in ["first", "second", "third"]:
        assert client.post("/items", json={"name": name}).status_code == 201

    response = client.get("/items", params={"limit": 2})

    assert response.status_code == 200
    assert [item["name"] for item in response.json()] == ["third", "second"]


def test_list_items_rejects_limit_out_of_range(client: TestClient) -> None:
    for limit in [0, 101]:
        response = client.get("/items", params={"limit": limit})
        assert response.status_code == 422, limit
