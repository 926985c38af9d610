"""Create the projects and deployments tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-04 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("repository", sa.String(length=500), nullable=False),
        sa.Column("environments", sa.JSON(), nullable=False),
        sa.Column("project_type_version", sa.String(length=64), nullable=False),
        sa.Column("deployers", sa.JSON(), nullable=False),
        sa.Column("registered_by", sa.String(length=254), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_projects")),
    )
    op.create_table(
        "deployments",
        sa.Column("project_name", sa.String(length=63), nullable=False),
        sa.Column("environment", sa.String(length=63), nullable=False),
        sa.Column("deployer", sa.String(length=254), nullable=False),
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("project_type_version", sa.String(length=64), nullable=False),
        sa.Column(
            "deployed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["project_name"],
            ["projects.name"],
            name=op.f("fk_deployments_project_name_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "project_name", "environment", name=op.f("pk_deployments")
        ),
    )


def downgrade() -> None:
    op.drop_table("deployments")
    op.drop_table("projects")
