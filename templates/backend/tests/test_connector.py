"""Cloud SQL mode of app.database, with a fake connector module.

cloud-sql-python-connector is installed only in the container image, so these
tests check the calls that app.database makes, not the connector itself.
"""

import sys
import types
from typing import Any

import pytest

from app.database import create_database
from app.settings import Settings

CONNECTOR_MODULE = "google.cloud.sql.connector"
INSTANCE = "acme-prod:europe-west1:main"
IAM_USER = "api-run@acme-prod.iam"


class ConnectAttemptedError(Exception):
    """Raised by FakeConnector.connect in place of opening a connection."""


class FakeConnector:
    def __init__(self, **kwargs: Any) -> None:
        self.init_kwargs = kwargs
        self.connect_calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.closed = False

    def connect(self, *args: Any, **kwargs: Any) -> Any:
        self.connect_calls.append((args, kwargs))
        raise ConnectAttemptedError

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def connectors(monkeypatch: pytest.MonkeyPatch) -> list[FakeConnector]:
    """Install a fake connector module and collect the connectors it creates."""
    created: list[FakeConnector] = []

    def create_connector(**kwargs: Any) -> FakeConnector:
        connector = FakeConnector(**kwargs)
        created.append(connector)
        return connector

    module = types.ModuleType(CONNECTOR_MODULE)
    module.Connector = create_connector  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, CONNECTOR_MODULE, module)
    return created


@pytest.fixture
def cloud_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INSTANCE_CONNECTION_NAME", INSTANCE)
    monkeypatch.setenv("DB_USER", IAM_USER)
    monkeypatch.setenv("DB_NAME", "app")


@pytest.mark.usefixtures("cloud_env")
def test_connector_called_with_iam_and_private_ip(
    connectors: list[FakeConnector],
) -> None:
    database = create_database(Settings())

    assert len(connectors) == 1
    connector = connectors[0]
    assert connector.init_kwargs == {"refresh_strategy": "lazy"}
    assert connector.connect_calls == []
    assert database.engine.url.drivername == "postgresql+pg8000"

    with pytest.raises(ConnectAttemptedError):
        database.engine.connect()

    assert connector.connect_calls == [
        (
            (INSTANCE, "pg8000"),
            {
                "user": IAM_USER,
                "db": "app",
                "enable_iam_auth": True,
                "ip_type": "private",
            },
        )
    ]
    database.close()


@pytest.mark.usefixtures("cloud_env")
def test_close_closes_connector(connectors: list[FakeConnector]) -> None:
    database = create_database(Settings())

    database.close()

    assert connectors[0].closed


@pytest.mark.usefixtures("cloud_env", "connectors")
def test_pool_settings_applied(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DB_POOL_SIZE", "3")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "1")
    monkeypatch.setenv("DB_POOL_TIMEOUT_SECONDS", "7.5")
    monkeypatch.setenv("DB_POOL_RECYCLE_SECONDS", "600")

    database = create_database(Settings())
    pool = database.engine.pool

    assert pool.size() == 3  # type: ignore[attr-defined]
    assert pool.timeout() == 7.5  # type: ignore[attr-defined]
    # SQLAlchemy has no public accessors for these three.
    assert pool._max_overflow == 1  # type: ignore[attr-defined]
    assert pool._recycle == 600
    assert pool._pre_ping is True
    database.close()


@pytest.mark.usefixtures("cloud_env")
def test_missing_connector_package(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes the import raise ImportError.
    monkeypatch.setitem(sys.modules, CONNECTOR_MODULE, None)

    with pytest.raises(RuntimeError, match=r"requirements-cloud\.txt"):
        create_database(Settings())


def test_database_url_mode_skips_connector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, CONNECTOR_MODULE, None)
    for name in ("INSTANCE_CONNECTION_NAME", "DB_USER", "DB_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+pg8000://user@127.0.0.1:5432/app")

    database = create_database(Settings())

    assert database.connector is None
    assert database.engine.url.drivername == "postgresql+pg8000"
    database.close()
