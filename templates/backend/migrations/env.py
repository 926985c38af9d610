"""Alembic environment, using the application's settings and engine.

On Cloud Run the migration job connects through the Cloud SQL connector with
IAM database authentication, like the service. It runs as a separate migrator
identity that owns the schema, while each service's identity may only read and
write rows. After an upgrade, this script grants every database role listed in
APP_DB_USERS the privileges it needs on the tables and sequences in schema
public, in the same transaction as the migrations.
"""

import logging
import os
import sys
from logging.config import fileConfig
from typing import Any

from alembic import command as alembic_command
from alembic import context
from alembic.migration import MigrationInfo
from sqlalchemy import text

import app.models  # noqa: F401  # registers the models on Base.metadata
from app.database import Base, create_database
from app.settings import get_settings

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
if context.is_offline_mode():
    # Offline mode writes the SQL script to stdout, so logs go to stderr.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)

logger = logging.getLogger("alembic.env")

target_metadata = Base.metadata


def _parse_role_names(value: str) -> list[str]:
    """Split a comma-separated list of role names.

    Strips whitespace around each name, skips empty entries and keeps only the
    first occurrence of a repeated name.
    """
    names = [name.strip() for name in value.split(",")]
    return list(dict.fromkeys(name for name in names if name))


# Database roles of the services that share this database, read from a
# comma-separated list such as "api-run@acme-prod.iam,worker-run@acme-prod.iam".
# Each role is a service account's email without ".gserviceaccount.com", and
# such names contain no commas.
APP_DB_USERS = _parse_role_names(os.environ.get("APP_DB_USERS", ""))

_applied_steps: list[MigrationInfo] = []


def _record_step(*, step: MigrationInfo, **_: Any) -> None:
    """Record each applied step. Alembic also passes ctx, heads and run_args."""
    _applied_steps.append(step)


def _is_upgrade_command() -> bool:
    """Return whether the alembic command line runs ``upgrade``.

    Always False when Alembic is called from Python, because there is no
    command line to inspect.
    """
    command_line = getattr(config.cmd_opts, "cmd", None)
    return command_line is not None and command_line[0] is alembic_command.upgrade


def _grant_app_privileges() -> None:
    """Grant each role in APP_DB_USERS row access to every table and sequence.

    Runs after upgrade steps, and after every ``alembic upgrade`` on the command
    line even when there was nothing to apply, so setting APP_DB_USERS and
    rerunning the migration job repairs missing grants. Downgrades, stamps and
    read-only commands such as ``alembic current`` change no privileges.
    ``ALL TABLES`` covers only the tables that exist now, which is why the
    grants are repeated after every upgrade.
    """
    if any(not step.is_upgrade or step.is_stamp for step in _applied_steps):
        return
    if not _applied_steps and not _is_upgrade_command():
        return
    if not APP_DB_USERS:
        logger.info(
            "APP_DB_USERS is not set or lists no roles, so no privileges were granted"
        )
        return

    for role_name in APP_DB_USERS:
        _grant_role_privileges(role_name)


def _grant_role_privileges(role_name: str) -> None:
    # quote_identifier always quotes, which keeps IAM role names with "@", "."
    # and upper case letters intact and escapes any double quote. The colon is
    # escaped because text() would read ":word" as a bind parameter.
    migration_context = context.get_context()
    preparer = migration_context.dialect.identifier_preparer
    role = preparer.quote_identifier(role_name)
    role_sql = role.replace(":", r"\:")
    version_table = preparer.quote(migration_context.version_table)
    statements = (
        f"GRANT USAGE ON SCHEMA public TO {role_sql}",
        (
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
            f"TO {role_sql}"
        ),
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_sql}",
        # ALL TABLES includes Alembic's version table, which only migrations
        # may change.
        f"REVOKE INSERT, UPDATE, DELETE ON {version_table} FROM {role_sql}",
    )
    for statement in statements:
        context.execute(text(statement))
    action = "Wrote grants for" if context.is_offline_mode() else "Granted"
    logger.info(
        "%s role %s: USAGE on schema public; SELECT, INSERT, UPDATE, DELETE "
        "on all tables in schema public except %s, which it may only read; "
        "USAGE, SELECT on all sequences in schema public",
        action,
        role,
        version_table,
    )


def run_migrations_offline() -> None:
    """Write the migration SQL to stdout (``alembic upgrade head --sql``)."""
    settings = get_settings()
    if settings.database_url is not None:
        url = settings.database_url.get_secret_value()
    else:
        # Cloud SQL mode: only the dialect matters when no connection is made.
        url = "postgresql+pg8000://"

    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        on_version_apply=_record_step,
    )
    with context.begin_transaction():
        context.run_migrations()
        _grant_app_privileges()


def run_migrations_online() -> None:
    database = create_database(get_settings())
    try:
        with database.engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                on_version_apply=_record_step,
            )
            with context.begin_transaction():
                context.run_migrations()
                _grant_app_privileges()
    finally:
        database.close()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
