"""Registry tables: client projects and the last deploy of each environment."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base

# Google Cloud limits a service account email to 30 + 1 + 30 + 23 characters,
# and a user or group email may be up to 254.
EMAIL_LENGTH = 254


class Project(Base):
    """A client repo, registered by its first deploy or by an operator."""

    __tablename__ = "projects"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    repository: Mapped[str] = mapped_column(String(500))
    environments: Mapped[list[str]] = mapped_column(JSON)
    project_type_version: Mapped[str] = mapped_column(String(64))
    # Identity that deploys each environment, by environment name.
    deployers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    registered_by: Mapped[str] = mapped_column(String(EMAIL_LENGTH))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    deployments: Mapped[list["Deployment"]] = relationship(
        back_populates="project",
        order_by="Deployment.environment",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class Deployment(Base):
    """The last deploy of one environment of a project."""

    __tablename__ = "deployments"

    project_name: Mapped[str] = mapped_column(
        ForeignKey("projects.name", ondelete="CASCADE"), primary_key=True
    )
    environment: Mapped[str] = mapped_column(String(63), primary_key=True)
    # Identity that recorded the last deploy.
    deployer: Mapped[str] = mapped_column(String(EMAIL_LENGTH))
    revision: Mapped[str] = mapped_column(String(64))
    project_type_version: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    project: Mapped[Project] = relationship(back_populates="deployments")
