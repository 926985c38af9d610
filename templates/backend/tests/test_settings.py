import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings

DATABASE_URL = "postgresql+pg8000://user@127.0.0.1:5432/app"
CLOUD_SQL_ENV = {
    "INSTANCE_CONNECTION_NAME": "acme-prod:europe-west1:main",
    "DB_USER": "api-run@acme-prod.iam",
    "DB_NAME": "app",
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_ENABLED", "DATABASE_URL", "LOG_LEVEL", *CLOUD_SQL_ENV):
        monkeypatch.delenv(name, raising=False)


def test_database_url_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)

    settings = Settings()

    assert settings.database_url is not None
    assert settings.database_url.get_secret_value() == DATABASE_URL
    assert not settings.uses_cloud_sql


def test_cloud_sql_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CLOUD_SQL_ENV.items():
        monkeypatch.setenv(name, value)

    settings = Settings()

    assert settings.uses_cloud_sql
    assert settings.instance_connection_name == "acme-prod:europe-west1:main"
    assert settings.db_user == "api-run@acme-prod.iam"
    assert settings.db_name == "app"


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)

    settings = Settings()

    assert settings.db_pool_size == 5
    assert settings.db_max_overflow == 2
    assert settings.db_pool_timeout_seconds == 30.0
    assert settings.db_pool_recycle_seconds == 1800
    assert settings.log_level == "INFO"
    assert settings.database_enabled is True


def test_nothing_configured() -> None:
    with pytest.raises(ValidationError, match="No database is configured"):
        Settings()


def test_cloud_sql_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSTANCE_CONNECTION_NAME", "acme-prod:europe-west1:main")

    with pytest.raises(ValidationError, match="missing DB_USER, DB_NAME"):
        Settings()


def test_both_modes_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("DB_NAME", "app")

    with pytest.raises(ValidationError, match="DATABASE_URL and DB_NAME are both"):
        Settings()


def test_empty_variables_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("INSTANCE_CONNECTION_NAME", "")

    assert not Settings().uses_cloud_sql


def test_log_level_case_insensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("LOG_LEVEL", "debug")

    assert Settings().log_level == "DEBUG"


def test_log_level_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("LOG_LEVEL", "verbose")

    with pytest.raises(ValidationError, match="log_level"):
        Settings()


def test_database_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_ENABLED", "false")

    settings = Settings()

    assert settings.database_enabled is False
    assert settings.database_url is None
    assert not settings.uses_cloud_sql


def test_database_enabled_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    for value, expected in [("true", True), ("1", True), ("", True)]:
        monkeypatch.setenv("DATABASE_ENABLED", value)
        assert Settings().database_enabled is expected, value

    monkeypatch.delenv("DATABASE_URL")
    for value in ["false", "False", "0", "no", "off"]:
        monkeypatch.setenv("DATABASE_ENABLED", value)
        assert Settings().database_enabled is False, value


def test_database_enabled_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", DATABASE_URL)
    monkeypatch.setenv("DATABASE_ENABLED", "maybe")

    with pytest.raises(ValidationError, match="database_enabled"):
        Settings()


def test_database_enabled_true_needs_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_ENABLED", "true")

    with pytest.raises(ValidationError, match="No database is configured"):
        Settings()


@pytest.mark.parametrize(
    ("name", "value"), [("DATABASE_URL", DATABASE_URL), *CLOUD_SQL_ENV.items()]
)
def test_database_disabled_rejects_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("DATABASE_ENABLED", "false")
    monkeypatch.setenv(name, value)

    with pytest.raises(
        ValidationError, match=f"DATABASE_ENABLED is false, but {name} is set"
    ):
        Settings()


def test_database_disabled_lists_all_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_ENABLED", "false")
    for name, value in CLOUD_SQL_ENV.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError) as raised:
        Settings()

    message = str(raised.value)
    assert "INSTANCE_CONNECTION_NAME, DB_USER, DB_NAME are set" in message


# APP_DB_USERS is read by migrations/env.py, which the migration job runs.
# ``alembic upgrade head --sql`` writes the migration SQL, grants included,
# without connecting, so these tests need no database.
BACKEND_DIR = Path(__file__).resolve().parent.parent
API_ROLE = "api-run@acme-prod.iam"
WORKER_ROLE = "worker-run@acme-prod.iam"


def run_offline_upgrade(env: dict[str, str]) -> tuple[str, list[str]]:
    """Run ``alembic upgrade head --sql`` in a child process with env added.

    Returns the SQL script and the messages of the JSON log lines on stderr.
    """
    child_env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("APP_DB_USER", "APP_DB_USERS", "DATABASE_ENABLED")
        and name not in CLOUD_SQL_ENV
    }
    child_env["DATABASE_URL"] = DATABASE_URL
    child_env.update(env)
    result = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head", "--sql"],
        cwd=BACKEND_DIR,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = [json.loads(line)["message"] for line in result.stderr.splitlines()]
    return result.stdout, messages


def test_app_db_users_grants_each_role() -> None:
    sql, messages = run_offline_upgrade(
        {"APP_DB_USERS": f" {API_ROLE} ,, {WORKER_ROLE},{API_ROLE}, "}
    )

    for role in (API_ROLE, WORKER_ROLE):
        quoted = f'"{role}"'
        statements = [
            f"GRANT USAGE ON SCHEMA public TO {quoted};",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
            f"TO {quoted};",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted};",
            f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {quoted};",
        ]
        for statement in statements:
            assert sql.count(statement) == 1, statement
        prefix = f"Wrote grants for role {quoted}:"
        role_messages = [message for message in messages if message.startswith(prefix)]
        assert len(role_messages) == 1, role
    assert sql.count("GRANT USAGE ON SCHEMA") == 2
    assert 'TO "";' not in sql
