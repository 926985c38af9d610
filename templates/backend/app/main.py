"""ASGI entry point: ``uvicorn app.main:app``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import health, routes
from app.database import create_database
from app.logging_config import configure_logging
from app.settings import get_settings

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    database = create_database(get_settings())
    app.state.database = database
    logger.info("Application started")
    try:
        yield
    finally:
        database.close()
        logger.info("Application stopped")


def create_app() -> FastAPI:
    """Configure logging and build the application.

    Reads the settings first, so a missing or conflicting variable stops the
    process at import time with a message that names it.
    """
    configure_logging(get_settings().log_level)
    application = FastAPI(lifespan=lifespan)
    application.include_router(health.router)
    application.include_router(routes.router)
    return application


app = create_app()
