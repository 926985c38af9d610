"""SQLAlchemy engine, declarative base and request-scoped sessions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.settings import Settings

if TYPE_CHECKING:
    from google.cloud.sql.connector import Connector

logger = logging.getLogger(__name__)

# Deterministic constraint names, so that Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database:
    """Engine, session factory and, on Cloud SQL, the connector they use."""

    def __init__(self, engine: Engine, connector: Connector | None = None) -> None:
        self.engine = engine
        self.connector = connector
        self.session_factory = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        """Close pooled connections, then stop the connector's background work."""
        try:
            self.engine.dispose()
            logger.info("Database connection pool closed")
        finally:
            if self.connector is not None:
                self.connector.close()
                logger.info("Cloud SQL connector closed")


def create_database(settings: Settings) -> Database:
    """Build the engine for the configured mode. No connection is opened yet.

    Raises RuntimeError if DATABASE_ENABLED is false.
    """
    if not settings.database_enabled:
        raise RuntimeError(
            "DATABASE_ENABLED is false, so there is no database to connect to. "
            "Set DATABASE_ENABLED=true and configure DATABASE_URL or the Cloud "
            "SQL variables to use a database."
        )
    pool_options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
        "pool_recycle": settings.db_pool_recycle_seconds,
        "pool_pre_ping": True,
    }
    if settings.uses_cloud_sql:
        return _create_cloud_sql_database(settings, pool_options)

    assert settings.database_url is not None  # guaranteed by Settings validation
    engine = create_engine(settings.database_url.get_secret_value(), **pool_options)
    logger.info(
        "Database engine configured for %s",
        engine.url.render_as_string(hide_password=True),
    )
    return Database(engine)


def _create_cloud_sql_database(
    settings: Settings, pool_options: dict[str, Any]
) -> Database:
    # Imported here because only the container image installs the connector
    # (requirements-cloud.txt).
    try:
        from google.cloud.sql.connector import Connector
    except ImportError as error:
        raise RuntimeError(
            "INSTANCE_CONNECTION_NAME is set but cloud-sql-python-connector is "
            "not installed. Install requirements-cloud.txt, or unset the Cloud "
            "SQL variables and set DATABASE_URL for a direct connection."
        ) from error

    instance = settings.instance_connection_name
    user = settings.db_user
    database_name = settings.db_name

    # The lazy strategy fetches connection info when a connection is opened
    # instead of refreshing it in a background task. The connector README
    # recommends it for Cloud Run, which may throttle CPU between requests.
    connector = Connector(refresh_strategy="lazy")

    def connect() -> Any:
        # IAM database authentication uses no password. The connector signs in
        # with the Application Default Credentials, so DB_USER must be the
        # database user of that principal (on Cloud Run, the service account).
        return connector.connect(
            instance,
            "pg8000",
            user=user,
            db=database_name,
            enable_iam_auth=True,
            ip_type="private",
        )

    try:
        engine = create_engine("postgresql+pg8000://", creator=connect, **pool_options)
    except Exception:
        connector.close()
        raise

    logger.info(
        "Database engine configured for Cloud SQL instance %s over private IP "
        "(IAM user %s, database %s)",
        instance,
        user,
        database_name,
    )
    return Database(engine, connector)


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session for one request and close it when the request ends.

    Closing rolls back uncommitted changes, so routes call ``session.commit()``
    explicitly. When DATABASE_ENABLED is false, raises HTTPException with
    status 503 instead. FastAPI calls a dependency once per request unless a
    ``Depends`` sets ``use_cache=False``, so that case is logged once per request.
    """
    database: Database | None = request.app.state.database
    if database is None:
        logger.warning(
            "Returning 503 for %s %s because the route needs a database session "
            "and DATABASE_ENABLED is false",
            request.method,
            request.url.path,
        )
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="This service has no database (DATABASE_ENABLED is false).",
        )
    with database.session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
