import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from app.database import get_session


def test_liveness(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_with_database(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_database_unreachable(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1 of the loopback interface, so connecting fails.
    engine = create_engine("postgresql+pg8000://nobody@127.0.0.1:1/none")

    def unreachable_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    client.app.dependency_overrides[get_session] = unreachable_session
    with caplog.at_level(logging.ERROR, logger="app.health"):
        response = client.get("/readyz")
    engine.dispose()

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "detail": "database unreachable",
    }
    assert "Readiness check failed" in caplog.text


def test_liveness_without_database(no_database_client: TestClient) -> None:
    response = no_database_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_without_database(no_database_client: TestClient) -> None:
    response = no_database_client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "detail": "database disabled"}


def test_no_engine_without_database(no_database_client: TestClient) -> None:
    assert no_database_client.app.state.database is None


def test_session_route_without_database(
    no_database_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="app.database"):
        response = no_database_client.post("/items", json={"name": "Widget"})

    assert response.status_code == 503
    assert response.json() == {
        "detail": "This service has no database (DATABASE_ENABLED is false)."
    }
    warning_records = [
        record
        for record in caplog.records
        if record.name == "app.database" and record.levelno == logging.WARNING
    ]
    assert len(warning_records) == 1
    assert "POST /items" in warning_records[0].getMessage()
