"""Liveness and readiness endpoints for Cloud Run health checks.

``app.main.create_app`` includes ``router`` and one of the two readiness
routers, chosen by DATABASE_ENABLED when it builds the application.
"""

import logging
from typing import Literal

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from sqlalchemy import text

from app.database import SessionDep

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])
database_readiness_router = APIRouter(tags=["health"])
no_database_readiness_router = APIRouter(tags=["health"])


class HealthStatus(BaseModel):
    status: Literal["ok", "unavailable"]
    detail: str | None = None


@router.get("/healthz", response_model_exclude_none=True)
def liveness() -> HealthStatus:
    """Report that the process serves requests. Does not touch the database."""
    return HealthStatus(status="ok")


@database_readiness_router.get(
    "/readyz",
    response_model_exclude_none=True,
    responses={status.HTTP_503_SERVICE_UNAVAILABLE: {"model": HealthStatus}},
)
def readiness(response: Response, session: SessionDep) -> HealthStatus:
    """Run ``SELECT 1`` and return 503 if the database cannot be reached."""
    try:
        session.execute(text("SELECT 1"))
    except Exception:
        # Catches every exception because the Cloud SQL connector raises its own
        # errors (credentials, Admin API, TLS, timeouts), not SQLAlchemy's.
        logger.exception("Readiness check failed: database unreachable")
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthStatus(status="unavailable", detail="database unreachable")
    return HealthStatus(status="ok")


@no_database_readiness_router.get("/readyz")
def readiness_without_database() -> HealthStatus:
    """Report ready, because with DATABASE_ENABLED=false there is nothing to check."""
    return HealthStatus(status="ok", detail="database disabled")
