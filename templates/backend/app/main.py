"""ASGI entry point: ``uvicorn app.main:app``."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

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


# Errors that mean the database cannot be reached right now, as opposed to a
# bug in a query: the pool could not connect, a connection broke, or no
# connection was free in time.
DATABASE_UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError)


async def database_unavailable(request: Request, error: Exception) -> JSONResponse:
    """Return 503 while the database is unreachable.

    The pool checks each connection before use, so requests succeed again as
    soon as the database is back, without a restart.
    """
    logger.warning(
        "Database unavailable for %s %s: %s",
        request.method,
        request.url.path,
        type(error).__name__,
    )
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": "The database is unavailable. Try again shortly."},
        headers={"Retry-After": "5"},
    )


async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    """Log the traceback and return 500 with a JSON body that shows none of it."""
    logger.error(
        "Unhandled error for %s %s", request.method, request.url.path, exc_info=error
    )
    return JSONResponse(
        status_code=status.HTTP_500_INTERNAL_SERVER_ERROR,
        content={"detail": "Internal server error."},
    )


def create_app() -> FastAPI:
    """Configure logging and build the application.

    Reads the settings first, so a missing or conflicting variable stops the
    process at import time with a message that names it.
    """
    settings = get_settings()
    configure_logging(settings.log_level)
    application = FastAPI(lifespan=lifespan)
    for error_type in DATABASE_UNAVAILABLE_ERRORS:
        application.add_exception_handler(error_type, database_unavailable)
    application.add_exception_handler(Exception, unexpected_error)
    application.include_router(health.router)
    if settings.database_enabled:
        application.include_router(health.database_readiness_router)
    else:
        application.include_router(health.no_database_readiness_router)
    application.include_router(routes.router)
    return application


app = create_app()
