"""Fixtures for tests against a real PostgreSQL database, and without one.

For ``database``, ``session`` and ``client``, DATABASE_URL must point at a
database migrated with ``alembic upgrade head``. Each test runs inside a
transaction that is rolled back afterwards, so tests leave no rows behind and
do not depend on each other. ``no_database_client`` needs no database.
"""

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.database import Base, Database, create_database, get_session
from app.settings import CLOUD_SQL_VARIABLES, get_settings


@pytest.fixture(scope="session")
def database() -> Iterator[Database]:
    if not os.environ.get("DATABASE_URL"):
        pytest.fail(
            "DATABASE_URL is not set. Point it at a PostgreSQL database migrated "
            "with `alembic upgrade head`, for example "
            "DATABASE_URL=postgresql+pg8000://postgres@127.0.0.1:5432/app",
            pytrace=False,
        )
    database = create_database(get_settings())
    existing = set(inspect(database.engine).get_table_names())
    missing = sorted(set(Base.metadata.tables) - existing)
    if missing:
        database.close()
        pytest.fail(
            f"Tables {', '.join(missing)} do not exist in the DATABASE_URL "
            "database. Run `alembic upgrade head` first.",
            pytrace=False,
        )
    yield database
    database.close()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """Yield a session inside an outer transaction that is rolled back afterwards.

    With create_savepoint, ``session.commit()`` in application code releases a
    savepoint instead of committing the outer transaction.
    """
    with database.engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        ) as test_session:
            yield test_session
        transaction.rollback()


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    # Imported here because importing app.main reads the settings, which fails
    # without DATABASE_URL, and tests that need no database should still run.
    # A new application, because no_database_client may have built app.main.app
    # with DATABASE_ENABLED=false.
    from app.main import create_app

    app = create_app()
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def no_database_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """Yield a client of an application built with DATABASE_ENABLED=false."""
    monkeypatch.setenv("DATABASE_ENABLED", "false")
    for name in ("DATABASE_URL", *CLOUD_SQL_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    # get_settings caches its result, so it is cleared around the change.
    get_settings.cache_clear()
    from app.main import create_app

    try:
        with TestClient(create_app()) as test_client:
            yield test_client
    finally:
        get_settings.cache_clear()
