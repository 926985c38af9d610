from fastapi.testclient import TestClient

from tests.conftest import ADMIN, TokenFactory

BUILD = "cloud-build-deploy@shop-staging.iam.gserviceaccount.com"
OTHER = "cloud-build-deploy@blog-prod.iam.gserviceaccount.com"
SHOP = {
    "repository": "acme/shop",
    "environments": ["staging", "prod"],
    "project_type_version": "1.0.0",
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_list_requires_token(client: TestClient) -> None:
    response = client.get("/projects")

    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_rejects_token_for_other_audience(
    client: TestClient, token: TokenFactory
) -> None:
    other = token(BUILD, audience="https://other-service.run.app")

    response = client.get("/projects", headers=bearer(other))

    assert response.status_code == 401
    assert "audience" in response.json()["detail"].lower()


def test_rejects_expired_token(client: TestClient, token: TokenFactory) -> None:
    response = client.get("/projects", headers=bearer(token(BUILD, expires_in=-60)))

    assert response.status_code == 401
    assert "expired" in response.json()["detail"].lower()


def test_create_update_and_list(client: TestClient, token: TokenFactory) -> None:
    created = client.put("/projects/shop", json=SHOP, headers=bearer(token(BUILD)))

    assert created.status_code == 201
    assert created.json()["registered_by"] == BUILD

    updated = client.put(
        "/projects/shop",
        json={**SHOP, "project_type_version": "1.1.0"},
        headers=bearer(token(BUILD)),
    )

    assert updated.status_code == 200
    assert updated.json()["project_type_version"] == "1.1.0"

    listed = client.get("/projects", headers=bearer(token(OTHER)))

    assert listed.status_code == 200
    assert [project["name"] for project in listed.json()] == ["shop"]


def test_stranger_cannot_update(client: TestClient, token: TokenFactory) -> None:
    client.put("/projects/shop", json=SHOP, headers=bearer(token(BUILD)))

    response = client.put(
        "/projects/shop",
        json={**SHOP, "repository": "evil/shop"},
        headers=bearer(token(OTHER)),
    )

    assert response.status_code == 403
    assert OTHER in response.json()["detail"]


def test_admin_can_update(client: TestClient, token: TokenFactory) -> None:
    client.put("/projects/shop", json=SHOP, headers=bearer(token(BUILD)))

    response = client.put(
        "/projects/shop",
        json={**SHOP, "project_type_version": "2.0.0"},
        headers=bearer(token(ADMIN)),
    )

    assert response.status_code == 200


def test_deploy_registers_and_records(client: TestClient, token: TokenFactory) -> None:
    response = client.put(
        "/projects/shop/deployments/staging",
        json={**SHOP, "revision": "abc123"},
        headers=bearer(token(BUILD)),
    )

    assert response.status_code == 201
    body = response.json()
    assert body["last_deploy"]["environment"] == "staging"
    assert body["last_deploy"]["revision"] == "abc123"
    assert body["last_deploy"]["deployer"] == BUILD


def test_claimed_environment_rejects_other_deployer(
    client: TestClient, token: TokenFactory
) -> None:
    deploy = {**SHOP, "revision": "abc123"}
    client.put(
        "/projects/shop/deployments/staging", json=deploy, headers=bearer(token(BUILD))
    )

    response = client.put(
        "/projects/shop/deployments/staging", json=deploy, headers=bearer(token(OTHER))
    )

    assert response.status_code == 403
