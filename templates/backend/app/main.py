"""ASGI entry point: ``uvicorn app.main:app``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import health, routes
from app.database import Database, create_database
from app.logging_config import configure_logging
from app.settings import get_settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    database: Database | None = None
    if settings.database_enabled:
        database = create_database(settings)
    # While this is None, app.database.get_session returns 503 to every request
    # for a route that needs a session.
    app.state.database = database
    if database is None:
        logger.info("Application started without a database (DATABASE_ENABLED=false)")
    else:
        logger.info("Application started")
    try:
        yield
    finally:
        if database is not None:
            database.close()
        logger.info("Application stopped")


def create_app() -> FastAPI:
    """Configure logging and build the application.

    Reads the settings first, so a missing or conflicting variable stops the
    process at import time with a message that names it.
    """
    settings = get_settings()
    configure_logging(settings.log_level)
    application = FastAPI(lifespan=lifespan)
    application.include_router(health.router)
    if settings.database_enabled:
        application.include_router(health.database_readiness_router)
    else:
        application.include_router(health.no_database_readiness_router)
    application.include_router(routes.router)
    return application


app = create_app()
